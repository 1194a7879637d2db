//! "Write to participants", for those who run an event: a form (who: everyone, those going,
//! those waiting, those declined; the text), then a confirmation saying how many people get
//! it, then the message goes (`backend::conversations::send_to_participants`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::conversations::{self, NewMessage};
use backend::events;
use entity::participant::ParticipantRole;
use serde::Deserialize;

use super::comments::paragraphs;
use super::form::Form;
use super::i18n::{count, t};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/events/{uuid}/write", get(form).post(send))
}

/// Whom the organizers write to, as the form names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    All,
    Going,
    Waiting,
    Declined,
}

impl Audience {
    const ALL: [Audience; 4] = [
        Audience::All,
        Audience::Going,
        Audience::Waiting,
        Audience::Declined,
    ];

    fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.value() == value)
    }

    fn value(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Going => "going",
            Audience::Waiting => "waiting",
            Audience::Declined => "declined",
        }
    }

    /// The roles written to (none: everyone, as Mobilizon's `roles`).
    fn roles(self) -> Vec<ParticipantRole> {
        match self {
            Audience::All => Vec::new(),
            Audience::Going => vec![
                ParticipantRole::Participant,
                ParticipantRole::Moderator,
                ParticipantRole::Administrator,
            ],
            Audience::Waiting => vec![ParticipantRole::NotApproved, ParticipantRole::Waitlisted],
            Audience::Declined => vec![ParticipantRole::Rejected],
        }
    }
}

pub struct Choice {
    value: &'static str,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "write_participants.html")]
struct WritePage {
    frame: Frame,
    uuid: String,
    event_title: String,
    choices: Vec<Choice>,
    text: String,
    /// Set on the confirmation step: how many people get it, said before sending.
    confirm: Option<String>,
    problem: Option<String>,
}

fn page(
    visitor: &Visitor,
    event: entity::event::Model,
    audience: Audience,
    text: String,
    confirm: Option<String>,
    problem: Option<String>,
) -> WritePage {
    let locale = visitor.locale;
    WritePage {
        frame: Frame {
            title: t(locale, "write-title"),
            visitor: visitor.clone(),
            notice: None,
        },
        uuid: event.uuid,
        event_title: event.title,
        choices: Audience::ALL
            .into_iter()
            .map(|a| Choice {
                value: a.value(),
                label: t(locale, &format!("write-to-{}", a.value())),
                checked: a == audience,
            })
            .collect(),
        text,
        confirm,
        problem,
    }
}

pub async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/events/{uuid}/write"));
    }
    let principal = visitor.principal();
    let result = async {
        let event = events::find_visible(&state.ctx.db, &principal, &uuid).await?;
        // Only those who run the event see the form (the count checks it).
        conversations::count_recipients(&state.ctx.db, &principal, &event, &[]).await?;
        Ok::<_, backend::Error>(event)
    }
    .await;
    match result {
        Ok(event) => {
            let page = page(&visitor, event, Audience::Going, String::new(), None, None);
            render(&visitor, StatusCode::OK, &page)
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct WriteForm {
    #[serde(default)]
    audience: String,
    #[serde(default)]
    text: String,
    /// Present once the organizer saw how many people get it.
    #[serde(default)]
    confirmed: String,
}

pub async fn send(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    Form(form): Form<WriteForm>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/events/{uuid}/write"));
    }
    let locale = visitor.locale;
    let principal = visitor.principal();
    let audience = Audience::parse(&form.audience).unwrap_or(Audience::Going);
    let event = match events::find_visible(&state.ctx.db, &principal, &uuid).await {
        Ok(event) => event,
        Err(err) => return error_page(visitor, &err),
    };
    let roles = audience.roles();
    let reached =
        match conversations::count_recipients(&state.ctx.db, &principal, &event, &roles).await {
            Ok(n) => n as u64,
            Err(err) => return error_page(visitor, &err),
        };
    let problem = if form.text.trim().is_empty() {
        Some(t(locale, "write-problem-empty"))
    } else if reached == 0 {
        Some(t(locale, "write-problem-nobody"))
    } else {
        None
    };
    if problem.is_some() || form.confirmed != "yes" {
        let confirm = problem
            .is_none()
            .then(|| count(locale, "write-confirm", reached));
        let page = page(&visitor, event, audience, form.text, confirm, problem);
        return render(&visitor, StatusCode::OK, &page);
    }
    let new = NewMessage {
        event_id: event.id,
        sender: None,
        roles,
        text: paragraphs(&form.text),
        language: Some(locale.code().to_owned()),
    };
    match conversations::send_to_participants(&state.ctx, &principal, new).await {
        Ok(sent) => see_other(
            &visitor,
            &format!("/messages?sent={}", sent.conversations.len()),
        ),
        Err(err) => error_page(visitor, &err),
    }
}
