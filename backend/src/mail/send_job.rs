use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::OutgoingMail;
use crate::context::AppContext;
use crate::error::Result;
use crate::jobs::{Job, JobError, JobHandler, NewJob, RetryPolicy, enqueue};

pub const SEND_MAIL_JOB: &str = "mail.send";

/// Queues `mail` in the caller's transaction; a worker sends it after the commit.
pub async fn queue(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    mail: &OutgoingMail,
) -> Result<i64> {
    enqueue(
        conn,
        now,
        NewJob::new(SEND_MAIL_JOB, mail)?.max_attempts(10),
    )
    .await
}

/// Sends one queued message.
pub struct SendMailJob;

#[async_trait]
impl JobHandler for SendMailJob {
    fn kind(&self) -> &'static str {
        SEND_MAIL_JOB
    }

    fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            base: std::time::Duration::from_secs(30),
            cap: std::time::Duration::from_secs(3 * 3600),
        }
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let mail: OutgoingMail = serde_json::from_value(job.payload.clone())?;
        ctx.mailer.send(&mail).await.map_err(|err| {
            if err.is_transient() {
                JobError::Retry(err.to_string())
            } else {
                JobError::Permanent(err.to_string())
            }
        })
    }
}
