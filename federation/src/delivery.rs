//! Delivering the activities `publish` built: one durable job per inbox, signed at send time,
//! retried with backoff for more than 48 hours, so a peer that is down loses nothing and never
//! holds up the others.

use std::time::Duration;

use activitypub_federation::activity_sending::SendActivityTask;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use async_trait::async_trait;
use backend::AppContext;
use backend::jobs::{Job, JobError, JobHandler, NewJob, OnDuplicate, RetryPolicy};
use entity::{actor, follow};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::activities::Outgoing;
use crate::config::Federation;
use crate::error::{Error, Result};
use crate::objects::actor::ApActor;
use crate::protocol::WithContext;

pub const DELIVER_JOB: &str = "federation.deliver";

/// Attempts of one delivery: with the policy below, retries span a bit more than 48 hours.
pub const DELIVERY_MAX_ATTEMPTS: i32 = 20;
const DELIVERY_RETRY: RetryPolicy = RetryPolicy {
    base: Duration::from_secs(30),
    cap: Duration::from_secs(6 * 3600),
};

impl DeliverJob {
    pub(crate) fn new(federation: Federation) -> Self {
        Self { federation }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Delivery {
    actor_id: i64,
    inbox: String,
    activity: Value,
    /// The sender when its row is gone (the `Delete` of itself), with its keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deleted_sender: Option<Box<actor::Model>>,
}

impl From<Error> for JobError {
    fn from(err: Error) -> Self {
        match err {
            Error::Backend(err) => err.into(),
            Error::Malformed(_) | Error::Rejected(_) | Error::NotFound | Error::NotAcceptable => {
                JobError::Permanent(err.to_string())
            }
            other => JobError::Retry(other.to_string()),
        }
    }
}

/// Queues one delivery of `activity` (with our `@context`) from `sender` per inbox, in one
/// transaction.
pub(crate) async fn queue_deliveries<A: Serialize>(
    ctx: &AppContext,
    sender: &actor::Model,
    activity: &A,
    inboxes: Vec<String>,
) -> Result<()> {
    queue_deliveries_from(ctx, sender, None, activity, inboxes).await
}

/// Like [`queue_deliveries`], signed by `deleted_sender` whose row will be gone.
pub(crate) async fn queue_deliveries_from<A: Serialize>(
    ctx: &AppContext,
    sender: &actor::Model,
    deleted_sender: Option<&actor::Model>,
    activity: &A,
    inboxes: Vec<String>,
) -> Result<()> {
    if inboxes.is_empty() {
        return Ok(());
    }
    let now = ctx.now();
    let activity = serde_json::to_value(WithContext::new(activity))?;
    let id = activity["id"].as_str().unwrap_or_default().to_owned();
    let tx = backend::db::begin_write(ctx).await?;
    for inbox in inboxes {
        let job = NewJob::new(
            DELIVER_JOB,
            &Delivery {
                actor_id: sender.id,
                inbox: inbox.clone(),
                activity: activity.clone(),
                deleted_sender: deleted_sender.map(|a| Box::new(a.clone())),
            },
        )?
        .max_attempts(DELIVERY_MAX_ATTEMPTS)
        .unique(format!("deliver:{inbox}:{id}"), OnDuplicate::Keep);
        backend::jobs::enqueue(&tx, now, job).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Signs and sends one activity to one inbox.
pub struct DeliverJob {
    federation: Federation,
}

#[async_trait]
impl JobHandler for DeliverJob {
    fn kind(&self) -> &'static str {
        DELIVER_JOB
    }

    fn retry_policy(&self) -> RetryPolicy {
        DELIVERY_RETRY
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let delivery: Delivery = serde_json::from_value(job.payload.clone())?;
        if backend::domain_blocks::is_url_blocked(&ctx.db, &delivery.inbox)
            .await
            .map_err(Error::from)?
        {
            tracing::debug!("not delivered: the instance is blocked");
            return Ok(());
        }
        let data = self.federation.delivery_data();
        let sender = match delivery.deleted_sender {
            Some(gone) => ApActor::new(*gone)?,
            None => {
                let sender = backend::actors::find(&ctx.db, delivery.actor_id).await?;
                ApActor::local_with_keys(ctx, sender).await?
            }
        };
        let inbox = url::Url::parse(&delivery.inbox).map_err(Error::from)?;
        if delivery.activity["type"].as_str() == Some("Join") {
            return send_join(ctx, &sender, &inbox, &delivery.activity).await;
        }
        let activity = Outgoing::new(delivery.activity)?;
        let tasks = SendActivityTask::prepare(&activity, &sender, vec![inbox], &data)
            .await
            .map_err(Error::from)?;
        for task in tasks {
            // 4xx answers count as delivered (the library follows Mastodon here): retrying
            // a refusal would not change it.
            task.sign_and_send(&data)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
        }
        tracing::debug!(inbox = %delivery.inbox, "activity delivered");
        Ok(())
    }
}

/// How long a peer has to answer a `Join`.
const JOIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends a `Join` of a remote event, signed here rather than by the library, to read the
/// answer: a 4xx (but a timeout or a rate limit) is the event's instance refusing it, and the
/// participation is marked so; other failures are retried as every delivery is.
async fn send_join(
    ctx: &AppContext,
    sender: &ApActor,
    inbox: &url::Url,
    activity: &Value,
) -> Result<(), JobError> {
    let key = sender
        .model
        .private_key_pem
        .as_deref()
        .ok_or_else(|| Error::Internal("the sender has no key".to_owned()))?;
    let body = serde_json::to_vec(activity)?;
    let key_id = format!("{}#main-key", sender.model.ap_id);
    // The wall clock, as the library signs: the peer compares the date with its own clock.
    let now = chrono::Utc::now();
    let headers = crate::sign::post_headers(&key_id, key, inbox, &body, now)?;
    let client = crate::config::http_client(ctx.settings.federation.debug)?;
    let mut request = client.post(inbox.as_str()).timeout(JOIN_TIMEOUT);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let response = request
        .body(body)
        .send()
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    let status = response.status();
    if status.is_success() {
        tracing::debug!(%inbox, "join delivered");
        return Ok(());
    }
    let refused = status.is_client_error()
        && status != reqwest::StatusCode::REQUEST_TIMEOUT
        && status != reqwest::StatusCode::TOO_MANY_REQUESTS;
    if !refused {
        return Err(JobError::Retry(format!("the inbox answered {status}")));
    }
    let join_id = activity["id"].as_str().unwrap_or_default();
    tracing::info!(%inbox, %status, join = %join_id, "join refused by the event's instance");
    crate::activities::join::refused_by_origin(ctx, join_id).await?;
    Ok(())
}

/// The remote actor `name@host` (or `@name@host`), found through WebFinger and stored (or
/// refreshed) here.
pub async fn resolve_handle(federation: &Federation, handle: &str) -> Result<actor::Model> {
    let data = federation.data();
    let handle = handle.trim().trim_start_matches('@');
    let target: ApActor = webfinger_resolve_actor(handle, &data).await?;
    Ok(target.model)
}

/// A local actor follows a remote group by `name@host`: resolved through WebFinger, then the
/// same `follows::follow` as a local follow (which says what may be followed, and records the
/// `Follow` to send), acting for `follower` as the instance. The remote `Accept` approves it.
pub async fn follow_remote(
    federation: &Federation,
    ctx: &AppContext,
    follower: &actor::Model,
    handle: &str,
) -> Result<follow::Model> {
    let target = resolve_handle(federation, handle).await?;
    let request = backend::groups::follows::FollowRequest {
        target_id: target.id,
        actor_id: Some(follower.id),
        notify: false,
    };
    let principal = backend::principal::Principal::System;
    Ok(backend::groups::follows::follow(ctx, &principal, request).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries_are_retried_for_more_than_two_days() {
        let span = DELIVERY_RETRY.total_span(DELIVERY_MAX_ATTEMPTS);
        assert!(span > Duration::from_secs(48 * 3600), "{span:?}");
        assert!(span < Duration::from_secs(96 * 3600), "{span:?}");
    }
}
