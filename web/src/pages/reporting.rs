//! Reporting from a page: an event, a comment, a person's or a group's profile each link to a
//! form (why; whether the report may go to the instance of a remote profile; an email address
//! for a visitor without an account, when the instance takes anonymous reports), which files it
//! through `backend::reports::create`, the use case GraphQL's `createReport` calls, and thanks
//! the reporter. What may be reported, by whom and how often is the backend's to say.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::principal::Principal;
use backend::reports::{self, NewReport};
use entity::actor;
use serde::Deserialize;

use super::form::Form;
use super::form_problems::Problems;
use super::i18n::{t, with};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::client::RequestClient;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{uuid}/report", get(event_form).post(event_report))
        .route(
            "/events/{uuid}/comments/{comment}/report",
            get(comment_form).post(comment_report),
        )
        .route("/{handle}/report", get(profile_form).post(profile_report))
}

/// What a form reports, as its address names it.
enum Subject {
    Event(String),
    Comment(String, String),
    Profile(String),
}

impl Subject {
    fn path(&self) -> String {
        match self {
            Subject::Event(uuid) => format!("/events/{uuid}/report"),
            Subject::Comment(uuid, comment) => {
                format!("/events/{uuid}/comments/{comment}/report")
            }
            Subject::Profile(segment) => format!("/{segment}/report"),
        }
    }
}

/// The report a subject makes, before the reporter's words.
struct Target {
    reported: actor::Model,
    event_ids: Vec<i64>,
    comment_ids: Vec<i64>,
    /// "The event «Picnic»", for the page's heading.
    what: String,
    /// The page the reporter came from.
    back: String,
}

async fn target(
    state: &AppState,
    visitor: &Visitor,
    principal: &Principal,
    subject: &Subject,
) -> backend::Result<Target> {
    let db = &state.ctx.db;
    let locale = visitor.locale;
    match subject {
        Subject::Event(uuid) => {
            let event = backend::events::find_visible(db, principal, uuid).await?;
            // A group's event is the group's doing, as its page says.
            let reported_id = event.attributed_to_id.unwrap_or(event.organizer_actor_id);
            Ok(Target {
                reported: backend::actors::find(db, reported_id).await?,
                event_ids: vec![event.id],
                comment_ids: Vec::new(),
                what: with(locale, "report-what-event", "title", event.title),
                back: format!("/events/{}", event.uuid),
            })
        }
        Subject::Comment(uuid, comment_uuid) => {
            let event = backend::events::find_visible(db, principal, uuid).await?;
            let comment = backend::comments::find_by_uuid(db, comment_uuid).await?;
            if comment.event_id != event.id || comment.deleted_at.is_some() {
                return Err(backend::Error::not_found("comment"));
            }
            let reported = backend::actors::find(db, comment.actor_id).await?;
            Ok(Target {
                what: with(
                    locale,
                    "report-what-comment",
                    "name",
                    backend::actors::display_name(&reported),
                ),
                reported,
                event_ids: Vec::new(),
                comment_ids: vec![comment.id],
                back: format!("/events/{}#comment-{}", event.uuid, comment.uuid),
            })
        }
        Subject::Profile(segment) => {
            let reported = super::groups::find_actor(state, segment).await?;
            Ok(Target {
                what: with(
                    locale,
                    "report-what-profile",
                    "name",
                    backend::actors::display_name(&reported),
                ),
                back: format!("/@{}", backend::actors::handle(&reported)),
                reported,
                event_ids: Vec::new(),
                comment_ids: Vec::new(),
            })
        }
    }
}

#[derive(Template)]
#[template(path = "report_form.html")]
struct ReportPage {
    frame: Frame,
    what: String,
    action: String,
    back: String,
    /// The profile is another instance's: the reporter may let the report go there.
    remote: Option<String>,
    /// A visitor without an account leaves an address.
    ask_email: bool,
    /// Filed: the page thanks instead of asking.
    thanked: bool,
    content: String,
    email: String,
    forward: bool,
    problems: Problems,
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    content: String,
    #[serde(default)]
    email: String,
    /// A checkbox: present when ticked.
    forward: Option<String>,
}

async fn event_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
) -> Response {
    ask(&state, visitor, Subject::Event(uuid)).await
}

async fn comment_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((uuid, comment)): Path<(String, String)>,
) -> Response {
    ask(&state, visitor, Subject::Comment(uuid, comment)).await
}

async fn profile_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
) -> Response {
    ask(&state, visitor, Subject::Profile(segment)).await
}

async fn event_report(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Path(uuid): Path<String>,
    Form(form): Form<ReportForm>,
) -> Response {
    file(&state, visitor, &client, Subject::Event(uuid), form).await
}

async fn comment_report(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Path((uuid, comment)): Path<(String, String)>,
    Form(form): Form<ReportForm>,
) -> Response {
    file(
        &state,
        visitor,
        &client,
        Subject::Comment(uuid, comment),
        form,
    )
    .await
}

async fn profile_report(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Path(segment): Path<String>,
    Form(form): Form<ReportForm>,
) -> Response {
    file(&state, visitor, &client, Subject::Profile(segment), form).await
}

/// Whether a visitor without an account is sent to log in first: the instance takes no
/// anonymous reports (the backend would refuse them as unauthenticated).
fn must_log_in(state: &AppState, visitor: &Visitor) -> bool {
    visitor.session.is_none() && !state.ctx.settings.instance.anonymous_reports
}

async fn ask(state: &AppState, visitor: Visitor, subject: Subject) -> Response {
    if must_log_in(state, &visitor) {
        return see_other(&visitor, &format!("/login?next={}", subject.path()));
    }
    let filled = ReportForm {
        forward: Some("on".to_owned()),
        ..ReportForm::default()
    };
    show(state, visitor, &subject, filled, Problems::default(), false).await
}

async fn file(
    state: &AppState,
    visitor: Visitor,
    client: &backend::rate_limits::Client,
    subject: Subject,
    form: ReportForm,
) -> Response {
    if must_log_in(state, &visitor) {
        return see_other(&visitor, &format!("/login?next={}", subject.path()));
    }
    let principal = visitor.principal();
    let found = match target(state, &visitor, &principal, &subject).await {
        Ok(found) => found,
        Err(err) => return error_page(visitor, &err),
    };
    let new = NewReport {
        reported_actor_id: found.reported.id,
        event_ids: found.event_ids,
        comment_ids: found.comment_ids,
        content: Some(form.content.clone()),
        forward: form.forward.is_some(),
        identity: None,
        email: visitor.session.is_none().then(|| form.email.clone()),
        flag_id: None,
    };
    match reports::create(&state.ctx, &principal, client, new).await {
        Ok(_) => show(state, visitor, &subject, form, Problems::default(), true).await,
        Err(err @ backend::Error::Invalid(_)) => {
            let mut problems = Problems::default();
            problems.add_backend(visitor.locale, &err, field_of);
            let problems = problems.sorted(&["reason", "email"]);
            show(state, visitor, &subject, form, problems, false).await
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// The form's field for a field the backend names.
fn field_of(api: &str) -> Option<&'static str> {
    match api {
        "content" => Some("reason"),
        "email" => Some("email"),
        _ => None,
    }
}

async fn show(
    state: &AppState,
    visitor: Visitor,
    subject: &Subject,
    form: ReportForm,
    problems: Problems,
    thanked: bool,
) -> Response {
    let locale = visitor.locale;
    let principal = visitor.principal();
    let found = match target(state, &visitor, &principal, subject).await {
        Ok(found) => found,
        Err(err) => return error_page(visitor, &err),
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ReportPage {
        frame: Frame {
            title: t(locale, "report-title"),
            visitor: visitor.clone(),
            notice: thanked.then(|| t(locale, "report-thanks")),
        },
        what: found.what,
        action: subject.path(),
        back: found.back,
        remote: found.reported.domain.clone(),
        ask_email: visitor.session.is_none(),
        thanked,
        content: form.content,
        email: form.email,
        forward: form.forward.is_some(),
        problems,
    };
    render(&visitor, status, &page)
}
