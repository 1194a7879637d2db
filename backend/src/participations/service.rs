//! Joining and leaving events, confirming anonymous participations, and organizers' decisions.
//! Every path that adds a participant locks the event row first, so the capacity check and the
//! insert cannot race (SQLite write transactions already exclude each other).

use chrono::{DateTime, Utc};
use entity::event;
use entity::participant::{self, ParticipantRole};
use sea_orm::QueryTrait as _;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set,
};

use super::{notices, policy, reminders};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result, conflict_on_unique};
use crate::i18n::Locale;
use crate::principal::Principal;
use crate::rate_limits::{self, Client};
use crate::users::tokens::{hash_token, random_token};

const MAX_MESSAGE_CHARS: usize = 2000;

/// A logged-in person's RSVP.
#[derive(Debug, Clone, Default)]
pub struct JoinRequest {
    pub event_id: i64,
    /// One of the caller's identities; their default one when absent.
    pub actor_id: Option<i64>,
    pub message: Option<String>,
}

/// An RSVP by email, without an account.
#[derive(Debug, Clone, Default)]
pub struct AnonymousJoin {
    pub event_id: i64,
    pub email: String,
    pub message: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<String>,
}

pub(super) fn message(raw: Option<&str>) -> Result<Option<String>> {
    crate::actors::username::optional_text(raw, "message", MAX_MESSAGE_CHARS)
}

pub(super) fn join_facts(event: &event::Model, now: DateTime<Utc>) -> policy::JoinFacts {
    policy::JoinFacts {
        join_options: event.join_options,
        status: event.status,
        over: crate::events::is_over(event, now),
        draft: event.draft,
    }
}

/// Participants holding a seat.
async fn seats_taken(conn: &impl ConnectionTrait, event_id: i64) -> Result<u64> {
    Ok(participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.eq(ParticipantRole::Participant))
        .count(conn)
        .await?)
}

pub(super) async fn check_seat(conn: &impl ConnectionTrait, event: &event::Model) -> Result<()> {
    if policy::is_full(
        event.maximum_attendee_capacity,
        seats_taken(conn, event.id).await?,
    ) {
        return Err(policy::event_full());
    }
    Ok(())
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
        return Err(refusal);
    }
    Ok(event)
}

fn already_joined() -> Error {
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
    }
}

/// A local person RSVPs: a participant at once on free events, a request on restricted ones.
pub async fn join(
    ctx: &AppContext,
    principal: &Principal,
    request: JoinRequest,
) -> Result<participant::Model> {
    let Principal::User(user) = principal else {
        return Err(Error::Unauthenticated);
    };
    let message = message(request.message.as_deref())?;
    let tx = begin_write(ctx).await?;
    let actor = crate::actors::persons::acting_as(&tx, user, request.actor_id).await?;
    let event = joinable_event(ctx, &tx, principal, request.event_id).await?;
    if super::of_actor(&tx, event.id, actor.id).await?.is_some() {
        return Err(already_joined());
    }
    let now = ctx.now();
    if !event.local {
        // The event's instance decides (seats, approval): pending until its `Accept`.
        let mut row = new_row(
            event.id,
            actor.id,
            ParticipantRole::NotApproved,
            message,
            now,
        );
        row.ap_id = Set(Some(format!(
            "{}#joins/{}",
            actor.ap_id,
            uuid::Uuid::new_v4()
        )));
        let participant = participant::Entity::insert(row)
            .exec_with_returning(&tx)
            .await
            .map_err(|e| conflict_on_unique(e, "eventId", "you already take part in this event"))?;
        let join = crate::outbox::Happened::JoinRequested {
            participant_id: participant.id,
        };
        crate::outbox::record(ctx, &tx, now, join).await?;
        tx.commit().await?;
        ctx.wake_workers();
        tracing::info!(
            event_id = event.id,
            participant_id = participant.id,
            "asked to join a remote event"
        );
        return Ok(participant);
    }
    check_seat(&tx, &event).await?;
    let role = policy::role_on_join(event.join_options);
    let participant = participant::Entity::insert(new_row(event.id, actor.id, role, message, now))
        .exec_with_returning(&tx)
        .await
        .map_err(|e| conflict_on_unique(e, "eventId", "you already take part in this event"))?;
    after_join(ctx, &tx, &event, &participant, now).await?;
    if role.is_going() {
        crate::outbox::participants_changed(ctx, &tx, now, &event).await?;
    }
    tx.commit().await?;
    ctx.wake_workers();
    tracing::info!(event_id = event.id, participant_id = participant.id, role = ?role, "joined event");
    Ok(participant)
}

/// What follows a confirmed RSVP: mail, reminders, or the organizers' attention.
async fn after_join(
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
        _ => {}
    }
    Ok(())
}

/// RSVP by email, when the event allows it: the participation waits for the link in the
/// confirmation mail.
pub async fn join_anonymous(
    ctx: &AppContext,
    client: &Client,
    request: AnonymousJoin,
) -> Result<participant::Model> {
    let email = crate::users::email::normalize(&request.email)?;
    // Each asks for a confirmation mail to an address the caller chose.
    rate_limits::spend_for_client(
        ctx,
        "anonymous_participation.client",
        client,
        ctx.settings.rate_limits.anonymous_participations_per_client,
    )
    .await?;
    rate_limits::spend_mail_to(ctx, &email).await?;
    let message = message(request.message.as_deref())?;
    let locale = request
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_else(|| ctx.default_locale());
    let timezone = match request
        .timezone
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(tz) => Some(
            tz.parse::<chrono_tz::Tz>()
                .map_err(|_| {
                    Error::invalid("timezone", format!("\"{tz}\" is not a time zone name"))
                })?
                .name()
                .to_owned(),
        ),
        None => None,
    };
    let tx = begin_write(ctx).await?;
    let event = joinable_event(ctx, &tx, &Principal::Anonymous, request.event_id).await?;
    // Another instance cannot send mail to someone without an account there or here.
    if !event.local || !event.anonymous_participation {
        return Err(Error::rule(
            "anonymous_participation_disabled",
            "this event only takes participants with an account",
        ));
    }
    let existing = participant::Entity::find()
        .filter(participant::Column::EventId.eq(event.id))
        .filter(participant::Column::Email.eq(email.clone()))
        .one(&tx)
        .await?;
    if existing.is_some() {
        return Err(Error::conflict(
            "email",
            "this email already takes part in this event",
        ));
    }
    check_seat(&tx, &event).await?;
    let anonymous = crate::actors::system::anonymous(&tx).await?;
    let now = ctx.now();
    let (token, token_hash) = random_token();
    let mut row = new_row(
        event.id,
        anonymous.id,
        ParticipantRole::NotConfirmed,
        message,
        now,
    );
    row.email = Set(Some(email));
    row.locale = Set(Some(locale.code().to_owned()));
    row.timezone = Set(timezone);
    row.confirmation_token_hash = Set(Some(token_hash));
    let participant = participant::Entity::insert(row)
        .exec_with_returning(&tx)
        .await
        .map_err(|e| {
            conflict_on_unique(e, "email", "this email already takes part in this event")
        })?;
    notices::queue_anonymous_confirmation(ctx, &tx, &event, &participant, &token, now).await?;
    tx.commit().await?;
    ctx.wake_workers();
    tracing::info!(
        event_id = event.id,
        participant_id = participant.id,
        "anonymous participation waiting for confirmation"
    );
    Ok(participant)
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
    check_seat(&tx, &event).await?;
    let now = ctx.now();
    let (cancel_token, cancel_hash) = random_token();
    let mut active: participant::ActiveModel = pending.into();
    active.role = Set(policy::role_on_join(event.join_options));
    active.confirmation_token_hash = Set(None);
    active.cancellation_token_hash = Set(Some(cancel_hash));
    active.updated_at = Set(now);
    let participant = active.update(&tx).await?;
    after_join_anonymous(ctx, &tx, &event, &participant, &cancel_token, now).await?;
    tx.commit().await?;
    ctx.wake_workers();
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
        _ => notices::Notice::Confirmed,
    };
    notices::queue_to_anonymous(ctx, conn, event, participant, notice, cancel_token, now).await
}

/// A local person leaves. The creator cannot: they cancel or delete the event instead.
pub async fn leave(
    ctx: &AppContext,
    principal: &Principal,
    event_id: i64,
    actor_id: Option<i64>,
) -> Result<participant::Model> {
    let Principal::User(user) = principal else {
        return Err(Error::Unauthenticated);
    };
    let tx = begin_write(ctx).await?;
    let actor = crate::actors::persons::acting_as(&tx, user, actor_id).await?;
    lock_row(&tx, "events", event_id).await?;
    let participant = super::of_actor(&tx, event_id, actor.id)
        .await?
        .ok_or(Error::not_found("participation"))?;
    if participant.role == ParticipantRole::Creator {
        return Err(Error::rule(
            "creator_cannot_leave",
            "the organizer cannot leave their own event: cancel or delete it instead",
        ));
    }
    remove(ctx, &tx, &participant).await?;
    let event = crate::events::find(&tx, event_id).await?;
    if event.local {
        crate::outbox::participants_changed(ctx, &tx, ctx.now(), &event).await?;
    } else if participant.ap_id.is_some() {
        let leave = crate::outbox::Happened::LeaveRequested {
            actor_id: actor.id,
            event_id,
        };
        crate::outbox::record(ctx, &tx, ctx.now(), leave).await?;
    }
    tx.commit().await?;
    ctx.wake_workers();
    Ok(participant)
}

/// An anonymous participant leaves with the link from their mail.
pub async fn leave_by_token(
    ctx: &AppContext,
    event_id: i64,
    token: &str,
) -> Result<participant::Model> {
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
    tx.commit().await?;
    Ok(participant)
}

async fn remove(
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

/// Organizers approve, reject or promote a participant (Mobilizon's `updateParticipation`).
pub async fn update_role(
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
    let now = ctx.now();
    if role == ParticipantRole::Participant {
        if let Some(refusal) = policy::refusal(join_facts(&event, now)) {
            return Err(refusal);
        }
        check_seat(&tx, &event).await?;
    }
    let was_going = before.role.is_going();
    let mut active: participant::ActiveModel = before.clone().into();
    active.role = Set(role);
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
    tx.commit().await?;
    ctx.wake_workers();
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
