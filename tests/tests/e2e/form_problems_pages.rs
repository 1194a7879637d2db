//! The login, sign-up and group forms tell every problem at once, beside its field and tied
//! to it for assistive technology, listed at the top, in the page's language and never in the
//! API's field names: as the event form does.

use reqwest::StatusCode;
use tests::TestServer;
use tests::browser::{Browser, Page};
use tests::people::sign_up;

/// The attributes of the field `id` on a page with problems: marked invalid and described by
/// its message.
fn field_is_marked(page: &Page, id: &str) -> bool {
    let Some(at) = page.body.find(&format!("id=\"{id}\"")) else {
        return false;
    };
    let tag_end = page.body[at..]
        .find('>')
        .map_or(page.body.len(), |e| at + e);
    let tag = &page.body[at..tag_end];
    tag.contains("aria-invalid=\"true\"")
        && tag.contains(&format!("{id}-error"))
        && page
            .body
            .contains(&format!("<p class=\"field-error\" id=\"{id}-error\">"))
}

async fn sign_up_page(browser: &mut Browser) -> (String, String) {
    let form = browser.get("/register").await;
    (form.csrf(), form.hidden("ticket").expect("ticket"))
}

#[tokio::test]
async fn the_login_form_marks_the_fields_left_empty_and_a_wrong_password() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    let empty = browser
        .post(
            "/login",
            &[("csrf", &csrf), ("email", ""), ("password", "")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_is_marked(&empty, "email"), "{}", empty.body);
    assert!(field_is_marked(&empty, "password"));
    assert!(empty.body.contains("2 things to fix before saving"));
    assert!(
        empty
            .body
            .contains("<a href=\"#email\">Give the email address of your account.</a>")
    );

    let wrong = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &alice.email),
                ("password", "not it"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(field_is_marked(&wrong, "password"), "{}", wrong.body);
    assert!(wrong.body.contains("Wrong email or password."));
    assert!(
        wrong.body.contains(&format!("value=\"{}\"", alice.email)),
        "the address stays"
    );
}

#[tokio::test]
async fn the_sign_up_form_tells_every_problem_at_once_beside_its_field_in_french_too() {
    let server = TestServer::start().await;
    let mut browser = Browser::new(&server.base_url);
    let (csrf, ticket) = sign_up_page(&mut browser).await;
    let refused = browser
        .post(
            "/register",
            &[
                ("csrf", &csrf),
                ("ticket", &ticket),
                ("username", "Not Valid"),
                ("email", "nope"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    for field in ["username", "email", "password"] {
        assert!(
            field_is_marked(&refused, field),
            "{field}: {}",
            refused.body
        );
    }
    assert!(refused.body.contains("3 things to fix before saving"));
    assert!(
        refused.body.contains("value=\"Not Valid\""),
        "what was typed stays"
    );
    assert!(!refused.body.contains("preferredUsername") && !refused.body.contains("username:"));

    sign_up(&server, "alice").await;
    let mut french = Browser::new(&server.base_url);
    french.accept_language = "fr".to_owned();
    let (csrf, ticket) = sign_up_page(&mut french).await;
    let taken = french
        .post(
            "/register",
            &[
                ("csrf", &csrf),
                ("ticket", &ticket),
                ("username", "alice"),
                ("email", "alice2@example.org"),
                ("password", "long enough password"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_is_marked(&taken, "username"), "{}", taken.body);
    assert!(
        taken.body.contains("Ce nom d’utilisateur est pris"),
        "{}",
        taken.body
    );
    assert!(!taken.body.contains("already taken"));
}

#[tokio::test]
async fn the_group_form_tells_its_problems_beside_their_fields() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let mut browser = Browser::new(&server.base_url);
    let form = browser.get("/login").await;
    let csrf = form.csrf();
    browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", &alice.email),
                ("password", "long enough password"),
            ],
        )
        .await;
    let form = browser.get("/groups/new").await;
    let csrf = form.csrf();
    let long_name = "n".repeat(201);
    let refused = browser
        .post(
            "/groups/new",
            &[
                ("csrf", &csrf),
                ("username", "Pas Valide"),
                ("name", &long_name),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(field_is_marked(&refused, "username"), "{}", refused.body);
    assert!(field_is_marked(&refused, "name"));
    assert!(refused.body.contains("2 things to fix before saving"));
    assert!(!refused.body.contains("preferredUsername"));

    let created = browser
        .post(
            "/groups/new",
            &[
                ("csrf", &csrf),
                ("username", "jardins"),
                ("name", "Jardins"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let again = browser
        .post(
            "/groups/new",
            &[
                ("csrf", &csrf),
                ("username", "jardins"),
                ("name", "Autres jardins"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_is_marked(&again, "username"), "{}", again.body);
    assert!(
        again
            .body
            .contains("This username is taken: choose another.")
    );
}
