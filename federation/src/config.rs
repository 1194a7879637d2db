//! The `activitypub_federation` configuration, with backend's `AppContext` as its app data.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use activitypub_federation::config::{Data, FederationConfig, FederationConfigBuilder};
use activitypub_federation::resolver::ValidatingDnsResolver;
use backend::AppContext;

use crate::error::{Error, Result};
use crate::objects::actor::ApActor;

/// Every outgoing request (fetches and deliveries) waits at most this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub type FederationData = Data<AppContext>;

/// Builds the configuration for this instance. `federation.debug` (off by default) allows
/// plain http, loopback peers and explicit ports, as tests and local trials need.
///
/// Synchronous on purpose, so that the router and job handlers can be built from sync code:
/// the library's `build` is `async` but never waits (it only spawns its unused in-memory
/// queue), so one poll completes it. It must run inside a tokio runtime.
pub fn build_config(ctx: &AppContext) -> Result<FederationConfig<AppContext>> {
    finish(&mut builder(ctx)?)
}

/// Like [`build_config`], with the instance actor (`/relay`) signing every fetch, for peers that
/// refuse unsigned GETs of their actors (Mastodon's "authorized fetch"): the inbox fetches the
/// sender's key with it. Async because the relay's keys come from the database (made on first
/// use). Each configuration starts a background task of the library that never ends: build it
/// once per server, not per request.
pub async fn build_signed_config(ctx: &AppContext) -> Result<FederationConfig<AppContext>> {
    let relay = backend::actors::system::relay(&ctx.db).await?;
    let relay = ApActor::local_with_keys(ctx, relay).await?;
    let mut builder = builder(ctx)?;
    // The library decodes the key here and panics if it cannot: the key is one it generated
    // itself (`keys::ensure`), never one a peer or a setting provides.
    builder.signed_fetch_actor(&relay);
    // Without this the library signs GETs with `(request-target) (created) (expires) accept`
    // only; Mastodon refuses a signature without `host`, bovine one without `date`. The
    // compatible form adds and signs both (and drops `(created)`/`(expires)`).
    builder.http_signature_compat(true);
    finish(&mut builder)
}

/// The signed configuration of one server, built on first use and kept (building one per
/// request would leave a library task behind each time). For fetches made on behalf of local
/// people (`name@host` lookups, follows).
#[derive(Clone, Default)]
pub struct SignedConfig(std::sync::Arc<tokio::sync::OnceCell<FederationConfig<AppContext>>>);

impl SignedConfig {
    pub async fn data(&self, ctx: &AppContext) -> Result<FederationData> {
        let config = self.0.get_or_try_init(|| build_signed_config(ctx)).await?;
        Ok(config.to_request_data())
    }
}

fn builder(ctx: &AppContext) -> Result<FederationConfigBuilder<AppContext>> {
    let mut builder = FederationConfig::builder();
    builder
        .domain(ctx.settings.public_url.host())
        .app_data(ctx.clone())
        .debug(ctx.settings.federation.debug)
        .client(http_client(ctx.settings.federation.debug)?)
        .url_verifier(Box::new(NotBlocked(ctx.db.clone())))
        .http_fetch_limit(50);
    Ok(builder)
}

fn finish(
    builder: &mut FederationConfigBuilder<AppContext>,
) -> Result<FederationConfig<AppContext>> {
    let mut build = pin!(builder.build());
    match build.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(config) => config.map_err(|e| Error::Internal(e.to_string())),
        Poll::Pending => Err(Error::Internal(
            "the federation configuration did not build at once".to_owned(),
        )),
    }
}

/// The HTTP client of every outgoing request. The library's default one refuses private and
/// loopback addresses only in release builds, whatever the configuration says; ours ties that
/// refusal to `federation.debug`, so a release binary can federate with peers on loopback in a
/// trial or a benchmark, and a debug build is as strict as production unless told otherwise.
/// Redirects are not followed automatically because they could not be validated.
pub(crate) fn http_client(debug: bool) -> Result<reqwest_middleware::ClientWithMiddleware> {
    backend::tls::use_ring();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(90))
        .user_agent(concat!("Convive/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(ValidatingDnsResolver::new(Vec::new(), !debug))
        .build()
        .map_err(|e| Error::Internal(format!("HTTP client: {e}")))?;
    Ok(client.into())
}

/// Refuses every fetch from an instance an admin blocked (its actors' keys included, so its
/// signed posts cannot even be checked).
#[derive(Clone)]
struct NotBlocked(sea_orm::DatabaseConnection);

#[async_trait::async_trait]
impl activitypub_federation::config::UrlVerifier for NotBlocked {
    async fn verify(&self, url: &url::Url) -> Result<(), activitypub_federation::error::Error> {
        match backend::domain_blocks::is_url_blocked(&self.0, url.as_str()).await {
            Ok(false) => Ok(()),
            Ok(true) => Err(activitypub_federation::error::Error::UrlVerificationError(
                "this instance is blocked here",
            )),
            Err(err) => Err(activitypub_federation::error::Error::Other(err.to_string())),
        }
    }
}
