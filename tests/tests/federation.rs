//! Two real instances on loopback federate: a person on B follows a group on A through
//! WebFinger and a signed `Follow`, A accepts, and A's public event reaches B (created,
//! updated, cancelled, deleted) through durable, signed deliveries. Plus what a peer must never
//! get away with (unsigned or malformed posts) and the discovery documents.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::time::Duration;

use backend::settings::PublicUrl;
use chrono::Utc;
use serde_json::{Value, json};
use tests::TestServer;
use tests::people::sign_up;

/// An instance that allows plain http and loopback peers, named `localhost:PORT` (the
/// federation library wants host names, not IP addresses, in actor ids).
async fn federating_server() -> TestServer {
    TestServer::builder()
        .settings(|s| {
            s.federation.debug = true;
            s.public_url =
                PublicUrl::parse(&format!("http://localhost:{}", s.bind.0.port())).unwrap();
        })
        .start()
        .await
}

async fn wait_for<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
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

const CREATE_GROUP: &str = "mutation($u: String!) {
    createGroup(preferredUsername: $u, name: \"Repair collective\", openness: OPEN, visibility: PUBLIC) { id }
}";
const CREATE_EVENT: &str = "mutation($group: ID!, $begins: DateTime!) {
    createEvent(attributedToId: $group, title: \"Repair café\", description: \"<p>Bring what is broken</p>\",
        beginsOn: $begins, tags: [\"repair\"],
        physicalAddress: { description: \"Maison des associations\", locality: \"Lyon\", geom: \"4.8357;45.7640\" },
        options: { timezone: \"Europe/Paris\" }) { id uuid }
}";

#[tokio::test]
async fn a_person_on_b_follows_a_group_on_a_and_receives_its_event_and_each_change() {
    let a = federating_server().await;
    let b = federating_server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    sign_up(&b, "bob").await;
    let bob = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();

    let a_host = a.ctx.settings.public_url.host();
    let follow = federation::follow_remote(&b.ctx, &bob, &format!("repair@{a_host}"))
        .await
        .expect("B resolves the group by WebFinger and follows it");
    assert!(!follow.approved, "pending until A accepts");

    let a_group = backend::actors::find_local_by_username(&a.ctx.db, "repair")
        .await
        .unwrap()
        .unwrap();
    wait_for("A to record B's follower", || async {
        let n = backend::groups::followers_count(&a.ctx.db, a_group.id)
            .await
            .unwrap();
        (n == 1).then_some(())
    })
    .await;
    wait_for("B to receive A's Accept", || async {
        let f = backend::groups::follows::find_follow(&b.ctx.db, bob.id, follow.target_id)
            .await
            .unwrap()?;
        f.approved.then_some(())
    })
    .await;

    let begins = Utc::now() + chrono::Duration::days(3);
    let created = alice
        .gql
        .data(CREATE_EVENT, json!({ "group": group_id, "begins": begins }))
        .await;
    let event_id = created["createEvent"]["id"].as_str().unwrap().to_owned();
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let ap_id = a.ctx.url(&format!("/events/{uuid}"));

    let stored = wait_for("the event on B", || async {
        backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
    })
    .await;
    assert!(!stored.local);
    assert_eq!(stored.title, "Repair café");
    assert_eq!(stored.timezone, "Europe/Paris");
    assert_eq!(stored.attributed_to_id, Some(follow.target_id));
    let found = b
        .gql()
        .data(
            "query { searchEvents(term: \"repair\") { total elements { title } } }",
            json!({}),
        )
        .await;
    assert_eq!(found["searchEvents"]["total"], 1, "{found:#}");

    alice
        .gql
        .data(
            "mutation($id: ID!) { updateEvent(eventId: $id, title: \"Repair café, second edition\") { id } }",
            json!({ "id": event_id }),
        )
        .await;
    wait_for("the new title on B", || async {
        let e = backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()?;
        (e.title == "Repair café, second edition").then_some(())
    })
    .await;

    alice
        .gql
        .data(
            "mutation($id: ID!) { updateEvent(eventId: $id, status: CANCELLED) { id } }",
            json!({ "id": event_id }),
        )
        .await;
    wait_for("the cancellation on B", || async {
        let e = backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()?;
        (e.status == entity::EventStatus::Cancelled).then_some(())
    })
    .await;

    alice
        .gql
        .data(
            "mutation($id: ID!) { deleteEvent(eventId: $id) { id } }",
            json!({ "id": event_id }),
        )
        .await;
    wait_for("the deletion on B", || async {
        backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
            .is_none()
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn unsigned_and_malformed_posts_to_an_inbox_are_refused() {
    let a = federating_server().await;
    let http = reqwest::Client::new();
    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "http://localhost:1/follows/1",
        "type": "Follow",
        "actor": "http://localhost:1/@mallory",
        "object": a.ctx.url("/relay"),
    });
    let unsigned = http
        .post(a.url("/inbox"))
        .header("content-type", "application/activity+json")
        .body(follow.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);

    let malformed = http
        .post(a.url("/inbox"))
        .header("content-type", "application/activity+json")
        .body("{ not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);

    let nobody = http
        .post(a.url("/@nobody/inbox"))
        .body(follow.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(nobody.status(), 404);
}

#[tokio::test]
async fn webfinger_nodeinfo_and_actor_documents_describe_the_instance() {
    let a = federating_server().await;
    let alice = sign_up(&a, "alice").await;
    alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let http = reqwest::Client::new();
    let host = a.ctx.settings.public_url.host();

    let missing = http
        .get(a.url("/.well-known/webfinger"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400);
    let unknown = http
        .get(a.url(&format!(
            "/.well-known/webfinger?resource=acct:nobody@{host}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let found = http
        .get(a.url(&format!(
            "/.well-known/webfinger?resource=acct:repair@{host}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), 200);
    assert_eq!(found.headers()["access-control-allow-origin"], "*");
    let finger: Value = found.json().await.unwrap();
    assert_eq!(finger["subject"], format!("acct:repair@{host}"));
    let self_link = finger["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "self")
        .unwrap();
    assert_eq!(self_link["href"], a.ctx.url("/@repair"));

    let group: Value = http
        .get(a.url("/@repair"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(group["type"], "Group");
    assert_eq!(group["openness"], "open");
    assert_eq!(group["memberCount"], 1);
    assert_eq!(group["endpoints"]["sharedInbox"], a.ctx.url("/inbox"));
    assert!(
        group["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----")
    );
    let html = http
        .get(a.url("/@repair"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        html.status(),
        200,
        "browsers get the HTML page at the same address"
    );
    assert!(html.text().await.unwrap().contains("<!DOCTYPE html>"));

    let relay: Value = http
        .get(a.url("/relay"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(relay["type"], "Application");
    assert_eq!(relay["preferredUsername"], "relay");

    let links: Value = http
        .get(a.url("/.well-known/nodeinfo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(links["links"].as_array().unwrap().len(), 3);
    let nodeinfo: Value = http
        .get(a.url("/nodeinfo/2.1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(nodeinfo["software"]["name"], "convive");
    assert_eq!(nodeinfo["openRegistrations"], true);
    assert_eq!(nodeinfo["usage"]["localPosts"], 0);
    assert_eq!(nodeinfo["usage"]["users"]["total"], 1);
}
