//! Mobilizon clients written by others, unchanged, against a real instance at `/api`
//! (`tests/mobilizon_clients/check.py`): calendar-event-engine logs in, finds its group and
//! creates an event there; mobilizon-reshare's command line reads the group's events. Needs
//! `CONVIVE_MOBILIZON_CLIENTS` naming the `.ci` directory after `.ci/install` (its
//! `.venv-event-engine` and `.venv-reshare` hold them); `.ci/run` sets it.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::path::{Path, PathBuf};

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
