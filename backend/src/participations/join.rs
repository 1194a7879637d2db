//! Taking part in an event: one function, whoever asks. A local person RSVPs as one of their
//! identities, a visitor without an account by email (confirmed by a mail's link), a remote
//! person by the `Join` their instance sent. The rules (visibility, refusals, seats, approval)
//! are the same; only who takes part and who hears the outcome differ.

use entity::event;
use entity::participant::{self, ParticipantRole};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::join_facts;
use super::policy::{self, Refusal};
use super::service::{after_join, already_joined, message, new_row};
use super::waitlist;
use crate::context::AppContext;
use crate::db::{WriteTx, begin_write, lock_row};
use crate::error::{Error, Result, conflict_on_unique};
use crate::i18n::Locale;
use crate::outbox::{self, Happened};
use crate::principal::Principal;
use crate::rate_limits::{self, Client};
use crate::users::tokens::random_token;

/// An RSVP, however it arrives.
#[derive(Debug, Clone, Default)]
pub struct JoinRequest {
    pub event_id: i64,
    /// One of the caller's identities; their default one when absent. The instance's
    /// anonymous actor (Mobilizon's clients send it) means: by email.
    pub actor_id: Option<i64>,
    pub message: Option<String>,
    /// Without an account: where the confirmation mail goes, in which language and zone.
    pub email: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<String>,
}

/// What became of an RSVP.
#[derive(Debug, Clone, PartialEq)]
pub enum Joined {
    /// A seat is theirs.
    Going(participant::Model),
    /// Waiting for the organizers, or for the instance that runs the event to answer.
    Pending(participant::Model),
    /// The event is full: in line for a seat (see [`super::waitlist::position`]).
    Waitlisted(participant::Model),
    /// By email: waiting for the link of the confirmation mail.
    AwaitingConfirmation(participant::Model),
    /// The organizers declined this person before (a remote `Join` sent again is answered
    /// again).
    Rejected(participant::Model),
    /// The event does not take them; a remote person's instance is told.
    Refused(Refusal),
}

impl Joined {
    fn of(participant: participant::Model) -> Self {
        match participant.role {
            ParticipantRole::NotConfirmed => Joined::AwaitingConfirmation(participant),
            ParticipantRole::NotApproved => Joined::Pending(participant),
            ParticipantRole::Rejected => Joined::Rejected(participant),
            ParticipantRole::Waitlisted => Joined::Waitlisted(participant),
            _ => Joined::Going(participant),
        }
    }

    /// The participation, or the refusal as the error people here are given.
    pub fn into_participation(self) -> Result<participant::Model> {
        match self {
            Joined::Going(p)
            | Joined::Pending(p)
            | Joined::Waitlisted(p)
            | Joined::AwaitingConfirmation(p)
            | Joined::Rejected(p) => Ok(p),
            Joined::Refused(refusal) => Err(refusal.into()),
        }
    }
}

/// [`join`] the event named `uuid` (pages name events so): whether the person may see it
/// is checked once, by `join`, with the event's row locked.
pub async fn join_event(
    ctx: &AppContext,
    principal: &Principal,
    client: &Client,
    uuid: &str,
    request: JoinRequest,
) -> Result<Joined> {
    let event = crate::events::find_by_uuid(&ctx.db, uuid).await?;
    let request = JoinRequest {
        event_id: event.id,
        ..request
    };
    join(ctx, principal, client, request).await
}

/// Someone RSVPs. Free events take them at once, restricted ones make a request for the
/// organizers, full ones put them on the waitlist (or refuse them when the event keeps none);
/// an event of another instance waits for that instance's answer. Refusals (full,
/// cancelled, past…) are an outcome: for a remote person the answer to send (`Reject`, or
/// `Ignore` for events registering elsewhere) is recorded with it. A remote `Join` sent again
/// is answered again; a local person joining twice is a conflict.
pub async fn join(
    ctx: &AppContext,
    principal: &Principal,
    client: &Client,
    request: JoinRequest,
) -> Result<Joined> {
    if let Some(email) = by_email(ctx, principal, &request).await? {
        return join_by_email(ctx, client, email, request).await;
    }
    principal.require_known()?;
    let message = message(request.message.as_deref())?;
    let tx = begin_write(ctx).await?;
    let person = principal.acting_actor(&tx, request.actor_id).await?;
    let event = visible_event(&tx, principal, request.event_id).await?;
    let now = ctx.now();
    let existing = super::of_actor(&tx, event.id, person.id).await?;
    if let (Some(existing), Principal::Remote { .. }) = (&existing, principal) {
        // Its instance may have missed our answer: it gets it again.
        if existing.role.is_going() || existing.role == ParticipantRole::Rejected {
            let answer = Happened::ParticipationAnswered {
                participant_id: existing.id,
            };
            outbox::record(ctx, &tx, now, answer).await?;
        }
        tx.commit().await?;
        return Ok(Joined::of(existing.clone()));
    }
    if let Some(refusal) = policy::refusal(join_facts(&event, now)) {
        return refused(ctx, tx, principal, &person, &event, refusal).await;
    }
    if existing.is_some() {
        return Err(already_joined());
    }
    if !event.local {
        if !super::origin_takes_rsvps(&tx, &event).await? {
            let refusal = Refusal::OriginTakesNoRsvp;
            return refused(ctx, tx, principal, &person, &event, refusal).await;
        }
        return ask_remote_event(ctx, tx, &person, &event, message).await;
    }
    let role = match waitlist::role_for_newcomer(&tx, &event).await? {
        Ok(role) => role,
        Err(refusal) => return refused(ctx, tx, principal, &person, &event, refusal).await,
    };
    let mut row = new_row(event.id, person.id, role, message, now);
    if role == ParticipantRole::Waitlisted {
        row.waitlist_rank = Set(Some(waitlist::next_rank(&tx, event.id).await?));
    }
    if let Principal::Remote { activity_id, .. } = principal {
        row.ap_id = Set(Some(activity_id.clone()));
    }
    let participant = participant::Entity::insert(row)
        .exec_with_returning(&tx)
        .await
        .map_err(|e| conflict_on_unique(e, "eventId", "you already take part in this event"))?;
    after_join(ctx, &tx, &event, &participant, now).await?;
    if role.is_going() {
        if let Principal::Remote { .. } = principal {
            let answer = Happened::ParticipationAnswered {
                participant_id: participant.id,
            };
            outbox::record(ctx, &tx, now, answer).await?;
        }
        outbox::participants_changed(ctx, &tx, now, &event).await?;
    }
    tx.commit().await?;
    tracing::info!(event_id = event.id, participant_id = participant.id, role = ?role, "joined event");
    Ok(Joined::of(participant))
}

/// The address of an RSVP by email, when the request is one: it names the instance's
/// anonymous actor (Mobilizon's clients do), or it comes from someone without an account who
/// names no identity but gives an address.
async fn by_email(
    ctx: &AppContext,
    principal: &Principal,
    request: &JoinRequest,
) -> Result<Option<String>> {
    let anonymous = match request.actor_id {
        Some(actor_id) => crate::actors::system::anonymous(&ctx.db).await?.id == actor_id,
        None => matches!(principal, Principal::Anonymous) && request.email.is_some(),
    };
    if !anonymous {
        return Ok(None);
    }
    match &request.email {
        Some(email) => Ok(Some(email.clone())),
        None => Err(Error::invalid(
            "email",
            "an email address is needed to take part without an account",
        )),
    }
}

/// The event, locked, if `principal` may see it; `not_found` otherwise. Other instances see
/// the events that federate.
async fn visible_event(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    event_id: i64,
) -> Result<event::Model> {
    lock_row(conn, "events", event_id).await?;
    let event = crate::events::find(conn, event_id).await?;
    let visible = match principal {
        Principal::Remote { .. } => crate::events::policy::federates(&event),
        _ => {
            let access = crate::events::access(conn, principal, &event).await?;
            crate::events::policy::can_view(crate::events::facts(&event), access)
        }
    };
    if !visible {
        return Err(Error::not_found("event"));
    }
    Ok(event)
}

/// The outcome of a refused RSVP. A remote person's instance gets the answer, recorded with
/// the refusal; nothing else is written.
async fn refused(
    ctx: &AppContext,
    tx: WriteTx,
    principal: &Principal,
    person: &entity::actor::Model,
    event: &event::Model,
    refusal: Refusal,
) -> Result<Joined> {
    if let Principal::Remote { activity_id, .. } = principal {
        let answer = Happened::JoinRefused {
            actor_id: person.id,
            event_id: event.id,
            join_ap_id: activity_id.clone(),
            ignore: refusal.is_ignored_elsewhere(),
            reason: refusal.message().to_owned(),
        };
        outbox::record(ctx, &tx, ctx.now(), answer).await?;
        tx.commit().await?;
    }
    tracing::info!(event_id = event.id, code = refusal.code(), "join refused");
    Ok(Joined::Refused(refusal))
}

/// A local person asks to join another instance's event, which decides (seats, approval):
/// pending until its `Accept`.
async fn ask_remote_event(
    ctx: &AppContext,
    tx: WriteTx,
    person: &entity::actor::Model,
    event: &event::Model,
    message: Option<String>,
) -> Result<Joined> {
    let now = ctx.now();
    let mut row = new_row(
        event.id,
        person.id,
        ParticipantRole::NotApproved,
        message,
        now,
    );
    row.ap_id = Set(Some(format!(
        "{}#joins/{}",
        person.ap_id,
        uuid::Uuid::new_v4()
    )));
    let participant = participant::Entity::insert(row)
        .exec_with_returning(&tx)
        .await
        .map_err(|e| conflict_on_unique(e, "eventId", "you already take part in this event"))?;
    let join = Happened::JoinRequested {
        participant_id: participant.id,
    };
    outbox::record(ctx, &tx, now, join).await?;
    tx.commit().await?;
    tracing::info!(
        event_id = event.id,
        participant_id = participant.id,
        "asked to join a remote event"
    );
    Ok(Joined::Pending(participant))
}

/// RSVP by email, when the event allows it: the participation waits for the link in the
/// confirmation mail. Each asks for a mail to an address the caller chose, so it counts
/// against the client's and the address's budgets.
async fn join_by_email(
    ctx: &AppContext,
    client: &Client,
    email: String,
    request: JoinRequest,
) -> Result<Joined> {
    let email = crate::users::email::normalize(&email)?;
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
        .unwrap_or(ctx.default_locale().await?);
    let timezone = timezone(request.timezone.as_deref())?;
    let tx = begin_write(ctx).await?;
    let event = visible_event(&tx, &Principal::Anonymous, request.event_id).await?;
    let now = ctx.now();
    let refusal = policy::refusal(join_facts(&event, now)).or_else(|| {
        (!policy::takes_anonymous_participants(event.local, event.anonymous_participation))
            .then_some(Refusal::AnonymousParticipationDisabled)
    });
    if let Some(refusal) = refusal {
        return Ok(Joined::Refused(refusal));
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
    // A full event with a waitlist puts them in line once they confirm.
    if let Err(refusal) = waitlist::role_for_newcomer(&tx, &event).await? {
        return Ok(Joined::Refused(refusal));
    }
    let anonymous = crate::actors::system::anonymous(&tx).await?;
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
    super::notices::queue_anonymous_confirmation(ctx, &tx, &event, &participant, &token, now)
        .await?;
    tx.commit().await?;
    tracing::info!(
        event_id = event.id,
        participant_id = participant.id,
        "anonymous participation waiting for confirmation"
    );
    Ok(Joined::AwaitingConfirmation(participant))
}

/// A time zone's canonical name, when one is given.
fn timezone(raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim).filter(|t| !t.is_empty()) {
        Some(tz) => Ok(Some(
            tz.parse::<chrono_tz::Tz>()
                .map_err(|_| {
                    Error::invalid("timezone", format!("\"{tz}\" is not a time zone name"))
                })?
                .name()
                .to_owned(),
        )),
        None => Ok(None),
    }
}
