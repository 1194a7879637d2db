//! What the instance says about itself to everyone: `/about`, `/terms` and `/privacy`. The
//! texts come from the administrators (`backend::about`, sanitized when saved) and the
//! configuration file; without a privacy policy of their own, the page states what Convive
//! itself stores and for how long, with the durations this instance is configured with.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::about::{Document, DocumentKind};
use backend::i18n::Locale;

use super::i18n::{counts, t, with};
use super::{Frame, Visitor, error_page, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/about", get(about))
        .route("/terms", get(terms))
        .route("/privacy", get(privacy))
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    frame: Frame,
    description: String,
    slogan: Option<String>,
    /// Sanitized HTML.
    long_description: Option<String>,
    /// Sanitized HTML.
    rules: Option<String>,
    contact_email: Option<String>,
    /// The administrators' public profiles: (name, profile address).
    administrators: Vec<(String, String)>,
    /// Sentences counting local people, events and groups.
    statistics: Vec<String>,
    software: String,
}

async fn about(State(state): State<AppState>, visitor: Visitor) -> Response {
    let locale = visitor.locale;
    let said = match backend::about::get(&state.ctx.db).await {
        Ok(said) => said,
        Err(err) => return error_page(visitor, &err),
    };
    let statistics = match backend::directory::statistics(&state.ctx.db).await {
        Ok(s) => s,
        Err(err) => return error_page(visitor, &err),
    };
    let administrators = match backend::directory::administrators(&state.ctx.db).await {
        Ok(faces) => faces
            .iter()
            .map(|a| {
                let path = format!("/@{}", a.preferred_username);
                (backend::actors::display_name(a), path)
            })
            .collect(),
        Err(err) => return error_page(visitor, &err),
    };
    let instance = visitor.instance.clone();
    let page = AboutPage {
        frame: Frame {
            title: instance.name.clone(),
            visitor: visitor.clone(),
            notice: None,
        },
        description: instance.description.clone(),
        slogan: said.slogan,
        long_description: said.long_description,
        rules: said.rules,
        contact_email: instance.contact_email.clone(),
        administrators,
        statistics: vec![
            counts(locale, "about-people", &[("count", statistics.users)]),
            counts(
                locale,
                "about-events",
                &[("count", statistics.local_events)],
            ),
            counts(
                locale,
                "about-groups",
                &[("count", statistics.local_groups)],
            ),
        ],
        software: with(
            locale,
            "about-software",
            "version",
            env!("CARGO_PKG_VERSION").to_owned(),
        ),
    };
    render(&visitor, StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    frame: Frame,
    /// The administrators' text (sanitized HTML), if written here.
    body: Option<String>,
    /// Where they published it, if elsewhere: (address, link words).
    elsewhere: Option<(String, String)>,
    /// Convive's own paragraphs when they published nothing.
    default_text: Vec<String>,
}

/// Which of the two documents a page shows.
#[derive(Clone, Copy)]
enum Which {
    Terms,
    Privacy,
}

async fn terms(state: State<AppState>, visitor: Visitor) -> Response {
    document(state, visitor, Which::Terms).await
}

async fn privacy(state: State<AppState>, visitor: Visitor) -> Response {
    document(state, visitor, Which::Privacy).await
}

async fn document(State(state): State<AppState>, visitor: Visitor, which: Which) -> Response {
    let locale = visitor.locale;
    let said = match backend::about::get(&state.ctx.db).await {
        Ok(said) => said,
        Err(err) => return error_page(visitor, &err),
    };
    let (title, doc) = match which {
        Which::Terms => (t(locale, "terms-title"), said.terms),
        Which::Privacy => (t(locale, "privacy-title"), said.privacy),
    };
    let published = doc.is_published();
    let Document { kind, url, body } = doc;
    let (body, elsewhere) = match (published, kind) {
        (true, DocumentKind::Custom) => (body, None),
        (true, DocumentKind::Url) => (None, url.map(|url| (url, t(locale, "document-elsewhere")))),
        _ => (None, None),
    };
    let default_text = if body.is_none() && elsewhere.is_none() {
        match which {
            Which::Terms => default_terms(locale),
            Which::Privacy => default_privacy(locale, &state.ctx.settings),
        }
    } else {
        Vec::new()
    };
    let page = DocumentPage {
        frame: Frame {
            title,
            visitor: visitor.clone(),
            notice: None,
        },
        body,
        elsewhere,
        default_text,
    };
    render(&visitor, StatusCode::OK, &page)
}

fn default_terms(locale: Locale) -> Vec<String> {
    ["terms-default-1", "terms-default-2", "terms-default-3"]
        .into_iter()
        .map(|key| t(locale, key))
        .collect()
}

/// What Convive keeps, each with the duration this instance applies (read from the same
/// settings and constants the purges use, so the page cannot drift from what happens).
fn default_privacy(locale: Locale, settings: &backend::settings::Settings) -> Vec<String> {
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    vec![
        t(locale, "privacy-default-intro"),
        t(locale, "privacy-default-account"),
        counts(
            locale,
            "privacy-default-unconfirmed",
            &[(
                "count",
                count(backend::users::service::CONFIRMATION_VALIDITY.num_hours()),
            )],
        ),
        counts(
            locale,
            "privacy-default-sessions",
            &[("count", count(settings.auth.browser_session_days))],
        ),
        t(locale, "privacy-default-participations"),
        t(locale, "privacy-default-anonymous"),
        counts(
            locale,
            "privacy-default-mail",
            &[("count", count(settings.jobs.keep_done_days))],
        ),
        t(locale, "privacy-default-logs"),
        t(locale, "privacy-default-federation"),
        t(locale, "privacy-default-delete"),
    ]
}
