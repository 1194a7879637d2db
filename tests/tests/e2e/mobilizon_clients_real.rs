//! Mobilizon clients written by others, unchanged, against a real instance at `/api`
//! (`tests/mobilizon_clients/check.py`): calendar-event-engine logs in, finds its group,
//! uploads a picture and creates an event there; mobilizon-reshare's command line reads the
//! group's events. Needs `CONVIVE_MOBILIZON_CLIENTS` naming the `.ci` directory after
//! `.ci/install` (its `.venv-event-engine` and `.venv-reshare` hold them); `.ci/run` sets it.
//! What they showed we answered wrongly is checked here without them too.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::path::{Path, PathBuf};

use backend::testing::pictures;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tests::people::sign_up;
use tests::{TestServer, skip};

/// The interpreter that has calendar-event-engine, and mobilizon-reshare's command.
fn clients() -> Option<(PathBuf, PathBuf)> {
    let dir = PathBuf::from(std::env::var_os("CONVIVE_MOBILIZON_CLIENTS")?);
    let python = dir.join(".venv-event-engine/bin/python");
    let reshare = dir.join(".venv-reshare/bin/mobilizon-reshare");
    for needed in [&python, &reshare] {
        assert!(
            needed.exists(),
            "CONVIVE_MOBILIZON_CLIENTS={}: no {} (run .ci/install)",
            dir.display(),
            needed.display()
        );
    }
    Some((python, reshare))
}

// Several threads: the clients talk to the server while the test waits for them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mobilizon_bot_creates_an_event_in_a_group_and_a_resharing_tool_reads_it() {
    let Some((python, reshare)) = clients() else {
        skip(
            "CONVIVE_MOBILIZON_CLIENTS is not set (the .ci directory after .ci/install: \
             calendar-event-engine and mobilizon-reshare)",
        );
        return;
    };
    let server = TestServer::start().await;
    let member = sign_up(&server, "bot_owner").await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("mobilizon_clients/check.py");
    let output = tokio::process::Command::new(python)
        .arg(script)
        .arg(&server.base_url)
        .arg("--email")
        .arg(&member.email)
        .arg("--password")
        .arg("long enough password")
        .arg("--reshare")
        .arg(reshare)
        .output()
        .await
        .expect("the clients' script runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{report}");
    assert!(
        output.status.success(),
        "a Mobilizon client failed against Convive:\n{report}"
    );
}

/// A multipart body as Python's `requests` writes `data=` fields and one `files=` part.
fn absinthe_upload(query: &str, variables: &Value, part: &str, file: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [
        ("query", query.to_owned()),
        ("variables", variables.to_string()),
    ] {
        body.extend(
            format!(
                "--b0undary\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .bytes(),
        );
    }
    body.extend(
        format!(
            "--b0undary\r\nContent-Disposition: form-data; name=\"{part}\"; filename=\"{part}\"\r\n\r\n"
        )
        .bytes(),
    );
    body.extend(file);
    body.extend(b"\r\n--b0undary--\r\n");
    body
}

#[tokio::test]
async fn an_upload_sent_the_way_mobilizons_server_takes_it_is_the_named_identitys_picture() {
    let server = TestServer::start().await;
    let alice = sign_up(&server, "alice").await;
    let club = alice
        .gql
        .data(
            "mutation { createPerson(preferredUsername: \"alice_club\", name: \"Club\") { id } }",
            json!({}),
        )
        .await;
    let club_id = club["createPerson"]["id"].as_str().unwrap().to_owned();
    let upload = |actor_id: &str, token: &str| {
        // The file's part is named by a variable's value, as Absinthe's plug reads uploads.
        let body = absinthe_upload(
            "mutation($file: Upload!, $name: String!, $actorId: ID) { \
               uploadMedia(file: $file, name: $name, actorId: $actorId) { id } }",
            &json!({ "file": "uploaded-file", "name": "Poster", "actorId": actor_id }),
            "uploaded-file",
            &pictures::transparent_png(64, 48),
        );
        reqwest::Client::new()
            .post(server.url("/api"))
            .header("content-type", "multipart/form-data; boundary=b0undary")
            .header("authorization", format!("Bearer {token}"))
            .body(body)
            .send()
    };
    let answer: Value = upload(&club_id, &alice.token)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = answer["data"]["uploadMedia"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{answer}"));
    let stored = entity::media::Entity::find()
        .filter(entity::media::Column::Uuid.eq(id))
        .one(&server.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.owner_actor_id.to_string(), club_id);

    let bob = sign_up(&server, "bob").await;
    let refused: Value = upload(&club_id, &bob.token)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        refused["data"]["uploadMedia"].is_null() && !refused["errors"][0]["code"].is_null(),
        "not one of Bob's identities: {refused}"
    );
}
