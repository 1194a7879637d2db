//! Mobilizon's `EventJoinOptions.INVITE` and `EventVisibility.RESTRICTED`, with Mobilizon's
//! behaviour: a request to an event "on invitation" waits for the organizers as on a
//! restricted one, and a restricted event leaves every list, search and other instance, seen
//! only by the participants its organizers accepted.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestServer;
use tests::browser::Browser;
use tests::people::sign_up;

use super::event_form::logged_in_browser;

const JOIN: &str = "mutation($e: ID!) { joinEvent(eventId: $e) { id role } }";
const PENDING: &str = "query($uuid: UUID!) {
    event(uuid: $uuid) {
        participants(roles: \"not_approved\") { total elements { id role actor { preferredUsername } } }
    }
}";
const DECIDE: &str = "mutation($id: ID!, $role: ParticipantRoleEnum!) {
    updateParticipation(id: $id, role: $role) { id role }
}";
const SEE: &str = "query($uuid: UUID!) { event(uuid: $uuid) { title visibility } }";

/// Mobilizon's own document for the operation `name` (its web client's, as it sends them:
/// the enum values go in variables).
fn mobilizons(name: &str) -> String {
    let fixture: Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/mobilizon-client/operations.json"
        ))
        .unwrap(),
    )
    .unwrap();
    fixture["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("no operation {name}"))["document"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The id of the only pending request to the event `uuid`, which must be `username`'s.
async fn only_request(organizer: &tests::Gql, uuid: &str, username: &str) -> String {
    let pending = organizer.data(PENDING, json!({ "uuid": uuid })).await;
    let list = &pending["event"]["participants"];
    assert_eq!(list["total"], 1, "{pending:#}");
    assert_eq!(list["elements"][0]["actor"]["preferredUsername"], username);
    list["elements"][0]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_request_to_an_event_on_invitation_waits_until_the_organizer_approves_it() {
    let server = TestServer::start().await;
    let (mut organizer, alice) = logged_in_browser(&server, "alice").await;
    let bob = sign_up(&server, "bob").await;
    let created = alice
        .gql
        .data(
            &mobilizons("createEvent"),
            json!({
                "organizerActorId": alice.person_id,
                "title": "Supper club",
                "description": "<p>Bring a dish</p>",
                "beginsOn": Utc::now() + Duration::days(3),
                "visibility": "PUBLIC",
                "joinOptions": "INVITE",
            }),
        )
        .await;
    let event = &created["createEvent"];
    assert_eq!(event["joinOptions"], "INVITE");
    let uuid = event["uuid"].as_str().unwrap();

    let asked = bob.gql.data(JOIN, json!({ "e": event["id"] })).await;
    assert_eq!(asked["joinEvent"]["role"], "NOT_APPROVED");
    let request = only_request(&alice.gql, uuid, "bob").await;
    let approved = alice
        .gql
        .data(DECIDE, json!({ "id": request, "role": "PARTICIPANT" }))
        .await;
    assert_eq!(approved["updateParticipation"]["role"], "PARTICIPANT");
    server.wait_for_mail(&bob.email, "Approved").await;

    // The page says how one takes part, in English and in French.
    let path = format!("/events/{uuid}");
    let mut visitor = Browser::new(&server.base_url);
    let page = visitor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("On invitation: the organizers approve each request."),
        "{}",
        page.body
    );
    visitor.accept_language = "fr".to_owned();
    let page = visitor.get(&path).await;
    assert!(
        page.body
            .contains("Sur invitation : les organisateurs approuvent chaque demande."),
        "{}",
        page.body
    );
    // The organizer's form keeps the choice.
    let form = organizer.get(&format!("{path}/edit")).await;
    assert!(
        form.body.contains("<option value=\"invite\" selected>"),
        "{}",
        form.body
    );
}

/// Whether `client` finds the event `uuid` through the API.
async fn sees(client: &tests::Gql, uuid: &str) -> bool {
    let answer = client.send(SEE, json!({ "uuid": uuid })).await;
    match answer["errors"][0]["extensions"]["code"].as_str() {
        None => true,
        Some("not_found") => false,
        Some(other) => panic!("unexpected error {other}: {answer:#}"),
    }
}

async fn listed_and_found(server: &TestServer) -> (Value, Value) {
    let listed = server.gql().data("{ events { total } }", json!({})).await;
    let found = server
        .gql()
        .data("{ searchEvents(term: \"garden\") { total } }", json!({}))
        .await;
    (
        listed["events"]["total"].clone(),
        found["searchEvents"]["total"].clone(),
    )
}

#[tokio::test]
async fn a_restricted_event_leaves_every_list_and_shows_only_to_the_participants_accepted() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let carol = sign_up(&server, "carol").await;
    let dave = sign_up(&server, "dave").await;
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!) {
                createEvent(title: \"Garden work party\", beginsOn: $b, joinOptions: RESTRICTED) { id uuid }
            }",
            json!({ "b": Utc::now() + Duration::days(3) }),
        )
        .await;
    let event_id = created["createEvent"]["id"].as_str().unwrap();
    let uuid = created["createEvent"]["uuid"].as_str().unwrap();
    // Carol asks while it is public.
    let asked = carol.gql.data(JOIN, json!({ "e": event_id })).await;
    assert_eq!(asked["joinEvent"]["role"], "NOT_APPROVED");
    assert_eq!(listed_and_found(&server).await, (json!(1), json!(1)));

    let restricted = alice
        .gql
        .data(
            &mobilizons("updateEvent"),
            json!({ "id": event_id, "visibility": "RESTRICTED" }),
        )
        .await;
    assert_eq!(restricted["updateEvent"]["visibility"], "RESTRICTED");
    assert_eq!(
        listed_and_found(&server).await,
        (json!(0), json!(0)),
        "neither listed nor found"
    );
    assert!(sees(&alice.gql, uuid).await, "its organizer");
    for (who, client) in [
        ("anonymous", server.gql()),
        ("a stranger", dave.gql.clone()),
        ("a request not answered yet", carol.gql.clone()),
    ] {
        assert!(!sees(&client, uuid).await, "{who}");
    }
    let page = Browser::new(&server.base_url)
        .get(&format!("/events/{uuid}"))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let document = reqwest::Client::new()
        .get(server.url(&format!("/events/{uuid}")))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(
        document.status(),
        StatusCode::NOT_FOUND,
        "no other instance reads it"
    );

    let request = only_request(&alice.gql, uuid, "carol").await;
    alice
        .gql
        .data(DECIDE, json!({ "id": request, "role": "PARTICIPANT" }))
        .await;
    let seen = carol.gql.data(SEE, json!({ "uuid": uuid })).await;
    assert_eq!(seen["event"]["visibility"], "RESTRICTED");
    assert!(!sees(&dave.gql, uuid).await, "still not a stranger");
    server.wait_for_mail(&carol.email, "Approved").await;
}
