//! The shared inbox (`/inbox`) and actors' inboxes (`/@{name}/inbox`). In order: body size
//! limited (413), JSON checked (400), the sender's domain not blocked (403), an HTTP signature
//! present, in draft-cavage or RFC 9421 form, dated within 12 hours of our clock and covering
//! a body digest that matches (401, see [`crate::signatures`]); then the activity's actor is
//! fetched and the signature checked against its key (401; fetched again once in case the key
//! was rotated), our handlers verify what the sender may do (403), and an activity id already
//! received is a no-op (202). Unknown activity types are accepted and ignored (202). Every
//! refusal is logged with the claimed sender's host.

use std::net::SocketAddr;

use activitypub_federation::config::Data;
use activitypub_federation::fetch::fetch_object_http;
use activitypub_federation::protocol::context::WithContext;
use activitypub_federation::traits::{Activity, Actor, Object};
use axum::body::to_bytes;
use axum::extract::{ConnectInfo, Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use backend::AppContext;
use backend::rate_limits::{self, Client};
use chrono::Utc;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::activities::InboxActivity;
use crate::config::FederationData;
use crate::error::{Error, ErrorBody, Result};
use crate::objects::actor::ApActor;
use crate::protocol::actor::Actor as ActorDocument;
use crate::signatures::{self, Incoming, Signed};

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

/// A refusal before the library runs, with the reason in the body: the peer's operator can act
/// on it (a wrong clock, an unsupported signature scheme).
fn refuse(status: StatusCode, peer: &str, reason: &str) -> Response {
    tracing::warn!(peer, %status, reason, "inbox: request refused");
    let code = status.canonical_reason().unwrap_or("error");
    (status, axum::Json(ErrorBody::because(code, reason))).into_response()
}

/// The host the activity claims to come from, for logs (never an address or an email).
fn peer(activity: &Value) -> String {
    let actor = match &activity["actor"] {
        Value::String(id) => Some(id.as_str()),
        other => other["id"].as_str(),
    };
    actor
        .and_then(|a| Url::parse(a).ok())
        .and_then(|u| authority(&u))
        .unwrap_or_else(|| "unknown".to_owned())
}

async fn receive(data: FederationData, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if let Some(refused) = over_budget(&data, &parts).await {
        return refused;
    }
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
    // Signatures are checked against the wall clock, not the instance's clock, which tests
    // may move.
    let public_url = data.settings.public_url.url();
    let incoming = Incoming {
        method: &parts.method,
        uri: &parts.uri,
        headers: &parts.headers,
        body: &bytes,
        scheme: public_url.scheme(),
        authority: data.domain(),
    };
    let signed = match signatures::read(&incoming, Utc::now()) {
        Ok(signed) => signed,
        Err(refused) => return refuse(StatusCode::UNAUTHORIZED, &peer, &refused.0),
    };
    let received: Received = match serde_json::from_slice(&bytes) {
        Ok(received) => received,
        Err(err) => {
            tracing::warn!(peer, error = %err, "inbox: activity not understood");
            return Error::Malformed(err.to_string()).into_response();
        }
    };
    match receive_signed(received, &signed, &data).await {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(Error::Signature(reason)) => {
            tracing::debug!(
                peer,
                key = signed.key_id,
                scheme = signed.scheme,
                "inbox: bad signature"
            );
            refuse(StatusCode::UNAUTHORIZED, &peer, &reason)
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

/// Counts the request against its client's inbox budget (before any work: reading the body,
/// fetching a key).
async fn over_budget(
    data: &FederationData,
    parts: &axum::http::request::Parts,
) -> Option<Response> {
    let ConnectInfo(peer) = parts.extensions.get::<ConnectInfo<SocketAddr>>()?;
    let client = Client::of_connection(
        peer.ip(),
        parts
            .headers
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok()),
        &data.settings.http.trusted_proxies,
    );
    let budget = data.settings.rate_limits.inbox_per_client;
    match rate_limits::spend_for_client(data.app_data(), "inbox.client", &client, budget).await {
        Ok(()) => None,
        Err(backend::Error::RateLimited { retry_after_secs }) => {
            // The body is not read yet: the sender's claimed host is not known.
            let mut response = refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "unknown",
                "too many activities from this client",
            );
            if let Ok(value) = axum::http::HeaderValue::from_str(&retry_after_secs.to_string()) {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
            Some(response)
        }
        Err(err) => Some(Error::from(err).into_response()),
    }
}

/// What the federation library's `receive_activity` does, with our signature check: the
/// activity must come from another instance, and its actor must have signed the request;
/// then the activity's own checks and handler run.
async fn receive_signed(
    received: Received,
    signed: &Signed,
    data: &Data<AppContext>,
) -> Result<()> {
    if authority(received.id()).as_deref() == Some(data.domain()) {
        return Err(Error::Rejected(
            "an activity of this instance sent to it".to_owned(),
        ));
    }
    signing_actor(received.actor(), signed, data).await?;
    received.verify(data).await?;
    received.receive(data).await
}

/// `host` or `host:port` of a URL, as instances are named here.
fn authority(url: &Url) -> Option<String> {
    url.host_str().map(|host| match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// The remote actor that signed a fetch (a `GET` of one of our objects), when its
/// signature verifies with its key; `None` for an unsigned or badly signed request.
pub(crate) async fn signed_fetcher(
    data: &Data<AppContext>,
    method: &axum::http::Method,
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
) -> Option<entity::actor::Model> {
    let public_url = data.settings.public_url.url();
    let incoming = Incoming {
        method,
        uri,
        headers,
        body: &[],
        scheme: public_url.scheme(),
        authority: data.domain(),
    };
    let signed = signatures::read(&incoming, Utc::now()).ok()?;
    let mut actor_id = Url::parse(&signed.key_id).ok()?;
    actor_id.set_fragment(None);
    match signing_actor(&actor_id, &signed, data).await {
        Ok(actor) => Some(actor.model),
        Err(err) => {
            tracing::debug!(key = signed.key_id, error = %err, "fetch: signature refused");
            None
        }
    }
}

/// How long a stored copy of an actor is used before its document is fetched again.
const ACTOR_REFRESH: chrono::Duration = chrono::Duration::days(1);

/// The actor that signed the request. Its document is fetched when we hold none, when ours is
/// old, or when its key does not verify (the actor may have a new one): and it is stored only
/// once the signature verifies with the key it holds, so a forged request leaves nothing
/// behind.
async fn signing_actor(
    actor_id: &Url,
    signed: &Signed,
    data: &Data<AppContext>,
) -> Result<ApActor> {
    let stored = ApActor::read_from_id(actor_id.clone(), data).await?;
    let mut verified_copy = None;
    if let Some(actor) = stored {
        let refreshed_at = actor.last_refreshed_at();
        match signed.verify(actor.public_key_pem()) {
            Ok(()) if refreshed_at.is_none_or(|at| Utc::now() - at < ACTOR_REFRESH) => {
                return Ok(actor);
            }
            // Old: refreshed below, kept if its instance does not answer.
            Ok(()) => verified_copy = Some(actor),
            // Not fetched again more than once a minute: a stream of bad signatures must not
            // make us hammer someone else's server.
            Err(refused)
                if refreshed_at.is_none_or(|at| Utc::now() - at < chrono::Duration::minutes(1)) =>
            {
                return Err(Error::Signature(refused.0));
            }
            Err(_) => {}
        }
    }
    let fetched = match fetch_object_http::<_, ActorDocument>(actor_id, data).await {
        Ok(fetched) => fetched,
        Err(err) => {
            return match verified_copy {
                Some(actor) => Ok(actor),
                None => Err(err.into()),
            };
        }
    };
    if authority(&fetched.url).as_deref() == Some(data.domain()) {
        return Err(Error::Rejected(
            "a request signed in the name of a local actor".to_owned(),
        ));
    }
    signed
        .verify(&fetched.object.public_key.public_key_pem)
        .map_err(|refused| Error::Signature(refused.0))?;
    ApActor::verify(&fetched.object, &fetched.url, data).await?;
    ApActor::from_json(fetched.object, data).await
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
        crate::origin::verify_same_origin(self.id(), self.actor())?;
        self.0.verify(data).await
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        // The sender may hang up while we act (its timeout, a restart), and the server then
        // drops the request's future. Were the claim to outlive a half-done processing, the
        // sender's retry would be answered "received before" and the activity lost; so the
        // claim, the processing and the release run to their end on a task of their own.
        let data = data.reset_request_count();
        tokio::spawn(async move { Received::process(self.0, &data).await })
            .await
            .map_err(|failed| Error::Internal(format!("inbox: processing failed: {failed}")))?
    }
}

impl Received {
    async fn process(activity: WithContext<InboxActivity>, data: &Data<AppContext>) -> Result<()> {
        let id = activity.id().to_string();
        if !backend::received_activities::claim(&data.db, &id, data.now()).await? {
            tracing::debug!(id, "ignoring an activity received before");
            return Ok(());
        }
        // A panic in a handler must not keep the claim either.
        let handling = data.reset_request_count();
        let result = tokio::spawn(async move { activity.receive(&handling).await })
            .await
            .unwrap_or_else(|failed| {
                Err(Error::Internal(format!("inbox: handler failed: {failed}")))
            });
        if result.is_err()
            && let Err(err) = backend::received_activities::release(&data.db, &id).await
        {
            tracing::error!(id, error = %err, "inbox: could not release a failed activity");
        }
        result
    }
}
