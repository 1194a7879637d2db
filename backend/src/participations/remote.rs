//! RSVPs across instances, under the same rules as local ones: a remote person joining one of
//! our events (`Join`, answered with `Accept`, `Reject` or `Ignore`), and the answers to our
//! people's joins of remote events. The federation layer calls these; the activities to send
//! are recorded in the same transactions (`outbox`).

use entity::participant::{self, ParticipantRole};
use entity::{actor, event};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{notices, policy, reminders, service};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::outbox::{self, Happened};

/// What became of a remote `Join`.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoteJoin {
    /// A participation (going, or waiting for the organizers).
    Recorded(participant::Model),
    /// Refused under the rules; the answer to send is recorded.
    Refused { code: String, reason: String },
}

/// A remote person RSVPs to a local event (Mobilizon's `Join`). Free events answer `Accept` at
/// once, restricted ones wait for the organizers; full, cancelled, past events and events
/// without RSVPs are refused with a reason. Joining again answers again.
pub async fn join(
    ctx: &AppContext,
    person: &actor::Model,
    event_id: i64,
    message: Option<&str>,
    join_ap_id: &str,
) -> Result<RemoteJoin> {
    if person.is_local() {
        return Err(Error::forbidden("local people join through the API"));
    }
    let message = service::message(message)?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "events", event_id).await?;
    let event = crate::events::find(&tx, event_id).await?;
    if !crate::events::federated::federates(&event) {
        return Err(Error::not_found("event"));
    }
    if let Some(existing) = super::of_actor(&tx, event.id, person.id).await? {
        if existing.role.is_going() || existing.role == ParticipantRole::Rejected {
            let answer = Happened::ParticipationAnswered {
                participant_id: existing.id,
            };
            outbox::record(ctx, &tx, now, answer).await?;
        }
        tx.commit().await?;
        ctx.wake_workers();
        return Ok(RemoteJoin::Recorded(existing));
    }
    let refusal = match policy::refusal(service::join_facts(&event, now)) {
        Some(refusal) => Some(refusal),
        None => service::check_seat(&tx, &event).await.err(),
    };
    if let Some(refusal) = refusal {
        let (code, reason) = (refusal.code().to_owned(), refusal.to_string());
        let refused = Happened::JoinRefused {
            actor_id: person.id,
            event_id: event.id,
            join_ap_id: join_ap_id.to_owned(),
            ignore: code == "event_external",
            reason: reason.clone(),
        };
        outbox::record(ctx, &tx, now, refused).await?;
        tx.commit().await?;
        ctx.wake_workers();
        tracing::info!(event_id = event.id, code = %code, "remote join refused");
        return Ok(RemoteJoin::Refused { code, reason });
    }
    let role = policy::role_on_join(event.join_options);
    let mut row = service::new_row(event.id, person.id, role, message, now);
    row.ap_id = Set(Some(join_ap_id.to_owned()));
    let participant = participant::Entity::insert(row)
        .exec_with_returning(&tx)
        .await?;
    match role {
        ParticipantRole::NotApproved => {
            notices::queue_pending_for_organizers(ctx, &tx, &event, now).await?;
        }
        _ => {
            let answer = Happened::ParticipationAnswered {
                participant_id: participant.id,
            };
            outbox::record(ctx, &tx, now, answer).await?;
            outbox::participants_changed(ctx, &tx, now, &event).await?;
        }
    }
    tx.commit().await?;
    ctx.wake_workers();
    tracing::info!(event_id = event.id, participant_id = participant.id, role = ?role, "remote person joined");
    Ok(RemoteJoin::Recorded(participant))
}

/// A remote person leaves a local event (`Leave`, `Undo{Join}`). Unknown ones already left.
pub async fn leave(ctx: &AppContext, person: &actor::Model, event_id: i64) -> Result<bool> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "events", event_id).await?;
    let event = crate::events::find(&tx, event_id).await?;
    let Some(participant) = super::of_actor(&tx, event.id, person.id).await? else {
        return Ok(false);
    };
    if participant.role == ParticipantRole::Creator {
        return Err(Error::forbidden(
            "an organizer does not leave by federation",
        ));
    }
    participant::Entity::delete_by_id(participant.id)
        .exec(&tx)
        .await?;
    outbox::participants_changed(ctx, &tx, now, &event).await?;
    tx.commit().await?;
    ctx.wake_workers();
    tracing::info!(event_id = event.id, "remote person left");
    Ok(true)
}

/// A local person's participation whose `Join` has this id.
pub async fn find_by_join_id(
    conn: &impl ConnectionTrait,
    join_ap_id: &str,
) -> Result<Option<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::ApId.eq(join_ap_id))
        .one(conn)
        .await?)
}

/// A remote event's organizer (or group), `sender`, answered a local person's `Join`.
/// Returns false when the join is unknown here (already left).
pub async fn answered(
    ctx: &AppContext,
    join_ap_id: &str,
    sender: &actor::Model,
    accepted: bool,
) -> Result<bool> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let Some(before) = find_by_join_id(&tx, join_ap_id).await? else {
        return Ok(false);
    };
    lock_row(&tx, "events", before.event_id).await?;
    let event: event::Model = crate::events::find(&tx, before.event_id).await?;
    let owners = [Some(event.organizer_actor_id), event.attributed_to_id];
    if event.local || !owners.contains(&Some(sender.id)) {
        return Err(Error::forbidden(
            "only the event's organizer or group answers a join",
        ));
    }
    let role = if accepted {
        ParticipantRole::Participant
    } else {
        ParticipantRole::Rejected
    };
    if before.role == role {
        return Ok(true);
    }
    let mut active: participant::ActiveModel = before.into();
    active.role = Set(role);
    active.updated_at = Set(now);
    let participant = active.update(&tx).await?;
    let notice = if accepted {
        reminders::plan(ctx, &tx, &event, &participant).await?;
        notices::Notice::Approved
    } else {
        reminders::cancel_for_participant(&tx, &participant, now).await?;
        notices::Notice::Rejected
    };
    notices::queue_to_participant(ctx, &tx, &event, &participant, notice, now).await?;
    tx.commit().await?;
    ctx.wake_workers();
    tracing::info!(participant_id = participant.id, role = ?role, "remote organizers answered");
    Ok(true)
}
