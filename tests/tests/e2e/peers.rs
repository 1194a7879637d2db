//! What peers that are not Convive need from us, on a real instance: the instance actor's
//! outbox as Gancio imports it when it starts following, and a `Join` that the event's
//! instance answers with a 4xx becoming a refusal the person sees.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::Utc;
use entity::participant::{self, ParticipantRole};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::federating::{self, wait_for};
use tests::people::sign_up;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CREATE_EVENT: &str = "mutation($title: String!, $begins: DateTime!) {
    createEvent(title: $title, beginsOn: $begins, options: { timezone: \"Europe/Rome\" }) { id uuid }
}";
const JOIN: &str = "mutation($e: ID!) { joinEvent(eventId: $e) { id role } }";

async fn get_json(url: &str) -> Value {
    let response = reqwest::Client::new()
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

/// Gancio 1.21's `getOutbox` and `parseAPEvent` (server/federation/helpers.js), as far as
/// they decide what is imported: the collection's `first` page (embedded, or fetched when it
/// is an address), its `orderedItems`, each a `Create` of an `Event` or an `Announce` of one,
/// with `name`, `startTime` and `id`.
async fn gancio_imports(outbox: &str) -> Vec<Value> {
    let collection = get_json(outbox).await;
    let page = match &collection["first"] {
        Value::String(address) => get_json(address).await,
        embedded => embedded.clone(),
    };
    let mut imported = Vec::new();
    for item in page["orderedItems"].as_array().cloned().unwrap_or_default() {
        let (kind, object) = if item["type"] == "Announce"
            && item["object"]["type"] == "Create"
            && item["object"]["object"].is_object()
        {
            ("Create", item["object"]["object"].clone())
        } else {
            (
                item["type"].as_str().unwrap_or_default(),
                item["object"].clone(),
            )
        };
        if kind != "Create" || object["type"] != "Event" {
            continue;
        }
        if ["name", "startTime", "id"]
            .iter()
            .any(|k| object[k].is_null())
        {
            continue;
        }
        // Gancio files the event under the item's actor, which must be one it follows.
        assert_eq!(
            item["actor"],
            collection["id"]
                .as_str()
                .unwrap()
                .trim_end_matches("/outbox")
        );
        imported.push(object);
    }
    imported
}

#[tokio::test]
async fn gancio_following_our_instance_actor_imports_our_recent_public_events_from_its_outbox() {
    let server = federating::server().await;
    let alice = sign_up(&server, "alice").await;
    let begins = Utc::now() + chrono::Duration::days(4);
    for title in ["Critical mass", "Repair café"] {
        alice
            .gql
            .data(CREATE_EVENT, json!({ "title": title, "begins": begins }))
            .await;
    }
    let relay = get_json(&server.url("/relay")).await;
    let outbox = relay["outbox"].as_str().unwrap().to_owned();
    assert_eq!(outbox, server.ctx.url("/relay/outbox"));
    let collection = get_json(&outbox).await;
    assert_eq!(collection["type"], "OrderedCollection");
    assert_eq!(collection["totalItems"], 2);

    let imported = gancio_imports(&outbox).await;
    let names: Vec<&str> = imported
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Repair café", "Critical mass"], "newest first");
    for event in &imported {
        // What Gancio 1.21 reads besides: `attachment` (a list), `location`, `tag`.
        assert!(event["attachment"].is_array(), "{event}");
        assert_eq!(event["timezone"], "Europe/Rome");
    }
    // Bounded: five pages of twenty at most, then nothing.
    let past = reqwest::get(format!("{outbox}?page=6")).await.unwrap();
    assert_eq!(past.status(), 404);
}

/// A peer that answers every request with a 404 "Unknown message type", as Gancio 1.21
/// answers a `Join`.
async fn refusing_peer() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                let body = "Unknown message type";
                let answer = format!(
                    "HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_join_the_events_instance_answers_with_a_404_is_a_refusal_the_person_sees() {
    let origin = refusing_peer().await;
    let server = federating::server().await;
    let domain = origin.trim_start_matches("http://").to_owned();
    let club = backend::actors::remote::upsert(
        &server.ctx.db,
        backend::actors::remote::RemoteActor {
            ap_id: format!("{origin}/@club"),
            preferred_username: "club".to_owned(),
            domain: domain.clone(),
            kind: entity::actor::ActorKind::Group,
            name: None,
            summary: None,
            url: None,
            inbox_url: format!("{origin}/@club/inbox"),
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
            manually_approves_followers: false,
            openness: entity::actor::Openness::Open,
            avatar: None,
            banner: None,
        },
        server.ctx.now(),
    )
    .await
    .unwrap();
    // Its NodeInfo said Mobilizon, which takes RSVPs; this one refuses them anyway.
    backend::instances::software::record(
        &server.ctx.db,
        &domain,
        backend::instances::software::NodeFacts {
            software: Some("mobilizon".to_owned()),
            ..Default::default()
        },
        server.ctx.now(),
    )
    .await
    .unwrap();
    let ap_id = format!("{origin}/events/ride");
    let event = backend::events::federated::upsert_remote(
        &server.ctx,
        backend::events::federated::RemoteEvent {
            ap_id: ap_id.clone(),
            url: ap_id.clone(),
            title: "Critical mass".to_owned(),
            description: String::new(),
            begins_on: Utc::now() + chrono::Duration::days(3),
            ends_on: None,
            timezone: None,
            status: entity::EventStatus::Confirmed,
            visibility: entity::event::EventVisibility::Public,
            join_options: entity::event::JoinOptions::Free,
            external_participation_url: None,
            category: None,
            language: None,
            online_address: None,
            place: None,
            maximum_attendee_capacity: None,
            anonymous_participation: false,
            is_online: false,
            organizer_actor_id: club.id,
            attributed_to_id: Some(club.id),
            tags: Vec::new(),
            published_at: None,
            updated_at: None,
            picture: None,
            series_url: None,
        },
    )
    .await
    .unwrap()
    .expect("kept");

    let bob = sign_up(&server, "bob").await;
    let joined = bob
        .gql
        .data(JOIN, json!({ "e": event.id.to_string() }))
        .await;
    assert_eq!(joined["joinEvent"]["role"], "NOT_APPROVED", "{joined}");
    let participation_id: i64 = joined["joinEvent"]["id"].as_str().unwrap().parse().unwrap();
    let refused = wait_for("the 404 to become a refusal", || async {
        let row = participant::Entity::find()
            .filter(participant::Column::Id.eq(participation_id))
            .one(&server.ctx.db)
            .await
            .unwrap()?;
        (row.role == ParticipantRole::Rejected).then_some(row)
    })
    .await;
    assert_eq!(refused.event_id, event.id);
    // Nothing is left to retry: the refusal is the answer.
    wait_for("the delivery to end", || async {
        let open = entity::job::Entity::find()
            .filter(entity::job::Column::State.is_in([
                entity::job::JobState::Pending,
                entity::job::JobState::Running,
            ]))
            .filter(entity::job::Column::Kind.eq(federation::delivery::DELIVER_JOB))
            .all(&server.ctx.db)
            .await
            .unwrap();
        open.is_empty().then_some(())
    })
    .await;
    // And the person sees it, where they asked.
    let role = bob
        .gql
        .data(
            "query($e: ID!) { person: loggedPerson { participations(eventId: $e) { elements { role } } } }",
            json!({ "e": event.id.to_string() }),
        )
        .await;
    assert_eq!(
        role["person"]["participations"]["elements"][0]["role"], "REJECTED",
        "{role}"
    );
}

#[tokio::test]
async fn a_gancio_event_shows_its_wall_time_and_its_place_once_and_offers_no_rsvp_nor_comment() {
    let server = federating::server().await;
    let path = format!(
        "{}/../federation/fixtures/activitypub/gancio-1.21/gancio-create-event.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let create: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let object: federation::protocol::event::Event =
        serde_json::from_value(create["object"].clone()).unwrap();
    let relay = backend::actors::remote::upsert(
        &server.ctx.db,
        backend::actors::remote::RemoteActor {
            ap_id: "http://localhost:13131/federation/u/relay".to_owned(),
            preferred_username: "relay".to_owned(),
            domain: "localhost:13131".to_owned(),
            kind: entity::actor::ActorKind::Application,
            name: Some("Gancio".to_owned()),
            summary: None,
            url: None,
            inbox_url: "http://localhost:13131/federation/u/relay/inbox".to_owned(),
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
            manually_approves_followers: false,
            openness: entity::actor::Openness::Open,
            avatar: None,
            banner: None,
        },
        server.ctx.now(),
    )
    .await
    .unwrap();
    // What its NodeInfo says (`software.name`, `metadata.nodeTimezone`).
    backend::instances::software::record(
        &server.ctx.db,
        "localhost:13131",
        backend::instances::software::NodeFacts {
            software: Some("gancio".to_owned()),
            version: Some("1.21.0".to_owned()),
            timezone: Some("Europe/Rome".to_owned()),
        },
        server.ctx.now(),
    )
    .await
    .unwrap();
    let remote =
        federation::objects::event::to_remote(&object, relay.id, None, Some("Europe/Rome"))
            .unwrap();
    let event = backend::events::federated::upsert_remote(&server.ctx, remote)
        .await
        .unwrap()
        .expect("kept");

    let mut browser = tests::browser::Browser::new(&server.base_url);
    let page = browser.get(&format!("/events/{}", event.uuid)).await;
    assert!(
        page.body.contains("Critical Mass ride (Gancio)"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("19:00"),
        "the wall time it was written with: {}",
        page.body
    );
    assert!(page.body.contains("Europe/Rome"), "{}", page.body);
    assert!(
        page.body
            .contains("takes no RSVPs from other instances: see the event on its own site"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("/join\""),
        "no RSVP form: {}",
        page.body
    );
    // Gancio takes no comments from other instances: none offered, and the page says why.
    assert!(!page.body.contains("Log in to comment"), "{}", page.body);
    assert!(
        page.body
            .contains("takes no comments from other instances: comment on its own site"),
        "{}",
        page.body
    );
    // Its address repeats the place's name: shown once.
    assert!(page.body.contains("Torino"), "{}", page.body);
    assert!(
        !page.body.contains("Piazza Castello, Piazza Castello"),
        "{}",
        page.body
    );

    // Logged in, neither the page nor the API takes a comment.
    let bob = sign_up(&server, "bob").await;
    let mut browser = tests::browser::Browser::new(&server.base_url);
    let csrf = browser.get("/login").await.csrf();
    browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &bob.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    let page = browser.get(&format!("/events/{}", event.uuid)).await;
    assert!(
        !page.body.contains("comment-text"),
        "no comment form: {}",
        page.body
    );
    let code = bob
        .gql
        .error_code(
            "mutation($e: ID!) { createComment(eventId: $e, text: \"Hello\") { id } }",
            json!({ "e": event.id.to_string() }),
        )
        .await;
    assert_eq!(code, "comments_not_federated");
}
