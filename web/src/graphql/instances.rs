//! Admin controls over other instances: instance follows (Mobilizon's relays) and domain
//! blocks.

use async_graphql::{Context, ID, Object};
use backend::groups::follows::{self, Unfollowed};
use backend::instances::{self, RelaySide};
use chrono::{DateTime, Utc};
use entity::domain_block;
use entity::follow::FollowStatus;

use super::errors::{GqlResult, IntoGql};
use super::objects::{self, Follower, PaginatedFollowerList};
use super::{app, principal};

pub struct DomainBlock(pub domain_block::Model);

#[Object]
impl DomainBlock {
    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    /// Host name, with its port when it is not the default.
    async fn domain(&self) -> &str {
        &self.0.domain
    }

    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Another instance, as administrators see it.
pub struct Instance(pub instances::Instance);

impl Instance {
    async fn nodeinfo(&self, ctx: &Context<'_>) -> federation::NodeInfo {
        let (Ok(app), Some(domain)) = (app(ctx), self.0.actor.domain.as_deref()) else {
            return federation::NodeInfo::default();
        };
        federation::nodeinfo(app, domain)
            .await
            .unwrap_or_else(|err| {
                tracing::debug!(error = %err, "instance: no NodeInfo");
                federation::NodeInfo::default()
            })
    }
}

#[Object]
impl Instance {
    async fn domain(&self) -> Option<&str> {
        self.0.actor.domain.as_deref()
    }

    /// The name its instance actor gives.
    async fn instance_name(&self) -> Option<String> {
        self.0.actor.name.clone()
    }

    /// Whether we follow it.
    async fn followed_status(&self) -> FollowStatus {
        self.0.followed
    }

    /// Whether it follows us.
    async fn follower_status(&self) -> FollowStatus {
        self.0.follower
    }

    /// Every instance listed here is one we know through its instance actor, which is what
    /// Mobilizon calls its relay.
    async fn has_relay(&self) -> bool {
        true
    }

    /// The software it runs, from its NodeInfo (read when asked; none when it does not answer).
    async fn software(&self, ctx: &Context<'_>) -> Option<String> {
        self.nodeinfo(ctx).await.software
    }

    async fn software_version(&self, ctx: &Context<'_>) -> Option<String> {
        self.nodeinfo(ctx).await.version
    }
}

/// `relay@domain`, a domain or a URL: the domain.
fn domain_of_address(address: &str) -> &str {
    address
        .trim()
        .trim_start_matches('@')
        .trim_start_matches("relay@")
}

#[derive(Default)]
pub struct InstanceQuery;

#[Object]
impl InstanceQuery {
    /// Instances we follow or that follow us (administrators only).
    async fn instances(&self, ctx: &Context<'_>) -> GqlResult<Vec<Instance>> {
        let list = instances::list(&app(ctx)?.db, &principal(ctx))
            .await
            .gql()?;
        Ok(list.into_iter().map(Instance).collect())
    }

    /// Instances following ours or asking to, the most recently changed first
    /// (administrators only).
    async fn relay_followers(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedFollowerList> {
        relay_list(ctx, RelaySide::Followers, page, limit).await
    }

    /// Instances ours follows or asked to (administrators only).
    async fn relay_followings(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedFollowerList> {
        relay_list(ctx, RelaySide::Followings, page, limit).await
    }

    /// Blocked instances, newest first (administrators only).
    async fn domain_blocks(&self, ctx: &Context<'_>) -> GqlResult<Vec<DomainBlock>> {
        let blocks = backend::domain_blocks::list(&app(ctx)?.db, &principal(ctx))
            .await
            .gql()?;
        Ok(blocks.into_iter().map(DomainBlock).collect())
    }
}

async fn relay_list(
    ctx: &Context<'_>,
    side: RelaySide,
    page: Option<i64>,
    limit: Option<i64>,
) -> GqlResult<PaginatedFollowerList> {
    let list = instances::relay_follows(
        &app(ctx)?.db,
        &principal(ctx),
        side,
        objects::page(page, limit)?,
    )
    .await
    .gql()?;
    Ok(PaginatedFollowerList {
        total: list.total,
        elements: list.elements.into_iter().map(Follower).collect(),
    })
}

/// An administrator answers the instance at `address`, which asked to follow ours: the
/// follow as it now stands, as Mobilizon answers.
async fn answer_relay(ctx: &Context<'_>, address: &str, accept: bool) -> GqlResult<Follower> {
    let app = app(ctx)?;
    let principal = principal(ctx);
    let request = instances::request_from(&app.db, &principal, domain_of_address(address))
        .await
        .gql()?;
    let follow = follows::decide(app, &principal, request.id, accept)
        .await
        .gql()?;
    Ok(Follower(follow))
}

#[derive(Default)]
pub struct InstanceMutation;

#[Object]
impl InstanceMutation {
    /// Our instance follows another one (found by NodeInfo's instance actor or `relay@`).
    async fn add_instance(&self, ctx: &Context<'_>, domain: String) -> GqlResult<Instance> {
        let app = app(ctx)?;
        let principal = principal(ctx);
        // Finding the other instance's actor asks it: not on behalf of just anyone.
        instances::check_manager(&principal).gql()?;
        let fetcher = ctx.data::<federation::Federation>()?;
        let remote = match federation::resolve_instance(fetcher, app, &domain).await {
            Ok(remote) => remote,
            Err(err) => {
                tracing::debug!(error = %err, "addInstance: no instance actor found");
                return Err(backend::Error::invalid(
                    "domain",
                    "no Convive or Mobilizon instance answers at this domain",
                ))
                .gql();
            }
        };
        let request = instances::follow_request(&app.db, &remote).await.gql()?;
        let follow = follows::follow(app, &principal, request).await.gql()?;
        Ok(Instance(instances::Instance {
            actor: remote,
            followed: FollowStatus::of(Some(&follow)),
            follower: FollowStatus::None,
        }))
    }

    /// Stops following an instance: the follow that went, as Mobilizon answers.
    async fn remove_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<Follower> {
        let app = app(ctx)?;
        let principal = principal(ctx);
        let request = instances::unfollow_request(&app.db, &principal, domain_of_address(&address))
            .await
            .gql()?;
        match follows::unfollow(app, &principal, request).await.gql()? {
            Unfollowed::Unfollowed(follow) => Ok(Follower(follow)),
            Unfollowed::NotFollowing => Err(backend::Error::not_found("instance follow")).gql(),
        }
    }

    /// Lets an instance that asked follow ours.
    async fn accept_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<Follower> {
        answer_relay(ctx, &address, true).await
    }

    /// Refuses an instance that asked to follow ours.
    async fn reject_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<Follower> {
        answer_relay(ctx, &address, false).await
    }

    /// Blocks an instance: its posts are refused, nothing is sent or fetched there, and what
    /// came from it is hidden.
    async fn block_domain(
        &self,
        ctx: &Context<'_>,
        domain: String,
        reason: Option<String>,
    ) -> GqlResult<DomainBlock> {
        let block =
            backend::domain_blocks::block(app(ctx)?, &principal(ctx), &domain, reason.as_deref())
                .await
                .gql()?;
        Ok(DomainBlock(block))
    }

    async fn unblock_domain(&self, ctx: &Context<'_>, domain: String) -> GqlResult<bool> {
        backend::domain_blocks::unblock(app(ctx)?, &principal(ctx), &domain)
            .await
            .gql()?;
        Ok(true)
    }
}
