//! Tags, with Mobilizon's names: `tags(filter:)` and `Tag.related`.

use async_graphql::{Context, ID, Object};
use backend::events::tags;

use super::app;
use super::errors::{GqlResult, IntoGql};
use super::objects::{Tag, page};

/// Related tags shown per tag.
const RELATED: u64 = 10;

#[Object]
impl Tag {
    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    /// Lowercase, accent-free key.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Tags found on the same public events, most shared first.
    async fn related(&self, ctx: &Context<'_>) -> GqlResult<Vec<Tag>> {
        Ok(tags::related(&app(ctx)?.db, self.0.id, RELATED)
            .await
            .gql()?
            .into_iter()
            .map(Tag)
            .collect())
    }
}

#[derive(Default)]
pub struct TagQuery;

#[Object]
impl TagQuery {
    /// Tags of public events, containing `filter` when given, by slug.
    async fn tags(
        &self,
        ctx: &Context<'_>,
        filter: Option<String>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<Vec<Tag>> {
        Ok(
            tags::list(&app(ctx)?.db, filter.as_deref(), self::page(page, limit)?)
                .await
                .gql()?
                .into_iter()
                .map(Tag)
                .collect(),
        )
    }
}
