use backend::AppContext;

use crate::graphql::ConviveSchema;

/// What every handler gets: the domain context and the GraphQL schema built once.
#[derive(Clone)]
pub struct AppState {
    pub ctx: AppContext,
    pub schema: ConviveSchema,
    /// The queries the schema was sent before, parsed.
    pub parsed_queries: crate::graphql::parsed::ParsedQueries,
    /// Signed fetches on behalf of local people (`name@host` lookups).
    pub fetcher: federation::SignedConfig,
    /// Feeds already built, by validator, and each feed address's last answer by generation
    /// of the database: this node's own, checked against the database whenever it may have
    /// changed (`backend::changes`).
    pub feeds: crate::kept_feeds::BuiltFeeds,
    /// Event pages for people without a session, kept the same way.
    pub pages: crate::kept_pages::AnonymousPages,
}

impl AppState {
    pub fn new(ctx: AppContext) -> Self {
        let fetcher = federation::SignedConfig::default();
        let schema = crate::graphql::build_schema(ctx.clone(), fetcher.clone());
        Self {
            ctx,
            schema,
            parsed_queries: Default::default(),
            fetcher,
            feeds: Default::default(),
            pages: Default::default(),
        }
    }
}
