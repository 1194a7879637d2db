//! The `activitypub_federation` configuration, with backend's `AppContext` as its app data.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use activitypub_federation::config::{Data, FederationConfig};
use backend::AppContext;

use crate::error::{Error, Result};

pub type FederationData = Data<AppContext>;

/// Builds the configuration for this instance. `federation.debug` (off by default) allows
/// plain http, loopback peers and explicit ports, as tests and local trials need.
///
/// Synchronous on purpose, so that the router and job handlers can be built from sync code:
/// the library's `build` is `async` but never waits (it only spawns its unused in-memory
/// queue), so one poll completes it. It must run inside a tokio runtime.
pub fn build_config(ctx: &AppContext) -> Result<FederationConfig<AppContext>> {
    let mut builder = FederationConfig::builder();
    builder
        .domain(ctx.settings.public_url.host())
        .app_data(ctx.clone())
        .debug(ctx.settings.federation.debug)
        .http_fetch_limit(50);
    let mut build = pin!(builder.build());
    match build.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(config) => config.map_err(|e| Error::Internal(e.to_string())),
        Poll::Pending => Err(Error::Internal(
            "the federation configuration did not build at once".to_owned(),
        )),
    }
}
