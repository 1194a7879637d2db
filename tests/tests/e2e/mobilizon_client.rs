//! Mobilizon's own web client as the measure of our API: every operation it sends
//! (`tests/fixtures/mobilizon-client/operations.json`, Mobilizon 5.1.3) is validated against
//! our schema through `/graphql`, without running it (an `operationName` that names none of a
//! document's operations makes the server validate the document and answer "Unknown operation
//! named"). The test prints, per file of the client, how many validate and, for each one that
//! does not, its first error; it fails if fewer validate than [`VALID_AT_LEAST`].

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tests::TestServer;

/// Raise it as capabilities arrive; it never goes down.
const VALID_AT_LEAST: usize = 173;

/// Apollo adds `__typename` to every selection set before sending (the fixture says so): we
/// validate what goes over the wire.
fn with_typenames(document: &str) -> String {
    let mut out = String::with_capacity(document.len() * 2);
    let mut in_string = false;
    let mut depth_of_args = 0usize;
    for c in document.chars() {
        out.push(c);
        match c {
            '"' => in_string = !in_string,
            '(' if !in_string => depth_of_args += 1,
            ')' if !in_string => depth_of_args = depth_of_args.saturating_sub(1),
            // A selection set, not an input object inside arguments.
            '{' if !in_string && depth_of_args == 0 => out.push_str(" __typename "),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn mobilizons_client_operations_validate_against_our_schema() {
    let fixture: Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/mobilizon-client/operations.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let mut by_file: BTreeMap<String, (usize, usize, Vec<String>)> = BTreeMap::new();
    let mut valid = 0;
    let operations = fixture["operations"].as_array().unwrap();
    for operation in operations {
        let file = operation["file"].as_str().unwrap().to_owned();
        let name = operation["name"].as_str().unwrap_or("?");
        let document = operation["document"].as_str().unwrap();
        // Subscriptions go over a websocket in Mobilizon; a document with only a
        // subscription names no operation we could refuse by name here.
        let document = if operation["type"] == "subscription" {
            document.to_owned()
        } else {
            with_typenames(document)
        };
        let answer: Value = client
            .post(server.url("/graphql"))
            .json(&json!({ "query": document, "operationName": "ConviveValidatesOnly" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let first = answer["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let entry = by_file.entry(file).or_default();
        entry.1 += 1;
        if first.starts_with("Unknown operation named") {
            entry.0 += 1;
            valid += 1;
        } else {
            entry.2.push(format!("{name}: {first}"));
        }
    }
    for (file, (ok, total, failures)) in &by_file {
        println!("{file}: {ok}/{total}");
        for failure in failures {
            println!("    {}", failure.lines().next().unwrap_or(""));
        }
    }
    println!("{valid} of {} operations validate", operations.len());
    assert_eq!(operations.len(), 200);
    assert!(
        valid >= VALID_AT_LEAST,
        "{valid} operations validate, fewer than the {VALID_AT_LEAST} that did"
    );
}
