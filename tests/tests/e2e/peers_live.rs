//! Gancio following our instance actor, live, against a stand-in that keeps Gancio 1.21's
//! rules (`tests::gancio`): its signed `Follow` without our port in `host` is heard over a
//! real socket, we read its NodeInfo as soon as it follows, and our public events then reach
//! it as it takes them: our instance actor's own `Create`, `Update` and `Delete`, never an
//! `Announce` (which Gancio answers 404).

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::Utc;
use serde_json::{Value, json};
use tests::TestServer;
use tests::federating::{self, wait_for};
use tests::gancio::Gancio;
use tests::people::{sign_up, sign_up_admin};

const CREATE_EVENT: &str = "mutation($title: String!, $begins: DateTime!) {
    createEvent(title: $title, beginsOn: $begins, options: { timezone: \"Europe/Rome\" }) { id uuid }
}";

/// Our instance actor's id and inbox, as its document says.
async fn our_relay(server: &TestServer) -> (String, String) {
    let relay: Value = reqwest::Client::new()
        .get(server.url("/relay"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let inbox = relay["endpoints"]["sharedInbox"]
        .as_str()
        .or(relay["inbox"].as_str())
        .unwrap()
        .to_owned();
    (relay["id"].as_str().unwrap().to_owned(), inbox)
}

/// Our administrator accepts the instance at `domain` as a follower of our instance actor
/// (instance follows wait for an administrator).
async fn accept_instance(server: &TestServer, domain: &str) {
    let admin = sign_up_admin(server, "rosa").await;
    let accepted = admin
        .gql
        .data(
            "mutation($a: String!) { acceptRelay(address: $a) { approved } }",
            json!({ "a": domain }),
        )
        .await;
    assert_eq!(accepted["acceptRelay"]["approved"], true, "{accepted}");
}

async fn relay_followers(server: &TestServer) -> u64 {
    let relay = backend::actors::system::relay(&server.ctx.db)
        .await
        .unwrap();
    backend::groups::followers_count(&server.ctx.db, relay.id)
        .await
        .unwrap()
}

#[tokio::test]
async fn gancios_follow_signed_for_our_host_without_its_port_is_heard_over_a_real_socket() {
    let server = federating::server().await;
    let gancio = Gancio::start("Europe/Rome").await;
    let (relay, inbox) = our_relay(&server).await;
    assert!(
        url::Url::parse(&inbox).unwrap().port().is_some(),
        "our public address has a port: {inbox}"
    );

    // Signed for another server, and sent with a `Host` naming it: refused.
    let forged = gancio
        .follow_signed_for(&relay, &inbox, "elsewhere.example")
        .await;
    assert_eq!(forged.status(), 401, "{}", forged.text().await.unwrap());
    assert_eq!(relay_followers(&server).await, 0);

    // As Gancio sends it: `host: localhost` signed, `Host: localhost` sent.
    let response = gancio.follow(&relay, &inbox).await;
    let status = response.status();
    assert!(
        status.is_success(),
        "{status}: {}",
        response.text().await.unwrap()
    );
    // Heard: it waits for our administrator, who accepts it.
    let pending = backend::actors::remote::find_by_ap_id(&server.ctx.db, &gancio.actor_id())
        .await
        .unwrap();
    assert!(
        pending.is_some(),
        "Gancio's actor was fetched to check its signature"
    );
    assert_eq!(relay_followers(&server).await, 0);
    accept_instance(&server, &gancio.domain).await;
    assert_eq!(relay_followers(&server).await, 1);
    // And it hears our `Accept`.
    wait_for("our Accept at Gancio", || async {
        gancio
            .received()
            .into_iter()
            .find(|r| r.activity["type"] == "Accept")
    })
    .await;
}

#[tokio::test]
async fn gancio_following_our_instance_actor_gets_our_public_events_live_as_it_takes_them() {
    let server = federating::server().await;
    let gancio = Gancio::start("Europe/Rome").await;
    let (relay, inbox) = our_relay(&server).await;
    let response = gancio.follow(&relay, &inbox).await;
    assert!(response.status().is_success(), "{}", response.status());
    accept_instance(&server, &gancio.domain).await;

    // What it runs is read as soon as it follows, before any event of ours or its own.
    let known = wait_for("Gancio's NodeInfo read", || async {
        backend::instances::software::find(&server.ctx.db, &gancio.domain)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(known.software.as_deref(), Some("gancio"));
    assert_eq!(known.timezone.as_deref(), Some("Europe/Rome"));

    let alice = sign_up(&server, "alice").await;
    let begins = Utc::now() + chrono::Duration::days(4);
    let created = alice
        .gql
        .data(
            CREATE_EVENT,
            json!({ "title": "Critical mass", "begins": begins }),
        )
        .await;
    let event_id = created["createEvent"]["id"].as_str().unwrap().to_owned();
    let (owner, event) = wait_for("the event imported by Gancio", || async {
        gancio.events().into_values().next()
    })
    .await;
    assert_eq!(owner, relay, "filed under the actor it follows");
    assert_eq!(event["name"], "Critical mass");
    assert_eq!(event["timezone"], "Europe/Rome");

    alice
        .gql
        .data(
            "mutation($id: ID!) { updateEvent(eventId: $id, title: \"Critical mass, by night\") { id } }",
            json!({ "id": event_id }),
        )
        .await;
    wait_for("the update applied at Gancio", || async {
        gancio
            .events()
            .into_values()
            .find(|(_, e)| e["name"] == "Critical mass, by night")
    })
    .await;

    alice
        .gql
        .data(
            "mutation($id: ID!) { deleteEvent(eventId: $id) { id } }",
            json!({ "id": event_id }),
        )
        .await;
    wait_for("the event gone from Gancio", || async {
        gancio.events().is_empty().then_some(())
    })
    .await;

    let received = gancio.received();
    let kinds: Vec<&str> = received
        .iter()
        .map(|r| r.activity["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["Accept", "Create", "Update", "Delete"],
        "{received:?}"
    );
    for r in &received {
        assert!(
            (200..300).contains(&r.status),
            "answered {}: {}",
            r.status,
            r.activity
        );
        assert_eq!(r.activity["actor"], relay, "{}", r.activity);
    }
}
