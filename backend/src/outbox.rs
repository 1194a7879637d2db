//! What happened that other instances must hear about. Services record it here, in the
//! transaction of the change, as a `federation.publish` job; the `federation` crate turns each
//! record into activities and one delivery job per inbox. Nothing here knows ActivityStreams.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::context::AppContext;
use crate::error::Result;
use crate::jobs::{NewJob, enqueue};

/// Kind of the job that carries a [`Happened`]; its handler lives in `federation`.
pub const PUBLISH_JOB: &str = "federation.publish";

/// A fact to federate. Deleted things carry what their audience needs, since their row is gone
/// when the job runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Happened {
    EventCreated {
        event_id: i64,
    },
    EventUpdated {
        event_id: i64,
    },
    EventDeleted {
        ap_id: String,
        organizer_id: i64,
        group_id: Option<i64>,
    },
    /// A local actor accepted a remote actor's follow.
    FollowAccepted {
        follow_id: i64,
    },
    /// A local group's or person's profile changed.
    ActorUpdated {
        actor_id: i64,
    },
    /// A local group or identity is gone. Carries the row (with its keys, so the `Delete` can
    /// still be signed by it) and where its followers are.
    ActorDeleted {
        actor: Box<entity::actor::Model>,
        inboxes: Vec<String>,
    },
    /// A local group refused a remote actor's follow (the row is gone).
    FollowRejected {
        follower_id: i64,
        target_id: i64,
        follow_ap_id: String,
    },
    /// A local person asks to join a remote event (`Join`; pending until its `Accept`).
    JoinRequested {
        participant_id: i64,
    },
    /// A local person left a remote event (`Leave`; the row is gone).
    LeaveRequested {
        actor_id: i64,
        event_id: i64,
    },
    /// A local event's organizers answered a remote participant: `Accept` when going,
    /// `Reject` when rejected (read from the participation when the job runs).
    ParticipationAnswered {
        participant_id: i64,
    },
    /// A remote `Join` that could not become a participation: `Reject` with the reason, or
    /// `Ignore` (FEP-8a8e) when the event takes no RSVPs here.
    JoinRefused {
        actor_id: i64,
        event_id: i64,
        join_ap_id: String,
        ignore: bool,
        reason: String,
    },
    /// A local actor asks to follow a remote group.
    FollowRequested {
        follow_id: i64,
    },
    /// A local actor stopped following a remote group (the row is gone).
    FollowUndone {
        follower_id: i64,
        target_id: i64,
        follow_ap_id: String,
    },
    /// A local person commented an event (`Create` of a `Note`).
    CommentPosted {
        comment_id: i64,
    },
    /// A local person changed their comment (`Update` of the `Note`).
    CommentUpdated {
        comment_id: i64,
    },
    /// A comment written here was deleted (`Delete` of the `Note`; its tombstone row stays).
    CommentDeleted {
        comment_id: i64,
    },
    /// The organizers here wrote to a participant of another instance, in their conversation
    /// (a direct `Create` of a `Note` to that person alone).
    PrivateMessageSent {
        message_id: i64,
    },
    /// A group's post written here was published, or became public or unlisted (`Create` of
    /// an `Article`, from the group, to its followers).
    PostPublished {
        post_id: i64,
    },
    /// A published post changed (`Update` of the `Article`).
    PostUpdated {
        post_id: i64,
    },
    /// A post its followers had was deleted, or became a draft or members-only (`Delete`; the
    /// row may be gone).
    PostDeleted {
        ap_id: String,
        group_id: i64,
    },
    /// A report made here about another instance's actor goes to that instance (`Flag` from
    /// our instance actor), as its reporter agreed.
    ReportForwarded {
        report_id: i64,
    },
    /// A moderator here suspended a local person or group: the instances that may show it or
    /// its events hear that it is gone (`Delete` of the actor, as Mastodon and Mobilizon send
    /// it), unless it was unsuspended before the job ran.
    ActorSuspended {
        actor_id: i64,
        inboxes: Vec<String>,
    },
    /// A comment of a group's discussion was written, changed or deleted. For a discussion
    /// of one of our groups, its members on other instances hear of it; for another
    /// instance's group, that instance does (of what was written here). `came_from` is the
    /// remote actor whose activity brought the change: its instance has it already.
    DiscussionCommentChanged {
        comment_id: i64,
        change: Change,
        came_from: Option<i64>,
    },
}

/// What became of a thing other instances keep a copy of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Posted,
    Updated,
    Deleted,
}

/// Records that a local actor is about to be deleted, when anyone elsewhere may know it (it
/// has keys, so it was served or signed something). Call before deleting the row.
pub async fn actor_deleted(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &entity::actor::Model,
) -> Result<()> {
    if !actor.is_local() || actor.private_key_pem.is_none() {
        return Ok(());
    }
    let inboxes = crate::groups::followers::follower_inboxes_elsewhere(conn, &[actor.id]).await?;
    let what = Happened::ActorDeleted {
        actor: Box::new(actor.clone()),
        inboxes,
    };
    record(ctx, conn, now, what).await
}

/// Records that a local actor was suspended, for every instance that may show it or its
/// events: its followers', those of the groups its upcoming events were published for, and
/// those following this instance (which had its public events relayed).
pub async fn actor_suspended(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &entity::actor::Model,
) -> Result<()> {
    use entity::event;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    if !actor.is_local() || actor.private_key_pem.is_none() {
        return Ok(());
    }
    let groups: Vec<Option<i64>> = event::Entity::find()
        .select_only()
        .column(event::Column::AttributedToId)
        .distinct()
        .filter(event::Column::OrganizerActorId.eq(actor.id))
        .filter(event::Column::AttributedToId.is_not_null())
        .filter(crate::events::not_over(now))
        .filter(event::Column::Local.eq(true))
        .into_tuple()
        .all(conn)
        .await?;
    let relay = crate::actors::system::relay(conn).await?;
    let mut audience = vec![actor.id, relay.id];
    audience.extend(groups.into_iter().flatten());
    let inboxes = crate::groups::followers::follower_inboxes_elsewhere(conn, &audience).await?;
    let what = Happened::ActorSuspended {
        actor_id: actor.id,
        inboxes,
    };
    record(ctx, conn, now, what).await
}

/// Records that a suspension of a local actor was lifted: peers that forgot it on its
/// suspension hear of it again, and of its events still to come.
pub async fn actor_unsuspended(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor: &entity::actor::Model,
) -> Result<()> {
    use entity::event;
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
    if !actor.is_local() || actor.private_key_pem.is_none() {
        return Ok(());
    }
    record(
        ctx,
        conn,
        now,
        Happened::ActorUpdated { actor_id: actor.id },
    )
    .await?;
    let events: Vec<i64> = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::Local.eq(true))
        .filter(event::Column::Hidden.eq(false))
        .filter(
            Condition::any()
                .add(event::Column::OrganizerActorId.eq(actor.id))
                .add(event::Column::AttributedToId.eq(actor.id)),
        )
        .filter(crate::events::not_over(now))
        .into_tuple()
        .all(conn)
        .await?;
    for event_id in events {
        record(ctx, conn, now, Happened::EventCreated { event_id }).await?;
    }
    Ok(())
}

/// How long participant-count updates of an event wait, so that a burst of RSVPs sends one
/// `Update`.
const COUNT_UPDATE_DELAY: chrono::Duration = chrono::Duration::seconds(10);

/// Records that the participants of a federated local event changed: one `Update` (with the
/// new `participantCount` and `remainingAttendeeCapacity`) per burst of changes.
pub async fn participants_changed(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    event: &entity::event::Model,
) -> Result<()> {
    if !ctx.settings.federation.enabled || !crate::events::policy::federates(event) {
        return Ok(());
    }
    let job = NewJob::new(PUBLISH_JOB, &Happened::EventUpdated { event_id: event.id })?
        .run_at(now + COUNT_UPDATE_DELAY)
        .unique(
            format!("participants-changed:{}", event.id),
            crate::jobs::OnDuplicate::Keep,
        );
    enqueue(conn, now, job).await?;
    Ok(())
}

/// Queues `what` with `conn` (the caller's transaction). Does nothing when federation is off.
pub async fn record(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    what: Happened,
) -> Result<()> {
    if !ctx.settings.federation.enabled {
        return Ok(());
    }
    enqueue(conn, now, NewJob::new(PUBLISH_JOB, &what)?).await?;
    Ok(())
}
