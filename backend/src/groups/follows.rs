//! Following: people here follow groups (their public events come by mail when `notify`),
//! other instances' actors follow our groups, people and instance actor (and hear through
//! federation). Following, stopping and deciding on a follower are one function each, for
//! people here and remote actors alike (our instance actor's follows of other instances too).

use entity::action_log::ActionLogAction;
use entity::actor::{self, ActorKind};
use entity::follow;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};

use super::followers::{find_by_id, find_follow};
use super::{membership_of, policy};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::outbox::Happened;
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// Who follows which actor.
#[derive(Debug, Clone, Default)]
pub struct FollowRequest {
    /// The followed actor ([`policy::can_follow`] says which).
    pub target_id: i64,
    /// One of the caller's identities; their default one when absent. An administrator names
    /// our instance actor to make it follow another instance's.
    pub actor_id: Option<i64>,
    /// Mail about the group's new events (followers here; those elsewhere hear through their
    /// instance).
    pub notify: bool,
}

fn followed(target: &actor::Model) -> policy::Followed {
    policy::Followed {
        id: target.id,
        kind: target.kind,
        local: target.is_local(),
        suspended: target.suspended,
        manually_approves_followers: target.manually_approves_followers,
    }
}

/// Who follows or stops: the actor `principal` acts as (`actor_id`, else their default
/// identity), or our instance actor when `actor_id` names it and the caller may speak for it
/// ([`policy::may_speak_for_instance`]).
async fn acting_follower(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor_id: Option<i64>,
) -> Result<actor::Model> {
    if let (Principal::User(_), Some(id)) = (principal, actor_id) {
        let instance = crate::actors::system::relay(conn).await?;
        if instance.id == id {
            if !policy::may_speak_for_instance(principal.is_instance_admin()) {
                return Err(Error::forbidden(
                    "only administrators manage instance follows",
                ));
            }
            return Ok(instance);
        }
    }
    principal.acting_actor(conn, actor_id).await
}

/// The actor `follower` may follow ([`policy::can_follow`]); `not_found` otherwise.
async fn followable(
    conn: &impl ConnectionTrait,
    target_id: i64,
    follower: &actor::Model,
) -> Result<actor::Model> {
    let not_found = || {
        Error::not_found(match (follower.is_local(), follower.kind) {
            (true, ActorKind::Application) => "instance",
            (true, _) => "group",
            (false, _) => "actor",
        })
    };
    let target = match crate::actors::find(conn, target_id).await {
        Err(Error::NotFound { .. }) => return Err(not_found()),
        found => found?,
    };
    let by = policy::Follower {
        kind: follower.kind,
        local: follower.is_local(),
    };
    if !policy::can_follow(followed(&target), by) {
        return Err(not_found());
    }
    Ok(target)
}

/// Someone follows an actor: a person here a group (ours or another instance's), our instance
/// actor another instance's (by an administrator's hand), a remote actor one of ours by its
/// `Follow`. Approved at once or pending ([`policy::approves_at_once`]);
/// a follow of another instance's group records the `Follow` to send, an approved remote
/// follower the `Accept`, in the same transaction. Following again changes `notify` (here),
/// or answers again (the remote side may have missed the first `Accept`).
pub async fn follow(
    ctx: &AppContext,
    principal: &Principal,
    request: FollowRequest,
) -> Result<follow::Model> {
    principal.require_known()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let follower = acting_follower(&tx, principal, request.actor_id).await?;
    let target = followable(&tx, request.target_id, &follower).await?;
    let remote_activity = match principal {
        Principal::Remote { activity_id, .. } => Some(activity_id.clone()),
        _ => None,
    };
    let existing = find_follow(&tx, follower.id, target.id).await?;
    // Our instance following another, by an administrator's hand, goes on record once: asking
    // again only sends the `Follow` again.
    if existing.is_none() && crate::instances::is_ours(&follower) {
        let action = ActionLogAction::InstanceFollowing;
        crate::instances::log_follow_change(&tx, principal, now, action, &target).await?;
    }
    let follow = match existing {
        Some(existing) => {
            let mut active: follow::ActiveModel = existing.into();
            match &remote_activity {
                Some(activity_id) => active.ap_id = Set(Some(activity_id.clone())),
                None => active.notify = Set(request.notify),
            }
            active.updated_at = Set(now);
            active.update(&tx).await?
        }
        None => {
            // A follow of a remote group is an activity of ours: it gets its own id, which
            // the remote `Accept` or `Reject` may name alone.
            let ap_id = remote_activity.clone().or_else(|| {
                (!target.is_local())
                    .then(|| format!("{}#follows/{}", follower.ap_id, uuid::Uuid::new_v4()))
            });
            follow::Entity::insert(follow::ActiveModel {
                id: NotSet,
                follower_id: Set(follower.id),
                target_id: Set(target.id),
                approved: Set(policy::approves_at_once(followed(&target))),
                notify: Set(follower.is_local() && request.notify),
                ap_id: Set(ap_id),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_with_returning(&tx)
            .await?
        }
    };
    if let Some(peer) = [&follower, &target].into_iter().find(|a| !a.is_local()) {
        crate::instances::software::plan_read(&tx, peer, now).await?;
    }
    if !follower.is_local() && follow.approved {
        let accepted = Happened::FollowAccepted {
            follow_id: follow.id,
        };
        crate::outbox::record(ctx, &tx, now, accepted).await?;
    }
    // Until the remote group answers, asking again sends the `Follow` again (it may have
    // missed the first one); an accepted follow only changed `notify`.
    if !target.is_local() && !follow.approved {
        let requested = Happened::FollowRequested {
            follow_id: follow.id,
        };
        crate::outbox::record(ctx, &tx, now, requested).await?;
    }
    tx.commit().await?;
    tracing::info!(follow_id = follow.id, approved = follow.approved, "follow");
    Ok(follow)
}

/// Who stops following which actor.
#[derive(Debug, Clone, Default)]
pub struct UnfollowRequest {
    pub target_id: i64,
    /// One of the caller's identities; their default one when absent.
    pub actor_id: Option<i64>,
}

/// What became of a request to stop following.
#[derive(Debug, Clone, PartialEq)]
pub enum Unfollowed {
    /// The follow is gone.
    Unfollowed(follow::Model),
    /// There was none (a remote `Undo{Follow}` sent again: already done).
    NotFollowing,
}

impl Unfollowed {
    /// The follow that went, or `not_found` for people here.
    pub fn into_follow(self) -> Result<follow::Model> {
        match self {
            Unfollowed::Unfollowed(follow) => Ok(follow),
            Unfollowed::NotFollowing => Err(Error::not_found("follow")),
        }
    }
}

/// Someone stops following: a person here (an `Undo{Follow}` goes to a remote group), our
/// instance actor (to another instance's), or a remote actor by its `Undo{Follow}`.
pub async fn unfollow(
    ctx: &AppContext,
    principal: &Principal,
    request: UnfollowRequest,
) -> Result<Unfollowed> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    let follower = acting_follower(&tx, principal, request.actor_id).await?;
    let Some(follow) = find_follow(&tx, follower.id, request.target_id).await? else {
        return Ok(Unfollowed::NotFollowing);
    };
    follow::Entity::delete_by_id(follow.id).exec(&tx).await?;
    let target = followable(&tx, request.target_id, &follower).await?;
    if crate::instances::is_ours(&follower) {
        let action = ActionLogAction::InstanceUnfollowing;
        crate::instances::log_follow_change(&tx, principal, ctx.now(), action, &target).await?;
    }
    if let (false, Some(ap_id)) = (target.is_local(), &follow.ap_id) {
        let undone = Happened::FollowUndone {
            follower_id: follower.id,
            target_id: target.id,
            follow_ap_id: ap_id.clone(),
        };
        crate::outbox::record(ctx, &tx, ctx.now(), undone).await?;
    }
    tx.commit().await?;
    tracing::info!(follow_id = follow.id, "unfollow");
    Ok(Unfollowed::Unfollowed(follow))
}

/// Who follows the group (pending ones too, or only them with `approved: Some(false)`): for
/// its moderators, since followers are not public.
pub async fn of_group(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
    approved: Option<bool>,
    page: Page,
) -> Result<Paginated<follow::Model>> {
    use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};
    let role = membership_of(conn, principal, group_id)
        .await?
        .map(|m| m.role);
    if !policy::can_manage_followers(role) {
        return Err(Error::forbidden(
            "only the group's moderators see its followers",
        ));
    }
    let mut query = follow::Entity::find().filter(follow::Column::TargetId.eq(group_id));
    if let Some(approved) = approved {
        query = query.filter(follow::Column::Approved.eq(approved));
    }
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(follow::Column::CreatedAt)
        .order_by_desc(follow::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// The followed side decides on a follow: a group's moderators approve or refuse a follower
/// of a group that approves them by hand (`updateFollower`), an administrator another instance
/// asking to follow ours (`acceptRelay`, `rejectRelay`), and another instance's actor
/// answers a follow of ours (`Accept`, `Reject`) — [`policy::may_answer_follow`] says who.
/// Approving records the `Accept` to a remote follower; refusing removes the follow and
/// records the `Reject`.
pub async fn decide(
    ctx: &AppContext,
    principal: &Principal,
    follow_id: i64,
    approve: bool,
) -> Result<follow::Model> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let follow = find_by_id(&tx, follow_id).await?;
    let target = crate::actors::find(&tx, follow.target_id).await?;
    let answerer = match principal {
        Principal::Remote { actor_id, .. } => policy::FollowAnswerer::Remote {
            actor_id: *actor_id,
        },
        _ => policy::FollowAnswerer::Local {
            group_role: membership_of(&tx, principal, follow.target_id)
                .await?
                .map(|m| m.role),
            instance_admin: principal.is_instance_admin(),
        },
    };
    if !policy::may_answer_follow(followed(&target), answerer) {
        return Err(Error::forbidden(match answerer {
            policy::FollowAnswerer::Remote { .. } => "only the followed actor answers a follow",
            policy::FollowAnswerer::Local { .. } if target.kind == ActorKind::Application => {
                "only administrators manage instance follows"
            }
            policy::FollowAnswerer::Local { .. } => {
                "only the group's moderators decide on its followers"
            }
        }));
    }
    let follower = crate::actors::find(&tx, follow.follower_id).await?;
    // An administrator answering another instance about following ours goes on record; an
    // answer that changes nothing (accepting an accepted follow) does not.
    let logged = match (approve, follow.approved) {
        (true, true) => None,
        (true, false) => Some(ActionLogAction::InstanceFollowAcceptance),
        (false, false) => Some(ActionLogAction::InstanceFollowRejection),
        (false, true) => Some(ActionLogAction::InstanceFollowerRemoval),
    }
    .filter(|_| {
        crate::instances::is_ours(&target) && !matches!(principal, Principal::Remote { .. })
    });
    if let Some(action) = logged {
        crate::instances::log_follow_change(&tx, principal, now, action, &follower).await?;
    }
    let decided = if approve {
        let mut active: follow::ActiveModel = follow.clone().into();
        active.approved = Set(true);
        active.updated_at = Set(now);
        let approved = active.update(&tx).await?;
        if !follower.is_local() && !follow.approved {
            let what = Happened::FollowAccepted {
                follow_id: approved.id,
            };
            crate::outbox::record(ctx, &tx, now, what).await?;
        }
        approved
    } else {
        follow::Entity::delete_by_id(follow.id).exec(&tx).await?;
        if let (false, Some(ap_id)) = (follower.is_local(), &follow.ap_id) {
            let what = Happened::FollowRejected {
                follower_id: follower.id,
                target_id: follow.target_id,
                follow_ap_id: ap_id.clone(),
            };
            crate::outbox::record(ctx, &tx, now, what).await?;
        }
        follow
    };
    tx.commit().await?;
    tracing::info!(follow_id, approve, "follow decided");
    Ok(decided)
}

/// Whether the follower hears of the followed group's new events by mail (`None` changes
/// nothing): only the follower's own account sees and changes it (Mobilizon's
/// `updateGroupFollow`).
pub async fn set_notify(
    ctx: &AppContext,
    principal: &Principal,
    follow_id: i64,
    notify: Option<bool>,
) -> Result<follow::Model> {
    let tx = begin_write(ctx).await?;
    let follow = find_by_id(&tx, follow_id).await?;
    if !principal
        .actor_ids(&tx)
        .await?
        .contains(&follow.follower_id)
    {
        // Someone else's follow is not shown, so it is not found either.
        return Err(Error::not_found("follow"));
    }
    let Some(notify) = notify.filter(|n| *n != follow.notify) else {
        return Ok(follow);
    };
    let mut active: follow::ActiveModel = follow.into();
    active.notify = Set(notify);
    active.updated_at = Set(ctx.now());
    let follow = active.update(&tx).await?;
    tx.commit().await?;
    Ok(follow)
}
