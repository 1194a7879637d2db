//! The instance's public pages: `/about`, `/terms` and `/privacy`, linked from every page,
//! showing what the administrators wrote (through `saveAdminSettings`) or, for the privacy
//! policy, what Convive itself stores.

use reqwest::StatusCode;
use serde_json::json;
use tests::TestServer;
use tests::browser::Browser;
use tests::people::{sign_up, sign_up_admin};

#[tokio::test]
async fn without_texts_of_their_own_the_pages_say_what_convive_stores_and_for_how_long() {
    let server = TestServer::start().await;
    sign_up(&server, "alice").await;
    let mut visitor = Browser::new(&server.base_url);

    let home = visitor.get("/").await;
    for link in ["href=\"/about\"", "href=\"/terms\"", "href=\"/privacy\""] {
        assert!(home.body.contains(link), "the footer links {link}");
    }
    let about = visitor.get("/about").await;
    assert_eq!(about.status, StatusCode::OK);
    assert!(about.body.contains(&server.ctx.settings.instance.name));
    assert!(about.body.contains("1 person has an account here."));
    assert!(about.body.contains(env!("CARGO_PKG_VERSION")));

    let privacy = visitor.get("/privacy").await;
    assert_eq!(privacy.status, StatusCode::OK);
    let sessions = server.ctx.settings.auth.browser_session_days;
    assert!(privacy.body.contains("a hash of your password"));
    assert!(privacy.body.contains(&format!("up to {sessions} days")));
    assert!(privacy.body.contains("deleted a week after the event"));
    let terms = visitor.get("/terms").await;
    assert!(terms.body.contains("have not written terms of their own"));
}

#[tokio::test]
async fn the_administrators_rules_and_terms_replace_the_defaults_on_the_pages() {
    let server = TestServer::start().await;
    let admin = sign_up_admin(&server, "rosa").await;
    admin
        .gql
        .data(
            "mutation($rules: String, $terms: String) {
                saveAdminSettings(instanceRules: $rules, instanceTerms: $terms,
                    instanceTermsType: CUSTOM, instancePrivacyPolicyType: URL,
                    instancePrivacyPolicyUrl: \"https://example.org/privacy\") { instanceName }
            }",
            json!({
                "rules": "<p>Be kind</p><script>alert(1)</script>",
                "terms": "<p>Our own terms</p>",
            }),
        )
        .await;
    let mut visitor = Browser::new(&server.base_url);

    let about = visitor.get("/about").await;
    assert!(about.body.contains("<p>Be kind</p>"));
    assert!(!about.body.contains("alert(1)"));
    let terms = visitor.get("/terms").await;
    assert!(terms.body.contains("<p>Our own terms</p>"));
    assert!(!terms.body.contains("have not written terms"));
    let privacy = visitor.get("/privacy").await;
    assert!(
        privacy
            .body
            .contains("href=\"https://example.org/privacy\"")
    );
    assert!(!privacy.body.contains("a hash of your password"));
}
