//! The account's details page (`/me/account`), as a person uses it without JavaScript: the
//! display name, the password (the current one asked; the other sessions end) and the email
//! address (a link mailed to the new one), the avatar (a file input in a plain form), every
//! problem beside its field, in the page's language.

use reqwest::StatusCode;
use serde_json::json;
use tests::browser::{Browser, Page};
use tests::people::{Member, sign_up};
use tests::{TestServer, find_link, unique_email};

const PASSWORD: &str = "long enough password";

async fn log_in(server: &TestServer, email: &str, password: &str) -> (Browser, Page) {
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let answer = browser
        .post(
            "/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await;
    (browser, answer)
}

async fn logged_in(server: &TestServer, member: &Member) -> Browser {
    let (browser, answer) = log_in(server, &member.email, PASSWORD).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    browser
}

async fn submit(browser: &mut Browser, path: &str, fields: &[(&str, &str)]) -> Page {
    let page = browser.get("/me/account").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page.csrf();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    browser.post(path, &all).await
}

#[tokio::test]
async fn a_person_changes_their_display_name_from_the_account_page() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = logged_in(&server, &alice).await;
    let settings = browser.get("/me/settings").await;
    assert!(
        settings.body.contains("href=\"/me/account\""),
        "linked from the settings"
    );

    let saved = submit(
        &mut browser,
        "/me/account/name",
        &[("identity", "alice"), ("display_name", "Alice Martin")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(
        saved.body.contains("Your display name is saved."),
        "{}",
        saved.body
    );
    assert!(saved.body.contains("value=\"Alice Martin\""));
    let profile = Browser::new(&server.base_url).get("/@alice").await;
    assert!(profile.body.contains("Alice Martin"), "{}", profile.body);

    let too_long = "x".repeat(201);
    let refused = submit(
        &mut browser,
        "/me/account/name",
        &[("identity", "alice"), ("display_name", &too_long)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(
        "id=\"display_name\" name=\"display_name\" maxlength=\"200\" autocomplete=\"nickname\""
    ));
    assert!(
        refused
            .body
            .contains("aria-invalid=\"true\" autofocus aria-describedby=\"display_name-error display-name-hint\""),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("<a href=\"#display_name\">Give a name of at most 200 characters")
    );
    // Another person's identity is not one to rename.
    sign_up(&server, "bob").await;
    let not_mine = submit(
        &mut browser,
        "/me/account/name",
        &[("identity", "bob"), ("display_name", "Mallory")],
    )
    .await;
    assert_eq!(not_mine.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bob = Browser::new(&server.base_url).get("/@bob").await;
    assert!(!bob.body.contains("Mallory"));
}

#[tokio::test]
async fn changing_the_password_asks_the_current_one_and_ends_the_other_sessions() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = logged_in(&server, &alice).await;
    let mut phone = logged_in(&server, &alice).await;

    let wrong = submit(
        &mut browser,
        "/me/account/password",
        &[
            ("current_password", "not my password"),
            ("new_password", "a brand new password"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("<p class=\"field-error\" id=\"current_password-error\">This is not your current password.</p>"), "{}", wrong.body);
    assert!(
        wrong.body.contains(
            "aria-invalid=\"true\" autofocus aria-describedby=\"current_password-error\""
        )
    );
    assert!(!wrong.body.contains("oldPassword"), "no API field name");
    let short = submit(
        &mut browser,
        "/me/account/password",
        &[("current_password", PASSWORD), ("new_password", "short")],
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        short.body.contains("id=\"new_password-error\""),
        "{}",
        short.body
    );
    assert!(!short.body.contains("newPassword"));

    let changed = submit(
        &mut browser,
        "/me/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "a brand new password"),
        ],
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(
        changed
            .body
            .contains("Your password is changed. Your other sessions are logged out.")
    );
    // This browser stays logged in; the phone and the API session are logged out.
    assert_eq!(browser.get("/me/account").await.status, StatusCode::OK);
    let phone_now = phone.get("/me/account").await;
    assert_eq!(phone_now.status, StatusCode::SEE_OTHER);
    assert_eq!(
        alice
            .gql
            .error_code("{ loggedUser { id } }", json!({}))
            .await,
        "unauthenticated"
    );
    let (_, old) = log_in(&server, &alice.email, PASSWORD).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let (_, new) = log_in(&server, &alice.email, "a brand new password").await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_new_email_address_becomes_the_accounts_once_the_link_mailed_to_it_is_followed() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let bob = sign_up(&server, "bob").await;
    let mut browser = logged_in(&server, &alice).await;

    let taken = submit(
        &mut browser,
        "/me/account/email",
        &[("new_email", &bob.email), ("email_password", PASSWORD)],
    )
    .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken
            .body
            .contains("Another account already has this address."),
        "{}",
        taken.body
    );
    assert!(
        taken
            .body
            .contains("aria-describedby=\"new_email-error new-email-hint\"")
    );
    let both = submit(
        &mut browser,
        "/me/account/email",
        &[("new_email", "not an address"), ("email_password", "wrong")],
    )
    .await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        both.body.contains("value=\"not an address\""),
        "what was typed stays"
    );

    let new_email = unique_email("alice.new");
    let asked = submit(
        &mut browser,
        "/me/account/email",
        &[("new_email", &new_email), ("email_password", PASSWORD)],
    )
    .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(
        asked
            .body
            .contains(&format!("We sent a link to {new_email}"))
    );
    assert!(asked.body.contains("Waiting for the link sent to:"));
    server.wait_for_mail(&alice.email, "about to change").await;
    let mail = server.wait_for_mail(&new_email, "Confirm your new").await;
    let link = find_link(&mail.mail.text, "/validate/email/").expect("link");
    let path = link.trim_start_matches(&server.base_url).to_owned();
    let button = browser.get(&path).await;
    let csrf = button.csrf();
    let confirmed = browser.post(&path, &[("csrf", &csrf)]).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let page = browser.get("/me/account").await;
    assert!(
        page.body.contains(&format!("<strong>{new_email}</strong>")),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Waiting for the link"));
    let (_, with_new) = log_in(&server, &new_email, PASSWORD).await;
    assert_eq!(with_new.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_account_page_speaks_french_with_its_problems_in_french() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = logged_in(&server, &alice).await;
    browser.accept_language = "fr".to_owned();
    let page = browser.get("/me/account").await;
    let csrf = page.csrf();
    let _ = browser
        .post("/language", &[("csrf", &csrf), ("lang", "fr")])
        .await;
    let page = browser.get("/me/account").await;
    assert!(page.body.contains("<h1>Mon compte</h1>"), "{}", page.body);
    let wrong = submit(
        &mut browser,
        "/me/account/password",
        &[("current_password", "non"), ("new_password", "court")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("Ce n’est pas votre mot de passe actuel."),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("à corriger"), "{}", wrong.body);
    assert!(!wrong.body.contains("password is wrong"));
}

#[tokio::test]
async fn a_person_gives_their_identity_an_avatar_replaces_it_and_takes_it_off_without_scripts() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = logged_in(&server, &alice).await;
    let avatar_of = |gql: tests::graphql::Gql| async move {
        gql.data("{ loggedPerson { avatar { url alt } } }", json!({}))
            .await["loggedPerson"]["avatar"]
            .clone()
    };
    let page = browser.get("/me/account").await;
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let csrf = page.csrf();
    let jpeg = backend::testing::pictures::jpeg_with_gps(400, 400);
    let described = |alt: &'static str| [("identity", "alice"), ("avatar_alt", alt)];
    let with_csrf = |fields: [(&'static str, &'static str); 2]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(&fields);
        all
    };

    // A picture without its description comes back, said beside the field; nothing is set.
    let refused = browser
        .post_multipart(
            "/me/account/avatar",
            &with_csrf(described("")),
            &[("avatar", "me.jpg", &jpeg)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"avatar_alt-error\"")
            && refused.body.contains("Please describe the avatar"),
        "{}",
        refused.body
    );
    assert!(avatar_of(alice.gql.clone()).await.is_null());

    // Something that is not a picture: told beside the file input.
    let lake = with_csrf(described("Me at the lake"));
    let refused = browser
        .post_multipart(
            "/me/account/avatar",
            &lake,
            &[("avatar", "me.jpg", b"not a picture")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("id=\"avatar-error\"")
            && refused.body.contains("The avatar was not saved"),
        "{}",
        refused.body
    );

    // A picture, described: saved, shown on the page and to the API.
    let saved = browser
        .post_multipart("/me/account/avatar", &lake, &[("avatar", "me.jpg", &jpeg)])
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(
        saved.body.contains("Your avatar is saved."),
        "{}",
        saved.body
    );
    assert!(saved.body.contains("src=\"/media/"), "{}", saved.body);
    assert!(saved.body.contains("name=\"remove_avatar\""));
    let first = avatar_of(alice.gql.clone()).await;
    assert_eq!(first["alt"], "Me at the lake");

    // Replaced by another, then taken off.
    let png = backend::testing::pictures::transparent_png(300, 300);
    browser
        .post_multipart(
            "/me/account/avatar",
            &with_csrf(described("A drawing of me")),
            &[("avatar", "drawing.png", &png)],
        )
        .await;
    let second = avatar_of(alice.gql.clone()).await;
    assert_eq!(second["alt"], "A drawing of me");
    assert_ne!(second["url"], first["url"]);
    let removed = browser
        .post_multipart(
            "/me/account/avatar",
            &[
                ("csrf", &csrf),
                ("identity", "alice"),
                ("remove_avatar", "on"),
            ],
            &[("avatar", "", b"")],
        )
        .await;
    assert!(
        removed.body.contains("Your avatar is removed."),
        "{}",
        removed.body
    );
    assert!(!removed.body.contains("src=\"/media/"));
    assert!(avatar_of(alice.gql.clone()).await.is_null());
}
