//! The HTML pages against a real server: signing up, logging in, RSVPs from the event page
//! (with an account and by email), CSRF protection, languages and error pages.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use tests::browser::Browser;
use tests::people::sign_up;
use tests::{TestServer, find_link};

async fn public_event(server: &TestServer, anonymous: bool, restricted: bool) -> String {
    let alice = sign_up(server, "alice").await;
    let event = alice
        .gql
        .data(
            "mutation($b: DateTime!, $anon: Boolean, $join: EventJoinOptions) {
                createEvent(title: \"Soupe populaire\", beginsOn: $b, joinOptions: $join,
                    description: \"<p>Bring <b>bowls</b></p><script>alert(1)</script>\",
                    options: { anonymousParticipation: $anon, timezone: \"Europe/Paris\" }) { uuid }
            }",
            json!({
                "b": Utc::now() + Duration::days(2),
                "anon": anonymous,
                "join": if restricted { "RESTRICTED" } else { "FREE" },
            }),
        )
        .await;
    event["createEvent"]["uuid"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_visitor_signs_up_confirms_and_rsvps_from_the_event_page() {
    let server = TestServer::start().await;
    let uuid = public_event(&server, false, false).await;
    let mut browser = Browser::new(&server.base_url);

    let form = browser.get("/register").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf();
    let ticket = form.hidden("ticket").expect("the form's ticket");
    let sent = browser
        .post(
            "/register",
            &[
                ("csrf", &csrf),
                ("ticket", &ticket),
                ("username", "bea"),
                ("email", "bea@example.org"),
                ("password", "long enough pw"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Check your mailbox"));

    let mail = server.wait_for_mail("bea@example.org", "Confirm").await;
    let link = find_link(&mail.mail.text, "/validate/").unwrap();
    let path = link.trim_start_matches(&server.base_url).to_owned();
    let button = browser.get(&path).await;
    assert_eq!(button.status, StatusCode::OK);
    assert!(
        button.body.contains("Confirm my account"),
        "a GET changes nothing: it shows a button"
    );
    let csrf = button.csrf();
    let confirmed = browser.post(&path, &[("csrf", &csrf)]).await;
    assert!(
        confirmed.body.contains("Your account is confirmed"),
        "{}",
        confirmed.body
    );

    let page = browser.get(&format!("/events/{uuid}")).await;
    assert!(page.body.contains("Soupe populaire"));
    assert!(
        page.body.contains("<b>bowls</b>"),
        "sanitized HTML is shown"
    );
    assert!(!page.body.contains("<script>alert"), "scripts never are");
    assert!(page.body.contains("Europe/Paris"));
    let csrf = page.csrf();
    let joined = browser
        .post(
            &format!("/events/{uuid}/join"),
            &[("csrf", &csrf), ("message", "")],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER);
    let after = browser.get(joined.location.as_deref().unwrap()).await;
    assert!(
        after.body.contains("You take part in this event."),
        "{}",
        after.body
    );
    let mine = browser.get("/me/events").await;
    assert!(
        mine.body.contains("Soupe populaire") && mine.body.contains("Going"),
        "{}",
        mine.body
    );
}

#[tokio::test]
async fn an_anonymous_visitor_rsvps_by_email_and_confirms_with_the_mails_link() {
    let server = TestServer::start().await;
    let uuid = public_event(&server, true, false).await;
    let mut browser = Browser::new(&server.base_url);
    let page = browser.get(&format!("/events/{uuid}")).await;
    assert!(page.body.contains("Take part without an account"));
    let csrf = page.csrf();
    let sent = browser
        .post(
            &format!("/events/{uuid}/join-anonymously"),
            &[
                ("csrf", &csrf),
                ("email", "zoe@example.org"),
                ("message", "hello"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let mail = server
        .wait_for_mail("zoe@example.org", "Confirm your participation")
        .await;
    let link = find_link(&mail.mail.text, "/participation/email/confirm/").unwrap();
    let path = link.trim_start_matches(&server.base_url).to_owned();
    let button = browser.get(&path).await;
    let csrf = button.csrf();
    let done = browser.post(&path, &[("csrf", &csrf)]).await;
    assert!(
        done.body.contains("Your participation is confirmed."),
        "{}",
        done.body
    );
}

#[tokio::test]
async fn visitors_without_a_session_see_every_change_at_once_each_with_their_own_token() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!) {
                createEvent(title: \"Soupe populaire\", beginsOn: $b,
                    options: { anonymousParticipation: true }) { id uuid }
            }",
            json!({ "b": Utc::now() + Duration::days(2) }),
        )
        .await;
    let event_id = created["createEvent"]["id"].as_str().unwrap().to_owned();
    let path = format!(
        "/events/{}",
        created["createEvent"]["uuid"].as_str().unwrap()
    );
    let mut first = Browser::new(&server.base_url);
    let mut second = Browser::new(&server.base_url);

    let seen_by_first = first.get(&path).await;
    let seen_by_second = second.get(&path).await;
    // The organizer takes no seat and is not counted, as in Mobilizon.
    assert!(seen_by_first.body.contains("No participant yet"));
    let (first_token, second_token) = (seen_by_first.csrf(), seen_by_second.csrf());
    assert_ne!(first_token, second_token);
    assert!(!seen_by_first.body.contains(&second_token));
    assert!(!seen_by_second.body.contains(&first_token));
    let again = first.get(&path).await;
    assert_eq!(
        again.csrf(),
        first_token,
        "the page carries the visitor's own token"
    );

    let bob = sign_up(&server, "bob").await;
    bob.gql
        .data(
            "mutation($e: ID!) { joinEvent(eventId: $e) { role } }",
            json!({ "e": event_id }),
        )
        .await;
    let joined = first.get(&path).await;
    assert!(joined.body.contains("One participant"), "{}", joined.body);

    alice
        .gql
        .data(
            "mutation($id: ID!) { updatePerson(id: $id, name: \"Alice of the soup\") { name } }",
            json!({ "id": alice.person_id }),
        )
        .await;
    let renamed = first.get(&path).await;
    assert!(
        renamed.body.contains("Alice of the soup"),
        "{}",
        renamed.body
    );
    alice
        .gql
        .data(
            "mutation($id: ID!) { updateEvent(eventId: $id, title: \"Soupe du dimanche\") { id } }",
            json!({ "id": event_id }),
        )
        .await;
    let edited = second.get(&path).await;
    assert!(edited.body.contains("Soupe du dimanche"), "{}", edited.body);
    assert!(!edited.body.contains("Soupe populaire"));
    assert!(edited.body.contains("Alice of the soup"));
    let mut third = Browser::new(&server.base_url);
    third.accept_language = "fr".to_owned();
    let french = third.get(&path).await;
    assert!(
        french.body.contains("Un·e participant·e"),
        "{}",
        french.body
    );
    assert!(french.body.contains("Alice of the soup"));

    let sent = second
        .post(
            &format!("{path}/join-anonymously"),
            &[("csrf", &second_token), ("email", "zoe@example.org")],
        )
        .await;
    assert_eq!(
        sent.status,
        StatusCode::SEE_OTHER,
        "the spliced token is accepted"
    );

    let planted = "x\"><b>planted</b><input name=\"y\" value=\"zzzzzzzzzzzz";
    let page = reqwest::Client::new()
        .get(format!("{}{path}", server.base_url))
        .header("cookie", format!("convive_csrf={planted}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("<b>planted</b>"),
        "a token we did not make is replaced, never written into the page"
    );
}

/// Fetches `path` until its page contains `text`, for up to two seconds.
async fn shows_within_two_seconds(browser: &mut Browser, path: &str, text: &str) -> bool {
    for _ in 0..100 {
        if browser.get(path).await.body.contains(text) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn a_page_served_from_memory_shows_a_change_made_by_another_process_within_a_second() {
    use sea_orm::ConnectionTrait as _;
    let server = TestServer::start().await;
    let uuid = public_event(&server, false, false).await;
    let path = format!("/events/{uuid}");
    let mut visitor = Browser::new(&server.base_url);
    assert!(visitor.get(&path).await.body.contains("Soupe populaire"));
    assert!(visitor.get(&path).await.body.contains("Soupe populaire"));

    // Through a pool of its own, as an admin command on the SQLite file or another node on
    // PostgreSQL would: none of this server's requests or connections sees the write.
    server
        .database()
        .db
        .execute_unprepared(&format!(
            "UPDATE events SET title = 'Soupe du soir' WHERE uuid = '{uuid}'"
        ))
        .await
        .unwrap();
    assert!(shows_within_two_seconds(&mut visitor, &path, "Soupe du soir").await);
}

#[tokio::test]
async fn a_page_served_from_memory_says_the_event_is_over_once_it_is() {
    let clock = backend::clock::ManualClock::new(Utc::now());
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let uuid = public_event(&server, false, false).await;
    let path = format!("/events/{uuid}");
    let mut visitor = Browser::new(&server.base_url);
    for _ in 0..2 {
        let page = visitor.get(&path).await;
        assert!(!page.body.contains("This event is over."), "{}", page.body);
    }
    clock.advance(Duration::days(3));
    let page = visitor.get(&path).await;
    assert!(page.body.contains("This event is over."), "{}", page.body);
}

#[tokio::test]
async fn the_home_page_kept_for_visitors_shows_every_change_and_drops_an_event_once_it_is_over() {
    use sea_orm::ConnectionTrait as _;
    let clock = backend::clock::ManualClock::new(Utc::now());
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .start()
        .await;
    let alice = sign_up(&server, "alice").await;
    let create = |title: &'static str, days: i64| {
        let gql = alice.gql.clone();
        let begins = backend::clock::Clock::now(&clock) + Duration::days(days);
        async move {
            gql.data(
                "mutation($t: String!, $b: DateTime!) {
                    createEvent(title: $t, beginsOn: $b) { uuid }
                }",
                json!({ "t": title, "b": begins }),
            )
            .await["createEvent"]["uuid"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let soup = create("Soupe populaire", 2).await;
    let mut visitor = Browser::new(&server.base_url);
    for _ in 0..2 {
        let home = visitor.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("Soupe populaire"), "{}", home.body);
        assert!(!home.body.contains("Vélorution"));
    }

    create("Vélorution", 5).await;
    let home = visitor.get("/").await;
    assert!(
        home.body.contains("Vélorution"),
        "a new event shows at once"
    );
    assert!(home.body.contains("Soupe populaire"));

    // Written by another process, as an admin command or another node would.
    server
        .database()
        .db
        .execute_unprepared(&format!(
            "UPDATE events SET title = 'Soupe du soir' WHERE uuid = '{soup}'"
        ))
        .await
        .unwrap();
    assert!(shows_within_two_seconds(&mut visitor, "/", "Soupe du soir").await);

    clock.advance(Duration::days(3));
    let home = visitor.get("/").await;
    assert!(!home.body.contains("Soupe du soir"), "over: {}", home.body);
    assert!(home.body.contains("Vélorution"));
}

#[tokio::test]
async fn a_second_node_on_the_same_database_shows_an_edit_made_through_the_first() {
    let first = TestServer::start().await;
    // One mail relay for both nodes, as in a real deployment: either node's worker may send
    // the confirmation mail of a sign-up made through the first.
    let second = TestServer::builder()
        .database(first.database())
        .mailer(first.mailer())
        .start()
        .await;
    let alice = sign_up(&first, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation($b: DateTime!) { createEvent(title: \"Soupe populaire\", beginsOn: $b) { id uuid } }",
            json!({ "b": Utc::now() + Duration::days(2) }),
        )
        .await;
    let path = format!(
        "/events/{}",
        created["createEvent"]["uuid"].as_str().unwrap()
    );
    let mut on_second = Browser::new(&second.base_url);
    assert!(on_second.get(&path).await.body.contains("Soupe populaire"));
    assert!(on_second.get(&path).await.body.contains("Soupe populaire"));

    alice
        .gql
        .data(
            "mutation($id: ID!) { updateEvent(eventId: $id, title: \"Soupe du dimanche\") { id } }",
            json!({ "id": created["createEvent"]["id"] }),
        )
        .await;
    let mut on_first = Browser::new(&first.base_url);
    assert!(
        on_first.get(&path).await.body.contains("Soupe du dimanche"),
        "the node that made the change shows it at once"
    );
    assert!(shows_within_two_seconds(&mut on_second, &path, "Soupe du dimanche").await);
}

#[tokio::test]
async fn forms_without_their_csrf_token_are_refused_and_change_nothing() {
    let server = TestServer::start().await;
    let uuid = public_event(&server, true, false).await;
    let mut browser = Browser::new(&server.base_url);
    browser.get("/").await;
    let refused = browser
        .post(
            &format!("/events/{uuid}/join-anonymously"),
            &[("csrf", "forged"), ("email", "eve@example.org")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("This form expired"));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        server
            .sent_mail()
            .iter()
            .all(|m| m.mail.to != "eve@example.org"),
        "nothing was done"
    );
    let login = browser
        .post(
            "/login",
            &[("csrf", ""), ("email", "a@b.c"), ("password", "x")],
        )
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_form_holding_a_nul_character_is_refused_with_the_field_named() {
    let server = TestServer::start().await;
    let uuid = public_event(&server, true, false).await;
    let mut browser = Browser::new(&server.base_url);
    let csrf = browser.get(&format!("/events/{uuid}")).await.csrf();
    let refused = browser
        .post(
            &format!("/events/{uuid}/join-anonymously"),
            &[
                ("csrf", &csrf),
                ("email", "eve@example.org"),
                ("message", "a\0b"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("U+0000"), "{}", refused.body);
    assert!(refused.body.contains("message"), "{}", refused.body);
    let without_token = browser
        .post("/login", &[("email", "a@b.c"), ("password", "x")])
        .await;
    assert_eq!(without_token.status, StatusCode::FORBIDDEN);
    assert!(without_token.body.contains("This form expired"));
}

#[tokio::test]
async fn a_failing_login_says_so_and_a_good_one_opens_a_session_that_logout_ends() {
    let server = TestServer::start().await;
    let member = sign_up(&server, "carl").await;
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let failed = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    assert!(failed.body.contains("Wrong email or password."));
    let ok = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "long enough password"),
                ("next", "/me/events"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location.as_deref(), Some("/me/events"));
    let cookie = ok
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let mine = browser.get("/me/events").await;
    assert_eq!(mine.status, StatusCode::OK);
    let csrf = mine.csrf();
    browser.post("/logout", &[("csrf", &csrf)]).await;
    let after = browser.get("/me/events").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "logged out");
}

#[tokio::test]
async fn pages_speak_french_when_asked_and_say_what_is_missing() {
    let server = TestServer::start().await;
    let mut browser = Browser::new(&server.base_url);
    browser.accept_language = "fr-FR,fr;q=0.9".to_owned();
    let home = browser.get("/").await;
    assert!(home.body.contains("<html lang=\"fr\">"));
    assert!(home.body.contains("Événements à venir"));
    let csp = home
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'"));
    let missing = browser
        .get("/events/00000000-0000-0000-0000-000000000000")
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("<h1>Page introuvable</h1>"));
    assert!(missing.body.contains("Retour aux événements à venir"));
    let csrf = home.csrf();
    browser.accept_language = "fr".to_owned();
    browser
        .post("/language", &[("csrf", &csrf), ("lang", "en")])
        .await;
    let english = browser.get("/").await;
    assert!(
        english.body.contains("Upcoming events"),
        "the switch wins over the browser's language"
    );
}

async fn logged_in_browser(
    server: &TestServer,
    username: &str,
) -> (Browser, tests::people::Member) {
    let member = sign_up(server, username).await;
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
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
async fn an_organizer_publishes_a_restricted_event_and_approves_a_request_from_the_pages() {
    let server = TestServer::start().await;
    let (mut organizer, _) = logged_in_browser(&server, "olga").await;
    let (mut guest, _) = logged_in_browser(&server, "gus").await;

    let form = organizer.get("/events/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf();
    let begins = (Utc::now() + Duration::days(3))
        .format("%Y-%m-%dT19:00")
        .to_string();
    let created = organizer
        .post(
            "/events/new",
            &[
                ("csrf", &csrf),
                ("title", "Assemblée générale"),
                ("description", "Ordre du jour :\nbudget"),
                ("begins", &begins),
                ("timezone", "Europe/Paris"),
                ("join", "restricted"),
                ("capacity", "10"),
                ("visibility", "public"),
                ("status", "confirmed"),
                ("address", "Grenoble"),
                ("chosen", "typed"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let event_path = created.location.clone().unwrap();
    let page = organizer.get(&event_path).await;
    assert!(
        page.body.contains("Your event is published."),
        "{}",
        page.body
    );
    let event_path = event_path.trim_end_matches("?done=published").to_owned();
    assert!(page.body.contains("19:00 (Europe/Paris)"), "{}", page.body);
    assert!(page.body.contains("Grenoble"));

    // The guest cannot reach the edit form nor post to it.
    let edit = guest.get(&format!("{event_path}/edit")).await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    let guest_page = guest.get(&event_path).await;
    let csrf = guest_page.csrf();
    let hijack = guest
        .post(
            &format!("{event_path}/edit"),
            &[
                ("csrf", &csrf),
                ("title", "Hijacked"),
                ("begins", &begins),
                ("timezone", "UTC"),
            ],
        )
        .await;
    assert_eq!(hijack.status, StatusCode::FORBIDDEN);

    // The guest asks; the organizer approves; the guest sees that they are going.
    let asked = guest
        .post(
            &format!("{event_path}/join"),
            &[("csrf", &csrf), ("message", "count me in")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let waiting = guest.get(&event_path).await;
    assert!(
        waiting.body.contains("waits for the organizers"),
        "{}",
        waiting.body
    );
    let list = organizer.get(&format!("{event_path}/participants")).await;
    assert!(list.body.contains("count me in"));
    let marker = format!("action=\"{event_path}/participants/");
    let start = list.body.find(&marker).expect("a decision form") + marker.len();
    let id: String = list.body[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let csrf = list.csrf();
    let approved = organizer
        .post(
            &format!("{event_path}/participants/{id}"),
            &[("csrf", &csrf), ("role", "participant")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    let told = organizer.get(approved.location.as_deref().unwrap()).await;
    assert!(
        told.body.contains("Approved: they are told by mail."),
        "a notice after approving: {}",
        told.body
    );
    let going = guest.get(&event_path).await;
    assert!(
        going.body.contains("You take part in this event."),
        "{}",
        going.body
    );

    // Each participant is offered only the decisions that change something.
    let approve = r#"name="role" value="participant""#;
    let decline = r#"name="role" value="rejected""#;
    let list = organizer.get(&format!("{event_path}/participants")).await;
    assert!(list.body.contains(decline), "{}", list.body);
    assert!(!list.body.contains(approve), "{}", list.body);
    let declined = organizer
        .post(
            &format!("{event_path}/participants/{id}"),
            &[("csrf", &list.csrf()), ("role", "rejected")],
        )
        .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER);
    let list = organizer.get(&format!("{event_path}/participants")).await;
    assert!(list.body.contains(approve), "{}", list.body);
    assert!(!list.body.contains(decline), "{}", list.body);
}

#[tokio::test]
async fn a_person_creates_a_group_another_joins_and_follows_it_and_settings_are_saved() {
    let server = TestServer::start().await;
    let (mut founder, _) = logged_in_browser(&server, "fanny").await;
    let (mut neighbour, _) = logged_in_browser(&server, "nadia").await;
    let form = founder.get("/groups/new").await;
    let csrf = form.csrf();
    let created = founder
        .post(
            "/groups/new",
            &[
                ("csrf", &csrf),
                ("username", "jardins"),
                ("name", "Jardins partagés"),
                ("openness", "moderated"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(created.location.as_deref(), Some("/@jardins"));

    let page = neighbour.get("/@jardins").await;
    assert!(page.body.contains("Jardins partagés"));
    assert!(page.body.contains("Ask to join"));
    let csrf = page.csrf();
    neighbour.post("/@jardins/join", &[("csrf", &csrf)]).await;
    neighbour.post("/@jardins/follow", &[("csrf", &csrf)]).await;
    let unknown = neighbour.post("/@jardins/dance", &[("csrf", &csrf)]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "no such action");
    let after = neighbour.get("/@jardins").await;
    assert!(
        after.body.contains("waits for the moderators"),
        "{}",
        after.body
    );
    assert!(after.body.contains("Stop following"));
    let hidden = neighbour.get("/@jardins/members").await;
    assert_eq!(
        hidden.status,
        StatusCode::FORBIDDEN,
        "members lists are for members"
    );

    let members = founder.get("/@jardins/members").await;
    let marker = "action=\"/@jardins/members/";
    let start = members.body.find(marker).expect("a pending request") + marker.len();
    let id: String = members.body[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let csrf = members.csrf();
    founder
        .post(
            &format!("/@jardins/members/{id}"),
            &[("csrf", &csrf), ("decision", "approve")],
        )
        .await;
    let member = neighbour.get("/@jardins").await;
    assert!(member.body.contains("You are a member."), "{}", member.body);

    let settings = neighbour.get("/me/settings").await;
    let csrf = settings.csrf();
    let saved = neighbour
        .post(
            "/me/settings",
            &[
                ("csrf", &csrf),
                ("timezone", "Europe/Paris"),
                ("before_event", "on"),
                ("pending", "none"),
            ],
        )
        .await;
    assert!(saved.body.contains("Your settings are saved."));
    assert!(saved.body.contains("value=\"Europe/Paris\""));
    assert_eq!(
        neighbour.get("/@nobody").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        neighbour.get("/favicon.ico").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_the_mails_link() {
    let server = TestServer::start().await;
    let member = sign_up(&server, "rita").await;
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/password/forgot").await;
    let csrf = form.csrf();
    let sent = browser
        .post(
            "/password/forgot",
            &[("csrf", &csrf), ("email", &member.email)],
        )
        .await;
    assert!(
        sent.body
            .contains("a link to choose a new password is on its way")
    );
    let unknown = browser
        .post(
            "/password/forgot",
            &[("csrf", &csrf), ("email", "nobody@example.org")],
        )
        .await;
    assert_eq!(
        unknown.body.replace("nobody@example.org", ""),
        sent.body.replace(&member.email, ""),
        "the same answer"
    );
    let mail = server.wait_for_mail(&member.email, "password").await;
    let link = find_link(&mail.mail.text, "/password-reset/").unwrap();
    let path = link.trim_start_matches(&server.base_url).to_owned();
    let page = browser.get(&path).await;
    let csrf = page.csrf();
    let done = browser
        .post(
            &path,
            &[("csrf", &csrf), ("password", "a brand new password")],
        )
        .await;
    assert!(
        done.body.contains("Your password is changed"),
        "{}",
        done.body
    );
    assert_eq!(
        browser.get("/me/events").await.status,
        StatusCode::OK,
        "logged in"
    );
}

#[tokio::test]
async fn the_settings_page_makes_and_revokes_a_private_calendar_address() {
    let server = TestServer::start().await;
    let (mut browser, _) = logged_in_browser(&server, "paula").await;
    let settings = browser.get("/me/settings").await;
    let csrf = settings.csrf();
    browser.post("/me/feeds", &[("csrf", &csrf)]).await;
    let with_feed = browser.get("/me/settings").await;
    let marker = "/feed/";
    let start = with_feed.body.find(marker).expect("a private feed address") + marker.len();
    let token: String = with_feed.body[start..]
        .chars()
        .take_while(|c| *c != '/')
        .collect();
    assert!(with_feed.body.contains("webcal://"));
    let feed = reqwest::get(server.url(&format!("/feed/{token}/ics")))
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(feed.text().await.unwrap().starts_with("BEGIN:VCALENDAR"));
    browser
        .post("/me/feeds/revoke", &[("csrf", &csrf), ("token", &token)])
        .await;
    let revoked = reqwest::get(server.url(&format!("/feed/{token}/ics")))
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn only_a_groups_administrators_edit_its_profile() {
    let server = TestServer::start().await;
    let (mut admin, _) = logged_in_browser(&server, "adele").await;
    let (mut other, _) = logged_in_browser(&server, "otto").await;
    let form = admin.get("/groups/new").await;
    let csrf = form.csrf();
    admin
        .post(
            "/groups/new",
            &[("csrf", &csrf), ("username", "velo"), ("name", "Vélo")],
        )
        .await;
    let page = admin.get("/@velo").await;
    assert!(page.body.contains("Edit the group"));
    let edit = admin.get("/@velo/edit").await;
    assert_eq!(edit.status, StatusCode::OK);
    let csrf = edit.csrf();
    let saved = admin
        .post(
            "/@velo/edit",
            &[
                ("csrf", &csrf),
                ("name", "Vélo pour tous"),
                ("summary", "Ateliers"),
                ("openness", "invite_only"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = other.get("/@velo").await;
    assert!(page.body.contains("Vélo pour tous") && page.body.contains("On invitation only"));
    assert!(!page.body.contains("Edit the group"));
    assert_eq!(other.get("/@velo/edit").await.status, StatusCode::FORBIDDEN);
    let csrf = page.csrf();
    let refused = other
        .post(
            "/@velo/edit",
            &[
                ("csrf", &csrf),
                ("name", "Taken over"),
                ("openness", "open"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_settings_page_adds_an_identity_and_deletes_the_account_with_its_password() {
    let server = TestServer::start().await;
    let (mut browser, member) = logged_in_browser(&server, "ines").await;
    let settings = browser.get("/me/settings").await;
    let csrf = settings.csrf();
    browser
        .post(
            "/me/identities",
            &[("csrf", &csrf), ("username", "ines_asso")],
        )
        .await;
    assert!(
        browser
            .get("/me/settings")
            .await
            .body
            .contains("@ines_asso")
    );
    let refused = browser
        .post("/me/delete", &[("csrf", &csrf), ("password", "wrong")])
        .await;
    assert_ne!(
        refused.status,
        StatusCode::OK,
        "a wrong password deletes nothing"
    );
    let deleted = browser
        .post(
            "/me/delete",
            &[("csrf", &csrf), ("password", "long enough password")],
        )
        .await;
    assert!(
        deleted.body.contains("Your account is deleted."),
        "{}",
        deleted.body
    );
    let mut again = Browser::new(&server.base_url);
    let form = again.get("/login").await;
    let csrf = form.csrf();
    let login = again
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
    assert_eq!(again.get("/@ines").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_event_and_its_card_link_to_the_group_and_the_organizer_pages() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let group = alice
        .gql
        .data(
            "mutation { createGroup(preferredUsername: \"jardins\", name: \"Jardins partagés\",
                visibility: PUBLIC) { id } }",
            json!({}),
        )
        .await;
    let created = alice
        .gql
        .data(
            "mutation($group: ID!, $b: DateTime!) {
                createEvent(attributedToId: $group, title: \"Grainothèque\", beginsOn: $b) { uuid }
            }",
            json!({ "group": group["createGroup"]["id"], "b": Utc::now() + Duration::days(2) }),
        )
        .await;
    let path = format!(
        "/events/{}",
        created["createEvent"]["uuid"].as_str().unwrap()
    );
    let mut visitor = Browser::new(&server.base_url);

    let page = visitor.get(&path).await;
    assert!(
        page.body
            .contains(r#"<a href="/@jardins">Jardins partagés</a>"#),
        "the event page links to its group"
    );
    let organizer = format!(r#"<a href="/@{0}">{0}</a>"#, alice.username);
    assert!(
        page.body.contains(&organizer),
        "the event page links to its organizer"
    );
    let home = visitor.get("/").await;
    assert!(
        home.body
            .contains(r#"<a href="/@jardins">Jardins partagés</a>"#),
        "the event's card links to its group"
    );
    let group_page = visitor.get("/@jardins").await;
    assert_eq!(group_page.status, StatusCode::OK);
    assert!(group_page.body.contains("Grainothèque"));
}

#[tokio::test]
async fn search_finds_events_near_a_known_town_or_coordinates() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    for (title, town, geom) in [
        ("Vélorution", "Lyon", "4.8357;45.7640"),
        ("Disco soupe", "Paris", "2.3522;48.8566"),
    ] {
        alice
            .gql
            .data(
                "mutation($t: String!, $b: DateTime!, $town: String, $geom: String) {
                    createEvent(title: $t, beginsOn: $b, physicalAddress: { locality: $town, geom: $geom }) { id }
                }",
                json!({ "t": title, "b": Utc::now() + Duration::days(3), "town": town, "geom": geom }),
            )
            .await;
    }
    let mut browser = Browser::new(&server.base_url);
    let near_lyon = browser.get("/search?place=lyon&radius=30").await;
    assert!(near_lyon.body.contains("Vélorution") && !near_lyon.body.contains("Disco soupe"));
    let near_paris = browser.get("/search?lat=48.85&lon=2.35&radius=10").await;
    assert!(near_paris.body.contains("Disco soupe") && !near_paris.body.contains("Vélorution"));
    let unknown = browser.get("/search?place=Qwyxville").await;
    assert!(
        unknown
            .body
            .contains("No town or postal code “Qwyxville” is known")
    );
    let by_word = browser.get("/search?term=velorution").await;
    assert!(by_word.body.contains("Vélorution"));
}
