//! `/admin/profiles/{handle}`: a person or group, local (`name`) or remote (`name@domain`), as
//! moderators review it, with suspending (after a confirmation page that asks why) and
//! unsuspending. `backend::actors::suspensions` decides who may, and what a suspension hides.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::actors::suspensions;
use entity::actor::ActorKind;
use serde::Deserialize;

use super::super::confirm::{self, Confirmation};
use super::super::form::{Button, Form};
use super::super::i18n::{count, t, with};
use super::super::{Frame, Visitor, render, see_other};
use super::{Nav, ProfileLink, Section, administrator, refused, when};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ShowQuery {
    /// What was just done, for the notice.
    #[serde(default)]
    done: String,
}

#[derive(Template)]
#[template(path = "admin_profile.html")]
struct ProfilePage {
    frame: Frame,
    nav: Nav,
    p: ProfileLink,
    kind: String,
    summary: String,
    /// Who suspended it and when, while it is.
    suspension: Option<(String, String)>,
    reason: Option<String>,
    open_reports: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(handle): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Response {
    let locale = visitor.locale;
    let db = &state.ctx.db;
    let path = format!("/admin/profiles/{handle}");
    let review = match suspensions::review(db, &visitor.principal(), &handle).await {
        Ok(review) => review,
        Err(err) => return refused(visitor, &path, &err),
    };
    let moderator = match review
        .suspension
        .as_ref()
        .and_then(|s| s.moderator_actor_id)
    {
        Some(id) => match backend::actors::find(db, id).await {
            Ok(found) => Some(backend::actors::display_name(&found)),
            Err(err) => return refused(visitor, &path, &err),
        },
        None => None,
    };
    // "Suspended by Camille", and when.
    let suspension = review.suspension.as_ref().map(|s| {
        let by = match &moderator {
            Some(name) => with(locale, "admin-suspended-by", "moderator", name.clone()),
            None => t(locale, "admin-suspended-by-instance"),
        };
        (by, when(&visitor, s.created_at))
    });
    let notice = match query.done.as_str() {
        "suspended" => Some(t(locale, "admin-notice-suspended")),
        "unsuspended" => Some(t(locale, "admin-notice-unsuspended")),
        _ => None,
    };
    let actor = &review.actor;
    let page = ProfilePage {
        frame: Frame {
            title: backend::actors::display_name(actor),
            visitor: visitor.clone(),
            notice,
        },
        nav: Nav::new(locale, Section::Reports, administrator(&visitor)),
        p: ProfileLink::of(actor),
        kind: t(
            locale,
            match (actor.kind == ActorKind::Group, actor.is_local()) {
                (true, true) => "admin-kind-local-group",
                (true, false) => "admin-kind-remote-group",
                (false, true) => "admin-kind-local-person",
                (false, false) => "admin-kind-remote-person",
            },
        ),
        summary: backend::events::sanitize::plain_text(actor.summary.as_deref().unwrap_or("")),
        suspension,
        reason: review.suspension.and_then(|s| s.reason),
        open_reports: count(locale, "admin-open-reports-about", review.open_reports),
    };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct ConfirmQuery {
    /// The report that led here, to go back to.
    report: Option<i64>,
}

/// "Suspend «name»?", saying what a suspension does, with a field for why.
pub async fn suspend_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(handle): Path<String>,
    Query(query): Query<ConfirmQuery>,
) -> Response {
    let locale = visitor.locale;
    let path = format!("/admin/profiles/{handle}");
    let review = match suspensions::review(&state.ctx.db, &visitor.principal(), &handle).await {
        Ok(review) => review,
        Err(err) => return refused(visitor, &format!("{path}/suspend"), &err),
    };
    let actor = &review.actor;
    let name = backend::actors::display_name(actor);
    let mut consequences = vec![t(locale, "admin-suspend-hides")];
    if actor.user_id.is_some() {
        consequences.push(t(locale, "admin-suspend-account"));
    }
    if !actor.is_local() {
        consequences.push(t(locale, "admin-suspend-remote"));
    }
    consequences.push(t(locale, "admin-suspend-undo"));
    let back = match query.report {
        Some(id) => format!("/admin/reports/{id}"),
        None => path.clone(),
    };
    confirm::page_with_reason(
        visitor,
        Confirmation {
            title: t(locale, "admin-suspend-profile"),
            question: with(locale, "admin-suspend-question", "name", name),
            consequences,
            action: format!("{path}/suspend"),
            confirm: t(locale, "admin-suspend-confirm"),
            back,
            back_label: t(locale, "admin-suspend-back"),
        },
        t(locale, "admin-suspend-reason"),
    )
}

#[derive(Deserialize)]
pub struct SuspendForm {
    #[serde(default)]
    reason: String,
}

pub async fn suspend(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(handle): Path<String>,
    Form(form): Form<SuspendForm>,
) -> Response {
    let principal = visitor.principal();
    let path = format!("/admin/profiles/{handle}");
    let result = async {
        let review = suspensions::review(&state.ctx.db, &principal, &handle).await?;
        let reason = Some(form.reason.as_str());
        suspensions::suspend(&state.ctx, &principal, review.actor.id, reason).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("{path}?done=suspended")),
        Err(err) => refused(visitor, &path, &err),
    }
}

pub async fn unsuspend(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(handle): Path<String>,
    _: Form<Button>,
) -> Response {
    let principal = visitor.principal();
    let path = format!("/admin/profiles/{handle}");
    let result = async {
        let review = suspensions::review(&state.ctx.db, &principal, &handle).await?;
        suspensions::unsuspend(&state.ctx, &principal, review.actor.id).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("{path}?done=unsuspended")),
        Err(err) => refused(visitor, &path, &err),
    }
}
