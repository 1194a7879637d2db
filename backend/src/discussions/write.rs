//! Writing discussions: one function per use case, whoever writes. The writer acts as their
//! identity that belongs to the group (the strongest membership when several do); the
//! group's other members hear of new words by mail, queued in the same transaction.

use entity::member::MemberRole;
use entity::{discussion, discussion_comment};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, NotSet, QueryFilter,
    Set,
};

use super::{federated, notices, policy};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::outbox::Change;
use crate::principal::Principal;

pub const MAX_TITLE_CHARS: usize = 200;
/// Bytes of a comment's text as written (HTML included), before it is cleaned: as event
/// comments.
pub const MAX_TEXT_BYTES: usize = crate::comments::MAX_TEXT_BYTES;

/// Which discussion: by its id (Mobilizon's API) or its slug (its page, Mobilizon's query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscussionRef {
    Id(i64),
    Slug(String),
}

/// Which comment of a discussion: by its uuid (the API answers comments of discussions by
/// their uuid, as messages of conversations, since their ids are not event comments' ones),
/// or by its address (another instance's `Update` or `Delete` names it so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentRef {
    Uuid(String),
    ApId(String),
}

#[derive(Debug, Clone)]
pub struct NewDiscussion {
    pub group_id: i64,
    pub title: String,
    /// The first comment, HTML; cleaned before it is kept.
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub discussion: DiscussionRef,
    /// HTML; cleaned before it is kept.
    pub text: String,
    /// Set for an answer a member on another instance sent, and only then.
    pub remote: Option<RemoteComment>,
}

/// An answer from another instance, as its `Note` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteComment {
    pub ap_id: String,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What became of a comment's deletion.
#[derive(Debug, Clone, PartialEq)]
pub enum Deleted {
    /// The comment is a tombstone now.
    Deleted(discussion_comment::Model),
    /// It was one already.
    AlreadyDeleted(discussion_comment::Model),
}

impl Deleted {
    pub fn comment(&self) -> &discussion_comment::Model {
        match self {
            Deleted::Deleted(c) | Deleted::AlreadyDeleted(c) => c,
        }
    }
}

/// A member starts a discussion in their group: a title and a first comment. Both are
/// bounded, the text cleaned as event comments are and counted in the same rate.
pub async fn create(
    ctx: &AppContext,
    principal: &Principal,
    new: NewDiscussion,
) -> Result<(discussion::Model, discussion_comment::Model)> {
    principal.require_known()?;
    let title = clean_title(&new.title)?;
    let text = crate::comments::written_text(&ctx.db, principal, &new.text).await?;
    crate::comments::spend(ctx, principal).await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let group = crate::groups::find(&tx, new.group_id).await?;
    if !policy::starts_here(group.is_local()) {
        return Err(Error::rule(
            "discussion_elsewhere",
            "discussions of a group of another instance start on that instance",
        ));
    }
    let (author, _) = member_writing(&tx, principal, group.id).await?;
    let uuid = uuid::Uuid::new_v4();
    let slug = crate::posts::slug_of(&title, &uuid);
    let handle = crate::actors::handle(&group);
    let row = discussion::ActiveModel {
        id: NotSet,
        uuid: Set(uuid.to_string()),
        ap_id: Set(ctx.url(&format!("/@{handle}/c/{slug}"))),
        slug: Set(slug),
        group_id: Set(group.id),
        creator_id: Set(author.id),
        title: Set(title),
        local: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    // As Mobilizon: the first comment is the discussion's `Note`, with its address.
    let first_note = RemoteComment {
        ap_id: row.ap_id.clone(),
        published_at: Some(now),
    };
    let written = Written {
        text,
        remote: Some(&first_note),
        now,
    };
    let first = insert_comment(ctx, &tx, &row, &author, written).await?;
    notices::queue_to_members(ctx, &tx, &group, &row, &first, &author, true, now).await?;
    federated::record(ctx, &tx, now, &group, &first, Change::Posted, None).await?;
    tx.commit().await?;
    Ok((row, first))
}

/// A member answers a discussion of their group, here or from another instance (the `Note`
/// its instance sent, kept by its address: the same `Note` twice is one answer).
pub async fn reply(
    ctx: &AppContext,
    principal: &Principal,
    reply: Reply,
) -> Result<(discussion::Model, discussion_comment::Model)> {
    principal.require_known()?;
    let text = crate::comments::written_text(&ctx.db, principal, &reply.text).await?;
    match (principal, &reply.remote) {
        (Principal::Remote { .. }, None) => {
            return Err(Error::invalid("id", "an answer from elsewhere has an id"));
        }
        (Principal::Remote { .. }, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            return Err(Error::forbidden(
                "only another instance names its answers' addresses",
            ));
        }
    }
    if let Some(remote) = &reply.remote
        && let Some(known) = discussion_comment::Entity::find()
            .filter(discussion_comment::Column::ApId.eq(remote.ap_id.as_str()))
            .one(&ctx.db)
            .await?
    {
        let discussion = super::find(&ctx.db, known.discussion_id).await?;
        return Ok((discussion, known));
    }
    crate::comments::spend(ctx, principal).await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let discussion = super::find_visible(&tx, principal, &reply.discussion).await?;
    let group = crate::groups::find(&tx, discussion.group_id).await?;
    let (author, _) = member_writing(&tx, principal, group.id).await?;
    let written = Written {
        text,
        remote: reply.remote.as_ref(),
        now,
    };
    let comment = insert_comment(ctx, &tx, &discussion, &author, written).await?;
    let mut moved: discussion::ActiveModel = discussion.into();
    moved.updated_at = Set(now);
    let discussion = moved.update(&tx).await?;
    notices::queue_to_members(ctx, &tx, &group, &discussion, &comment, &author, false, now).await?;
    let came_from = federated::came_from(principal);
    federated::record(ctx, &tx, now, &group, &comment, Change::Posted, came_from).await?;
    tx.commit().await?;
    Ok((discussion, comment))
}

/// Its creator or a moderator of the group gives a discussion another title.
pub async fn rename(
    ctx: &AppContext,
    principal: &Principal,
    which: DiscussionRef,
    title: &str,
) -> Result<discussion::Model> {
    principal.require_known()?;
    let title = clean_title(title)?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let discussion = super::find_visible(&tx, principal, &which).await?;
    check_manager(&tx, principal, &discussion).await?;
    let mut row: discussion::ActiveModel = discussion.into();
    row.title = Set(title);
    row.updated_at = Set(now);
    let row = row.update(&tx).await?;
    // The first comment is the discussion's `Note`, which carries the title: members
    // elsewhere hear of the new one through its `Update`.
    let first = discussion_comment::Entity::find()
        .filter(discussion_comment::Column::ApId.eq(row.ap_id.as_str()))
        .one(&tx)
        .await?;
    if let Some(first) = first.filter(|c| c.deleted_at.is_none()) {
        let group = crate::actors::find(&tx, row.group_id).await?;
        federated::record(ctx, &tx, now, &group, &first, Change::Updated, None).await?;
    }
    tx.commit().await?;
    Ok(row)
}

/// Its creator or a moderator of the group deletes a discussion, with all its comments.
/// Answers the discussion as it was.
pub async fn delete(
    ctx: &AppContext,
    principal: &Principal,
    which: DiscussionRef,
) -> Result<discussion::Model> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    let discussion = super::find_visible(&tx, principal, &which).await?;
    check_manager(&tx, principal, &discussion).await?;
    discussion_comment::Entity::delete_many()
        .filter(discussion_comment::Column::DiscussionId.eq(discussion.id))
        .exec(&tx)
        .await?;
    discussion.clone().delete(&tx).await?;
    tx.commit().await?;
    Ok(discussion)
}

/// The author changes the text of their comment, while still a member of the group.
pub async fn update_comment(
    ctx: &AppContext,
    principal: &Principal,
    which: CommentRef,
    text: &str,
) -> Result<discussion_comment::Model> {
    principal.require_known()?;
    let text = crate::comments::written_text(&ctx.db, principal, text).await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let (comment, discussion) = visible_comment(&tx, principal, &which).await?;
    let role = super::role_in(&tx, principal, discussion.group_id).await?;
    let author = principal.actor_ids(&tx).await?.contains(&comment.actor_id);
    if !policy::can_edit_comment(role, author) {
        return Err(Error::forbidden("only its author may change a comment"));
    }
    if comment.deleted_at.is_some() {
        return Err(Error::rule(
            "comment_deleted",
            "this comment was deleted: it cannot change any more",
        ));
    }
    if comment.text == text {
        // The same text saved again (or sent again): nobody elsewhere needs to hear it.
        tx.commit().await?;
        return Ok(comment);
    }
    let mut row: discussion_comment::ActiveModel = comment.into();
    row.text = Set(text);
    row.updated_at = Set(now);
    let row = row.update(&tx).await?;
    let group = crate::actors::find(&tx, discussion.group_id).await?;
    let came_from = federated::came_from(principal);
    federated::record(ctx, &tx, now, &group, &row, Change::Updated, came_from).await?;
    tx.commit().await?;
    Ok(row)
}

/// The author or a moderator of the group deletes a comment: its text goes, a tombstone
/// stays in the discussion.
pub async fn delete_comment(
    ctx: &AppContext,
    principal: &Principal,
    which: CommentRef,
) -> Result<Deleted> {
    principal.require_known()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let (comment, discussion) = visible_comment(&tx, principal, &which).await?;
    let role = super::role_in(&tx, principal, discussion.group_id).await?;
    let author = principal.actor_ids(&tx).await?.contains(&comment.actor_id);
    if !policy::can_delete_comment(role, author) {
        return Err(Error::forbidden(
            "only its author and the group's moderators may delete a comment",
        ));
    }
    if comment.deleted_at.is_some() {
        return Ok(Deleted::AlreadyDeleted(comment));
    }
    let mut row: discussion_comment::ActiveModel = comment.into();
    row.text = Set(String::new());
    row.deleted_at = Set(Some(now));
    row.updated_at = Set(now);
    let row = row.update(&tx).await?;
    let group = crate::actors::find(&tx, discussion.group_id).await?;
    let came_from = federated::came_from(principal);
    federated::record(ctx, &tx, now, &group, &row, Change::Deleted, came_from).await?;
    tx.commit().await?;
    Ok(Deleted::Deleted(row))
}

/// A comment and its discussion, or `not_found` when the caller is not a member of the group.
async fn visible_comment(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    which: &CommentRef,
) -> Result<(discussion_comment::Model, discussion::Model)> {
    let comment = match which {
        CommentRef::Uuid(uuid) => super::find_comment(conn, uuid).await?,
        CommentRef::ApId(ap_id) => discussion_comment::Entity::find()
            .filter(discussion_comment::Column::ApId.eq(ap_id.as_str()))
            .one(conn)
            .await?
            .ok_or(Error::not_found("comment"))?,
    };
    let discussion =
        super::find_visible(conn, principal, &DiscussionRef::Id(comment.discussion_id))
            .await
            .map_err(|_| Error::not_found("comment"))?;
    Ok((comment, discussion))
}

/// The identity the caller writes as in this group, and its role; `forbidden` for someone
/// who is not a member.
async fn member_writing(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
) -> Result<(entity::actor::Model, MemberRole)> {
    let membership = crate::groups::membership_of(conn, principal, group_id).await?;
    let Some(membership) = membership.filter(|m| policy::can_take_part(Some(m.role))) else {
        return Err(Error::forbidden(
            "only the group's members take part in its discussions",
        ));
    };
    let author = crate::actors::find(conn, membership.actor_id).await?;
    crate::comments::check_author(conn, &author).await?;
    Ok((author, membership.role))
}

async fn check_manager(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    discussion: &discussion::Model,
) -> Result<()> {
    let role = super::role_in(conn, principal, discussion.group_id).await?;
    let creator = principal
        .actor_ids(conn)
        .await?
        .contains(&discussion.creator_id);
    if policy::can_manage(role, creator) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "only its creator and the group's moderators may rename or delete a discussion",
        ))
    }
}

/// A comment as it is about to be kept.
struct Written<'a> {
    text: String,
    remote: Option<&'a RemoteComment>,
    now: chrono::DateTime<chrono::Utc>,
}

async fn insert_comment(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    discussion: &discussion::Model,
    author: &entity::actor::Model,
    written: Written<'_>,
) -> Result<discussion_comment::Model> {
    let now = written.now;
    let uuid = uuid::Uuid::new_v4().to_string();
    let (ap_id, published_at) = match written.remote {
        Some(remote) => (
            remote.ap_id.clone(),
            remote.published_at.filter(|p| *p <= now).unwrap_or(now),
        ),
        None => (ctx.url(&format!("/comments/{uuid}")), now),
    };
    Ok(discussion_comment::ActiveModel {
        id: NotSet,
        ap_id: Set(ap_id),
        uuid: Set(uuid),
        discussion_id: Set(discussion.id),
        actor_id: Set(author.id),
        text: Set(written.text),
        language: Set(None),
        local: Set(author.is_local()),
        published_at: Set(published_at),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    }
    .insert(conn)
    .await?)
}

pub(super) fn clean_title(raw: &str) -> Result<String> {
    let title = raw.trim();
    let chars = title.chars().count();
    if chars == 0 || chars > MAX_TITLE_CHARS {
        return Err(Error::invalid(
            "title",
            format!("a discussion's title has between 1 and {MAX_TITLE_CHARS} characters"),
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(Error::invalid(
            "title",
            "control characters are not allowed",
        ));
    }
    Ok(title.to_owned())
}
