//! Reports, end to end: who may do what with reports, notes and the action log through the
//! API (every role, decided in the backend), and a report about another instance's person,
//! forwarded as a `Flag` from this instance's actor, arriving there as a report.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::TestServer;
use tests::federating::{self, wait_for};
use tests::people::{Member, sign_up, sign_up_admin, sign_up_moderator};

const CREATE_EVENT: &str = "mutation($begins: DateTime!) {
    createEvent(title: \"Repair café\", description: \"<p>Bring what is broken</p>\",
        beginsOn: $begins, options: { timezone: \"Europe/Paris\" }) { id uuid }
}";
const COMMENT: &str = "mutation($event: ID!, $text: String!) {
    createComment(eventId: $event, text: $text) { id url }
}";
const CREATE_REPORT: &str = "mutation($reported: ID!, $comments: [ID], $forward: Boolean, $email: String) {
    createReport(reportedId: $reported, commentsIds: $comments, content: \"Spam\", forward: $forward, email: $email) { id }
}";
const REPORTS: &str = "query { reports(status: OPEN) { total elements { id status content
    reported { id preferredUsername domain } reporter { preferredUsername domain }
    comments { id text } } } }";
const REPORT: &str = "query($id: ID!) { report(id: $id) { id status notes { id content } } }";
const UPDATE: &str = "mutation($id: ID!, $status: ReportStatus!) {
    updateReportStatus(reportId: $id, status: $status) { id status }
}";
const NOTE: &str =
    "mutation($id: ID!) { createReportNote(reportId: $id, content: \"Seen\") { id content } }";
const DELETE_NOTE: &str = "mutation($id: ID!) { deleteReportNote(noteId: $id) { id } }";
const ACTION_LOGS: &str = "query { actionLogs { total elements { action actor { preferredUsername }
    object { ... on Report { id } ... on ReportNote { report { id } } } } } }";

async fn event_with_comment(organizer: &Member, author: &Member) -> (String, String) {
    let begins = Utc::now() + Duration::days(3);
    let created = organizer
        .gql
        .data(CREATE_EVENT, json!({ "begins": begins }))
        .await;
    let event_id = created["createEvent"]["id"].as_str().unwrap().to_owned();
    let said = author
        .gql
        .data(
            COMMENT,
            json!({ "event": event_id, "text": "Cheap watches" }),
        )
        .await;
    let comment_id = said["createComment"]["id"].as_str().unwrap().to_owned();
    (event_id, comment_id)
}

#[tokio::test]
async fn reports_notes_and_the_action_log_answer_each_role_as_the_backend_decides() {
    let server = TestServer::start().await;
    let organizer = sign_up(&server, "organizer").await;
    let spammer = sign_up(&server, "spammer").await;
    let alice = sign_up(&server, "alice").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let admin = sign_up_admin(&server, "boss").await;
    let (_, comment_id) = event_with_comment(&organizer, &spammer).await;
    let anonymous = server.gql();
    let report_vars = json!({ "reported": spammer.person_id, "comments": [comment_id] });

    // Making a report: members yes, visitors not on this instance (anonymous reports off).
    assert_eq!(
        anonymous
            .error_code(
                CREATE_REPORT,
                json!({ "reported": spammer.person_id, "email": "v@example.net" })
            )
            .await,
        "unauthenticated"
    );
    let made = alice.gql.data(CREATE_REPORT, report_vars.clone()).await;
    let report_id = made["createReport"]["id"].as_str().unwrap().to_owned();
    let id = json!({ "id": report_id });

    // Reading and settling: moderators and administrators only.
    for (who, code) in [(&anonymous, "unauthenticated"), (&alice.gql, "forbidden")] {
        assert_eq!(who.error_code(REPORTS, json!({})).await, code);
        assert_eq!(who.error_code(REPORT, id.clone()).await, code);
        assert_eq!(who.error_code(NOTE, id.clone()).await, code);
        assert_eq!(who.error_code(ACTION_LOGS, json!({})).await, code);
        assert_eq!(
            who.error_code(UPDATE, json!({ "id": report_id, "status": "RESOLVED" }))
                .await,
            code
        );
    }
    for who in [&modo, &admin] {
        let listed = who.gql.data(REPORTS, json!({})).await;
        assert_eq!(listed["reports"]["total"], 1, "{listed:#}");
        let report = &listed["reports"]["elements"][0];
        assert_eq!(report["reported"]["preferredUsername"], "spammer");
        assert_eq!(report["reporter"]["preferredUsername"], "alice");
        assert_eq!(report["comments"][0]["text"], "Cheap watches");
        assert_eq!(report["content"], "Spam");
    }
    let note = modo.gql.data(NOTE, id.clone()).await;
    let note_id = note["createReportNote"]["id"].as_str().unwrap().to_owned();
    let seen = admin.gql.data(REPORT, id.clone()).await;
    assert_eq!(seen["report"]["notes"][0]["content"], "Seen");
    // A note is its author's to remove, even for an administrator.
    assert_eq!(
        admin
            .gql
            .error_code(DELETE_NOTE, json!({ "id": note_id }))
            .await,
        "forbidden"
    );
    for who in [&anonymous, &alice.gql] {
        assert_ne!(
            who.error_code(DELETE_NOTE, json!({ "id": note_id })).await,
            ""
        );
    }
    modo.gql.data(DELETE_NOTE, json!({ "id": note_id })).await;
    let settled = modo
        .gql
        .data(UPDATE, json!({ "id": report_id, "status": "RESOLVED" }))
        .await;
    assert_eq!(settled["updateReportStatus"]["status"], "RESOLVED");
    server.wait_for_mail(&alice.email, "report").await;

    let log = admin.gql.data(ACTION_LOGS, json!({})).await;
    let actions: Vec<&str> = log["actionLogs"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["REPORT_UPDATE_RESOLVED", "NOTE_DELETION", "NOTE_CREATION"],
        "{log:#}"
    );
    assert_eq!(
        log["actionLogs"]["elements"][0]["object"]["id"],
        Value::String(report_id)
    );
    assert_eq!(
        log["actionLogs"]["elements"][0]["actor"]["preferredUsername"],
        "modo"
    );
}

#[tokio::test]
async fn a_report_about_bs_person_made_on_a_and_forwarded_arrives_on_b_from_as_instance_actor() {
    let a = federating::server().await;
    let b = federating::server().await;
    let alice = sign_up(&a, "alice").await;
    let carol = sign_up(&a, "carol").await;
    let bob = sign_up(&b, "bob").await;
    let modo_b = sign_up_moderator(&b, "modob").await;
    // Bob, on B, comments alice's event on A: A now knows him and his comment.
    let begins = Utc::now() + Duration::days(3);
    let created = alice
        .gql
        .data(CREATE_EVENT, json!({ "begins": begins }))
        .await;
    let uuid = created["createEvent"]["uuid"].as_str().unwrap().to_owned();
    let event_url = a.ctx.url(&format!("/events/{uuid}"));
    let bob_actor = backend::actors::find_local_by_username(&b.ctx.db, "bob")
        .await
        .unwrap()
        .unwrap();
    let federation::Resolved::Event(copy) = federation::resolve(b.federation(), &b.ctx, &event_url)
        .await
        .expect("B fetches A's event")
    else {
        panic!("an event");
    };
    let said = bob
        .gql
        .data(
            COMMENT,
            json!({ "event": copy.id.to_string(), "text": "Cheap watches" }),
        )
        .await;
    let comment_url = said["createComment"]["url"].as_str().unwrap().to_owned();
    let on_a = wait_for("bob's comment on A", || async {
        backend::comments::find_by_ap_id(&a.ctx.db, &comment_url)
            .await
            .unwrap()
    })
    .await;
    let bob_on_a = backend::actors::remote::find_by_ap_id(&a.ctx.db, &bob_actor.ap_id)
        .await
        .unwrap()
        .expect("bob known on A");

    carol
        .gql
        .data(
            CREATE_REPORT,
            json!({ "reported": bob_on_a.id.to_string(), "comments": [on_a.id.to_string()], "forward": true }),
        )
        .await;

    let on_b = wait_for("the Flag on B", || async {
        let listed = modo_b.gql.data(REPORTS, json!({})).await;
        (listed["reports"]["total"] == 1).then_some(listed)
    })
    .await;
    let report = &on_b["reports"]["elements"][0];
    assert_eq!(report["reported"]["preferredUsername"], "bob");
    assert_eq!(report["reported"]["domain"], Value::Null, "bob is B's own");
    assert_eq!(report["reporter"]["preferredUsername"], "relay");
    assert_eq!(
        report["reporter"]["domain"].as_str(),
        Some(a.ctx.settings.public_url.host().as_str())
    );
    assert_eq!(report["comments"][0]["text"], "Cheap watches");
    assert_eq!(report["content"], "Spam");
    // Carol stays unnamed on B: the Flag comes from A's instance actor.
    assert!(!on_b.to_string().contains("carol"));
}

const SUSPEND: &str =
    "mutation($id: ID!, $reason: String) { suspendProfile(id: $id, reason: $reason) { id } }";
const UNSUSPEND: &str = "mutation($id: ID!) { unsuspendProfile(id: $id) { id suspended } }";
const LOGIN: &str = "mutation($e: String!) { login(email: $e, password: \"long enough password\") { accessToken } }";
const EVENT: &str = "query($uuid: UUID!) { event(uuid: $uuid) { title } }";

#[tokio::test]
async fn a_suspended_member_cannot_log_in_is_told_why_and_their_events_come_back_with_an_unsuspend()
{
    let server = TestServer::start().await;
    let spammer = sign_up(&server, "spammer").await;
    let alice = sign_up(&server, "alice").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let begins = Utc::now() + Duration::days(3);
    let created = spammer
        .gql
        .data(CREATE_EVENT, json!({ "begins": begins }))
        .await;
    let uuid = json!({ "uuid": created["createEvent"]["uuid"] });
    let anonymous = server.gql();
    anonymous.data(EVENT, uuid.clone()).await;
    let vars = json!({ "id": spammer.person_id, "reason": "Selling fake watches" });
    assert_eq!(
        anonymous.error_code(SUSPEND, vars.clone()).await,
        "unauthenticated"
    );
    assert_eq!(
        alice.gql.error_code(SUSPEND, vars.clone()).await,
        "forbidden"
    );
    modo.gql.data(SUSPEND, vars).await;

    assert_eq!(anonymous.error_code(EVENT, uuid.clone()).await, "not_found");
    modo.gql.data(EVENT, uuid.clone()).await;
    let refused = anonymous.error(LOGIN, json!({ "e": spammer.email })).await;
    assert_eq!(
        refused["extensions"]["code"], "account_suspended",
        "{refused:#}"
    );
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("Selling fake watches"),
        "{refused:#}"
    );
    // Their sessions ended with the suspension.
    assert_eq!(
        spammer
            .gql
            .error_code(CREATE_EVENT, json!({ "begins": begins }))
            .await,
        "unauthenticated"
    );

    let id = json!({ "id": spammer.person_id });
    assert_eq!(
        alice.gql.error_code(UNSUSPEND, id.clone()).await,
        "forbidden"
    );
    let back = modo.gql.data(UNSUSPEND, id).await;
    assert_eq!(back["unsuspendProfile"]["suspended"], false);
    anonymous.data(EVENT, uuid.clone()).await;
    anonymous.data(LOGIN, json!({ "e": spammer.email })).await;
    let log = modo.gql.data(ACTION_LOGS, json!({})).await;
    let actions: Vec<&str> = log["actionLogs"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["ACTOR_UNSUSPENSION", "ACTOR_SUSPENSION"],
        "{log:#}"
    );
}
