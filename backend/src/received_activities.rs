//! Activities the federation inbox has accepted, by id, so that a replay or a redelivery of the
//! same activity is a no-op. The inbox claims an id before acting on it and releases the claim
//! if acting fails (so the peer's retry is processed); claims are purged after
//! [`KEEP_DAYS`] days, well past any peer's retry span and the signatures' validity. Remote
//! events' deletions, remembered as long for the same reason, are purged with them.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use entity::{received_activity, remote_event_tombstone};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::context::AppContext;
use crate::error::Result;
use crate::jobs::{Job, JobError, JobHandler};

/// How long an accepted activity id is remembered.
pub const KEEP_DAYS: i64 = 14;

/// The longest activity id remembered (the column's size); the inbox refuses longer ones.
pub const MAX_ACTIVITY_ID_LEN: usize = 2048;

/// Records `activity_id` as received. `false` when it already was: the caller does nothing.
/// Safe under concurrent deliveries of the same id: exactly one caller gets `true`.
pub async fn claim(
    conn: &impl ConnectionTrait,
    activity_id: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let row = received_activity::ActiveModel {
        id: NotSet,
        activity_id: Set(activity_id.to_owned()),
        received_at: Set(now),
    };
    let inserted = received_activity::Entity::insert(row)
        .on_conflict(
            OnConflict::column(received_activity::Column::ActivityId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(inserted > 0)
}

/// Forgets a claim whose processing failed, so that the sender's retry is processed.
pub async fn release(conn: &impl ConnectionTrait, activity_id: &str) -> Result<()> {
    received_activity::Entity::delete_many()
        .filter(received_activity::Column::ActivityId.eq(activity_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether `activity_id` was received (and not yet purged).
pub async fn was_received(conn: &impl ConnectionTrait, activity_id: &str) -> Result<bool> {
    Ok(received_activity::Entity::find()
        .filter(received_activity::Column::ActivityId.eq(activity_id))
        .one(conn)
        .await?
        .is_some())
}

/// Deletes claims older than [`KEEP_DAYS`].
pub async fn purge(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let cutoff = now - chrono::Duration::days(KEEP_DAYS);
    let result = received_activity::Entity::delete_many()
        .filter(received_activity::Column::ReceivedAt.lt(cutoff))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Deletes remote events' deletions older than [`KEEP_DAYS`]: a copy of such an event that
/// arrives later is stored again.
pub async fn purge_event_deletions(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let cutoff = now - chrono::Duration::days(KEEP_DAYS);
    let result = remote_event_tombstone::Entity::delete_many()
        .filter(remote_event_tombstone::Column::DeletedAt.lt(cutoff))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Hourly purge of old claims, of remote events' deletions as old, and of remote actors'
/// deletions past [`crate::actors::remote::DELETION_REMEMBERED`].
pub struct PurgeReceivedActivitiesJob;

#[async_trait]
impl JobHandler for PurgeReceivedActivitiesJob {
    fn kind(&self) -> &'static str {
        "federation.purge_received_activities"
    }

    fn every(&self) -> Option<Duration> {
        Some(Duration::from_secs(3600))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        let count = purge(&ctx.db, ctx.now()).await?;
        if count > 0 {
            tracing::info!(count, "old received activity ids purged");
        }
        // Remote events' deletions are remembered for the same reason and as long.
        let count = purge_event_deletions(&ctx.db, ctx.now()).await?;
        if count > 0 {
            tracing::info!(count, "old deletions of remote events purged");
        }
        let count = crate::actors::remote::purge_deletions(&ctx.db, ctx.now()).await?;
        if count > 0 {
            tracing::info!(count, "deletions of remote actors purged");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use crate::testing::TestContext;

    #[tokio::test]
    async fn an_activity_id_is_claimed_once_released_on_failure_and_purged_after_the_keep_days() {
        let t = TestContext::new().await;
        let now = t.ctx.now();
        let id = "https://elsewhere.example/activities/1";
        assert!(claim(&t.ctx.db, id, now).await.unwrap());
        assert!(!claim(&t.ctx.db, id, now).await.unwrap(), "a replay");
        release(&t.ctx.db, id).await.unwrap();
        assert!(
            claim(&t.ctx.db, id, now).await.unwrap(),
            "a retry after a failure"
        );

        assert_eq!(purge(&t.ctx.db, now).await.unwrap(), 0);
        let later = now + chrono::Duration::days(KEEP_DAYS) + chrono::Duration::minutes(1);
        assert_eq!(purge(&t.ctx.db, later).await.unwrap(), 1);
        assert!(!was_received(&t.ctx.db, id).await.unwrap());
    }
}
