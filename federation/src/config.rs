//! The instance's `activitypub_federation` configuration, with backend's `AppContext` as its
//! app data: built once at start-up ([`Federation::start`]) and handed to the routes, the
//! delivery job and the lookups made for people here. A configuration that cannot work stops
//! the server there, naming the setting to fix.

use std::time::Duration;

use activitypub_federation::config::{Data, FederationConfig, FederationConfigBuilder};
use activitypub_federation::resolver::ValidatingDnsResolver;
use backend::AppContext;
use rsa::pkcs8::DecodePrivateKey;

use crate::error::{Error, Result};
use crate::objects::actor::ApActor;

/// Every outgoing request (fetches and deliveries) waits at most this long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

pub type FederationData = Data<AppContext>;

/// Federation as this instance runs it. `federation.debug` (off by default) allows plain
/// http, loopback peers and explicit ports, as tests and local trials need.
///
/// It holds two configurations of the library because the library ties the form of HTTP
/// signatures to a configuration: fetches (and the inbox's fetches of senders' keys) are
/// signed by the instance actor (`/relay`) in the form Mastodon's "authorized fetch" and
/// bovine require (`host` and `date` signed), while deliveries keep the form they were
/// always signed in, by their sender.
#[derive(Clone)]
pub struct Federation {
    signed: FederationConfig<AppContext>,
    deliveries: FederationConfig<AppContext>,
}

impl Federation {
    /// Builds the configuration, making the instance actor's keys on a first start. Each
    /// configuration starts a background task of the library that never ends: build this
    /// once per server.
    pub async fn start(ctx: &AppContext) -> Result<Self> {
        if ctx.settings.federation.enabled {
            check_public_url(ctx)?;
        }
        let relay = backend::actors::system::relay(&ctx.db).await?;
        let relay = ApActor::local_with_keys(ctx, relay).await?;
        // The library decodes the key itself and panics if it cannot: read it first.
        let key = relay.model.private_key_pem.as_deref().unwrap_or_default();
        if let Err(err) = rsa::RsaPrivateKey::from_pkcs8_pem(key) {
            return Err(Error::Internal(format!(
                "the instance actor's private key cannot be read ({err}); \
                 its row in `actors` (preferred_username \"relay\") needs new keys"
            )));
        }
        let mut signed = builder(ctx)?;
        signed.signed_fetch_actor(&relay);
        // Without this the library signs GETs with `(request-target) (created) (expires)
        // accept` only; Mastodon refuses a signature without `host`, bovine one without
        // `date`. The compatible form adds and signs both (and drops `(created)`/`(expires)`).
        signed.http_signature_compat(true);
        Ok(Self {
            signed: finish(&mut signed).await?,
            deliveries: finish(&mut builder(ctx)?).await?,
        })
    }

    /// Request data for fetches made for people here (`name@host` lookups, follows) and for
    /// the inbox.
    pub fn data(&self) -> FederationData {
        self.signed.to_request_data()
    }

    pub(crate) fn delivery_data(&self) -> FederationData {
        self.deliveries.to_request_data()
    }

    /// The configuration requests to our routes are served with.
    pub(crate) fn served(&self) -> FederationConfig<AppContext> {
        self.signed.clone()
    }
}

/// Other instances must be able to reach and verify our addresses: a host the library
/// refuses (characters outside `[a-zA-Z0-9.-]`, such as `_`) would make every exchange fail
/// later, one peer at a time.
fn check_public_url(ctx: &AppContext) -> Result<()> {
    let url = ctx.settings.public_url.url();
    let host = url.host_str().unwrap_or_default();
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
    {
        return Err(Error::Config {
            key: "public_url",
            reason: format!(
                "\"{url}\" has a host other instances cannot use (only letters, digits, `.` \
                 and `-`); fix it, or set federation.enabled = false"
            ),
        });
    }
    Ok(())
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

async fn finish(
    builder: &mut FederationConfigBuilder<AppContext>,
) -> Result<FederationConfig<AppContext>> {
    builder
        .build()
        .await
        .map_err(|e| Error::Internal(format!("the federation configuration: {e}")))
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
