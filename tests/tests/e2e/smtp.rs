//! Mail through a real SMTP server. `.ci/run` starts `aiosmtpd` writing a maildir and sets
//! `CONVIVE_TEST_SMTP_URL` (smtp://HOST:PORT) and `CONVIVE_TEST_SMTP_MAILDIR`.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::path::PathBuf;
use std::time::Duration;

use backend::settings::{MailTransportKind, SmtpSecurity};
use serde_json::json;
use tests::{TestServer, skip, unique_email};

fn smtp_sink() -> Option<(String, u16, PathBuf)> {
    let url = std::env::var("CONVIVE_TEST_SMTP_URL").ok()?;
    let maildir = std::env::var("CONVIVE_TEST_SMTP_MAILDIR").ok()?;
    let parsed = url::Url::parse(&url).ok()?;
    Some((
        parsed.host_str()?.to_owned(),
        parsed.port().unwrap_or(25),
        PathBuf::from(maildir),
    ))
}

#[tokio::test]
async fn a_confirmation_mail_arrives_at_a_real_smtp_server() {
    let Some((host, port, maildir)) = smtp_sink() else {
        skip("CONVIVE_TEST_SMTP_URL and CONVIVE_TEST_SMTP_MAILDIR are not set (no SMTP sink)");
        return;
    };
    let server = TestServer::builder()
        .settings(move |s| {
            s.mail.transport = MailTransportKind::Smtp;
            s.mail.smtp.host = host;
            s.mail.smtp.port = port;
            s.mail.smtp.security = SmtpSecurity::None;
        })
        .start()
        .await;
    let email = unique_email("smtp");
    server
        .gql()
        .data(
            "mutation($e: String!) { createUser(email: $e, password: \"long enough\") { id } }",
            json!({ "e": email }),
        )
        .await;

    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let found = ["new", "cur"].iter().any(|sub| {
            std::fs::read_dir(maildir.join(sub))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                .any(|raw| raw.contains(&email) && raw.contains("Subject: Confirm your account"))
        });
        if found {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the confirmation mail for {email} never reached {}",
            maildir.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
