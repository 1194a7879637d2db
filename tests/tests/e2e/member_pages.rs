//! Logged-in members' pages kept for their session while nothing changes: every change shows
//! at once, each session gets its own token, and time alone takes an event off them when it
//! is over.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::people::sign_up;

use crate::event_form::logged_in_browser;

async fn log_in_again(server: &TestServer, email: &str) -> Browser {
    let mut browser = Browser::new(&server.base_url);
    let csrf = browser.get("/login").await.csrf();
    let ok = browser
        .post(
            "/login",
            &[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    browser
}

#[tokio::test]
async fn a_members_event_page_home_and_events_show_every_change_at_once_and_drop_an_event_once_it_is_over()
 {
    let clock = backend::clock::ManualClock::new(chrono::Utc::now());
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let alice = sign_up(&server, "alice").await;
    let begins = backend::clock::Clock::now(&clock) + Duration::days(2);
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!, $e: DateTime!) {
                createEvent(title: \"Soupe populaire\", beginsOn: $b, endsOn: $e) { id uuid }
            }",
            json!({ "b": begins, "e": begins + Duration::hours(3) }),
        )
        .await;
    let event_id = created["createEvent"]["id"].as_str().unwrap().to_owned();
    let path = format!(
        "/events/{}",
        created["createEvent"]["uuid"].as_str().unwrap()
    );
    let (mut bob, bob_member) = logged_in_browser(&server, "bob").await;

    let first = bob.get(&path).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("No participant yet"), "{}", first.body);
    assert!(first.body.contains("I’ll be there"));
    let again = bob.get(&path).await;
    assert_eq!(again.body, first.body, "nothing changed: the same page");

    // Another session of the same person: its own token, never the first one's.
    let mut bob_elsewhere = log_in_again(&server, &bob_member.email).await;
    let elsewhere = bob_elsewhere.get(&path).await;
    assert_ne!(elsewhere.csrf(), first.csrf());
    assert!(!elsewhere.body.contains(&first.csrf()));

    let carol = sign_up(&server, "carol").await;
    carol
        .gql
        .data(
            "mutation($e: ID!) { joinEvent(eventId: $e) { role } }",
            json!({ "e": event_id }),
        )
        .await;
    let counted = bob.get(&path).await;
    assert!(counted.body.contains("One participant"), "{}", counted.body);
    assert!(counted.body.contains("I’ll be there"));

    bob_member
        .gql
        .data(
            "mutation($e: ID!) { joinEvent(eventId: $e) { role } }",
            json!({ "e": event_id }),
        )
        .await;
    let going = bob.get(&path).await;
    assert_eq!(going.body, bob.get(&format!("{path}?done=none")).await.body);
    assert!(
        going.body.contains("Cancel my participation"),
        "{}",
        going.body
    );
    let mine = bob.get("/me/events").await;
    assert!(mine.body.contains("Soupe populaire"), "{}", mine.body);
    let home = bob.get("/").await;
    assert!(home.body.contains("Soupe populaire"), "{}", home.body);

    alice
        .gql
        .data(
            "mutation($id: ID!) { updateEvent(eventId: $id, title: \"Soupe du dimanche\") { id } }",
            json!({ "id": event_id }),
        )
        .await;
    for address in [path.as_str(), "/me/events", "/"] {
        let page = bob.get(address).await;
        assert!(
            page.body.contains("Soupe du dimanche"),
            "{address}: {}",
            page.body
        );
        assert!(!page.body.contains("Soupe populaire"), "{address}");
    }

    // Nothing is written to the database: time alone ends the event.
    clock.advance(Duration::days(3));
    let over = bob.get(&path).await;
    assert!(over.body.contains("This event is over."), "{}", over.body);
    // What a page built afresh says (one asked with a notice is never kept).
    assert_eq!(over.body, bob.get(&format!("{path}?done=none")).await.body);
    let mine = bob.get("/me/events").await;
    assert!(!mine.body.contains("Soupe du dimanche"), "{}", mine.body);
    assert_eq!(mine.body, bob.get("/me/events?done=none").await.body);
    assert!(!bob.get("/").await.body.contains("Soupe du dimanche"));
}
