//! End-to-end test support: real Convive servers on ephemeral loopback ports, each on its own
//! fresh database, with a GraphQL client and access to the mail they send.

// Test support panics on purpose: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

pub mod bench;
pub mod browser;
pub mod federating;
pub mod gancio;
pub mod graphql;
pub mod mail;
pub mod people;
pub mod signing;

use std::sync::Arc;

use backend::AppContext;
use backend::clock::{Clock, ManualClock, SystemClock};
use backend::mail::{Mailer, SentMail};
use backend::settings::Settings;
use backend::testing::TestDatabase;
use web::startup::Server;

pub use graphql::Gql;

/// Environment variable that turns "skipped: <why>" into a failure (set by `.ci/run`).
pub const REQUIRE_EXTERNAL_ENV: &str = "CONVIVE_REQUIRE_EXTERNAL";

/// Reports a test that cannot run here. Passes locally; fails when CI requires every part.
pub fn skip(why: &str) {
    let required = std::env::var(REQUIRE_EXTERNAL_ENV)
        .map(|v| !v.is_empty() && v != "0")
        .unwrap_or(false);
    assert!(
        !required,
        "skipped: {why} (but {REQUIRE_EXTERNAL_ENV} is set)"
    );
    eprintln!("skipped: {why}");
}

/// A running instance.
pub struct TestServer {
    pub base_url: String,
    pub ctx: AppContext,
    /// Present when the server runs on a manual clock.
    pub clock: Option<ManualClock>,
    server: Option<Server>,
    database: Arc<TestDatabase>,
    /// Set by tests whose story leaves failing work behind on purpose.
    failing_jobs_expected: bool,
    /// Where the server stores pictures on disk, removed with it.
    _media_dir: tempfile::TempDir,
}

/// A change to a server's settings before it starts.
type SettingsChange = Box<dyn FnOnce(&mut Settings) + Send>;

pub struct TestServerBuilder {
    adjust: Vec<SettingsChange>,
    clock: Option<ManualClock>,
    database: Option<Arc<TestDatabase>>,
    mailer: Option<Mailer>,
    port: Option<u16>,
}

impl TestServerBuilder {
    pub fn settings(mut self, adjust: impl FnOnce(&mut Settings) + Send + 'static) -> Self {
        self.adjust.push(Box::new(adjust));
        self
    }

    /// Runs the server on a clock the test moves.
    pub fn manual_clock(mut self, clock: ManualClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Reuses the database of an earlier server (a restart).
    pub fn database(mut self, database: Arc<TestDatabase>) -> Self {
        self.database = Some(database);
        self
    }

    /// Listens on this loopback port (a restart keeps its address, which actor ids contain).
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Reuses a mailer (to keep reading the mail of an earlier server).
    pub fn mailer(mut self, mailer: Mailer) -> Self {
        self.mailer = Some(mailer);
        self
    }

    pub async fn start(self) -> TestServer {
        let database = match self.database {
            Some(db) => db,
            None => Arc::new(TestDatabase::new().await),
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port.unwrap_or(0)))
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("local address");
        let mut settings = backend::testing::settings(&database.url);
        settings.public_url =
            backend::settings::PublicUrl::parse(&format!("http://{address}")).expect("public url");
        settings.bind = backend::settings::BindAddress(address);
        let media_dir = tempfile::tempdir().expect("a directory for pictures");
        settings.media.dir = media_dir.path().to_owned();
        for adjust in self.adjust {
            adjust(&mut settings);
        }
        let mailer = match self.mailer {
            Some(mailer) => mailer,
            None => match settings.mail.transport {
                backend::settings::MailTransportKind::Memory => {
                    Mailer::memory(&settings.mail_from_address())
                }
                _ => Mailer::from_settings(&settings).expect("mailer"),
            },
        };
        let clock_for_ctx: Arc<dyn Clock> = match &self.clock {
            Some(clock) => Arc::new(clock.clone()),
            None => Arc::new(SystemClock),
        };
        let ctx = AppContext::start_with(settings, mailer, clock_for_ctx)
            .await
            .expect("context");
        let server = Server::start(ctx.clone(), listener, std::future::pending())
            .await
            .expect("server starts");
        TestServer {
            base_url: format!("http://{address}"),
            ctx,
            clock: self.clock,
            server: Some(server),
            database,
            failing_jobs_expected: false,
            _media_dir: media_dir,
        }
    }
}

impl TestServer {
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder {
            adjust: Vec::new(),
            clock: None,
            database: None,
            mailer: None,
            port: None,
        }
    }

    pub async fn start() -> Self {
        Self::builder().start().await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// An anonymous GraphQL client.
    pub fn gql(&self) -> Gql {
        Gql::new(self.url("/graphql"))
    }

    pub fn database(&self) -> Arc<TestDatabase> {
        self.database.clone()
    }

    pub fn mailer(&self) -> Mailer {
        self.ctx.mailer.clone()
    }

    /// Mail sent so far (memory transport).
    pub fn sent_mail(&self) -> Vec<SentMail> {
        self.ctx.mailer.sent()
    }

    /// Waits until a message to `to` matching `subject_contains` has been sent.
    pub async fn wait_for_mail(&self, to: &str, subject_contains: &str) -> SentMail {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            if let Some(found) = self
                .sent_mail()
                .into_iter()
                .find(|m| m.mail.to == to && m.mail.subject.contains(subject_contains))
            {
                return found;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no mail to {to} about {subject_contains:?}; sent: {:?}",
                self.sent_mail()
                    .iter()
                    .map(|m| (&m.mail.to, &m.mail.subject))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }

    /// Stops the server and waits until it has stopped; the database stays.
    pub async fn stop(mut self) -> Arc<TestDatabase> {
        if let Some(server) = self.server.take() {
            server.stop();
            server.wait().await.expect("server stops cleanly");
        }
        self.database.clone()
    }
}

impl TestServer {
    /// The server's federation configuration, for lookups and follows on behalf of its people.
    pub fn federation(&self) -> &federation::Federation {
        &self
            .server
            .as_ref()
            .expect("the server runs until the test ends")
            .federation
    }

    /// This test leaves jobs failing on purpose (a peer that stays down): dropping the server
    /// does not fail it for them.
    pub fn expect_failing_jobs(&mut self) {
        self.failing_jobs_expected = true;
    }

    /// Jobs that failed: dead, or waiting to be tried again after an error. Read through a
    /// connection of its own on a thread of its own, so that it works from `drop`, whatever
    /// runtime the test runs on.
    fn failing_jobs(&self) -> Vec<String> {
        let url = self.database.url.clone();
        let checked = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
                let db = backend::db::connect(&url, 1).await.expect("database");
                let jobs = entity::job::Entity::find()
                    .filter(entity::job::Column::LastError.is_not_null())
                    // A job running now (a retry in flight) ends after the test: not counted.
                    .filter(
                        entity::job::Column::State
                            .is_in([entity::job::JobState::Pending, entity::job::JobState::Dead]),
                    )
                    .all(&db)
                    .await
                    .expect("jobs");
                jobs.into_iter()
                    .map(|job| {
                        format!(
                            "{} job {} ({:?} after {} attempts): {}",
                            job.kind,
                            job.id,
                            job.state,
                            job.attempts,
                            job.last_error.unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
            })
        });
        checked.join().unwrap_or_default()
    }
}

/// A test that leaves work failing (a delivery retried after an error, a dead mail) fails,
/// like crates.io's `TestApp`: such work is a bug the test's own assertions did not see.
/// Jobs merely waiting for their time (reminders) or for a worker are not counted.
impl Drop for TestServer {
    fn drop(&mut self) {
        let Some(server) = &self.server else {
            return;
        };
        let failing = if self.failing_jobs_expected || std::thread::panicking() {
            Vec::new()
        } else {
            self.failing_jobs()
        };
        server.stop();
        assert!(
            failing.is_empty(),
            "the test left failing jobs:\n{}",
            failing.join("\n")
        );
    }
}

/// A unique address for a test account.
pub fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@example.org", uuid::Uuid::new_v4().simple())
}

/// The first `http(s)://…` link in `text` that contains `needle`.
pub fn find_link(text: &str, needle: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        .find(|word| word.starts_with("http") && word.contains(needle))
        .map(|s| s.trim_end_matches(['.', ',', ')']).to_owned())
}
