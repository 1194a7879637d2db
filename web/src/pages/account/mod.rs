//! The pages of one's account: a session (`session`), what one takes part in
//! (`participations`), and the account's settings, feeds, identities and deletion
//! (`settings`), and its details: display name, password and email address (`details`).

mod details;
mod participations;
mod session;
mod settings;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;

use super::i18n::t;
use super::{Frame, Visitor, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(session::routes())
        .merge(participations::routes())
        .merge(settings::routes())
        .merge(details::routes())
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    frame: Frame,
    text: Option<String>,
    action: Option<String>,
    button: String,
    link: Option<(String, String)>,
}

/// A message page whose link leads somewhere else than home.
pub(super) fn message_with_link(
    visitor: &Visitor,
    title: String,
    text: Option<String>,
    link: (String, String),
) -> Response {
    let page = MessagePage {
        frame: Frame {
            title,
            visitor: visitor.clone(),
            notice: None,
        },
        text,
        action: None,
        button: String::new(),
        link: Some(link),
    };
    render(visitor, StatusCode::OK, &page)
}

pub(super) fn message(
    visitor: &Visitor,
    title: String,
    text: Option<String>,
    action: Option<String>,
    button: String,
) -> Response {
    let page = MessagePage {
        frame: Frame {
            title,
            visitor: visitor.clone(),
            notice: None,
        },
        text,
        action,
        button,
        link: Some(("/".to_owned(), t(visitor.locale, "error-back-home"))),
    };
    render(visitor, StatusCode::OK, &page)
}
