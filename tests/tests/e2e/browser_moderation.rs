//! Moderation as people meet it in a real Chromium: a member reports a comment from the event's
//! page, a moderator sees it on the dashboard, suspends its author through the confirmation
//! page, and resolves it; the author's comment and event leave the pages, search and feed, the
//! author cannot log in and is told why, the reporter gets the outcome by mail, the action log
//! shows it all; unsuspending brings it back. axe-core finds nothing serious on the new pages,
//! and nothing loads from elsewhere. An administrator saves the instance's settings and blocks
//! a domain on their pages, at a phone's width and a desktop's. With `CONVIVE_SCREENSHOTS`
//! naming a directory, each page is kept there to look at.

use chrono::{Duration, Utc};
use serde_json::json;
use tests::TestServer;
use tests::people::{Member, sign_up, sign_up_admin, sign_up_moderator};
use thirtyfour::prelude::*;

use super::browser::{
    assert_accessible, assert_same_origin, browser, chromium_with_axe, fill, find, screenshot,
    submit, text, wait_for,
};
use super::browser_layout::open_menu_from_the_keyboard;

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
async fn a_member_reports_a_comment_and_a_moderator_suspends_its_author_in_a_browser() {
    let Some((driver, axe)) = chromium_with_axe().await else {
        return;
    };
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    let organizer = sign_up(&server, "organizer").await;
    let spammer = sign_up(&server, "spammer").await;
    let alice = sign_up(&server, "alice").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let begins = Utc::now() + Duration::days(3);
    let create = "mutation($title: String!, $begins: DateTime!) {
        createEvent(title: $title, beginsOn: $begins) { id uuid } }";
    let made = organizer
        .gql
        .data(create, json!({ "title": "Repair café", "begins": begins }))
        .await;
    let event_id = made["createEvent"]["id"].as_str().unwrap().to_owned();
    let uuid = made["createEvent"]["uuid"].as_str().unwrap().to_owned();
    spammer
        .gql
        .data(
            "mutation($e: ID!) { createComment(eventId: $e, text: \"Cheap watches here\") { id } }",
            json!({ "e": event_id }),
        )
        .await;
    spammer
        .gql
        .data(create, json!({ "title": "Watch fair", "begins": begins }))
        .await;
    let page = browser(&driver).await;

    // Alice reports the comment from the event's page.
    log_in(&page, &origin, &alice).await;
    page.goto(format!("{origin}/events/{uuid}")).await.unwrap();
    find(&page, By::Css(".comment a.report-link"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "A comment by spammer").await;
    assert_accessible(&page, &axe, "report form").await;
    screenshot(&page, "moderation-report-form").await;
    fill(&page, "reason", "Selling watches to everyone").await;
    let action = page.current_url().await.unwrap().path().to_owned();
    submit(&page, &action).await;
    wait_for(&page, "Thank you").await;
    log_out(&page).await;

    // The moderator sees it on the dashboard and suspends the author.
    log_in(&page, &origin, &modo).await;
    open_menu_from_the_keyboard(&page).await;
    find(&page, By::Css("header a[href='/admin']"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "1 open report").await;
    assert_accessible(&page, &axe, "dashboard").await;
    assert_same_origin(&page, &origin).await;
    screenshot(&page, "moderation-dashboard").await;
    find(&page, By::Css("main a[href='/admin/reports']"))
        .await
        .click()
        .await
        .unwrap();
    find(&page, By::Css("table.admin-table a"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Selling watches to everyone").await;
    let report_url = page.current_url().await.unwrap().to_string();
    assert_accessible(&page, &axe, "report").await;
    screenshot(&page, "moderation-report").await;
    find(&page, By::Css("a.button.danger"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Suspend spammer?").await;
    assert_accessible(&page, &axe, "suspension confirmation").await;
    fill(&page, "reason", "Spam in comments").await;
    screenshot(&page, "moderation-suspend-confirm").await;
    submit(&page, "/admin/profiles/spammer/suspend").await;
    wait_for(&page, "The profile is suspended.").await;
    screenshot(&page, "moderation-profile-suspended").await;

    // Gone from the pages, search and feed.
    page.goto(format!("{origin}/events/{uuid}")).await.unwrap();
    wait_for(&page, "Repair café").await;
    assert!(!text(&page).await.contains("Cheap watches here"));
    page.goto(format!("{origin}/search?term=watch"))
        .await
        .unwrap();
    assert!(!text(&page).await.contains("Watch fair"));
    page.goto(format!("{origin}/events/feed/atom"))
        .await
        .unwrap();
    assert!(!page.source().await.unwrap().contains("Watch fair"));

    // Resolved: the reporter hears it, and the log shows everything.
    page.goto(&report_url).await.unwrap();
    find(
        &page,
        By::Css("input[name=status][value=resolved] + button"),
    )
    .await
    .click()
    .await
    .unwrap();
    wait_for(&page, "The report is now: Resolved").await;
    server.wait_for_mail(&alice.email, "Your report").await;
    page.goto(format!("{origin}/admin/log")).await.unwrap();
    let log = wait_for(&page, "suspended a profile").await;
    assert!(log.contains("Spam in comments") && log.contains("resolved a report"));
    assert_accessible(&page, &axe, "action log").await;
    screenshot(&page, "moderation-log").await;
    log_out(&page).await;

    // The author cannot log in and sees why.
    page.goto(format!("{origin}/login")).await.unwrap();
    fill(&page, "email", &spammer.email).await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/login").await;
    wait_for(&page, "was suspended").await;
    screenshot(&page, "moderation-login-refused").await;

    // Unsuspended, all of it is back.
    log_in(&page, &origin, &modo).await;
    page.goto(format!("{origin}/admin/profiles/spammer"))
        .await
        .unwrap();
    submit(&page, "/admin/profiles/spammer/unsuspend").await;
    wait_for(&page, "no longer suspended").await;
    page.goto(format!("{origin}/events/{uuid}")).await.unwrap();
    wait_for(&page, "Cheap watches here").await;
    page.goto(format!("{origin}/search?term=watch"))
        .await
        .unwrap();
    wait_for(&page, "Watch fair").await;
    page.quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_sets_the_instance_up_and_blocks_a_domain_on_a_phone_and_a_desktop() {
    let Some((driver, axe)) = chromium_with_axe().await else {
        return;
    };
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    let boss = sign_up_admin(&server, "boss").await;
    let page = browser(&driver).await;
    log_in(&page, &origin, &boss).await;
    open_menu_from_the_keyboard(&page).await;
    find(&page, By::Css("header a[href='/admin']"))
        .await
        .click()
        .await
        .unwrap();
    find(&page, By::Css("nav.admin-nav a[href='/admin/settings']"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&page, "Until you change them here").await;
    fill(&page, "slogan", "Events of the valley").await;
    fill(&page, "rules", "Be kind.").await;
    fill(&page, "primary_color", "#1e7d97").await;
    submit(&page, "/admin/settings").await;
    wait_for(&page, "The settings are saved").await;
    assert_accessible(&page, &axe, "settings").await;
    assert_same_origin(&page, &origin).await;
    for (device, width, height) in [("phone", 390, 844), ("desktop", 1280, 900)] {
        page.set_window_rect(0, 0, width, height).await.unwrap();
        screenshot(&page, &format!("admin-settings-{device}")).await;
    }
    page.goto(format!("{origin}/about")).await.unwrap();
    wait_for(&page, "Events of the valley").await;

    page.goto(format!("{origin}/admin/instances"))
        .await
        .unwrap();
    wait_for(&page, "No instance is blocked.").await;
    fill(&page, "block_domain", "spam.example").await;
    fill(&page, "block_reason", "Spam from everywhere").await;
    submit(&page, "/admin/instances/block").await;
    // Blocking asks first, saying what goes.
    wait_for(&page, "Block spam.example?").await;
    assert_accessible(&page, &axe, "block-confirmation").await;
    screenshot(&page, "admin-instances-block-confirmation").await;
    submit(&page, "/admin/instances/block").await;
    wait_for(&page, "The instance is blocked.").await;
    assert!(text(&page).await.contains("Spam from everywhere"));
    assert_accessible(&page, &axe, "instances").await;
    assert_same_origin(&page, &origin).await;
    for (device, width, height) in [("phone", 390, 844), ("desktop", 1280, 900)] {
        page.set_window_rect(0, 0, width, height).await.unwrap();
        screenshot(&page, &format!("admin-instances-{device}")).await;
        page.execute(
            "document.getElementById('blocks').scrollIntoView()",
            Vec::new(),
        )
        .await
        .unwrap();
        let wider = page
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth",
                Vec::new(),
            )
            .await
            .unwrap()
            .json()
            .clone();
        assert_eq!(wider, json!(false), "{device}: the page scrolls sideways");
        screenshot(&page, &format!("admin-instances-blocked-{device}")).await;
    }
    page.quit().await.unwrap();
}
