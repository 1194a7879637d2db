//! Instances that federate with each other on loopback, and waiting for what travels between
//! them.

use std::time::Duration;

use backend::settings::PublicUrl;

use crate::{TestServer, TestServerBuilder};

/// An instance that allows plain http and loopback peers, named `localhost:PORT` (the
/// federation library wants host names, not IP addresses, in actor ids).
pub fn builder() -> TestServerBuilder {
    TestServer::builder().settings(|s| {
        s.federation.debug = true;
        s.public_url = PublicUrl::parse(&format!("http://localhost:{}", s.bind.0.port()))
            .expect("a loopback public URL");
    })
}

pub async fn server() -> TestServer {
    builder().start().await
}

/// Polls `check` until it finds something. Deliveries are asynchronous, and one that fails
/// on a busy machine (a peer's timeout) is retried 24–36 s later, as in production: the wait
/// lasts past one retry, so that a single failed attempt is not a failed test.
pub async fn wait_for<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(75);
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
