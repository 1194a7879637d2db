//! Reading what a peer runs when a follow starts, either way (planned by
//! `backend::instances::software::plan_read`): its events then arrive already knowing whether
//! they take RSVPs from here and which zone they are written in, instead of the first ones
//! waiting for a read that happens only as they arrive.

use async_trait::async_trait;
use backend::AppContext;
use backend::instances::software::{READ_JOB, ReadSoftware, domain_of, find, is_stale};
use backend::jobs::{Job, JobError, JobHandler};

use crate::error::Error;

/// Reads a peer's NodeInfo; a peer that is down is tried again (the job's retries).
#[derive(Default)]
pub struct ReadSoftwareJob;

#[async_trait]
impl JobHandler for ReadSoftwareJob {
    fn kind(&self) -> &'static str {
        READ_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let read: ReadSoftware = serde_json::from_value(job.payload.clone())?;
        let Some(domain) = domain_of(&read.address) else {
            return Err(JobError::Permanent("not an address".to_owned()));
        };
        // Read meanwhile (an event of theirs arrived first): nothing to do.
        let known = find(&ctx.db, &domain).await.map_err(JobError::from)?;
        if !is_stale(known.as_ref(), ctx.now()) {
            return Ok(());
        }
        match crate::resolve::read_software(ctx, &domain).await {
            Ok(_) => Ok(()),
            // Unreachable (down, a timeout), or our database busy: worth another try.
            Err(err @ (Error::Internal(_) | Error::Database(_) | Error::Backend(_))) => {
                Err(JobError::Retry(err.to_string()))
            }
            // No NodeInfo, or one we cannot read, or a blocked instance: it says nothing,
            // which is an answer (its events then take no RSVPs from here); not a failure.
            Err(err) => {
                tracing::debug!(error = %err, %domain, "a peer's NodeInfo says nothing");
                Ok(())
            }
        }
    }
}
