//! Groups, events and RSVPs over GraphQL against a real server: the walk-through of the README
//! (a restricted event with two seats, three RSVPs, one of them anonymous, approval, a full
//! event, a leave that frees a seat, a reminder), and what strangers must never see.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use backend::clock::{Clock, ManualClock};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::people::sign_up;
use tests::{TestServer, find_link};

const CREATE_GROUP: &str = "mutation($u: String!) {
    createGroup(preferredUsername: $u, name: \"Repair collective\", openness: OPEN, visibility: PUBLIC) { id preferredUsername }
}";
const CREATE_EVENT: &str = "mutation($group: ID!, $begins: DateTime!, $ends: DateTime) {
    createEvent(attributedToId: $group, title: \"Repair café\", description: \"<p>Bring what is broken</p>\",
        beginsOn: $begins, endsOn: $ends, joinOptions: RESTRICTED, category: MEETING, tags: [\"repair\", \"vélo\"],
        physicalAddress: { description: \"Maison des associations\", locality: \"Lyon\", geom: \"4.8357;45.7640\" },
        options: { maximumAttendeeCapacity: 2, anonymousParticipation: true, timezone: \"Europe/Paris\" }) {
        id uuid title joinOptions status options { maximumAttendeeCapacity timezone } attributedTo { preferredUsername }
    }
}";
const JOIN: &str = "mutation($event: ID!, $actor: ID, $email: String, $message: String) {
    joinEvent(eventId: $event, actorId: $actor, email: $email, message: $message) { id role }
}";
const PARTICIPANTS: &str = "query($uuid: UUID!, $roles: String) {
    event(uuid: $uuid) {
        participantStats { going participant notApproved notConfirmed }
        participants(roles: $roles) { total elements { id role actor { preferredUsername } metadata { message } } }
    }
}";
const UPDATE_PARTICIPATION: &str = "mutation($id: ID!, $role: ParticipantRoleEnum!) {
    updateParticipation(id: $id, role: $role) { id role }
}";

fn participant_id(list: &Value, username: &str) -> String {
    list["event"]["participants"]["elements"]
        .as_array()
        .expect("elements")
        .iter()
        .find(|p| p["actor"]["preferredUsername"] == username)
        .unwrap_or_else(|| panic!("no participant {username} in {list:#}"))["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

#[tokio::test]
async fn a_restricted_event_fills_up_frees_a_seat_and_sends_a_reminder() {
    let clock = ManualClock::new(Utc::now());
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let alice = sign_up(&server, "alice").await;
    let bob = sign_up(&server, "bob").await;
    let dave = sign_up(&server, "dave").await;
    dave.gql
        .data(
            "mutation { setUserSettings(notificationBeforeEvent: true, timezone: \"Europe/Paris\") { notificationBeforeEvent timezone } }",
            json!({}),
        )
        .await;

    let group = alice.gql.data(CREATE_GROUP, json!({ "u": "repair" })).await;
    let group_id = group["createGroup"]["id"].as_str().unwrap();
    let begins = clock.now() + Duration::hours(2);
    let created = alice
        .gql
        .data(
            CREATE_EVENT,
            json!({ "group": group_id, "begins": begins, "ends": begins + Duration::hours(2) }),
        )
        .await;
    let event = &created["createEvent"];
    assert_eq!(event["joinOptions"], "RESTRICTED");
    assert_eq!(event["attributedTo"]["preferredUsername"], "repair");
    let event_id = event["id"].as_str().unwrap();
    let uuid = event["uuid"].as_str().unwrap();

    // Three RSVPs: two people with accounts, one by email through the anonymous actor.
    let asked = bob
        .gql
        .data(
            JOIN,
            json!({ "event": event_id, "message": "I can fix bikes" }),
        )
        .await;
    assert_eq!(asked["joinEvent"]["role"], "NOT_APPROVED");
    dave.gql.data(JOIN, json!({ "event": event_id })).await;
    let config = server
        .gql()
        .data("{ config { anonymous { actorId } } }", json!({}))
        .await;
    let anonymous_actor = config["config"]["anonymous"]["actorId"].as_str().unwrap();
    let carol = "carol@example.org";
    let anonymous = server
        .gql()
        .data(
            JOIN,
            json!({ "event": event_id, "actor": anonymous_actor, "email": carol }),
        )
        .await;
    assert_eq!(anonymous["joinEvent"]["role"], "NOT_CONFIRMED");
    let mail = server
        .wait_for_mail(carol, "Confirm your participation")
        .await;
    let link = find_link(&mail.mail.text, "/participation/email/confirm/").expect("link");
    let token = link.rsplit('/').next().unwrap();
    let confirmed = server
        .gql()
        .data(
            "mutation($t: String!) { confirmParticipation(confirmationToken: $t) { role } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(confirmed["confirmParticipation"]["role"], "NOT_APPROVED");
    server.wait_for_mail(&alice.email, "wait").await;

    // The organizer approves two; the third is refused: the event is full.
    let list = alice
        .gql
        .data(
            PARTICIPANTS,
            json!({ "uuid": uuid, "roles": "not_approved" }),
        )
        .await;
    assert_eq!(list["event"]["participants"]["total"], 3);
    assert_eq!(list["event"]["participantStats"]["notApproved"], 3);
    let bob_participation = participant_id(&list, "bob");
    let dave_participation = participant_id(&list, "dave");
    let carol_participation = participant_id(&list, "anonymous");
    for id in [&bob_participation, &carol_participation] {
        alice
            .gql
            .data(
                UPDATE_PARTICIPATION,
                json!({ "id": id, "role": "PARTICIPANT" }),
            )
            .await;
    }
    let code = alice
        .gql
        .error_code(
            UPDATE_PARTICIPATION,
            json!({ "id": dave_participation, "role": "PARTICIPANT" }),
        )
        .await;
    assert_eq!(code, "event_full");
    let approval = server.wait_for_mail(&bob.email, "Approved").await;
    assert!(
        approval.raw.contains("text/calendar"),
        "the .ics is attached"
    );

    // Bob leaves: his seat goes to Dave.
    bob.gql
        .data(
            "mutation($e: ID!) { leaveEvent(eventId: $e) { id } }",
            json!({ "e": event_id }),
        )
        .await;
    alice
        .gql
        .data(
            UPDATE_PARTICIPATION,
            json!({ "id": dave_participation, "role": "PARTICIPANT" }),
        )
        .await;
    let stats = alice.gql.data(PARTICIPANTS, json!({ "uuid": uuid })).await;
    assert_eq!(stats["event"]["participantStats"]["participant"], 2);

    let participations = dave
        .gql
        .data(
            "{ loggedUser { participations { total elements { role event { uuid } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        participations["loggedUser"]["participations"]["elements"][0]["role"],
        "PARTICIPANT"
    );

    // An hour before the start, Dave is reminded, in Paris time.
    clock.advance(Duration::hours(1) + Duration::seconds(1));
    let reminder = server.wait_for_mail(&dave.email, "Soon").await;
    assert!(
        reminder.mail.text.contains("Europe/Paris"),
        "{}",
        reminder.mail.text
    );
}

#[tokio::test]
async fn strangers_never_see_private_events_member_lists_participants_or_emails() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let stranger = sign_up(&server, "stranger").await;
    let group = alice
        .gql
        .data(CREATE_GROUP, json!({ "u": "collective" }))
        .await;
    let group_id = group["createGroup"]["id"].as_str().unwrap();
    let begins = Utc::now() + Duration::days(2);
    let private = alice
        .gql
        .data(
            "mutation($g: ID!, $b: DateTime!) {
                createEvent(attributedToId: $g, title: \"Members' meeting\", beginsOn: $b, visibility: PRIVATE) { uuid }
            }",
            json!({ "g": group_id, "b": begins }),
        )
        .await;
    let public = alice
        .gql
        .data(
            "mutation($g: ID!, $b: DateTime!) {
                createEvent(attributedToId: $g, title: \"Open day\", beginsOn: $b) { uuid }
            }",
            json!({ "g": group_id, "b": begins }),
        )
        .await;
    let private_uuid = private["createEvent"]["uuid"].as_str().unwrap();
    let public_uuid = public["createEvent"]["uuid"].as_str().unwrap();

    for client in [server.gql(), stranger.gql.clone()] {
        let code = client
            .error_code(
                "query($u: UUID!) { event(uuid: $u) { title } }",
                json!({ "u": private_uuid }),
            )
            .await;
        assert_eq!(code, "not_found");
        let code = client
            .error_code(
                "query($u: UUID!) { event(uuid: $u) { participants { total } } }",
                json!({ "u": public_uuid }),
            )
            .await;
        assert_eq!(code, "forbidden");
        let code = client
            .error_code(
                "{ group(preferredUsername: \"collective\") { members { total } } }",
                json!({}),
            )
            .await;
        assert_eq!(code, "forbidden");
        let listed = client
            .data("{ events { total elements { uuid title } } }", json!({}))
            .await;
        assert_eq!(
            listed["events"]["total"], 1,
            "only the public event is listed"
        );
        let organized = client
            .data(
                "{ group(preferredUsername: \"collective\") { membersCount organizedEvents { total } } }",
                json!({}),
            )
            .await;
        assert_eq!(organized["group"]["organizedEvents"]["total"], 1);
        assert_eq!(organized["group"]["membersCount"], 1);
    }
    // Emails appear nowhere in what the API tells about people.
    let response = stranger
        .gql
        .send(
            "query($u: UUID!) { event(uuid: $u) { organizerActor { preferredUsername name url } } }",
            json!({ "u": public_uuid }),
        )
        .await;
    assert!(!response.to_string().contains(&alice.email), "{response}");
    let members = alice
        .gql
        .data(
            "{ group(preferredUsername: \"collective\") { members { total elements { role actor { preferredUsername } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        members["group"]["members"]["elements"][0]["role"],
        "CREATOR"
    );
}

#[tokio::test]
async fn search_finds_events_by_accentless_words_tags_and_a_geohash_radius() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let begins = Utc::now() + Duration::days(3);
    for (title, geom) in [
        ("Fête du vélo", "4.8357;45.7640"),
        ("Atelier couture", "2.3522;48.8566"),
    ] {
        alice
            .gql
            .data(
                "mutation($t: String!, $b: DateTime!, $geom: String) {
                    createEvent(title: $t, beginsOn: $b, tags: [\"Cyclisme\"], physicalAddress: { geom: $geom }) { id }
                }",
                json!({ "t": title, "b": begins, "geom": geom }),
            )
            .await;
    }
    let search = |variables: Value| {
        let gql = server.gql();
        async move {
            gql.data(
                "query($term: String, $tags: String, $location: String, $radius: Float) {
                    searchEvents(term: $term, tags: $tags, location: $location, radius: $radius) { total elements { title } }
                }",
                variables,
            )
            .await["searchEvents"]
                .clone()
        }
    };
    assert_eq!(search(json!({ "term": "fete velo" })).await["total"], 1);
    assert_eq!(search(json!({ "tags": "cyclisme" })).await["total"], 2);
    // u05kq is a geohash cell in Lyon.
    let near_lyon = search(json!({ "location": "u05kq", "radius": 25.0 })).await;
    assert_eq!(near_lyon["total"], 1);
    assert_eq!(near_lyon["elements"][0]["title"], "Fête du vélo");
    let code = server
        .gql()
        .error_code(
            "{ searchEvents(location: \"not a geohash!\") { total } }",
            json!({}),
        )
        .await;
    assert_eq!(code, "invalid");
}

#[tokio::test]
async fn a_groups_events_come_in_the_order_and_direction_a_client_asks() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let group = alice
        .gql
        .data(CREATE_GROUP, json!({ "u": "collective" }))
        .await;
    let group_id = group["createGroup"]["id"].as_str().unwrap();
    for (title, days) in [("Later", 5), ("Sooner", 2)] {
        alice
            .gql
            .data(
                "mutation($g: ID!, $t: String!, $b: DateTime!) {
                    createEvent(attributedToId: $g, title: $t, beginsOn: $b) { uuid }
                }",
                json!({ "g": group_id, "t": title, "b": Utc::now() + Duration::days(days) }),
            )
            .await;
    }
    let titles = |order: &'static str, direction: &'static str| {
        let gql = server.gql();
        async move {
            let list = gql
                .data(
                    "query($o: EventOrderBy, $d: SortDirection) {
                        group(preferredUsername: \"collective\") {
                            organizedEvents(order: $o, orderDirection: $d) { total elements { title } }
                        }
                    }",
                    json!({ "o": order, "d": direction }),
                )
                .await;
            list["group"]["organizedEvents"]["elements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(titles("BEGINS_ON", "ASC").await, ["Sooner", "Later"]);
    assert_eq!(titles("BEGINS_ON", "DESC").await, ["Later", "Sooner"]);
    assert_eq!(titles("INSERTED_AT", "ASC").await, ["Later", "Sooner"]);
    assert_eq!(titles("INSERTED_AT", "DESC").await, ["Sooner", "Later"]);
}
