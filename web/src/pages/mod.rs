//! The HTML interface: server-rendered pages that work without JavaScript and load nothing
//! from other sites. Handlers translate forms into backend calls and results into pages; every
//! rule stays in the backend.

mod about;
mod account;
mod admin;
mod admin_users;
mod assets;
mod comment_address;
mod comments;
mod confirm;
mod discussions;
mod event;
mod event_ending;
mod event_fields;
mod event_map;
mod form;
mod form_problems;
mod groups;
pub mod i18n;
mod interact;
pub(crate) mod listings;
mod messages;
mod month;
mod organize;
mod participants;
mod pictures;
mod place_fields;
mod posts;
mod repeats;
mod reporting;
mod rsvp;
mod share;
mod visitor;
mod write_participants;

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use visitor::Visitor;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(listings::routes())
        .merge(about::routes())
        .merge(admin_users::routes())
        .merge(event::routes())
        .merge(rsvp::routes())
        .merge(comments::routes())
        .merge(comment_address::routes())
        .merge(posts::routes())
        .merge(organize::routes())
        .merge(event_ending::routes())
        .merge(participants::routes())
        .merge(write_participants::routes())
        .merge(messages::routes())
        .merge(account::routes())
        .merge(groups::routes())
        .merge(month::routes())
        .merge(interact::routes())
        .merge(admin::routes())
        .merge(reporting::routes())
        .merge(discussions::routes())
        .route(&assets::stylesheet_path(), get(assets::stylesheet))
        .route(&assets::script_path(), get(assets::script))
        .route(assets::FAVICON_PATH, get(assets::favicon))
        .fallback(not_found)
}

/// What every page shows around its content.
pub struct Frame {
    pub visitor: Visitor,
    pub title: String,
    /// A sentence shown above the content (after a form succeeded).
    pub notice: Option<String>,
}

impl Frame {
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.visitor.locale, key)
    }

    /// The instance's name as its administrators set it.
    pub fn instance_name(&self) -> &str {
        &self.visitor.instance.name
    }

    pub fn lang(&self) -> &'static str {
        self.visitor.locale.code()
    }

    pub fn stylesheet(&self) -> String {
        assets::stylesheet_path()
    }

    pub fn script(&self) -> String {
        assets::script_path()
    }

    pub fn csrf(&self) -> &str {
        &self.visitor.csrf
    }

    pub fn logged_in(&self) -> bool {
        self.visitor.session.is_some()
    }

    /// Whether the header links to the administration (its pages ask the backend).
    pub fn moderator(&self) -> bool {
        self.visitor
            .session
            .as_ref()
            .is_some_and(|s| s.user.is_moderator())
    }

    /// How many of the visitor's conversations have unread messages, and that said in words
    /// for those who do not see the number.
    pub fn unread_conversations(&self) -> Option<(u64, String)> {
        let n = self.visitor.unread_conversations;
        (n > 0).then(|| {
            (
                n,
                i18n::count(self.visitor.locale, "nav-messages-unread", n),
            )
        })
    }

    pub fn other_locale(&self) -> (&'static str, &'static str) {
        match self.visitor.locale {
            backend::i18n::Locale::En => ("fr", "Français"),
            backend::i18n::Locale::Fr => ("en", "English"),
        }
    }
}

/// Renders a template into a response with our security headers and any cookie the visitor
/// needs.
pub fn render(visitor: &Visitor, status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => html_page(visitor, status, html),
        Err(err) => {
            tracing::error!(error = %err, "rendering a page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A page already rendered (or kept, see `crate::kept_pages`) as a response, with
/// what [`render`] adds.
pub fn html_page(visitor: &Visitor, status: StatusCode, html: String) -> Response {
    let mut response = (status, axum::response::Html(html)).into_response();
    visitor.finish(&mut response);
    response
}

/// Headers of every HTML page: nothing from other origins, no framing, no referrer leaks.
pub fn security_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'self'",
        ),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    message: String,
}

/// A page that says what went wrong and where to go.
pub fn error_page(visitor: Visitor, err: &backend::Error) -> Response {
    let status = crate::http_error::status(err);
    let key = match err {
        backend::Error::NotFound { .. } => "error-not-found",
        backend::Error::Forbidden(_) | backend::Error::Unauthenticated => "error-forbidden",
        backend::Error::Internal(source) => {
            tracing::error!(error = %source, "internal error while serving a page");
            "error-internal"
        }
        _ => "error-invalid",
    };
    // A missing page is not a failure: saying "something went wrong" sends people looking
    // for one.
    let title = if status == StatusCode::NOT_FOUND {
        "error-title-not-found"
    } else {
        "error-title"
    };
    let mut message = i18n::t(visitor.locale, key);
    // A rule of the domain that refused says why in the visitor's words, when the pages have
    // them; otherwise in the backend's (English) words after a general sentence.
    let told = match err {
        backend::Error::Rule { code, .. } => i18n::try_t(visitor.locale, &format!("rule-{code}")),
        _ => None,
    };
    if let Some(told) = told {
        message = told;
    } else if !err.is_internal() && !matches!(err, backend::Error::NotFound { .. }) {
        message = format!("{message} {err}");
    }
    let frame = Frame {
        title: i18n::t(visitor.locale, title),
        visitor: visitor.clone(),
        notice: None,
    };
    render(&visitor, status, &ErrorPage { frame, message })
}

/// A page that says, in the visitor's language, why a request led nowhere.
pub fn message_page(
    visitor: Visitor,
    status: StatusCode,
    title_key: &str,
    message_key: &str,
) -> Response {
    let frame = Frame {
        title: i18n::t(visitor.locale, title_key),
        visitor: visitor.clone(),
        notice: None,
    };
    let message = i18n::t(visitor.locale, message_key);
    render(&visitor, status, &ErrorPage { frame, message })
}

async fn not_found(visitor: Visitor) -> Response {
    error_page(visitor, &backend::Error::not_found("page"))
}

/// Caches must keep the HTML and the JSON-LD of one address apart.
pub fn vary_on_accept(response: &mut Response) {
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept"));
}

/// Where to go after a form: back to a page, with `303 See Other` (so a reload does not post
/// again).
pub fn see_other(visitor: &Visitor, to: &str) -> Response {
    let mut response = axum::response::Redirect::to(to).into_response();
    visitor.finish(&mut response);
    response
}
