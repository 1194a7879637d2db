//! Following a group: its public events come to the follower (by mail when `notify`, and to
//! remote followers through federation).

use entity::actor::{self, ActorKind};
use entity::follow;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};

use super::{find, membership_of, policy};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

pub async fn find_follow(
    conn: &impl ConnectionTrait,
    follower_id: i64,
    target_id: i64,
) -> Result<Option<follow::Model>> {
    Ok(follow::Entity::find()
        .filter(follow::Column::FollowerId.eq(follower_id))
        .filter(follow::Column::TargetId.eq(target_id))
        .one(conn)
        .await?)
}

/// `follower` follows the group. Local groups accept at once unless they approve followers by
/// hand; following again only changes `notify`.
pub async fn follow(
    ctx: &AppContext,
    follower: &actor::Model,
    group_id: i64,
    notify: bool,
) -> Result<follow::Model> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let group = find(&tx, group_id).await?;
    if group.kind != ActorKind::Group {
        return Err(Error::not_found("group"));
    }
    let follow = match find_follow(&tx, follower.id, group.id).await? {
        Some(existing) => {
            let mut active: follow::ActiveModel = existing.into();
            active.notify = Set(notify);
            active.updated_at = Set(now);
            active.update(&tx).await?
        }
        None => {
            // A follow of a remote group is an activity of ours: it gets its own id, which
            // the remote `Accept` or `Reject` may name alone.
            let ap_id = (!group.is_local())
                .then(|| format!("{}#follows/{}", follower.ap_id, uuid::Uuid::new_v4()));
            follow::Entity::insert(follow::ActiveModel {
                id: NotSet,
                follower_id: Set(follower.id),
                target_id: Set(group.id),
                approved: Set(group.is_local() && !group.manually_approves_followers),
                notify: Set(notify),
                ap_id: Set(ap_id),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_with_returning(&tx)
            .await?
        }
    };
    // Until the remote group answers, asking again sends the `Follow` again (it may have
    // missed the first one); an accepted follow only changed `notify`.
    if !group.is_local() && !follow.approved {
        crate::outbox::record(
            ctx,
            &tx,
            now,
            crate::outbox::Happened::FollowRequested {
                follow_id: follow.id,
            },
        )
        .await?;
    }
    tx.commit().await?;
    ctx.wake_workers();
    Ok(follow)
}

pub async fn unfollow(
    ctx: &AppContext,
    follower: &actor::Model,
    group_id: i64,
) -> Result<follow::Model> {
    let tx = begin_write(ctx).await?;
    let follow = find_follow(&tx, follower.id, group_id)
        .await?
        .ok_or(Error::not_found("follow"))?;
    follow::Entity::delete_by_id(follow.id).exec(&tx).await?;
    let group = find(&tx, group_id).await?;
    if let (false, Some(ap_id)) = (group.is_local(), &follow.ap_id) {
        crate::outbox::record(
            ctx,
            &tx,
            ctx.now(),
            crate::outbox::Happened::FollowUndone {
                follower_id: follower.id,
                target_id: group.id,
                follow_ap_id: ap_id.clone(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    ctx.wake_workers();
    Ok(follow)
}

/// A remote actor follows a local group or person (an incoming `Follow` whose id is `ap_id`).
/// Accepted at once unless the target approves followers by hand; an accepted follow records
/// `FollowAccepted` in the same transaction, so the answer cannot be lost. Following again
/// answers again (the remote side may have missed the first `Accept`).
pub async fn remote_follow(
    ctx: &AppContext,
    follower: &actor::Model,
    target_id: i64,
    ap_id: &str,
) -> Result<follow::Model> {
    if follower.is_local() {
        return Err(Error::forbidden("local actors follow through the API"));
    }
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let target = crate::actors::find(&tx, target_id).await?;
    // Our instance actor is followed by other instances (Mobilizon's relays).
    if !target.is_local()
        || target.suspended
        || !matches!(
            target.kind,
            ActorKind::Group | ActorKind::Person | ActorKind::Application
        )
    {
        return Err(Error::not_found("actor"));
    }
    // An instance following ours waits for an administrator.
    let waits = target.manually_approves_followers || target.kind == ActorKind::Application;
    let follow = match find_follow(&tx, follower.id, target.id).await? {
        Some(existing) => {
            let mut active: follow::ActiveModel = existing.into();
            active.ap_id = Set(Some(ap_id.to_owned()));
            active.updated_at = Set(now);
            active.update(&tx).await?
        }
        None => {
            follow::Entity::insert(follow::ActiveModel {
                id: NotSet,
                follower_id: Set(follower.id),
                target_id: Set(target.id),
                approved: Set(!waits),
                // Remote followers hear through their own instance, never by mail from us.
                notify: Set(false),
                ap_id: Set(Some(ap_id.to_owned())),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_with_returning(&tx)
            .await?
        }
    };
    if follow.approved {
        crate::outbox::record(
            ctx,
            &tx,
            now,
            crate::outbox::Happened::FollowAccepted {
                follow_id: follow.id,
            },
        )
        .await?;
    }
    tx.commit().await?;
    ctx.wake_workers();
    Ok(follow)
}

/// A remote actor stops following (`Undo{Follow}`). Unknown follows are already gone.
pub async fn remote_unfollow(
    ctx: &AppContext,
    follower: &actor::Model,
    target_id: i64,
) -> Result<()> {
    let tx = begin_write(ctx).await?;
    if let Some(follow) = find_follow(&tx, follower.id, target_id).await? {
        follow::Entity::delete_by_id(follow.id).exec(&tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn find_by_id(conn: &impl ConnectionTrait, id: i64) -> Result<follow::Model> {
    follow::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("follow"))
}

/// Where to deliver what `target_ids` publish: the inboxes of their approved remote followers,
/// a shared inbox once per host when the follower has one.
pub async fn remote_follower_inboxes(
    conn: &impl ConnectionTrait,
    target_ids: &[i64],
) -> Result<Vec<String>> {
    let follower_ids: Vec<i64> = follow::Entity::find()
        .filter(follow::Column::TargetId.is_in(target_ids.iter().copied()))
        .filter(follow::Column::Approved.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|f| f.follower_id)
        .collect();
    let followers = actor::Entity::find()
        .filter(actor::Column::Id.is_in(follower_ids))
        .filter(actor::Column::Domain.is_not_null())
        .filter(actor::Column::Suspended.eq(false))
        .all(conn)
        .await?;
    let mut inboxes: Vec<String> = followers
        .into_iter()
        .filter_map(|f| f.shared_inbox_url.or(f.inbox_url))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The follow of a local actor whose activity id is `ap_id` (a remote `Accept` or `Reject`
/// may name only that).
pub async fn find_local_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<follow::Model>> {
    Ok(follow::Entity::find()
        .filter(follow::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

/// A remote actor accepted `follower_id`'s follow. Unknown follows stay unknown.
pub async fn approve_remote(ctx: &AppContext, follower_id: i64, target_id: i64) -> Result<()> {
    let tx = begin_write(ctx).await?;
    if let Some(existing) = find_follow(&tx, follower_id, target_id).await? {
        let mut active: follow::ActiveModel = existing.into();
        active.approved = Set(true);
        active.updated_at = Set(ctx.now());
        active.update(&tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A remote actor refused `follower_id`'s follow: the pending follow goes away.
pub async fn reject_remote(ctx: &AppContext, follower_id: i64, target_id: i64) -> Result<()> {
    let tx = begin_write(ctx).await?;
    if let Some(existing) = find_follow(&tx, follower_id, target_id).await? {
        follow::Entity::delete_by_id(existing.id).exec(&tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether any local actor follows one of `actor_ids` (approved): only then do we keep what
/// they publish.
pub async fn has_local_followers(conn: &impl ConnectionTrait, actor_ids: &[i64]) -> Result<bool> {
    let follower_ids: Vec<i64> = follow::Entity::find()
        .filter(follow::Column::TargetId.is_in(actor_ids.iter().copied()))
        .filter(follow::Column::Approved.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|f| f.follower_id)
        .collect();
    Ok(actor::Entity::find()
        .filter(actor::Column::Id.is_in(follower_ids))
        .filter(actor::Column::Domain.is_null())
        .one(conn)
        .await?
        .is_some())
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

/// A moderator approves (`Accept` to a remote follower) or refuses (`Reject`; the follow goes
/// away) a follower of a group that approves followers by hand.
pub async fn decide(
    ctx: &AppContext,
    principal: &Principal,
    follow_id: i64,
    approve: bool,
) -> Result<follow::Model> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let follow = find_by_id(&tx, follow_id).await?;
    let role = membership_of(&tx, principal, follow.target_id)
        .await?
        .map(|m| m.role);
    if !policy::can_manage_followers(role) {
        return Err(Error::forbidden(
            "only the group's moderators decide on its followers",
        ));
    }
    let follower = crate::actors::find(&tx, follow.follower_id).await?;
    let decided = if approve {
        let mut active: follow::ActiveModel = follow.clone().into();
        active.approved = Set(true);
        active.updated_at = Set(now);
        let approved = active.update(&tx).await?;
        if !follower.is_local() && !follow.approved {
            let what = crate::outbox::Happened::FollowAccepted {
                follow_id: approved.id,
            };
            crate::outbox::record(ctx, &tx, now, what).await?;
        }
        approved
    } else {
        follow::Entity::delete_by_id(follow.id).exec(&tx).await?;
        if let (false, Some(ap_id)) = (follower.is_local(), &follow.ap_id) {
            let what = crate::outbox::Happened::FollowRejected {
                follower_id: follower.id,
                target_id: follow.target_id,
                follow_ap_id: ap_id.clone(),
            };
            crate::outbox::record(ctx, &tx, now, what).await?;
        }
        follow
    };
    tx.commit().await?;
    ctx.wake_workers();
    Ok(decided)
}
