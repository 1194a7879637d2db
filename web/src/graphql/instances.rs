//! Admin controls over other instances: instance follows (Mobilizon's relays) and domain
//! blocks.

use async_graphql::{Context, Enum, ID, Object};
use backend::instances::{self, FollowStatus};
use chrono::{DateTime, Utc};
use entity::domain_block;

use super::errors::{GqlResult, IntoGql};
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

/// Mobilizon's `InstanceFollowStatus`.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum InstanceFollowStatus {
    Approved,
    Pending,
    None,
}

fn follow_status(status: Option<FollowStatus>) -> InstanceFollowStatus {
    match status {
        Some(FollowStatus::Approved) => InstanceFollowStatus::Approved,
        Some(FollowStatus::Pending) => InstanceFollowStatus::Pending,
        None => InstanceFollowStatus::None,
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
    async fn followed_status(&self) -> InstanceFollowStatus {
        follow_status(self.0.followed)
    }

    /// Whether it follows us.
    async fn follower_status(&self) -> InstanceFollowStatus {
        follow_status(self.0.follower)
    }

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

    /// Blocked instances, newest first (administrators only).
    async fn domain_blocks(&self, ctx: &Context<'_>) -> GqlResult<Vec<DomainBlock>> {
        let blocks = backend::domain_blocks::list(&app(ctx)?.db, &principal(ctx))
            .await
            .gql()?;
        Ok(blocks.into_iter().map(DomainBlock).collect())
    }
}

#[derive(Default)]
pub struct InstanceMutation;

#[Object]
impl InstanceMutation {
    /// Our instance follows another one (found by NodeInfo's instance actor or `relay@`).
    async fn add_instance(&self, ctx: &Context<'_>, domain: String) -> GqlResult<Instance> {
        let app = app(ctx)?;
        let principal = principal(ctx);
        principal
            .require_admin("only administrators manage instance follows")
            .gql()?;
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
        let follow = instances::follow(app, &principal, &remote).await.gql()?;
        Ok(Instance(instances::Instance {
            actor: remote,
            followed: Some(if follow.approved {
                FollowStatus::Approved
            } else {
                FollowStatus::Pending
            }),
            follower: None,
        }))
    }

    /// Stops following an instance.
    async fn remove_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<bool> {
        instances::unfollow(app(ctx)?, &principal(ctx), domain_of_address(&address))
            .await
            .gql()?;
        Ok(true)
    }

    /// Lets an instance that asked follow ours.
    async fn accept_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<bool> {
        instances::decide_follower(
            app(ctx)?,
            &principal(ctx),
            domain_of_address(&address),
            true,
        )
        .await
        .gql()?;
        Ok(true)
    }

    /// Refuses an instance that asked to follow ours.
    async fn reject_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<bool> {
        instances::decide_follower(
            app(ctx)?,
            &principal(ctx),
            domain_of_address(&address),
            false,
        )
        .await
        .gql()?;
        Ok(true)
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
