//! What a person takes part in: the links of the mails sent about a participation by email
//! (confirm, cancel), and "my events".

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::message;
use crate::pages::form::{Button, Form};
use crate::pages::i18n::t;
use crate::pages::{Frame, Visitor, error_page, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/events", get(my_events))
        .route(
            "/participation/email/confirm/{token}",
            get(confirm_participation_form).post(confirm_participation),
        )
        .route(
            "/participation/email/cancel/{uuid}/{token}",
            get(cancel_participation_form).post(cancel_participation),
        )
}

pub async fn confirm_participation_form(visitor: Visitor, Path(token): Path<String>) -> Response {
    let locale = visitor.locale;
    message(
        &visitor,
        t(locale, "participation-confirm-title"),
        None,
        Some(format!("/participation/email/confirm/{token}")),
        t(locale, "participation-confirm-submit"),
    )
}

pub async fn confirm_participation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    _: Form<Button>,
) -> Response {
    match backend::participations::service::confirm(&state.ctx, &token).await {
        Ok(p) => {
            let key = if p.role == entity::participant::ParticipantRole::NotApproved {
                "participation-pending"
            } else {
                "participation-confirmed"
            };
            message(
                &visitor,
                t(visitor.locale, "participation-confirm-title"),
                Some(t(visitor.locale, key)),
                None,
                String::new(),
            )
        }
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn cancel_participation_form(
    visitor: Visitor,
    Path((uuid, token)): Path<(String, String)>,
) -> Response {
    let locale = visitor.locale;
    message(
        &visitor,
        t(locale, "participation-cancel-title"),
        None,
        Some(format!("/participation/email/cancel/{uuid}/{token}")),
        t(locale, "participation-cancel-submit"),
    )
}

pub async fn cancel_participation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((uuid, token)): Path<(String, String)>,
    _: Form<Button>,
) -> Response {
    let result = async {
        let event = backend::events::find_by_uuid(&state.ctx.db, &uuid).await?;
        let request = backend::participations::LeaveRequest {
            event_id: event.id,
            actor_id: None,
            token: Some(token.clone()),
        };
        backend::participations::leave(&state.ctx, &visitor.principal(), request)
            .await
            .and_then(backend::participations::Left::into_participation)
    }
    .await;
    match result {
        Ok(_) => message(
            &visitor,
            t(visitor.locale, "participation-cancel-title"),
            Some(t(visitor.locale, "participation-cancelled")),
            None,
            String::new(),
        ),
        Err(err) => error_page(visitor, &err),
    }
}

pub struct MyEventRow {
    url: String,
    title: String,
    when: String,
    status: String,
}

#[derive(Template)]
#[template(path = "my_events.html")]
struct MyEventsPage {
    frame: Frame,
    rows: Vec<MyEventRow>,
}

/// Upcoming participations, with their status.
/// What was just done, said above the list (`?done=deleted`).
#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn my_events(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, "/login?next=/me/events");
    }
    let locale = visitor.locale;
    let notice = match done.done.as_deref() {
        Some("deleted") => Some(t(locale, "done-deleted")),
        _ => None,
    };
    let now = state.ctx.now();
    // Kept for the session while nothing changed in the database (read before it is) and
    // none of the listed events is over; a page asked with a notice is not.
    let key = crate::kept_pages::member_key(state.ctx.changes.generation(), &visitor, "my-events")
        .filter(|_| done.done.is_none());
    if let Some(html) = state.pages.member(key.as_deref(), now) {
        return crate::pages::html_page(
            &visitor,
            StatusCode::OK,
            String::from_utf8_lossy(&html).into_owned(),
        );
    }
    match my_events_page(&state, &visitor, notice, now).await {
        Ok((html, over_at)) => {
            state.pages.keep_member(
                key.as_deref(),
                &axum::body::Bytes::from(html.clone()),
                over_at,
                now,
            );
            crate::pages::html_page(&visitor, StatusCode::OK, html)
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// The page, and when the first of its events is over (it then leaves the list).
async fn my_events_page(
    state: &AppState,
    visitor: &Visitor,
    notice: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> backend::Result<(String, chrono::DateTime<chrono::Utc>)> {
    let locale = visitor.locale;
    let user_id = visitor.session.as_ref().map_or(0, |s| s.user.id);
    let list = backend::participations::of_user(
        &state.ctx.db,
        user_id,
        None,
        Some(now),
        None,
        backend::pagination::Page::new(Some(1), Some(100)).unwrap_or_default(),
    )
    .await?;
    let over_at = list
        .elements
        .iter()
        .map(|(_, e)| backend::events::over_at(e))
        .min()
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
    let rows = list
        .elements
        .into_iter()
        .map(|(p, e)| MyEventRow {
            url: format!("/events/{}", e.uuid),
            title: e.title.clone(),
            when: backend::events::notices::format_when(locale, &e),
            status: t(
                locale,
                &format!("role-{}", sea_orm::ActiveEnum::to_value(&p.role)),
            ),
        })
        .collect();
    let page = MyEventsPage {
        frame: Frame {
            title: t(locale, "my-events-title"),
            visitor: visitor.clone(),
            notice,
        },
        rows,
    };
    let html = page.render().map_err(backend::Error::internal)?;
    Ok((html, over_at))
}
