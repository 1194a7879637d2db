//! Leaving an event: one function, whoever asks. A local person leaves as one of their
//! identities, a participant by email with the link of their mail, a remote person by the
//! `Leave` (or `Undo{Join}`) their instance sent.

use entity::{actor, participant};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::policy;
use super::service::remove;
use super::waitlist;
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::outbox::{self, Happened};
use crate::principal::Principal;
use crate::users::tokens::hash_token;

/// Who leaves which event.
#[derive(Debug, Clone, Default)]
pub struct LeaveRequest {
    pub event_id: i64,
    /// One of the caller's identities; their default one when absent. The instance's
    /// anonymous actor (Mobilizon's clients send it) names no identity.
    pub actor_id: Option<i64>,
    /// The token of the cancellation link mailed to a participant by email.
    pub token: Option<String>,
}

/// What became of a request to leave.
#[derive(Debug, Clone, PartialEq)]
pub enum Left {
    /// The participation is gone.
    Left(Box<participant::Model>),
    /// They took no part (a remote `Leave` sent again: already done).
    NotTakingPart,
}

impl Left {
    /// The participation that went, or `not_found` for people here.
    pub fn into_participation(self) -> Result<participant::Model> {
        match self {
            Left::Left(participant) => Ok(*participant),
            Left::NotTakingPart => Err(Error::not_found("participation")),
        }
    }
}

/// Someone leaves an event (or its waitlist); a freed seat goes to the first in line, in the
/// same transaction (see [`waitlist::fill_free_seats`]). The creator cannot leave (they cancel or
/// delete the event instead). Leaving another instance's event sends it a `Leave`.
pub async fn leave(ctx: &AppContext, principal: &Principal, request: LeaveRequest) -> Result<Left> {
    if let Some(token) = request.token.as_deref() {
        return leave_by_token(ctx, request.event_id, token).await;
    }
    principal.require_known()?;
    let identity = match request.actor_id {
        Some(id) if crate::actors::system::anonymous(&ctx.db).await?.id == id => None,
        other => other,
    };
    let tx = begin_write(ctx).await?;
    let person = principal.acting_actor(&tx, identity).await?;
    lock_row(&tx, "events", request.event_id).await?;
    let Some(participant) = super::of_actor(&tx, request.event_id, person.id).await? else {
        return Ok(Left::NotTakingPart);
    };
    if let Some(refusal) = policy::leave_refusal(participant.role) {
        return Err(refusal);
    }
    withdraw(ctx, &tx, &person, &participant).await?;
    tx.commit().await?;
    Ok(Left::Left(Box::new(participant)))
}

/// What leaving does once allowed, in the caller's transaction (which locked the event row):
/// the row goes, a freed seat goes to the first in line and peers hear the new count, or the
/// other instance whose event it is gets a `Leave`. A suspension withdraws its person this way.
pub(crate) async fn withdraw(
    ctx: &AppContext,
    tx: &impl ConnectionTrait,
    person: &actor::Model,
    participant: &participant::Model,
) -> Result<()> {
    remove(ctx, tx, participant).await?;
    let event = crate::events::find(tx, participant.event_id).await?;
    let now = ctx.now();
    if event.local {
        outbox::participants_changed(ctx, tx, now, &event).await?;
        waitlist::fill_free_seats(ctx, tx, &event, now).await?;
    } else if person.is_local() && participant.ap_id.is_some() {
        let leave = Happened::LeaveRequested {
            actor_id: person.id,
            event_id: event.id,
        };
        outbox::record(ctx, tx, now, leave).await?;
    }
    Ok(())
}

/// A participant by email leaves with the link from their mail.
async fn leave_by_token(ctx: &AppContext, event_id: i64, token: &str) -> Result<Left> {
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "events", event_id).await?;
    let participant = participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::CancellationTokenHash.eq(hash_token(token.trim())))
        .one(&tx)
        .await?
        .ok_or_else(|| {
            Error::rule(
                "invalid_token",
                "this cancellation link is not valid (any more)",
            )
        })?;
    remove(ctx, &tx, &participant).await?;
    let event = crate::events::find(&tx, event_id).await?;
    waitlist::fill_free_seats(ctx, &tx, &event, ctx.now()).await?;
    tx.commit().await?;
    Ok(Left::Left(Box::new(participant)))
}

/// `person` gives up their places in events still to come, as if they had left each (seats
/// freed for those waiting, who are told by mail; a `Leave` to other instances): a moderator
/// suspended them (as Mobilizon removes a suspended profile's participations; their own
/// events stay, hidden with them), or their account is being deleted (before the rows go, so
/// that no seat is freed without the first in line getting it). Returns how many they left.
pub(crate) async fn withdraw_from_upcoming(
    ctx: &AppContext,
    tx: &impl ConnectionTrait,
    person: &actor::Model,
) -> Result<u64> {
    use sea_orm::{QueryOrder, QuerySelect, QueryTrait};
    let upcoming = entity::event::Entity::find()
        .select_only()
        .column(entity::event::Column::Id)
        .filter(entity::event::Column::BeginsOn.gt(ctx.now()))
        .into_query();
    let places = participant::Entity::find()
        .filter(participant::Column::ActorId.eq(person.id))
        .filter(participant::Column::EventId.in_subquery(upcoming))
        .order_by_asc(participant::Column::EventId)
        .all(tx)
        .await?;
    let mut left = 0;
    for participant in places {
        let role = participant.role;
        if role == entity::participant::ParticipantRole::Rejected
            || policy::leave_refusal(role).is_some()
        {
            continue;
        }
        lock_row(tx, "events", participant.event_id).await?;
        withdraw(ctx, tx, person, &participant).await?;
        left += 1;
    }
    Ok(left)
}
