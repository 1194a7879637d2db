//! Turning what backend recorded (`backend::outbox::Happened`) into the activities other
//! instances hear, built by the activity's own module, and queuing one delivery per inbox of
//! their audience.

use async_trait::async_trait;
use backend::AppContext;
use backend::jobs::{Job, JobError, JobHandler};
use backend::outbox::{Happened, PUBLISH_JOB};
use entity::actor;

use crate::activities::accept::{Accept, Answer};
use crate::activities::announce::Announce;
use crate::activities::article::CreateOrUpdateArticle;
use crate::activities::create_or_update::{CreateOrUpdate, CreateOrUpdateType};
use crate::activities::delete::Delete;
use crate::activities::flag::Flag;
use crate::activities::follow::Follow;
use crate::activities::join::Join;
use crate::activities::note::CreateOrUpdateNote;
use crate::activities::undo::Undo;
use crate::activities::update_actor::UpdateActor;
use crate::delivery::{queue_deliveries, queue_deliveries_from};
use crate::error::{Error, Result};
use crate::objects::actor::ApActor;
use crate::relaying::{self, Relayed};

/// Builds the activities of what backend recorded and queues their deliveries.
#[derive(Default)]
pub struct PublishJob;

impl PublishJob {
    async fn event_changed(
        ctx: &AppContext,
        event_id: i64,
        kind: CreateOrUpdateType,
    ) -> Result<()> {
        // The event and everything its document names, read from one snapshot: an update
        // committed meanwhile has a job of its own that sends the newer version.
        let snapshot = backend::db::begin_snapshot(&ctx.db).await?;
        let Ok(event) = backend::events::find(&snapshot, event_id).await else {
            // Deleted since: its own record says so.
            return Ok(());
        };
        if !backend::events::policy::federates(&event) {
            return Ok(());
        }
        let object = crate::objects::event::to_json(ctx, &snapshot, &event).await?;
        snapshot.commit().await?;
        let sender = event_owner(ctx, &event).await?;
        // A group relays its new events with an `Announce` too.
        let announce = match (kind, event.attributed_to_id) {
            (CreateOrUpdateType::Create, Some(_)) => {
                Some(Announce::by_group(&sender, &object, ctx.now())?)
            }
            _ => None,
        };
        let activity = CreateOrUpdate::new(kind, &sender, object, ctx.now())?;
        let audience = [Some(event.organizer_actor_id), event.attributed_to_id];
        let ids: Vec<i64> = audience.into_iter().flatten().collect();
        let inboxes = backend::groups::followers::follower_inboxes_elsewhere(&ctx.db, &ids).await?;
        queue_deliveries(ctx, &sender, &activity, inboxes.clone()).await?;
        if let Some(announce) = announce {
            queue_deliveries(ctx, &sender, &announce, inboxes.clone()).await?;
        }
        if event.visibility == entity::EventVisibility::Public {
            let what = Relayed::Changed(kind, &activity.object);
            relaying::relay(ctx, &event.ap_id, what, &inboxes).await?;
        }
        Ok(())
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
        let activity = Delete::event(ap_id, &sender)?;
        let ids: Vec<i64> = [Some(organizer_id), group_id]
            .into_iter()
            .flatten()
            .collect();
        let inboxes = backend::groups::followers::follower_inboxes_elsewhere(&ctx.db, &ids).await?;
        queue_deliveries(ctx, &sender, &activity, inboxes.clone()).await?;
        relaying::relay(ctx, ap_id, Relayed::Deleted, &inboxes).await
    }

    async fn follow_accepted(ctx: &AppContext, follow_id: i64) -> Result<()> {
        let Ok(follow) = backend::groups::followers::find_by_id(&ctx.db, follow_id).await else {
            return Ok(());
        };
        let follower = backend::actors::find(&ctx.db, follow.follower_id).await?;
        let target = backend::actors::find(&ctx.db, follow.target_id).await?;
        let Some(inbox) = follower.inbox_url.clone() else {
            return Ok(());
        };
        let activity = Accept::follow(&follow, &follower, &target)?;
        queue_deliveries(ctx, &target, &activity, vec![inbox]).await
    }

    async fn join_requested(ctx: &AppContext, participant_id: i64) -> Result<()> {
        let Ok(participant) = backend::participations::find(&ctx.db, participant_id).await else {
            return Ok(()); // left since
        };
        if participant.ap_id.is_none() {
            return Ok(());
        }
        let event = backend::events::find(&ctx.db, participant.event_id).await?;
        let person = backend::actors::find(&ctx.db, participant.actor_id).await?;
        let owner = event_owner(ctx, &event).await?;
        let activity = Join::request(&participant, &person, &owner, &event.ap_id)?;
        let inbox = owner_inbox(&owner)?;
        queue_deliveries(ctx, &person, &activity, vec![inbox]).await
    }

    async fn leave_requested(ctx: &AppContext, actor_id: i64, event_id: i64) -> Result<()> {
        let (Ok(person), Ok(event)) = (
            backend::actors::find(&ctx.db, actor_id).await,
            backend::events::find(&ctx.db, event_id).await,
        ) else {
            return Ok(()); // gone since, and the participation with it
        };
        let owner = event_owner(ctx, &event).await?;
        let activity = Join::leave(&person, &owner, &event.ap_id)?;
        let inbox = owner_inbox(&owner)?;
        queue_deliveries(ctx, &person, &activity, vec![inbox]).await
    }

    async fn participation_answered(ctx: &AppContext, participant_id: i64) -> Result<()> {
        let Ok(participant) = backend::participations::find(&ctx.db, participant_id).await else {
            return Ok(()); // left since
        };
        let Some(join_id) = participant.ap_id.clone() else {
            return Ok(());
        };
        let answer = match participant.role {
            role if role.is_going() => Answer::Accept,
            entity::participant::ParticipantRole::Rejected => Answer::Reject,
            _ => return Ok(()), // decided otherwise since
        };
        let (person, event) = (participant.actor_id, participant.event_id);
        Self::answer_join(ctx, person, event, &join_id, answer, None).await
    }

    /// `Accept`, `Reject` or `Ignore` of a remote person's `Join`, from the event's group (as
    /// Mobilizon does) or its organizer.
    async fn answer_join(
        ctx: &AppContext,
        person_id: i64,
        event_id: i64,
        join_id: &str,
        answer: Answer,
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
        let activity = Accept::join(answer, &sender, &person, join_id, &event.ap_id, reason)?;
        queue_deliveries(ctx, &sender, &activity, vec![inbox]).await
    }

    async fn actor_updated(ctx: &AppContext, actor_id: i64) -> Result<()> {
        let Ok(model) = backend::actors::find(&ctx.db, actor_id).await else {
            return Ok(());
        };
        let inboxes =
            backend::groups::followers::follower_inboxes_elsewhere(&ctx.db, &[model.id]).await?;
        if inboxes.is_empty() {
            return Ok(());
        }
        let actor = ApActor::local_with_keys(ctx, model).await?;
        let document = crate::objects::actor::to_json(ctx, &actor.model).await?;
        let activity = UpdateActor::new(&actor.model, document)?;
        queue_deliveries(ctx, &actor.model, &activity, inboxes).await
    }

    async fn actor_deleted(
        ctx: &AppContext,
        actor: &actor::Model,
        inboxes: Vec<String>,
    ) -> Result<()> {
        let activity = Delete::actor(actor)?;
        queue_deliveries_from(ctx, actor, Some(actor), &activity, inboxes).await
    }

    /// Peers forget a suspended actor as they would a deleted one; if the suspension was
    /// lifted meanwhile, they hear nothing.
    async fn actor_suspended(ctx: &AppContext, actor_id: i64, inboxes: Vec<String>) -> Result<()> {
        let Ok(actor) = backend::actors::find(&ctx.db, actor_id).await else {
            // Deleted since: its deletion told them.
            return Ok(());
        };
        if !actor.suspended {
            return Ok(());
        }
        let activity = Delete::suspension(&actor)?;
        queue_deliveries(ctx, &actor, &activity, inboxes).await
    }

    async fn follow_requested(ctx: &AppContext, follow_id: i64) -> Result<()> {
        let Ok(follow) = backend::groups::followers::find_by_id(&ctx.db, follow_id).await else {
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
        let activity = Follow::request(&follow, &follower, &target)?;
        queue_deliveries(ctx, &follower, &activity, vec![inbox]).await
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
        let activity = Accept::reject_follow(follow_ap_id, &follower, &target)?;
        queue_deliveries(ctx, &target, &activity, vec![inbox]).await
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
        let activity = Undo::follow(follow_ap_id, &follower, &target)?;
        queue_deliveries(ctx, &follower, &activity, vec![inbox]).await
    }
}

impl PublishJob {
    /// A comment written here, to the event's audience: `Create` or `Update` of its `Note`,
    /// or `Delete` of its tombstone, from its author.
    async fn comment_changed(ctx: &AppContext, comment_id: i64, kind: CommentChange) -> Result<()> {
        let snapshot = backend::db::begin_snapshot(&ctx.db).await?;
        let Ok(comment) = backend::comments::find(&snapshot, comment_id).await else {
            // Its event went, and the comment with it.
            return Ok(());
        };
        let author = backend::actors::find(&snapshot, comment.actor_id).await?;
        let inboxes = backend::comments::audience(&snapshot, &comment).await?;
        let activity = match kind {
            CommentChange::Deleted => {
                let activity = Delete::comment(&comment.ap_id, &author)?;
                snapshot.commit().await?;
                return queue_deliveries(ctx, &author, &activity, inboxes).await;
            }
            // Deleted since: its own record sends the `Delete`.
            _ if comment.deleted_at.is_some() => return Ok(()),
            CommentChange::Posted => CreateOrUpdateType::Create,
            CommentChange::Updated => CreateOrUpdateType::Update,
        };
        let note = crate::objects::comment::to_note(&snapshot, &comment).await?;
        snapshot.commit().await?;
        let activity = CreateOrUpdateNote::new(activity, note, ctx.now())?;
        queue_deliveries(ctx, &author, &activity, inboxes).await
    }
}

impl PublishJob {
    /// A post written here, from its group to the group's followers: `Create` or `Update` of
    /// its `Article`.
    async fn post_changed(ctx: &AppContext, post_id: i64, kind: CreateOrUpdateType) -> Result<()> {
        let snapshot = backend::db::begin_snapshot(&ctx.db).await?;
        let Ok(post) = backend::posts::find(&snapshot, post_id).await else {
            // Deleted since: its own record sends the `Delete`.
            return Ok(());
        };
        if !backend::posts::policy::federates(backend::posts::facts(&post)) {
            // A draft or members-only since: its own record sends the `Delete`.
            return Ok(());
        }
        let group = backend::actors::find(&snapshot, post.group_id).await?;
        let inboxes = backend::posts::audience(&snapshot, &post).await?;
        let article = crate::objects::post::to_article(ctx, &snapshot, &post).await?;
        snapshot.commit().await?;
        let activity = CreateOrUpdateArticle::new(kind, &group, article, ctx.now())?;
        queue_deliveries(ctx, &group, &activity, inboxes).await
    }

    async fn post_deleted(ctx: &AppContext, ap_id: &str, group_id: i64) -> Result<()> {
        let Ok(group) = backend::actors::find(&ctx.db, group_id).await else {
            // The group went with its posts: its own `Delete` tells followers.
            return Ok(());
        };
        let inboxes =
            backend::groups::followers::follower_inboxes_elsewhere(&ctx.db, &[group.id]).await?;
        let activity = Delete::post(ap_id, &group)?;
        queue_deliveries(ctx, &group, &activity, inboxes).await
    }
}

impl PublishJob {
    /// A report about another instance's actor, to that instance: a `Flag` from our instance
    /// actor (reporters here stay unnamed there, as with Mobilizon).
    async fn report_forwarded(ctx: &AppContext, report_id: i64) -> Result<()> {
        let Ok(report) = backend::reports::find(&ctx.db, report_id).await else {
            return Ok(()); // its reported actor went, and the report with it
        };
        let reported = backend::actors::find(&ctx.db, report.reported_actor_id).await?;
        if reported.is_local() {
            return Ok(());
        }
        let events = backend::reports::events_of(&ctx.db, report.id).await?;
        let comments = backend::reports::comments_of(&ctx.db, report.id).await?;
        let relay = backend::actors::system::relay(&ctx.db).await?;
        let activity = Flag::forward(&report, &relay, &reported, &events, &comments)?;
        let inbox = owner_inbox(&reported)?;
        queue_deliveries(ctx, &relay, &activity, vec![inbox]).await
    }
}

impl PublishJob {
    /// What the organizers wrote to a person of another instance: a `Create` of a direct
    /// `Note`, to that person's own inbox alone.
    async fn private_message_sent(ctx: &AppContext, message_id: i64) -> Result<()> {
        let Ok(message) = backend::conversations::find_message(&ctx.db, message_id).await else {
            return Ok(()); // its event went, and the conversation with it
        };
        let conversation = backend::conversations::find(&ctx.db, message.conversation_id).await?;
        let author = backend::actors::find(&ctx.db, message.actor_id).await?;
        let recipient = backend::actors::find(&ctx.db, conversation.recipient_actor_id).await?;
        let Some(inbox) = recipient.inbox_url.clone() else {
            return Ok(());
        };
        let note = crate::objects::private_message::to_note(&ctx.db, &message, &recipient).await?;
        let activity = CreateOrUpdateNote::new(CreateOrUpdateType::Create, note, ctx.now())?;
        queue_deliveries(ctx, &author, &activity, vec![inbox]).await
    }
}

#[derive(Clone, Copy)]
enum CommentChange {
    Posted,
    Updated,
    Deleted,
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

#[async_trait]
impl JobHandler for PublishJob {
    fn kind(&self) -> &'static str {
        PUBLISH_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let happened: Happened = serde_json::from_value(job.payload.clone())?;
        match happened {
            Happened::EventCreated { event_id } => {
                Self::event_changed(ctx, event_id, CreateOrUpdateType::Create).await?
            }
            Happened::EventUpdated { event_id } => {
                Self::event_changed(ctx, event_id, CreateOrUpdateType::Update).await?
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
                let answer = if ignore {
                    Answer::Ignore
                } else {
                    Answer::Reject
                };
                Self::answer_join(ctx, actor_id, event_id, &join_ap_id, answer, Some(&reason))
                    .await?
            }
            Happened::FollowRequested { follow_id } => {
                Self::follow_requested(ctx, follow_id).await?
            }
            Happened::FollowUndone {
                follower_id,
                target_id,
                follow_ap_id,
            } => Self::follow_undone(ctx, follower_id, target_id, &follow_ap_id).await?,
            Happened::CommentPosted { comment_id } => {
                Self::comment_changed(ctx, comment_id, CommentChange::Posted).await?
            }
            Happened::CommentUpdated { comment_id } => {
                Self::comment_changed(ctx, comment_id, CommentChange::Updated).await?
            }
            Happened::CommentDeleted { comment_id } => {
                Self::comment_changed(ctx, comment_id, CommentChange::Deleted).await?
            }
            Happened::PrivateMessageSent { message_id } => {
                Self::private_message_sent(ctx, message_id).await?
            }
            Happened::PostPublished { post_id } => {
                Self::post_changed(ctx, post_id, CreateOrUpdateType::Create).await?
            }
            Happened::PostUpdated { post_id } => {
                Self::post_changed(ctx, post_id, CreateOrUpdateType::Update).await?
            }
            Happened::PostDeleted { ap_id, group_id } => {
                Self::post_deleted(ctx, &ap_id, group_id).await?
            }
            Happened::ReportForwarded { report_id } => {
                Self::report_forwarded(ctx, report_id).await?
            }
            Happened::ActorSuspended { actor_id, inboxes } => {
                Self::actor_suspended(ctx, actor_id, inboxes).await?
            }
            Happened::DiscussionCommentChanged {
                comment_id,
                change,
                came_from,
            } => crate::activities::discussion::publish(ctx, comment_id, change, came_from).await?,
        }
        Ok(())
    }
}
