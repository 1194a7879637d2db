//! Ending an event: cancelling it (its participants are told, its page stays) or deleting it.
//! Both ask first, on a page of their own that says what will happen. Who may do either is the
//! backend's policy; these handlers only translate.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use backend::events::{self, EventChanges};
use entity::event::{self, EventStatus};

use super::confirm::{self, Confirmation};
use super::form::{Button, Form};
use super::i18n::{count, t, with};
use super::{Visitor, error_page, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{uuid}/cancel", get(cancel_confirm).post(cancel))
        .route("/events/{uuid}/delete", get(delete_confirm).post(delete))
}

/// What is asked before one way of ending an event: its words' keys and its form's path.
struct Ending {
    /// `cancel` or `delete`: the path's last segment and the middle of the words' keys.
    verb: &'static str,
    title_key: &'static str,
    /// "47 participants will be told", then what becomes of the event.
    told_key: &'static str,
    outcome_key: &'static str,
}

const CANCEL: Ending = Ending {
    verb: "cancel",
    title_key: "form-cancel-event",
    told_key: "confirm-told-of-cancel",
    outcome_key: "confirm-cancel-stays",
};

const DELETE: Ending = Ending {
    verb: "delete",
    title_key: "form-delete-event",
    told_key: "confirm-told-of-delete",
    outcome_key: "confirm-delete-gone",
};

/// "Cancel «Apéro»? 47 participants will be told."
async fn cancel_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
) -> Response {
    ask(&state, visitor, &uuid, &CANCEL).await
}

/// "Delete «Apéro»? 47 participants will be told."
async fn delete_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
) -> Response {
    ask(&state, visitor, &uuid, &DELETE).await
}

async fn ask(state: &AppState, visitor: Visitor, uuid: &str, ending: &Ending) -> Response {
    let locale = visitor.locale;
    match at_stake(state, &visitor, uuid).await {
        Ok((event, told)) => confirm::page(
            visitor,
            Confirmation {
                title: t(locale, ending.title_key),
                question: with(
                    locale,
                    &format!("confirm-{}-question", ending.verb),
                    "title",
                    event.title,
                ),
                consequences: vec![
                    count(locale, ending.told_key, told),
                    t(locale, ending.outcome_key),
                ],
                action: format!("/events/{uuid}/{}", ending.verb),
                confirm: t(locale, &format!("confirm-{}-button", ending.verb)),
                back: format!("/events/{uuid}"),
                back_label: t(locale, "confirm-back"),
            },
        ),
        Err(err) => error_page(visitor, &err),
    }
}

/// The event being cancelled or deleted, if the visitor may edit it, and how many people a
/// change of it is mailed to.
async fn at_stake(
    state: &AppState,
    visitor: &Visitor,
    uuid: &str,
) -> backend::Result<(event::Model, u64)> {
    let event = events::find_editable(&state.ctx.db, &visitor.principal(), uuid).await?;
    let stats = events::participant_stats(&state.ctx.db, &[event.id])
        .await?
        .remove(&event.id)
        .unwrap_or_default();
    Ok((event, events::notices::told_of_changes(&stats)))
}

async fn cancel(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    _: Form<Button>,
) -> Response {
    let result = async {
        // Whether they may see and change it is the update's to say, once.
        let event = events::find_by_uuid(&state.ctx.db, &uuid).await?;
        let changes = EventChanges {
            status: Some(EventStatus::Cancelled),
            ..EventChanges::default()
        };
        events::service::update(&state.ctx, &visitor.principal(), event.id, changes).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}?done=cancelled")),
        Err(err) => error_page(visitor, &err),
    }
}

async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    _: Form<Button>,
) -> Response {
    let result = async {
        // Whether they may see and delete it is the service's to say, once.
        let event = events::find_by_uuid(&state.ctx.db, &uuid).await?;
        events::service::delete(&state.ctx, &visitor.principal(), event.id).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, "/me/events?done=deleted"),
        Err(err) => error_page(visitor, &err),
    }
}
