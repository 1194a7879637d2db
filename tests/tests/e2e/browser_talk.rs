//! The "people talk" story in a real Chromium with JavaScript turned off: a
//! participant asks a question under an event, the organizer answers it in its thread, then
//! writes to everyone taking part, and the participant receives the mail. Plain forms only:
//! the pages must not need a script for any of it (the test checks that scripts do not run).

use chrono::{Duration, Utc};
use serde_json::json;
use tests::TestServer;
use tests::people::{Member, sign_up};
use thirtyfour::prelude::*;

use super::browser::{Driver, fill, find, screenshot, start_driver, submit, wait_for};

/// A Chromium session in which pages run no script.
async fn browser_without_javascript(driver: &Driver) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary("/usr/bin/chromium").unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=390,900",
        "--lang=en-US",
        "--blink-settings=scriptEnabled=false",
    ] {
        caps.add_arg(arg).unwrap();
    }
    caps.add_experimental_option(
        "prefs",
        json!({ "profile.managed_default_content_settings.javascript": 2 }),
    )
    .unwrap();
    WebDriver::new(format!("http://127.0.0.1:{}", driver.port), caps)
        .await
        .expect("a Chromium session")
}

/// Whether a script of the page runs: an inline handler that would rewrite the title.
async fn scripts_run(page: &WebDriver) -> bool {
    // A page of ours never holds a script; an `onerror` attribute put there by hand shows
    // whether the browser would run one.
    let probe = "data:text/html,<title>before</title><img src=x onerror=\"document.title='ran'\">";
    page.goto(probe).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    page.title().await.unwrap() == "ran"
}

async fn log_in(page: &WebDriver, origin: &str, member: &Member) {
    page.goto(format!("{origin}/login")).await.unwrap();
    fill(page, "email", &member.email).await;
    fill(page, "password", "long enough password").await;
    submit(page, "/login").await;
    wait_for(page, "Log out").await;
}

async fn log_out(page: &WebDriver) {
    find(page, By::Css("form[action='/logout'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(page, "Sign up").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_participant_asks_the_organizer_answers_and_writes_to_all_who_get_the_mail()
 {
    let Some(driver) = start_driver().await else {
        tests::skip("chromium not found (install Debian's chromium and chromium-driver)");
        return;
    };
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    let olga = sign_up(&server, "olga").await;
    let gus = sign_up(&server, "gus").await;
    let made = olga
        .gql
        .data(
            "mutation($b: DateTime!) { createEvent(title: \"Soup night\", beginsOn: $b) { id uuid } }",
            json!({ "b": Utc::now() + Duration::days(2) }),
        )
        .await;
    let uuid = made["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let event_path = format!("/events/{uuid}");
    gus.gql
        .data(
            "mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { id role } }",
            json!({ "e": made["createEvent"]["id"], "a": gus.person_id }),
        )
        .await;
    let page = browser_without_javascript(&driver).await;
    assert!(
        !scripts_run(&page).await,
        "JavaScript is off in this browser"
    );

    // Gus asks his question under the event.
    log_in(&page, &origin, &gus).await;
    page.goto(format!("{origin}{event_path}")).await.unwrap();
    fill(&page, "comment-text", "Is there parking nearby?").await;
    submit(&page, &format!("{event_path}/comments")).await;
    wait_for(&page, "Is there parking nearby?").await;
    screenshot(&page, "talk-question").await;
    log_out(&page).await;

    // Olga answers in its thread (the reply form opens without a script), then writes to
    // everyone taking part, seeing first how many people get it.
    log_in(&page, &origin, &olga).await;
    page.goto(format!("{origin}{event_path}")).await.unwrap();
    find(&page, By::Css(".comment-reply summary"))
        .await
        .click()
        .await
        .unwrap();
    let reply = find(&page, By::Css(".comment-reply textarea")).await;
    reply.send_keys("Yes, behind the hall").await.unwrap();
    find(&page, By::Css(".comment-reply button[type=submit]"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Yes, behind the hall").await;
    screenshot(&page, "talk-answer").await;
    page.goto(format!("{origin}{event_path}/write"))
        .await
        .unwrap();
    fill(&page, "write-text", "The room changed: we meet upstairs.").await;
    submit(&page, &format!("{event_path}/write")).await;
    wait_for(&page, "This message goes to 1 person.").await;
    screenshot(&page, "talk-write-confirm").await;
    submit(&page, &format!("{event_path}/write")).await;
    wait_for(&page, "Messages").await;

    // Gus receives it by mail, with a link to answer.
    let mail = server
        .wait_for_mail(&gus.email, "A message from the organizers")
        .await;
    assert!(
        mail.mail
            .text
            .contains("The room changed: we meet upstairs.")
    );
    assert!(mail.mail.text.contains("/messages/"), "{}", mail.mail.text);
    page.quit().await.unwrap();
}
