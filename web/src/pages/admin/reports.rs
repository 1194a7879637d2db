//! `/admin/reports`: reports by status, and one report with what it names, who made it, the
//! moderators' notes, and its settling (resolve, close, open again). Suspending the reported
//! profile is the profiles page's (`super::profiles`), which this page links to.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::i18n::Locale;
use backend::pagination::Page;
use backend::reports::{self, ReportFilter};
use entity::actor::{self, ActorKind};
use entity::report::{self, ReportStatus};
use serde::Deserialize;

use super::super::form::Form;
use super::super::form_problems::Problems;
use super::super::i18n::{count, t, with};
use super::super::{Frame, Visitor, render, see_other};
use super::{Nav, ProfileLink, Section, administrator, refused, when};
use crate::state::AppState;

const PER_PAGE: i64 = 20;

fn status_of(name: &str) -> Option<ReportStatus> {
    match name {
        "" | "open" => Some(ReportStatus::Open),
        "resolved" => Some(ReportStatus::Resolved),
        "closed" => Some(ReportStatus::Closed),
        _ => None,
    }
}

fn status_name(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Open => "open",
        ReportStatus::Resolved => "resolved",
        ReportStatus::Closed => "closed",
    }
}

fn status_words(locale: Locale, status: ReportStatus) -> String {
    t(
        locale,
        &format!("admin-report-status-{}", status_name(status)),
    )
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    page: Option<i64>,
}

/// One line of the list.
struct Line {
    id: i64,
    reported: ProfileLink,
    /// The reason's first words.
    excerpt: String,
    when: String,
}

#[derive(Template)]
#[template(path = "admin_reports.html")]
struct ListPage {
    frame: Frame,
    nav: Nav,
    /// (status, words, current)
    tabs: Vec<(&'static str, String, bool)>,
    total: String,
    lines: Vec<Line>,
    previous: Option<String>,
    next: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ListQuery>,
) -> Response {
    let locale = visitor.locale;
    let Some(status) = status_of(query.status.trim()) else {
        return super::super::error_page(visitor, &backend::Error::invalid("status", "unknown"));
    };
    let principal = visitor.principal();
    let result = async {
        let page = Page::new(query.page, Some(PER_PAGE))?;
        let filter = ReportFilter {
            status: Some(status),
            domain: None,
        };
        let found = reports::list(&state.ctx.db, &principal, filter, page).await?;
        let ids: Vec<i64> = found.elements.iter().map(|r| r.reported_actor_id).collect();
        let actors = backend::actors::find_many(&state.ctx.db, &ids).await?;
        Ok::<_, backend::Error>((page, found, actors))
    }
    .await;
    let (page, found, actors) = match result {
        Ok(found) => found,
        Err(err) => return refused(visitor, "/admin/reports", &err),
    };
    let lines = found
        .elements
        .iter()
        .filter_map(|r| {
            let reported = actors.get(&r.reported_actor_id)?;
            Some(Line {
                id: r.id,
                reported: ProfileLink::of(reported),
                excerpt: excerpt(r.content.as_deref().unwrap_or_default()),
                when: when(&visitor, r.created_at),
            })
        })
        .collect();
    let name = status_name(status);
    let link = |n: u64| format!("/admin/reports?status={name}&page={n}");
    let shown = page.offset() + page.limit;
    let page_view = ListPage {
        frame: Frame {
            title: t(locale, "admin-reports-title"),
            visitor: visitor.clone(),
            notice: None,
        },
        nav: Nav::new(locale, Section::Reports, administrator(&visitor)),
        tabs: [
            ReportStatus::Open,
            ReportStatus::Resolved,
            ReportStatus::Closed,
        ]
        .into_iter()
        .map(|s| (status_name(s), status_words(locale, s), s == status))
        .collect(),
        total: count(locale, "admin-reports-total", found.total),
        lines,
        previous: (page.page > 1).then(|| link(page.page - 1)),
        next: (shown < found.total).then(|| link(page.page + 1)),
    };
    render(&visitor, StatusCode::OK, &page_view)
}

/// The first words of a reason, for a list.
fn excerpt(text: &str) -> String {
    const CHARS: usize = 120;
    let mut short: String = text.chars().take(CHARS).collect();
    if text.chars().count() > CHARS {
        short.push('…');
    }
    short
}

/// An event or comment a report names, with where to see it.
struct Named {
    label: String,
    link: Option<String>,
}

struct NoteView {
    id: i64,
    author: String,
    when: String,
    content: String,
    can_delete: bool,
}

#[derive(Template)]
#[template(path = "admin_report.html")]
struct ReportPage {
    frame: Frame,
    nav: Nav,
    id: i64,
    status: String,
    open: bool,
    reported: ProfileLink,
    /// Who reported: a profile, or words for a visitor without an account.
    reporter: Option<ProfileLink>,
    reporter_words: String,
    /// Reported from another instance (a `Flag`), or forwarded to the reported's.
    origin: Option<String>,
    content: Option<String>,
    when: String,
    events: Vec<Named>,
    comments: Vec<Named>,
    notes: Vec<NoteView>,
    note_text: String,
    problems: Problems,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    /// The status a moderator just gave the report, for the notice.
    #[serde(default)]
    done: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<ShowQuery>,
) -> Response {
    let locale = visitor.locale;
    let notice = (!query.done.is_empty())
        .then(|| status_of(&query.done))
        .flatten()
        .map(|status| {
            with(
                locale,
                "admin-report-status-changed",
                "status",
                status_words(locale, status),
            )
        });
    page(
        &state,
        visitor,
        id,
        notice,
        String::new(),
        Problems::default(),
    )
    .await
}

async fn page(
    state: &AppState,
    visitor: Visitor,
    id: i64,
    notice: Option<String>,
    note_text: String,
    problems: Problems,
) -> Response {
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    match build(state, &visitor, id, notice, note_text, problems).await {
        Ok(page) => render(&visitor, status, &page),
        Err(err) => refused(visitor, &format!("/admin/reports/{id}"), &err),
    }
}

async fn build(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    notice: Option<String>,
    note_text: String,
    problems: Problems,
) -> backend::Result<ReportPage> {
    let db = &state.ctx.db;
    let locale = visitor.locale;
    let principal = visitor.principal();
    let report = reports::find_reviewable(db, &principal, id).await?;
    let notes = reports::notes_of(db, report.id).await?;
    let mut ids = vec![report.reported_actor_id, report.reporter_actor_id];
    ids.extend(notes.iter().map(|n| n.moderator_actor_id));
    let actors = backend::actors::find_many(db, &ids).await?;
    let reported = actors
        .get(&report.reported_actor_id)
        .ok_or(backend::Error::not_found("actor"))?;
    let reporter = actors
        .get(&report.reporter_actor_id)
        .filter(|a| !(a.is_local() && a.kind == ActorKind::Application));
    let mine = principal.actor_ids(db).await?;
    let events = reports::events_of(db, report.id)
        .await?
        .into_iter()
        .map(|e| Named {
            link: Some(format!("/events/{}", e.uuid)),
            label: e.title,
        })
        .collect();
    let mut comments = Vec::new();
    for c in reports::comments_of(db, report.id).await? {
        let event = backend::events::find(db, c.event_id).await?;
        comments.push(Named {
            label: backend::events::sanitize::plain_text(&c.text),
            link: c
                .deleted_at
                .is_none()
                .then(|| format!("/events/{}#comment-{}", event.uuid, c.uuid)),
        });
    }
    Ok(ReportPage {
        frame: Frame {
            title: with(locale, "admin-report-title", "id", report.id.to_string()),
            visitor: visitor.clone(),
            notice,
        },
        nav: Nav::new(locale, Section::Reports, administrator(visitor)),
        id: report.id,
        status: status_words(locale, report.status),
        open: report.status == ReportStatus::Open,
        reported: ProfileLink::of(reported),
        reporter_words: reporter_words(locale, &report, reporter),
        reporter: reporter.map(ProfileLink::of),
        origin: origin(locale, &report, reported),
        content: report.content.clone(),
        when: when(visitor, report.created_at),
        events,
        comments,
        notes: notes
            .into_iter()
            .map(|n| NoteView {
                id: n.id,
                author: actors
                    .get(&n.moderator_actor_id)
                    .map(backend::actors::display_name)
                    .unwrap_or_default(),
                when: when(visitor, n.created_at),
                can_delete: reports::policy::can_delete_note(mine.contains(&n.moderator_actor_id)),
                content: n.content,
            })
            .collect(),
        note_text,
        problems,
    })
}

fn reporter_words(
    locale: Locale,
    report: &report::Model,
    reporter: Option<&actor::Model>,
) -> String {
    match reporter {
        Some(_) => String::new(),
        None if report.local => t(locale, "admin-report-anonymous"),
        None => t(locale, "admin-report-unknown"),
    }
}

fn origin(locale: Locale, report: &report::Model, reported: &actor::Model) -> Option<String> {
    if !report.local {
        Some(t(locale, "admin-report-from-peer"))
    } else if report.forward {
        reported
            .domain
            .clone()
            .map(|domain| with(locale, "admin-report-forwarded", "domain", domain))
    } else {
        None
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

/// Resolve, close or open a report again.
pub async fn set_status(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Response {
    let principal = visitor.principal();
    let Some(status) = status_of(form.status.trim()).filter(|_| !form.status.trim().is_empty())
    else {
        let err = backend::Error::invalid("status", "open, resolved or closed");
        return refused(visitor, &format!("/admin/reports/{id}"), &err);
    };
    match reports::update_status(&state.ctx, &principal, id, status).await {
        Ok(_) => see_other(
            &visitor,
            &format!("/admin/reports/{id}?done={}", status_name(status)),
        ),
        Err(err) => refused(visitor, &format!("/admin/reports/{id}"), &err),
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    content: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> Response {
    let principal = visitor.principal();
    match reports::create_note(&state.ctx, &principal, id, &form.content).await {
        Ok(note) => see_other(&visitor, &format!("/admin/reports/{id}#note-{}", note.id)),
        Err(err @ backend::Error::Invalid(_)) => {
            let mut problems = Problems::default();
            problems.add_backend(visitor.locale, &err, |field| {
                (field == "content").then_some("note")
            });
            page(&state, visitor, id, None, form.content, problems).await
        }
        Err(err) => refused(visitor, &format!("/admin/reports/{id}"), &err),
    }
}

pub async fn delete_note(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((id, note)): Path<(i64, i64)>,
    _: Form<super::super::form::Button>,
) -> Response {
    let principal = visitor.principal();
    let result = async {
        // Moderators only, before anything is looked up; and the note must be this
        // report's, as the address names both.
        reports::require_reviewer(&principal)?;
        let found = reports::find_note(&state.ctx.db, note)
            .await?
            .filter(|n| n.report_id == id)
            .ok_or(backend::Error::not_found("report note"))?;
        reports::delete_note(&state.ctx, &principal, found.id).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/admin/reports/{id}#notes")),
        Err(err) => refused(visitor, &format!("/admin/reports/{id}"), &err),
    }
}
