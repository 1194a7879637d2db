//! The shared inbox (`/inbox`) and actors' inboxes (`/@{name}/inbox`): body size limited, JSON
//! checked (400), then the library verifies digest and signature (401) before our handlers run.

use activitypub_federation::axum::inbox::{ActivityData, receive_activity};
use activitypub_federation::protocol::context::WithContext;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::activities::InboxActivity;
use crate::config::FederationData;
use crate::error::Error;
use crate::objects::actor::ApActor;

/// Activities larger than this are refused (Mastodon's limit is similar).
pub const MAX_ACTIVITY_BYTES: usize = 1024 * 1024;

pub async fn shared(data: FederationData, request: Request) -> Response {
    receive(data, request).await
}

pub async fn personal(
    data: FederationData,
    Path(handle): Path<String>,
    request: Request,
) -> Response {
    let Some(name) = handle.strip_prefix('@') else {
        return Error::NotFound.into_response();
    };
    match backend::actors::find_local_by_username(&data.db, name).await {
        Ok(Some(actor)) if !actor.suspended => receive(data, request).await,
        Ok(_) => Error::NotFound.into_response(),
        Err(err) => Error::from(err).into_response(),
    }
}

async fn receive(data: FederationData, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ACTIVITY_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "activity too large").into_response();
    };
    if let Err(err) = serde_json::from_slice::<serde_json::Value>(&bytes) {
        tracing::warn!(error = %err, "inbox: body is not JSON");
        return Error::Malformed(err.to_string()).into_response();
    }
    let request = Request::from_parts(parts, Body::from(bytes));
    let activity = match ActivityData::from_request(request, &()).await {
        Ok(activity) => activity,
        Err(rejection) => return rejection,
    };
    match receive_activity::<WithContext<InboxActivity>, ApActor, _>(activity, &data).await {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(err) => err.into_response(),
    }
}
