//! The domain of Convive: settings, the application context, errors, and one module per
//! context (users, actors, jobs, mail…) holding its services and policies.
//!
//! Every rule lives here once. This crate knows nothing of HTTP, GraphQL or ActivityPub: the
//! `web` and `federation` crates translate their input into calls to these services and their
//! results back. No axum, async-graphql or activitypub_federation in here (CI checks).

pub mod about;
pub mod action_log;
pub mod actors;
pub mod addresses;
pub mod changes;
pub mod clock;
pub mod comments;
pub mod context;
pub mod conversations;
pub mod dashboard;
pub mod db;
pub mod directory;
pub mod discussions;
pub mod domain_blocks;
pub mod error;
pub mod events;
pub mod feeds;
pub mod geocoding;
pub mod groups;
pub mod i18n;
pub mod identity;
pub mod instance;
pub mod instance_dashboard;
pub mod instances;
pub mod jobs;
pub mod kept;
pub mod languages;
pub mod mail;
pub mod maps;
pub mod media;
pub mod outbox;
pub mod pagination;
pub mod participations;
pub mod posts;
pub mod principal;
pub mod rate_limits;
pub mod received_activities;
pub mod reports;
pub mod search;
pub mod series;
pub mod settings;
pub mod tls;
pub mod users;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use context::AppContext;
pub use error::{Error, Result};
pub use settings::Settings;

/// The job handlers of the backend's own contexts.
pub fn job_registry() -> jobs::JobRegistry {
    jobs::JobRegistry::new()
        .with(mail::SendMailJob)
        .with(users::PurgeUnconfirmedJob)
        .with(users::PurgeSessionsJob)
        .with(jobs::PurgeFinishedJob)
        .with(jobs::OptimizeDatabaseJob)
        .with(events::notices::UpdateNoticeJob)
        .with(events::notices::AnnounceJob)
        .with(series::horizon::ExtendSeriesJob)
        .with(participations::notices::PendingDigestJob)
        .with(participations::reminders::BeforeEventReminderJob)
        .with(participations::reminders::OnDayReminderJob)
        .with(participations::PurgeAnonymousJob)
        .with(participations::export::PurgeExportsJob)
        .with(received_activities::PurgeReceivedActivitiesJob)
        .with(rate_limits::PurgeRateLimitsJob)
        .with(media::CleanOrphanMediaJob)
        .with(media::DeleteStoredMediaJob)
        .with(geocoding::FindPositionsJob)
}
