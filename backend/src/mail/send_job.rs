use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use super::{MessageKey, OutgoingMail};
use crate::context::AppContext;
use crate::error::Result;
use crate::jobs::{Job, JobError, JobHandler, NewJob, RetryPolicy, enqueue};

pub const SEND_MAIL_JOB: &str = "mail.send";

/// A job's payload: the message, and the key it keeps however many times it is sent.
#[derive(Debug, Serialize, Deserialize)]
struct QueuedMail {
    #[serde(flatten)]
    mail: OutgoingMail,
    /// Absent from messages queued before keys existed.
    #[serde(default)]
    key: Option<MessageKey>,
}

/// Queues `mail` in the caller's transaction; a worker sends it after the commit.
pub async fn queue(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    mail: &OutgoingMail,
) -> Result<i64> {
    let queued = QueuedMail {
        mail: mail.clone(),
        key: Some(MessageKey::random()),
    };
    enqueue(
        conn,
        now,
        NewJob::new(SEND_MAIL_JOB, &queued)?.max_attempts(10),
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
        let queued: QueuedMail = serde_json::from_value(job.payload.clone())?;
        let key = queued
            .key
            .unwrap_or_else(|| MessageKey::of_job(job.id, job.created_at));
        // The name as it is when the message leaves, from memory while nothing changed.
        let instance = ctx.instance().await?;
        let sent = ctx.mailer.send(&instance.name, &queued.mail, &key).await;
        sent.map_err(|err| {
            if err.is_transient() {
                JobError::Retry(err.to_string())
            } else {
                JobError::Permanent(err.to_string())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::testing::TestContext;
    use entity::job;
    use sea_orm::EntityTrait;

    fn mail() -> OutgoingMail {
        OutgoingMail {
            to: "ada@example.org".to_owned(),
            locale: Locale::En,
            subject: "Cancelled: Picnic".to_owned(),
            text: "Sorry.".to_owned(),
            html: "<p>Sorry.</p>".to_owned(),
            attachments: Vec::new(),
        }
    }

    /// Runs the job twice, as after a crash between sending and marking it done, and returns
    /// the `Message-ID` of each message sent.
    async fn message_ids_of_two_runs(t: &TestContext, job_id: i64) -> Vec<String> {
        let job = job::Entity::find_by_id(job_id)
            .one(&t.ctx.db)
            .await
            .expect("read")
            .expect("queued");
        for _ in 0..2 {
            SendMailJob.run(&t.ctx, &job).await.expect("sent");
        }
        t.ctx
            .mailer
            .sent()
            .iter()
            .map(|sent| {
                sent.raw
                    .lines()
                    .find_map(|line| line.strip_prefix("Message-ID: "))
                    .expect("a Message-ID header")
                    .to_owned()
            })
            .collect()
    }

    #[tokio::test]
    async fn a_message_sent_again_keeps_its_message_id_in_the_senders_domain() {
        let t = TestContext::new().await;
        let id = queue(&t.ctx.db, t.ctx.now(), &mail())
            .await
            .expect("queued");
        let ids = message_ids_of_two_runs(&t, id).await;
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[0], ids[1]);
        let domain = t.ctx.settings.mail_from_address();
        let domain = domain.rsplit('@').next().expect("domain");
        assert!(ids[0].ends_with(&format!("@{domain}>")), "{}", ids[0]);

        let other = queue(&t.ctx.db, t.ctx.now(), &mail())
            .await
            .expect("queued");
        let other_ids = message_ids_of_two_runs(&t, other).await;
        assert_ne!(other_ids[2], ids[0], "each queued message has its own");
    }

    #[tokio::test]
    async fn a_message_queued_before_keys_existed_takes_a_stable_one_from_its_job() {
        let t = TestContext::new().await;
        let id = enqueue(
            &t.ctx.db,
            t.ctx.now(),
            NewJob::new(SEND_MAIL_JOB, &mail()).expect("job"),
        )
        .await
        .expect("queued");
        let ids = message_ids_of_two_runs(&t, id).await;
        assert_eq!(ids[0], ids[1]);
        assert!(ids[0].starts_with(&format!("<job{id}-")), "{}", ids[0]);
    }
}
