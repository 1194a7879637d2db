//! A moderator turns off the mail each new report sends from their settings page; the other
//! moderators are still mailed.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::people::{Member, sign_up, sign_up_admin, sign_up_moderator};

async fn logged_in(server: &TestServer, member: &Member) -> Browser {
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let done = browser
        .post(
            "/login",
            &[
                ("csrf", &form.csrf()),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    browser
}

#[tokio::test]
async fn a_moderator_turns_report_mail_off_in_their_settings_and_only_the_others_are_mailed() {
    let server = TestServer::start().await;
    let modo = sign_up_moderator(&server, "modo").await;
    let boss = sign_up_admin(&server, "boss").await;
    let member = sign_up(&server, "member").await;
    let spammer = sign_up(&server, "spammer").await;

    let mut browser = logged_in(&server, &member).await;
    let theirs = browser.get("/me/settings").await;
    assert!(
        !theirs.body.contains("name=\"new_report\""),
        "a member has no report mail to turn off"
    );
    let mut browser = logged_in(&server, &modo).await;
    let page = browser.get("/me/settings").await;
    assert!(
        page.body
            .contains("name=\"new_report\" value=\"on\" checked"),
        "on until turned off: {}",
        page.body
    );
    let saved = browser
        .post(
            "/me/settings",
            &[
                ("csrf", &page.csrf()),
                ("timezone", "Europe/Paris"),
                ("pending", "direct"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(
        !saved
            .body
            .contains("name=\"new_report\" value=\"on\" checked")
    );

    member
        .gql
        .data(
            "mutation($r: ID!) { createReport(reportedId: $r, content: \"Spam\") { id } }",
            json!({ "r": spammer.person_id }),
        )
        .await;
    server.wait_for_mail(&boss.email, "New report").await;
    // Both mails would have been queued with the report, in one transaction.
    let (_, queued) = backend::jobs::list(
        &server.ctx.db,
        &backend::jobs::JobFilter {
            kind: Some(backend::mail::SEND_MAIL_JOB.to_owned()),
            ..Default::default()
        },
        1,
        100,
    )
    .await
    .unwrap();
    assert!(
        queued
            .iter()
            .map(|job| job.payload.to_string())
            .all(|mail| !(mail.contains(&modo.email) && mail.contains("New report"))),
        "the moderator who turned it off is not mailed"
    );
    assert!(
        server
            .sent_mail()
            .iter()
            .all(|m| m.mail.to != modo.email || !m.mail.subject.contains("New report"))
    );
}

const SETTINGS: &str = "{ loggedUser { settings { notificationReports } } }";
const SET_REPORT_MAIL: &str = "mutation($on: Boolean) {
    setUserSettings(notificationReports: $on) { notificationReports }
}";

#[tokio::test]
async fn a_moderator_turns_report_mail_off_through_the_api_and_a_member_has_no_such_choice() {
    let server = TestServer::start().await;
    let modo = sign_up_moderator(&server, "modo").await;
    let member = sign_up(&server, "member").await;

    let read = modo.gql.data(SETTINGS, json!({})).await;
    assert_eq!(read["loggedUser"]["settings"]["notificationReports"], true);
    let set = modo.gql.data(SET_REPORT_MAIL, json!({ "on": false })).await;
    assert_eq!(set["setUserSettings"]["notificationReports"], false);
    let read = modo.gql.data(SETTINGS, json!({})).await;
    assert_eq!(read["loggedUser"]["settings"]["notificationReports"], false);
    let mut browser = logged_in(&server, &modo).await;
    let page = browser.get("/me/settings").await;
    assert!(page.body.contains("name=\"new_report\""));
    assert!(
        !page
            .body
            .contains("name=\"new_report\" value=\"on\" checked"),
        "the settings page reads the same choice: {}",
        page.body
    );

    let read = member.gql.data(SETTINGS, json!({})).await;
    assert_eq!(
        read["loggedUser"]["settings"]["notificationReports"],
        json!(null)
    );
    let refused = member
        .gql
        .error(SET_REPORT_MAIL, json!({ "on": false }))
        .await;
    assert_eq!(refused["extensions"]["code"], "invalid", "{refused}");
    assert!(
        refused.to_string().contains("notificationReports"),
        "{refused}"
    );
}
