//! What an attacker on the internet could do to an instance, tried against a real server.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tests::TestServer;

/// `{ config { ...F<depth> } }` where each fragment spreads the one below it twice: 2^depth
/// fields once expanded, in about 40 bytes per level.
fn doubling_fragments(depth: usize) -> String {
    let mut query = format!("{{ config {{ ...F{depth} }} }} fragment F0 on Config {{ name }}");
    for n in 1..=depth {
        query.push_str(&format!(
            " fragment F{n} on Config {{ ...F{} ...F{} }}",
            n - 1,
            n - 1
        ));
    }
    query
}

async fn post_graphql(client: &reqwest::Client, url: &str, body: &Value) -> Value {
    client
        .post(url)
        .json(body)
        .send()
        .await
        .expect("GraphQL request")
        .json()
        .await
        .expect("JSON answer")
}

#[tokio::test]
async fn a_query_of_fragments_doubling_at_any_depth_is_refused_at_once_while_the_server_stays_responsive()
 {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let url = server.url("/graphql");
    for depth in [10, 25, 29, 64, 200] {
        let body = json!({ "query": doubling_fragments(depth) });
        let started = Instant::now();
        let answer = post_graphql(&client, &url, &body).await;
        let took = started.elapsed();
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "query_too_complex",
            "depth {depth}: {answer}"
        );
        assert!(
            took < Duration::from_millis(50),
            "depth {depth} took {took:?}"
        );
    }

    // Three at once, again and again, for a second: the health check still answers at once.
    let attack = {
        let client = client.clone();
        let url = url.clone();
        tokio::spawn(async move {
            let body = json!({ "query": doubling_fragments(29) });
            let deadline = Instant::now() + Duration::from_secs(1);
            while Instant::now() < deadline {
                let sent = (0..3).map(|_| post_graphql(&client, &url, &body));
                futures::future::join_all(sent).await;
            }
        })
    };
    let mut slowest = Duration::ZERO;
    while !attack.is_finished() {
        let started = Instant::now();
        let health = client
            .get(server.url("/api/health"))
            .send()
            .await
            .expect("health");
        assert!(health.status().is_success());
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    attack.await.unwrap();
    assert!(slowest < Duration::from_millis(250), "health took {slowest:?}");
}

#[tokio::test]
async fn a_query_nested_thousands_of_levels_deep_is_refused_before_it_is_parsed() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    for query in [
        format!("{{ config {}{} }}", "{ a ".repeat(20_000), "}".repeat(20_000)),
        format!(
            "{{ searchEvents(term: {}\"x\"{}) {{ total }} }}",
            "[".repeat(20_000),
            "]".repeat(20_000)
        ),
    ] {
        let answer = post_graphql(&client, &server.url("/graphql"), &json!({ "query": query })).await;
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "query_too_deep",
            "{answer}"
        );
    }
    // Still serving.
    let answer = server.gql().data("{ config { name } }", json!({})).await;
    assert!(answer["config"]["name"].is_string());
}

#[tokio::test]
async fn a_batch_counts_as_the_sum_of_its_operations_and_has_a_cap() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let url = server.url("/graphql");
    let search = json!({ "query": "{ searchEvents(limit: 100) { total elements { id title beginsOn endsOn url } } }" });

    let fine: Vec<Value> = (0..5).map(|_| search.clone()).collect();
    let answers = post_graphql(&client, &url, &Value::Array(fine)).await;
    assert_eq!(answers.as_array().map(Vec::len), Some(5), "{answers}");

    let too_many: Vec<Value> = (0..1000).map(|_| search.clone()).collect();
    let answer = post_graphql(&client, &url, &Value::Array(too_many)).await;
    assert_eq!(answer["errors"][0]["extensions"]["code"], "batch_too_large");

    // Each operation is small, together they pass the complexity limit.
    let wide = format!(
        "{{ {} }}",
        (0..150)
            .map(|n| format!("c{n}: config {{ name }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    assert!(
        server.gql().send(&wide, json!({})).await["errors"].is_null(),
        "one operation of 300 fields is within the limit"
    );
    let batch: Vec<Value> = (0..4).map(|_| json!({ "query": wide })).collect();
    let answer = post_graphql(&client, &url, &Value::Array(batch)).await;
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "query_too_complex",
        "{answer}"
    );
}
