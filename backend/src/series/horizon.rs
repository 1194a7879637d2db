//! The recurring job that keeps every series written as events up to the horizon as time
//! passes (a series without end never has more than the horizon's dates in the database).

use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::Duration;

use crate::context::AppContext;
use crate::jobs::{Job, JobError, JobHandler};

/// Series extended per run; the rest wait for the next run (an hour later).
const SERIES_PER_RUN: u64 = 500;

pub struct ExtendSeriesJob;

#[async_trait]
impl JobHandler for ExtendSeriesJob {
    fn kind(&self) -> &'static str {
        "series.extend"
    }

    fn every(&self) -> Option<StdDuration> {
        Some(StdDuration::from_secs(3600))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        let horizon = ctx.now() + Duration::days(i64::from(ctx.settings.recurrence.horizon_days));
        let due = super::service::due_for_extension(&ctx.db, horizon, SERIES_PER_RUN).await?;
        let mut written = 0;
        for series_id in due {
            // Each series in its own transaction (and row lock): nodes running this job at
            // once write each date once, which the unique (series, start) index also ensures.
            written += super::extend(ctx, series_id).await?;
        }
        if written > 0 {
            tracing::info!(dates = written, "series extended to the horizon");
        }
        Ok(())
    }
}
