//! Turning what backend recorded into activities, and delivering them: one durable job per
//! inbox, signed at send time, retried with backoff for more than 48 hours, so a peer that is
//! down loses nothing and never holds up the others.

use std::sync::OnceLock;
use std::time::Duration;

use activitypub_federation::activity_sending::SendActivityTask;
use activitypub_federation::config::FederationConfig;
use activitypub_federation::fetch::webfinger::webfinger_resolve_actor;
use async_trait::async_trait;
use backend::AppContext;
use backend::jobs::{Job, JobError, JobHandler, JobRegistry, NewJob, OnDuplicate, RetryPolicy};
use backend::outbox::{Happened, PUBLISH_JOB};
use entity::{actor, follow};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::activities::Outgoing;
use crate::error::{Error, Result};
use crate::objects::actor::ApActor;
use crate::protocol::context;

pub const DELIVER_JOB: &str = "federation.deliver";

/// Attempts of one delivery: with the policy below, retries span a bit more than 48 hours.
pub const DELIVERY_MAX_ATTEMPTS: i32 = 20;
const DELIVERY_RETRY: RetryPolicy = RetryPolicy {
    base: Duration::from_secs(30),
    cap: Duration::from_secs(6 * 3600),
};

/// The federation job handlers, for web's start-up registry.
pub fn job_registry() -> JobRegistry {
    JobRegistry::new()
        .with(PublishJob)
        .with(DeliverJob::default())
}

/// The configuration, built once per handler on first use (it needs the context).
#[derive(Default)]
struct LazyConfig(OnceLock<FederationConfig<AppContext>>);

impl LazyConfig {
    fn get(&self, ctx: &AppContext) -> Result<&FederationConfig<AppContext>> {
        if let Some(config) = self.0.get() {
            return Ok(config);
        }
        let config = crate::config::build_config(ctx)?;
        Ok(self.0.get_or_init(|| config))
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

/// Queues one delivery of `activity` from `sender` per inbox, in one transaction.
async fn queue_deliveries(
    ctx: &AppContext,
    sender: &actor::Model,
    activity: Value,
    inboxes: Vec<String>,
) -> Result<()> {
    queue_deliveries_from(ctx, sender, None, activity, inboxes).await
}

async fn queue_deliveries_from(
    ctx: &AppContext,
    sender: &actor::Model,
    deleted_sender: Option<&actor::Model>,
    activity: Value,
    inboxes: Vec<String>,
) -> Result<()> {
    if inboxes.is_empty() {
        return Ok(());
    }
    let now = ctx.now();
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

fn with_context(mut activity: Value) -> Value {
    if let Value::Object(map) = &mut activity {
        map.insert("@context".to_owned(), context());
    }
    activity
}

/// Builds the activities of what backend recorded and queues their deliveries.
#[derive(Default)]
pub struct PublishJob;

impl PublishJob {
    async fn event_changed(ctx: &AppContext, event_id: i64, kind: &str) -> Result<()> {
        let Ok(event) = backend::events::find(&ctx.db, event_id).await else {
            // Deleted since: its own record says so.
            return Ok(());
        };
        if !backend::events::federated::federates(&event) {
            return Ok(());
        }
        let object = crate::objects::event::to_json(ctx, &event).await?;
        let sender = event_owner(ctx, &event).await?;
        let object = serde_json::to_value(object)?;
        let activity = json!({
            "id": format!("{}/activity/{}", event.ap_id, uuid::Uuid::new_v4()),
            "type": kind,
            "actor": sender.ap_id,
            "to": object["to"].clone(),
            "cc": object["cc"].clone(),
            "published": ctx.now(),
            "object": object,
        });
        // A group relays its new events with an `Announce` too, as Mobilizon's groups do:
        // Mastodon shows it as the group's boost, Mobilizon fetches the event from it.
        let announce = (kind == "Create" && event.attributed_to_id.is_some()).then(|| {
            json!({
                "id": format!("{}/announces/{}", event.ap_id, uuid::Uuid::new_v4()),
                "type": "Announce",
                "actor": sender.ap_id,
                "to": object["to"].clone(),
                "cc": object["cc"].clone(),
                "published": ctx.now(),
                "object": event.ap_id,
            })
        });
        let audience = [Some(event.organizer_actor_id), event.attributed_to_id];
        let ids: Vec<i64> = audience.into_iter().flatten().collect();
        let inboxes = backend::groups::follows::follower_inboxes_elsewhere(&ctx.db, &ids).await?;
        queue_deliveries(ctx, &sender, with_context(activity), inboxes.clone()).await?;
        if let Some(announce) = announce {
            queue_deliveries(ctx, &sender, with_context(announce), inboxes).await?;
        }
        if event.visibility == entity::EventVisibility::Public {
            Self::relay_announce(ctx, &event.ap_id).await?;
        }
        Ok(())
    }

    /// Our instance actor announces a public event's new state to the instances that follow
    /// it; they fetch it from here (and get a 404 once it is gone).
    async fn relay_announce(ctx: &AppContext, event_ap_id: &str) -> Result<()> {
        let relay = backend::actors::system::relay(&ctx.db).await?;
        let inboxes =
            backend::groups::follows::follower_inboxes_elsewhere(&ctx.db, &[relay.id]).await?;
        if inboxes.is_empty() {
            return Ok(());
        }
        let activity = json!({
            "id": format!("{}/announces/{}", relay.ap_id, uuid::Uuid::new_v4()),
            "type": "Announce",
            "actor": relay.ap_id,
            "to": [relay.followers_url],
            "cc": [crate::protocol::PUBLIC],
            "published": ctx.now(),
            "object": event_ap_id,
        });
        queue_deliveries(ctx, &relay, with_context(activity), inboxes).await
    }

    async fn event_deleted(
        ctx: &AppContext,
        ap_id: &str,
        organizer_id: i64,
        group_id: Option<i64>,
    ) -> Result<()> {
        let Ok(sender) = backend::actors::find(&ctx.db, group_id.unwrap_or(organizer_id)).await
        else {
            // The group or identity went with its events: its own `Delete` tells followers.
            return Ok(());
        };
        let activity = json!({
            "id": format!("{ap_id}/delete/{}", uuid::Uuid::new_v4()),
            "type": "Delete",
            "actor": sender.ap_id,
            "to": [crate::protocol::PUBLIC],
            "object": { "id": ap_id, "type": "Tombstone" },
        });
        let ids: Vec<i64> = [Some(organizer_id), group_id]
            .into_iter()
            .flatten()
            .collect();
        let inboxes = backend::groups::follows::follower_inboxes_elsewhere(&ctx.db, &ids).await?;
        queue_deliveries(ctx, &sender, with_context(activity), inboxes).await?;
        Self::relay_announce(ctx, ap_id).await
    }

    async fn follow_accepted(ctx: &AppContext, follow_id: i64) -> Result<()> {
        let Ok(follow) = backend::groups::follows::find_by_id(&ctx.db, follow_id).await else {
            return Ok(());
        };
        let follower = backend::actors::find(&ctx.db, follow.follower_id).await?;
        let target = backend::actors::find(&ctx.db, follow.target_id).await?;
        let Some(inbox) = follower.inbox_url.clone() else {
            return Ok(());
        };
        let activity = accept_activity(&follow, &follower, &target);
        queue_deliveries(ctx, &target, with_context(activity), vec![inbox]).await
    }
}

/// The actor that speaks for an event in activities: its group, else its organizer (as
/// Mobilizon does).
async fn event_owner(ctx: &AppContext, event: &entity::event::Model) -> Result<actor::Model> {
    let id = event.attributed_to_id.unwrap_or(event.organizer_actor_id);
    Ok(backend::actors::find(&ctx.db, id).await?)
}

/// Where a remote event's instance hears about its participants: the shared inbox of its
/// group (or organizer), else its own inbox.
fn owner_inbox(owner: &actor::Model) -> Result<String> {
    owner
        .shared_inbox_url
        .clone()
        .or_else(|| owner.inbox_url.clone())
        .ok_or_else(|| Error::Malformed("remote actor without inbox".to_owned()))
}

impl PublishJob {
    async fn join_requested(ctx: &AppContext, participant_id: i64) -> Result<()> {
        let Ok(participant) = backend::participations::find(&ctx.db, participant_id).await else {
            return Ok(()); // left since
        };
        let Some(join_id) = participant.ap_id.clone() else {
            return Ok(());
        };
        let event = backend::events::find(&ctx.db, participant.event_id).await?;
        let person = backend::actors::find(&ctx.db, participant.actor_id).await?;
        let owner = event_owner(ctx, &event).await?;
        let mut activity = json!({
            "id": join_id,
            "type": "Join",
            "actor": person.ap_id,
            "to": [owner.ap_id],
            "object": event.ap_id,
        });
        if let Some(message) = &participant.message {
            activity["participationMessage"] = json!(message);
        }
        let inbox = owner_inbox(&owner)?;
        queue_deliveries(ctx, &person, with_context(activity), vec![inbox]).await
    }

    async fn leave_requested(ctx: &AppContext, actor_id: i64, event_id: i64) -> Result<()> {
        let (Ok(person), Ok(event)) = (
            backend::actors::find(&ctx.db, actor_id).await,
            backend::events::find(&ctx.db, event_id).await,
        ) else {
            return Ok(()); // gone since, and the participation with it
        };
        let owner = event_owner(ctx, &event).await?;
        let activity = json!({
            "id": format!("{}#leaves/{}", person.ap_id, uuid::Uuid::new_v4()),
            "type": "Leave",
            "actor": person.ap_id,
            "to": [owner.ap_id],
            "object": event.ap_id,
        });
        let inbox = owner_inbox(&owner)?;
        queue_deliveries(ctx, &person, with_context(activity), vec![inbox]).await
    }

    async fn participation_answered(ctx: &AppContext, participant_id: i64) -> Result<()> {
        let Ok(participant) = backend::participations::find(&ctx.db, participant_id).await else {
            return Ok(()); // left since
        };
        let Some(join_id) = participant.ap_id.clone() else {
            return Ok(());
        };
        let kind = match participant.role {
            role if role.is_going() => "Accept",
            entity::participant::ParticipantRole::Rejected => "Reject",
            _ => return Ok(()), // decided otherwise since
        };
        Self::answer_join(
            ctx,
            participant.actor_id,
            participant.event_id,
            &join_id,
            kind,
            None,
        )
        .await
    }

    /// `Accept`, `Reject` or `Ignore` of a remote person's `Join`, from the event's group (as
    /// Mobilizon does) or its organizer.
    async fn answer_join(
        ctx: &AppContext,
        person_id: i64,
        event_id: i64,
        join_id: &str,
        kind: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        let person = backend::actors::find(&ctx.db, person_id).await?;
        let Ok(event) = backend::events::find(&ctx.db, event_id).await else {
            return Ok(());
        };
        let sender = event_owner(ctx, &event).await?;
        let Some(inbox) = person.inbox_url.clone() else {
            return Ok(());
        };
        let mut activity = json!({
            "id": format!("{}#{}/{}", sender.ap_id, kind.to_lowercase(), uuid::Uuid::new_v4()),
            "type": kind,
            "actor": sender.ap_id,
            "to": [person.ap_id],
            "object": {
                "id": join_id,
                "type": "Join",
                "actor": person.ap_id,
                "object": event.ap_id,
            },
        });
        if let Some(reason) = reason {
            activity["summary"] = json!(reason);
        }
        queue_deliveries(ctx, &sender, with_context(activity), vec![inbox]).await
    }

    async fn actor_updated(ctx: &AppContext, actor_id: i64) -> Result<()> {
        let Ok(model) = backend::actors::find(&ctx.db, actor_id).await else {
            return Ok(());
        };
        let inboxes =
            backend::groups::follows::follower_inboxes_elsewhere(&ctx.db, &[model.id]).await?;
        if inboxes.is_empty() {
            return Ok(());
        }
        let actor = ApActor::local_with_keys(ctx, model).await?;
        let object =
            serde_json::to_value(crate::objects::actor::to_json(ctx, &actor.model).await?)?;
        let activity = json!({
            "id": format!("{}#updates/{}", actor.model.ap_id, uuid::Uuid::new_v4()),
            "type": "Update",
            "actor": actor.model.ap_id,
            "to": [crate::protocol::PUBLIC],
            "cc": [actor.model.followers_url],
            "object": object,
        });
        queue_deliveries(ctx, &actor.model, with_context(activity), inboxes).await
    }

    async fn actor_deleted(
        ctx: &AppContext,
        actor: &actor::Model,
        inboxes: Vec<String>,
    ) -> Result<()> {
        let activity = json!({
            "id": format!("{}#delete", actor.ap_id),
            "type": "Delete",
            "actor": actor.ap_id,
            "to": [crate::protocol::PUBLIC],
            "object": actor.ap_id,
        });
        queue_deliveries_from(ctx, actor, Some(actor), with_context(activity), inboxes).await
    }

    async fn follow_requested(ctx: &AppContext, follow_id: i64) -> Result<()> {
        let Ok(follow) = backend::groups::follows::find_by_id(&ctx.db, follow_id).await else {
            // Undone since.
            return Ok(());
        };
        if follow.approved {
            return Ok(());
        }
        let follower = backend::actors::find(&ctx.db, follow.follower_id).await?;
        let target = backend::actors::find(&ctx.db, follow.target_id).await?;
        let Some(inbox) = target.inbox_url.clone() else {
            return Err(Error::Malformed("remote actor without inbox".to_owned()));
        };
        let activity = follow_activity(&follow, &follower, &target);
        queue_deliveries(ctx, &follower, with_context(activity), vec![inbox]).await
    }

    async fn follow_rejected(
        ctx: &AppContext,
        follower_id: i64,
        target_id: i64,
        follow_ap_id: &str,
    ) -> Result<()> {
        let follower = backend::actors::find(&ctx.db, follower_id).await?;
        let target = backend::actors::find(&ctx.db, target_id).await?;
        let Some(inbox) = follower.inbox_url.clone() else {
            return Ok(());
        };
        let activity = json!({
            "id": format!("{}#rejects/follows/{}", target.ap_id, uuid::Uuid::new_v4()),
            "type": "Reject",
            "actor": target.ap_id,
            "to": [follower.ap_id],
            "object": {
                "id": follow_ap_id,
                "type": "Follow",
                "actor": follower.ap_id,
                "object": target.ap_id,
            },
        });
        queue_deliveries(ctx, &target, with_context(activity), vec![inbox]).await
    }

    async fn follow_undone(
        ctx: &AppContext,
        follower_id: i64,
        target_id: i64,
        follow_ap_id: &str,
    ) -> Result<()> {
        let follower = backend::actors::find(&ctx.db, follower_id).await?;
        let target = backend::actors::find(&ctx.db, target_id).await?;
        let Some(inbox) = target.inbox_url.clone() else {
            return Ok(());
        };
        let activity = json!({
            "id": format!("{follow_ap_id}/undo"),
            "type": "Undo",
            "actor": follower.ap_id,
            "to": [target.ap_id],
            "object": {
                "id": follow_ap_id,
                "type": "Follow",
                "actor": follower.ap_id,
                "object": target.ap_id,
            },
        });
        queue_deliveries(ctx, &follower, with_context(activity), vec![inbox]).await
    }
}

fn follow_activity(
    follow: &follow::Model,
    follower: &actor::Model,
    target: &actor::Model,
) -> Value {
    json!({
        "id": follow.ap_id,
        "type": "Follow",
        "actor": follower.ap_id,
        "to": [target.ap_id],
        "object": target.ap_id,
    })
}

fn accept_activity(
    follow: &follow::Model,
    follower: &actor::Model,
    target: &actor::Model,
) -> Value {
    json!({
        "id": format!("{}#accepts/follows/{}", target.ap_id, follow.id),
        "type": "Accept",
        "actor": target.ap_id,
        "to": [follower.ap_id],
        "object": {
            "id": follow.ap_id,
            "type": "Follow",
            "actor": follower.ap_id,
            "object": target.ap_id,
        },
    })
}

#[async_trait]
impl JobHandler for PublishJob {
    fn kind(&self) -> &'static str {
        PUBLISH_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let happened: Happened = serde_json::from_value(job.payload.clone())?;
        match happened {
            Happened::EventCreated { event_id } => {
                Self::event_changed(ctx, event_id, "Create").await?
            }
            Happened::EventUpdated { event_id } => {
                Self::event_changed(ctx, event_id, "Update").await?
            }
            Happened::EventDeleted {
                ap_id,
                organizer_id,
                group_id,
            } => Self::event_deleted(ctx, &ap_id, organizer_id, group_id).await?,
            Happened::FollowAccepted { follow_id } => Self::follow_accepted(ctx, follow_id).await?,
            Happened::ActorUpdated { actor_id } => Self::actor_updated(ctx, actor_id).await?,
            Happened::ActorDeleted { actor, inboxes } => {
                Self::actor_deleted(ctx, &actor, inboxes).await?
            }
            Happened::FollowRejected {
                follower_id,
                target_id,
                follow_ap_id,
            } => Self::follow_rejected(ctx, follower_id, target_id, &follow_ap_id).await?,
            Happened::JoinRequested { participant_id } => {
                Self::join_requested(ctx, participant_id).await?
            }
            Happened::LeaveRequested { actor_id, event_id } => {
                Self::leave_requested(ctx, actor_id, event_id).await?
            }
            Happened::ParticipationAnswered { participant_id } => {
                Self::participation_answered(ctx, participant_id).await?
            }
            Happened::JoinRefused {
                actor_id,
                event_id,
                join_ap_id,
                ignore,
                reason,
            } => {
                let kind = if ignore { "Ignore" } else { "Reject" };
                Self::answer_join(ctx, actor_id, event_id, &join_ap_id, kind, Some(&reason)).await?
            }
            Happened::FollowRequested { follow_id } => {
                Self::follow_requested(ctx, follow_id).await?
            }
            Happened::FollowUndone {
                follower_id,
                target_id,
                follow_ap_id,
            } => Self::follow_undone(ctx, follower_id, target_id, &follow_ap_id).await?,
        }
        Ok(())
    }
}

/// Signs and sends one activity to one inbox.
#[derive(Default)]
pub struct DeliverJob {
    config: LazyConfig,
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
        let data = self.config.get(ctx)?.to_request_data();
        let sender = match delivery.deleted_sender {
            Some(gone) => ApActor::new(*gone)?,
            None => {
                let sender = backend::actors::find(&ctx.db, delivery.actor_id).await?;
                ApActor::local_with_keys(ctx, sender).await?
            }
        };
        let inbox = url::Url::parse(&delivery.inbox).map_err(Error::from)?;
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

/// The remote actor `name@host` (or `@name@host`), found through WebFinger and stored (or
/// refreshed) here.
pub async fn resolve_handle(
    config: &crate::config::SignedConfig,
    ctx: &AppContext,
    handle: &str,
) -> Result<actor::Model> {
    let data = config.data(ctx).await?;
    let handle = handle.trim().trim_start_matches('@');
    let target: ApActor = webfinger_resolve_actor(handle, &data).await?;
    Ok(target.model)
}

/// A local actor follows a remote group by `name@host`: resolved through WebFinger, then the
/// same `follows::follow` as a local follow (which says what may be followed, and records the
/// `Follow` to send), acting for `follower` as the instance. The remote `Accept` approves it.
pub async fn follow_remote(
    config: &crate::config::SignedConfig,
    ctx: &AppContext,
    follower: &actor::Model,
    handle: &str,
) -> Result<follow::Model> {
    let target = resolve_handle(config, ctx, handle).await?;
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
