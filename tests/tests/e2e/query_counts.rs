//! No query per row: a list of events with their organizers, groups, pictures and counts is
//! read in a number of statements that does not grow with the number of events on it, in the
//! pages a member sees and in the GraphQL lists Mobilizon's client asks for.
//!
//! The server counts every statement it runs (`backend::changes::Changes::statements`). Its
//! background work may run a statement while a request is measured, so each request is sent a
//! few times and the smallest count is its own.

use backend::principal::Principal;
use entity::MediaPurpose;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestServer;
use tests::bench::seed::{self, PASSWORD, Plan, Seeded};
use tests::browser::Browser;

/// Events seeded, each with a picture: a full GraphQL page.
const EVENTS: usize = 100;

/// The fields of Mobilizon's client's event cards (`EVENT_CARD` and the lists around them).
const CARD_FIELDS: &str = "total elements {
    id uuid title beginsOn endsOn status visibility
    picture { id url name metadata { width height blurhash } }
    organizerActor { id preferredUsername name domain avatar { id url } }
    attributedTo { id preferredUsername name domain avatar { id url } }
    physicalAddress { id description locality geom }
    participantStats { going notApproved participant }
    tags { slug title }
    options { maximumAttendeeCapacity remainingAttendeeCapacity showRemainingAttendeeCapacity }
}";

async fn seeded(server: &TestServer) -> Seeded {
    let seeded = seed::seed(
        &server.ctx,
        Plan {
            events: EVENTS,
            big_group_events: 0,
            users: 12,
            groups: 6,
            popular_participants: 8,
            joins_per_user: 3,
            feed_owner_joins: 30,
        },
    )
    .await
    .expect("seed");
    // Every event gets a picture of its own, uploaded and set by its organizer.
    let page = backend::pagination::Page::new(Some(1), Some(EVENTS as i64)).expect("page");
    let events = backend::events::upcoming(&server.ctx.db, server.ctx.now(), page)
        .await
        .expect("events");
    assert_eq!(events.elements.len(), EVENTS);
    for (i, event) in events.elements.iter().enumerate() {
        let organizer = seeded
            .people
            .iter()
            .find(|p| p.actor_id == event.organizer_actor_id)
            .expect("a seeded organizer");
        let principal = Principal::User(organizer.user.clone());
        let stored = backend::media::upload(
            &server.ctx,
            &principal,
            backend::media::Upload {
                bytes: backend::testing::pictures::jpeg_with_gps(40 + i as u32, 30),
                name: format!("picture {i}"),
                alt: Some(format!("Event {i}")),
                purpose: MediaPurpose::Picture,
                identity: Some(organizer.actor_id),
            },
        )
        .await
        .expect("upload");
        backend::media::set_event_picture(&server.ctx, &principal, event.id, Some(&stored.uuid))
            .await
            .expect("set the picture");
    }
    seeded
}

/// The statements one run of `request` costs: the fewest of a few runs.
async fn statements<F, Fut>(server: &TestServer, mut request: F) -> u64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut fewest = u64::MAX;
    for _ in 0..4 {
        let before = server.ctx.changes.statements();
        request().await;
        fewest = fewest.min(server.ctx.changes.statements() - before);
    }
    fewest
}

async fn gql_statements(server: &TestServer, token: &str, query: &str, limit: usize) -> u64 {
    let gql = server.gql().with_token(token);
    statements(server, || {
        let gql = gql.clone();
        async move {
            let data = gql.data(query, json!({ "limit": limit })).await;
            let list = data
                .as_object()
                .and_then(|o| o.values().next())
                .cloned()
                .unwrap_or(Value::Null);
            let elements = list["elements"].as_array().expect("elements");
            assert_eq!(elements.len(), limit, "{list}");
            assert!(
                elements.iter().all(|e| !e["picture"]["url"].is_null()
                    && !e["attributedTo"]["preferredUsername"].is_null()
                    && !e["organizerActor"]["preferredUsername"].is_null()),
                "every event comes with its picture, group and organizer"
            );
        }
    })
    .await
}

async fn page_statements(server: &TestServer, cookie: &str, path: &str, shows: &str) -> u64 {
    let http = reqwest::Client::new();
    let url = server.url(path);
    statements(server, || {
        // As after any change in the database: a member's page kept for their session is
        // built again, and that build is what is counted.
        server.ctx.changes.changed();
        let request = http.get(&url).header(reqwest::header::COOKIE, cookie);
        async move {
            let page = request.send().await.expect("page");
            assert_eq!(page.status(), StatusCode::OK, "{path}");
            let body = page.text().await.expect("body");
            assert!(
                body.matches(shows).count() >= 20,
                "{path} shows 20 events with {shows}"
            );
        }
    })
    .await
}

#[tokio::test]
async fn a_hundred_events_with_their_organizers_groups_pictures_and_counts_cost_a_bounded_number_of_statements()
 {
    let server = TestServer::start().await;
    let seeded = seeded(&server).await;
    let member = &seeded.people[seeded.people.len() - 1];
    let login = server
        .gql()
        .data(
            "mutation($email: String!, $password: String!) {
                login(email: $email, password: $password) { accessToken }
            }",
            json!({ "email": member.email, "password": PASSWORD }),
        )
        .await;
    let token = login["login"]["accessToken"].as_str().expect("token");

    let events =
        format!("query($limit: Int) {{ events(limit: $limit, page: 1) {{ {CARD_FIELDS} }} }}");
    let search = format!(
        "query($limit: Int) {{ searchEvents(limit: $limit, page: 1) {{ {CARD_FIELDS} }} }}"
    );
    for (name, query) in [("events", &events), ("searchEvents", &search)] {
        let ten = gql_statements(&server, token, query, 10).await;
        let hundred = gql_statements(&server, token, query, EVENTS).await;
        eprintln!("{name}: {ten} statements for 10 events, {hundred} for {EVENTS}");
        // A batch loader waits a millisecond for more keys: a slow (debug) build may split
        // a hundred events' batch in two or three. A statement per event would be ninety more.
        assert!(
            hundred <= ten + 8,
            "{name}: statements grow with the events listed: {ten} for 10, {hundred} for {EVENTS}"
        );
        assert!(hundred <= 24, "{name}: {hundred} statements for a page");
    }

    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let logged_in = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(logged_in.status, StatusCode::SEE_OTHER);
    // Pages of 20 cards: a statement per card would be 20 more than the bound.
    let cookie = browser.cookie_header();
    for (path, shows) in [
        ("/", "/media/"),
        ("/search?term=", "/media/"),
        // "My events" lists them without pictures.
        ("/me/events", "<li class=\"card\">"),
    ] {
        let count = page_statements(&server, &cookie, path, shows).await;
        eprintln!("{path}: {count} statements");
        assert!(
            count <= 15,
            "{path}: {count} statements for a page of 20 events"
        );
    }
}
