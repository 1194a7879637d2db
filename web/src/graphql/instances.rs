//! Admin controls over other instances: domain blocks.

use async_graphql::{Context, ID, Object};
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

#[derive(Default)]
pub struct InstanceQuery;

#[Object]
impl InstanceQuery {
    /// Blocked instances, newest first (administrators only).
    async fn domain_blocks(&self, ctx: &Context<'_>) -> GqlResult<Vec<DomainBlock>> {
        if !principal(ctx).is_instance_admin() {
            return Err(backend::Error::forbidden(
                "only administrators see blocked instances",
            ))
            .gql();
        }
        let blocks = backend::domain_blocks::list(&app(ctx)?.db).await.gql()?;
        Ok(blocks.into_iter().map(DomainBlock).collect())
    }
}

#[derive(Default)]
pub struct InstanceMutation;

#[Object]
impl InstanceMutation {
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
