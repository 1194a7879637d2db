//! Two real instances on loopback federate: a person on B follows a group on A through
//! WebFinger and a signed `Follow`, A accepts, and A's public event reaches B (created,
//! updated, cancelled, deleted) through durable, signed deliveries. Plus what a peer must never
//! get away with (unsigned or malformed posts) and the discovery documents.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::time::Duration;

use backend::clock::{Clock, ManualClock};
use backend::jobs::JobFilter;
use chrono::Utc;
use serde_json::{Value, json};
use tests::TestServer;
use tests::federating::{self, wait_for};
use tests::people::sign_up;

/// B follows A's group `repair` (created by alice on A) and waits for A's `Accept`.
async fn b_follows_the_group_on_a(
    a: &TestServer,
    b: &TestServer,
) -> (entity::actor::Model, entity::follow::Model) {
    sign_up(b, "bob").await;
    let bob = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();
    let a_host = a.ctx.settings.public_url.host();
    let follow =
        federation::follow_remote(b.federation(), &b.ctx, &bob, &format!("repair@{a_host}"))
            .await
            .expect("B resolves the group by WebFinger and follows it");
    wait_for("B to receive A's Accept", || async {
        let f = backend::groups::followers::find_follow(&b.ctx.db, bob.id, follow.target_id)
            .await
            .unwrap()?;
        f.approved.then_some(())
    })
    .await;
    (bob, follow)
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
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
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
    // People on B see where it comes from, and can go there.
    let search = reqwest::get(b.url("/search?term=repair"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(search.contains(&format!("From {a_host}")), "{search}");
    let page = reqwest::get(b.url(&format!("/events/{}", stored.uuid)))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("href=\"{ap_id}\"")), "{page}");

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
async fn an_event_published_while_b_is_down_reaches_b_after_its_restart_and_a_shows_the_retries() {
    let clock = ManualClock::new(Utc::now());
    let a = federating::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    b_follows_the_group_on_a(&a, &b).await;

    let b_port = b.ctx.settings.bind.0.port();
    let b_database = b.stop().await;

    let begins = Utc::now() + chrono::Duration::days(3);
    let created = alice
        .gql
        .data(CREATE_EVENT, json!({ "group": group_id, "begins": begins }))
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let ap_id = a.ctx.url(&format!("/events/{uuid}"));

    let deliveries = JobFilter {
        state: None,
        kind: Some(federation::delivery::DELIVER_JOB.to_owned()),
    };
    let failed_attempts = |at_least: i32| {
        let a = &a;
        let deliveries = &deliveries;
        move || async move {
            let (_, jobs) = backend::jobs::list(&a.ctx.db, deliveries, 1, 50)
                .await
                .unwrap();
            jobs.into_iter().find(|j| {
                j.payload.to_string().contains("\"Create\"")
                    && j.state == entity::job::JobState::Pending
                    && j.attempts >= at_least
                    && j.last_error.is_some()
            })
        }
    };
    let job = wait_for("A's first failed delivery to B", failed_attempts(1)).await;
    assert!(job.run_at > clock.now(), "the retry waits: {job:?}");
    clock.advance(chrono::Duration::hours(1));
    a.ctx.wake_workers();
    wait_for("A's second failed delivery to B", failed_attempts(2)).await;

    let b = federating::builder()
        .database(b_database)
        .port(b_port)
        .start()
        .await;
    clock.advance(chrono::Duration::hours(2));
    a.ctx.wake_workers();
    let stored = wait_for("the event on B after its restart", || async {
        backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(stored.title, "Repair café");
    let done = wait_for("A's delivery job to finish", || async {
        let job = backend::jobs::find(&a.ctx.db, job.id).await.unwrap();
        (job.state == entity::job::JobState::Done).then_some(job)
    })
    .await;
    assert!(done.attempts >= 3, "A's job shows the retries: {done:?}");
}

#[tokio::test]
async fn unsigned_and_malformed_posts_to_an_inbox_are_refused() {
    let a = federating::server().await;
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
    let a = federating::server().await;
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

const SEARCH_GROUPS: &str = "query($term: String!) {
    searchGroups(term: $term) { total elements { id preferredUsername name domain } }
}";

/// B's person finds A's group by `@name@host` and follows it through GraphQL.
async fn bob_follows_through_graphql(a: &TestServer, bob: &tests::people::Member) -> String {
    let term = format!("@repair@{}", a.ctx.settings.public_url.host());
    let found = bob.gql.data(SEARCH_GROUPS, json!({ "term": term })).await;
    assert_eq!(found["searchGroups"]["total"], 1, "{found:#}");
    let remote = &found["searchGroups"]["elements"][0];
    assert_eq!(remote["preferredUsername"], "repair");
    assert_eq!(remote["name"], "Repair collective");
    assert_eq!(remote["domain"], a.ctx.settings.public_url.host());
    let group_id = remote["id"].as_str().unwrap().to_owned();
    let follow = bob
        .gql
        .data(
            "mutation($g: ID!) { followGroup(groupId: $g) { id approved } }",
            json!({ "g": group_id }),
        )
        .await;
    assert_eq!(
        follow["followGroup"]["approved"], false,
        "pending until A answers"
    );
    group_id
}

async fn follow_on_b(
    b: &TestServer,
    username: &str,
    group_id: &str,
) -> Option<entity::follow::Model> {
    let bob = backend::actors::find_local_by_username(&b.ctx.db, username)
        .await
        .unwrap()
        .unwrap();
    backend::groups::followers::find_follow(&b.ctx.db, bob.id, group_id.parse().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_person_finds_a_remote_group_by_its_handle_follows_and_unfollows_it_through_graphql() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let a_group = backend::actors::find_local_by_username(&a.ctx.db, "repair")
        .await
        .unwrap()
        .unwrap();
    let bob = sign_up(&b, "bob").await;

    let group_id = bob_follows_through_graphql(&a, &bob).await;
    wait_for("A's Accept on B", || async {
        follow_on_b(&b, "bob", &group_id)
            .await?
            .approved
            .then_some(())
    })
    .await;
    assert_eq!(
        backend::groups::followers_count(&a.ctx.db, a_group.id)
            .await
            .unwrap(),
        1
    );

    bob.gql
        .data(
            "mutation($g: ID!) { unfollowGroup(groupId: $g) { id } }",
            json!({ "g": group_id }),
        )
        .await;
    wait_for("A to hear the Undo", || async {
        let n = backend::groups::followers_count(&a.ctx.db, a_group.id)
            .await
            .unwrap();
        (n == 0).then_some(())
    })
    .await;

    let nobody = bob
        .gql
        .data(
            SEARCH_GROUPS,
            json!({ "term": format!("@nobody@{}", a.ctx.settings.public_url.host()) }),
        )
        .await;
    assert_eq!(
        nobody["searchGroups"]["total"], 0,
        "an unknown handle finds nothing"
    );
}

#[tokio::test]
async fn a_group_that_approves_followers_by_hand_accepts_or_rejects_remote_followers() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"repair\", name: \"Repair collective\",
                manuallyApprovesFollowers: true) { id } }",
            json!({}),
        )
        .await;
    let a_group_id = created["createGroup"]["id"].as_str().unwrap().to_owned();
    let bob = sign_up(&b, "bob").await;
    let carol = sign_up(&b, "carol").await;

    let group_id = bob_follows_through_graphql(&a, &bob).await;
    bob_follows_through_graphql(&a, &carol).await;
    const PENDING: &str = "query($u: String!) {
        group(preferredUsername: $u) { followers(approved: false) { total elements { id actor { preferredUsername } } } }
    }";
    let pending = wait_for("both follow requests on A", || async {
        let pending = alice.gql.data(PENDING, json!({ "u": "repair" })).await;
        (pending["group"]["followers"]["total"] == 2).then_some(pending)
    })
    .await;
    let id_of = |name: &str| {
        pending["group"]["followers"]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["actor"]["preferredUsername"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let outsider = a.gql().error_code(PENDING, json!({ "u": "repair" })).await;
    assert_eq!(
        outsider, "forbidden",
        "followers are for the group's moderators"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !follow_on_b(&b, "bob", &group_id).await.unwrap().approved,
        "still pending on B before a decision"
    );

    const DECIDE: &str = "mutation($id: ID!, $ok: Boolean!) { updateFollower(id: $id, approved: $ok) { id approved } }";
    alice
        .gql
        .data(DECIDE, json!({ "id": id_of("bob"), "ok": true }))
        .await;
    alice
        .gql
        .data(DECIDE, json!({ "id": id_of("carol"), "ok": false }))
        .await;
    wait_for("the Accept on B", || async {
        follow_on_b(&b, "bob", &group_id)
            .await?
            .approved
            .then_some(())
    })
    .await;
    wait_for("the Reject on B", || async {
        follow_on_b(&b, "carol", &group_id)
            .await
            .is_none()
            .then_some(())
    })
    .await;
    let _ = a_group_id;
}

#[tokio::test]
async fn a_groups_new_name_and_its_deletion_reach_the_instances_that_follow_it() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let a_group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let (_, follow) = b_follows_the_group_on_a(&a, &b).await;
    let begins = Utc::now() + chrono::Duration::days(3);
    let created = alice
        .gql
        .data(
            CREATE_EVENT,
            json!({ "group": a_group_id, "begins": begins }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let ap_id = a.ctx.url(&format!("/events/{uuid}"));
    wait_for("the event on B", || async {
        backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
    })
    .await;

    alice
        .gql
        .data(
            "mutation($id: ID!) { updateGroup(id: $id, name: \"Repair & reuse collective\") { id } }",
            json!({ "id": a_group_id }),
        )
        .await;
    wait_for("the new name on B", || async {
        let cached = backend::actors::find(&b.ctx.db, follow.target_id)
            .await
            .ok()?;
        (cached.name.as_deref() == Some("Repair & reuse collective")).then_some(())
    })
    .await;

    alice
        .gql
        .data(
            "mutation($id: ID!) { deleteGroup(groupId: $id) { id } }",
            json!({ "id": a_group_id }),
        )
        .await;
    wait_for("B to forget the group and its event", || async {
        let group_gone = backend::actors::find(&b.ctx.db, follow.target_id)
            .await
            .is_err();
        let event_gone = backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
            .is_none();
        (group_gone && event_gone).then_some(())
    })
    .await;
}

#[tokio::test]
async fn from_the_pages_a_person_on_b_finds_a_group_on_a_by_its_handle_and_follows_it() {
    use tests::browser::Browser;
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let bob = sign_up(&b, "bob").await;
    let mut browser = Browser::new(&b.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
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

    let a_host = a.ctx.settings.public_url.host();
    let search = browser
        .get(&format!("/search?term=%40repair%40{a_host}"))
        .await;
    let group_page = format!("/@repair@{a_host}");
    assert_eq!(
        search.location.as_deref(),
        Some(group_page.as_str()),
        "{}",
        search.body
    );
    let page = browser.get(&group_page).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Repair collective"), "{}", page.body);
    let csrf = page.csrf();
    browser
        .post(&format!("{group_page}/follow"), &[("csrf", &csrf)])
        .await;
    let a_group = backend::actors::find_local_by_username(&a.ctx.db, "repair")
        .await
        .unwrap()
        .unwrap();
    wait_for("A to count B's person among the followers", || async {
        let n = backend::groups::followers_count(&a.ctx.db, a_group.id)
            .await
            .unwrap();
        (n == 1).then_some(())
    })
    .await;
}

#[tokio::test]
async fn interact_finds_an_event_and_a_group_of_another_instance_by_their_addresses() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let begins = Utc::now() + chrono::Duration::days(3);
    let created = alice
        .gql
        .data(CREATE_EVENT, json!({ "group": group_id, "begins": begins }))
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap();
    let bob = sign_up(&b, "bob").await;
    const INTERACT: &str = "query($uri: String!) { interact(uri: $uri) {
        __typename
        ... on Event { id title }
        ... on Group { preferredUsername domain }
    } }";

    let event = bob
        .gql
        .data(
            INTERACT,
            json!({ "uri": a.ctx.url(&format!("/events/{uuid}")) }),
        )
        .await;
    assert_eq!(event["interact"]["__typename"], "Event");
    assert_eq!(event["interact"]["title"], "Repair café");
    let joined = bob
        .gql
        .data(
            "mutation($e: ID!) { joinEvent(eventId: $e) { role } }",
            json!({ "e": event["interact"]["id"] }),
        )
        .await;
    assert_eq!(
        joined["joinEvent"]["role"], "NOT_APPROVED",
        "until A answers"
    );

    let group = bob
        .gql
        .data(INTERACT, json!({ "uri": a.ctx.url("/@repair") }))
        .await;
    assert_eq!(group["interact"]["__typename"], "Group");
    assert_eq!(
        group["interact"]["domain"],
        a.ctx.settings.public_url.host()
    );
    let unknown = bob
        .gql
        .error_code(
            INTERACT,
            json!({ "uri": a.ctx.url("/events/00000000-0000-0000-0000-000000000000") }),
        )
        .await;
    assert_eq!(unknown, "not_found");
}

#[tokio::test]
async fn a_server_whose_public_url_cannot_federate_refuses_to_start_and_names_the_key() {
    let database = backend::testing::TestDatabase::new().await;
    let mut settings = backend::testing::settings(&database.url);
    settings.public_url = backend::settings::PublicUrl::parse("http://my_events.example").unwrap();
    let ctx = backend::AppContext::start(settings).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let Err(err) = web::startup::Server::start(ctx, listener, std::future::pending()).await else {
        panic!("the server started with a host other instances cannot use");
    };
    let message = err.to_string();
    assert!(
        message.starts_with("invalid configuration: key \"public_url\""),
        "{message}"
    );
}
