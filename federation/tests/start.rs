//! Federation's configuration is built once at start-up, and one that cannot work stops the
//! start with the setting to fix.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use backend::settings::PublicUrl;
use backend::testing::TestContext;

#[tokio::test]
async fn a_public_url_other_instances_cannot_use_stops_federation_at_start_naming_the_key() {
    let t = TestContext::with_settings(|s| {
        s.public_url = PublicUrl::parse("http://my_events.example").unwrap();
    })
    .await;
    let Err(err) = federation::Federation::start(&t.ctx).await else {
        panic!("a host with `_` cannot federate");
    };
    let message = err.to_string();
    assert!(
        message.starts_with("invalid configuration: key \"public_url\""),
        "{message}"
    );
}

#[tokio::test]
async fn the_same_public_url_is_fine_when_federation_is_off() {
    let t = TestContext::with_settings(|s| {
        s.public_url = PublicUrl::parse("http://my_events.example").unwrap();
        s.federation.enabled = false;
    })
    .await;
    assert!(federation::Federation::start(&t.ctx).await.is_ok());
}

#[tokio::test]
async fn a_usable_configuration_starts_with_the_instance_actor_keyed_for_signed_fetches() {
    let t = TestContext::new().await;
    federation::Federation::start(&t.ctx).await.unwrap();
    let relay = backend::actors::system::relay(&t.ctx.db).await.unwrap();
    assert!(relay.private_key_pem.is_some());
}
