//! Mobilizon's endpoint as its clients call it: `POST /api` (and `/api/`) beside `/graphql`,
//! with JSON, form and multipart bodies, `variables` as a JSON string, an empty
//! `operationName`, the error `code` at the top level, limits clamped, and CORS for pages of
//! other origins that never lets them act with a user's cookie.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
    AUTHORIZATION, CONTENT_TYPE, COOKIE, ORIGIN,
};
use serde_json::{Value, json};
use tests::TestServer;
use tests::browser::Browser;
use tests::people::sign_up;

const ELSEWHERE: &str = "https://elsewhere.example";

async fn public_event(server: &TestServer, title: &str) -> String {
    let alice = sign_up(server, "alice").await;
    let created = alice
        .gql
        .data(
            "mutation($t: String!, $b: DateTime!) { createEvent(title: $t, beginsOn: $b) { uuid } }",
            json!({ "t": title, "b": Utc::now() + Duration::days(3) }),
        )
        .await;
    created["createEvent"]["uuid"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn api_and_graphql_answer_the_same_query_in_json_and_in_a_form() {
    let server = TestServer::start().await;
    let uuid = public_event(&server, "Repair café").await;
    let http = reqwest::Client::new();
    let query = "query FetchEvent($uuid: UUID!) { event(uuid: $uuid) { title } }";
    for path in ["/api", "/api/", "/graphql"] {
        // Mobilizon's clients send variables as a JSON string and an empty operation name.
        let json: Value = http
            .post(server.url(path))
            .json(&json!({
                "query": query,
                "variables": json!({ "uuid": uuid }).to_string(),
                "operationName": "",
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            json["data"]["event"]["title"], "Repair café",
            "{path}: {json}"
        );
        let form: Value = http
            .post(server.url(path))
            .form(&[
                ("query", query),
                ("variables", &json!({ "uuid": uuid }).to_string()),
                ("operationName", "FetchEvent"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            form["data"]["event"]["title"], "Repair café",
            "{path}: {form}"
        );
    }
}

#[tokio::test]
async fn a_multipart_body_with_an_empty_operation_name_runs_its_query() {
    let server = TestServer::start().await;
    let operations =
        json!({ "query": "{ config { name } }", "operationName": "", "variables": {} });
    let boundary = "convive-api-test";
    let mut body = String::new();
    for (name, content) in [
        ("operations", operations.to_string()),
        ("map", "{}".to_owned()),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{content}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let answer: Value = reqwest::Client::new()
        .post(server.url("/api"))
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["data"]["config"]["name"], "Convive", "{answer}");
}

#[tokio::test]
async fn variables_that_are_not_json_are_refused_with_a_reason() {
    let server = TestServer::start().await;
    let answer = reqwest::Client::new()
        .post(server.url("/api"))
        .form(&[("query", "{ config { name } }"), ("variables", "{oops")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let body: Value = answer.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("variables"),
        "{body}"
    );
}

#[tokio::test]
async fn errors_carry_their_code_at_the_top_level_as_in_mobilizon() {
    let server = TestServer::start().await;
    let answer: Value = reqwest::Client::new()
        .post(server.url("/api"))
        .json(&json!({ "query": "{ loggedUser { id } }" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["errors"][0]["code"], "unauthenticated", "{answer}");
    assert_eq!(answer["errors"][0]["extensions"]["code"], "unauthenticated");
}

#[tokio::test]
async fn a_limit_of_zero_gives_the_total_only_and_a_large_one_is_clamped() {
    let server = TestServer::start().await;
    public_event(&server, "Bike ride").await;
    let gql = server.gql();
    let none = gql
        .data("{ events(limit: 0) { total elements { id } } }", json!({}))
        .await;
    assert_eq!(none["events"]["total"], 1);
    assert_eq!(none["events"]["elements"], json!([]));
    let all = gql
        .data(
            "{ events(limit: 100000) { total elements { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(all["events"]["elements"].as_array().unwrap().len(), 1);
    let code = gql
        .error_code("{ events(page: 0) { total } }", json!({}))
        .await;
    assert_eq!(code, "invalid");
}

#[tokio::test]
async fn a_page_elsewhere_reads_public_events_through_cors_preflight_included() {
    let server = TestServer::start().await;
    public_event(&server, "Open mic").await;
    let http = reqwest::Client::new();
    let preflight = http
        .request(reqwest::Method::OPTIONS, server.url("/api"))
        .header(ORIGIN, ELSEWHERE)
        .header(ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(ACCESS_CONTROL_REQUEST_HEADERS, "content-type,authorization")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let headers = preflight.headers();
    assert_eq!(headers[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(
        headers[ACCESS_CONTROL_ALLOW_METHODS]
            .to_str()
            .unwrap()
            .contains("POST")
    );
    let allowed = headers[ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("content-type") && allowed.contains("authorization"));
    assert!(headers.get(ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none());

    let answer = http
        .post(server.url("/api"))
        .header(ORIGIN, ELSEWHERE)
        .json(&json!({ "query": "{ events { elements { title } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()[ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["data"]["events"]["elements"][0]["title"], "Open mic");
}

#[tokio::test]
async fn a_page_elsewhere_cannot_act_with_a_users_session_cookie() {
    let server = TestServer::start().await;
    let member = sign_up(&server, "carla").await;
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
    let cookie = browser.cookie_header();
    assert!(!cookie.is_empty(), "the browser holds a session");
    let http = reqwest::Client::new();
    // What a page elsewhere would send with `credentials: "include"`.
    let answer = http
        .post(server.url("/api"))
        .header(ORIGIN, ELSEWHERE)
        .header(COOKIE, &cookie)
        .json(&json!({ "query": "mutation { createEvent(title: \"Spam\", beginsOn: \"2030-01-01T10:00:00Z\") { uuid } }" }))
        .send()
        .await
        .unwrap();
    assert!(
        answer
            .headers()
            .get(ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .is_none()
    );
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "unauthenticated", "{body}");
    // The same page with a token the user gave it acts as that user.
    let answer: Value = http
        .post(server.url("/api"))
        .header(ORIGIN, ELSEWHERE)
        .header(AUTHORIZATION, format!("Bearer {}", member.token))
        .header(CONTENT_TYPE, "application/json")
        .body(json!({ "query": "{ loggedUser { email } }" }).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["data"]["loggedUser"]["email"], member.email.as_str());
}

#[tokio::test]
async fn only_the_configured_origins_get_cors_answers() {
    let server = TestServer::builder()
        .settings(|s| s.graphql.allowed_origins = vec!["https://app.example.org".to_owned()])
        .start()
        .await;
    let http = reqwest::Client::new();
    let ask = |origin: &'static str| {
        http.request(reqwest::Method::OPTIONS, server.url("/api"))
            .header(ORIGIN, origin)
            .header(ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .send()
    };
    let allowed = ask("https://app.example.org").await.unwrap();
    assert_eq!(
        allowed.headers()[ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://app.example.org"
    );
    let refused = ask(ELSEWHERE).await.unwrap();
    assert!(refused.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}
