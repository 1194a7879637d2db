//! Comments under events, with Mobilizon's names: `thread`, `createComment`,
//! `updateComment`, `deleteComment`, the `Comment` type and `Event.comments` (whose field
//! in `events.rs` calls [`of_event`]).

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};
use backend::comments::{self, CommentChanges, CommentRef, NewComment, Target};
use chrono::{DateTime, Utc};
use entity::event::EventVisibility;

use super::conversations::Conversation;
use super::errors::{GqlResult, IntoGql};
use super::loaders;
use super::objects::{Actor, Comment, Event, Person};
use super::{app, parse_id, principal};

/// Mobilizon's `CommentVisibility`; an event's comments are seen as the event is.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum CommentVisibility {
    Public,
    Unlisted,
    Private,
    Moderated,
    Invite,
}

/// The threads of an event, oldest first (tombstones holding replies included).
pub async fn of_event(ctx: &Context<'_>, event: &entity::event::Model) -> GqlResult<Vec<Comment>> {
    let threads = comments::threads_of(&app(ctx)?.db, event.id).await.gql()?;
    let event = Arc::new(event.clone());
    Ok(threads
        .into_iter()
        .map(|t| Comment {
            row: t.root,
            replies: Some(t.replies),
            event: Some(event.clone()),
            conversation: None,
            discussion_group: None,
        })
        .collect())
}

impl Comment {
    async fn thread_replies(&self, ctx: &Context<'_>) -> GqlResult<Vec<entity::comment::Model>> {
        if self.row.origin_id.is_some() || !self.of_event() {
            // Replies hang under the first comment of their thread only (as Mobilizon's).
            return Ok(Vec::new());
        }
        match &self.replies {
            Some(replies) => Ok(replies.clone()),
            None => comments::thread(&app(ctx)?.db, self.row.id).await.gql(),
        }
    }

    async fn event_row(&self, ctx: &Context<'_>) -> GqlResult<Arc<entity::event::Model>> {
        match &self.event {
            Some(event) => Ok(event.clone()),
            None => Ok(Arc::new(
                backend::events::find(&app(ctx)?.db, self.row.event_id)
                    .await
                    .gql()?,
            )),
        }
    }

    fn with_event(&self, row: entity::comment::Model) -> Comment {
        Comment {
            row,
            replies: None,
            event: self.event.clone(),
            conversation: None,
            discussion_group: None,
        }
    }

    /// Whether this is a comment under an event (not a message, nor a discussion's).
    fn of_event(&self) -> bool {
        self.conversation.is_none() && self.discussion_group.is_none()
    }

    async fn related(&self, ctx: &Context<'_>, id: Option<i64>) -> GqlResult<Option<Comment>> {
        match id {
            Some(id) => Ok(Some(
                self.with_event(comments::find(&app(ctx)?.db, id).await.gql()?),
            )),
            None => Ok(None),
        }
    }
}

#[Object]
impl Comment {
    /// A message of a conversation or a comment of a discussion answers its uuid: its ids
    /// are not event comments' ones.
    pub(super) async fn id(&self) -> ID {
        if self.of_event() {
            ID::from(self.row.id.to_string())
        } else {
            ID::from(self.row.uuid.clone())
        }
    }

    async fn uuid(&self) -> &str {
        &self.row.uuid
    }

    async fn url(&self) -> &str {
        &self.row.ap_id
    }

    async fn local(&self) -> bool {
        self.row.local
    }

    /// Empty once deleted.
    async fn text(&self) -> &str {
        &self.row.text
    }

    async fn visibility(&self, ctx: &Context<'_>) -> GqlResult<CommentVisibility> {
        if !self.of_event() {
            return Ok(CommentVisibility::Private);
        }
        Ok(match self.event_row(ctx).await?.visibility {
            EventVisibility::Public => CommentVisibility::Public,
            EventVisibility::Unlisted => CommentVisibility::Unlisted,
            EventVisibility::Restricted | EventVisibility::Private => CommentVisibility::Private,
        })
    }

    async fn primary_language(&self) -> Option<&str> {
        self.row.language.as_deref()
    }

    async fn language(&self) -> &str {
        self.row.language.as_deref().unwrap_or("und")
    }

    /// The languages written in the thread this comment starts (none for a reply).
    async fn thread_languages(&self, ctx: &Context<'_>) -> GqlResult<Vec<String>> {
        let mut languages: Vec<String> = std::iter::once(self.row.language.clone())
            .chain(
                self.thread_replies(ctx)
                    .await?
                    .into_iter()
                    .map(|r| r.language),
            )
            .flatten()
            .collect();
        languages.sort();
        languages.dedup();
        Ok(languages)
    }

    /// The replies of the thread this comment starts, oldest first (none for a reply).
    async fn replies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Comment>> {
        Ok(self
            .thread_replies(ctx)
            .await?
            .into_iter()
            .map(|r| self.with_event(r))
            .collect())
    }

    /// Replies still standing in the thread this comment starts.
    async fn total_replies(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        let replies = self.thread_replies(ctx).await?;
        Ok(replies.iter().filter(|r| r.deleted_at.is_none()).count() as i64)
    }

    async fn in_reply_to_comment(&self, ctx: &Context<'_>) -> GqlResult<Option<Comment>> {
        self.related(ctx, self.row.in_reply_to_id).await
    }

    async fn origin_comment(&self, ctx: &Context<'_>) -> GqlResult<Option<Comment>> {
        self.related(ctx, self.row.origin_id).await
    }

    /// The event a comment is under; none for a discussion's.
    async fn event(&self, ctx: &Context<'_>) -> GqlResult<Option<Event>> {
        if self.discussion_group.is_some() {
            return Ok(None);
        }
        Ok(Some(Event(self.event_row(ctx).await?.as_ref().clone())))
    }

    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Ok(loaders::actor(ctx, self.row.actor_id).await?.map(Person))
    }

    /// The group of a discussion's comment; an event's comments are their authors' alone.
    async fn attributed_to(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        match self.discussion_group {
            Some(id) => Ok(loaders::actor(ctx, id).await?.map(Actor::from)),
            None => Ok(None),
        }
    }

    /// The conversation of a private message, as the caller sees it; an event's comments
    /// belong to none.
    async fn conversation(&self, ctx: &Context<'_>) -> GqlResult<Option<Conversation>> {
        match self.conversation {
            Some(id) => super::conversations::seen_by_caller(ctx, id).await,
            None => Ok(None),
        }
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }

    async fn deleted_at(&self) -> Option<DateTime<Utc>> {
        self.row.deleted_at
    }

    async fn published_at(&self) -> DateTime<Utc> {
        self.row.published_at
    }

    async fn is_announcement(&self) -> bool {
        self.row.is_announcement
    }
}

#[derive(Default)]
pub struct CommentQuery;

#[Object]
impl CommentQuery {
    /// The replies of the thread that comment `id` starts, oldest first.
    async fn thread(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Vec<Comment>> {
        let db = &app(ctx)?.db;
        let root = comments::find_visible(db, &principal(ctx), parse_id(&id, "id")?)
            .await
            .gql()?;
        Ok(comments::thread(db, root.id)
            .await
            .gql()?
            .into_iter()
            .map(Comment::new)
            .collect())
    }
}

/// A discussion's comment is named by its uuid, an event's by its number.
fn of_discussion(id: &ID) -> Option<String> {
    uuid::Uuid::parse_str(id.as_str().trim())
        .ok()
        .map(|u| u.to_string())
}

#[derive(Default)]
pub struct CommentMutation;

#[Object]
impl CommentMutation {
    async fn create_comment(
        &self,
        ctx: &Context<'_>,
        text: String,
        event_id: ID,
        in_reply_to_comment_id: Option<ID>,
        language: Option<String>,
        is_announcement: Option<bool>,
    ) -> GqlResult<Comment> {
        let event_id = parse_id(&event_id, "eventId")?;
        let target = match &in_reply_to_comment_id {
            Some(id) => Target::ReplyUnder {
                event: event_id,
                parent: parse_id(id, "inReplyToCommentId")?,
            },
            None => Target::Event(event_id),
        };
        let new = NewComment {
            target,
            text,
            is_announcement: is_announcement.unwrap_or(false),
            language,
            identity: None,
            remote: None,
        };
        let posted = comments::create(app(ctx)?, &principal(ctx), new)
            .await
            .gql()?;
        Ok(Comment::new(posted.into_comment()))
    }

    async fn update_comment(
        &self,
        ctx: &Context<'_>,
        text: String,
        comment_id: ID,
        language: Option<String>,
        is_announcement: Option<bool>,
    ) -> GqlResult<Comment> {
        // The language stays as written first: Mobilizon's clients send "und" on every edit.
        let _ = language;
        if let Some(uuid) = of_discussion(&comment_id) {
            let which = backend::discussions::CommentRef::Uuid(uuid);
            let row =
                backend::discussions::update_comment(app(ctx)?, &principal(ctx), which, &text)
                    .await
                    .gql()?;
            return super::discussions::comment_in_group(ctx, row).await;
        }
        let changes = CommentChanges {
            comment: CommentRef::Id(parse_id(&comment_id, "commentId")?),
            text,
            is_announcement,
        };
        let row = comments::update(app(ctx)?, &principal(ctx), changes)
            .await
            .gql()?;
        Ok(Comment::new(row))
    }

    async fn delete_comment(&self, ctx: &Context<'_>, comment_id: ID) -> GqlResult<Comment> {
        if let Some(uuid) = of_discussion(&comment_id) {
            let which = backend::discussions::CommentRef::Uuid(uuid);
            let deleted = backend::discussions::delete_comment(app(ctx)?, &principal(ctx), which)
                .await
                .gql()?;
            return super::discussions::comment_in_group(ctx, deleted.comment().clone()).await;
        }
        let which = CommentRef::Id(parse_id(&comment_id, "commentId")?);
        let deleted = comments::delete(app(ctx)?, &principal(ctx), which)
            .await
            .gql()?;
        Ok(Comment::new(deleted.comment().clone()))
    }
}
