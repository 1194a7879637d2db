//! Two of Mobilizon's public addresses over HTTP: a group's events (`/@name/events`, page by
//! page, past ones apart) and the remote-interaction entry (`/interact?uri=…`), here and
//! between two instances.

use backend::clock::ManualClock;
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::federating::{self, wait_for};
use tests::people::{Member, sign_up};

const CREATE_GROUP: &str = "mutation($u: String!, $n: String!) {
    createGroup(preferredUsername: $u, name: $n, visibility: PUBLIC) { id }
}";

const CREATE_EVENT: &str =
    "mutation($group: ID!, $t: String!, $b: DateTime!, $v: EventVisibility) {
    createEvent(attributedToId: $group, title: $t, beginsOn: $b, visibility: $v) { uuid }
}";

async fn group(member: &Member, username: &str, name: &str) -> String {
    let created = member
        .gql
        .data(CREATE_GROUP, json!({ "u": username, "n": name }))
        .await;
    created["createGroup"]["id"].as_str().unwrap().to_owned()
}

async fn event(
    member: &Member,
    group_id: &str,
    title: &str,
    begins: chrono::DateTime<Utc>,
    visibility: &str,
) -> String {
    let created = member
        .gql
        .data(
            CREATE_EVENT,
            json!({ "group": group_id, "t": title, "b": begins, "v": visibility }),
        )
        .await;
    created["createEvent"]["uuid"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_groups_events_page_lists_its_public_upcoming_events_page_by_page_and_its_past_ones_apart()
 {
    let start = Utc::now();
    let clock = ManualClock::new(start);
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let alice = sign_up(&server, "alice").await;
    let group_id = group(&alice, "jardins", "Jardins partagés").await;
    event(
        &alice,
        &group_id,
        "Semis de printemps",
        start + Duration::hours(1),
        "PUBLIC",
    )
    .await;
    event(
        &alice,
        &group_id,
        "Réunion interne",
        start + Duration::days(1),
        "PRIVATE",
    )
    .await;
    for n in 0..21 {
        let title = format!("Permanence {n:02}");
        event(
            &alice,
            &group_id,
            &title,
            start + Duration::days(2 + n),
            "PUBLIC",
        )
        .await;
    }
    clock.advance(Duration::hours(3));
    let mut visitor = Browser::new(&server.base_url);

    let first = visitor.get("/@jardins/events").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("Events of Jardins partagés"));
    assert!(first.body.contains("Permanence 00"));
    assert!(first.body.contains("Permanence 19"));
    assert!(!first.body.contains("Permanence 20"), "twenty a page");
    assert!(
        !first.body.contains("Semis de printemps"),
        "a past event waits on its page"
    );
    assert!(
        !first.body.contains("Réunion interne"),
        "a private event stays with members"
    );
    assert!(first.body.contains(r#"<a href="/@jardins/events?past=1">"#));
    assert!(
        first
            .body
            .contains(r#"href="/@jardins/events?page=2" rel="next""#)
    );

    let second = visitor.get("/@jardins/events?page=2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Permanence 20"));
    assert!(!second.body.contains("Permanence 19"));
    assert!(
        second
            .body
            .contains(r#"href="/@jardins/events?page=1" rel="prev""#)
    );

    let past = visitor.get("/@jardins/events?past=1").await;
    assert_eq!(past.status, StatusCode::OK);
    assert!(past.body.contains("Past events of Jardins partagés"));
    assert!(past.body.contains("Semis de printemps"));
    assert!(!past.body.contains("Permanence 00"));
    assert!(past.body.contains(r#"<a href="/@jardins/events">"#));

    let collection: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/@jardins/events", server.base_url))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        collection["totalItems"], 21,
        "peers still get the collection of upcoming public events at the same address"
    );

    let group_page = visitor.get("/@jardins").await;
    assert!(
        group_page.body.contains(r#"<a href="/@jardins/events">"#),
        "the group's page links to all its events"
    );

    visitor.accept_language = "fr".to_owned();
    let french = visitor.get("/@jardins/events").await;
    assert!(french.body.contains("Événements de Jardins partagés"));
    assert!(french.body.contains("Voir les événements passés"));

    let unknown = visitor.get("/@nobody/events").await;
    let unknown_group_page = visitor.get("/@nobody").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown_group_page.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("<h1>Page introuvable</h1>"));
    assert!(
        unknown_group_page
            .body
            .contains("<h1>Page introuvable</h1>")
    );
    let bad_page = visitor.get("/@jardins/events?page=0").await;
    assert_eq!(bad_page.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn interact_leads_an_address_of_ours_to_its_page_and_says_why_a_bad_one_leads_nowhere() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let group_id = group(&alice, "jardins", "Jardins partagés").await;
    let uuid = event(
        &alice,
        &group_id,
        "Grainothèque",
        Utc::now() + Duration::days(2),
        "PUBLIC",
    )
    .await;
    let mut visitor = Browser::new(&server.base_url);
    let interact = |uri: &str| format!("/interact?uri={}", urlencoding(uri));

    let to_event = visitor
        .get(&interact(&server.ctx.url(&format!("/events/{uuid}"))))
        .await;
    assert_eq!(to_event.status, StatusCode::SEE_OTHER, "{}", to_event.body);
    assert_eq!(
        to_event.location.as_deref(),
        Some(format!("/events/{uuid}").as_str())
    );
    let to_group = visitor.get(&interact(&server.ctx.url("/@jardins"))).await;
    assert_eq!(to_group.status, StatusCode::SEE_OTHER);
    assert_eq!(to_group.location.as_deref(), Some("/@jardins"));
    let person = format!("/@{}", alice.username);
    let to_person = visitor.get(&interact(&server.ctx.url(&person))).await;
    assert_eq!(to_person.status, StatusCode::SEE_OTHER);
    assert_eq!(to_person.location.as_deref(), Some(person.as_str()));

    let missing = visitor.get("/interact").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.body.contains("Give the address of an event"));
    let empty = visitor.get("/interact?uri=%20").await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    for bad in [
        "not an address",
        "ftp://example.org/events/1",
        "javascript:alert(1)",
    ] {
        let page = visitor.get(&interact(bad)).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(page.body.contains("This is not a web address"), "{bad}");
        assert!(!page.body.contains("alert(1)"), "{bad}: not echoed");
    }
    let too_long = format!("https://example.org/{}", "a".repeat(3000));
    assert_eq!(
        visitor.get(&interact(&too_long)).await.status,
        StatusCode::BAD_REQUEST
    );
    let unknown = visitor
        .get(&interact(
            &server
                .ctx
                .url("/events/00000000-0000-0000-0000-000000000000"),
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Nothing was found at this address"));

    entity::domain_block::ActiveModel {
        domain: Set("blocked.example".to_owned()),
        reason: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&server.ctx.db)
    .await
    .unwrap();
    let blocked = visitor
        .get(&interact("https://blocked.example/events/1"))
        .await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert!(blocked.body.contains("This instance is blocked here."));

    visitor.accept_language = "fr".to_owned();
    let french = visitor.get(&interact("ftp://example.org/")).await;
    assert!(french.body.contains("Ce n’est pas une adresse web"));
}

#[tokio::test]
async fn interact_on_one_instance_fetches_an_event_and_a_group_of_another_and_leads_to_their_pages()
{
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group_id = group(&alice, "repair", "Repair café").await;
    let uuid = event(
        &alice,
        &group_id,
        "Vélos en panne",
        Utc::now() + Duration::days(3),
        "PUBLIC",
    )
    .await;
    let a_event = a.ctx.url(&format!("/events/{uuid}"));
    let mut on_b = Browser::new(&b.base_url);

    let to_event = on_b
        .get(&format!("/interact?uri={}", urlencoding(&a_event)))
        .await;
    assert_eq!(to_event.status, StatusCode::SEE_OTHER, "{}", to_event.body);
    let stored = wait_for("A's event stored on B", || async {
        backend::events::federated::find_by_ap_id(&b.ctx.db, &a_event)
            .await
            .unwrap()
    })
    .await;
    let path = format!("/events/{}", stored.uuid);
    assert_eq!(to_event.location.as_deref(), Some(path.as_str()));
    let page = on_b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Vélos en panne"));

    let to_group = on_b
        .get(&format!(
            "/interact?uri={}",
            urlencoding(&a.ctx.url("/@repair"))
        ))
        .await;
    assert_eq!(to_group.status, StatusCode::SEE_OTHER, "{}", to_group.body);
    let a_host = a.ctx.settings.public_url.host();
    let group_path = format!("/@repair@{a_host}");
    assert_eq!(to_group.location.as_deref(), Some(group_path.as_str()));
    let group_page = on_b.get(&group_path).await;
    assert_eq!(group_page.status, StatusCode::OK);
    assert!(group_page.body.contains("Repair café"));

    let nothing = on_b
        .get(&format!(
            "/interact?uri={}",
            urlencoding(&a.ctx.url("/@nobody"))
        ))
        .await;
    assert_eq!(nothing.status, StatusCode::NOT_FOUND);
}

/// Percent-encodes a query value.
fn urlencoding(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
