//! Discussions across instances, as Mobilizon has them: the discussions of a group live on
//! the group's instance, which tells its members on other instances of each new, changed or
//! deleted comment; those instances keep a copy for their members, who answer there, and
//! their answers go back to the group's instance.
//!
//! [`record`] notes what other instances must hear (a `federation.publish` job, in the
//! transaction of the change); [`audience`] says which inboxes. [`keep`] and [`forget`] are
//! the use case of an instance keeping its copy of another instance's discussion: the group's
//! instance speaks for it (the group itself or an actor of its instance), and a copy is kept
//! only while someone here belongs to the group.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::member::{self, MemberRole};
use entity::{actor, discussion, discussion_comment};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait,
    QueryFilter, QuerySelect, Set,
};

use super::{notices, policy};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::outbox::{self, Change, Happened};
use crate::principal::Principal;

/// Records that a comment of a discussion changed, when another instance must hear of it:
/// always for a discussion of one of our groups (its members elsewhere), and for a copy of
/// another instance's discussion when the comment was written here.
pub(super) async fn record(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    group: &actor::Model,
    comment: &discussion_comment::Model,
    change: Change,
    came_from: Option<i64>,
) -> Result<()> {
    if !policy::federates(group.is_local(), comment.local) {
        return Ok(());
    }
    let what = Happened::DiscussionCommentChanged {
        comment_id: comment.id,
        change,
        came_from,
    };
    outbox::record(ctx, conn, now, what).await
}

/// The remote actor a principal is, for [`record`]'s `came_from`.
pub(super) fn came_from(principal: &Principal) -> Option<i64> {
    match principal {
        Principal::Remote { actor_id, .. } => Some(*actor_id),
        _ => None,
    }
}

/// Where a comment of `discussion` goes: for one of our groups, the inboxes of its members on
/// other instances (a shared inbox once per instance), but the instance it came from; for
/// another instance's group, that group's inbox.
pub async fn audience(
    conn: &impl ConnectionTrait,
    discussion: &discussion::Model,
    came_from: Option<i64>,
) -> Result<Vec<String>> {
    let group = crate::actors::find(conn, discussion.group_id).await?;
    if !group.is_local() {
        let inbox = group.shared_inbox_url.or(group.inbox_url);
        return Ok(inbox.into_iter().collect());
    }
    let skip = match came_from {
        Some(id) => crate::actors::find(conn, id).await?.domain,
        None => None,
    };
    let members: Vec<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::ActorId)
        .filter(member::Column::GroupId.eq(group.id))
        .filter(member::Column::Role.is_in(MemberRole::BELONGING))
        .into_tuple()
        .all(conn)
        .await?;
    let elsewhere = actor::Entity::find()
        .filter(actor::Column::Id.is_in(members))
        .filter(actor::Column::Domain.is_not_null())
        .filter(actor::Column::Suspended.eq(false))
        .all(conn)
        .await?;
    let inboxes: BTreeSet<String> = elsewhere
        .into_iter()
        .filter(|a| skip.is_none() || a.domain != skip)
        .filter_map(|a| a.shared_inbox_url.or(a.inbox_url))
        .collect();
    Ok(inboxes.into_iter().collect())
}

/// A comment of another instance's discussion, as that instance sent it.
#[derive(Debug, Clone)]
pub struct CopiedComment {
    /// The discussion's address (the `Note`'s `context`).
    pub discussion_ap_id: String,
    /// The group it belongs to (`attributedTo`), known here.
    pub group_id: i64,
    /// Its author (`actor`), known here.
    pub author_id: i64,
    /// Set when the `Note` starts the discussion (or renames it): its title.
    pub title: Option<String>,
    pub ap_id: String,
    /// HTML; cleaned before it is kept.
    pub text: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// What became of a copied comment.
#[derive(Debug, Clone, PartialEq)]
pub enum Kept {
    /// New here: its discussion's members here were told by mail.
    Stored(discussion_comment::Model),
    /// Known: its text (and the discussion's title) follow the group's instance.
    Updated(discussion_comment::Model),
    /// Written here, or deleted: nothing changes (the group's instance echoing it).
    Unchanged,
}

/// The group's instance tells us of a comment of one of its discussions (new or changed):
/// kept for the members here, who read and answer it on this instance.
pub async fn keep(ctx: &AppContext, principal: &Principal, copied: CopiedComment) -> Result<Kept> {
    let text = crate::comments::clean_text(&copied.text)?;
    let title = copied.title.as_deref().map(super::write::clean_title);
    let title = title.transpose()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let group = crate::groups::find(&tx, copied.group_id).await?;
    check_speaks_for(&tx, principal, &group).await?;
    if !someone_here_belongs(&tx, group.id).await? {
        return Err(Error::forbidden("nobody here belongs to this group"));
    }
    let author = crate::actors::find(&tx, copied.author_id).await?;
    crate::comments::check_author(&tx, &author).await?;
    let known = super::find_by_ap_id(&tx, &copied.discussion_ap_id).await?;
    let (discussion, started) = match known {
        Some(known) if known.group_id != group.id => {
            return Err(Error::forbidden("this discussion belongs to another group"));
        }
        Some(known) => match &title {
            Some(title) if *title != known.title => {
                let mut row: discussion::ActiveModel = known.into();
                row.title = Set(title.clone());
                (row.update(&tx).await?, false)
            }
            _ => (known, false),
        },
        None => {
            let Some(title) = title else {
                return Err(Error::not_found("discussion"));
            };
            let uuid = uuid::Uuid::new_v4();
            let row = discussion::ActiveModel {
                id: NotSet,
                uuid: Set(uuid.to_string()),
                ap_id: Set(copied.discussion_ap_id.clone()),
                slug: Set(crate::posts::slug_of(&title, &uuid)),
                group_id: Set(group.id),
                creator_id: Set(author.id),
                title: Set(title),
                local: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&tx)
            .await?;
            (row, true)
        }
    };
    let existing = discussion_comment::Entity::find()
        .filter(discussion_comment::Column::ApId.eq(copied.ap_id.as_str()))
        .one(&tx)
        .await?;
    let kept = match existing {
        Some(comment) if comment.discussion_id != discussion.id => {
            return Err(Error::forbidden(
                "this comment belongs to another discussion",
            ));
        }
        Some(comment) if comment.local || comment.deleted_at.is_some() => Kept::Unchanged,
        Some(comment) if comment.text == text => Kept::Unchanged,
        Some(comment) => {
            let mut row: discussion_comment::ActiveModel = comment.into();
            row.text = Set(text);
            row.updated_at = Set(now);
            Kept::Updated(row.update(&tx).await?)
        }
        None => {
            let published_at = copied.published_at.filter(|p| *p <= now).unwrap_or(now);
            let comment = discussion_comment::ActiveModel {
                id: NotSet,
                ap_id: Set(copied.ap_id.clone()),
                uuid: Set(uuid::Uuid::new_v4().to_string()),
                discussion_id: Set(discussion.id),
                actor_id: Set(author.id),
                text: Set(text),
                language: Set(None),
                local: Set(false),
                published_at: Set(published_at),
                created_at: Set(now),
                updated_at: Set(now),
                deleted_at: Set(None),
            }
            .insert(&tx)
            .await?;
            let mut moved: discussion::ActiveModel = discussion.clone().into();
            moved.updated_at = Set(now);
            let discussion = moved.update(&tx).await?;
            notices::queue_to_members(
                ctx,
                &tx,
                &group,
                &discussion,
                &comment,
                &author,
                started,
                now,
            )
            .await?;
            Kept::Stored(comment)
        }
    };
    tx.commit().await?;
    Ok(kept)
}

/// The group's instance (or the comment's author) deleted a comment of a discussion we keep
/// a copy of, even one written here (the group's moderators delete anyone's words): a
/// tombstone stays in the copy. Answers whether it was still there.
pub async fn forget(ctx: &AppContext, principal: &Principal, ap_id: &str) -> Result<bool> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let Some(comment) = discussion_comment::Entity::find()
        .filter(discussion_comment::Column::ApId.eq(ap_id))
        .one(&tx)
        .await?
    else {
        return Err(Error::not_found("comment"));
    };
    let discussion = super::find(&tx, comment.discussion_id).await?;
    let group = crate::actors::find(&tx, discussion.group_id).await?;
    if group.is_local() {
        return Err(Error::forbidden(
            "our groups' discussions change here, through their members",
        ));
    }
    if comment.deleted_at.is_some() {
        return Ok(false);
    }
    let sender = principal.actor_ids(&tx).await?;
    if !sender.contains(&comment.actor_id) {
        check_speaks_for(&tx, principal, &group).await?;
    }
    let mut row: discussion_comment::ActiveModel = comment.into();
    row.text = Set(String::new());
    row.deleted_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(&tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether the sender speaks for this group's discussions: the group itself or an actor of
/// its instance, for a group of another instance.
async fn check_speaks_for(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group: &actor::Model,
) -> Result<()> {
    let Principal::Remote { actor_id, .. } = principal else {
        return Err(Error::forbidden(
            "only the group's instance sends its discussions",
        ));
    };
    let sender = crate::actors::find(conn, *actor_id).await?;
    crate::comments::check_author(conn, &sender).await?;
    let same_instance = sender.domain.is_some() && sender.domain == group.domain;
    if policy::speaks_for_copy(sender.id == group.id, same_instance, group.is_local()) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "only the group's instance speaks for its discussions",
        ))
    }
}

async fn someone_here_belongs(conn: &impl ConnectionTrait, group_id: i64) -> Result<bool> {
    let local = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::Domain.is_null());
    let count = member::Entity::find()
        .filter(member::Column::GroupId.eq(group_id))
        .filter(member::Column::Role.is_in(MemberRole::BELONGING))
        .filter(member::Column::ActorId.in_subquery(sea_orm::QueryTrait::into_query(local)))
        .count(conn)
        .await?;
    Ok(count > 0)
}
