//! The edge of Convive and its composition root: the `convive` binary's command line and
//! start-up, the axum router (`app`), the GraphQL schema (thin adapters over backend
//! services), HTML pages, feeds and static files. No domain rule lives here: handlers translate
//! requests into backend calls and results into responses.

mod built;
pub mod cli;
mod client;
mod exports;
mod feeds;
pub mod graphql;
mod health;
mod http_error;
mod kept_feeds;
mod kept_pages;
mod media;
pub mod pages;
mod serve;
pub mod startup;
pub mod state;
mod tiles;

use axum::Router;
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use state::AppState;

/// The whole HTTP surface of an instance.
pub fn app(state: AppState) -> Router {
    // Mobilizon's clients use `/api`; `/graphql` is kept for those written for Convive.
    let api = ["/api", "/api/", "/graphql"]
        .into_iter()
        .fold(Router::new(), |api, path| {
            api.route(
                path,
                get(graphql::http::explorer).post(graphql::http::execute),
            )
        })
        .layer(graphql::cors::layer(&state.ctx.settings.graphql));
    let router = Router::new()
        .merge(api)
        .route("/api/health", get(health::health))
        .merge(feeds::routes())
        .merge(exports::routes())
        .merge(media::routes())
        .merge(pages::routes())
        .merge(tiles::routes());
    let router = if state.ctx.settings.federation.enabled {
        router.merge(federation::routes(&state.federation))
    } else {
        router
    };
    router
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
