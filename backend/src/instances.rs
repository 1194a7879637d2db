//! Instances following each other through their instance actors (Mobilizon's relays): an
//! administrator makes ours follow another instance, and accepts or rejects the instances that
//! ask to follow ours. Our instance actor then announces every public local event to them.
//!
//! Following, stopping and answering are the one follow use case of [`crate::groups::follows`]
//! (`follow`, `unfollow`, `decide`), with our instance actor as the follower or the followed and
//! [`policy::may_speak_for_instance`] saying who may; this module finds the actors and follows
//! those calls name, and lists them.

use entity::actor::{self, ActorKind};
use entity::follow::{self, FollowStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::{Error, Result};
use crate::groups::followers::find_follow;
use crate::groups::follows::{FollowRequest, UnfollowRequest};
use crate::groups::policy;
use crate::principal::Principal;

/// Another instance, as the admin list shows it.
#[derive(Debug, Clone)]
pub struct Instance {
    pub actor: actor::Model,
    /// Whether we follow it.
    pub followed: FollowStatus,
    /// Whether it follows us.
    pub follower: FollowStatus,
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
