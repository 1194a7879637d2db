use std::time::Duration;

use async_trait::async_trait;
use entity::job::{self, JobState};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Job, JobError, JobHandler};
use crate::context::AppContext;

/// Deletes finished jobs after `jobs.keep_done_days`; dead jobs stay until an admin acts.
pub struct PurgeFinishedJob;

#[async_trait]
impl JobHandler for PurgeFinishedJob {
    fn kind(&self) -> &'static str {
        "jobs.purge_finished"
    }

    fn every(&self) -> Option<Duration> {
        Some(Duration::from_secs(3600))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        let cutoff = ctx.now() - chrono::Duration::days(ctx.settings.jobs.keep_done_days);
        let result = job::Entity::delete_many()
            .filter(job::Column::State.is_in([JobState::Done, JobState::Cancelled]))
            .filter(job::Column::FinishedAt.lt(cutoff))
            .exec(&ctx.db)
            .await?;
        if result.rows_affected > 0 {
            tracing::info!(count = result.rows_affected, "finished jobs purged");
        }
        Ok(())
    }
}

/// Keeps the database's planner statistics current as events come and go
/// ([`crate::db::optimize`], also run at start-up).
pub struct OptimizeDatabaseJob;

#[async_trait]
impl JobHandler for OptimizeDatabaseJob {
    fn kind(&self) -> &'static str {
        "db.optimize"
    }

    fn every(&self) -> Option<Duration> {
        Some(Duration::from_secs(3600))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        crate::db::optimize(&ctx.db).await?;
        Ok(())
    }
}
