//! RSVPs, with Mobilizon's names: `joinEvent`, `leaveEvent`, `confirmParticipation`,
//! `updateParticipation`.

use async_graphql::{Context, ID, Object, SimpleObject};
use backend::participations::{self, JoinRequest, Joined, LeaveRequest, Left};
use chrono::{DateTime, Utc};
use entity::participant::{self, ParticipantRole};

use super::errors::{GqlResult, IntoGql};
use super::loaders;
use super::objects::{Actor, Event, PaginatedParticipantList, Participant, Timezone};
use super::{app, parse_id, principal};

#[derive(SimpleObject)]
pub struct ParticipantMetadata {
    message: Option<String>,
    /// Always null: an anonymous participant's cancellation link goes by mail only, since
    /// whoever holds it can cancel.
    cancellation_token: Option<String>,
}

#[Object]
impl Participant {
    async fn id(&self) -> ID {
        ID::from(self.row.id.to_string())
    }

    async fn role(&self) -> ParticipantRole {
        self.row.role
    }

    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Actor> {
        Ok(loaders::actor_required(ctx, self.row.actor_id)
            .await?
            .into())
    }

    async fn event(&self, ctx: &Context<'_>) -> GqlResult<Event> {
        match &self.event {
            Some(event) => Ok(Event(event.clone())),
            None => Ok(Event(
                backend::events::find(&app(ctx)?.db, self.row.event_id)
                    .await
                    .gql()?,
            )),
        }
    }

    async fn metadata(&self) -> ParticipantMetadata {
        ParticipantMetadata {
            message: self.row.message.clone(),
            cancellation_token: None,
        }
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    /// Convive's own: where this participant stands on the event's waitlist while their role
    /// is `WAITLISTED` (1 gets the next free seat); null otherwise.
    async fn waitlist_position(&self, ctx: &Context<'_>) -> GqlResult<Option<u64>> {
        if self.row.role != ParticipantRole::Waitlisted {
            return Ok(None);
        }
        participations::waitlist::position(&app(ctx)?.db, &self.row)
            .await
            .gql()
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
}

#[derive(SimpleObject)]
pub struct DeletedParticipant {
    id: ID,
    event: DeletedEventRef,
    actor: DeletedRef,
}

/// The event a participation was in.
#[derive(SimpleObject)]
pub struct DeletedEventRef {
    id: ID,
    uuid: String,
}

#[derive(SimpleObject)]
pub struct DeletedRef {
    id: ID,
}

fn deleted(row: &participant::Model, event_uuid: String) -> DeletedParticipant {
    DeletedParticipant {
        id: ID::from(row.id.to_string()),
        event: DeletedEventRef {
            id: ID::from(row.event_id.to_string()),
            uuid: event_uuid,
        },
        actor: DeletedRef {
            id: ID::from(row.actor_id.to_string()),
        },
    }
}

#[derive(Default)]
pub struct ParticipationMutation;

#[Object]
impl ParticipationMutation {
    /// RSVP. On a full event with a waitlist the participant comes back `WAITLISTED` with a
    /// `waitlistPosition`. Logged in: as `actorId` (default identity when absent). Without an account, when
    /// the event allows it: with `email` (and `actorId` = the instance's anonymous actor, as
    /// Mobilizon clients send, or none); a confirmation mail follows.
    #[allow(clippy::too_many_arguments)]
    async fn join_event(
        &self,
        ctx: &Context<'_>,
        event_id: ID,
        actor_id: Option<ID>,
        email: Option<String>,
        message: Option<String>,
        locale: Option<String>,
        timezone: Option<Timezone>,
    ) -> GqlResult<Participant> {
        let request = JoinRequest {
            event_id: parse_id(&event_id, "eventId")?,
            actor_id: actor_id.map(|id| parse_id(&id, "actorId")).transpose()?,
            message,
            email,
            locale,
            timezone: timezone.map(|t| t.0).filter(|t| !t.is_empty()),
        };
        let row = participations::join(app(ctx)?, &principal(ctx), &super::client(ctx), request)
            .await
            .and_then(Joined::into_participation)
            .gql()?;
        Ok(Participant::new(row))
    }

    /// Leaves an event: as one of the caller's identities, or with the `token` from the mail
    /// of an anonymous participation.
    async fn leave_event(
        &self,
        ctx: &Context<'_>,
        event_id: ID,
        actor_id: Option<ID>,
        token: Option<String>,
    ) -> GqlResult<DeletedParticipant> {
        let event_id = parse_id(&event_id, "eventId")?;
        // Clients may send an empty token along with an identity.
        let token = token.filter(|t| !t.trim().is_empty());
        let actor_id = match token {
            Some(_) => None,
            None => actor_id.map(|id| parse_id(&id, "actorId")).transpose()?,
        };
        let request = LeaveRequest {
            event_id,
            actor_id,
            token,
        };
        let row = participations::leave(app(ctx)?, &principal(ctx), request)
            .await
            .and_then(Left::into_participation)
            .gql()?;
        let event = backend::events::find(&app(ctx)?.db, row.event_id)
            .await
            .gql()?;
        Ok(deleted(&row, event.uuid))
    }

    /// The link of the anonymous participation mail.
    async fn confirm_participation(
        &self,
        ctx: &Context<'_>,
        confirmation_token: String,
    ) -> GqlResult<Participant> {
        Ok(Participant::new(
            participations::confirm(app(ctx)?, &confirmation_token)
                .await
                .gql()?,
        ))
    }

    /// Approves (`PARTICIPANT`), rejects (`REJECTED`) or promotes a participant.
    async fn update_participation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        role: ParticipantRole,
    ) -> GqlResult<Participant> {
        let id = parse_id(&id, "id")?;
        Ok(Participant::new(
            participations::decide(app(ctx)?, &principal(ctx), id, role)
                .await
                .gql()?,
        ))
    }
}

/// `loggedUser.participations`.
pub async fn of_user(
    ctx: &Context<'_>,
    user_id: i64,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    page: backend::pagination::Page,
) -> GqlResult<PaginatedParticipantList> {
    let list = participations::of_user(&app(ctx)?.db, user_id, None, after, before, page)
        .await
        .gql()?;
    Ok(PaginatedParticipantList {
        total: list.total,
        elements: list
            .elements
            .into_iter()
            .map(|(row, event)| Participant {
                row,
                event: Some(event),
            })
            .collect(),
    })
}
