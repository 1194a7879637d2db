//! Support for tests of this crate and of the crates above it: a fresh database per test
//! (SQLite in a temporary directory by default, copied from a migrated template; a fresh PostgreSQL schema when
//! `CONVIVE_TEST_DATABASE_URL` is set), and a context with a manual clock and in-memory mail.

pub mod fuzz;
pub mod pictures;
mod smtp_sink;
mod template;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::clock::ManualClock;
use crate::context::AppContext;
use crate::mail::Mailer;
use crate::settings::{MailTransportKind, Settings};

pub use smtp_sink::SmtpSink;

pub const TEST_DATABASE_ENV: &str = "CONVIVE_TEST_DATABASE_URL";

/// A database that exists for one test.
pub struct TestDatabase {
    pub db: DatabaseConnection,
    /// A URL that opens this same database (for a server started by the test).
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, schema: String },
}

impl TestDatabase {
    /// A migrated, empty database.
    pub async fn new() -> Self {
        Self::new_with_connections(8).await
    }

    pub async fn new_with_connections(max_connections: u32) -> Self {
        let (url, cleanup) = match std::env::var(TEST_DATABASE_ENV) {
            Ok(admin_url) if !admin_url.trim().is_empty() => {
                let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
                let admin = crate::db::connect(&admin_url, 1)
                    .await
                    .unwrap_or_else(|e| panic!("cannot reach {TEST_DATABASE_ENV}: {e}"));
                admin
                    .execute_raw(Statement::from_string(
                        admin.get_database_backend(),
                        format!("CREATE SCHEMA {schema}"),
                    ))
                    .await
                    .unwrap_or_else(|e| panic!("cannot create test schema: {e}"));
                let _ = admin.close().await;
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                // Named after the schema, so that the cleanup can end this test's sessions.
                let url = format!(
                    "{admin_url}{separator}options=-c%20search_path%3D{schema}&application_name={schema}"
                );
                (url, Cleanup::Postgres { admin_url, schema })
            }
            _ => {
                let dir =
                    tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
                let path = dir.path().join("test.db");
                template::copy_sqlite_template(&path);
                let url = format!("sqlite://{}?mode=rwc", path.display());
                (url, Cleanup::Sqlite(dir))
            }
        };
        // A copy of the SQLite template has nothing to apply; a PostgreSQL schema is migrated
        // here (copying a template database there was slower than migrating a schema).
        let db = crate::db::connect_and_migrate(&url, max_connections)
            .await
            .unwrap_or_else(|e| panic!("cannot open and migrate the test database: {e}"));
        Self { db, url, cleanup }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Postgres { .. })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, schema } = &self.cleanup {
            let admin_url = admin_url.clone();
            let schema = schema.clone();
            // Drop runs outside async; a short-lived runtime on its own thread does the work.
            let _ = std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                runtime.block_on(async move {
                    if let Ok(admin) = crate::db::connect(&admin_url, 1).await {
                        // A test that ends right after a failed request leaves a rollback
                        // queued on its runtime, which no longer runs: end those sessions.
                        let _ = admin
                            .execute_raw(Statement::from_string(
                                admin.get_database_backend(),
                                format!(
                                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                                     WHERE application_name = '{schema}'"
                                ),
                            ))
                            .await;
                        let _ = admin
                            .execute_raw(Statement::from_string(
                                admin.get_database_backend(),
                                format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Settings for tests: memory mail, a fixed public URL.
pub fn settings(database_url: &str) -> Settings {
    let mut settings = Settings {
        database_url: database_url.to_owned(),
        ..Settings::default()
    };
    settings.mail.transport = MailTransportKind::Memory;
    settings.auth.token_secret = Some("test-secret-test-secret-test-secret!".to_owned());
    settings.jobs.poll_interval_ms = 20;
    // Tests send the sign-up form at once; those of the delay set it again.
    settings.auth.sign_up_min_fill_secs = 0;
    settings
}

/// The moment tests start at, unless they choose another.
pub fn default_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// A context on a fresh database, with a manual clock and in-memory mail.
pub struct TestContext {
    pub ctx: AppContext,
    pub clock: ManualClock,
    pub database: TestDatabase,
    /// Where pictures are stored on disk, removed with the test.
    pub media_dir: tempfile::TempDir,
}

impl TestContext {
    pub async fn new() -> Self {
        Self::with_settings(|_| {}).await
    }

    pub async fn with_settings(adjust: impl FnOnce(&mut Settings)) -> Self {
        let database = TestDatabase::new().await;
        let mut settings = settings(&database.url);
        let media_dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
        settings.media.dir = media_dir.path().to_owned();
        adjust(&mut settings);
        let clock = ManualClock::new(default_now());
        let mailer = Mailer::memory(&settings.mail_from_address());
        let searches = crate::db::connect_for_searches(
            &database.db,
            &database.url,
            2,
            &crate::changes::Changes::default(),
        )
        .await
        .unwrap_or_else(|e| panic!("search connections: {e}"));
        let mut ctx = AppContext::with_database(
            database.db.clone(),
            settings,
            mailer,
            Arc::new(clock.clone()),
        )
        .await
        .unwrap_or_else(|e| panic!("test context: {e}"));
        ctx.searches = searches;
        Self {
            ctx,
            clock,
            database,
            media_dir,
        }
    }

    /// Runs every job that is due now, as a worker would, until none is left.
    pub async fn run_due_jobs(&self) -> usize {
        crate::jobs::run_due_now(&self.ctx, &crate::job_registry()).await
    }
}

/// A local person ready to act: their account and their first identity.
#[derive(Debug, Clone)]
pub struct TestPerson {
    pub user: crate::users::CurrentUser,
    pub actor: entity::actor::Model,
}

impl TestPerson {
    pub fn principal(&self) -> crate::principal::Principal {
        crate::principal::Principal::User(self.user.clone())
    }
}

impl TestContext {
    /// A confirmed account with one identity named `username`, made without hashing a
    /// password (tests that log in use the real registration).
    pub async fn person(&self, username: &str) -> TestPerson {
        self.person_with(username, entity::user::UserRole::User, |_| {})
            .await
    }

    pub async fn person_with(
        &self,
        username: &str,
        role: entity::user::UserRole,
        adjust: impl FnOnce(&mut entity::user::ActiveModel),
    ) -> TestPerson {
        use sea_orm::{ActiveValue::NotSet, EntityTrait, Set};
        let now = self.ctx.now();
        let mut row = entity::user::ActiveModel {
            id: NotSet,
            email: Set(format!("{username}@example.org")),
            password_hash: Set("!no-password".to_owned()),
            role: Set(role),
            locale: Set("en".to_owned()),
            timezone: Set(None),
            confirmed_at: Set(Some(now)),
            confirmation_token_hash: Set(None),
            confirmation_sent_at: Set(None),
            registration_token_hash: Set(None),
            reset_token_hash: Set(None),
            reset_sent_at: Set(None),
            default_actor_id: Set(None),
            last_login_at: Set(None),
            notification_on_day: Set(false),
            notification_before_event: Set(false),
            notification_pending_participation: Set(entity::user::PendingNotification::Direct),
            location_geohash: Set(None),
            location_name: Set(None),
            location_range: Set(None),
            unconfirmed_email: Set(None),
            email_change_token_hash: Set(None),
            email_change_sent_at: Set(None),
            disabled_at: Set(None),
            awaiting_approval: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            notification_new_report: Set(true),
        };
        adjust(&mut row);
        let user = entity::user::Entity::insert(row)
            .exec_with_returning(&self.ctx.db)
            .await
            .unwrap_or_else(|e| panic!("test user: {e}"));
        let current = crate::users::CurrentUser::from_model(&user, 0, crate::i18n::Locale::En);
        let actor = crate::actors::persons::create(
            &self.ctx,
            &current,
            crate::actors::persons::NewPerson {
                preferred_username: username.to_owned(),
                name: Some(username.to_owned()),
                summary: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("test identity: {e}"));
        TestPerson {
            user: current,
            actor,
        }
    }

    /// An actor of another instance (`far.example`), as the inbox stores it when it first
    /// hears from it.
    pub async fn remote_actor(
        &self,
        username: &str,
        kind: entity::actor::ActorKind,
    ) -> entity::actor::Model {
        let ap_id = format!("https://far.example/@{username}");
        let remote = crate::actors::remote::RemoteActor {
            ap_id: ap_id.clone(),
            preferred_username: username.to_owned(),
            domain: "far.example".to_owned(),
            kind,
            name: None,
            summary: None,
            url: Some(ap_id.clone()),
            inbox_url: format!("{ap_id}/inbox"),
            shared_inbox_url: Some("https://far.example/inbox".to_owned()),
            outbox_url: None,
            followers_url: None,
            public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
            manually_approves_followers: false,
            openness: entity::actor::Openness::Open,
            avatar: None,
            banner: None,
        };
        crate::actors::remote::upsert(&self.ctx.db, remote, self.ctx.now())
            .await
            .unwrap_or_else(|e| panic!("remote actor: {e}"))
    }

    /// What services recorded for other instances to hear, oldest first.
    pub async fn recorded_for_federation(&self) -> Vec<crate::outbox::Happened> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        entity::job::Entity::find()
            .filter(entity::job::Column::Kind.eq(crate::outbox::PUBLISH_JOB))
            .order_by_asc(entity::job::Column::Id)
            .all(&self.ctx.db)
            .await
            .unwrap_or_else(|e| panic!("jobs: {e}"))
            .into_iter()
            .map(|job| {
                serde_json::from_value(job.payload).unwrap_or_else(|e| panic!("a fact: {e}"))
            })
            .collect()
    }

    /// Mail sent so far to `email`.
    pub fn mail_to(&self, email: &str) -> Vec<crate::mail::OutgoingMail> {
        self.ctx
            .mailer
            .sent()
            .into_iter()
            .map(|m| m.mail)
            .filter(|m| m.to == email)
            .collect()
    }
}

/// A public event starting `in_hours` from the test's start, lasting two hours.
pub fn new_event(title: &str, starts: DateTime<Utc>) -> crate::events::NewEvent {
    crate::events::NewEvent {
        title: title.to_owned(),
        description: Some("<p>Bring snacks</p>".to_owned()),
        begins_on: Some(starts),
        ends_on: Some(starts + chrono::Duration::hours(2)),
        options: crate::events::EventOptions {
            timezone: Some("Europe/Paris".to_owned()),
            ..Default::default()
        },
        ..Default::default()
    }
}
