//! The API from a page of another origin, in a real Chromium: the page reads public events
//! through CORS, and cannot act as the user whose session cookie the browser holds for the
//! instance, neither by a credentialed `fetch` nor by a simple form-encoded `POST` that needs
//! no preflight. The other origin is the same host on another port: same-site, so the browser
//! does send the `SameSite=Lax` session cookie along.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::time::Duration;

use axum::response::Html;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use tests::people::sign_up;
use tests::{TestServer, skip};
use thirtyfour::prelude::*;

use crate::browser::{browser, fill, find, start_driver, submit};

/// The page another site serves: three requests to our API, the outcome of each written in
/// `#out` once all are done.
fn page_elsewhere(api: &str) -> String {
    let read = json!({ "query": "{ events { elements { title } } }" });
    let act =
        "mutation { createEvent(title: \"Spam\", beginsOn: \"2030-01-01T10:00:00Z\") { uuid } }";
    format!(
        r#"<!doctype html><html><head><title>elsewhere</title></head><body><pre id="out"></pre>
<script>
(async () => {{
  const api = {api};
  const out = {{}};
  try {{
    const answer = await fetch(api, {{ method: "POST", headers: {{ "Content-Type": "application/json" }}, body: JSON.stringify({read}) }});
    out.read = await answer.json();
  }} catch (e) {{ out.read = "refused: " + e; }}
  try {{
    const answer = await fetch(api, {{ method: "POST", credentials: "include", headers: {{ "Content-Type": "application/json" }}, body: JSON.stringify({{ query: {act} }}) }});
    out.credentialed = await answer.text();
  }} catch (e) {{ out.credentialed = "refused: " + e; }}
  try {{
    await fetch(api, {{ method: "POST", mode: "no-cors", credentials: "include", headers: {{ "Content-Type": "application/x-www-form-urlencoded" }}, body: "query=" + encodeURIComponent({act}) }});
    out.simple = "sent";
  }} catch (e) {{ out.simple = "refused: " + e; }}
  document.getElementById("out").textContent = JSON.stringify(out);
}})();
</script></body></html>"#,
        api = Value::String(api.to_owned()),
        read = read,
        act = Value::String(act.to_owned()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_of_another_origin_reads_public_events_and_cannot_act_with_the_users_cookie() {
    let Some(driver) = start_driver().await else {
        skip("chromium not found (install Debian's chromium and chromium-driver)");
        return;
    };
    let server = TestServer::start().await;
    let member = sign_up(&server, "carla").await;
    member
        .gql
        .data(
            "mutation { createEvent(title: \"Open mic\", beginsOn: \"2030-02-01T19:00:00Z\") { uuid } }",
            json!({}),
        )
        .await;

    // Another site on the same host, another port.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let elsewhere = format!("http://{}", listener.local_addr().unwrap());
    let html = page_elsewhere(&server.url("/api"));
    let app = axum::Router::new().route("/", axum::routing::get(move || async move { Html(html) }));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let page = browser(&driver).await;
    // Carla is logged in to the instance in this browser.
    page.goto(server.url("/login")).await.unwrap();
    fill(&page, "email", &member.email).await;
    fill(&page, "password", "long enough password").await;
    submit(&page, "/login").await;
    let mut session = None;
    for _ in 0..50 {
        session = page.get_named_cookie("convive_session").await.ok();
        if session.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(session.is_some(), "the browser holds Carla's session");

    page.goto(&elsewhere).await.unwrap();
    let mut out = String::new();
    for _ in 0..100 {
        out = find(&page, By::Id("out")).await.text().await.unwrap();
        if !out.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let out: Value = serde_json::from_str(&out).expect("the page wrote its outcome");
    eprintln!("the page elsewhere found: {out}");
    assert_eq!(
        out["read"]["data"]["events"]["elements"][0]["title"], "Open mic",
        "{out}"
    );
    // No `Access-Control-Allow-Credentials`: the browser stops a credentialed request at its
    // preflight; or, had it gone through, the API does not take the cookie for a login.
    let credentialed = out["credentialed"].as_str().unwrap();
    assert!(
        credentialed.starts_with("refused") || credentialed.contains("unauthenticated"),
        "{out}"
    );
    assert_eq!(out["simple"], "sent", "{out}");
    let spam = entity::event::Entity::find()
        .filter(entity::event::Column::Title.eq("Spam"))
        .count(&server.ctx.db)
        .await
        .unwrap();
    assert_eq!(spam, 0, "no request of the page acted as Carla: {out}");
    page.quit().await.unwrap();
}
