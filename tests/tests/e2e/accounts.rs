//! Accounts and identities over GraphQL, against a real server.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use entity::{job, user};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::{Gql, TestServer, find_link, unique_email};

const CREATE_USER: &str = "mutation($email: String!, $password: String!, $locale: String) {
    createUser(email: $email, password: $password, locale: $locale) { id email locale role confirmedAt }
}";
const VALIDATE: &str = "mutation($token: String!) {
    validateUser(token: $token) { accessToken refreshToken user { id email } }
}";
const LOGIN: &str = "mutation($email: String!, $password: String!) {
    login(email: $email, password: $password) { accessToken refreshToken user { id email role locale } }
}";
const LOGGED_USER: &str = "{ loggedUser { id email role locale defaultActor { id preferredUsername name } actors { preferredUsername } } }";
const CREATE_PERSON: &str = "mutation($u: String!, $name: String, $summary: String) {
    createPerson(preferredUsername: $u, name: $name, summary: $summary) { id preferredUsername name summary url local type }
}";

/// Registers an account and returns the token from its confirmation link.
async fn register(server: &TestServer, email: &str, password: &str) -> String {
    server
        .gql()
        .data(
            CREATE_USER,
            json!({ "email": email, "password": password, "locale": "en" }),
        )
        .await;
    let mail = server.wait_for_mail(email, "Confirm").await;
    let link = find_link(&mail.mail.text, "/validate/").expect("a confirmation link");
    assert!(link.starts_with(&server.base_url), "{link}");
    link.rsplit('/').next().expect("token").to_owned()
}

/// A confirmed account, logged in; returns (client with token, login data).
async fn confirmed_user(server: &TestServer, email: &str, password: &str) -> (Gql, Value) {
    let token = register(server, email, password).await;
    let login = server.gql().data(VALIDATE, json!({ "token": token })).await;
    let access = login["validateUser"]["accessToken"]
        .as_str()
        .expect("token");
    (
        server.gql().with_token(access),
        login["validateUser"].clone(),
    )
}

#[tokio::test]
async fn a_new_account_is_confirmed_by_mail_then_logs_in_creates_an_identity_and_survives_a_restart()
 {
    let server = TestServer::start().await;
    let email = unique_email("alice");
    let created = server
        .gql()
        .data(
            CREATE_USER,
            json!({ "email": email.to_uppercase(), "password": "long enough", "locale": "fr" }),
        )
        .await;
    assert_eq!(
        created["createUser"]["email"], email,
        "emails are normalized"
    );
    assert_eq!(created["createUser"]["locale"], "fr");
    assert_eq!(created["createUser"]["role"], "USER");
    assert!(created["createUser"]["confirmedAt"].is_null());

    // The confirmation mail is in the account's language, plain text and HTML.
    let mail = server.wait_for_mail(&email, "Confirmez").await;
    assert!(mail.mail.html.contains("<html lang=\"fr\">"));
    assert!(mail.raw.contains("multipart/alternative"));
    let link = find_link(&mail.mail.text, "/validate/").expect("link");
    let token = link.rsplit('/').next().expect("token");

    let validated = server.gql().data(VALIDATE, json!({ "token": token })).await;
    assert_eq!(validated["validateUser"]["user"]["email"], email);
    // The link works once.
    assert_eq!(
        server
            .gql()
            .error_code(VALIDATE, json!({ "token": token }))
            .await,
        "invalid"
    );

    let login = server
        .gql()
        .data(LOGIN, json!({ "email": email, "password": "long enough" }))
        .await;
    let access = login["login"]["accessToken"].as_str().expect("access");
    let refresh = login["login"]["refreshToken"].as_str().expect("refresh");
    let me = server.gql().with_token(access);

    let person = me
        .data(
            CREATE_PERSON,
            json!({ "u": "alice", "name": "Alice", "summary": "Bakes bread" }),
        )
        .await;
    assert_eq!(person["createPerson"]["preferredUsername"], "alice");
    assert_eq!(person["createPerson"]["type"], "Person");
    assert_eq!(
        person["createPerson"]["url"],
        format!("{}/@alice", server.base_url)
    );
    let logged = me.data(LOGGED_USER, json!({})).await;
    assert_eq!(logged["loggedUser"]["email"], email);
    assert_eq!(
        logged["loggedUser"]["defaultActor"]["preferredUsername"],
        "alice"
    );

    // Restart on the same database: the generated signing key was kept, so tokens still work.
    let mailer = server.mailer();
    let database = server.stop().await;
    let server = TestServer::builder()
        .settings(|s| s.auth.token_secret = None)
        .database(database.clone())
        .mailer(mailer)
        .start()
        .await;
    // (The first server ran with a configured secret; run a second restart with the generated
    // one to check that it, too, survives.)
    let fresh = server
        .gql()
        .data(LOGIN, json!({ "email": email, "password": "long enough" }))
        .await;
    let generated_access = fresh["login"]["accessToken"]
        .as_str()
        .expect("access")
        .to_owned();
    let generated_refresh = fresh["login"]["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();
    let mailer = server.mailer();
    let database = server.stop().await;
    let server = TestServer::builder()
        .settings(|s| s.auth.token_secret = None)
        .database(database)
        .mailer(mailer)
        .start()
        .await;
    let again = server
        .gql()
        .with_token(&generated_access)
        .data(LOGGED_USER, json!({}))
        .await;
    assert_eq!(again["loggedUser"]["email"], email);
    let refreshed = server
        .gql()
        .data(
            "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }",
            json!({ "t": generated_refresh }),
        )
        .await;
    assert!(refreshed["refreshToken"]["accessToken"].is_string());
    let _ = (access, refresh);
}

#[tokio::test]
async fn each_kind_of_bad_input_gets_its_own_code_and_writes_nothing() {
    let server = TestServer::start().await;
    let email = unique_email("bob");
    let (_, _) = confirmed_user(&server, &email, "long enough").await;
    let users_before = user::Entity::find()
        .count(&server.ctx.db)
        .await
        .expect("count");
    let mail_jobs = || {
        job::Entity::find()
            .filter(job::Column::Kind.eq(backend::mail::SEND_MAIL_JOB))
            .count(&server.ctx.db)
    };
    let jobs_before = mail_jobs().await.expect("count");
    let anonymous = server.gql();

    let duplicate = anonymous
        .error(
            CREATE_USER,
            json!({ "email": email, "password": "long enough" }),
        )
        .await;
    assert_eq!(duplicate["extensions"]["code"], "conflict");
    assert_eq!(duplicate["extensions"]["field"], "email");

    let bad_email = anonymous
        .error(
            CREATE_USER,
            json!({ "email": "not-an-address", "password": "long enough" }),
        )
        .await;
    assert_eq!(bad_email["extensions"]["code"], "invalid");
    assert_eq!(bad_email["extensions"]["field"], "email");

    let short = anonymous
        .error(
            CREATE_USER,
            json!({ "email": unique_email("c"), "password": "short" }),
        )
        .await;
    assert_eq!(short["extensions"]["code"], "invalid");
    assert_eq!(short["extensions"]["field"], "password");

    let both = anonymous
        .error(CREATE_USER, json!({ "email": "x", "password": "y" }))
        .await;
    assert_eq!(
        both["extensions"]["fields"].as_array().map(Vec::len),
        Some(2),
        "all field errors at once: {both:#}"
    );

    let bad_locale = anonymous
        .error(
            CREATE_USER,
            json!({ "email": unique_email("d"), "password": "long enough", "locale": "klingon" }),
        )
        .await;
    assert_eq!(bad_locale["extensions"]["field"], "locale");

    assert_eq!(
        anonymous
            .error_code(
                LOGIN,
                json!({ "email": email, "password": "wrong password" })
            )
            .await,
        "invalid_credentials"
    );
    assert_eq!(
        anonymous
            .error_code(
                LOGIN,
                json!({ "email": unique_email("nobody"), "password": "whatever!" })
            )
            .await,
        "invalid_credentials"
    );
    assert_eq!(
        anonymous
            .error_code(VALIDATE, json!({ "token": "made-up-token" }))
            .await,
        "invalid"
    );
    assert_eq!(
        anonymous
            .with_token("not.a.token")
            .error_code(LOGGED_USER, json!({}))
            .await,
        "unauthenticated"
    );

    assert_eq!(
        user::Entity::find()
            .count(&server.ctx.db)
            .await
            .expect("count"),
        users_before,
        "no account was half-created"
    );
    assert_eq!(
        mail_jobs().await.expect("count"),
        jobs_before,
        "no mail was queued for refused input"
    );
}

#[tokio::test]
async fn an_unconfirmed_account_cannot_log_in_until_it_follows_its_link() {
    let server = TestServer::start().await;
    let email = unique_email("carol");
    let token = register(&server, &email, "long enough").await;
    assert_eq!(
        server
            .gql()
            .error_code(LOGIN, json!({ "email": email, "password": "long enough" }))
            .await,
        "user_not_confirmed"
    );
    // Asking again sends nothing new within a minute, and answers the same for unknown addresses.
    for address in [email.clone(), unique_email("ghost")] {
        let data = server
            .gql()
            .data(
                "mutation($e: String!) { resendConfirmationEmail(email: $e) }",
                json!({ "e": address }),
            )
            .await;
        assert_eq!(data["resendConfirmationEmail"], address);
    }
    server.gql().data(VALIDATE, json!({ "token": token })).await;
    server
        .gql()
        .data(LOGIN, json!({ "email": email, "password": "long enough" }))
        .await;
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_its_session() {
    let server = TestServer::start().await;
    let email = unique_email("dan");
    let (_, login) = confirmed_user(&server, &email, "long enough").await;
    let first = login["refreshToken"].as_str().expect("refresh").to_owned();
    const REFRESH: &str =
        "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }";

    let rotated = server.gql().data(REFRESH, json!({ "t": first })).await;
    let second = rotated["refreshToken"]["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();
    assert_ne!(first, second);
    let access = rotated["refreshToken"]["accessToken"]
        .as_str()
        .expect("access")
        .to_owned();
    server
        .gql()
        .with_token(&access)
        .data(LOGGED_USER, json!({}))
        .await;

    // The first token was already used: someone copied it. The whole session ends.
    assert_eq!(
        server
            .gql()
            .error_code(REFRESH, json!({ "t": first }))
            .await,
        "unauthenticated"
    );
    assert_eq!(
        server
            .gql()
            .error_code(REFRESH, json!({ "t": second }))
            .await,
        "unauthenticated"
    );
    assert_eq!(
        server
            .gql()
            .with_token(&access)
            .error_code(LOGGED_USER, json!({}))
            .await,
        "unauthenticated"
    );
}

#[tokio::test]
async fn logging_out_ends_the_session_and_its_access_tokens() {
    let server = TestServer::start().await;
    let email = unique_email("erin");
    let (me, login) = confirmed_user(&server, &email, "long enough").await;
    me.data(LOGGED_USER, json!({})).await;
    server
        .gql()
        .data(
            "mutation($t: String!) { logout(refreshToken: $t) }",
            json!({ "t": login["refreshToken"] }),
        )
        .await;
    assert_eq!(
        me.error_code(LOGGED_USER, json!({})).await,
        "unauthenticated"
    );
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_a_mailed_link() {
    let server = TestServer::start().await;
    let email = unique_email("fay");
    let (me, _) = confirmed_user(&server, &email, "long enough").await;
    for address in [email.clone(), unique_email("nobody")] {
        let data = server
            .gql()
            .data(
                "mutation($e: String!) { sendResetPassword(email: $e) }",
                json!({ "e": address }),
            )
            .await;
        assert_eq!(data["sendResetPassword"], address, "same answer either way");
    }
    let mail = server.wait_for_mail(&email, "Reset").await;
    let link = find_link(&mail.mail.text, "/password-reset/").expect("reset link");
    let token = link.rsplit('/').next().expect("token");
    const RESET: &str = "mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) { accessToken user { email } } }";
    assert_eq!(
        server
            .gql()
            .error(RESET, json!({ "t": token, "p": "short" }))
            .await["extensions"]["field"],
        "password"
    );
    let reset = server
        .gql()
        .data(RESET, json!({ "t": token, "p": "a brand new secret" }))
        .await;
    assert_eq!(reset["resetPassword"]["user"]["email"], email);
    // Other sessions ended with the reset; the old password no longer works.
    assert_eq!(
        me.error_code(LOGGED_USER, json!({})).await,
        "unauthenticated"
    );
    assert_eq!(
        server
            .gql()
            .error_code(LOGIN, json!({ "email": email, "password": "long enough" }))
            .await,
        "invalid_credentials"
    );
    server
        .gql()
        .data(
            LOGIN,
            json!({ "email": email, "password": "a brand new secret" }),
        )
        .await;
    assert_eq!(
        server
            .gql()
            .error_code(RESET, json!({ "t": token, "p": "yet another one" }))
            .await,
        "invalid",
        "a reset link works once"
    );
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_deleting_the_account_removes_it() {
    let server = TestServer::start().await;
    let email = unique_email("gus");
    let (me, _) = confirmed_user(&server, &email, "long enough").await;
    const CHANGE: &str = "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { id } }";
    let wrong = me
        .error(
            CHANGE,
            json!({ "o": "not it at all", "n": "another secret" }),
        )
        .await;
    assert_eq!(wrong["extensions"]["field"], "oldPassword");
    me.data(CHANGE, json!({ "o": "long enough", "n": "another secret" }))
        .await;
    // The session that changed the password stays logged in.
    me.data(LOGGED_USER, json!({})).await;

    me.data(CREATE_PERSON, json!({ "u": "gus" })).await;
    const DELETE: &str = "mutation($p: String!) { deleteAccount(password: $p) { id } }";
    assert_eq!(
        me.error(DELETE, json!({ "p": "long enough" })).await["extensions"]["field"],
        "password"
    );
    me.data(DELETE, json!({ "p": "another secret" })).await;
    assert_eq!(
        server
            .gql()
            .error_code(
                LOGIN,
                json!({ "email": email, "password": "another secret" })
            )
            .await,
        "invalid_credentials"
    );
    // Its username is free again.
    let (other, _) = confirmed_user(&server, &unique_email("gus2"), "long enough").await;
    other.data(CREATE_PERSON, json!({ "u": "gus" })).await;
}

#[tokio::test]
async fn identities_have_unique_lowercase_usernames_and_the_last_one_cannot_be_deleted() {
    let server = TestServer::start().await;
    let (me, _) = confirmed_user(&server, &unique_email("hana"), "long enough").await;
    let first = me.data(CREATE_PERSON, json!({ "u": "hana" })).await;
    let second = me
        .data(
            CREATE_PERSON,
            json!({ "u": "hana_work", "name": "Hana at work" }),
        )
        .await;
    let (other, _) = confirmed_user(&server, &unique_email("ivan"), "long enough").await;
    let taken = other.error(CREATE_PERSON, json!({ "u": "hana" })).await;
    assert_eq!(taken["extensions"]["code"], "conflict");
    assert_eq!(taken["extensions"]["field"], "preferredUsername");
    let upper = other.error(CREATE_PERSON, json!({ "u": "Ivan" })).await;
    assert_eq!(upper["extensions"]["code"], "invalid");

    let identities = me
        .data("{ identities { preferredUsername } }", json!({}))
        .await;
    assert_eq!(
        identities["identities"],
        json!([{ "preferredUsername": "hana" }, { "preferredUsername": "hana_work" }])
    );

    // Someone else's identity is invisible, and cannot be changed or deleted.
    let first_id = first["createPerson"]["id"].as_str().expect("id");
    assert_eq!(
        other
            .error_code(
                "query($id: ID!) { person(id: $id) { id } }",
                json!({ "id": first_id })
            )
            .await,
        "not_found"
    );
    assert_eq!(
        other
            .error_code(
                "mutation($id: ID!) { deletePerson(id: $id) { id } }",
                json!({ "id": first_id })
            )
            .await,
        "not_found"
    );

    let updated = me
        .data(
            "mutation($id: ID!) { updatePerson(id: $id, name: \"Hana K.\") { name } }",
            json!({ "id": first_id }),
        )
        .await;
    assert_eq!(updated["updatePerson"]["name"], "Hana K.");

    let second_id = second["createPerson"]["id"].as_str().expect("id");
    me.data(
        "mutation($id: ID!) { deletePerson(id: $id) { id } }",
        json!({ "id": first_id }),
    )
    .await;
    let logged = me.data(LOGGED_USER, json!({})).await;
    assert_eq!(
        logged["loggedUser"]["defaultActor"]["preferredUsername"], "hana_work",
        "the default moves to a remaining identity"
    );
    assert_eq!(
        me.error_code(
            "mutation($id: ID!) { deletePerson(id: $id) { id } }",
            json!({ "id": second_id })
        )
        .await,
        "last_identity"
    );
}

const REGISTER_PERSON: &str = "mutation($e: String!, $u: String!, $t: String) { registerPerson(email: $e, preferredUsername: $u, token: $t) { preferredUsername } }";

#[tokio::test]
async fn register_person_gives_a_fresh_account_its_first_identity_only_once_with_the_token_create_user_answered()
 {
    let server = TestServer::start().await;
    let email = unique_email("jo");
    let created = server
        .gql()
        .data(
            "mutation($email: String!, $password: String!) { createUser(email: $email, password: $password) { registrationToken } }",
            json!({ "email": email, "password": "long enough" }),
        )
        .await;
    let token = created["createUser"]["registrationToken"].as_str().unwrap();
    server
        .gql()
        .data(
            REGISTER_PERSON,
            json!({ "e": email, "u": "jo", "t": token }),
        )
        .await;
    assert_eq!(
        server
            .gql()
            .error_code(
                REGISTER_PERSON,
                json!({ "e": email, "u": "jo_again", "t": token })
            )
            .await,
        "unauthenticated",
        "the token is used up"
    );
}

#[tokio::test]
async fn register_person_without_proof_cannot_take_over_an_account_nor_tell_which_addresses_exist()
{
    let server = TestServer::start().await;
    // An account just registered (no identity yet), and one confirmed without identity.
    let fresh = unique_email("fresh");
    server
        .gql()
        .data(
            CREATE_USER,
            json!({ "email": fresh, "password": "long enough" }),
        )
        .await;
    let confirmed = unique_email("confirmed");
    let (owner, _) = confirmed_user(&server, &confirmed, "long enough").await;
    let unknown = unique_email("nobody");

    for (email, token) in [
        (&fresh, None),
        (&fresh, Some("guessed-token")),
        (&confirmed, None),
        (&unknown, None),
        (&unknown, Some("guessed-token")),
    ] {
        let error = server
            .gql()
            .error(
                REGISTER_PERSON,
                json!({ "e": email, "u": "hijack", "t": token }),
            )
            .await;
        assert_eq!(error["extensions"]["code"], "unauthenticated", "{email}");
        assert_eq!(
            error["message"], "you need to log in",
            "the same answer whatever the address"
        );
    }
    // Another logged-in user is no proof either.
    assert_eq!(
        owner
            .error_code(REGISTER_PERSON, json!({ "e": fresh, "u": "hijack" }))
            .await,
        "unauthenticated"
    );
    let hijacked = backend::actors::find_local_by_username(&server.ctx.db, "hijack")
        .await
        .unwrap();
    assert!(hijacked.is_none());

    // The owner, logged in after confirming (as Mobilizon's client does), needs no token.
    let person = owner
        .data(REGISTER_PERSON, json!({ "e": confirmed, "u": "rightful" }))
        .await;
    assert_eq!(person["registerPerson"]["preferredUsername"], "rightful");
    assert_eq!(
        owner
            .error_code(REGISTER_PERSON, json!({ "e": confirmed, "u": "second" }))
            .await,
        "identity_exists"
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled_per_client_and_account() {
    let server = TestServer::start().await;
    let email = unique_email("kim");
    confirmed_user(&server, &email, "long enough").await;
    for _ in 0..10 {
        assert_eq!(
            server
                .gql()
                .error_code(LOGIN, json!({ "email": email, "password": "guess guess" }))
                .await,
            "invalid_credentials"
        );
    }
    let limited = server
        .gql()
        .error(LOGIN, json!({ "email": email, "password": "long enough" }))
        .await;
    assert_eq!(limited["extensions"]["code"], "rate_limited");
    assert!(limited["extensions"]["retryAfter"].as_u64().is_some());
}

#[tokio::test]
async fn closed_registrations_refuse_new_accounts() {
    let server = TestServer::builder()
        .settings(|s| s.instance.registrations_open = false)
        .start()
        .await;
    assert_eq!(
        server
            .gql()
            .error_code(
                CREATE_USER,
                json!({ "email": unique_email("l"), "password": "long enough" })
            )
            .await,
        "registrations_closed"
    );
}

#[tokio::test]
async fn queries_that_are_too_deep_too_large_or_malformed_get_clear_codes() {
    let server = TestServer::builder()
        .settings(|s| {
            s.graphql.max_depth = 2;
            s.graphql.body_limit_bytes = 2048;
        })
        .start()
        .await;
    // Twice each: the second time the query's text was seen before (its parse is kept).
    for _ in 0..2 {
        assert_eq!(
            server
                .gql()
                .error_code(
                    "{ loggedUser { defaultActor { id } actors { id } } }",
                    json!({})
                )
                .await,
            "query_too_deep"
        );
        assert_eq!(
            server.gql().error_code("{ config { ", json!({})).await,
            "invalid_query"
        );
    }
    let big = format!("{{ config {{ name }} }} # {}", "x".repeat(4096));
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .json(&json!({ "query": big }))
        .send()
        .await
        .expect("response");
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["errors"][0]["extensions"]["code"], "payload_too_large");

    let garbage = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("response");
    assert_eq!(garbage.status(), 400);
}

#[tokio::test]
async fn the_health_endpoint_reports_the_database() {
    let server = TestServer::start().await;
    let response = reqwest::get(server.url("/api/health"))
        .await
        .expect("health");
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"]["status"], "ok");
}

#[tokio::test]
async fn get_graphql_explains_the_api_without_loading_anything_from_elsewhere() {
    let server = TestServer::start().await;
    let page = reqwest::get(server.url("/graphql"))
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    assert!(page.contains("POST"));
    assert!(!page.contains("<script"), "no scripts when GraphiQL is off");
}
