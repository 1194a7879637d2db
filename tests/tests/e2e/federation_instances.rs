//! Two instances on loopback, part 2 of federation: people on B join events of a group on A
//! under A's rules (free, restricted, full) and both sides agree on who is going; instances
//! follow each other through their instance actors; an admin blocks an instance.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::time::Duration;

use chrono::Utc;
use entity::participant::ParticipantRole;
use serde_json::{Value, json};
use tests::TestServer;
use tests::federating::{self, wait_for};
use tests::people::{Member, sign_up};

const CREATE_EVENT: &str = "mutation($group: ID!, $title: String!, $begins: DateTime!, $join: EventJoinOptions, $max: Int, $waitlist: Boolean) {
    createEvent(attributedToId: $group, title: $title, beginsOn: $begins, joinOptions: $join,
        options: { maximumAttendeeCapacity: $max, waitlistEnabled: $waitlist, timezone: \"Europe/Paris\" }) { id uuid }
}";
const JOIN: &str = "mutation($e: ID!) { joinEvent(eventId: $e) { id role } }";
const LEAVE: &str = "mutation($e: ID!) { leaveEvent(eventId: $e) { id } }";
const DECIDE: &str = "mutation($id: ID!, $r: ParticipantRoleEnum!) { updateParticipation(id: $id, role: $r) { role } }";

struct Setup {
    a: TestServer,
    b: TestServer,
    alice: Member,
    bob: Member,
    group_id: String,
}

/// A group `repair` on A, followed from B by bob (so B keeps the group's events).
async fn setup() -> Setup {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"repair\", name: \"Repair collective\") { id } }",
            json!({}),
        )
        .await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let bob_member = sign_up(&b, "bob").await;
    let bob = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();
    let follow = federation::follow_remote(
        b.federation(),
        &b.ctx,
        &bob,
        &format!("repair@{}", a.ctx.settings.public_url.host()),
    )
    .await
    .unwrap();
    wait_for("A's Accept of the follow", || async {
        backend::groups::followers::find_follow(&b.ctx.db, bob.id, follow.target_id)
            .await
            .unwrap()?
            .approved
            .then_some(())
    })
    .await;
    Setup {
        a,
        b,
        alice,
        bob: bob_member,
        group_id,
    }
}

impl Setup {
    /// Publishes an event on A without a waitlist (a full one refuses) and returns (its id on
    /// A, its id on B).
    async fn event(&self, title: &str, join: &str, max: Option<i32>) -> (i64, String) {
        self.event_with_waitlist(title, join, max, false).await
    }

    async fn event_with_waitlist(
        &self,
        title: &str,
        join: &str,
        max: Option<i32>,
        waitlist: bool,
    ) -> (i64, String) {
        let begins = Utc::now() + chrono::Duration::days(5);
        let created = self
            .alice
            .gql
            .data(
                CREATE_EVENT,
                json!({ "group": self.group_id, "title": title, "begins": begins, "join": join, "max": max, "waitlist": waitlist }),
            )
            .await;
        let id: i64 = created["createEvent"]["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let uuid = created["createEvent"]["uuid"].as_str().unwrap();
        let ap_id = self.a.ctx.url(&format!("/events/{uuid}"));
        let on_b = wait_for("the event on B", || async {
            backend::events::federated::find_by_ap_id(&self.b.ctx.db, &ap_id)
                .await
                .unwrap()
        })
        .await;
        (id, on_b.id.to_string())
    }

    /// The role of `username`@B in the event, as A sees it.
    async fn role_on_a(&self, event_id: i64, username: &str) -> Option<ParticipantRole> {
        let b_host = self.b.ctx.settings.public_url.host();
        let person = backend::actors::remote::find_by_ap_id(
            &self.a.ctx.db,
            &format!("http://{b_host}/@{username}"),
        )
        .await
        .unwrap()?;
        backend::participations::of_actor(&self.a.ctx.db, event_id, person.id)
            .await
            .unwrap()
            .map(|p| p.role)
    }

    async fn role_on_b(&self, event_id: &str, username: &str) -> Option<ParticipantRole> {
        let person = backend::actors::find_local_by_username(&self.b.ctx.db, username)
            .await
            .unwrap()
            .unwrap();
        backend::participations::of_actor(&self.b.ctx.db, event_id.parse().unwrap(), person.id)
            .await
            .unwrap()
            .map(|p| p.role)
    }

    async fn participant_id_on_a(&self, event_id: i64, username: &str) -> String {
        let list = self
            .alice
            .gql
            .data(
                "query($uuid: UUID!) { event(uuid: $uuid) { participants { elements { id actor { preferredUsername domain } } } } }",
                json!({ "uuid": backend::events::find(&self.a.ctx.db, event_id).await.unwrap().uuid }),
            )
            .await;
        let b_host = self.b.ctx.settings.public_url.host();
        list["event"]["participants"]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p: &&Value| {
                p["actor"]["preferredUsername"] == username && p["actor"]["domain"] == b_host
            })
            .unwrap_or_else(|| panic!("{username}@B among the participants on A: {list:#}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

#[tokio::test]
async fn a_person_on_b_joins_a_free_event_on_a_is_going_on_both_sides_then_leaves() {
    let s = setup().await;
    let bob = &s.bob;
    let (on_a, on_b) = s.event("Repair café", "FREE", None).await;

    let joined = bob.gql.data(JOIN, json!({ "e": on_b })).await;
    assert_eq!(
        joined["joinEvent"]["role"], "NOT_APPROVED",
        "pending until A answers"
    );
    wait_for("going on A", || async {
        (s.role_on_a(on_a, "bob").await == Some(ParticipantRole::Participant)).then_some(())
    })
    .await;
    wait_for("going on B", || async {
        (s.role_on_b(&on_b, "bob").await == Some(ParticipantRole::Participant)).then_some(())
    })
    .await;
    s.participant_id_on_a(on_a, "bob").await;
    // Bob's private calendar on B has the event of A he is going to.
    let token = bob
        .gql
        .data("mutation { createFeedToken { token } }", json!({}))
        .await;
    let token = token["createFeedToken"]["token"].as_str().unwrap();
    let calendar = reqwest::get(s.b.url(&format!("/feed/{token}/ics")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(calendar.contains("SUMMARY:Repair café"), "{calendar}");

    bob.gql.data(LEAVE, json!({ "e": on_b })).await;
    wait_for("the seat freed on A", || async {
        s.role_on_a(on_a, "bob").await.is_none().then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_restricted_event_waits_for_the_organizer_who_approves_one_and_rejects_another() {
    let s = setup().await;
    let bob = &s.bob;
    let carol = sign_up(&s.b, "carol").await;
    let (on_a, on_b) = s.event("Assembly", "RESTRICTED", None).await;

    bob.gql.data(JOIN, json!({ "e": on_b })).await;
    carol.gql.data(JOIN, json!({ "e": on_b })).await;
    for name in ["bob", "carol"] {
        wait_for("the request on A", || async {
            (s.role_on_a(on_a, name).await == Some(ParticipantRole::NotApproved)).then_some(())
        })
        .await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        s.role_on_b(&on_b, "bob").await,
        Some(ParticipantRole::NotApproved),
        "still pending on B"
    );

    let bob_on_a = s.participant_id_on_a(on_a, "bob").await;
    let carol_on_a = s.participant_id_on_a(on_a, "carol").await;
    s.alice
        .gql
        .data(DECIDE, json!({ "id": bob_on_a, "r": "PARTICIPANT" }))
        .await;
    s.alice
        .gql
        .data(DECIDE, json!({ "id": carol_on_a, "r": "REJECTED" }))
        .await;
    wait_for("bob going on B", || async {
        (s.role_on_b(&on_b, "bob").await == Some(ParticipantRole::Participant)).then_some(())
    })
    .await;
    wait_for("carol rejected on B", || async {
        (s.role_on_b(&on_b, "carol").await == Some(ParticipantRole::Rejected)).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_full_event_refuses_a_remote_person_who_sees_the_refusal_on_b() {
    let s = setup().await;
    let bob = &s.bob;
    let carol = sign_up(&s.b, "carol").await;
    let (on_a, on_b) = s.event("Small workshop", "FREE", Some(1)).await;

    bob.gql.data(JOIN, json!({ "e": on_b })).await;
    wait_for("bob going on A", || async {
        (s.role_on_a(on_a, "bob").await == Some(ParticipantRole::Participant)).then_some(())
    })
    .await;
    carol.gql.data(JOIN, json!({ "e": on_b })).await;
    wait_for("carol refused on B", || async {
        (s.role_on_b(&on_b, "carol").await == Some(ParticipantRole::Rejected)).then_some(())
    })
    .await;
    assert_eq!(s.role_on_a(on_a, "carol").await, None, "no seat taken on A");
}

#[tokio::test]
async fn a_remote_person_waits_in_line_on_a_and_is_accepted_on_b_when_a_seat_frees() {
    let s = setup().await;
    let (bob, carol) = (&s.bob, sign_up(&s.b, "carol").await);
    let dora = sign_up(&s.a, "dora").await;
    let (on_a, on_b) = s
        .event_with_waitlist("Small workshop", "FREE", Some(1), true)
        .await;
    dora.gql.data(JOIN, json!({ "e": on_a.to_string() })).await;
    bob.gql.data(JOIN, json!({ "e": on_b })).await;
    wait_for("bob in line on A", || async {
        (s.role_on_a(on_a, "bob").await == Some(ParticipantRole::Waitlisted)).then_some(())
    })
    .await;
    assert_eq!(
        s.role_on_b(&on_b, "bob").await,
        Some(ParticipantRole::NotApproved),
        "pending on B until A answers"
    );
    carol.gql.data(JOIN, json!({ "e": on_b })).await;
    wait_for("carol in line on A", || async {
        (s.role_on_a(on_a, "carol").await == Some(ParticipantRole::Waitlisted)).then_some(())
    })
    .await;

    dora.gql.data(LEAVE, json!({ "e": on_a.to_string() })).await;
    wait_for("bob accepted on B", || async {
        (s.role_on_b(&on_b, "bob").await == Some(ParticipantRole::Participant)).then_some(())
    })
    .await;
    assert_eq!(
        s.role_on_a(on_a, "bob").await,
        Some(ParticipantRole::Participant)
    );
    assert_eq!(
        s.role_on_a(on_a, "carol").await,
        Some(ParticipantRole::Waitlisted)
    );
    assert_eq!(
        s.role_on_b(&on_b, "carol").await,
        Some(ParticipantRole::NotApproved)
    );
}

#[tokio::test]
async fn remote_and_local_rsvps_together_never_exceed_the_capacity() {
    let s = setup().await;
    let (on_a, on_b) = s.event("Tiny workshop", "FREE", Some(3)).await;
    let mut remote = Vec::new();
    for i in 0..4 {
        remote.push(sign_up(&s.b, &format!("remote{i}")).await);
    }
    let mut local = Vec::new();
    for i in 0..4 {
        local.push(sign_up(&s.a, &format!("local{i}")).await);
    }
    let mut joins = tokio::task::JoinSet::new();
    for m in &remote {
        let (gql, e) = (m.gql.clone(), on_b.clone());
        joins.spawn(async move { gql.send(JOIN, json!({ "e": e })).await });
    }
    for m in &local {
        let (gql, e) = (m.gql.clone(), on_a.to_string());
        joins.spawn(async move { gql.send(JOIN, json!({ "e": e })).await });
    }
    joins.join_all().await;
    // Every remote join gets an answer: going or refused.
    for m in &remote {
        wait_for("an answer on B", || async {
            match s.role_on_b(&on_b, &m.username).await {
                Some(ParticipantRole::Participant | ParticipantRole::Rejected) => Some(()),
                _ => None,
            }
        })
        .await;
    }
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let going = entity::participant::Entity::find()
        .filter(entity::participant::Column::EventId.eq(on_a))
        .filter(entity::participant::Column::Role.eq(ParticipantRole::Participant))
        .count(&s.a.ctx.db)
        .await
        .unwrap();
    assert_eq!(going, 3, "exactly the capacity");
}

/// An administrator of `server`: signed up, promoted, logged in again.
async fn admin(server: &TestServer, username: &str) -> tests::Gql {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let member = sign_up(server, username).await;
    entity::user::Entity::update_many()
        .col_expr(
            entity::user::Column::Role,
            Expr::value(entity::user::UserRole::Administrator),
        )
        .filter(entity::user::Column::Email.eq(member.email.as_str()))
        .exec(&server.ctx.db)
        .await
        .unwrap();
    let login = server
        .gql()
        .data(
            "mutation($e: String!) { login(email: $e, password: \"long enough password\") { accessToken } }",
            json!({ "e": member.email }),
        )
        .await;
    server
        .gql()
        .with_token(login["login"]["accessToken"].as_str().unwrap())
}

#[tokio::test]
async fn an_instance_blocked_by_a_cannot_join_or_follow_gets_nothing_and_its_events_vanish_from_a()
{
    let s = setup().await;
    // B has a group with an event, followed from A: A keeps that event.
    let b_org = sign_up(&s.b, "berta").await;
    let garden = b_org
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"garden\", name: \"Garden\") { id } }",
            json!({}),
        )
        .await;
    let garden_id = garden["createGroup"]["id"].as_str().unwrap().to_owned();
    sign_up(&s.a, "anna").await;
    let anna = backend::actors::find_local_by_username(&s.a.ctx.db, "anna")
        .await
        .unwrap()
        .unwrap();
    let b_host = s.b.ctx.settings.public_url.host();
    let follow = federation::follow_remote(
        s.a.federation(),
        &s.a.ctx,
        &anna,
        &format!("garden@{b_host}"),
    )
    .await
    .unwrap();
    wait_for("B's Accept on A", || async {
        backend::groups::followers::find_follow(&s.a.ctx.db, anna.id, follow.target_id)
            .await
            .unwrap()?
            .approved
            .then_some(())
    })
    .await;
    let begins = Utc::now() + chrono::Duration::days(4);
    let created = b_org
        .gql
        .data(
            CREATE_EVENT,
            json!({ "group": garden_id, "title": "Seed swap", "begins": begins, "join": "FREE", "max": null }),
        )
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap();
    let b_event = s.b.ctx.url(&format!("/events/{uuid}"));
    wait_for("B's event on A", || async {
        backend::events::federated::find_by_ap_id(&s.a.ctx.db, &b_event)
            .await
            .unwrap()
    })
    .await;
    let (on_a, on_b) = s.event("Repair café", "FREE", None).await;

    // A's administrator blocks B.
    let a_admin = admin(&s.a, "rosa").await;
    let refused = s
        .alice
        .gql
        .error_code(
            "mutation($d: String!) { blockDomain(domain: $d) { id } }",
            json!({ "d": b_host }),
        )
        .await;
    assert_eq!(refused, "forbidden", "only administrators block");
    let blocked = a_admin
        .data(
            "mutation($d: String!) { blockDomain(domain: $d, reason: \"spam\") { domain reason } }",
            json!({ "d": format!("https://{b_host}/") }),
        )
        .await;
    assert_eq!(blocked["blockDomain"]["domain"], b_host);
    let listed = a_admin
        .data("{ domainBlocks { domain reason } }", json!({}))
        .await;
    assert_eq!(listed["domainBlocks"][0]["reason"], "spam");

    // B's events vanish from A's search, pages and feeds.
    assert!(
        backend::events::federated::find_by_ap_id(&s.a.ctx.db, &b_event)
            .await
            .unwrap()
            .is_none()
    );
    let search =
        s.a.gql()
            .data("{ searchEvents(term: \"seed\") { total } }", json!({}))
            .await;
    assert_eq!(search["searchEvents"]["total"], 0);
    let page = reqwest::get(s.a.url(&format!("/@garden@{b_host}")))
        .await
        .unwrap();
    assert_eq!(page.status(), 404, "the blocked group's page is gone");
    let feed = reqwest::get(s.a.url("/events/feed/ics")).await.unwrap();
    let feed = feed.text().await.unwrap();
    assert!(!feed.contains("Seed swap"), "{feed}");

    // B's Join and Follow are refused at A's inbox; A delivers nothing to B.
    s.bob.gql.data(JOIN, json!({ "e": on_b })).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(s.role_on_a(on_a, "bob").await, None, "the Join was refused");
    let deliveries_to_b = || async {
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        entity::job::Entity::find()
            .filter(entity::job::Column::Kind.eq(federation::delivery::DELIVER_JOB))
            .filter(entity::job::Column::State.eq(entity::job::JobState::Done))
            .filter(entity::job::Column::UniqueKey.contains(b_host.as_str()))
            .count(&s.a.ctx.db)
            .await
            .unwrap()
    };
    sign_up(&s.b, "carol").await;
    let carol = backend::actors::find_local_by_username(&s.b.ctx.db, "carol")
        .await
        .unwrap()
        .unwrap();
    let a_host = s.a.ctx.settings.public_url.host();
    federation::follow_remote(
        s.b.federation(),
        &s.b.ctx,
        &carol,
        &format!("repair@{a_host}"),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let a_group = backend::actors::find_local_by_username(&s.a.ctx.db, "repair")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        backend::groups::followers_count(&s.a.ctx.db, a_group.id)
            .await
            .unwrap(),
        0,
        "B's follows went with the block, and a new one is refused"
    );
    let delivered_before = deliveries_to_b().await;
    let another = s
        .alice
        .gql
        .data(
            CREATE_EVENT,
            json!({ "group": s.group_id, "title": "Another café", "begins": begins, "join": "FREE", "max": null }),
        )
        .await;
    let another = s.a.ctx.url(&format!(
        "/events/{}",
        another["createEvent"]["uuid"].as_str().unwrap()
    ));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        backend::events::federated::find_by_ap_id(&s.b.ctx.db, &another)
            .await
            .unwrap()
            .is_none(),
        "B never hears of A's new event"
    );
    assert_eq!(
        deliveries_to_b().await,
        delivered_before,
        "nothing more was delivered to B"
    );
}

#[tokio::test]
async fn an_instance_follows_another_once_its_admin_accepts_and_then_finds_its_public_events() {
    let a = federating::server().await;
    let b = federating::server().await;
    let a_admin = admin(&a, "rosa").await;
    let b_admin = admin(&b, "rita").await;
    let b_host = b.ctx.settings.public_url.host();
    let a_host = a.ctx.settings.public_url.host();

    let added = a_admin
        .data(
            "mutation($d: String!) { addInstance(domain: $d) { domain followedStatus } }",
            json!({ "d": b_host }),
        )
        .await;
    assert_eq!(added["addInstance"]["domain"], b_host);
    assert_eq!(added["addInstance"]["followedStatus"], "PENDING");
    const INSTANCES: &str =
        "{ instances { total elements { domain followedStatus followerStatus } } }";
    wait_for("A's request on B", || async {
        let list = b_admin.data(INSTANCES, json!({})).await;
        (list["instances"]["elements"][0]["followerStatus"] == "PENDING").then_some(())
    })
    .await;
    let followers = b_admin
        .data(
            "{ relayFollowers { total elements { approved actor { domain } } } }",
            json!({}),
        )
        .await;
    assert_eq!(followers["relayFollowers"]["total"], 1);
    assert_eq!(
        followers["relayFollowers"]["elements"][0]["approved"],
        false
    );
    assert_eq!(
        followers["relayFollowers"]["elements"][0]["actor"]["domain"],
        a_host
    );
    let accepted = b_admin
        .data(
            "mutation($a: String!) { acceptRelay(address: $a) { approved actor { domain } targetActor { domain } } }",
            json!({ "a": format!("relay@{a_host}") }),
        )
        .await;
    assert_eq!(accepted["acceptRelay"]["approved"], true);
    assert_eq!(accepted["acceptRelay"]["actor"]["domain"], a_host);
    assert!(
        accepted["acceptRelay"]["targetActor"]["domain"].is_null(),
        "B's own instance actor"
    );
    wait_for("B's Accept on A", || async {
        let list = a_admin.data(INSTANCES, json!({})).await;
        (list["instances"]["elements"][0]["followedStatus"] == "APPROVED").then_some(())
    })
    .await;
    let followings = a_admin
        .data(
            "{ relayFollowings(limit: 5) { total elements { approved targetActor { domain } } } }",
            json!({}),
        )
        .await;
    assert_eq!(followings["relayFollowings"]["total"], 1);
    assert_eq!(
        followings["relayFollowings"]["elements"][0]["targetActor"]["domain"],
        b_host
    );
    assert_eq!(
        followings["relayFollowings"]["elements"][0]["approved"],
        true
    );
    let described = a_admin
        .data(
            "{ instances { elements { software softwareVersion instanceDescription relayAddress eventCount reportsCount } } }",
            json!({}),
        )
        .await;
    let b_described = &described["instances"]["elements"][0];
    assert_eq!(b_described["software"], "convive", "from B's NodeInfo");
    assert_eq!(
        b_described["instanceDescription"],
        b.ctx.settings.instance.description.as_str()
    );
    assert_eq!(b_described["relayAddress"], format!("relay@{b_host}"));
    assert_eq!(b_described["reportsCount"], json!(null), "no reports here");

    // A public event of a group nobody on A follows reaches A through the instance follow.
    let berta = sign_up(&b, "berta").await;
    let garden = berta
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"garden\", name: \"Garden\") { id } }",
            json!({}),
        )
        .await;
    let begins = Utc::now() + chrono::Duration::days(6);
    berta
        .gql
        .data(
            CREATE_EVENT,
            json!({ "group": garden["createGroup"]["id"], "title": "Seed swap", "begins": begins, "join": "FREE", "max": null }),
        )
        .await;
    wait_for("B's public event in A's search", || async {
        let found = a
            .gql()
            .data("{ searchEvents(term: \"seed\") { total } }", json!({}))
            .await;
        (found["searchEvents"]["total"] == 1).then_some(())
    })
    .await;
}

#[tokio::test]
async fn b_down_while_a_approves_its_person_gets_the_accept_after_its_restart() {
    use backend::clock::ManualClock;
    let clock = ManualClock::new(Utc::now());
    let a = federating::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let group = alice
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"repair\", name: \"Repair collective\") { id } }",
            json!({}),
        )
        .await;
    let group_id = group["createGroup"]["id"].as_str().unwrap().to_owned();
    let bob = sign_up(&b, "bob").await;
    let bob_actor = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();
    let a_host = a.ctx.settings.public_url.host();
    let follow = federation::follow_remote(
        b.federation(),
        &b.ctx,
        &bob_actor,
        &format!("repair@{a_host}"),
    )
    .await
    .unwrap();
    wait_for("A's Accept of the follow", || async {
        backend::groups::followers::find_follow(&b.ctx.db, bob_actor.id, follow.target_id)
            .await
            .unwrap()?
            .approved
            .then_some(())
    })
    .await;
    let begins = Utc::now() + chrono::Duration::days(5);
    let created = alice
        .gql
        .data(
            CREATE_EVENT,
            json!({ "group": group_id, "title": "Assembly", "begins": begins, "join": "RESTRICTED", "max": null }),
        )
        .await;
    let on_a: i64 = created["createEvent"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let uuid = created["createEvent"]["uuid"].as_str().unwrap();
    let ap_id = a.ctx.url(&format!("/events/{uuid}"));
    let on_b = wait_for("the event on B", || async {
        backend::events::federated::find_by_ap_id(&b.ctx.db, &ap_id)
            .await
            .unwrap()
    })
    .await;
    bob.gql
        .data(JOIN, json!({ "e": on_b.id.to_string() }))
        .await;
    let b_host = b.ctx.settings.public_url.host();
    let bob_on_a = wait_for("the request on A", || async {
        let person =
            backend::actors::remote::find_by_ap_id(&a.ctx.db, &format!("http://{b_host}/@bob"))
                .await
                .unwrap()?;
        backend::participations::of_actor(&a.ctx.db, on_a, person.id)
            .await
            .unwrap()
    })
    .await;

    let b_port = b.ctx.settings.bind.0.port();
    let b_database = b.stop().await;
    alice
        .gql
        .data(
            DECIDE,
            json!({ "id": bob_on_a.id.to_string(), "r": "PARTICIPANT" }),
        )
        .await;
    // A's first attempt fails while B is down; the retry waits.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let b = federating::builder()
        .database(b_database)
        .port(b_port)
        .start()
        .await;
    clock.advance(chrono::Duration::hours(1));
    a.ctx.wake_workers();
    wait_for("bob going on B after its restart", || async {
        let person = backend::actors::find_local_by_username(&b.ctx.db, "bob")
            .await
            .unwrap()?;
        let p = backend::participations::of_actor(&b.ctx.db, on_b.id, person.id)
            .await
            .unwrap()?;
        (p.role == ParticipantRole::Participant).then_some(())
    })
    .await;
}
