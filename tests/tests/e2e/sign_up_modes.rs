//! The sign-up form in each registration mode an administrator chooses (open, approval,
//! allowlist, invitation, closed), its terms, and its captcha-free defence: a field people
//! never see, and a few seconds between showing the form and sending it.

use backend::clock::ManualClock;
use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::{Browser, Page};
use tests::people::{Member, sign_up_admin, sign_up_moderator};

async fn set_mode(admin: &Member, mode: &str, allowlist: &[&str]) {
    let saved = admin
        .gql
        .data(
            "mutation($m: RegistrationMode, $a: [String!]) {
                saveAdminSettings(registrationMode: $m, registrationAllowlist: $a) {
                    registrationMode registrationAllowlist registrationsOpen } }",
            json!({ "m": mode, "a": allowlist }),
        )
        .await;
    assert_eq!(saved["saveAdminSettings"]["registrationMode"], mode);
}

/// Sends the sign-up form as a person fills it in.
async fn send_form(browser: &mut Browser, form: &Page, who: &str, extra: &[(&str, &str)]) -> Page {
    let csrf = form.csrf();
    let ticket = form.hidden("ticket").expect("a ticket");
    let email = format!("{who}@example.org");
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("ticket", &ticket),
        ("username", who),
        ("email", &email),
        ("password", "long enough password"),
        ("website", ""),
    ];
    let invitation = form.hidden("invitation");
    if let Some(token) = &invitation {
        fields.push(("invitation", token));
    }
    // What the test sets replaces what a person would send.
    fields.retain(|(name, _)| !extra.iter().any(|(other, _)| other == name));
    fields.extend_from_slice(extra);
    browser.post("/register", &fields).await
}

#[tokio::test]
async fn the_sign_up_form_admits_whom_each_registration_mode_says() {
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    let modo = sign_up_moderator(&server, "modo").await;
    let mut visitor = Browser::new(&server.base_url);

    // Closed: no form, and a form sent anyway is refused.
    set_mode(&admin, "CLOSED", &[]).await;
    let config = server
        .gql()
        .data(
            "{ config { registrationsOpen registrationsAllowlist registrationMode } }",
            json!({}),
        )
        .await;
    assert_eq!(config["config"]["registrationsOpen"], false);
    let form = visitor.get("/register").await;
    assert!(
        form.body
            .contains("Registrations are closed on this instance.")
    );
    assert!(!form.body.contains("name=\"password\""));

    // Allowlist: the domain's addresses only.
    set_mode(&admin, "ALLOWLIST", &["example.org"]).await;
    let config = server
        .gql()
        .data("{ config { registrationsAllowlist } }", json!({}))
        .await;
    assert_eq!(config["config"]["registrationsAllowlist"], true);
    let form = visitor.get("/register").await;
    assert!(form.body.contains("only open to some email addresses"));
    let sent = send_form(&mut visitor, &form, "ada", &[]).await;
    assert!(sent.body.contains("Check your mailbox"), "{}", sent.body);
    set_mode(&admin, "ALLOWLIST", &["elsewhere.example"]).await;
    let form = visitor.get("/register").await;
    let refused = send_form(&mut visitor, &form, "bert", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("this one is not among them"));

    // Invitation: refused without, admitted once with the link a moderator made.
    set_mode(&admin, "INVITATION", &[]).await;
    let form = visitor.get("/register").await;
    let refused = send_form(&mut visitor, &form, "cleo", &[]).await;
    assert!(refused.body.contains("need an invitation"));
    let made = modo
        .gql
        .data("mutation { createInvitation { url expiresAt } }", json!({}))
        .await;
    let url = made["createInvitation"]["url"].as_str().unwrap().to_owned();
    let path = url.trim_start_matches(&server.base_url).to_owned();
    let form = visitor.get(&path).await;
    assert!(form.body.contains("You were invited"));
    let sent = send_form(&mut visitor, &form, "cleo", &[]).await;
    assert!(sent.body.contains("Check your mailbox"), "{}", sent.body);
    let again = send_form(&mut visitor, &form, "dina", &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "one use");

    // Approval: signed up, confirmed, then waits for a moderator before logging in.
    set_mode(&admin, "APPROVAL", &[]).await;
    let form = visitor.get("/register").await;
    assert!(form.body.contains("A moderator approves each new account"));
    let sent = send_form(&mut visitor, &form, "emil", &[]).await;
    assert!(
        sent.body.contains("A moderator will then approve"),
        "{}",
        sent.body
    );
    let confirm = server.wait_for_mail("emil@example.org", "Confirm").await;
    let token = tests::find_link(&confirm.mail.text, "/validate/").unwrap();
    let token = token.rsplit('/').next().unwrap();
    let pending = server
        .gql()
        .error_code(
            "mutation($t: String!) { validateUser(token: $t) { accessToken } }",
            json!({ "t": token }),
        )
        .await;
    assert_eq!(pending, "registration_pending");
    let waiting = modo
        .gql
        .data(
            "{ users(awaitingApproval: true) { elements { id email awaitingApproval } } }",
            json!({}),
        )
        .await;
    let id = waiting["users"]["elements"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(waiting["users"]["elements"][0]["email"], "emil@example.org");
    modo.gql
        .data(
            "mutation($id: ID!) { approveRegistration(id: $id) { awaitingApproval } }",
            json!({ "id": id }),
        )
        .await;
    server.wait_for_mail("emil@example.org", "approved").await;
    server
        .gql()
        .data(
            "mutation { login(email: \"emil@example.org\", password: \"long enough password\") { accessToken } }",
            json!({}),
        )
        .await;

    // Open again, with terms to accept.
    set_mode(&admin, "OPEN", &[]).await;
    admin
        .gql
        .data(
            "mutation { saveAdminSettings(instanceTermsType: CUSTOM, instanceTerms: \"<p>Be kind</p>\") { instanceTermsType } }",
            json!({}),
        )
        .await;
    let form = visitor.get("/register").await;
    assert!(form.body.contains("name=\"accept_terms\""));
    assert!(form.body.contains("href=\"/terms\""));
    let refused = send_form(&mut visitor, &form, "fred", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Accept the terms to create an account.")
    );
    let sent = send_form(&mut visitor, &form, "fred", &[("accept_terms", "yes")]).await;
    assert!(sent.body.contains("Check your mailbox"), "{}", sent.body);
}

#[tokio::test]
async fn a_script_that_fills_every_field_or_does_not_wait_is_refused() {
    let clock = ManualClock::new(backend::testing::default_now());
    let server = TestServer::builder()
        .manual_clock(clock.clone())
        .settings(|s| s.auth.sign_up_min_fill_secs = 3)
        .start()
        .await;
    let mut visitor = Browser::new(&server.base_url);
    let form = visitor.get("/register").await;
    let too_soon = send_form(&mut visitor, &form, "fast", &[]).await;
    assert_eq!(too_soon.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_soon.body.contains("wait a few seconds"));
    clock.advance(chrono::Duration::seconds(5));
    let trapped = send_form(
        &mut visitor,
        &form,
        "bot",
        &[("website", "http://spam.example")],
    )
    .await;
    assert_eq!(trapped.status, StatusCode::UNPROCESSABLE_ENTITY);
    let forged = send_form(&mut visitor, &form, "forger", &[("ticket", "forged")]).await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sent = send_form(&mut visitor, &form, "human", &[]).await;
    assert!(sent.body.contains("Check your mailbox"), "{}", sent.body);
    server.wait_for_mail("human@example.org", "Confirm").await;
}

#[tokio::test]
async fn every_problem_of_a_sign_up_is_told_at_once_beside_its_field_in_the_page_language() {
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    set_mode(&admin, "ALLOWLIST", &["friends.example"]).await;
    admin
        .gql
        .data(
            "mutation { saveAdminSettings(instanceTermsType: CUSTOM, instanceTerms: \"<p>Be kind</p>\") { instanceTermsType } }",
            json!({}),
        )
        .await;
    let mut visitor = Browser::new(&server.base_url);
    let form = visitor.get("/register").await;
    // A reserved name, an address the allowlist does not admit, a short password, and the
    // terms not ticked: four problems, told together.
    let refused = send_form(
        &mut visitor,
        &form,
        "relay",
        &[("email", "zoe@elsewhere.example"), ("password", "short")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = &refused.body;
    for (field, words) in [
        ("username", "This username is taken: choose another."),
        ("email", "this one is not among them"),
        ("password", "Choose a password long enough"),
        ("accept_terms", "Accept the terms to create an account."),
    ] {
        let note = format!("<p class=\"field-error\" id=\"{field}-error\">");
        let at = body
            .find(&note)
            .unwrap_or_else(|| panic!("no problem beside {field}: {body}"));
        assert!(body[at..].contains(words), "{field}: {body}");
        assert!(
            body.contains(&format!("id=\"{field}\"")) && body.contains(&format!("{field}-error")),
            "{field} tied to its problem"
        );
    }
    assert!(body.contains("things to fix"), "{body}");
    assert_eq!(body.matches("class=\"field-error\"").count(), 4, "{body}");
    assert!(
        body.contains("aria-invalid=\"true\" autofocus"),
        "the first is focused"
    );

    // In French, the same problems in French words, nothing in English.
    visitor.accept_language = "fr".to_owned();
    let form = visitor.get("/register").await;
    let refused = send_form(
        &mut visitor,
        &form,
        "relay",
        &[("email", "zoe@elsewhere.example"), ("password", "short")],
    )
    .await;
    assert!(
        refused
            .body
            .contains("Les inscriptions ne sont ouvertes qu’à certaines adresses"),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("This username is taken"));
    assert!(!refused.body.contains("Accept the terms"));
    // Put right, the same form is accepted.
    let sent = send_form(
        &mut visitor,
        &form,
        "zoe",
        &[("email", "zoe@friends.example"), ("accept_terms", "yes")],
    )
    .await;
    assert!(
        sent.body.contains("Consultez votre messagerie"),
        "{}",
        sent.body
    );
}
