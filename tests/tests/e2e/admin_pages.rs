//! The administration on the web and reporting from pages, driven as a browser without
//! JavaScript drives them (cookies, forms, redirects): a member reports a comment, a moderator
//! finds it on the dashboard, annotates it, suspends its author after a confirmation page and
//! settles it; the author's content leaves the pages, search and feed, the author cannot log
//! in and is told why, the reporter hears the outcome by mail, the action log shows it all;
//! unsuspending brings everything back. Who may open which page is the backend's to decide.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::people::{Member, sign_up, sign_up_admin, sign_up_moderator};

const CREATE_EVENT: &str = "mutation($title: String!, $begins: DateTime!) {
    createEvent(title: $title, description: \"<p>Come</p>\",
        beginsOn: $begins, options: { timezone: \"Europe/Paris\" }) { id uuid }
}";
const COMMENT: &str = "mutation($event: ID!, $text: String!) {
    createComment(eventId: $event, text: $text) { id uuid }
}";
const PASSWORD: &str = "long enough password";

/// An event of `member`'s, by its id and uuid.
async fn event_of(member: &Member, title: &str) -> (String, String) {
    let begins = Utc::now() + Duration::days(3);
    let created = member
        .gql
        .data(CREATE_EVENT, json!({ "title": title, "begins": begins }))
        .await;
    let event = &created["createEvent"];
    (
        event["id"].as_str().unwrap().to_owned(),
        event["uuid"].as_str().unwrap().to_owned(),
    )
}

async fn logged_in(server: &TestServer, member: &Member) -> Browser {
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let done = browser
        .post(
            "/login",
            &[
                ("csrf", &form.csrf()),
                ("email", &member.email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    browser
}

/// The first address in `body` that starts with `start` and ends with `end`.
fn link(body: &str, start: &str, end: &str) -> String {
    let from = body.find(&format!("href=\"{start}")).expect(start) + "href=\"".len();
    let to = body[from..].find('"').expect("end of link") + from;
    let found = &body[from..to];
    assert!(found.ends_with(end), "{found}");
    found.to_owned()
}

#[tokio::test]
async fn a_reported_comments_author_is_suspended_from_the_administration_and_unsuspended_again() {
    let server = TestServer::start().await;
    let organizer = sign_up(&server, "organizer").await;
    let spammer = sign_up(&server, "spammer").await;
    let alice = sign_up(&server, "alice").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let (event_id, uuid) = event_of(&organizer, "Repair café").await;
    spammer
        .gql
        .data(
            COMMENT,
            json!({ "event": event_id, "text": "Cheap watches here" }),
        )
        .await;
    event_of(&spammer, "Watch fair").await;

    // Alice reports the comment from the event's page.
    let mut reporter = logged_in(&server, &alice).await;
    let page = reporter.get(&format!("/events/{uuid}")).await;
    let form_path = link(&page.body, &format!("/events/{uuid}/comments/"), "/report");
    let form = reporter.get(&form_path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("A comment by spammer"), "{}", form.body);
    assert!(
        !form.body.contains("name=\"email\""),
        "members leave no address"
    );
    let too_long = "x".repeat(5_001);
    let refused = reporter
        .post(
            &form_path,
            &[("csrf", &form.csrf()), ("content", &too_long)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"reason-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("aria-invalid=\"true\""));
    let thanked = reporter
        .post(
            &form_path,
            &[
                ("csrf", &form.csrf()),
                ("content", "Selling watches to everyone"),
            ],
        )
        .await;
    assert_eq!(thanked.status, StatusCode::OK, "{}", thanked.body);
    assert!(thanked.body.contains("Thank you"));

    // The moderator sees it on the dashboard, opens it, notes something.
    let mut moderator = logged_in(&server, &modo).await;
    let home = moderator.get("/").await;
    assert!(
        home.body.contains("href=\"/admin\""),
        "moderators are linked"
    );
    let dashboard = moderator.get("/admin").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard.body.contains("1 open report"),
        "{}",
        dashboard.body
    );
    assert!(dashboard.body.contains("href=\"/admin/users\""));
    let list = moderator.get("/admin/reports").await;
    let report_path = link(&list.body, "/admin/reports/", "");
    let report = moderator.get(&report_path).await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(report.body.contains("Selling watches to everyone"));
    assert!(report.body.contains("Cheap watches here"));
    assert!(report.body.contains("alice"), "who reported");
    let empty = moderator
        .post(
            &format!("{report_path}/notes"),
            &[("csrf", &report.csrf()), ("content", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("id=\"note-error\""), "{}", empty.body);
    let noted = moderator
        .post(
            &format!("{report_path}/notes"),
            &[
                ("csrf", &report.csrf()),
                ("content", "Third time this week"),
            ],
        )
        .await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER);
    let report = moderator.get(&report_path).await;
    assert!(report.body.contains("Third time this week"));

    // Suspending asks first, with a field for why.
    let confirm_path = link(&report.body, "/admin/profiles/spammer/suspend", "");
    let confirm = moderator.get(&confirm_path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm.body.contains("Suspend spammer?"),
        "{}",
        confirm.body
    );
    assert!(confirm.body.contains("name=\"reason\""));
    let suspended = moderator
        .post(
            "/admin/profiles/spammer/suspend",
            &[("csrf", &confirm.csrf()), ("reason", "Spam in comments")],
        )
        .await;
    assert_eq!(suspended.status, StatusCode::SEE_OTHER);
    let profile = moderator.get(suspended.location.as_deref().unwrap()).await;
    assert!(profile.body.contains("The profile is suspended."));
    assert!(profile.body.contains("Spam in comments"));

    // Gone from the event's page, the profile, search and the feed, for everyone.
    let mut visitor = Browser::new(&server.base_url);
    let gone = visitor.get(&format!("/events/{uuid}")).await;
    assert!(!gone.body.contains("Cheap watches here"));
    assert_eq!(visitor.get("/@spammer").await.status, StatusCode::NOT_FOUND);
    assert!(
        !visitor
            .get("/search?term=watch")
            .await
            .body
            .contains("Watch fair")
    );
    assert!(
        !visitor
            .get("/events/feed/atom")
            .await
            .body
            .contains("Watch fair")
    );

    // The author cannot log in, and is told why.
    let mut author = Browser::new(&server.base_url);
    let form = author.get("/login").await;
    let refused = author
        .post(
            "/login",
            &[
                ("csrf", &form.csrf()),
                ("email", &spammer.email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);
    assert!(refused.body.contains("was suspended"), "{}", refused.body);

    // Settled: the reporter hears the outcome; the log shows all of it.
    let report = moderator.get(&report_path).await;
    let resolved = moderator
        .post(
            &format!("{report_path}/status"),
            &[("csrf", &report.csrf()), ("status", "resolved")],
        )
        .await;
    assert_eq!(resolved.status, StatusCode::SEE_OTHER);
    let settled = moderator.get(resolved.location.as_deref().unwrap()).await;
    assert!(settled.body.contains("The report is now: Resolved"));
    server.wait_for_mail(&alice.email, "Your report").await;
    let log = moderator.get("/admin/log").await;
    for said in [
        "suspended a profile",
        "Spam in comments",
        "added a note",
        "resolved a report",
    ] {
        assert!(log.body.contains(said), "{said}: {}", log.body);
    }
    let resolved_list = moderator.get("/admin/reports?status=resolved").await;
    assert!(
        resolved_list
            .body
            .contains(&format!("href=\"{report_path}\""))
    );

    // Unsuspending brings it all back.
    let profile = moderator.get("/admin/profiles/spammer").await;
    let lifted = moderator
        .post(
            "/admin/profiles/spammer/unsuspend",
            &[("csrf", &profile.csrf())],
        )
        .await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER);
    let back = visitor.get(&format!("/events/{uuid}")).await;
    assert!(back.body.contains("Cheap watches here"));
    assert!(
        visitor
            .get("/search?term=watch")
            .await
            .body
            .contains("Watch fair")
    );
    assert!(
        visitor
            .get("/events/feed/atom")
            .await
            .body
            .contains("Watch fair")
    );
    logged_in(&server, &spammer).await;
    let log = moderator.get("/admin/log").await;
    assert!(log.body.contains("unsuspended a profile"));
}

#[tokio::test]
async fn the_administration_sends_visitors_to_log_in_and_refuses_members_with_a_reason() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let boss = sign_up_admin(&server, "boss").await;
    let mut visitor = Browser::new(&server.base_url);
    for path in ["/admin", "/admin/reports", "/admin/log", "/admin/jobs"] {
        let sent = visitor.get(path).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            sent.location.as_deref(),
            Some(&*format!("/login?next={path}"))
        );
    }
    let mut member = logged_in(&server, &alice).await;
    assert!(!member.get("/").await.body.contains("href=\"/admin\""));
    for path in [
        "/admin",
        "/admin/reports",
        "/admin/log",
        "/admin/jobs",
        "/admin/profiles/modo",
    ] {
        let refused = member.get(path).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(refused.body.contains("only"), "{path}: says why");
    }
    let form = member.get("/").await;
    let refused = member
        .post(
            "/admin/profiles/modo/suspend",
            &[("csrf", &form.csrf()), ("reason", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Jobs are the administrators': moderators are refused, and not linked there.
    let mut moderator = logged_in(&server, &modo).await;
    assert!(
        !moderator
            .get("/admin")
            .await
            .body
            .contains("href=\"/admin/jobs\"")
    );
    assert_eq!(
        moderator.get("/admin/jobs").await.status,
        StatusCode::FORBIDDEN
    );
    // A moderator does not suspend an administrator.
    let form = moderator.get("/admin/profiles/boss").await;
    let refused = moderator
        .post(
            "/admin/profiles/boss/suspend",
            &[("csrf", &form.csrf()), ("reason", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut admin = logged_in(&server, &boss).await;
    let jobs = admin.get("/admin").await;
    assert!(jobs.body.contains("href=\"/admin/jobs\""));
    assert_eq!(admin.get("/admin/jobs").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_administrator_runs_a_dead_job_again_from_its_page() {
    use sea_orm::{ActiveModelTrait, NotSet, Set};
    let server = TestServer::start().await;
    let boss = sign_up_admin(&server, "boss").await;
    let now = Utc::now();
    let job = entity::job::ActiveModel {
        id: NotSet,
        kind: Set("jobs.purge_finished".to_owned()),
        payload: Set(json!({})),
        state: Set(entity::job::JobState::Dead),
        run_at: Set(now),
        attempts: Set(5),
        max_attempts: Set(5),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(Some("the disk was full".to_owned())),
        unique_key: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(Some(now)),
    }
    .insert(&server.ctx.db)
    .await
    .unwrap();
    let mut admin = logged_in(&server, &boss).await;
    let dashboard = admin.get("/admin").await;
    assert!(
        dashboard.body.contains("1 job failed for good"),
        "{}",
        dashboard.body
    );
    let page = admin.get("/admin/jobs").await;
    assert!(page.body.contains("the disk was full"));
    let retried = admin
        .post(
            &format!("/admin/jobs/{}/retry", job.id),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(retried.status, StatusCode::SEE_OTHER);
    let after = admin.get(retried.location.as_deref().unwrap()).await;
    assert!(after.body.contains("will run again"));
    let log = admin.get("/admin/log").await;
    assert!(
        log.body.contains("ran a failed job again"),
        "the action log keeps who ran it: {}",
        log.body
    );
    tests::federating::wait_for("the job to run", || async {
        let row = backend::jobs::find(&server.ctx.db, job.id).await.unwrap();
        (row.state == entity::job::JobState::Done).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_visitor_reports_a_profile_with_an_address_when_the_instance_allows_it() {
    let server = TestServer::builder()
        .settings(|s| s.instance.anonymous_reports = true)
        .start()
        .await;
    sign_up(&server, "troll").await;
    let mut visitor = Browser::new(&server.base_url);
    let profile = visitor.get("/@troll").await;
    let form_path = link(&profile.body, "/@troll/report", "");
    let form = visitor.get(&form_path).await;
    assert!(form.body.contains("name=\"email\""), "{}", form.body);
    let refused = visitor
        .post(
            &form_path,
            &[("csrf", &form.csrf()), ("content", "Insults")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"email-error\""),
        "{}",
        refused.body
    );
    let thanked = visitor
        .post(
            &form_path,
            &[
                ("csrf", &form.csrf()),
                ("content", "Insults"),
                ("email", "witness@example.net"),
            ],
        )
        .await;
    assert_eq!(thanked.status, StatusCode::OK, "{}", thanked.body);
    assert!(thanked.body.contains("Thank you"));

    let french = TestServer::start().await;
    sign_up(&french, "troll").await;
    let mut visitor = Browser::new(&french.base_url);
    visitor.accept_language = "fr".to_owned();
    let sent = visitor.get("/@troll/report").await;
    assert_eq!(
        sent.status,
        StatusCode::SEE_OTHER,
        "anonymous reports are off"
    );
    assert_eq!(sent.location.as_deref(), Some("/login?next=/@troll/report"));
    let profile = visitor.get("/@troll").await;
    assert!(profile.body.contains("Signaler cette personne"));
}
