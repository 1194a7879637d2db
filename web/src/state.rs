use std::sync::Arc;

use backend::AppContext;

use crate::graphql::ConviveSchema;

/// What every handler gets, behind one pointer: axum clones the state for each request, and
/// cloning the parts one by one (the context's pools, settings, caches and the federation's
/// configuration, a dozen reference counts) was ~14% of serving a kept thumbnail.
#[derive(Clone)]
pub struct AppState(Arc<StateParts>);

/// The domain context and the GraphQL schema built once, with this node's kept answers.
pub struct StateParts {
    pub ctx: AppContext,
    pub schema: ConviveSchema,
    /// The queries the schema was sent before, parsed.
    pub parsed_queries: crate::graphql::parsed::ParsedQueries,
    /// Federation's configuration, built at start-up: its routes, and signed fetches on
    /// behalf of local people (`name@host` lookups).
    pub federation: federation::Federation,
    /// Feeds already built, by validator, and each feed address's last answer by generation
    /// of the database: this node's own, checked against the database whenever it may have
    /// changed (`backend::changes`).
    pub feeds: crate::kept_feeds::BuiltFeeds,
    /// Event pages for people without a session, kept the same way.
    pub pages: crate::kept_pages::KeptPages,
}

impl std::ops::Deref for AppState {
    type Target = StateParts;

    fn deref(&self) -> &StateParts {
        &self.0
    }
}

impl AppState {
    pub fn new(ctx: AppContext, federation: federation::Federation) -> Self {
        let schema = crate::graphql::build_schema(ctx.clone(), federation.clone());
        Self(Arc::new(StateParts {
            ctx,
            schema,
            parsed_queries: Default::default(),
            federation,
            feeds: Default::default(),
            pages: Default::default(),
        }))
    }
}
