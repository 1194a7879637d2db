//! What joining and leaving share (seats, new rows, what follows an RSVP), confirming
//! participations by email, and organizers' decisions. Every path that adds a participant
//! locks the event row first, so the capacity check and the insert cannot race (SQLite write
//! transactions already exclude each other).

use chrono::{DateTime, Utc};
use entity::event;
use entity::participant::{self, ParticipantRole};
use sea_orm::QueryTrait as _;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set,
};

use super::{join_facts, notices, policy, reminders, waitlist};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::users::tokens::{hash_token, random_token};

const MAX_MESSAGE_CHARS: usize = 2000;

pub(super) fn message(raw: Option<&str>) -> Result<Option<String>> {
    crate::actors::username::optional_text(raw, "message", MAX_MESSAGE_CHARS)
}

/// Participants holding a seat.
async fn seats_taken(conn: &impl ConnectionTrait, event_id: i64) -> Result<u64> {
    Ok(participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.eq(ParticipantRole::Participant))
        .count(conn)
        .await?)
}

/// `Full` when every seat is taken.
async fn seat_refusal(
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<Option<policy::Refusal>> {
    let full = policy::is_full(
        event.maximum_attendee_capacity,
        seats_taken(conn, event.id).await?,
    );
    Ok(full.then_some(policy::Refusal::Full))
}

async fn check_seat(conn: &impl ConnectionTrait, event: &event::Model) -> Result<()> {
    match seat_refusal(conn, event).await? {
        Some(refusal) => Err(refusal.into()),
        None => Ok(()),
    }
}

/// Loads and locks the event, checking that `principal` may see it and that it takes people.
async fn joinable_event(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    principal: &Principal,
    event_id: i64,
) -> Result<event::Model> {
    lock_row(conn, "events", event_id).await?;
    let event = crate::events::find(conn, event_id).await?;
    let access = crate::events::access(conn, principal, &event).await?;
    if !crate::events::policy::can_view(crate::events::facts(&event), access) {
        return Err(Error::not_found("event"));
    }
    if let Some(refusal) = policy::refusal(join_facts(&event, ctx.now())) {
        return Err(refusal.into());
    }
    Ok(event)
}

pub(super) fn already_joined() -> Error {
    Error::conflict("eventId", "you already take part in this event")
}

pub(super) fn new_row(
    event_id: i64,
    actor_id: i64,
    role: ParticipantRole,
    message: Option<String>,
    now: DateTime<Utc>,
) -> participant::ActiveModel {
    participant::ActiveModel {
        id: NotSet,
        event_id: Set(event_id),
        actor_id: Set(actor_id),
        role: Set(role),
        message: Set(message),
        ap_id: Set(None),
        email: Set(None),
        locale: Set(None),
        timezone: Set(None),
        confirmation_token_hash: Set(None),
        cancellation_token_hash: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        waitlist_rank: Set(None),
    }
}

/// What follows a confirmed RSVP: mail, reminders, or the organizers' attention.
pub(super) async fn after_join(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    participant: &participant::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    match participant.role {
        ParticipantRole::Participant => {
            notices::queue_to_participant(
                ctx,
                conn,
                event,
                participant,
                notices::Notice::Confirmed,
                now,
            )
            .await?;
            reminders::plan(ctx, conn, event, participant).await?;
        }
        ParticipantRole::NotApproved => {
            notices::queue_to_participant(
                ctx,
                conn,
                event,
                participant,
                notices::Notice::Pending,
                now,
            )
            .await?;
            notices::queue_pending_for_organizers(ctx, conn, event, now).await?;
        }
        ParticipantRole::Waitlisted => {
            notices::queue_to_participant(
                ctx,
                conn,
                event,
                participant,
                notices::Notice::Waitlisted,
                now,
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

/// The anonymous participant followed the mail's link: they join (or ask to) for real.
pub async fn confirm(ctx: &AppContext, token: &str) -> Result<participant::Model> {
    let tx = begin_write(ctx).await?;
    let pending = participant::Entity::find()
        .filter(participant::Column::ConfirmationTokenHash.eq(hash_token(token.trim())))
        .one(&tx)
        .await?
        .ok_or_else(|| {
            Error::rule(
                "invalid_token",
                "this confirmation link is not valid (any more)",
            )
        })?;
    let event = joinable_event(ctx, &tx, &Principal::Anonymous, pending.event_id).await?;
    let role = waitlist::role_for_newcomer(&tx, &event).await??;
    let now = ctx.now();
    let (cancel_token, cancel_hash) = random_token();
    let mut active: participant::ActiveModel = pending.into();
    if role == ParticipantRole::Waitlisted {
        active.waitlist_rank = Set(Some(waitlist::next_rank(&tx, event.id).await?));
    }
    active.role = Set(role);
    active.confirmation_token_hash = Set(None);
    active.cancellation_token_hash = Set(Some(cancel_hash));
    active.updated_at = Set(now);
    let participant = active.update(&tx).await?;
    after_join_anonymous(ctx, &tx, &event, &participant, &cancel_token, now).await?;
    tx.commit().await?;
    Ok(participant)
}

async fn after_join_anonymous(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    participant: &participant::Model,
    cancel_token: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let notice = match participant.role {
        ParticipantRole::NotApproved => {
            notices::queue_pending_for_organizers(ctx, conn, event, now).await?;
            notices::Notice::Pending
        }
        ParticipantRole::Waitlisted => notices::Notice::Waitlisted,
        _ => notices::Notice::Confirmed,
    };
    notices::queue_to_anonymous(ctx, conn, event, participant, notice, cancel_token, now).await
}

pub(super) async fn remove(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    participant: &participant::Model,
) -> Result<()> {
    reminders::cancel_for_participant(conn, participant, ctx.now()).await?;
    participant::Entity::delete_by_id(participant.id)
        .exec(conn)
        .await?;
    tracing::info!(
        event_id = participant.event_id,
        participant_id = participant.id,
        "left event"
    );
    Ok(())
}

/// Organizers decide on a participation: approve, decline or promote (Mobilizon's
/// `updateParticipation`). For a local person's join of another instance's event, the
/// decision is that event's organizer's or group's, arriving as `Accept` or `Reject`; an
/// answer sent again changes nothing.
pub async fn decide(
    ctx: &AppContext,
    principal: &Principal,
    participant_id: i64,
    role: ParticipantRole,
) -> Result<participant::Model> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    let before = super::find(&tx, participant_id).await?;
    lock_row(&tx, "events", before.event_id).await?;
    let event = crate::events::find(&tx, before.event_id).await?;
    if let Principal::Remote { actor_id, .. } = principal {
        let owners = policy::Owners {
            local: event.local,
            organizer_id: event.organizer_actor_id,
            group_id: event.attributed_to_id,
        };
        if !policy::may_answer_join(owners, *actor_id) {
            return Err(Error::forbidden(
                "only the event's organizer or group answers a join",
            ));
        }
        if before.role == role {
            return Ok(before);
        }
    } else {
        let access = crate::events::access(&tx, principal, &event).await?;
        let facts = crate::events::facts(&event);
        if !crate::events::policy::can_view(facts, access) {
            return Err(Error::not_found("participation"));
        }
        if !crate::events::policy::can_manage_participants(facts, access) {
            return Err(Error::forbidden(
                "only the organizer and the group's moderators decide on participations",
            ));
        }
        if !policy::can_change_role(before.role, role) {
            return Err(Error::rule(
                "role_change_not_allowed",
                format!(
                    "a participation cannot go from {:?} to {:?}",
                    before.role, role
                )
                .to_lowercase(),
            ));
        }
    }
    let now = ctx.now();
    // Only the instance that runs the event counts its seats.
    if event.local && role == ParticipantRole::Participant {
        if let Some(refusal) = policy::refusal(join_facts(&event, now)) {
            return Err(refusal.into());
        }
        check_seat(&tx, &event).await?;
    }
    let was_going = before.role.is_going();
    let mut active: participant::ActiveModel = before.clone().into();
    active.role = Set(role);
    active.waitlist_rank = Set(None);
    active.updated_at = Set(now);
    let participant = active.update(&tx).await?;
    match role {
        ParticipantRole::Participant if !was_going => {
            notices::queue_to_participant(
                ctx,
                &tx,
                &event,
                &participant,
                notices::Notice::Approved,
                now,
            )
            .await?;
            reminders::plan(ctx, &tx, &event, &participant).await?;
        }
        ParticipantRole::Rejected => {
            notices::queue_to_participant(
                ctx,
                &tx,
                &event,
                &participant,
                notices::Notice::Rejected,
                now,
            )
            .await?;
            reminders::cancel_for_participant(&tx, &participant, now).await?;
        }
        _ => {}
    }
    // A remote participant hears the decision through its instance.
    let person = crate::actors::find(&tx, participant.actor_id).await?;
    if !person.is_local()
        && matches!(
            role,
            ParticipantRole::Participant | ParticipantRole::Rejected
        )
    {
        let answer = crate::outbox::Happened::ParticipationAnswered { participant_id };
        crate::outbox::record(ctx, &tx, now, answer).await?;
    }
    if was_going != participant.role.is_going() {
        crate::outbox::participants_changed(ctx, &tx, now, &event).await?;
    }
    // A decline (or a participant made organizer) may free a seat for the next in line.
    waitlist::fill_free_seats(ctx, &tx, &event, now).await?;
    tx.commit().await?;
    tracing::info!(event_id = event.id, participant_id, role = ?role, "participation updated");
    Ok(participant)
}

/// Anonymous participations are kept only as long as needed: a week after their event.
pub async fn purge_anonymous(ctx: &AppContext) -> Result<u64> {
    let cutoff = ctx.now() - chrono::Duration::days(7);
    let over = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .filter(event::Column::BeginsOn.lt(cutoff))
        .filter(
            sea_orm::Condition::any()
                .add(event::Column::EndsOn.is_null())
                .add(event::Column::EndsOn.lt(cutoff)),
        )
        .into_query();
    let result = participant::Entity::delete_many()
        .filter(participant::Column::Email.is_not_null())
        .filter(participant::Column::EventId.in_subquery(over))
        .exec(&ctx.db)
        .await?;
    Ok(result.rows_affected)
}

/// Removes the email addresses of anonymous participants once their event is well over.
pub struct PurgeAnonymousJob;

#[async_trait::async_trait]
impl crate::jobs::JobHandler for PurgeAnonymousJob {
    fn kind(&self) -> &'static str {
        "participations.purge_anonymous"
    }

    fn every(&self) -> Option<std::time::Duration> {
        Some(std::time::Duration::from_secs(24 * 3600))
    }

    async fn run(
        &self,
        ctx: &AppContext,
        _job: &crate::jobs::Job,
    ) -> Result<(), crate::jobs::JobError> {
        let purged = purge_anonymous(ctx).await?;
        tracing::info!(purged, "anonymous participations of past events removed");
        Ok(())
    }
}
