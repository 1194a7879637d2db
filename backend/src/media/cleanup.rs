//! Pictures nothing uses are deleted after a grace period: uploads never attached, pictures
//! replaced or taken off, and those whose event or actor was deleted. The row goes in a
//! transaction that also records a job deleting its files, so a store that is down delays
//! the deletion without losing it.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use entity::{actor, event, media};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::{Deserialize, Serialize};

use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::Result;
use crate::jobs::{Job, JobError, JobHandler, NewJob, enqueue};

/// Orphans deleted per run: a backlog is worked off over several runs.
const BATCH: u64 = 200;

pub struct CleanOrphanMediaJob;

#[async_trait]
impl JobHandler for CleanOrphanMediaJob {
    fn kind(&self) -> &'static str {
        "media.clean_orphans"
    }

    fn every(&self) -> Option<Duration> {
        Some(Duration::from_secs(3600))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        let count = clean_orphans(ctx).await?;
        if count > 0 {
            tracing::info!(count, "orphan pictures deleted");
        }
        Ok(())
    }
}

/// Deletes the pictures that have been orphans for longer than `media.orphan_grace_hours`;
/// returns how many.
pub async fn clean_orphans(ctx: &AppContext) -> Result<usize> {
    let now = ctx.now();
    let cutoff = now - chrono::Duration::hours(ctx.settings.media.orphan_grace_hours);
    let tx = begin_write(ctx).await?;
    let orphans = media::Entity::find()
        .filter(
            Condition::any()
                .add(media::Column::DetachedAt.lt(cutoff))
                // Attached once, but what used it was deleted since.
                .add(
                    Condition::all()
                        .add(media::Column::DetachedAt.is_null())
                        .add(media::Column::CreatedAt.lt(cutoff)),
                ),
        )
        .filter(not_used_by(event::Entity, event::Column::PictureMediaId))
        .filter(not_used_by(actor::Entity, actor::Column::AvatarMediaId))
        .filter(not_used_by(actor::Entity, actor::Column::BannerMediaId))
        .filter(not_used_by(
            entity::post::Entity,
            entity::post::Column::PictureMediaId,
        ))
        .limit(BATCH)
        .all(&tx)
        .await?;
    for orphan in &orphans {
        media::Entity::delete_by_id(orphan.id).exec(&tx).await?;
        delete_files_later(&tx, now, orphan).await?;
    }
    tx.commit().await?;
    if !orphans.is_empty() {
        ctx.wake_workers();
    }
    Ok(orphans.len())
}

fn not_used_by<E: EntityTrait>(entity: E, column: impl ColumnTrait) -> Expr {
    Expr::col(media::Column::Id).not_in_subquery(
        Query::select()
            .column(column)
            .from(entity)
            .and_where(Expr::col(column).is_not_null())
            .to_owned(),
    )
}

#[derive(Debug, Serialize, Deserialize)]
struct DeleteFiles {
    keys: Vec<String>,
}

/// Records, in the caller's transaction, a job that deletes `media`'s files.
pub(super) async fn delete_files_later(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    media: &media::Model,
) -> Result<()> {
    let keys = super::variants_of(media)
        .into_iter()
        .map(|v| v.key)
        .collect();
    enqueue(
        conn,
        now,
        NewJob::new(DeleteStoredMediaJob.kind(), &DeleteFiles { keys })?,
    )
    .await?;
    Ok(())
}

/// Deletes the files of a deleted picture; files already gone count as deleted.
pub struct DeleteStoredMediaJob;

#[async_trait]
impl JobHandler for DeleteStoredMediaJob {
    fn kind(&self) -> &'static str {
        "media.delete_files"
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let payload: DeleteFiles = serde_json::from_value(job.payload.clone())?;
        for key in &payload.keys {
            ctx.media.delete(key).await?;
        }
        Ok(())
    }
}
