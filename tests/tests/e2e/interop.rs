//! Our federation against independent implementations (`tests/interop/interop.py`):
//! fediverse-pasture's `verify_actor` and a peer written with bovine, both on loopback, against
//! a real instance. Needs `CONVIVE_INTEROP` naming the `.ci` directory after `.ci/install`
//! (its `.venv` holds fediverse-pasture and bovine); `.ci/run` sets it.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::path::{Path, PathBuf};

use backend::settings::PublicUrl;
use tests::people::sign_up;
use tests::{TestServer, skip};

fn interop_venv() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("CONVIVE_INTEROP")?);
    let python = dir.join(".venv/bin/python");
    assert!(
        python.exists(),
        "CONVIVE_INTEROP={}: no .venv/bin/python there (run .ci/install)",
        dir.display()
    );
    Some(python)
}

// Several threads: the script talks to the server while the test waits for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasture_and_a_bovine_peer_find_our_signatures_and_documents_correct() {
    let Some(python) = interop_venv() else {
        skip(
            "CONVIVE_INTEROP is not set (the .ci directory after .ci/install: \
             fediverse-pasture and bovine)",
        );
        return;
    };
    let server = TestServer::builder()
        .settings(|s| {
            s.federation.debug = true;
            s.public_url =
                PublicUrl::parse(&format!("http://localhost:{}", s.bind.0.port())).unwrap();
        })
        .start()
        .await;
    let member = sign_up(&server, "interop").await;
    let login = backend::users::service::login(
        &server.ctx,
        &backend::rate_limits::Client::Local,
        &member.email,
        "long enough password",
    )
    .await
    .unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("interop/interop.py");
    let output = tokio::process::Command::new(python)
        .arg(script)
        .arg(server.ctx.settings.public_url.to_string())
        .arg("--token")
        .arg(&login.access_token)
        .output()
        .await
        .expect("the interop script runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{report}");
    assert!(
        output.status.success(),
        "the independent implementations found problems:\n{report}"
    );
}
