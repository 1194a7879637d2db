//! CORS for the API: pages of the allowed origins (`graphql.allowed_origins`, every origin by
//! default, as Mobilizon) may call it from a browser, preflights included. No
//! `Access-Control-Allow-Credentials` is ever sent, and the API reads only the
//! `Authorization` header: a page elsewhere reads what anyone may read, and acts as a user
//! only with an access token that user gave it, never with their session cookie.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, header};
use backend::settings::GraphqlSettings;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may keep a preflight's answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

pub fn layer(settings: &GraphqlSettings) -> CorsLayer {
    let origins = if settings.allowed_origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        // Checked when the settings were loaded.
        AllowOrigin::list(
            settings
                .allowed_origins
                .iter()
                .filter_map(|origin| HeaderValue::from_str(origin).ok()),
        )
    };
    CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("apollo-require-preflight"),
            HeaderName::from_static("x-apollo-operation-name"),
        ])
        .max_age(PREFLIGHT_MAX_AGE)
}
