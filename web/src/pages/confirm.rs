//! Second pages for what cannot be undone: cancelling or deleting an event, cancelling one's
//! participation, leaving a group. A link leads here (no JavaScript needed); the page says what
//! will happen and posts to the action itself, which stays the only way to do it.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Frame, Visitor, render};

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    frame: Frame,
    question: String,
    consequences: Vec<String>,
    action: String,
    confirm: String,
    back: String,
    back_label: String,
    /// The label of a "why" field sent with the form, when the action keeps a reason.
    reason: Option<String>,
    /// What the "why" field holds at first (what the previous form had).
    reason_text: String,
    /// Fields the form sends again as the previous form had them (name, value).
    hidden: Vec<(String, String)>,
}

/// What a confirmation page says and where its buttons go.
pub struct Confirmation {
    pub title: String,
    /// "Cancel «Apéro»?", naming what is acted on.
    pub question: String,
    /// What will happen, one sentence a line.
    pub consequences: Vec<String>,
    /// Where the form posts.
    pub action: String,
    /// The destructive button's words.
    pub confirm: String,
    /// Where "no" leads, and its words.
    pub back: String,
    pub back_label: String,
}

pub fn page(visitor: Visitor, c: Confirmation) -> Response {
    show(visitor, c, None, Fields::default())
}

/// A confirmation whose form also asks why (`reason`, labelled `reason_label`): a suspension
/// keeps its reason in the action log.
pub fn page_with_reason(visitor: Visitor, c: Confirmation, reason_label: String) -> Response {
    show(visitor, c, Some(reason_label), Fields::default())
}

/// What a confirmation's form carries over from the form that led to it.
#[derive(Default)]
pub struct Fields {
    /// The "why" as typed before.
    pub reason: String,
    /// Sent again as they were (name, value): what the action is done to.
    pub hidden: Vec<(String, String)>,
}

/// [`page_with_reason`] for an action asked on another form first (blocking an instance):
/// the confirmation sends again what that form said, its reason still editable.
pub fn page_with_fields(
    visitor: Visitor,
    c: Confirmation,
    reason_label: String,
    fields: Fields,
) -> Response {
    show(visitor, c, Some(reason_label), fields)
}

fn show(visitor: Visitor, c: Confirmation, reason: Option<String>, fields: Fields) -> Response {
    let page = ConfirmPage {
        frame: Frame {
            title: c.title,
            visitor: visitor.clone(),
            notice: None,
        },
        question: c.question,
        consequences: c.consequences,
        action: c.action,
        confirm: c.confirm,
        back: c.back,
        back_label: c.back_label,
        reason,
        reason_text: fields.reason,
        hidden: fields.hidden,
    };
    render(&visitor, StatusCode::OK, &page)
}
