//! Group discussions with Mobilizon's names: `discussion(id|slug)`, `createDiscussion`,
//! `replyToDiscussion`, `updateDiscussion`, `deleteDiscussion`, the `Discussion` type and
//! `Group.discussions` (whose field in `groups.rs` calls [`of_group`]). A discussion's
//! comments are `Comment`s whose `id` is their uuid (their ids are not event comments' ones).

use async_graphql::{Context, ID, Object, SimpleObject};
use backend::discussions::{self, DiscussionRef, NewDiscussion, Reply};
use chrono::{DateTime, Utc};
use entity::{discussion, discussion_comment};

use super::conversations::PaginatedCommentList;
use super::errors::{GqlResult, IntoGql, invalid};
use super::loaders;
use super::objects::{Actor, Comment, Person, page};
use super::{app, parse_id, principal};

/// Mobilizon's `Discussion`, with its last comment when it was read along.
pub struct Discussion {
    row: discussion::Model,
    last: Option<Option<discussion_comment::Model>>,
}

impl Discussion {
    fn new(row: discussion::Model) -> Self {
        Self { row, last: None }
    }

    fn with_last(row: discussion::Model, last: discussion_comment::Model) -> Self {
        Self {
            row,
            last: Some(Some(last)),
        }
    }
}

/// Mobilizon's `PaginatedDiscussionList`.
#[derive(SimpleObject)]
pub struct PaginatedDiscussionList {
    pub total: u64,
    pub elements: Vec<Discussion>,
}

/// A discussion's comment as Mobilizon's clients read it: a `Comment` of the group.
pub fn comment_of(group_id: i64, c: discussion_comment::Model) -> Comment {
    Comment {
        row: entity::comment::Model {
            id: c.id,
            uuid: c.uuid,
            ap_id: c.ap_id,
            // A discussion's comment is under no event: `Comment.event` answers none for it.
            event_id: 0,
            actor_id: c.actor_id,
            in_reply_to_id: None,
            origin_id: None,
            text: c.text,
            is_announcement: false,
            language: c.language,
            local: c.local,
            published_at: c.published_at,
            created_at: c.created_at,
            updated_at: c.updated_at,
            deleted_at: c.deleted_at,
        },
        replies: None,
        event: None,
        conversation: None,
        discussion_group: Some(group_id),
    }
}

/// A discussion's comment just written, read back with its group.
pub async fn comment_in_group(
    ctx: &Context<'_>,
    c: discussion_comment::Model,
) -> GqlResult<Comment> {
    let discussion = discussions::find(&app(ctx)?.db, c.discussion_id)
        .await
        .gql()?;
    Ok(comment_of(discussion.group_id, c))
}

/// A group's discussions as the caller may list them (none unless they are a member).
pub async fn of_group(
    ctx: &Context<'_>,
    group_id: i64,
    page_number: Option<i64>,
    limit: Option<i64>,
) -> GqlResult<PaginatedDiscussionList> {
    let db = &app(ctx)?.db;
    let list = discussions::of_group(db, &principal(ctx), group_id, page(page_number, limit)?)
        .await
        .gql()?;
    let ids: Vec<i64> = list.elements.iter().map(|d| d.id).collect();
    let mut last = discussions::last_comments(db, &ids).await.gql()?;
    Ok(PaginatedDiscussionList {
        total: list.total,
        elements: list
            .elements
            .into_iter()
            .map(|d| {
                let latest = last.remove(&d.id);
                Discussion {
                    row: d,
                    last: Some(latest),
                }
            })
            .collect(),
    })
}

#[Object]
impl Discussion {
    async fn id(&self) -> ID {
        ID::from(self.row.id.to_string())
    }

    async fn title(&self) -> &str {
        &self.row.title
    }

    async fn slug(&self) -> &str {
        &self.row.slug
    }

    async fn url(&self) -> &str {
        &self.row.ap_id
    }

    /// The latest comment (a tombstone when it was deleted).
    async fn last_comment(&self, ctx: &Context<'_>) -> GqlResult<Option<Comment>> {
        let last = match &self.last {
            Some(last) => last.clone(),
            None => discussions::last_comments(&app(ctx)?.db, &[self.row.id])
                .await
                .gql()?
                .remove(&self.row.id),
        };
        Ok(last.map(|c| comment_of(self.row.group_id, c)))
    }

    /// The comments, oldest first.
    async fn comments(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1)] page: i64,
        #[graphql(default = 10)] limit: i64,
    ) -> GqlResult<PaginatedCommentList> {
        let list = discussions::comments_of(
            &app(ctx)?.db,
            &self.row,
            super::objects::page(Some(page), Some(limit))?,
        )
        .await
        .gql()?;
        Ok(PaginatedCommentList {
            total: list.total,
            elements: list
                .elements
                .into_iter()
                .map(|c| comment_of(self.row.group_id, c))
                .collect(),
        })
    }

    async fn creator(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Ok(loaders::actor(ctx, self.row.creator_id).await?.map(Person))
    }

    /// The discussion's group.
    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        Ok(loaders::actor(ctx, self.row.group_id)
            .await?
            .map(Actor::from))
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
}

#[derive(Default)]
pub struct DiscussionQuery;

#[Object]
impl DiscussionQuery {
    /// A discussion by its id or its slug, for the members of its group.
    async fn discussion(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        slug: Option<String>,
    ) -> GqlResult<Discussion> {
        let which = match (id, slug) {
            (Some(id), _) => DiscussionRef::Id(parse_id(&id, "id")?),
            (None, Some(slug)) => DiscussionRef::Slug(slug),
            (None, None) => return Err(invalid("slug", "give a discussion's id or its slug")),
        };
        let row = discussions::find_visible(&app(ctx)?.db, &principal(ctx), &which)
            .await
            .gql()?;
        Ok(Discussion::new(row))
    }
}

#[derive(Default)]
pub struct DiscussionMutation;

#[Object]
impl DiscussionMutation {
    /// A member starts a discussion in their group (`actorId` is the group's id).
    async fn create_discussion(
        &self,
        ctx: &Context<'_>,
        title: String,
        text: String,
        actor_id: ID,
    ) -> GqlResult<Discussion> {
        let new = NewDiscussion {
            group_id: parse_id(&actor_id, "actorId")?,
            title,
            text,
        };
        let (row, first) = discussions::create(app(ctx)?, &principal(ctx), new)
            .await
            .gql()?;
        Ok(Discussion::with_last(row, first))
    }

    async fn reply_to_discussion(
        &self,
        ctx: &Context<'_>,
        discussion_id: ID,
        text: String,
    ) -> GqlResult<Discussion> {
        let reply = Reply {
            discussion: DiscussionRef::Id(parse_id(&discussion_id, "discussionId")?),
            text,
            remote: None,
        };
        let (row, comment) = discussions::reply(app(ctx)?, &principal(ctx), reply)
            .await
            .gql()?;
        Ok(Discussion::with_last(row, comment))
    }

    /// Renames a discussion.
    async fn update_discussion(
        &self,
        ctx: &Context<'_>,
        title: String,
        discussion_id: ID,
    ) -> GqlResult<Discussion> {
        let which = DiscussionRef::Id(parse_id(&discussion_id, "discussionId")?);
        let row = discussions::rename(app(ctx)?, &principal(ctx), which, &title)
            .await
            .gql()?;
        Ok(Discussion::new(row))
    }

    /// Deletes a discussion and its comments; answers it as it was.
    async fn delete_discussion(
        &self,
        ctx: &Context<'_>,
        discussion_id: ID,
    ) -> GqlResult<Discussion> {
        let which = DiscussionRef::Id(parse_id(&discussion_id, "discussionId")?);
        let row = discussions::delete(app(ctx)?, &principal(ctx), which)
            .await
            .gql()?;
        Ok(Discussion {
            row,
            last: Some(None),
        })
    }
}
