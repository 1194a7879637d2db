//! `/interact?uri=…`, Mobilizon's remote-interaction entry: the address of an event, group or
//! person, here or on another instance, leads to our page for it. What we already know is
//! found in the database; anything else is fetched through federation's resolver, with its
//! bounds and its refusal of blocked instances.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use entity::ActorKind;
use serde::Deserialize;
use url::Url;

use super::{Visitor, message_page, see_other};
use crate::state::AppState;

/// Longer than any address an instance gives its objects; refused before any lookup.
const MAX_URI_CHARS: usize = 2048;

pub fn routes() -> Router<AppState> {
    Router::new().route("/interact", get(interact))
}

#[derive(Deserialize)]
pub struct InteractQuery {
    uri: Option<String>,
}

/// Why an address leads nowhere, each said in the visitor's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Missing,
    Malformed,
    Blocked,
    NotFound,
}

impl Refusal {
    fn status(self) -> StatusCode {
        match self {
            Refusal::Missing | Refusal::Malformed => StatusCode::BAD_REQUEST,
            Refusal::Blocked => StatusCode::FORBIDDEN,
            Refusal::NotFound => StatusCode::NOT_FOUND,
        }
    }

    fn message_key(self) -> &'static str {
        match self {
            Refusal::Missing => "interact-missing",
            Refusal::Malformed => "interact-malformed",
            Refusal::Blocked => "interact-blocked",
            Refusal::NotFound => "interact-not-found",
        }
    }
}

pub async fn interact(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<InteractQuery>,
) -> Response {
    match local_page(&state, query.uri.as_deref()).await {
        Ok(to) => see_other(&visitor, &to),
        Err(refusal) => message_page(
            visitor,
            refusal.status(),
            "interact-title",
            refusal.message_key(),
        ),
    }
}

/// Checks the address, then finds what it names and the path of our page for it.
async fn local_page(state: &AppState, raw: Option<&str>) -> Result<String, Refusal> {
    let raw = raw
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .ok_or(Refusal::Missing)?;
    if raw.chars().count() > MAX_URI_CHARS {
        return Err(Refusal::Malformed);
    }
    let url = Url::parse(raw).map_err(|_| Refusal::Malformed)?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(Refusal::Malformed);
    }
    let ctx = &state.ctx;
    match backend::domain_blocks::is_url_blocked(&ctx.db, url.as_str()).await {
        Ok(false) => {}
        Ok(true) => return Err(Refusal::Blocked),
        Err(err) => {
            tracing::error!(error = %err, "interact: could not check blocked instances");
            return Err(Refusal::NotFound);
        }
    }
    // Without federation only our own addresses are looked up: nothing is fetched.
    let ours = Url::parse(&ctx.url("/")).is_ok_and(|o| o.origin() == url.origin());
    if !ctx.settings.federation.enabled && !ours {
        return Err(Refusal::NotFound);
    }
    match federation::resolve(&state.federation, ctx, url.as_str()).await {
        Ok(federation::Resolved::Event(event)) => Ok(format!("/events/{}", event.uuid)),
        Ok(federation::Resolved::Actor(actor))
            if !actor.suspended && actor.kind != ActorKind::Application =>
        {
            Ok(format!("/@{}", backend::actors::handle(&actor)))
        }
        Ok(federation::Resolved::Actor(_)) => Err(Refusal::NotFound),
        Err(err) => {
            tracing::debug!(error = %err, "interact: the address did not resolve");
            Err(Refusal::NotFound)
        }
    }
}
