//! The waitlist against a real server: a member joins a full event from its page and is told
//! their place in line; another joins through GraphQL and reads theirs; when a participant
//! leaves, the first in line takes the seat and receives the mail with the event's `.ics`.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::people::{Member, sign_up};

const JOIN: &str =
    "mutation($e: ID!) { joinEvent(eventId: $e) { id role waitlistPosition event { uuid } } }";
const MINE: &str = "{ loggedUser { participations { elements { role waitlistPosition } } } }";

async fn logged_in_browser(server: &TestServer, username: &str) -> (Browser, Member) {
    let member = sign_up(server, username).await;
    let mut browser = Browser::new(&server.base_url);
    let csrf = browser.get("/login").await.csrf();
    let ok = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    (browser, member)
}

#[tokio::test]
async fn a_member_on_a_full_events_waitlist_is_promoted_when_a_participant_leaves_and_gets_the_mail()
 {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!) {
                createEvent(title: \"Atelier vélo\", beginsOn: $b,
                    options: { maximumAttendeeCapacity: 1, timezone: \"Europe/Paris\" }) {
                    id uuid options { waitlistEnabled }
                }
            }",
            json!({ "b": Utc::now() + Duration::days(2) }),
        )
        .await;
    let event = &created["createEvent"];
    assert_eq!(event["options"]["waitlistEnabled"], true, "on by default");
    let (event_id, uuid) = (
        event["id"].as_str().unwrap().to_owned(),
        event["uuid"].as_str().unwrap().to_owned(),
    );
    let bob = sign_up(&server, "bob").await;
    let seat = bob.gql.data(JOIN, json!({ "e": event_id })).await;
    assert_eq!(seat["joinEvent"]["role"], "PARTICIPANT");
    assert_eq!(seat["joinEvent"]["waitlistPosition"], json!(null));

    // Carol finds the event full and joins its waitlist from the page.
    let (mut carol_browser, carol) = logged_in_browser(&server, "carol").await;
    let page = carol_browser.get(&format!("/events/{uuid}")).await;
    assert!(page.body.contains("Join the waitlist"), "{}", page.body);
    let csrf = page.csrf();
    let joined = carol_browser
        .post(
            &format!("/events/{uuid}/join"),
            &[("csrf", &csrf), ("message", "")],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    let after = carol_browser.get(joined.location.as_deref().unwrap()).await;
    assert!(
        after.body.contains("You are 1st on the waitlist."),
        "{}",
        after.body
    );
    assert!(after.body.contains("Leave the waitlist"));
    server.wait_for_mail(&carol.email, "waitlist").await;

    let dave = sign_up(&server, "dave").await;
    let waiting = dave.gql.data(JOIN, json!({ "e": event_id })).await;
    assert_eq!(waiting["joinEvent"]["role"], "WAITLISTED");
    assert_eq!(waiting["joinEvent"]["waitlistPosition"], 2);

    // Bob leaves: his seat goes to Carol, who is told with the event attached.
    bob.gql
        .data(
            "mutation($e: ID!) { leaveEvent(eventId: $e) { id } }",
            json!({ "e": event_id }),
        )
        .await;
    let promoted = server.wait_for_mail(&carol.email, "A seat is yours").await;
    assert!(
        promoted.raw.contains("text/calendar"),
        "the .ics is attached"
    );
    let page = carol_browser.get(&format!("/events/{uuid}")).await;
    assert!(
        page.body.contains("You take part in this event."),
        "{}",
        page.body
    );
    let mine = dave.gql.data(MINE, json!({})).await;
    let mine = &mine["loggedUser"]["participations"]["elements"][0];
    assert_eq!(
        (&mine["role"], &mine["waitlistPosition"]),
        (&json!("WAITLISTED"), &json!(1))
    );
    let stats = alice
        .gql
        .data(
            "query($u: UUID!) { event(uuid: $u) { participantStats { participant waitlisted } } }",
            json!({ "u": uuid }),
        )
        .await;
    assert_eq!(
        stats["event"]["participantStats"],
        json!({ "participant": 1, "waitlisted": 1 })
    );
}
