use backend::AppContext;

use crate::graphql::ConviveSchema;

/// What every handler gets: the domain context and the GraphQL schema built once.
#[derive(Clone)]
pub struct AppState {
    pub ctx: AppContext,
    pub schema: ConviveSchema,
}

impl AppState {
    pub fn new(ctx: AppContext) -> Self {
        let schema = crate::graphql::build_schema(ctx.clone());
        Self { ctx, schema }
    }
}
