use std::time::Duration;

use async_trait::async_trait;

use crate::context::AppContext;
use crate::jobs::{Job, JobError, JobHandler};

/// Deletes accounts whose confirmation link expired unused.
pub struct PurgeUnconfirmedJob;

#[async_trait]
impl JobHandler for PurgeUnconfirmedJob {
    fn kind(&self) -> &'static str {
        "users.purge_unconfirmed"
    }

    fn every(&self) -> Option<Duration> {
        Some(Duration::from_secs(3600))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        super::service::purge_unconfirmed(ctx).await?;
        Ok(())
    }
}

/// Deletes sessions that ended.
pub struct PurgeSessionsJob;

#[async_trait]
impl JobHandler for PurgeSessionsJob {
    fn kind(&self) -> &'static str {
        "users.purge_sessions"
    }

    fn every(&self) -> Option<Duration> {
        Some(Duration::from_secs(6 * 3600))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        super::sessions::purge(&ctx.db, ctx.now()).await?;
        Ok(())
    }
}
