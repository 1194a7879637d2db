//! A suspension made on one instance, seen from another: A's moderator suspends alice, whose
//! group event B follows; B hears it as alice's `Delete` and her event leaves B. A suspension
//! of a remote actor stays on the instance that made it.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::Utc;
use serde_json::json;
use tests::TestServer;
use tests::federating::{self, wait_for};
use tests::people::{sign_up, sign_up_moderator};

const CREATE_GROUP: &str = "mutation {
    createGroup(preferredUsername: \"repair\", name: \"Repair collective\", openness: OPEN, visibility: PUBLIC) { id }
}";
const CREATE_EVENT: &str = "mutation($group: ID!, $begins: DateTime!) {
    createEvent(attributedToId: $group, title: \"Repair café\", description: \"<p>Bring what is broken</p>\",
        beginsOn: $begins, options: { timezone: \"Europe/Paris\" }) { id uuid }
}";
const SUSPEND: &str = "mutation($id: ID!) { suspendProfile(id: $id, reason: \"Spam\") { id } }";
const SEARCH: &str = "query { searchEvents(term: \"repair\") { total } }";

async fn found_on(server: &TestServer) -> i64 {
    server.gql().data(SEARCH, json!({})).await["searchEvents"]["total"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn alices_suspension_on_a_reaches_b_as_her_deletion_and_her_event_leaves_b() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let modo = sign_up_moderator(&a, "modo").await;
    let group = alice.gql.data(CREATE_GROUP, json!({})).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    sign_up(&b, "bob").await;
    let bob = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();
    let a_host = a.ctx.settings.public_url.host();
    let follow =
        federation::follow_remote(b.federation(), &b.ctx, &bob, &format!("repair@{a_host}"))
            .await
            .expect("B follows A's group");
    wait_for("B to receive A's Accept", || async {
        let f = backend::groups::followers::find_follow(&b.ctx.db, bob.id, follow.target_id)
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
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let ap_id = a.ctx.url(&format!("/events/{uuid}"));
    wait_for("the event on B", || async {
        backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(found_on(&b).await, 1);
    let alice_ap_id = a.ctx.url("/@alice");
    assert!(
        backend::actors::remote::find_by_ap_id(&b.ctx.db, &alice_ap_id)
            .await
            .unwrap()
            .is_some(),
        "B knows alice as the event's organizer"
    );

    modo.gql
        .data(SUSPEND, json!({ "id": alice.person_id }))
        .await;
    assert_eq!(found_on(&a).await, 0, "hidden on A at once");
    wait_for("alice forgotten on B", || async {
        let known = backend::actors::remote::find_by_ap_id(&b.ctx.db, &alice_ap_id)
            .await
            .unwrap();
        known.is_none().then_some(())
    })
    .await;
    assert!(
        backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
            .is_none(),
        "her event went with her"
    );
    assert_eq!(found_on(&b).await, 0);
    let page = reqwest::get(b.url("/search?term=repair"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Repair café"), "{page}");
    // B still follows the group, which nobody suspended.
    assert!(
        backend::groups::followers::find_follow(&b.ctx.db, bob.id, follow.target_id)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_suspension_of_bs_person_made_on_a_hides_her_on_a_only() {
    let a = federating::server().await;
    let b = federating::server().await;
    let modo = sign_up_moderator(&a, "modo").await;
    let carol = sign_up(&b, "carol").await;
    let begins = Utc::now() + chrono::Duration::days(3);
    let created = carol
        .gql
        .data(
            "mutation($begins: DateTime!) { createEvent(title: \"Repair café\",
                beginsOn: $begins, options: { timezone: \"Europe/Paris\" }) { uuid } }",
            json!({ "begins": begins }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let event_url = b.ctx.url(&format!("/events/{uuid}"));
    let federation::Resolved::Event(copy) = federation::resolve(a.federation(), &a.ctx, &event_url)
        .await
        .expect("A fetches B's event")
    else {
        panic!("an event");
    };
    let carol_on_a = backend::actors::find(&a.ctx.db, copy.organizer_actor_id)
        .await
        .unwrap();
    assert_eq!(found_on(&a).await, 1);

    modo.gql
        .data(SUSPEND, json!({ "id": carol_on_a.id.to_string() }))
        .await;
    assert_eq!(found_on(&a).await, 0, "hidden on A");
    // Nothing was recorded for B (`backend`'s suspension tests check that): B keeps her.
    assert_eq!(found_on(&b).await, 1, "B still shows her event");
    let unsuspended = modo
        .gql
        .data(
            "mutation($id: ID!) { unsuspendProfile(id: $id) { suspended } }",
            json!({ "id": carol_on_a.id.to_string() }),
        )
        .await;
    assert_eq!(unsuspended["unsuspendProfile"]["suspended"], false);
    assert_eq!(found_on(&a).await, 1, "shown on A again");
}
