//! `AppContext`: everything a service needs, cloned cheaply into every request handler, job and
//! inbox handler. There are no global statics.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::instance::InstanceSecrets;
use crate::mail::Mailer;
use crate::settings::Settings;

/// Bytes of written events kept: the 500 events of a big feed take ~1 MB per format.
const WRITTEN_EVENTS_BUDGET: usize = 8 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct AppContext {
    pub db: DatabaseConnection,
    /// Where searches run ([`crate::db::connect_for_searches`]): on PostgreSQL a small pool
    /// of their own, on SQLite `db`.
    pub searches: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub mailer: Mailer,
    pub clock: Arc<dyn Clock>,
    pub secrets: Arc<InstanceSecrets>,
    /// Nudged after a commit that queued work, so local workers need not wait for their next
    /// poll. Other nodes still find the job by polling.
    pub job_wakeup: Arc<Notify>,
    /// Bounds the password hashes running at once in this process.
    pub password_slots: crate::users::password::PasswordSlots,
    /// Events as feeds write them, by version: a feed rebuilt after one change writes only
    /// the events that changed.
    pub written_events: crate::feeds::WrittenEvents,
    /// Whether the database changed since a page was built (see [`crate::changes`]). Not
    /// watching when the context was built on a database opened elsewhere.
    pub changes: crate::changes::Changes,
    /// Where picture files are kept (`media.storage`).
    pub media: crate::media::MediaStorage,
    /// Address lookup: the built-in towns, or the server of `[geocoding]`.
    pub geocoder: crate::geocoding::Geocoder,
    /// Who is behind the sessions this node read since the database last changed.
    pub logins: crate::users::kept_logins::KeptLogins,
    /// The tiles of `[maps]`, served from our origin; `None` without a tile server.
    pub tiles: Option<crate::maps::TileProxy>,
    /// The instance's name, description, contact, language and zone as last read
    /// ([`Self::instance`]).
    pub identity: crate::identity::KeptIdentity,
}

impl AppContext {
    /// Connects to the database, applies migrations, loads the instance's secrets and prepares
    /// the mailer.
    pub async fn start(settings: Settings) -> Result<Self> {
        let mailer = Mailer::from_settings(&settings).map_err(Error::internal)?;
        Self::start_with(settings, mailer, Arc::new(SystemClock)).await
    }

    pub async fn start_with(
        settings: Settings,
        mailer: Mailer,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        let changes = crate::changes::Changes::default();
        let db = crate::db::connect_watching(
            &settings.database_url,
            settings.database_connections(),
            &changes,
        )
        .await?;
        crate::db::migrate(&db).await?;
        crate::db::optimize(&db).await?;
        changes.watch(&db);
        let searches = crate::db::connect_for_searches(
            &db,
            &settings.database_url,
            (settings.database_connections() / 2).max(2),
            &changes,
        )
        .await?;
        let mut ctx = Self::with_database(db, settings, mailer, clock).await?;
        ctx.changes = changes;
        ctx.searches = searches;
        Ok(ctx)
    }

    /// Builds a context on an open, migrated database (searches run on it too).
    pub async fn with_database(
        db: DatabaseConnection,
        settings: Settings,
        mailer: Mailer,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        crate::tls::use_ring();
        let secrets =
            InstanceSecrets::load(&db, settings.auth.token_secret.as_deref(), clock.now()).await?;
        crate::actors::system::ensure(&db, &settings.public_url, clock.now()).await?;
        let media = crate::media::MediaStorage::from_settings(&settings.media)?;
        let geocoder = crate::geocoding::Geocoder::from_settings(&settings.geocoding)?;
        let tiles =
            crate::maps::TileProxy::from_settings(&settings.maps, &settings.public_url.base())?;
        Ok(Self {
            media,
            geocoder,
            tiles,
            searches: db.clone(),
            db,
            settings: Arc::new(settings),
            mailer,
            clock,
            secrets: Arc::new(secrets),
            job_wakeup: Arc::new(Notify::new()),
            password_slots: crate::users::password::PasswordSlots::per_core(),
            written_events: crate::feeds::WrittenEvents::new(WRITTEN_EVENTS_BUDGET),
            changes: crate::changes::Changes::default(),
            logins: Default::default(),
            identity: Default::default(),
        })
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Tells local workers that jobs were committed. A write transaction ([`crate::db::WriteTx`])
    /// does so itself when it planned one; this is for jobs planned outside of one.
    pub fn wake_workers(&self) {
        self.job_wakeup.notify_one();
    }

    /// Absolute URL of a path on this instance.
    pub fn url(&self, path: &str) -> String {
        self.settings.public_url.join(path)
    }
}
