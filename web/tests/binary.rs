//! The `convive` binary as an administrator uses it: zero-configuration start, the account flow
//! through the mail outbox, restarts, the command line, and refused configuration.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use backend::testing::TestDatabase;
use serde_json::{Value, json};

const BINARY: &str = env!("CARGO_BIN_EXE_convive");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The binary, run in `dir` with only the given `CONVIVE_*` variables.
fn convive(dir: &Path, env: &[(&str, String)]) -> Command {
    let mut command = Command::new(BINARY);
    command.current_dir(dir);
    for (key, _) in std::env::vars() {
        if key.starts_with("CONVIVE_") || key == "RUST_LOG" {
            command.env_remove(key);
        }
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

struct Running {
    child: Child,
    base: String,
}

impl Running {
    fn start(dir: &Path, port: u16, database_url: &Option<String>) -> Self {
        let mut env = vec![
            ("CONVIVE_BIND", format!("127.0.0.1:{port}")),
            ("CONVIVE_PUBLIC_URL", format!("http://127.0.0.1:{port}")),
        ];
        if let Some(url) = database_url {
            env.push(("CONVIVE_DATABASE_URL", url.clone()));
        }
        let child = convive(dir, &env)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("convive starts");
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    async fn wait_ready(&mut self) {
        // This process makes no context, which would choose the TLS implementation.
        backend::tls::use_ring();
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("convive exited early: {status}");
            }
            if let Ok(response) = client.get(format!("{}/api/health", self.base)).send().await
                && response.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("convive did not become ready");
    }

    async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let body: Value = request
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json");
        assert!(body.get("errors").is_none(), "errors: {body:#}");
        body["data"].clone()
    }

    /// SIGTERM, and a clean exit.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM");
        for _ in 0..200 {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "convive exited with {status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("convive did not stop on SIGTERM");
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn confirmation_token_from_outbox(dir: &Path, email: &str) -> String {
    let outbox = dir.join("mail-outbox");
    for _ in 0..200 {
        if let Ok(entries) = std::fs::read_dir(&outbox) {
            for entry in entries.flatten() {
                let raw = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if !raw.contains(&format!("To: {email}")) {
                    continue;
                }
                let text = decode_quoted_printable(&raw);
                if let Some(start) = text.find("/validate/") {
                    let token: String = text[start + "/validate/".len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    return token;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no confirmation mail for {email} in {}", outbox.display());
}

/// Uses PostgreSQL (a fresh schema) when CONVIVE_TEST_DATABASE_URL is set, else the default
/// SQLite file in the working directory.
async fn database() -> (Option<TestDatabase>, Option<String>) {
    if std::env::var(backend::testing::TEST_DATABASE_ENV).is_ok_and(|v| !v.is_empty()) {
        let db = TestDatabase::new().await;
        let url = db.url.clone();
        (Some(db), Some(url))
    } else {
        (None, None)
    }
}

#[tokio::test]
async fn with_no_configuration_the_binary_serves_and_the_account_flow_survives_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let (_db, database_url) = database().await;
    let port = free_port();
    let mut server = Running::start(dir.path(), port, &database_url);
    server.wait_ready().await;
    if database_url.is_none() {
        assert!(
            dir.path().join("convive.db").exists(),
            "SQLite file in the working directory"
        );
    }

    let email = "zero@example.org";
    server
        .gql(
            "mutation($e: String!) { createUser(email: $e, password: \"long enough\") { id } }",
            json!({ "e": email }),
            None,
        )
        .await;
    let token = confirmation_token_from_outbox(dir.path(), email).await;
    server
        .gql(
            "mutation($t: String!) { validateUser(token: $t) { accessToken } }",
            json!({ "t": token }),
            None,
        )
        .await;
    let login = server
        .gql(
            "mutation($e: String!) { login(email: $e, password: \"long enough\") { accessToken refreshToken } }",
            json!({ "e": email }),
            None,
        )
        .await;
    let access = login["login"]["accessToken"]
        .as_str()
        .expect("access")
        .to_owned();
    let refresh = login["login"]["refreshToken"]
        .as_str()
        .expect("refresh")
        .to_owned();
    server
        .gql(
            "mutation { createPerson(preferredUsername: \"zero\") { id } }",
            json!({}),
            Some(&access),
        )
        .await;
    let me = server
        .gql(
            "{ loggedUser { email defaultActor { preferredUsername } } }",
            json!({}),
            Some(&access),
        )
        .await;
    assert_eq!(
        me["loggedUser"]["defaultActor"]["preferredUsername"],
        "zero"
    );
    server.stop();

    let mut server = Running::start(dir.path(), port, &database_url);
    server.wait_ready().await;
    let me = server
        .gql("{ loggedUser { email } }", json!({}), Some(&access))
        .await;
    assert_eq!(
        me["loggedUser"]["email"], email,
        "the access token survived the restart"
    );
    let refreshed = server
        .gql(
            "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }",
            json!({ "t": refresh }),
            None,
        )
        .await;
    assert!(refreshed["refreshToken"]["accessToken"].is_string());
    server.stop();
}

#[tokio::test]
async fn an_account_made_on_the_command_line_can_log_in() {
    let dir = tempfile::tempdir().expect("dir");
    let (_db, database_url) = database().await;
    let mut env = Vec::new();
    if let Some(url) = &database_url {
        env.push(("CONVIVE_DATABASE_URL", url.clone()));
    }
    let output = convive(dir.path(), &env)
        .args([
            "users",
            "create",
            "--email",
            "a@b.co",
            "--password",
            "long enough",
            "--confirmed",
            "--admin",
        ])
        .output()
        .expect("users create");
    assert!(output.status.success(), "{output:?}");
    let listed = convive(dir.path(), &env)
        .args(["users", "list"])
        .output()
        .expect("users list");
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(
        listed.contains("a@b.co") && listed.contains("Administrator"),
        "{listed}"
    );

    let port = free_port();
    let mut server = Running::start(dir.path(), port, &database_url);
    server.wait_ready().await;
    let login = server
        .gql(
            "mutation { login(email: \"a@b.co\", password: \"long enough\") { user { role } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(login["login"]["user"]["role"], "ADMINISTRATOR");
    server.stop();
}

#[test]
fn bad_configuration_stops_the_binary_with_a_message_naming_the_key() {
    let dir = tempfile::tempdir().expect("dir");
    let output = convive(dir.path(), &[("CONVIVE_BIND", "nonsense".to_owned())])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"bind\"") && stderr.contains("CONVIVE_BIND"),
        "{stderr}"
    );

    std::fs::write(dir.path().join("convive.toml"), "[mail]\ntransport = 42\n").expect("write");
    let output = convive(dir.path(), &[]).output().expect("runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mail.transport"), "{stderr}");

    std::fs::write(
        dir.path().join("convive.toml"),
        "bind = \"127.0.0.1:1\"\n[mail\n",
    )
    .expect("write");
    let output = convive(dir.path(), &[]).output().expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("convive.toml"));

    let output = convive(
        dir.path(),
        &[("CONVIVE_CONFIG", "/nonexistent/convive.toml".to_owned())],
    )
    .output()
    .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/convive.toml"));
}

#[test]
fn help_version_and_migrate_work() {
    let dir = tempfile::tempdir().expect("dir");
    let help = convive(dir.path(), &[])
        .arg("--help")
        .output()
        .expect("help");
    let text = String::from_utf8_lossy(&help.stdout);
    for command in ["serve", "migrate", "users", "jobs"] {
        assert!(text.contains(command), "{text}");
    }
    let version = convive(dir.path(), &[])
        .arg("--version")
        .output()
        .expect("version");
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
    let migrate = convive(dir.path(), &[])
        .arg("migrate")
        .output()
        .expect("migrate");
    assert!(migrate.status.success(), "{migrate:?}");
    assert!(dir.path().join("convive.db").exists());
}
