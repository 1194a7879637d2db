//! The shared inbox (`/inbox`) and actors' inboxes (`/@{name}/inbox`). In order:
//! body size limited (413), JSON checked (400), a draft-cavage `Signature` and a `Date` within
//! [`MAX_CLOCK_SKEW_HOURS`] of our clock required (401), then the library checks the `Digest`
//! and the signature against the key of the activity's `actor` (401; it also expires
//! signatures an hour after their `Date`), our handlers verify what the sender may do (403),
//! and an activity id already received is a no-op (202). Unknown activity types are accepted
//! and ignored (202). Every refusal is logged with the claimed sender's host.
//!
//! RFC 9421 signatures (`Signature-Input`) are not verified yet: such requests get a 401 that
//! says so, which is what makes double-knocking peers retry with draft-cavage.

use std::sync::Arc;

use activitypub_federation::axum::inbox::{ActivityData, receive_activity};
use activitypub_federation::config::{Data, FederationConfig};
use activitypub_federation::error::Error as ApError;
use activitypub_federation::protocol::context::WithContext;
use activitypub_federation::traits::Activity;
use axum::body::{Body, to_bytes};
use axum::extract::{Extension, FromRequest, Path, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use backend::AppContext;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use url::Url;

use crate::activities::InboxActivity;
use crate::config::FederationData;
use crate::error::{Error, Result};
use crate::objects::actor::ApActor;

/// Activities larger than this are refused (Mastodon's limit is similar).
pub const MAX_ACTIVITY_BYTES: usize = 1024 * 1024;

/// How far a request's `Date` may be from our clock, either way (Mastodon's window).
pub const MAX_CLOCK_SKEW_HOURS: i64 = 12;

/// The configuration the inbox fetches senders' keys with: the instance actor signs those
/// fetches. Built on the first request (it needs the database), then shared by every request
/// of this server; `routes` adds it as an extension.
#[derive(Clone, Default)]
pub struct InboxConfig(Arc<OnceCell<FederationConfig<AppContext>>>);

impl InboxConfig {
    async fn data(&self, unsigned: &FederationData) -> FederationData {
        let built = self
            .0
            .get_or_try_init(|| crate::config::build_signed_config(unsigned.app_data()))
            .await;
        match built {
            Ok(config) => config.to_request_data(),
            Err(err) => {
                // Peers that accept unsigned fetches still work; the next request tries again.
                tracing::error!(error = %err, "inbox: fetches will not be signed");
                unsigned.reset_request_count()
            }
        }
    }
}

pub async fn shared(
    data: FederationData,
    Extension(config): Extension<InboxConfig>,
    request: Request,
) -> Response {
    receive(config.data(&data).await, request).await
}

pub async fn personal(
    data: FederationData,
    Extension(config): Extension<InboxConfig>,
    Path(handle): Path<String>,
    request: Request,
) -> Response {
    let Some(name) = handle.strip_prefix('@') else {
        return Error::NotFound.into_response();
    };
    match backend::actors::find_local_by_username(&data.db, name).await {
        Ok(Some(actor)) if !actor.suspended => receive(config.data(&data).await, request).await,
        Ok(_) => Error::NotFound.into_response(),
        Err(err) => Error::from(err).into_response(),
    }
}

/// A refusal before the library runs, with the reason in the body: the peer's operator can act
/// on it (a wrong clock, an unsupported signature scheme).
fn refuse(status: StatusCode, peer: &str, reason: &str) -> Response {
    tracing::warn!(peer, %status, reason, "inbox: request refused");
    let code = status.canonical_reason().unwrap_or("error");
    (
        status,
        axum::Json(json!({ "error": code, "reason": reason })),
    )
        .into_response()
}

/// The host the activity claims to come from, for logs (never an address or an email).
fn peer(activity: &Value) -> String {
    let actor = match &activity["actor"] {
        Value::String(id) => Some(id.as_str()),
        other => other["id"].as_str(),
    };
    actor
        .and_then(|a| Url::parse(a).ok())
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(port) => format!("{h}:{port}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Checks what the library does not: that the request is signed with a scheme we verify, and
/// that its `Date` is present and close to our clock.
fn check_headers(headers: &HeaderMap, now: DateTime<Utc>) -> Result<(), &'static str> {
    // RFC 9421 reuses the `Signature` header name with another syntax; `Signature-Input`
    // tells them apart.
    if headers.contains_key("signature-input") {
        return Err(
            "RFC 9421 signatures are not supported here: sign with draft-cavage HTTP signatures",
        );
    }
    if !headers.contains_key("signature") {
        return Err("the request is not signed (HTTP signature required)");
    }
    let date = headers
        .get("date")
        .ok_or("the request has no Date header")?
        .to_str()
        .map_err(|_| "the Date header is not an HTTP date")?;
    let date = DateTime::parse_from_rfc2822(date)
        .map_err(|_| "the Date header is not an HTTP date")?
        .with_timezone(&Utc);
    if (now - date).abs() > chrono::Duration::hours(MAX_CLOCK_SKEW_HOURS) {
        return Err("the Date header is more than 12 hours away from this server's clock");
    }
    Ok(())
}

async fn receive(data: FederationData, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ACTIVITY_BYTES).await else {
        return refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "unknown",
            "activity too large",
        );
    };
    let activity = match serde_json::from_slice::<Value>(&bytes) {
        Ok(activity) => activity,
        Err(err) => {
            tracing::warn!(error = %err, "inbox: body is not JSON");
            return Error::Malformed(err.to_string()).into_response();
        }
    };
    let peer = peer(&activity);
    match backend::domain_blocks::is_blocked(&data.db, &peer).await {
        Ok(false) => {}
        Ok(true) => {
            return refuse(
                StatusCode::FORBIDDEN,
                &peer,
                "this instance is blocked here",
            );
        }
        Err(err) => return Error::from(err).into_response(),
    }
    // Signatures are checked against the wall clock (the library uses it too), not the
    // instance's clock, which tests may move.
    if let Err(reason) = check_headers(&parts.headers, Utc::now()) {
        return refuse(StatusCode::UNAUTHORIZED, &peer, reason);
    }
    let request = Request::from_parts(parts, Body::from(bytes));
    let received = match ActivityData::from_request(request, &()).await {
        Ok(received) => received,
        Err(rejection) => return rejection,
    };
    match receive_activity::<Received, ApActor, _>(received, &data).await {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        // The library reports a signature it cannot check (expired, missing a required
        // header, unparsable) as `Other`, which would otherwise be a 500.
        Err(Error::Federation(ApError::Other(why))) => {
            tracing::debug!(peer, why, "inbox: signature not verifiable");
            refuse(
                StatusCode::UNAUTHORIZED,
                &peer,
                "the HTTP signature is invalid or expired (signatures are valid for an hour after their Date)",
            )
        }
        Err(err) => {
            let status = err.status();
            if status.is_client_error() {
                tracing::warn!(
                    peer,
                    activity = activity["id"].as_str().unwrap_or("none"),
                    kind = activity["type"].as_str().unwrap_or("none"),
                    %status,
                    error = %err,
                    "inbox: activity refused"
                );
            }
            err.into_response()
        }
    }
}

/// An incoming activity, processed at most once: its id is claimed (durably) after the
/// signature and the sender's rights are verified, and released if processing fails, so that
/// the sender's retry is processed but a replay is not.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
struct Received(WithContext<InboxActivity>);

#[async_trait::async_trait]
impl Activity for Received {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        self.0.id()
    }

    fn actor(&self) -> &Url {
        self.0.actor()
    }

    async fn verify(&self, data: &Data<AppContext>) -> Result<()> {
        if self.id().as_str().len() > backend::received_activities::MAX_ACTIVITY_ID_LEN {
            return Err(Error::Malformed("activity id too long".to_owned()));
        }
        crate::activities::verify_same_origin(self.id(), self.actor())?;
        self.0.verify(data).await
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        let id = self.id().to_string();
        if !backend::received_activities::claim(&data.db, &id, data.now()).await? {
            tracing::debug!(id, "ignoring an activity received before");
            return Ok(());
        }
        let result = self.0.receive(data).await;
        if result.is_err()
            && let Err(err) = backend::received_activities::release(&data.db, &id).await
        {
            tracing::error!(id, error = %err, "inbox: could not release a failed activity");
        }
        result
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use axum::http::HeaderValue;

    fn headers(date: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("signature", HeaderValue::from_static("keyId=\"x\""));
        if let Some(date) = date {
            headers.insert("date", HeaderValue::from_str(date).unwrap());
        }
        headers
    }

    #[test]
    fn a_date_within_twelve_hours_either_way_passes_and_others_are_refused() {
        let now = DateTime::parse_from_rfc2822("Thu, 26 Nov 2026 12:00:00 GMT")
            .unwrap()
            .with_timezone(&Utc);
        assert!(check_headers(&headers(Some("Thu, 26 Nov 2026 01:00:00 GMT")), now).is_ok());
        assert!(check_headers(&headers(Some("Thu, 26 Nov 2026 23:00:00 GMT")), now).is_ok());
        for stale in [
            "Wed, 25 Nov 2026 23:59:00 GMT",
            "Fri, 27 Nov 2026 00:01:00 GMT",
        ] {
            let refused = check_headers(&headers(Some(stale)), now).unwrap_err();
            assert!(refused.contains("12 hours"), "{stale}: {refused}");
        }
        assert!(check_headers(&headers(Some("yesterday")), now).is_err());
        assert!(check_headers(&headers(None), now).is_err());
        assert!(check_headers(&HeaderMap::new(), now).is_err());
    }

    fn httpdate_now() -> String {
        Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string()
    }

    #[test]
    fn an_rfc_9421_signature_is_refused_with_a_reason_that_names_it() {
        let mut headers = headers(Some(&httpdate_now()));
        headers.insert("signature-input", HeaderValue::from_static("sig1=()"));
        let refused = check_headers(&headers, Utc::now()).unwrap_err();
        assert!(refused.contains("RFC 9421"), "{refused}");
    }
}
