//! What a peer must never get away with at our inbox, against two real instances on loopback:
//! A receives, and people on B (whose keys A fetches from B) sign requests with
//! `tests::signing`, honestly or not. Every refusal is a 4xx and leaves A's data as it was;
//! a replayed activity id changes nothing.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::Utc;
use serde_json::{Value, json};
use tests::TestServer;
use tests::federating;
use tests::people::sign_up;
use tests::signing::{SignedPost, Signer};

const CREATE_EVENT: &str = "mutation($group: ID!, $begins: DateTime!) {
    createEvent(attributedToId: $group, title: \"Repair café\", description: \"<p>Bring what is broken</p>\",
        beginsOn: $begins, options: { timezone: \"Europe/Paris\" }) { id uuid }
}";
const CREATE_GROUP: &str = "mutation($u: String!) {
    createGroup(preferredUsername: $u, name: \"Repair collective\", openness: OPEN, visibility: PUBLIC) { id }
}";

/// A person on `server` with keys, as a signer and its actor id.
async fn person_with_keys(server: &TestServer, username: &str) -> (Signer, String) {
    sign_up(server, username).await;
    let actor = backend::actors::find_local_by_username(&server.ctx.db, username)
        .await
        .unwrap()
        .unwrap();
    let actor = federation::keys::ensure(&server.ctx, actor).await.unwrap();
    let signer = Signer {
        key_id: format!("{}#main-key", actor.ap_id),
        private_key_pem: actor.private_key_pem.clone().unwrap(),
    };
    (signer, actor.ap_id)
}

/// A with a group `repair`, B with `bob` and `carol` (keys made).
struct Setup {
    a: TestServer,
    _b: TestServer,
    alice: tests::Gql,
    group_gql_id: String,
    group_ap_id: String,
    group_id: i64,
    bob: Signer,
    bob_id: String,
    carol: Signer,
}

async fn setup() -> Setup {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let created = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_gql_id = created["createGroup"]["id"].as_str().unwrap().to_owned();
    let group = backend::actors::find_local_by_username(&a.ctx.db, "repair")
        .await
        .unwrap()
        .unwrap();
    let (bob, bob_id) = person_with_keys(&b, "bob").await;
    let (carol, _) = person_with_keys(&b, "carol").await;
    Setup {
        group_ap_id: group.ap_id,
        group_id: group.id,
        a,
        _b: b,
        alice: alice.gql,
        group_gql_id,
        bob,
        bob_id,
        carol,
    }
}

impl Setup {
    fn inbox(&self) -> String {
        self.a.ctx.url("/inbox")
    }

    fn follow(&self, id: &str) -> String {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}#follows/{id}", self.bob_id),
            "type": "Follow",
            "actor": self.bob_id,
            "object": self.group_ap_id,
        })
        .to_string()
    }

    async fn followers(&self) -> u64 {
        backend::groups::followers_count(&self.a.ctx.db, self.group_id)
            .await
            .unwrap()
    }

    async fn received(&self, activity_id: &str) -> bool {
        backend::received_activities::was_received(&self.a.ctx.db, activity_id)
            .await
            .unwrap()
    }
}

async fn assert_refused(response: reqwest::Response, status: u16, why: &str) -> Value {
    let got = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{why}: {body}");
    serde_json::from_str(&body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn an_honest_signed_follow_is_accepted_and_its_replay_after_an_undo_changes_nothing() {
    let s = setup().await;
    let follow = s.follow("1");
    let response = SignedPost::new(&s.inbox(), &follow).send(&s.bob).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    assert_eq!(s.followers().await, 1);
    let follow_id = format!("{}#follows/1", s.bob_id);
    assert!(s.received(&follow_id).await);

    let undo = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#undo/1", s.bob_id),
        "type": "Undo",
        "actor": s.bob_id,
        "object": serde_json::from_str::<Value>(&follow).unwrap(),
    })
    .to_string();
    let response = SignedPost::new(&s.inbox(), &undo).send(&s.bob).await;
    assert_eq!(response.status(), 202);
    assert_eq!(s.followers().await, 0);

    // The same Follow again, freshly signed: a replay of a known id is accepted and ignored.
    let replay = SignedPost::new(&s.inbox(), &follow).send(&s.bob).await;
    assert_eq!(replay.status(), 202);
    assert_eq!(
        s.followers().await,
        0,
        "the replayed follow was not applied"
    );
}

#[tokio::test]
async fn a_follow_whose_sender_hung_up_is_still_applied_and_its_retry_changes_nothing() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait};
    let s = setup().await;
    if s.a.ctx.db.get_database_backend() != DatabaseBackend::Postgres {
        // SQLite's one writer: the claim itself would wait for the lock held below, so the
        // sender would hang up before anything was claimed. Run by CI on PostgreSQL.
        return;
    }
    // Applying the follow waits on its table until the test lets go, and the sender gives
    // up, as a peer's delivery times out. Five seconds: the server must first check the
    // signature and claim the activity, which took more than one second on a loaded CI run.
    let lock = s.a.ctx.db.begin().await.unwrap();
    lock.execute_unprepared("LOCK TABLE follows IN SHARE MODE")
        .await
        .unwrap();
    let follow = s.follow("impatient");
    let follow_id = format!("{}#follows/impatient", s.bob_id);
    let post = SignedPost::new(&s.inbox(), &follow);
    let sent = tokio::time::timeout(std::time::Duration::from_secs(5), post.send(&s.bob)).await;
    assert!(sent.is_err(), "the follow was applied despite the lock");
    assert!(s.received(&follow_id).await, "claimed before it waited");
    // Let the server notice the closed connection while the follow still waits.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    lock.rollback().await.unwrap();

    federating::wait_for("the follow to be applied", || async {
        (s.followers().await == 1).then_some(())
    })
    .await;
    // The sender's retry of the same activity.
    let retry = SignedPost::new(&s.inbox(), &follow).send(&s.bob).await;
    assert_eq!(retry.status(), 202);
    assert_eq!(s.followers().await, 1);
}

#[tokio::test]
async fn an_unsigned_post_is_refused_and_changes_nothing() {
    let s = setup().await;
    let follow = s.follow("unsigned");
    let response = reqwest::Client::new()
        .post(s.inbox())
        .header("content-type", "application/activity+json")
        .header(
            "date",
            Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        )
        .body(follow)
        .send()
        .await
        .unwrap();
    let body = assert_refused(response, 401, "unsigned").await;
    assert!(
        body["reason"].as_str().unwrap().contains("not signed"),
        "{body}"
    );
    assert_eq!(s.followers().await, 0);
    assert!(!s.received(&format!("{}#follows/unsigned", s.bob_id)).await);
}

#[tokio::test]
async fn a_request_signed_with_carols_key_claiming_to_be_bob_is_refused() {
    let s = setup().await;
    let follow = s.follow("forged");
    // Carol's key, named as Carol's…
    let response = SignedPost::new(&s.inbox(), &follow).send(&s.carol).await;
    assert_refused(response, 401, "carol's key for bob's activity").await;
    // …or named as Bob's.
    let disguised = Signer {
        key_id: s.bob.key_id.clone(),
        ..s.carol.clone()
    };
    let response = SignedPost::new(&s.inbox(), &follow).send(&disguised).await;
    assert_refused(response, 401, "carol's key under bob's key id").await;
    assert_eq!(s.followers().await, 0);
    assert!(!s.received(&format!("{}#follows/forged", s.bob_id)).await);
}

#[tokio::test]
async fn a_badly_signed_request_leaves_no_copy_of_its_claimed_sender_behind() {
    let s = setup().await;
    let known = || async {
        backend::actors::remote::find_by_ap_id(&s.a.ctx.db, &s.bob_id)
            .await
            .unwrap()
    };
    assert!(known().await.is_none());
    let disguised = Signer {
        key_id: s.bob.key_id.clone(),
        ..s.carol.clone()
    };
    let response = SignedPost::new(&s.inbox(), &s.follow("forged"))
        .send(&disguised)
        .await;
    assert_refused(response, 401, "carol's key under bob's key id").await;
    assert!(
        known().await.is_none(),
        "bob's document was fetched to check the key, not kept"
    );
    // Bob's own signature: now he is kept.
    let response = SignedPost::new(&s.inbox(), &s.follow("honest"))
        .send(&s.bob)
        .await;
    assert!(response.status().is_success());
    assert!(known().await.is_some());
}

#[tokio::test]
async fn a_stale_or_far_future_date_is_refused_with_a_reason() {
    let s = setup().await;
    let follow = s.follow("stale");
    for hours in [-13, 13] {
        let mut post = SignedPost::new(&s.inbox(), &follow);
        post.date = Utc::now() + chrono::Duration::hours(hours);
        let body = assert_refused(post.send(&s.bob).await, 401, "stale date").await;
        assert!(
            body["reason"].as_str().unwrap().contains("12 hours"),
            "{body}"
        );
    }
    assert_eq!(s.followers().await, 0);
    assert!(!s.received(&format!("{}#follows/stale", s.bob_id)).await);
}

#[tokio::test]
async fn a_follow_signed_three_hours_ago_by_a_peer_with_a_late_queue_is_accepted() {
    let s = setup().await;
    let mut post = SignedPost::new(&s.inbox(), &s.follow("late"));
    post.date = Utc::now() - chrono::Duration::hours(3);
    let response = post.send(&s.bob).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    assert_eq!(s.followers().await, 1);
}

#[tokio::test]
async fn a_follow_signed_with_rfc_9421_is_accepted() {
    let s = setup().await;
    let response = SignedPost::rfc9421(&s.inbox(), &s.follow("rfc9421"))
        .send(&s.bob)
        .await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    assert_eq!(s.followers().await, 1);
    assert!(s.received(&format!("{}#follows/rfc9421", s.bob_id)).await);
}

#[tokio::test]
async fn rfc_9421_signatures_with_another_key_a_wrong_digest_or_an_old_date_are_refused() {
    let s = setup().await;
    let follow = s.follow("forged");
    let claimed = SignedPost::rfc9421(&s.inbox(), &follow)
        .send(&s.carol)
        .await;
    let body = assert_refused(claimed, 401, "carol's key for bob's follow").await;
    assert!(
        body["reason"].as_str().unwrap().contains("RFC 9421"),
        "{body}"
    );

    let mut post = SignedPost::rfc9421(&s.inbox(), &follow);
    post.digest_of = Some(s.follow("something else"));
    let body = assert_refused(post.send(&s.bob).await, 401, "wrong digest").await;
    assert!(
        body["reason"].as_str().unwrap().contains("Content-Digest"),
        "{body}"
    );

    let mut post = SignedPost::rfc9421(&s.inbox(), &follow);
    post.date = Utc::now() - chrono::Duration::hours(13);
    let body = assert_refused(post.send(&s.bob).await, 401, "old signature").await;
    assert!(
        body["reason"].as_str().unwrap().contains("12 hours"),
        "{body}"
    );

    assert_eq!(s.followers().await, 0);
    assert!(!s.received(&format!("{}#follows/forged", s.bob_id)).await);
}

#[tokio::test]
async fn a_digest_that_does_not_match_the_body_is_refused() {
    let s = setup().await;
    let follow = s.follow("digest");
    let mut post = SignedPost::new(&s.inbox(), &follow);
    post.digest_of = Some(s.follow("something else"));
    assert_refused(post.send(&s.bob).await, 401, "wrong digest").await;
    assert_eq!(s.followers().await, 0);
    assert!(!s.received(&format!("{}#follows/digest", s.bob_id)).await);
}

#[tokio::test]
async fn an_update_of_an_event_the_sender_does_not_own_is_refused() {
    let s = setup().await;
    let begins = Utc::now() + chrono::Duration::days(3);
    let created = s
        .alice
        .data(
            CREATE_EVENT,
            json!({ "group": s.group_gql_id, "begins": begins }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let mut event: Value = reqwest::Client::new()
        .get(s.a.ctx.url(&format!("/events/{uuid}")))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    event["name"] = json!("Cancelled, go home");
    let update = |id: &str, event: &Value| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": format!("{}#updates/{id}", s.bob_id),
            "type": "Update",
            "actor": s.bob_id,
            "object": event,
        })
        .to_string()
    };
    // Bob (on B) updates Alice's event (on A) as it is…
    let response = SignedPost::new(&s.inbox(), &update("1", &event))
        .send(&s.bob)
        .await;
    let status = response.status();
    assert!(status.is_client_error(), "{status}");
    // …and claiming to be its organizer.
    event["attributedTo"] = json!(s.bob_id);
    event["actor"] = json!(s.bob_id);
    let response = SignedPost::new(&s.inbox(), &update("2", &event))
        .send(&s.bob)
        .await;
    let status = response.status();
    assert!(status.is_client_error(), "{status}");

    let stored = backend::events::find_by_uuid(&s.a.ctx.db, &uuid)
        .await
        .unwrap();
    assert_eq!(stored.title, "Repair café");
    assert!(!s.received(&format!("{}#updates/1", s.bob_id)).await);
    assert!(!s.received(&format!("{}#updates/2", s.bob_id)).await);
}

#[tokio::test]
async fn an_unknown_activity_type_is_accepted_and_ignored() {
    let s = setup().await;
    let like = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}#likes/1", s.bob_id),
        "type": "Like",
        "actor": s.bob_id,
        "object": s.group_ap_id,
    })
    .to_string();
    let response = SignedPost::new(&s.inbox(), &like).send(&s.bob).await;
    assert_eq!(response.status(), 202);
    assert_eq!(s.followers().await, 0);
}

/// One of Mobilizon's own captured activities, with its ids pointed at this test's actors.
fn mobilizon_fixture(name: &str, id: &str, actor: &str, object: &str) -> String {
    let path = format!(
        "{}/../federation/fixtures/activitypub/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut activity: Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    activity["id"] = json!(id);
    activity["actor"] = json!(actor);
    activity["object"] = json!(object);
    activity.to_string()
}

#[tokio::test]
async fn mobilizons_own_join_and_leave_take_a_seat_and_give_it_back() {
    let s = setup().await;
    let begins = Utc::now() + chrono::Duration::days(2);
    let created = s
        .alice
        .data(
            CREATE_EVENT,
            json!({ "group": s.group_gql_id, "begins": begins }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap();
    let event = backend::events::find_by_uuid(&s.a.ctx.db, uuid)
        .await
        .unwrap();
    let bob_on_a = || async {
        let bob = backend::actors::remote::find_by_ap_id(&s.a.ctx.db, &s.bob_id)
            .await
            .unwrap()?;
        backend::participations::of_actor(&s.a.ctx.db, event.id, bob.id)
            .await
            .unwrap()
    };

    // Mobilizon names a join `…/join/event/N` and a leave `…/leave/event/N` (its fixture
    // reuses the join's id for the leave; a real Mobilizon does not).
    let join = mobilizon_fixture(
        "mobilizon-join-activity.json",
        &format!("{}/join/event/1", s.bob_id),
        &s.bob_id,
        &event.ap_id,
    );
    let response = SignedPost::new(&s.inbox(), &join).send(&s.bob).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    let joined = bob_on_a().await.expect("bob takes part on A");
    assert_eq!(
        joined.role,
        entity::participant::ParticipantRole::Participant
    );
    assert_eq!(
        joined.ap_id.as_deref(),
        Some(format!("{}/join/event/1", s.bob_id).as_str())
    );

    let leave = mobilizon_fixture(
        "mobilizon-leave-activity.json",
        &format!("{}/leave/event/1", s.bob_id),
        &s.bob_id,
        &event.ap_id,
    );
    let response = SignedPost::new(&s.inbox(), &leave).send(&s.bob).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    assert!(bob_on_a().await.is_none(), "the seat is free again");

    // A Join of an event that is not ours is refused, and takes nothing.
    let elsewhere = mobilizon_fixture(
        "mobilizon-join-activity.json",
        &format!("{}/join/event/2", s.bob_id),
        &s.bob_id,
        "http://mobilizon.test/events/some-uuid",
    );
    let response = SignedPost::new(&s.inbox(), &elsewhere).send(&s.bob).await;
    assert_refused(response, 404, "a join of an unknown event").await;
}
