//! What a visitor can do about an event: the RSVP box of its page (what the backend offers
//! them, in words), and its forms' handlers: join, leave (asked first), join by email.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use backend::events;
use backend::participations::policy::Refusal;
use backend::participations::{self, JoinRequest, Joined, LeaveRequest, Left};
use entity::event;
use entity::participant::ParticipantRole;
use serde::Deserialize;

use super::form::{Button, Form};
use super::i18n::{t, with};
use super::{Visitor, error_page, see_other};
use crate::client::RequestClient;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{uuid}/join", post(join))
        .route("/events/{uuid}/leave", get(leave_confirm).post(leave))
        .route("/events/{uuid}/join-anonymously", post(join_anonymously))
}

#[derive(Default)]
pub struct Rsvp {
    pub(super) state: Option<String>,
    pub(super) closed: Option<String>,
    pub(super) external: Option<String>,
    pub(super) can_join: bool,
    pub(super) can_leave: bool,
    pub(super) restricted: bool,
    /// The organizers' approval is their invitation (Mobilizon's `INVITE`): said so.
    pub(super) on_invitation: bool,
    /// Joining puts them on the waitlist.
    pub(super) waitlist: bool,
    /// They wait in line (the state says where).
    pub(super) waiting: bool,
    pub(super) login_to_join: bool,
    pub(super) anonymous: bool,
}

/// The RSVP box: what the backend offers this visitor (`participations::offer`), in words.
pub(super) fn rsvp_state(
    ctx: &backend::AppContext,
    visitor: &Visitor,
    event: &event::Model,
    role: Option<ParticipantRole>,
    position: Option<u64>,
    stats: &events::ParticipantStats,
    origin_takes_rsvps: bool,
) -> Rsvp {
    let locale = visitor.locale;
    let offer = participations::offer(
        event,
        ctx.now(),
        role,
        stats.participant,
        stats.waitlisted,
        visitor.session.is_some(),
        origin_takes_rsvps,
    );
    let mut rsvp = Rsvp {
        restricted: offer.needs_approval,
        on_invitation: event.join_options == entity::event::JoinOptions::Invite,
        waitlist: offer.joins_waitlist,
        waiting: role == Some(ParticipantRole::Waitlisted),
        can_join: offer.join,
        can_leave: offer.leave,
        login_to_join: offer.log_in_to_join,
        anonymous: offer.join_by_email,
        ..Rsvp::default()
    };
    rsvp.state = role.map(|r| {
        let key = match r {
            ParticipantRole::Creator
            | ParticipantRole::Administrator
            | ParticipantRole::Moderator => "event-you-organize",
            ParticipantRole::Participant => "event-you-going",
            ParticipantRole::NotApproved | ParticipantRole::NotConfirmed => "event-you-pending",
            // Refused by an instance that takes no RSVPs (its 4xx to our `Join`).
            ParticipantRole::Rejected if !origin_takes_rsvps => "event-you-refused-by-its-instance",
            ParticipantRole::Rejected => "event-you-rejected",
            ParticipantRole::Waitlisted => {
                return match position {
                    Some(n) => with(
                        locale,
                        "event-you-waitlisted",
                        "position",
                        backend::i18n::ordinal(locale, n),
                    ),
                    None => t(locale, "event-waitlisted"),
                };
            }
        };
        t(locale, key)
    });
    match offer.closed {
        Some(Refusal::External) => rsvp.external = event.external_participation_url.clone(),
        Some(Refusal::Cancelled) => rsvp.closed = Some(t(locale, "event-cancelled-no-rsvp")),
        Some(Refusal::Past) => rsvp.closed = Some(t(locale, "event-past")),
        Some(Refusal::Full) => rsvp.closed = Some(t(locale, "event-full")),
        Some(Refusal::OriginTakesNoRsvp) => {
            rsvp.closed = Some(t(locale, "event-rsvp-not-federated"));
        }
        Some(other) => rsvp.closed = Some(other.to_string()),
        None => {}
    }
    rsvp
}

#[derive(Deserialize)]
pub struct RsvpForm {
    #[serde(default)]
    message: String,
    #[serde(default)]
    email: String,
}

pub async fn join(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Path(uuid): Path<String>,
    Form(form): Form<RsvpForm>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/events/{uuid}"));
    }
    let principal = visitor.principal();
    let result = async {
        let request = JoinRequest {
            message: Some(form.message.clone()).filter(|m| !m.trim().is_empty()),
            ..JoinRequest::default()
        };
        participations::join_event(&state.ctx, &principal, &client, &uuid, request).await
    }
    .await;
    match result {
        Ok(Joined::Refused(refusal)) => error_page(visitor, &refusal.into()),
        Ok(Joined::Pending(_)) => see_other(&visitor, &format!("/events/{uuid}?done=requested")),
        Ok(Joined::Waitlisted(_)) => {
            see_other(&visitor, &format!("/events/{uuid}?done=waitlisted"))
        }
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}?done=joined")),
        Err(err) => error_page(visitor, &err),
    }
}

/// "Cancel your participation in «Apéro»?", for those who take part or wait.
pub async fn leave_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
) -> Response {
    let locale = visitor.locale;
    let viewed = events::view(&state.ctx.db, &visitor.principal(), &uuid).await;
    let events::Viewed { event, access, .. } = match viewed {
        Ok(viewed) => viewed,
        Err(err) => return error_page(visitor, &err),
    };
    let waiting = match access.participant_role {
        None => return see_other(&visitor, &format!("/events/{uuid}")),
        Some(role) => role == ParticipantRole::Waitlisted,
    };
    let (title, question, consequence, button) = if waiting {
        (
            "event-leave-waitlist",
            "confirm-leave-waitlist-question",
            "confirm-leave-waitlist-place",
            "confirm-leave-waitlist-button",
        )
    } else {
        (
            "event-leave",
            "confirm-leave-question",
            "confirm-leave-seat",
            "confirm-leave-button",
        )
    };
    super::confirm::page(
        visitor,
        super::confirm::Confirmation {
            title: t(locale, title),
            question: with(locale, question, "title", event.title),
            consequences: vec![t(locale, consequence)],
            action: format!("/events/{uuid}/leave"),
            confirm: t(locale, button),
            back: format!("/events/{uuid}"),
            back_label: t(locale, "confirm-back"),
        },
    )
}

pub async fn leave(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    _: Form<Button>,
) -> Response {
    let principal = visitor.principal();
    let result = async {
        let event = events::find_visible(&state.ctx.db, &principal, &uuid).await?;
        let request = LeaveRequest {
            event_id: event.id,
            ..LeaveRequest::default()
        };
        participations::leave(&state.ctx, &principal, request)
            .await
            .and_then(Left::into_participation)
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}?done=left")),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn join_anonymously(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Path(uuid): Path<String>,
    Form(form): Form<RsvpForm>,
) -> Response {
    let anonymous = backend::principal::Principal::Anonymous;
    let result = async {
        let request = JoinRequest {
            email: Some(form.email.clone()),
            message: Some(form.message.clone()).filter(|m| !m.trim().is_empty()),
            locale: Some(visitor.locale.code().to_owned()),
            ..JoinRequest::default()
        };
        participations::join_event(&state.ctx, &anonymous, &client, &uuid, request)
            .await
            .and_then(Joined::into_participation)
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}?done=anonymous")),
        Err(err) => error_page(visitor, &err),
    }
}
