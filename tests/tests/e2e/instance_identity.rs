//! The instance's name, description, contact, language and zone as administrators set them on
//! `/admin/settings` (`backend::identity`): every page, NodeInfo and the API's `config` show
//! them at once, on every node of one database.

use reqwest::StatusCode;
use serde_json::{Value, json};
use tests::TestServer;
use tests::browser::Browser;
use tests::people::{Member, sign_up_admin};

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

async fn node_name(server: &TestServer) -> Value {
    let info: Value = reqwest::get(server.url("/nodeinfo/2.1"))
        .await
        .expect("nodeinfo")
        .json()
        .await
        .expect("json");
    info["metadata"]["nodeName"].clone()
}

const CONFIG: &str = "{ config { name description contact languages } }";

#[tokio::test]
async fn an_administrator_renames_the_instance_and_every_page_and_peer_reads_the_new_name() {
    let server = TestServer::start().await;
    let boss = sign_up_admin(&server, "boss").await;
    let mut admin = logged_in(&server, &boss).await;
    let file_name = server.ctx.settings.instance.name.clone();
    assert_eq!(node_name(&server).await, json!(file_name));

    // Every problem at once, beside its field, nothing saved.
    let page = admin.get("/admin/settings").await;
    let csrf = page.csrf();
    let refused = admin
        .post(
            "/admin/settings",
            &[
                ("csrf", csrf.as_str()),
                ("name", " "),
                ("contact", "nobody"),
                ("language", "tlh"),
                ("timezone", "Mars/Olympus"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "contact", "language", "timezone"] {
        assert!(
            refused.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            refused.body
        );
    }
    assert!(
        refused
            .body
            .contains("Give a time zone name such as Europe/Paris")
    );

    let saved = admin
        .post(
            "/admin/settings",
            &[
                ("csrf", csrf.as_str()),
                ("name", "Hill events"),
                ("description", "What happens on the hill"),
                ("contact", "team@hill.example"),
                ("language", "fr"),
                ("timezone", "America/Montreal"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let form = admin.get("/admin/settings").await;
    assert!(
        form.body.contains("value=\"America/Montreal\""),
        "{}",
        form.body
    );

    let mut visitor = Browser::new(&server.base_url);
    let home = visitor.get("/").await;
    assert!(home.body.contains("Hill events"), "{}", home.body);
    assert!(!home.body.contains(&format!(">{file_name}<")));
    // Without a language of their own, visitors read the instance's.
    visitor.accept_language = String::new();
    let about = visitor.get("/about").await;
    assert!(
        about.body.contains("<h1>Hill events</h1>"),
        "{}",
        about.body
    );
    assert!(
        about.body.contains("<html lang=\"fr\">"),
        "the instance's language"
    );
    assert!(about.body.contains("What happens on the hill"));
    assert!(about.body.contains("mailto:team@hill.example"));
    assert_eq!(node_name(&server).await, json!("Hill events"));
    let config = server.gql().data(CONFIG, json!({})).await["config"].clone();
    assert_eq!(
        config,
        json!({
            "name": "Hill events",
            "description": "What happens on the hill",
            "contact": "team@hill.example",
            "languages": ["fr", "en"],
        })
    );
    let log = boss
        .gql
        .data("{ actionLogs { elements { action } } }", json!({}))
        .await;
    assert_eq!(
        log["actionLogs"]["elements"][0]["action"],
        "INSTANCE_SETTINGS_CHANGE"
    );
}

#[tokio::test]
async fn a_rename_on_one_node_shows_on_another_node_of_the_same_database() {
    let first = TestServer::start().await;
    // Signed up (and confirmed by mail) before the second node starts: its job worker could
    // otherwise send the first node's confirmation mail from its own mailbox.
    let boss = sign_up_admin(&first, "boss").await;
    let second = TestServer::builder()
        .database(first.database())
        .start()
        .await;
    // The second node has read (and kept) the file's name before the change.
    let before = second.gql().data(CONFIG, json!({})).await;
    assert_eq!(
        before["config"]["name"],
        json!(second.ctx.settings.instance.name)
    );
    boss.gql
        .data(
            "mutation { saveAdminSettings(instanceName: \"Hill events\") { instanceName } }",
            json!({}),
        )
        .await;
    // Other nodes hear of the change through the database's notifications.
    let mut seen = Value::Null;
    for _ in 0..50 {
        seen = second.gql().data(CONFIG, json!({})).await["config"]["name"].clone();
        if seen == json!("Hill events") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(seen, json!("Hill events"));
    let home = Browser::new(&second.base_url).get("/").await;
    assert!(home.body.contains("Hill events"), "{}", home.body);
    assert_eq!(node_name(&second).await, json!("Hill events"));
}

/// The `From:` header of a sent message, as its raw MIME text has it.
fn from_header(sent: &backend::mail::SentMail) -> String {
    sent.raw
        .lines()
        .find(|line| line.starts_with("From: "))
        .unwrap_or_else(|| panic!("no From header in {}", sent.raw))
        .to_owned()
}

/// Signed and sent in the name the administrators chose, not the file's.
fn assert_signed_by(sent: &backend::mail::SentMail, name: &str, file_name: &str) {
    let what = &sent.mail.subject;
    assert!(
        sent.mail.text.ends_with(&format!("\n{name}\n")),
        "{what}: {}",
        sent.mail.text
    );
    assert!(
        !sent.mail.text.contains(&format!("\n{file_name}\n")),
        "{what}: {}",
        sent.mail.text
    );
    assert!(
        sent.mail.html.contains(&format!(">{name}</p>")),
        "{what}: {}",
        sent.mail.html
    );
    let from = from_header(sent);
    assert!(from.contains(name), "{what}: {from}");
    assert!(!from.contains(file_name), "{what}: {from}");
}

#[tokio::test]
async fn after_a_rename_every_kind_of_mail_is_signed_and_sent_in_the_new_name() {
    let server = TestServer::start().await;
    let file_name = server.ctx.settings.instance.name.clone();
    let boss = sign_up_admin(&server, "boss").await;
    let ada = tests::people::sign_up(&server, "ada").await;
    let host = tests::people::sign_up(&server, "host").await;
    // Mail sent before the rename carries the file's name.
    let before = server.wait_for_mail(&ada.email, "Confirm").await;
    assert!(from_header(&before).contains(&file_name));
    boss.gql
        .data(
            "mutation { saveAdminSettings(instanceName: \"Hill events\") { instanceName } }",
            json!({}),
        )
        .await;

    // A notice about the account itself.
    let late = tests::people::sign_up(&server, "late").await;
    let confirm = server.wait_for_mail(&late.email, "Confirm").await;
    assert!(confirm.mail.subject.contains("Hill events"));
    assert_signed_by(&confirm, "Hill events", &file_name);

    // A notice about an event.
    let event = host
        .gql
        .data(
            "mutation($a: ID!) { createEvent(organizerActorId: $a, title: \"Open house\",
                beginsOn: \"2030-05-01T10:00:00Z\") { id } }",
            json!({ "a": host.person_id }),
        )
        .await["createEvent"]["id"]
        .clone();
    ada.gql
        .data(
            "mutation($e: ID!, $a: ID!) { joinEvent(eventId: $e, actorId: $a) { role } }",
            json!({ "e": event, "a": ada.person_id }),
        )
        .await;
    host.gql
        .data(
            "mutation($id: ID!) { updateEvent(eventId: $id, status: CANCELLED) { id } }",
            json!({ "id": event }),
        )
        .await;
    let cancelled = server
        .wait_for_mail(&ada.email, "Cancelled: Open house")
        .await;
    assert_signed_by(&cancelled, "Hill events", &file_name);

    // The report's notices: to the moderators, then to the reporter.
    let report = ada
        .gql
        .data(
            "mutation($r: ID!) { createReport(reportedId: $r, content: \"Spam\") { id } }",
            json!({ "r": host.person_id }),
        )
        .await["createReport"]["id"]
        .clone();
    let new_report = server
        .wait_for_mail(&boss.email, "New report on Hill events")
        .await;
    assert_signed_by(&new_report, "Hill events", &file_name);
    boss.gql
        .data(
            "mutation($id: ID!) { updateReportStatus(reportId: $id, status: RESOLVED) { id } }",
            json!({ "id": report }),
        )
        .await;
    let outcome = server
        .wait_for_mail(&ada.email, "Your report on Hill events")
        .await;
    assert_signed_by(&outcome, "Hill events", &file_name);
}
