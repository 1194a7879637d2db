//! `/admin/log`: the action log, newest first: who did what, on what, when, and why.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::pagination::Page;
use entity::action_log::{ActionLogAction, ObjectKind};
use serde::Deserialize;

use super::super::i18n::t;
use super::super::{Frame, Visitor, render};
use super::{Nav, Section, administrator, refused, when};
use crate::state::AppState;

const PER_PAGE: i64 = 30;

#[derive(Deserialize)]
pub struct LogQuery {
    page: Option<i64>,
}

struct Entry {
    when: String,
    who: String,
    what: String,
    /// The object's label, and where to see it while it exists.
    object: String,
    link: Option<String>,
    reason: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_log.html")]
struct LogPage {
    frame: Frame,
    nav: Nav,
    entries: Vec<Entry>,
    previous: Option<String>,
    next: Option<String>,
}

/// The words' key of an action.
fn action_key(action: ActionLogAction) -> &'static str {
    match action {
        ActionLogAction::ReportUpdateClosed => "admin-action-report-closed",
        ActionLogAction::ReportUpdateOpened => "admin-action-report-opened",
        ActionLogAction::ReportUpdateResolved => "admin-action-report-resolved",
        ActionLogAction::NoteCreation => "admin-action-note-created",
        ActionLogAction::NoteDeletion => "admin-action-note-deleted",
        ActionLogAction::EventDeletion => "admin-action-event-deleted",
        ActionLogAction::CommentDeletion => "admin-action-comment-deleted",
        ActionLogAction::EventUpdate => "admin-action-event-updated",
        ActionLogAction::ActorSuspension => "admin-action-suspended",
        ActionLogAction::ActorUnsuspension => "admin-action-unsuspended",
        ActionLogAction::UserDeletion => "admin-action-user-deleted",
        ActionLogAction::UserRoleChange => "admin-action-user-role-changed",
        ActionLogAction::UserEmailChange => "admin-action-user-email-changed",
        ActionLogAction::UserConfirmation => "admin-action-user-confirmed",
        ActionLogAction::UserDisabling => "admin-action-user-disabled",
        ActionLogAction::UserEnabling => "admin-action-user-enabled",
        ActionLogAction::UserApproval => "admin-action-user-approved",
        ActionLogAction::InvitationCreation => "admin-action-invitation-created",
        ActionLogAction::RegistrationRulesChange => "admin-action-registration-changed",
        ActionLogAction::JobRetry => "admin-action-job-retried",
        ActionLogAction::InstanceSettingsChange => "admin-action-settings-changed",
        ActionLogAction::DomainBlocking => "admin-action-domain-blocked",
        ActionLogAction::DomainUnblocking => "admin-action-domain-unblocked",
        ActionLogAction::InstanceFollowing => "admin-action-instance-followed",
        ActionLogAction::InstanceUnfollowing => "admin-action-instance-unfollowed",
        ActionLogAction::InstanceFollowAcceptance => "admin-action-instance-follow-accepted",
        ActionLogAction::InstanceFollowRejection => "admin-action-instance-follow-refused",
        ActionLogAction::InstanceFollowerRemoval => "admin-action-instance-follower-removed",
    }
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<LogQuery>,
) -> Response {
    let locale = visitor.locale;
    let db = &state.ctx.db;
    let principal = visitor.principal();
    let result = async {
        let page = Page::new(query.page, Some(PER_PAGE))?;
        let log = backend::action_log::list(db, &principal, page).await?;
        let ids: Vec<i64> = log.elements.iter().filter_map(|e| e.actor_id).collect();
        let actors = backend::actors::find_many(db, &ids).await?;
        Ok::<_, backend::Error>((page, log, actors))
    }
    .await;
    let (page, log, actors) = match result {
        Ok(found) => found,
        Err(err) => return refused(visitor, "/admin/log", &err),
    };
    let entries = log
        .elements
        .iter()
        .map(|e| Entry {
            when: when(&visitor, e.created_at),
            who: e.actor_id.and_then(|id| actors.get(&id)).map_or_else(
                || t(locale, "admin-log-instance"),
                backend::actors::display_name,
            ),
            what: t(locale, action_key(e.action)),
            object: e.object_label.clone(),
            link: match (e.object_kind, e.object_id) {
                (ObjectKind::Report, Some(id)) => Some(format!("/admin/reports/{id}")),
                (ObjectKind::Actor, Some(_)) => Some(format!("/admin/profiles/{}", e.object_label)),
                (ObjectKind::Instance, Some(_)) => Some("/admin/instances".to_owned()),
                _ => None,
            },
            reason: e.reason.clone(),
        })
        .collect();
    let link = |n: u64| format!("/admin/log?page={n}");
    let view = LogPage {
        frame: Frame {
            title: t(locale, "admin-log-title"),
            visitor: visitor.clone(),
            notice: None,
        },
        nav: Nav::new(locale, Section::Log, administrator(&visitor)),
        entries,
        previous: (page.page > 1).then(|| link(page.page - 1)),
        next: (page.offset() + page.limit < log.total).then(|| link(page.page + 1)),
    };
    render(&visitor, StatusCode::OK, &view)
}
