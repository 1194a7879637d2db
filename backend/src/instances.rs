//! Instances following each other through their instance actors (Mobilizon's relays): an
//! administrator makes ours follow another instance, and accepts or rejects the instances that
//! ask to follow ours. Our instance actor then announces every public local event to them.

use entity::actor::{self, ActorKind};
use entity::follow;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};

use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::outbox::{self, Happened};
use crate::principal::Principal;

/// Where a follow between two instances stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowStatus {
    Pending,
    Approved,
}

/// Another instance, as the admin list shows it.
#[derive(Debug, Clone)]
pub struct Instance {
    pub actor: actor::Model,
    /// Whether we follow it.
    pub followed: Option<FollowStatus>,
    /// Whether it follows us.
    pub follower: Option<FollowStatus>,
}

fn status(follow: &follow::Model) -> FollowStatus {
    if follow.approved {
        FollowStatus::Approved
    } else {
        FollowStatus::Pending
    }
}

fn admin_only(principal: &Principal) -> Result<()> {
    principal.require_admin("only administrators manage instance follows")
}

/// Our instance actor follows `remote` (another instance's actor, found by the federation
/// layer): a `Follow` is recorded, pending until its `Accept`.
pub async fn follow(
    ctx: &AppContext,
    principal: &Principal,
    remote: &actor::Model,
) -> Result<follow::Model> {
    admin_only(principal)?;
    if remote.is_local() || remote.kind != ActorKind::Application {
        return Err(Error::invalid(
            "domain",
            "this is not another instance's actor",
        ));
    }
    let relay = crate::actors::system::relay(&ctx.db).await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let follow = match crate::groups::follows::find_follow(&tx, relay.id, remote.id).await? {
        Some(existing) => existing,
        None => {
            follow::Entity::insert(follow::ActiveModel {
                id: NotSet,
                follower_id: Set(relay.id),
                target_id: Set(remote.id),
                approved: Set(false),
                notify: Set(false),
                ap_id: Set(Some(format!(
                    "{}#follows/{}",
                    relay.ap_id,
                    uuid::Uuid::new_v4()
                ))),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_with_returning(&tx)
            .await?
        }
    };
    if !follow.approved {
        let what = Happened::FollowRequested {
            follow_id: follow.id,
        };
        outbox::record(ctx, &tx, now, what).await?;
    }
    tx.commit().await?;
    Ok(follow)
}

/// Stops following the instance at `domain`.
pub async fn unfollow(ctx: &AppContext, principal: &Principal, domain: &str) -> Result<()> {
    admin_only(principal)?;
    let relay = crate::actors::system::relay(&ctx.db).await?;
    let remote = instance_actor(&ctx.db, domain).await?;
    let follow = crate::groups::follows::find_follow(&ctx.db, relay.id, remote.id)
        .await?
        .ok_or(Error::not_found("instance follow"))?;
    let tx = begin_write(ctx).await?;
    follow::Entity::delete_by_id(follow.id).exec(&tx).await?;
    if let Some(ap_id) = follow.ap_id {
        let what = Happened::FollowUndone {
            follower_id: relay.id,
            target_id: remote.id,
            follow_ap_id: ap_id,
        };
        outbox::record(ctx, &tx, ctx.now(), what).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The instance actor we know for `domain`.
async fn instance_actor(conn: &impl ConnectionTrait, domain: &str) -> Result<actor::Model> {
    let domain = crate::domain_blocks::normalize(domain)?;
    actor::Entity::find()
        .filter(actor::Column::Domain.eq(domain))
        .filter(actor::Column::Kind.eq(ActorKind::Application))
        .one(conn)
        .await?
        .ok_or(Error::not_found("instance"))
}

/// An administrator accepts (`acceptRelay`) or rejects (`rejectRelay`) the instance at
/// `domain`, which asked to follow ours.
pub async fn decide_follower(
    ctx: &AppContext,
    principal: &Principal,
    domain: &str,
    accept: bool,
) -> Result<()> {
    admin_only(principal)?;
    let relay = crate::actors::system::relay(&ctx.db).await?;
    let remote = instance_actor(&ctx.db, domain).await?;
    let follow = crate::groups::follows::find_follow(&ctx.db, remote.id, relay.id)
        .await?
        .ok_or(Error::not_found("instance follow"))?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    if accept {
        let mut active: follow::ActiveModel = follow.clone().into();
        active.approved = Set(true);
        active.updated_at = Set(now);
        active.update(&tx).await?;
        let what = Happened::FollowAccepted {
            follow_id: follow.id,
        };
        outbox::record(ctx, &tx, now, what).await?;
    } else {
        follow::Entity::delete_by_id(follow.id).exec(&tx).await?;
        if let Some(ap_id) = follow.ap_id {
            let what = Happened::FollowRejected {
                follower_id: remote.id,
                target_id: relay.id,
                follow_ap_id: ap_id,
            };
            outbox::record(ctx, &tx, now, what).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Instances we follow or that follow us, with where each follow stands.
pub async fn list(conn: &impl ConnectionTrait, principal: &Principal) -> Result<Vec<Instance>> {
    admin_only(principal)?;
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
                    followed: None,
                    follower: None,
                });
                instances.len() - 1
            }
        };
        if follow.follower_id == relay.id {
            instances[position].followed = Some(status(&follow));
        } else {
            instances[position].follower = Some(status(&follow));
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
    Ok(
        crate::groups::follows::find_follow(conn, relay.id, remote.id)
            .await?
            .is_some_and(|f| f.approved),
    )
}
