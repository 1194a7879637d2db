//! A person's conversations with the organizers of events (`/messages`), one of them with a
//! form to answer (`/messages/{id}`, by the row of the side reading, as the API names it), and
//! the page an anonymous participant's mail links to (`/messages/answer/{token}`). The rules
//! are the backend's (`backend::conversations`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::conversations::{self, Answer, ConversationRef};
use backend::i18n::Locale;
use backend::pagination::Page;
use entity::{conversation, conversation_message};
use serde::Deserialize;

use super::comments::paragraphs;
use super::form::Form;
use super::i18n::{count, t};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/messages", get(list))
        .route("/messages/{id}", get(show).post(answer))
        .route(
            "/messages/answer/{token}",
            get(show_by_token).post(answer_by_token),
        )
}

pub struct ConversationRow {
    href: String,
    event_title: String,
    with: String,
    excerpt: String,
    when: String,
    /// "2 unread messages", when there are.
    unread: Option<String>,
}

#[derive(Template)]
#[template(path = "messages.html")]
struct ListPage {
    frame: Frame,
    rows: Vec<ConversationRow>,
}

pub struct MessageView {
    author: String,
    when: String,
    text: String,
    mine: bool,
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    frame: Frame,
    event_uuid: String,
    event_title: String,
    with: String,
    messages: Vec<MessageView>,
    /// Where the answer form posts.
    action: String,
}

#[derive(Deserialize)]
pub struct Done {
    sent: Option<u64>,
}

/// The other side's name, as the reader sees it.
async fn other_side(
    state: &AppState,
    locale: Locale,
    conversation: &conversation::Model,
    reader: Option<i64>,
) -> backend::Result<String> {
    let other = if reader == Some(conversation.sender_actor_id) {
        if conversation.answer_token_hash.is_some() {
            return Ok(t(locale, "participant-anonymous"));
        }
        conversation.recipient_actor_id
    } else {
        conversation.sender_actor_id
    };
    let actor = backend::actors::find(&state.ctx.db, other).await?;
    Ok(backend::actors::display_name(&actor))
}

pub async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(done): Query<Done>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, "/login?next=/messages");
    }
    let locale = visitor.locale;
    let result = async {
        let principal = visitor.principal();
        let views = conversations::list(&state.ctx.db, &principal, None, Page::all()).await?;
        let mut rows = Vec::with_capacity(views.elements.len());
        for view in views.elements {
            let event = backend::events::find(&state.ctx.db, view.conversation.event_id).await?;
            let last =
                conversations::edge_message(&state.ctx.db, view.conversation.id, true).await?;
            let tz = backend::events::timezone(&event);
            rows.push(ConversationRow {
                href: format!("/messages/{}", view.participant.id),
                event_title: event.title,
                with: other_side(
                    &state,
                    locale,
                    &view.conversation,
                    Some(view.participant.actor_id),
                )
                .await?,
                excerpt: last.as_ref().map(|m| excerpt(&m.text)).unwrap_or_default(),
                when: last
                    .map(|m| locale.format_datetime(&m.published_at.with_timezone(&tz)))
                    .unwrap_or_default(),
                unread: view.participant.unread.then(|| {
                    let n = u64::try_from(view.participant.unread_messages.max(1)).unwrap_or(1);
                    count(locale, "messages-unread", n)
                }),
            });
        }
        Ok::<_, backend::Error>(rows)
    }
    .await;
    match result {
        Ok(rows) => {
            let page = ListPage {
                frame: Frame {
                    title: t(locale, "messages-title"),
                    visitor: visitor.clone(),
                    notice: done.sent.map(|n| count(locale, "messages-sent", n)),
                },
                rows,
            };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// One conversation; reading it marks it read.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/messages/{id}"));
    }
    let principal = visitor.principal();
    match conversations::mark_read(&state.ctx, &principal, id, true).await {
        Ok(view) => {
            let reader = view.participant.actor_id;
            conversation_page(
                state,
                visitor,
                view.conversation,
                Some(reader),
                format!("/messages/{id}"),
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// The conversation an anonymous participant's link opens.
pub async fn show_by_token(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Response {
    match conversations::by_answer_token(&state.ctx.db, &token).await {
        Ok(conversation) => {
            let reader = conversation.recipient_actor_id;
            let action = format!("{}{token}", conversations::ANSWER_PATH);
            conversation_page(state, visitor, conversation, Some(reader), action).await
        }
        Err(err) => error_page(visitor, &err),
    }
}

async fn conversation_page(
    state: AppState,
    visitor: Visitor,
    conversation: conversation::Model,
    reader: Option<i64>,
    action: String,
) -> Response {
    let locale = visitor.locale;
    let result = async {
        let event = backend::events::find(&state.ctx.db, conversation.event_id).await?;
        let tz = backend::events::timezone(&event);
        let list = conversations::messages(&state.ctx.db, conversation.id, Page::all()).await?;
        let ids: Vec<i64> = list.elements.iter().map(|m| m.actor_id).collect();
        let authors = backend::actors::find_many(&state.ctx.db, &ids).await?;
        let name = |m: &conversation_message::Model| {
            if m.actor_id == conversation.recipient_actor_id
                && conversation.answer_token_hash.is_some()
            {
                t(locale, "participant-anonymous")
            } else {
                authors
                    .get(&m.actor_id)
                    .map(backend::actors::display_name)
                    .unwrap_or_default()
            }
        };
        let messages = list
            .elements
            .iter()
            .map(|m| MessageView {
                author: name(m),
                when: locale.format_datetime(&m.published_at.with_timezone(&tz)),
                text: m.text.clone(),
                mine: Some(m.actor_id) == reader,
            })
            .collect();
        let with = other_side(&state, locale, &conversation, reader).await?;
        Ok::<_, backend::Error>(ConversationPage {
            frame: Frame {
                title: t(locale, "conversation-title"),
                visitor: visitor.clone(),
                notice: None,
            },
            event_uuid: event.uuid,
            event_title: event.title,
            with,
            messages,
            action,
        })
    }
    .await;
    match result {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    text: String,
}

pub async fn answer(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/messages/{id}"));
    }
    let answer = Answer {
        conversation: ConversationRef::Participant(id),
        text: paragraphs(&form.text),
        language: None,
        identity: None,
        remote: None,
    };
    match conversations::answer(&state.ctx, &visitor.principal(), answer).await {
        Ok(_) => see_other(&visitor, &format!("/messages/{id}#answer")),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn answer_by_token(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let answer = Answer {
        conversation: ConversationRef::Token(token.clone()),
        text: paragraphs(&form.text),
        language: None,
        identity: None,
        remote: None,
    };
    // The link's owner answers as the participant they are, whoever is logged in here.
    match conversations::answer(
        &state.ctx,
        &backend::principal::Principal::Anonymous,
        answer,
    )
    .await
    {
        Ok(_) => see_other(
            &visitor,
            &format!("{}{token}#answer", conversations::ANSWER_PATH),
        ),
        Err(err) => error_page(visitor, &err),
    }
}

/// The start of a message, as plain text, for the list.
fn excerpt(html: &str) -> String {
    let text = backend::events::sanitize::plain_text(html);
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        if out.chars().count() + word.chars().count() > 140 {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
