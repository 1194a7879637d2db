//! The comments under an event: its threads as the event page shows them, and the forms that
//! write, answer and delete one (without JavaScript, each with its CSRF token). Rules are
//! `backend::comments`'; this module only shows what they allow and calls them.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use backend::comments::{self, CommentRef, NewComment, Target, Thread, policy};
use backend::events;
use backend::i18n::Locale;
use entity::{actor, comment, event};
use serde::Deserialize;

use super::event::ActorLink;
use super::form::{Button, Form};
use super::i18n::t;
use super::{Visitor, error_page, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{uuid}/comments", post(write))
        .route("/events/{uuid}/comments/{comment}/delete", post(delete))
}

/// The threads of an event and their authors, read before the page is built (an anonymous
/// page is kept by what it shows: [`Loaded::version`] is part of its key).
pub struct Loaded {
    threads: Vec<Thread>,
    authors: HashMap<i64, actor::Model>,
}

pub async fn load(db: &impl sea_orm::ConnectionTrait, event_id: i64) -> backend::Result<Loaded> {
    let threads = comments::threads_of(db, event_id).await?;
    let ids: Vec<i64> = threads
        .iter()
        .flat_map(|t| std::iter::once(&t.root).chain(&t.replies))
        .map(|c| c.actor_id)
        .collect();
    let authors = backend::actors::find_many(db, &ids).await?;
    Ok(Loaded { threads, authors })
}

impl Loaded {
    /// What the section shows changes with this: each comment's and author's last change.
    pub fn version(&self) -> String {
        let mut version = String::new();
        for c in self
            .threads
            .iter()
            .flat_map(|t| std::iter::once(&t.root).chain(&t.replies))
        {
            version.push_str(&format!("{}:{};", c.id, c.updated_at.timestamp_micros()));
        }
        let mut authors: Vec<_> = self
            .authors
            .values()
            .map(|a| (a.id, a.updated_at.timestamp_micros(), a.suspended))
            .collect();
        authors.sort();
        version.push_str(&format!("{authors:?}"));
        version
    }
}

pub struct CommentView {
    pub uuid: String,
    pub author: ActorLink,
    pub when: String,
    /// Sanitized HTML; empty for a tombstone.
    pub text: String,
    pub deleted: bool,
    pub edited: bool,
    pub announcement: bool,
    pub can_delete: bool,
}

pub struct ThreadView {
    pub root: CommentView,
    pub replies: Vec<CommentView>,
}

/// The comments section of an event page.
pub struct CommentsView {
    pub threads: Vec<ThreadView>,
    /// The visitor may write (and answer).
    pub can_write: bool,
    /// Why nobody (or not the visitor) may write, when that is so.
    pub closed: Option<String>,
    pub login_to_write: bool,
}

/// The section as `visitor` sees it: the rules of `backend::comments::policy`, in words.
pub fn view(
    locale: Locale,
    loaded: Loaded,
    event: &event::Model,
    access: events::policy::Access,
    viewer_actor_ids: &[i64],
    logged_in: bool,
    origin_takes_comments: bool,
) -> CommentsView {
    let runs_event = events::policy::can_edit(events::facts(event), access);
    let facts = policy::CommentFacts {
        moderation: events::details::of(event).comment_moderation,
        cancelled: events::is_cancelled(event),
        draft: event.draft,
        runs_event,
        announcement: false,
        reaches_origin: origin_takes_comments,
    };
    let refusal = policy::refusal(facts);
    let tz = events::timezone(event);
    let show = |c: &comment::Model| {
        let author = loaded.authors.get(&c.actor_id);
        CommentView {
            uuid: c.uuid.clone(),
            author: author.map_or_else(
                || ActorLink {
                    name: "?".to_owned(),
                    page: None,
                    avatar: None,
                },
                ActorLink::of,
            ),
            when: locale.format_datetime(&c.published_at.with_timezone(&tz)),
            text: c.text.clone(),
            deleted: c.deleted_at.is_some(),
            edited: c.updated_at > c.published_at && c.deleted_at.is_none(),
            announcement: c.is_announcement,
            can_delete: logged_in
                && c.deleted_at.is_none()
                && policy::can_delete(
                    viewer_actor_ids.contains(&c.actor_id),
                    runs_event,
                    access.instance_moderator,
                ),
        }
    };
    let threads = loaded
        .threads
        .iter()
        .map(|thread| ThreadView {
            root: show(&thread.root),
            replies: thread.replies.iter().map(show).collect(),
        })
        .collect();
    CommentsView {
        threads,
        can_write: logged_in && refusal.is_none(),
        closed: refusal.map(|r| {
            t(
                locale,
                match r {
                    policy::Refusal::Cancelled => "comments-cancelled",
                    policy::Refusal::Closed | policy::Refusal::Draft => "comments-closed",
                    policy::Refusal::Moderated => "comments-moderated",
                    policy::Refusal::AnnouncementByOrganizers => "comments-closed",
                    policy::Refusal::OriginTakesNoComments => "comments-not-federated",
                },
            )
        }),
        login_to_write: !logged_in && refusal.is_none(),
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    text: String,
    /// The comment answered, by its uuid; a new thread when empty.
    #[serde(default)]
    reply_to: String,
}

/// Writes a comment or an answer; plain text from the form becomes paragraphs.
pub async fn write(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    Form(form): Form<CommentForm>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/events/{uuid}"));
    }
    let principal = visitor.principal();
    let result = async {
        let event = events::find_visible(&state.ctx.db, &principal, &uuid).await?;
        let target = match form.reply_to.trim() {
            "" => Target::Event(event.id),
            parent => Target::ReplyUnder {
                event: event.id,
                parent: comments::find_by_uuid(&state.ctx.db, parent).await?.id,
            },
        };
        let new = NewComment {
            target,
            text: paragraphs(&form.text),
            is_announcement: false,
            language: None,
            identity: None,
            remote: None,
        };
        comments::create(&state.ctx, &principal, new).await
    }
    .await;
    match result {
        Ok(posted) => see_other(
            &visitor,
            &format!("/events/{uuid}#comment-{}", posted.comment().uuid),
        ),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((uuid, comment_uuid)): Path<(String, String)>,
    _: Form<Button>,
) -> Response {
    let principal = visitor.principal();
    let result = async {
        let event = events::find_visible(&state.ctx.db, &principal, &uuid).await?;
        let comment = comments::find_by_uuid(&state.ctx.db, &comment_uuid).await?;
        if comment.event_id != event.id {
            return Err(backend::Error::not_found("comment"));
        }
        comments::delete(&state.ctx, &principal, CommentRef::Id(comment.id)).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}#comments")),
        Err(err) => error_page(visitor, &err),
    }
}

/// Text typed in a form, as HTML: escaped, one paragraph per blank-line-separated block, line
/// breaks kept.
pub(super) fn paragraphs(text: &str) -> String {
    let escaped = text
        .replace('\r', "")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escaped
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_escaped_paragraphs() {
        assert_eq!(
            paragraphs("Hi <b>all</b>\nsee you\r\n\r\nBye"),
            "<p>Hi &lt;b&gt;all&lt;/b&gt;<br>see you</p><p>Bye</p>"
        );
        assert_eq!(paragraphs("  \n\n "), "");
    }
}
