//! Calendar and Atom feeds against a real server: what each feed holds, conditional requests,
//! private feed tokens, and (when `.ci/install` has run) the independent parsers of
//! `.ci/validate_feeds.py`.
//!
//! `CONVIVE_FEED_VALIDATORS` names the `.ci` directory holding `validate_feeds.py`, its
//! `.venv` and `node_modules` (`.ci/run` sets it); `node` comes from `PATH`.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use backend::actors::persons::{self, NewPerson};
use backend::events::{EventChanges, NewEvent, service};
use backend::principal::Principal;
use backend::users::{AdminAccountOptions, CurrentUser, NewAccount};
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use entity::event::{self, EventStatus, EventVisibility};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use serde_json::json;
use tests::{Gql, TestServer, skip, unique_email};

const PASSWORD: &str = "long enough password";

/// A confirmed account with one identity.
struct Person {
    user: CurrentUser,
    actor: entity::actor::Model,
    email: String,
}

impl Person {
    fn principal(&self) -> Principal {
        Principal::User(self.user.clone())
    }
}

async fn person(server: &TestServer, username: &str) -> Person {
    let email = unique_email(username);
    let user = backend::users::service::create_account(
        &server.ctx,
        NewAccount {
            email: email.clone(),
            password: PASSWORD.to_owned(),
            locale: Some("en".to_owned()),
            timezone: None,
            invitation: None,
        },
        AdminAccountOptions {
            role: None,
            confirmed: true,
        },
    )
    .await
    .expect("account");
    let user = CurrentUser::from_model(&user, 0, backend::i18n::Locale::En);
    let actor = persons::create(
        &server.ctx,
        &user,
        NewPerson {
            preferred_username: username.to_owned(),
            name: Some(format!("{username} (name)")),
            summary: None,
        },
    )
    .await
    .expect("identity");
    Person { user, actor, email }
}

async fn logged_in(server: &TestServer, person: &Person) -> Gql {
    let login = backend::users::service::login(
        &server.ctx,
        &backend::rate_limits::Client::Local,
        &person.email,
        PASSWORD,
    )
    .await
    .expect("login");
    server.gql().with_token(&login.access_token)
}

async fn create(server: &TestServer, who: &Person, new: NewEvent) -> event::Model {
    service::create(&server.ctx, &who.principal(), new)
        .await
        .expect("event")
}

fn soon(server: &TestServer, days: i64) -> chrono::DateTime<Utc> {
    server.ctx.now() + Duration::days(days)
}

fn new_event(title: &str, starts: chrono::DateTime<Utc>) -> NewEvent {
    backend::testing::new_event(title, starts)
}

struct Fetched {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Fetched {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(&name)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.headers))
            .to_str()
            .unwrap()
    }
}

async fn get(server: &TestServer, path: &str, headers: &[(header::HeaderName, &str)]) -> Fetched {
    let mut request = reqwest::Client::new().get(server.url(path));
    for (name, value) in headers {
        request = request.header(name.clone(), *value);
    }
    let response = request.send().await.expect("request");
    Fetched {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.expect("body"),
    }
}

/// The summaries of a calendar's events, parsed back by the `ical` crate.
fn summaries(ics: &str) -> Vec<String> {
    let mut parser = ical::IcalParser::new(BufReader::new(ics.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("it parses");
    let mut titles: Vec<String> = calendar
        .events
        .iter()
        .map(|event| property(&event.properties, "SUMMARY").replace("\\,", ","))
        .collect();
    titles.sort();
    titles
}

fn property(properties: &[ical::property::Property], name: &str) -> String {
    properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// The titles of an Atom feed's entries, without their dates.
fn entry_titles(atom: &str) -> Vec<String> {
    let mut titles: Vec<String> = atom
        .split("<entry>")
        .skip(1)
        .filter_map(|entry| {
            let title = entry.split("<title>").nth(1)?.split("</title>").next()?;
            Some(title.rsplit(" — ").next()?.to_owned())
        })
        .collect();
    titles.sort();
    titles
}

#[tokio::test]
async fn an_exported_event_is_a_calendar_file_with_stable_validators_and_304_on_revalidation() {
    let server = TestServer::start().await;
    let alice = person(&server, "alice").await;
    let event = create(
        &server,
        &alice,
        new_event("Fête du vélo 🚲", soon(&server, 3)),
    )
    .await;
    let path = format!("/events/{}/export/ics", event.uuid);

    let first = get(&server, &path, &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        first.header(header::CONTENT_TYPE),
        "text/calendar; charset=utf-8"
    );
    assert_eq!(
        first.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"fete-du-velo.ics\""
    );
    assert_eq!(first.header(header::CACHE_CONTROL), "public, max-age=300");
    assert!(first.body.contains("METHOD:PUBLISH\r\n"));
    assert!(first.body.contains(&format!(
        "UID:{}\r\n",
        backend::events::calendar::uid(&server.ctx, &event)
    )));
    assert_eq!(summaries(&first.body), ["Fête du vélo 🚲"]);
    let etag = first.header(header::ETAG).to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong tag: {etag}"
    );
    let last_modified = first.header(header::LAST_MODIFIED).to_owned();

    let second = get(&server, &path, &[]).await;
    assert_eq!(second.header(header::ETAG), etag);
    assert_eq!(second.body, first.body, "the same bytes for the same data");

    let revalidated = get(&server, &path, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());
    assert_eq!(revalidated.header(header::ETAG), etag);
    assert_eq!(
        revalidated.header(header::CACHE_CONTROL),
        "public, max-age=300"
    );
    let by_date = get(
        &server,
        &path,
        &[(header::IF_MODIFIED_SINCE, &last_modified)],
    )
    .await;
    assert_eq!(by_date.status, StatusCode::NOT_MODIFIED);
    let stale = get(&server, &path, &[(header::IF_NONE_MATCH, "\"stale\"")]).await;
    assert_eq!(stale.status, StatusCode::OK);

    let gzipped = reqwest::Client::new()
        .get(server.url(&path))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .expect("request");
    assert_eq!(
        gzipped.headers().get(header::CONTENT_ENCODING).unwrap(),
        "gzip"
    );
}

#[tokio::test]
async fn a_changed_event_changes_the_etag_and_bumps_its_sequence() {
    let server = TestServer::start().await;
    let alice = person(&server, "alice").await;
    let event = create(&server, &alice, new_event("Repair café", soon(&server, 2))).await;
    let paths = [
        format!("/events/{}/export/ics", event.uuid),
        "/@alice/feed/ics".to_owned(),
        "/events/feed/ics".to_owned(),
    ];
    let mut before = Vec::new();
    for path in &paths {
        let fetched = get(&server, path, &[]).await;
        assert!(fetched.body.contains("\r\nSEQUENCE:0\r\n"), "{path}");
        before.push(fetched.header(header::ETAG).to_owned());
    }
    service::update(
        &server.ctx,
        &alice.principal(),
        event.id,
        EventChanges {
            begins_on: Some(event.begins_on + Duration::hours(1)),
            ..Default::default()
        },
    )
    .await
    .expect("moved");
    for (path, old) in paths.iter().zip(&before) {
        let fetched = get(&server, path, &[(header::IF_NONE_MATCH, old)]).await;
        assert_eq!(fetched.status, StatusCode::OK, "{path}");
        assert_ne!(fetched.header(header::ETAG), old, "{path}");
        assert!(fetched.body.contains("\r\nSEQUENCE:1\r\n"), "{path}");
    }
}

#[tokio::test]
async fn a_feed_served_again_is_the_same_bytes_until_an_event_changes() {
    let server = TestServer::start().await;
    let alice = person(&server, "alice").await;
    let event = create(&server, &alice, new_event("Repair café", soon(&server, 2))).await;
    let first = get(&server, "/@alice/feed/ics", &[]).await;
    let again = get(&server, "/@alice/feed/ics", &[]).await;
    assert_eq!(first.body, again.body);
    assert_eq!(first.header(header::ETAG), again.header(header::ETAG));
    service::update(
        &server.ctx,
        &alice.principal(),
        event.id,
        EventChanges {
            title: Some("Bike repair café".to_owned()),
            ..Default::default()
        },
    )
    .await
    .expect("renamed");
    let after = get(&server, "/@alice/feed/ics", &[]).await;
    assert!(
        after.body.contains("SUMMARY:Bike repair café"),
        "{}",
        after.body
    );
    assert_ne!(after.header(header::ETAG), first.header(header::ETAG));
}

#[tokio::test]
async fn an_event_leaves_its_groups_feed_when_it_is_over_though_nothing_else_changed() {
    let clock = backend::clock::ManualClock::new(Utc::now());
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let alice = person(&server, "alice").await;
    // Ends in three hours (new events last two).
    create(
        &server,
        &alice,
        new_event("Soon over", server.ctx.now() + Duration::hours(1)),
    )
    .await;
    create(&server, &alice, new_event("Next week", soon(&server, 7))).await;
    let before = get(&server, "/@alice/feed/ics", &[]).await;
    assert_eq!(summaries(&before.body), ["Next week", "Soon over"]);
    let again = get(&server, "/@alice/feed/ics", &[]).await;
    assert_eq!(again.body, before.body);
    let etag = before.header(header::ETAG).to_owned();
    let revalidated = get(
        &server,
        "/@alice/feed/ics",
        &[(header::IF_NONE_MATCH, &etag)],
    )
    .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);

    clock.advance(Duration::hours(4));
    let revalidated = get(
        &server,
        "/@alice/feed/ics",
        &[(header::IF_NONE_MATCH, &etag)],
    )
    .await;
    assert_eq!(
        revalidated.status,
        StatusCode::OK,
        "the copy from before still lists the event that is over"
    );
    assert_eq!(summaries(&revalidated.body), ["Next week"]);
    assert_ne!(revalidated.header(header::ETAG), etag);
    let by_date = get(
        &server,
        "/@alice/feed/ics",
        &[(
            header::IF_MODIFIED_SINCE,
            before.header(header::LAST_MODIFIED),
        )],
    )
    .await;
    assert_eq!(
        by_date.status,
        StatusCode::OK,
        "nor does the date of that copy hold"
    );
}

#[tokio::test]
async fn a_list_feed_answers_if_modified_since_until_an_event_leaves_it() {
    let server = TestServer::start().await;
    let alice = person(&server, "alice").await;
    create(&server, &alice, new_event("Repair café", soon(&server, 2))).await;
    // The newest change of the list: once it is gone, the rest are all older than the date
    // the list had.
    let jam = create(&server, &alice, new_event("Jam", soon(&server, 5))).await;
    let date = |fetched: &Fetched| {
        chrono::DateTime::parse_from_rfc2822(fetched.header(header::LAST_MODIFIED)).unwrap()
    };
    let paths = ["/@alice/feed/ics", "/events/feed/atom"];
    let mut before = Vec::new();
    for path in paths {
        let first = get(&server, path, &[]).await;
        assert_eq!(first.status, StatusCode::OK);
        let last_modified = first.header(header::LAST_MODIFIED).to_owned();
        let revalidated = get(
            &server,
            path,
            &[(header::IF_MODIFIED_SINCE, &last_modified)],
        )
        .await;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(revalidated.header(header::LAST_MODIFIED), last_modified);
        before.push(first);
    }

    service::delete(&server.ctx, &alice.principal(), jam.id)
        .await
        .expect("deleted");
    for (path, first) in paths.iter().zip(&before) {
        let since = first.header(header::LAST_MODIFIED);
        let after = get(&server, path, &[(header::IF_MODIFIED_SINCE, since)]).await;
        assert_eq!(
            after.status,
            StatusCode::OK,
            "{path}: the copy from before still lists the deleted event"
        );
        assert!(!after.body.contains("Jam"), "{}", after.body);
        assert!(date(&after) > date(first), "{path}: a later date");
        let current = after.header(header::LAST_MODIFIED).to_owned();
        let revalidated = get(&server, path, &[(header::IF_MODIFIED_SINCE, &current)]).await;
        assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED, "{path}");
    }
}

#[tokio::test]
async fn private_unlisted_and_draft_events_never_appear_in_public_feeds() {
    let server = TestServer::start().await;
    let alice = person(&server, "alice").await;
    let start = soon(&server, 4);
    create(&server, &alice, new_event("Public picnic", start)).await;
    let mut events = BTreeMap::new();
    for (title, visibility, draft) in [
        ("Unlisted meeting", EventVisibility::Unlisted, false),
        ("Private dinner", EventVisibility::Private, false),
        ("Draft plan", EventVisibility::Public, true),
    ] {
        let mut new = new_event(title, start);
        new.visibility = Some(visibility);
        new.draft = Some(draft);
        events.insert(title, create(&server, &alice, new).await);
    }
    for path in ["/events/feed/ics", "/@alice/feed/ics"] {
        let fetched = get(&server, path, &[]).await;
        assert_eq!(summaries(&fetched.body), ["Public picnic"], "{path}");
    }
    for path in ["/events/feed/atom", "/@alice/feed/atom"] {
        let fetched = get(&server, path, &[]).await;
        assert_eq!(
            fetched.header(header::CONTENT_TYPE),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(entry_titles(&fetched.body), ["Public picnic"], "{path}");
    }
    let unlisted = get(
        &server,
        &format!("/events/{}/export/ics", events["Unlisted meeting"].uuid),
        &[],
    )
    .await;
    assert_eq!(
        unlisted.status,
        StatusCode::OK,
        "unlisted: anyone with the link"
    );
    for hidden in ["Private dinner", "Draft plan"] {
        let fetched = get(
            &server,
            &format!("/events/{}/export/ics", events[hidden].uuid),
            &[],
        )
        .await;
        assert_eq!(fetched.status, StatusCode::NOT_FOUND, "{hidden}");
        assert_eq!(fetched.body, "event not found\n");
    }
    let unknown = get(
        &server,
        "/events/00000000-0000-4000-8000-000000000000/export/ics",
        &[],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_instance_feed_filters_by_tags_and_category() {
    let server = TestServer::start().await;
    let alice = person(&server, "alice").await;
    let start = soon(&server, 5);
    for (title, tags, category) in [
        ("Bike ride", vec!["Vélo", "outdoors"], Some("SPORTS")),
        ("Bike repair", vec!["vélo"], Some("LEARNING")),
        ("Choir", vec!["music"], Some("MUSIC")),
    ] {
        let mut new = new_event(title, start);
        new.tags = Some(tags.into_iter().map(str::to_owned).collect());
        new.category = category.map(str::to_owned);
        create(&server, &alice, new).await;
    }
    for (query, expected) in [
        ("", vec!["Bike repair", "Bike ride", "Choir"]),
        ("?tags=velo", vec!["Bike repair", "Bike ride"]),
        ("?tags=music,outdoors", vec!["Bike ride", "Choir"]),
        ("?tags=v%C3%A9lo&category=sports", vec!["Bike ride"]),
        ("?category=MUSIC", vec!["Choir"]),
        ("?tags=nothing-tagged-so", vec![]),
    ] {
        let ics = get(&server, &format!("/events/feed/ics{query}"), &[]).await;
        assert_eq!(summaries(&ics.body), expected, "{query}");
        let atom = get(&server, &format!("/events/feed/atom{query}"), &[]).await;
        assert_eq!(entry_titles(&atom.body), expected, "{query}");
    }
    let filtered = get(&server, "/events/feed/atom?category=MUSIC", &[]).await;
    assert!(
        filtered
            .body
            .contains("/events/feed/atom?category=MUSIC\"/>"),
        "the self link keeps the filter"
    );
    let bad = get(&server, "/events/feed/ics?category=NOPE", &[]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("category"), "{}", bad.body);
}

#[tokio::test]
async fn actor_feeds_answer_at_handles_of_public_local_actors_only() {
    let server = TestServer::start().await;
    let alice = person(&server, "alice").await;
    create(&server, &alice, new_event("Walk", soon(&server, 1))).await;
    let host = server.base_url.trim_start_matches("http://").to_owned();
    for path in [
        "/@alice/feed/ics".to_owned(),
        "/@alice/feed/atom".to_owned(),
        format!("/@alice@{host}/feed/ics"),
    ] {
        let fetched = get(&server, &path, &[]).await;
        assert_eq!(fetched.status, StatusCode::OK, "{path}");
    }
    let atom = get(&server, "/@alice/feed/atom", &[]).await;
    assert!(atom.body.contains("<title>alice (name)</title>"));
    for path in [
        "/alice/feed/ics",
        "/@nobody/feed/ics",
        "/@nobody/feed/atom",
        "/@alice@elsewhere.example/feed/ics",
    ] {
        let fetched = get(&server, path, &[]).await;
        assert_eq!(fetched.status, StatusCode::NOT_FOUND, "{path}");
    }
    // Static routes are not taken for handles.
    let instance = get(&server, "/events/feed/ics", &[]).await;
    assert!(instance.body.contains("\r\nNAME:Convive\r\n"));
    // Mobilizon's address of the instance's feed.
    let instance = get(&server, "/feed/instance/ics", &[]).await;
    assert!(instance.body.contains("\r\nNAME:Convive\r\n"));
    let instance = get(&server, "/feed/instance/atom", &[]).await;
    assert_eq!(instance.status, StatusCode::OK);
}

const CREATE_TOKEN: &str = "mutation($actorId: ID) {
    createFeedToken(actorId: $actorId) { token actor { id } user { id } }
}";
const DELETE_TOKEN: &str = "mutation($token: String!) {
    deleteFeedToken(token: $token) { user { id } actor { id } }
}";

#[tokio::test]
async fn a_private_feed_follows_its_token_and_a_revoked_token_gives_404() {
    let server = TestServer::start().await;
    let org = person(&server, "org").await;
    let bob = person(&server, "bob").await;
    let event = create(&server, &org, new_event("Assembly", soon(&server, 2))).await;
    create(&server, &org, new_event("Not for bob", soon(&server, 2))).await;
    backend::participations::join(
        &server.ctx,
        &bob.principal(),
        &backend::rate_limits::Client::Local,
        backend::participations::JoinRequest {
            event_id: event.id,
            ..Default::default()
        },
    )
    .await
    .and_then(backend::participations::Joined::into_participation)
    .expect("join");
    let gql = logged_in(&server, &bob).await;

    let created = gql.data(CREATE_TOKEN, json!({})).await;
    let token = created["createFeedToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(created["createFeedToken"]["actor"].is_null());
    assert_eq!(
        created["createFeedToken"]["user"]["id"],
        bob.user.id.to_string()
    );
    let limited = gql
        .data(CREATE_TOKEN, json!({ "actorId": bob.actor.id.to_string() }))
        .await;
    assert_eq!(
        limited["createFeedToken"]["actor"]["id"],
        bob.actor.id.to_string()
    );
    let listed = gql
        .data(
            "{ loggedUser { feedTokens { token } } identities { feedTokens { token } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["loggedUser"]["feedTokens"].as_array().unwrap().len(),
        2,
        "the owner sees the addresses again"
    );
    assert_eq!(
        listed["identities"][0]["feedTokens"][0]["token"],
        limited["createFeedToken"]["token"]
    );
    let code = gql
        .error_code(CREATE_TOKEN, json!({ "actorId": org.actor.id.to_string() }))
        .await;
    assert_eq!(code, "not_found", "someone else's identity");
    let code = server.gql().error_code(CREATE_TOKEN, json!({})).await;
    assert_eq!(code, "unauthenticated");

    let ics = get(&server, &format!("/feed/{token}/ics"), &[]).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert_eq!(summaries(&ics.body), ["Assembly"]);
    assert_eq!(ics.header(header::CACHE_CONTROL), "private, max-age=300");
    let etag = ics.header(header::ETAG).to_owned();
    let again = get(
        &server,
        &format!("/feed/{token}/ics"),
        &[(header::IF_NONE_MATCH, &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let atom = get(&server, &format!("/feed/{token}/atom"), &[]).await;
    assert_eq!(entry_titles(&atom.body), ["Assembly"]);
    // Mobilizon's addresses of the same feeds answer the same.
    let going = get(&server, &format!("/events/going/{token}/ics"), &[]).await;
    assert_eq!(summaries(&going.body), ["Assembly"]);
    let going = get(&server, &format!("/events/going/{token}/atom"), &[]).await;
    assert_eq!(entry_titles(&going.body), ["Assembly"]);

    let code = logged_in(&server, &org)
        .await
        .error_code(DELETE_TOKEN, json!({ "token": token }))
        .await;
    assert_eq!(code, "not_found", "only the owner revokes");
    let deleted = gql.data(DELETE_TOKEN, json!({ "token": token })).await;
    assert_eq!(
        deleted["deleteFeedToken"]["user"]["id"],
        bob.user.id.to_string()
    );
    for format in ["ics", "atom"] {
        let revoked = get(&server, &format!("/feed/{token}/{format}"), &[]).await;
        assert_eq!(revoked.status, StatusCode::NOT_FOUND);
        assert_eq!(revoked.body, "feed not found\n");
        let revoked = get(&server, &format!("/events/going/{token}/{format}"), &[]).await;
        assert_eq!(revoked.status, StatusCode::NOT_FOUND);
    }
    let revalidating = get(
        &server,
        &format!("/feed/{token}/ics"),
        &[(header::IF_NONE_MATCH, &etag)],
    )
    .await;
    assert_eq!(revalidating.status, StatusCode::NOT_FOUND);
}

/// `CONVIVE_FEED_VALIDATORS`: the `.ci` directory, with `validate_feeds.py`, its `.venv` and
/// `node_modules`.
fn validators() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("CONVIVE_FEED_VALIDATORS")?);
    for needed in [
        "validate_feeds.py",
        ".venv/bin/python",
        "node_modules/ical.js",
    ] {
        assert!(
            dir.join(needed).exists(),
            "CONVIVE_FEED_VALIDATORS={}: no {needed} there (run .ci/install)",
            dir.display()
        );
    }
    Some(dir)
}

fn run_validators(dir: &Path, expected: &Path, files: &[PathBuf]) {
    let output = std::process::Command::new(dir.join(".venv/bin/python"))
        .arg(dir.join("validate_feeds.py"))
        .arg("--expected")
        .arg(expected)
        .args(files)
        .output()
        .expect("the validators run");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{report}");
    assert!(
        output.status.success(),
        "the validators found problems:\n{report}"
    );
}

#[tokio::test]
async fn every_feed_passes_the_independent_parsers() {
    let Some(dir) = validators() else {
        skip(
            "CONVIVE_FEED_VALIDATORS is not set (the .ci directory after .ci/install: \
             Python icalendar, vobject, feedparser and Mozilla's ical.js)",
        );
        return;
    };
    let server = TestServer::start().await;
    let alice = person(&server, "alice").await;
    let bob = person(&server, "bob").await;
    let mut created = Vec::new();

    let next_year = server.ctx.now().year() + 1;
    let mut long = new_event(
        &format!(
            "Fête du vélo 🚲🎉 : grande balade, pique-nique et café — {}",
            "très ".repeat(20)
        ),
        // 19:00 in Paris, in summer time.
        Utc.with_ymd_and_hms(next_year, 7, 14, 17, 0, 0).unwrap(),
    );
    long.tags = Some(vec!["vélo".to_owned(), "fête, été".to_owned()]);
    long.category = Some("OUTDOORS_ADVENTURE".to_owned());
    long.description = Some(
        "<p>Départ ; place « République ».</p><ul><li>Casque</li><li>Gilet 🦺</li></ul>".to_owned(),
    );
    long.physical_address = Some(backend::addresses::AddressInput {
        street: Some("Place de la République".to_owned()),
        locality: Some("Paris".to_owned()),
        country: Some("France".to_owned()),
        geom: Some("2.3636;48.8674".to_owned()),
        ..Default::default()
    });
    created.push(create(&server, &alice, long).await);

    // 00:30 to 03:30 in New York across the end of daylight saving time (the first Sunday of
    // November), that is 04:30 to 08:30 UTC.
    let dst_ends = (1..=7)
        .filter_map(|day| NaiveDate::from_ymd_opt(next_year, 11, day))
        .find(|day| day.weekday() == Weekday::Sun)
        .unwrap();
    let at = |hour| Utc.from_utc_datetime(&dst_ends.and_hms_opt(hour, 30, 0).unwrap());
    let mut night = new_event("Night ride", at(4));
    night.ends_on = Some(at(8));
    night.options.timezone = Some("America/New_York".to_owned());
    created.push(create(&server, &alice, night).await);

    let to_cancel = create(
        &server,
        &alice,
        new_event("Atelier annulé", soon(&server, 6)),
    )
    .await;
    created.push(to_cancel.clone());

    let mut online = new_event("オンライン勉強会", soon(&server, 8));
    online.online_address = Some("https://meet.example/study?room=42&lang=ja".to_owned());
    online.options.timezone = Some("Asia/Tokyo".to_owned());
    created.push(create(&server, &alice, online).await);

    let mut open_ended = new_event("Open-ended jam", soon(&server, 9));
    open_ended.ends_on = None;
    open_ended.options.timezone = Some("UTC".to_owned());
    created.push(create(&server, &alice, open_ended).await);

    for event in &created {
        backend::participations::join(
            &server.ctx,
            &bob.principal(),
            &backend::rate_limits::Client::Local,
            backend::participations::JoinRequest {
                event_id: event.id,
                ..Default::default()
            },
        )
        .await
        .and_then(backend::participations::Joined::into_participation)
        .expect("join");
    }
    // Cancelled after bob joined: cancellation is shown, not a deletion.
    service::update(
        &server.ctx,
        &alice.principal(),
        to_cancel.id,
        EventChanges {
            status: Some(EventStatus::Cancelled),
            ..Default::default()
        },
    )
    .await
    .expect("cancelled");
    let token = backend::feeds::tokens::create(&server.ctx, &bob.user, None)
        .await
        .expect("token")
        .token;

    let work = tempfile::tempdir().expect("temporary directory");
    let mut files = Vec::new();
    for (name, path) in [
        (
            "event.ics",
            format!("/events/{}/export/ics", created[0].uuid),
        ),
        ("actor.ics", "/@alice/feed/ics".to_owned()),
        ("actor.atom", "/@alice/feed/atom".to_owned()),
        ("instance.ics", "/events/feed/ics".to_owned()),
        ("instance.atom", "/events/feed/atom".to_owned()),
        ("tagged.ics", "/events/feed/ics?tags=velo".to_owned()),
        ("token.ics", format!("/feed/{token}/ics")),
        ("token.atom", format!("/feed/{token}/atom")),
    ] {
        let fetched = get(&server, &path, &[]).await;
        assert_eq!(fetched.status, StatusCode::OK, "{path}");
        let file = work.path().join(name);
        std::fs::write(&file, fetched.body.as_bytes()).expect("write");
        files.push(file);
    }
    let starts: BTreeMap<String, String> = created
        .iter()
        .map(|event| {
            (
                backend::events::calendar::uid(&server.ctx, event),
                event.begins_on.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            )
        })
        .collect();
    let expected = work.path().join("expected.json");
    std::fs::write(
        &expected,
        serde_json::to_vec(&json!({ "dtstart_utc": starts })).unwrap(),
    )
    .expect("write");
    run_validators(&dir, &expected, &files);

    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../backend/tests/golden");
    run_validators(
        &dir,
        &golden.join("events.expected.json"),
        &[golden.join("events.ics"), golden.join("events.atom")],
    );
}
