//! Who may do what in moderation and administration, as one table: every moderation and
//! administration query and mutation of the API against a visitor, a member, a moderator and
//! an administrator, each cell the answer the backend gives (allowed, or its refusal's code).
//! A row is run left to right, so a mutation allowed to the moderator is tried again by the
//! administrator on what the moderator left (a second target where that would differ).

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tests::people::{Member, sign_up, sign_up_admin, sign_up_moderator};
use tests::{Gql, TestServer};

/// What one role gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    /// Answered without an error.
    Allowed,
    /// Refused, or answered with an error, with this code.
    Refused(&'static str),
}
use Cell::{Allowed, Refused};

const NOBODY: Cell = Refused("unauthenticated");
const NOT_YOU: Cell = Refused("forbidden");

/// One operation: its name, its document, the variables for each role (one value for all when
/// the list has one), and what each of visitor, member, moderator, administrator gets.
struct Row {
    name: &'static str,
    query: &'static str,
    vars: Vec<Value>,
    cells: [Cell; 4],
}

fn row(name: &'static str, query: &'static str, vars: Vec<Value>, cells: [Cell; 4]) -> Row {
    Row {
        name,
        query,
        vars,
        cells,
    }
}

async fn user_id(member: &Member) -> String {
    let me = member.gql.data("{ loggedUser { id } }", json!({})).await;
    me["loggedUser"]["id"].as_str().unwrap().to_owned()
}

/// The code of the error `gql` gets, or `None` when it is answered without one.
async fn answer(gql: &Gql, query: &str, vars: Value) -> Option<String> {
    let response = gql.send(query, vars).await;
    let errors = response.get("errors").filter(|e| !e.is_null())?;
    Some(
        errors[0]["extensions"]["code"]
            .as_str()
            .unwrap_or("no code")
            .to_owned(),
    )
}

impl Cell {
    fn is(self, got: Option<&str>) -> bool {
        match self {
            Allowed => got.is_none(),
            Refused(code) => got == Some(code),
        }
    }
}

#[tokio::test]
async fn every_moderation_and_administration_operation_answers_each_role_as_the_table_says() {
    let server = TestServer::start().await;
    let member = sign_up(&server, "member").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let admin = sign_up_admin(&server, "boss").await;
    let victim = sign_up(&server, "victim").await;
    let second = sign_up(&server, "second").await;
    let doomed = [
        sign_up(&server, "doomed").await,
        sign_up(&server, "doomedtoo").await,
    ];
    let victim_user = user_id(&victim).await;
    let second_user = user_id(&second).await;
    let doomed_users = [user_id(&doomed[0]).await, user_id(&doomed[1]).await];
    let begins = Utc::now() + Duration::days(3);
    victim
        .gql
        .data(
            "mutation($b: DateTime!) { createEvent(title: \"Cheap watches\", beginsOn: $b) { id } }",
            json!({ "b": begins }),
        )
        .await;
    let report = member
        .gql
        .data(
            "mutation($r: ID!) { createReport(reportedId: $r, content: \"Spam\") { id } }",
            json!({ "r": victim.person_id }),
        )
        .await;
    let report_id = report["createReport"]["id"].clone();
    let note = admin
        .gql
        .data(
            "mutation($r: ID!) { createReportNote(reportId: $r, content: \"Seen\") { id } }",
            json!({ "r": report_id }),
        )
        .await;
    let note_id = note["createReportNote"]["id"].clone();
    // The administrator lifts this one, the moderator the victim's they both suspend.
    admin
        .gql
        .data(
            "mutation($id: ID!) { suspendProfile(id: $id) { id } }",
            json!({ "id": second.person_id }),
        )
        .await;

    let none = || vec![json!({})];
    let report_vars = || vec![json!({ "id": report_id })];
    let rows = vec![
        // Reading.
        row(
            "reports",
            "{ reports(status: OPEN) { total } }",
            none(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "report",
            "query($id: ID!) { report(id: $id) { id } }",
            report_vars(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "actionLogs",
            "{ actionLogs { total } }",
            none(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "persons",
            "{ persons(local: true) { total } }",
            none(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "groups",
            "{ groups(local: true) { total } }",
            none(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "users",
            "{ users { total } }",
            none(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "user",
            "query($id: ID!) { user(id: $id) { id } }",
            vec![json!({ "id": victim_user })],
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "dashboard",
            "{ dashboard { numberOfUsers } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "instances",
            "{ instances { total } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "instance",
            "query($d: ID!) { instance(domain: $d) { domain } }",
            vec![json!({ "d": "far.example" })],
            [NOBODY, NOT_YOU, NOT_YOU, Refused("not_found")],
        ),
        row(
            "relayFollowers",
            "{ relayFollowers { total } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "relayFollowings",
            "{ relayFollowings { total } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "domainBlocks",
            "{ domainBlocks { domain } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "adminSettings",
            "{ adminSettings { instanceName } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "statistics",
            "{ statistics { numberOfUsers } }",
            none(),
            [Allowed; 4],
        ),
        row(
            "categoryStatistics",
            "{ categoryStatistics { key number } }",
            none(),
            [Allowed; 4],
        ),
        // Reports.
        row(
            "createReport",
            "mutation($r: ID!) { createReport(reportedId: $r, content: \"Spam\") { id } }",
            vec![json!({ "r": victim.person_id })],
            [NOBODY, Allowed, Allowed, Allowed],
        ),
        row(
            "createReportNote",
            "mutation($id: ID!) { createReportNote(reportId: $id, content: \"Looked\") { id } }",
            report_vars(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "deleteReportNote (the administrator's)",
            "mutation($id: ID!) { deleteReportNote(noteId: $id) { id } }",
            vec![json!({ "id": note_id })],
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "updateReportStatus",
            "mutation($id: ID!) { updateReportStatus(reportId: $id, status: RESOLVED) { id } }",
            report_vars(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        // Profiles.
        row(
            "suspendProfile",
            "mutation($id: ID!) { suspendProfile(id: $id, reason: \"Spam\") { id } }",
            vec![json!({ "id": victim.person_id })],
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "unsuspendProfile",
            "mutation($id: ID!) { unsuspendProfile(id: $id) { id } }",
            vec![
                json!({ "id": victim.person_id }),
                json!({ "id": victim.person_id }),
                json!({ "id": victim.person_id }),
                json!({ "id": second.person_id }),
            ],
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "refreshProfile",
            "mutation($id: ID!) { refreshProfile(id: $id) { id } }",
            vec![json!({ "id": victim.person_id })],
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        // Accounts.
        row(
            "adminUpdateUser",
            "mutation($id: ID!) { adminUpdateUser(id: $id, confirmed: true) { id } }",
            vec![json!({ "id": second_user })],
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "approveRegistration (of an account waiting for none)",
            "mutation($id: ID!) { approveRegistration(id: $id) { id } }",
            vec![json!({ "id": second_user })],
            [
                NOBODY,
                NOT_YOU,
                Refused("not_awaiting_approval"),
                Refused("not_awaiting_approval"),
            ],
        ),
        row(
            "createInvitation",
            "mutation { createInvitation { url } }",
            none(),
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "deleteAccount(userId)",
            "mutation($id: ID!) { deleteAccount(userId: $id) { id } }",
            vec![
                json!({ "id": doomed_users[0] }),
                json!({ "id": doomed_users[0] }),
                json!({ "id": doomed_users[0] }),
                json!({ "id": doomed_users[1] }),
            ],
            [NOBODY, NOT_YOU, Allowed, Allowed],
        ),
        row(
            "setUserSettings(notificationReports)",
            "mutation { setUserSettings(notificationReports: false) { notificationReports } }",
            none(),
            [NOBODY, Refused("invalid"), Allowed, Allowed],
        ),
        // The instance.
        row(
            "saveAdminSettings",
            "mutation { saveAdminSettings(instanceSlogan: \"Meet\") { instanceSlogan } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "blockDomain",
            "mutation { blockDomain(domain: \"spam.example\") { domain } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "unblockDomain",
            "mutation { unblockDomain(domain: \"spam.example\") }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Allowed],
        ),
        row(
            "addInstance (where nobody answers)",
            "mutation { addInstance(domain: \"localhost:1\") { domain } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Refused("invalid")],
        ),
        row(
            "acceptRelay (of no follower)",
            "mutation { acceptRelay(address: \"relay@far.example\") { id } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Refused("not_found")],
        ),
        row(
            "rejectRelay (of no follower)",
            "mutation { rejectRelay(address: \"relay@far.example\") { id } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Refused("not_found")],
        ),
        row(
            "removeRelay (of no following)",
            "mutation { removeRelay(address: \"relay@far.example\") { id } }",
            none(),
            [NOBODY, NOT_YOU, NOT_YOU, Refused("not_found")],
        ),
    ];

    let roles = [
        server.gql(),
        member.gql.clone(),
        modo.gql.clone(),
        admin.gql.clone(),
    ];
    let names = ["visitor", "member", "moderator", "administrator"];
    let mut wrong = Vec::new();
    for row in &rows {
        for (i, gql) in roles.iter().enumerate() {
            let vars = row.vars.get(i).unwrap_or(&row.vars[0]).clone();
            let got = answer(gql, row.query, vars).await;
            if !row.cells[i].is(got.as_deref()) {
                wrong.push(format!(
                    "{} as {}: expected {:?}, got {:?}",
                    row.name, names[i], row.cells[i], got
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The allowed mutations did what they say.
    let gone = victim.gql.send("{ loggedUser { id } }", json!({})).await;
    assert!(
        gone.get("errors").is_some(),
        "the suspension ended the victim's session"
    );
    let doomed_now = admin
        .gql
        .data(
            "query($id: ID!) { user(id: $id) { disabled } }",
            json!({ "id": doomed_users[1] }),
        )
        .await;
    assert_eq!(doomed_now["user"]["disabled"], true);
}
