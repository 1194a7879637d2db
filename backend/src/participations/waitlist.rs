//! The waitlist of a full event: where a new participant goes when every seat is taken, their
//! position in line, and the one function that hands freed seats to those waiting, in order,
//! whatever freed them (a local or remote leave, a decline, a bigger capacity). Every caller
//! holds the event's row lock, as joins do, so seats and ranks cannot race.

use chrono::{DateTime, Utc};
use entity::event;
use entity::participant::{self, ParticipantRole};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::policy::{self, Refusal};
use super::{join_facts, notices, reminders};
use crate::context::AppContext;
use crate::error::Result;
use crate::outbox::{self, Happened};

/// Participants holding a seat, requests waiting for the organizers, and people in line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Line {
    pub participants: u64,
    pub not_approved: u64,
    pub waiting: u64,
}

async fn count(conn: &impl ConnectionTrait, event_id: i64, role: ParticipantRole) -> Result<u64> {
    Ok(participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.eq(role))
        .count(conn)
        .await?)
}

pub(super) async fn line(conn: &impl ConnectionTrait, event_id: i64) -> Result<Line> {
    Ok(Line {
        participants: count(conn, event_id, ParticipantRole::Participant).await?,
        not_approved: count(conn, event_id, ParticipantRole::NotApproved).await?,
        waiting: count(conn, event_id, ParticipantRole::Waitlisted).await?,
    })
}

/// The role a confirmed RSVP gets now (a seat, a request, or a place in line), or `Full`
/// when the event keeps no waitlist.
pub(super) async fn role_for_newcomer(
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<std::result::Result<ParticipantRole, Refusal>> {
    let line = line(conn, event.id).await?;
    Ok(policy::place_on_join(policy::SeatFacts {
        join_options: event.join_options,
        capacity: event.maximum_attendee_capacity,
        waitlist: event.waitlist,
        line,
    }))
}

/// The next rank in the event's line: after everyone who ever waited there.
pub(super) async fn next_rank(conn: &impl ConnectionTrait, event_id: i64) -> Result<i64> {
    let last: Option<Option<i64>> = participant::Entity::find()
        .select_only()
        .column_as(participant::Column::WaitlistRank.max(), "last")
        .filter(participant::Column::EventId.eq(event_id))
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?;
    Ok(last.flatten().unwrap_or(0) + 1)
}

/// Where someone waiting stands in line: 1 for the next to get a seat.
pub async fn position(
    conn: &impl ConnectionTrait,
    participant: &participant::Model,
) -> Result<Option<u64>> {
    let (ParticipantRole::Waitlisted, Some(rank)) = (participant.role, participant.waitlist_rank)
    else {
        return Ok(None);
    };
    let ahead_or_same = participant::Entity::find()
        .filter(participant::Column::EventId.eq(participant.event_id))
        .filter(participant::Column::Role.eq(ParticipantRole::Waitlisted))
        .filter(participant::Column::WaitlistRank.lte(rank))
        .count(conn)
        .await?;
    Ok(Some(ahead_or_same))
}

/// Hands the seats free now to the first in line, in order: on a free event they take part,
/// on a restricted one their request goes to the organizers (a pending request holds its
/// seat while people wait). Each promoted person is told (mail with the event's `.ics`, or
/// the `Accept` of a remote `Join`) and reminded, in the caller's transaction. Returns those
/// promoted.
pub(crate) async fn fill_free_seats(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<Vec<participant::Model>> {
    if !event.local || policy::refusal(join_facts(event, now)).is_some() {
        return Ok(Vec::new());
    }
    let line = line(conn, event.id).await?;
    let open = policy::seats_for_waiting(event.join_options, event.maximum_attendee_capacity, line);
    if open == 0 {
        return Ok(Vec::new());
    }
    let next = participant::Entity::find()
        .filter(participant::Column::EventId.eq(event.id))
        .filter(participant::Column::Role.eq(ParticipantRole::Waitlisted))
        .order_by_asc(participant::Column::WaitlistRank)
        .limit(open)
        .all(conn)
        .await?;
    let mut promoted = Vec::with_capacity(next.len());
    for waiting in next {
        promoted.push(promote(ctx, conn, event, waiting, now).await?);
    }
    if promoted.iter().any(|p| p.role.is_going()) {
        outbox::participants_changed(ctx, conn, now, event).await?;
    }
    Ok(promoted)
}

async fn promote(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    waiting: participant::Model,
    now: DateTime<Utc>,
) -> Result<participant::Model> {
    let role = policy::role_on_join(event.join_options);
    let mut active: participant::ActiveModel = waiting.into();
    active.role = Set(role);
    active.waitlist_rank = Set(None);
    active.updated_at = Set(now);
    let participant = active.update(conn).await?;
    match role {
        ParticipantRole::Participant => {
            notices::queue_to_participant(
                ctx,
                conn,
                event,
                &participant,
                notices::Notice::Promoted,
                now,
            )
            .await?;
            reminders::plan(ctx, conn, event, &participant).await?;
            let person = crate::actors::find(conn, participant.actor_id).await?;
            if !person.is_local() && participant.email.is_none() {
                let answer = Happened::ParticipationAnswered {
                    participant_id: participant.id,
                };
                outbox::record(ctx, conn, now, answer).await?;
            }
        }
        _ => {
            notices::queue_to_participant(
                ctx,
                conn,
                event,
                &participant,
                notices::Notice::Pending,
                now,
            )
            .await?;
            notices::queue_pending_for_organizers(ctx, conn, event, now).await?;
        }
    }
    tracing::info!(
        event_id = event.id,
        participant_id = participant.id,
        role = ?role,
        "promoted from the waitlist"
    );
    Ok(participant)
}

/// Where the user behind `principal` stands in the event's line, if one of their identities
/// waits there (the first place when several do).
pub async fn position_of(
    conn: &impl ConnectionTrait,
    principal: &crate::principal::Principal,
    event_id: i64,
) -> Result<Option<u64>> {
    let Some(user) = principal.user() else {
        return Ok(None);
    };
    let identities: Vec<i64> = crate::actors::persons::of_user::identities(conn, user.id)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let first = participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::ActorId.is_in(identities))
        .filter(participant::Column::Email.is_null())
        .filter(participant::Column::Role.eq(ParticipantRole::Waitlisted))
        .order_by_asc(participant::Column::WaitlistRank)
        .one(conn)
        .await?;
    match first {
        Some(waiting) => position(conn, &waiting).await,
        None => Ok(None),
    }
}
