//! An event's participants, for its organizers, and their decisions on requests to take
//! part. Which decisions are offered is the backend's policy.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::events;
use backend::participations::policy::decisions;
use entity::participant::ParticipantRole;
use serde::Deserialize;

use crate::pages::form::Form;
use crate::pages::i18n::t;
use crate::pages::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{uuid}/participants", get(participants))
        .route("/events/{uuid}/participants/{id}", post(decide))
}

pub struct ParticipantRow {
    id: i64,
    name: String,
    role: String,
    message: Option<String>,
    /// Can be let in, as `participations::policy` says (someone waiting or declined).
    approvable: bool,
    /// Can be declined, as the policy says (someone waiting or going).
    rejectable: bool,
}

#[derive(Template)]
#[template(path = "participants.html")]
struct ParticipantsPage {
    frame: Frame,
    uuid: String,
    event_title: String,
    rows: Vec<ParticipantRow>,
}

/// What was just decided, said above the list (`?done=approved`).
#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn participants(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    Query(done): Query<Done>,
) -> Response {
    let locale = visitor.locale;
    let result = async {
        let principal = visitor.principal();
        let event = events::find_visible(&state.ctx.db, &principal, &uuid).await?;
        let list = backend::participations::list(
            &state.ctx.db,
            &principal,
            &event,
            &[],
            backend::pagination::Page::all(),
        )
        .await?;
        let actor_ids: Vec<i64> = list.elements.iter().map(|p| p.actor_id).collect();
        let actors = backend::actors::find_many(&state.ctx.db, &actor_ids).await?;
        let rows = list
            .elements
            .into_iter()
            .map(|p| ParticipantRow {
                id: p.id,
                name: actors
                    .get(&p.actor_id)
                    .map(|a| {
                        if p.email.is_some() {
                            // Anonymous participants are shown without their address, as
                            // such in the reader's words (the shared actor is named in English).
                            t(locale, "participant-anonymous")
                        } else {
                            format!(
                                "{} (@{})",
                                backend::actors::display_name(a),
                                backend::actors::handle(a)
                            )
                        }
                    })
                    .unwrap_or_default(),
                role: t(
                    locale,
                    &format!("role-{}", sea_orm::ActiveEnum::to_value(&p.role)),
                ),
                message: p.message.clone(),
                approvable: decisions(p.role).approve,
                rejectable: decisions(p.role).reject,
            })
            .collect();
        Ok::<_, backend::Error>((event, rows))
    }
    .await;
    match result {
        Ok((event, rows)) => {
            let page = ParticipantsPage {
                frame: Frame {
                    title: t(locale, "participants-title"),
                    visitor: visitor.clone(),
                    notice: match done.done.as_deref() {
                        Some("approved") => Some(t(locale, "done-approved")),
                        Some("declined") => Some(t(locale, "done-declined")),
                        _ => None,
                    },
                },
                uuid: event.uuid.clone(),
                event_title: event.title,
                rows,
            };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct DecisionForm {
    role: String,
}

pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((uuid, id)): Path<(String, i64)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let role = match form.role.as_str() {
        "participant" => ParticipantRole::Participant,
        "rejected" => ParticipantRole::Rejected,
        _ => {
            return error_page(
                visitor,
                &backend::Error::invalid("role", "expected participant or rejected"),
            );
        }
    };
    match backend::participations::decide(&state.ctx, &visitor.principal(), id, role).await {
        Ok(_) => {
            let done = if role == ParticipantRole::Participant {
                "approved"
            } else {
                "declined"
            };
            see_other(
                &visitor,
                &format!("/events/{uuid}/participants?done={done}"),
            )
        }
        Err(err) => error_page(visitor, &err),
    }
}
