//! Looking after accounts: Mobilizon's `users`, `user`, `adminUpdateUser`,
//! `deleteAccount(userId)` and `dashboard` through the API, Convive's invitations and
//! approvals, and the `/admin/users` pages, for each role.

use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::people::{Member, sign_up, sign_up_admin, sign_up_moderator};

async fn account_id(admin: &Member, email: &str) -> String {
    let found = admin
        .gql
        .data(
            "query($e: String) { users(email: $e) { total elements { id email } } }",
            json!({ "e": email }),
        )
        .await;
    assert_eq!(found["users"]["total"], 1, "{found}");
    found["users"]["elements"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn each_role_reaches_the_account_operations_mobilizon_gives_it() {
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let alice = sign_up(&server, "alice").await;
    let id = account_id(&admin, &alice.email).await;
    let anonymous = server.gql();

    let operations = [
        (
            "{ users { total } }".to_owned(),
            ["unauthenticated", "forbidden", "ok", "ok"],
        ),
        (
            format!("{{ user(id: \"{id}\") {{ email disabled }} }}"),
            ["unauthenticated", "forbidden", "ok", "ok"],
        ),
        (
            "{ dashboard { numberOfUsers } }".to_owned(),
            ["unauthenticated", "forbidden", "forbidden", "ok"],
        ),
        (
            format!("mutation {{ adminUpdateUser(id: \"{id}\", confirmed: true) {{ id }} }}"),
            ["unauthenticated", "forbidden", "forbidden", "ok"],
        ),
        (
            "mutation { createInvitation { url } }".to_owned(),
            ["unauthenticated", "forbidden", "ok", "ok"],
        ),
        (
            format!("mutation {{ approveRegistration(id: \"{id}\") {{ id }} }}"),
            // Alice's account waits for nothing: the moderators' refusal is the rule's.
            [
                "unauthenticated",
                "forbidden",
                "not_awaiting_approval",
                "not_awaiting_approval",
            ],
        ),
        (
            "mutation { saveAdminSettings(registrationMode: OPEN) { registrationMode } }"
                .to_owned(),
            ["unauthenticated", "forbidden", "forbidden", "ok"],
        ),
    ];
    for (query, expected) in operations {
        for (gql, code) in [&anonymous, &alice.gql, &modo.gql, &admin.gql]
            .into_iter()
            .zip(expected)
        {
            let answer = gql.send(&query, json!({})).await;
            let got = answer["errors"][0]["extensions"]["code"]
                .as_str()
                .unwrap_or("ok");
            assert_eq!(got, code, "{query}: {answer}");
        }
    }
    // Deleting: anonymous, a user and a moderator (on an administrator) are refused.
    let admin_id = account_id(&admin, &admin.email).await;
    let delete =
        |target: &str| format!("mutation {{ deleteAccount(userId: \"{target}\") {{ id }} }}");
    assert_eq!(
        anonymous.error_code(&delete(&id), json!({})).await,
        "unauthenticated"
    );
    assert_eq!(
        alice.gql.error_code(&delete(&id), json!({})).await,
        "forbidden"
    );
    assert_eq!(
        modo.gql.error_code(&delete(&admin_id), json!({})).await,
        "forbidden"
    );
}

#[tokio::test]
async fn an_administrator_finds_changes_and_a_moderator_deletes_an_account() {
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let alice = sign_up(&server, "alice").await;
    let id = account_id(&admin, &alice.email).await;

    let changed = admin
        .gql
        .data(
            "mutation($id: ID!) { adminUpdateUser(id: $id, role: MODERATOR, notify: true) {
                id role confirmedAt } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(changed["adminUpdateUser"]["role"], "MODERATOR");
    let told = server.wait_for_mail(&alice.email, "was changed").await;
    assert!(told.mail.text.contains("moderator"));

    let one = admin
        .gql
        .data(
            "query($id: ID!) { user(id: $id) { email role disabled awaitingApproval
                actors { preferredUsername } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(one["user"]["disabled"], false);
    assert_eq!(one["user"]["actors"][0]["preferredUsername"], "alice");

    // As Mobilizon's client suspends an account: its identities go, the account stays
    // disabled and cannot log in.
    let deleted = modo
        .gql
        .data(
            "mutation($id: ID) { deleteAccount(userId: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(deleted["deleteAccount"]["id"], id);
    let one = admin
        .gql
        .data(
            "query($id: ID!) { user(id: $id) { disabled actors { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(one["user"]["disabled"], true);
    assert_eq!(one["user"]["actors"], json!([]));
    let login = server
        .gql()
        .error_code(
            "mutation($e: String!) { login(email: $e, password: \"long enough password\") { accessToken } }",
            json!({ "e": alice.email }),
        )
        .await;
    assert_eq!(login, "account_disabled");
    let log = admin
        .gql
        .data("{ actionLogs { elements { action } } }", json!({}))
        .await;
    let actions: Vec<&str> = log["actionLogs"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"USER_DELETION") && actions.contains(&"USER_ROLE_CHANGE"));

    let dashboard = admin
        .gql
        .data(
            "{ dashboard { numberOfUsers numberOfReports lastGroupCreated { id } } }",
            json!({}),
        )
        .await;
    assert!(dashboard["dashboard"]["numberOfUsers"].as_u64().unwrap() >= 2);
    assert_eq!(dashboard["dashboard"]["numberOfReports"], 0);
}

async fn logged_in_browser(server: &TestServer, member: &Member) -> Browser {
    let mut browser = Browser::new(&server.base_url);
    let csrf = browser.get("/login").await.csrf();
    let login = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &member.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    browser
}

#[tokio::test]
async fn administrators_look_after_accounts_on_the_users_pages() {
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    let alice = sign_up(&server, "alice").await;
    let bob = sign_up(&server, "bob").await;
    let id = account_id(&admin, &bob.email).await;

    // Not for everyone.
    let mut anonymous = Browser::new(&server.base_url);
    assert_eq!(
        anonymous.get("/admin/users").await.status,
        StatusCode::SEE_OTHER
    );
    let mut theirs = logged_in_browser(&server, &alice).await;
    assert_eq!(
        theirs.get("/admin/users").await.status,
        StatusCode::FORBIDDEN
    );

    let mut browser = logged_in_browser(&server, &admin).await;
    let list = browser.get("/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains(&alice.email) && list.body.contains(&bob.email));
    let found = browser.get("/admin/users?email=bob").await;
    assert!(found.body.contains(&bob.email) && !found.body.contains(&alice.email));

    let page = browser.get(&format!("/admin/users/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Disable the account"));
    let csrf = page.csrf();
    let path = format!("/admin/users/{id}/change");
    let disabled = browser
        .post(&path, &[("csrf", &csrf), ("what", "disable")])
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    let page = browser.get(&format!("/admin/users/{id}?done=saved")).await;
    assert!(page.body.contains("The account is saved."));
    assert!(page.body.contains("Enable the account"));
    let role = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("what", "role"),
                ("value", "moderator"),
                ("notify", "on"),
            ],
        )
        .await;
    assert_eq!(role.status, StatusCode::SEE_OTHER);
    server.wait_for_mail(&bob.email, "was changed").await;

    // Deleting asks first, then deletes the identities.
    let question = browser.get(&format!("/admin/users/{id}/delete")).await;
    assert!(question.body.contains("Delete the account"));
    assert!(question.body.contains(&bob.email));
    let deleted = browser
        .post(&format!("/admin/users/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/@bob").await.status, StatusCode::NOT_FOUND);

    // An invitation link is shown once.
    let invited = browser
        .post("/admin/users/invitations", &[("csrf", &csrf)])
        .await;
    assert!(
        invited.body.contains("/register?invitation="),
        "{}",
        invited.body
    );

    // The about page names the administrators.
    let about = anonymous.get("/about").await;
    assert!(about.body.contains("href=\"/@rosa\""));
}
