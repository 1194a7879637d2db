//! Which client a request comes from, for the rate limits: the connection's address, or the
//! one a trusted reverse proxy names (`http.trusted_proxies`).

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use backend::rate_limits::Client;

use crate::state::AppState;

/// The client of a request. Without a connection's address (a router called in-process) the
/// request is the instance's own.
pub fn of_request(state: &AppState, extensions: &Extensions, headers: &HeaderMap) -> Client {
    let Some(ConnectInfo(peer)) = extensions.get::<ConnectInfo<SocketAddr>>() else {
        return Client::Local;
    };
    let forwarded_for = headers
        .get("x-forwarded-for")
        .and_then(|value| value.to_str().ok());
    Client::of_connection(
        peer.ip(),
        forwarded_for,
        &state.ctx.settings.http.trusted_proxies,
    )
}

/// Extracts the request's [`Client`].
pub struct RequestClient(pub Client);

impl FromRequestParts<AppState> for RequestClient {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        Ok(Self(of_request(state, &parts.extensions, &parts.headers)))
    }
}
