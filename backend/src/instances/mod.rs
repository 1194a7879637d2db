//! Instances following each other through their instance actors (Mobilizon's relays): an
//! administrator makes ours follow another instance, and accepts or rejects the instances that
//! ask to follow ours. Our instance actor then announces every public local event to them.
//!
//! Following, stopping and answering are the one follow use case of [`crate::groups::follows`]
//! (`follow`, `unfollow`, `decide`), with our instance actor as the follower or the followed and
//! [`policy::may_speak_for_instance`] saying who may; this module finds the actors and follows
//! those calls name, and lists them.

mod known;
pub mod software;

use chrono::{DateTime, Utc};
use entity::action_log::ActionLogAction;
use entity::actor::{self, ActorKind};
use entity::follow::{self, FollowStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::{Error, Result};
use crate::groups::followers::find_follow;
use crate::groups::follows::{FollowRequest, UnfollowRequest};
use crate::groups::policy;
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

pub use known::{
    FollowFilter, InstanceOrder, InstanceQuery, InstanceStats, find, page as known, stats,
};

/// Another instance, as the admin list shows it.
#[derive(Debug, Clone)]
pub struct Instance {
    pub actor: actor::Model,
    /// Whether we follow it.
    pub followed: FollowStatus,
    /// Whether it follows us.
    pub follower: FollowStatus,
}

/// Whether `actor` is our instance actor (the follower or followed side of instance follows).
pub(crate) fn is_ours(actor: &actor::Model) -> bool {
    actor.is_local() && actor.kind == ActorKind::Application
}

/// Records in the follow's own transaction what an administrator did to a follow between our
/// instance and `other`'s: the follow use case calls it, whichever edge asked.
pub(crate) async fn log_follow_change(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    now: DateTime<Utc>,
    action: ActionLogAction,
    other: &actor::Model,
) -> Result<()> {
    let moderator = crate::action_log::moderator_of(conn, principal).await?;
    let object = crate::action_log::Object::instance(other);
    crate::action_log::record(conn, now, moderator, action, object, None).await?;
    Ok(())
}

/// Refuses anyone who may not manage instance follows, before any work is done for them
/// (finding another instance's actor asks that instance).
pub fn check_manager(principal: &Principal) -> Result<()> {
    principal.require_known()?;
    if policy::may_speak_for_instance(principal.is_instance_admin()) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "only administrators manage instance follows",
        ))
    }
}

/// The request that makes our instance actor follow `remote` (another instance's actor, found
/// by the federation layer), for [`crate::groups::follows::follow`]: pending until its `Accept`.
pub async fn follow_request(
    conn: &impl ConnectionTrait,
    remote: &actor::Model,
) -> Result<FollowRequest> {
    let instance = crate::actors::system::relay(conn).await?;
    Ok(FollowRequest {
        target_id: remote.id,
        actor_id: Some(instance.id),
        notify: false,
    })
}

/// The request that makes our instance actor stop following the instance at `domain`, for
/// [`crate::groups::follows::unfollow`].
pub async fn unfollow_request(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    domain: &str,
) -> Result<UnfollowRequest> {
    check_manager(principal)?;
    let instance = crate::actors::system::relay(conn).await?;
    let remote = instance_actor(conn, domain).await?;
    Ok(UnfollowRequest {
        target_id: remote.id,
        actor_id: Some(instance.id),
    })
}

/// The instance at `domain`'s request to follow ours, for an administrator to answer with
/// [`crate::groups::follows::decide`].
pub async fn request_from(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    domain: &str,
) -> Result<follow::Model> {
    check_manager(principal)?;
    let instance = crate::actors::system::relay(conn).await?;
    let remote = instance_actor(conn, domain).await?;
    find_follow(conn, remote.id, instance.id)
        .await?
        .ok_or(Error::not_found("instance follow"))
}

/// The instance actor we know for `domain`.
pub async fn instance_actor(conn: &impl ConnectionTrait, domain: &str) -> Result<actor::Model> {
    let domain = crate::domain_blocks::normalize(domain)?;
    actor::Entity::find()
        .filter(actor::Column::Domain.eq(domain))
        .filter(actor::Column::Kind.eq(ActorKind::Application))
        .one(conn)
        .await?
        .ok_or(Error::not_found("instance"))
}

/// Instances we follow or that follow us, with where each follow stands.
pub async fn list(conn: &impl ConnectionTrait, principal: &Principal) -> Result<Vec<Instance>> {
    check_manager(principal)?;
    let relay = crate::actors::system::relay(conn).await?;
    let follows = follow::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(follow::Column::FollowerId.eq(relay.id))
                .add(follow::Column::TargetId.eq(relay.id)),
        )
        .all(conn)
        .await?;
    let mut instances: Vec<Instance> = Vec::new();
    for follow in follows {
        let other = if follow.follower_id == relay.id {
            follow.target_id
        } else {
            follow.follower_id
        };
        let position = match instances.iter().position(|i| i.actor.id == other) {
            Some(position) => position,
            None => {
                let actor = crate::actors::find(conn, other).await?;
                instances.push(Instance {
                    actor,
                    followed: FollowStatus::None,
                    follower: FollowStatus::None,
                });
                instances.len() - 1
            }
        };
        if follow.follower_id == relay.id {
            instances[position].followed = FollowStatus::of(Some(&follow));
        } else {
            instances[position].follower = FollowStatus::of(Some(&follow));
        }
    }
    instances.sort_by(|a, b| a.actor.domain.cmp(&b.actor.domain));
    Ok(instances)
}

/// Which side of our instance actor's follows a relay list shows (Mobilizon's
/// `relayFollowers` and `relayFollowings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelaySide {
    /// Instances that follow ours, or asked to.
    Followers,
    /// Instances ours follows, or asked to.
    Followings,
}

/// One page of our instance actor's follows on `side`, the most recently changed first,
/// pending ones included (an administrator answers those).
pub async fn relay_follows(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    side: RelaySide,
    page: Page,
) -> Result<Paginated<follow::Model>> {
    check_manager(principal)?;
    let relay = crate::actors::system::relay(conn).await?;
    let query = match side {
        RelaySide::Followers => {
            follow::Entity::find().filter(follow::Column::TargetId.eq(relay.id))
        }
        RelaySide::Followings => {
            follow::Entity::find().filter(follow::Column::FollowerId.eq(relay.id))
        }
    };
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(follow::Column::UpdatedAt)
        .order_by_desc(follow::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// Whether our instance follows `actor_ap_id` (an instance actor) and it accepted: then what
/// it announces is welcome here.
pub async fn is_followed_instance(conn: &impl ConnectionTrait, actor_ap_id: &str) -> Result<bool> {
    let Some(remote) = crate::actors::remote::find_by_ap_id(conn, actor_ap_id).await? else {
        return Ok(false);
    };
    if remote.kind != ActorKind::Application || remote.is_local() {
        return Ok(false);
    }
    let relay = crate::actors::system::relay(conn).await?;
    Ok(find_follow(conn, relay.id, remote.id)
        .await?
        .is_some_and(|f| f.approved))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use entity::actor::ActorKind;
    use entity::user::UserRole;

    use super::*;
    use crate::groups::follows::{self, Unfollowed};
    use crate::outbox::Happened;
    use crate::testing::TestContext;

    #[tokio::test]
    async fn an_administrator_makes_our_instance_follow_another_through_the_one_follow_use_case() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let someone = t.person("sam").await;
        let other = t.remote_actor("relay", ActorKind::Application).await;
        let request = follow_request(&t.ctx.db, &other).await.unwrap();

        let err = follows::follow(&t.ctx, &someone.principal(), request.clone())
            .await
            .expect_err("not an administrator");
        assert_eq!(err.code(), "forbidden");
        let err = check_manager(&Principal::Anonymous).expect_err("anonymous");
        assert_eq!(err.code(), "unauthenticated");

        let follow = follows::follow(&t.ctx, &admin.principal(), request.clone())
            .await
            .expect("follow");
        let ours = crate::actors::system::relay(&t.ctx.db).await.unwrap();
        assert_eq!((follow.follower_id, follow.target_id), (ours.id, other.id));
        assert!(!follow.approved, "pending until the other instance accepts");
        assert!(!follow.notify);
        assert!(
            follow
                .ap_id
                .as_deref()
                .is_some_and(|id| id.starts_with(&format!("{}#follows/", ours.ap_id)))
        );
        let again = follows::follow(&t.ctx, &admin.principal(), request)
            .await
            .expect("asked again");
        assert_eq!(again.id, follow.id);
        let requested = Happened::FollowRequested {
            follow_id: follow.id,
        };
        let recorded = t.recorded_for_federation().await;
        assert_eq!(recorded.iter().filter(|h| **h == requested).count(), 2);

        let listed = list(&t.ctx.db, &admin.principal()).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].actor.id, other.id);
        assert_eq!(
            (listed[0].followed, listed[0].follower),
            (FollowStatus::Pending, FollowStatus::None)
        );

        // Our instance actor follows other instances' actors only.
        let far_group = t.remote_actor("garden", ActorKind::Group).await;
        let err = follows::follow(
            &t.ctx,
            &admin.principal(),
            follow_request(&t.ctx.db, &far_group).await.unwrap(),
        )
        .await
        .expect_err("a group is no instance");
        assert_eq!(err.code(), "not_found");

        let err = unfollow_request(&t.ctx.db, &someone.principal(), "far.example")
            .await
            .expect_err("not an administrator");
        assert_eq!(err.code(), "forbidden");
        let request = unfollow_request(&t.ctx.db, &admin.principal(), "far.example")
            .await
            .unwrap();
        let undone = follows::unfollow(&t.ctx, &admin.principal(), request.clone())
            .await
            .unwrap();
        assert!(matches!(undone, Unfollowed::Unfollowed(_)));
        assert!(
            t.recorded_for_federation()
                .await
                .contains(&Happened::FollowUndone {
                    follower_id: ours.id,
                    target_id: other.id,
                    follow_ap_id: follow.ap_id.clone().unwrap(),
                })
        );
        assert_eq!(
            follows::unfollow(&t.ctx, &admin.principal(), request)
                .await
                .unwrap(),
            Unfollowed::NotFollowing
        );
    }

    #[tokio::test]
    async fn another_instance_asking_to_follow_ours_waits_for_an_administrators_answer() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let someone = t.person("sam").await;
        let other = t.remote_actor("relay", ActorKind::Application).await;
        let ours = crate::actors::system::relay(&t.ctx.db).await.unwrap();
        let asked = Principal::Remote {
            actor_id: other.id,
            activity_id: format!("{}#follows/1", other.ap_id),
        };
        let request = FollowRequest {
            target_id: ours.id,
            ..FollowRequest::default()
        };
        let follow = follows::follow(&t.ctx, &asked, request).await.unwrap();
        assert!(!follow.approved, "an administrator decides");

        let err = request_from(&t.ctx.db, &someone.principal(), "far.example")
            .await
            .expect_err("not an administrator");
        assert_eq!(err.code(), "forbidden");
        let err = follows::decide(&t.ctx, &someone.principal(), follow.id, true)
            .await
            .expect_err("not an administrator");
        assert_eq!(err.code(), "forbidden");

        let found = request_from(&t.ctx.db, &admin.principal(), "far.example")
            .await
            .unwrap();
        assert_eq!(found.id, follow.id);
        let accepted = follows::decide(&t.ctx, &admin.principal(), found.id, true)
            .await
            .unwrap();
        assert!(accepted.approved);
        assert!(
            t.recorded_for_federation()
                .await
                .contains(&Happened::FollowAccepted {
                    follow_id: follow.id
                })
        );
        let listed = list(&t.ctx.db, &admin.principal()).await.unwrap();
        assert_eq!(
            (listed[0].followed, listed[0].follower),
            (FollowStatus::None, FollowStatus::Approved)
        );
    }

    #[tokio::test]
    async fn relay_lists_show_who_follows_our_instance_and_whom_it_follows_to_administrators_only()
    {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let someone = t.person("sam").await;
        let follower = t.remote_actor("relay", ActorKind::Application).await;
        let followed = t.remote_actor("other", ActorKind::Application).await;
        let ours = crate::actors::system::relay(&t.ctx.db).await.unwrap();
        let asked = Principal::Remote {
            actor_id: follower.id,
            activity_id: format!("{}#follows/1", follower.ap_id),
        };
        let incoming = FollowRequest {
            target_id: ours.id,
            ..FollowRequest::default()
        };
        let incoming = follows::follow(&t.ctx, &asked, incoming).await.unwrap();
        let outgoing = follow_request(&t.ctx.db, &followed).await.unwrap();
        let outgoing = follows::follow(&t.ctx, &admin.principal(), outgoing)
            .await
            .unwrap();

        let err = relay_follows(
            &t.ctx.db,
            &someone.principal(),
            RelaySide::Followers,
            Page::default(),
        )
        .await
        .expect_err("not an administrator");
        assert_eq!(err.code(), "forbidden");

        let followers = relay_follows(
            &t.ctx.db,
            &admin.principal(),
            RelaySide::Followers,
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(followers.total, 1);
        assert_eq!(followers.elements[0].id, incoming.id);
        let followings = relay_follows(
            &t.ctx.db,
            &admin.principal(),
            RelaySide::Followings,
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(followings.total, 1);
        assert_eq!(followings.elements[0].id, outgoing.id);
        let none = relay_follows(
            &t.ctx.db,
            &admin.principal(),
            RelaySide::Followings,
            Page::new(Some(1), Some(0)).unwrap(),
        )
        .await
        .unwrap();
        assert_eq!((none.total, none.elements.len()), (1, 0));
    }

    #[tokio::test]
    async fn every_change_an_administrator_makes_to_instance_follows_goes_into_the_action_log() {
        use entity::action_log::{ActionLogAction as A, ObjectKind};
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let followed = t.remote_actor("relay", ActorKind::Application).await;
        let ours = crate::actors::system::relay(&t.ctx.db).await.unwrap();
        let request = follow_request(&t.ctx.db, &followed).await.unwrap();
        follows::follow(&t.ctx, &admin.principal(), request.clone())
            .await
            .unwrap();
        // Asking again sends the `Follow` again; it is not a second decision.
        follows::follow(&t.ctx, &admin.principal(), request)
            .await
            .unwrap();
        let undo = unfollow_request(&t.ctx.db, &admin.principal(), "far.example")
            .await
            .unwrap();
        follows::unfollow(&t.ctx, &admin.principal(), undo)
            .await
            .unwrap();

        // Two instances ask to follow ours: one accepted then removed, one refused.
        let mut asked = Vec::new();
        let mut askers = Vec::new();
        for name in ["one", "two"] {
            let other = t.remote_actor(name, ActorKind::Application).await;
            askers.push(other.id);
            let principal = Principal::Remote {
                actor_id: other.id,
                activity_id: format!("{}#follows/1", other.ap_id),
            };
            let request = FollowRequest {
                target_id: ours.id,
                ..FollowRequest::default()
            };
            asked.push(follows::follow(&t.ctx, &principal, request).await.unwrap());
        }
        follows::decide(&t.ctx, &admin.principal(), asked[0].id, true)
            .await
            .unwrap();
        // Accepting again changes nothing, and is not logged again.
        follows::decide(&t.ctx, &admin.principal(), asked[0].id, true)
            .await
            .unwrap();
        follows::decide(&t.ctx, &admin.principal(), asked[0].id, false)
            .await
            .unwrap();
        follows::decide(&t.ctx, &admin.principal(), asked[1].id, false)
            .await
            .unwrap();

        let log = crate::action_log::list(&t.ctx.db, &admin.principal(), Page::default())
            .await
            .unwrap();
        let mut entries: Vec<_> = log
            .elements
            .iter()
            .map(|e| (e.action, e.object_id))
            .collect();
        entries.reverse();
        let (one, two) = (Some(askers[0]), Some(askers[1]));
        assert_eq!(
            entries,
            vec![
                (A::InstanceFollowing, Some(followed.id)),
                (A::InstanceUnfollowing, Some(followed.id)),
                (A::InstanceFollowAcceptance, one),
                (A::InstanceFollowerRemoval, one),
                (A::InstanceFollowRejection, two),
            ]
        );
        for entry in &log.elements {
            assert_eq!(entry.object_kind, ObjectKind::Instance);
            assert_eq!(entry.object_label, "far.example", "the instance's domain");
            assert_eq!(entry.actor_id, Some(admin.actor.id), "the administrator");
        }
    }
}
