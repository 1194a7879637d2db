//! Changing one's email address as Mobilizon's client does (`changeEmail`, then the link of
//! the mail, `validateEmail`): the account then logs in with the new address only.

use serde_json::json;
use tests::people::sign_up;
use tests::{TestServer, find_link, unique_email};

const LOGIN: &str = "mutation($e: String!) {
    login(email: $e, password: \"long enough password\") { accessToken }
}";

#[tokio::test]
async fn the_new_address_logs_in_once_the_link_mailed_to_it_is_followed() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let new_email = unique_email("alice.new");
    let asked = alice
        .gql
        .data(
            "mutation($email: String!, $password: String!) {
                changeEmail(email: $email, password: $password) { id email }
            }",
            json!({ "email": new_email, "password": "long enough password" }),
        )
        .await;
    assert_eq!(asked["changeEmail"]["email"], alice.email.as_str());
    server.wait_for_mail(&alice.email, "about to change").await;
    let mail = server.wait_for_mail(&new_email, "Confirm your new").await;
    let link = find_link(&mail.mail.text, "/validate/email/").expect("link");
    let token = link.rsplit('/').next().expect("token");
    // The page of the link shows a button; a GET changes nothing.
    let page = reqwest::get(&link).await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(
        server
            .gql()
            .error_code(LOGIN, json!({ "e": new_email }))
            .await,
        "invalid_credentials"
    );

    let validated = server
        .gql()
        .data(
            "mutation($token: String!) { validateEmail(token: $token) { email } }",
            json!({ "token": token }),
        )
        .await;
    assert_eq!(validated["validateEmail"]["email"], new_email.as_str());
    server.gql().data(LOGIN, json!({ "e": new_email })).await;
    assert_eq!(
        server
            .gql()
            .error_code(LOGIN, json!({ "e": alice.email }))
            .await,
        "invalid_credentials"
    );
    assert_eq!(
        alice
            .gql
            .error_code(
                "mutation { changeEmail(email: \"x@example.org\", password: \"wrong\") { id } }",
                json!({}),
            )
            .await,
        "invalid"
    );
}
