use backend::AppContext;

use crate::graphql::ConviveSchema;

/// What every handler gets: the domain context and the GraphQL schema built once.
#[derive(Clone)]
pub struct AppState {
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
    pub pages: crate::kept_pages::AnonymousPages,
}

impl AppState {
    pub fn new(ctx: AppContext, federation: federation::Federation) -> Self {
        let schema = crate::graphql::build_schema(ctx.clone(), federation.clone());
        Self {
            ctx,
            schema,
            parsed_queries: Default::default(),
            federation,
            feeds: Default::default(),
            pages: Default::default(),
        }
    }
}
