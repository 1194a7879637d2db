//! Group discussions (Mobilizon's): threads that a group's members start and answer, seen by
//! the members alone. Each use case is one function taking a `Principal`: [`create`] (a
//! title and a first comment), [`reply`], [`rename`], [`delete`], [`update_comment`],
//! [`delete_comment`]. Reading: [`find_visible`], [`of_group`], [`comments_of`],
//! [`last_comments`]. Rules in [`policy`]; members hear of new words by mail ([`notices`]);
//! members on other instances through [`federated`], which also keeps copies of other
//! instances' discussions ([`keep`], [`forget`]).

pub mod federated;
pub mod notices;
pub mod policy;
mod write;

use std::collections::HashMap;

use entity::member::MemberRole;
use entity::{discussion, discussion_comment};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub use federated::{CopiedComment, Kept, audience, forget, keep};
pub use write::{
    CommentRef, Deleted, DiscussionRef, MAX_TEXT_BYTES, MAX_TITLE_CHARS, NewDiscussion,
    RemoteComment, Reply, create, delete, delete_comment, rename, reply, update_comment,
};

use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<discussion::Model> {
    discussion::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("discussion"))
}

async fn find_by_slug(conn: &impl ConnectionTrait, slug: &str) -> Result<discussion::Model> {
    discussion::Entity::find()
        .filter(discussion::Column::Slug.eq(slug.trim()))
        .one(conn)
        .await?
        .ok_or(Error::not_found("discussion"))
}

/// A discussion by its address (its `Note`'s `context` names it).
pub async fn find_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<discussion::Model>> {
    Ok(discussion::Entity::find()
        .filter(discussion::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

pub async fn find_comment(
    conn: &impl ConnectionTrait,
    uuid: &str,
) -> Result<discussion_comment::Model> {
    discussion_comment::Entity::find()
        .filter(discussion_comment::Column::Uuid.eq(uuid.trim().to_ascii_lowercase()))
        .one(conn)
        .await?
        .ok_or(Error::not_found("comment"))
}

/// A comment of a discussion by its row id (the jobs name it so).
pub async fn find_comment_by_id(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<discussion_comment::Model> {
    discussion_comment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("comment"))
}

/// A comment of a discussion by its address (its `Note`'s `id`).
pub async fn find_comment_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<discussion_comment::Model>> {
    Ok(discussion_comment::Entity::find()
        .filter(discussion_comment::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

/// A comment of a discussion by its uuid (its address, `/comments/{uuid}`), for a member of
/// the group (its page), or for another instance where a member lives or the group does,
/// asking through any of its actors (a peer fetching its `Note`); `not_found` for anyone else,
/// so that nothing of a members-only discussion shows, not even that it exists.
pub async fn find_comment_for(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    uuid: &str,
) -> Result<(discussion_comment::Model, discussion::Model)> {
    principal.require_known()?;
    let comment = find_comment(conn, uuid).await?;
    let discussion = find(conn, comment.discussion_id).await?;
    let allowed = match principal {
        Principal::Remote { actor_id, .. } => {
            let fetcher = crate::actors::find(conn, *actor_id).await?;
            let group = crate::actors::find(conn, discussion.group_id).await?;
            let of_group_instance = fetcher.domain.is_some() && fetcher.domain == group.domain;
            let member_there = match &fetcher.domain {
                Some(domain) => member_on(conn, group.id, domain).await?,
                None => false,
            };
            policy::instance_reads(of_group_instance, member_there)
        }
        _ => takes_part(conn, principal, discussion.group_id).await?,
    };
    if allowed {
        Ok((comment, discussion))
    } else {
        Err(Error::not_found("comment"))
    }
}

/// Whether an actor of `domain` belongs to the group.
async fn member_on(conn: &impl ConnectionTrait, group_id: i64, domain: &str) -> Result<bool> {
    use entity::{actor, member};
    let there = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::Domain.eq(domain))
        .filter(actor::Column::Suspended.eq(false));
    let count = member::Entity::find()
        .filter(member::Column::GroupId.eq(group_id))
        .filter(member::Column::Role.is_in(MemberRole::BELONGING))
        .filter(member::Column::ActorId.in_subquery(sea_orm::QueryTrait::into_query(there)))
        .count(conn)
        .await?;
    Ok(count > 0)
}

/// The caller's role in a group, among the identities they speak for (none in a suspended
/// group: its discussions are out of reach with it).
async fn role_in(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
) -> Result<Option<MemberRole>> {
    if crate::groups::find(conn, group_id).await.is_err() {
        return Ok(None);
    }
    Ok(crate::groups::membership_of(conn, principal, group_id)
        .await?
        .map(|m| m.role))
}

/// A discussion by its id or slug (Mobilizon's `discussion(id|slug)`, the discussion's page),
/// or `not_found` when the caller is not a member of its group (`unauthenticated` for an
/// anonymous one: logging in may help).
pub async fn find_visible(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    which: &DiscussionRef,
) -> Result<discussion::Model> {
    principal.require_known()?;
    let discussion = match which {
        DiscussionRef::Id(id) => find(conn, *id).await?,
        DiscussionRef::Slug(slug) => find_by_slug(conn, slug).await?,
    };
    if policy::can_take_part(role_in(conn, principal, discussion.group_id).await?) {
        Ok(discussion)
    } else {
        Err(Error::not_found("discussion"))
    }
}

/// Whether `principal` reads and writes the discussions of this group (the group's page
/// links them then).
pub async fn takes_part(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
) -> Result<bool> {
    Ok(policy::can_take_part(
        role_in(conn, principal, group_id).await?,
    ))
}

/// A group's discussions, the one that moved last first (Mobilizon's `Group.discussions`).
/// Someone who is not a member gets an empty list, as from Mobilizon.
pub async fn of_group(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
    page: Page,
) -> Result<Paginated<discussion::Model>> {
    if !takes_part(conn, principal, group_id).await? {
        return Ok(Paginated {
            total: 0,
            elements: Vec::new(),
        });
    }
    let query = discussion::Entity::find().filter(discussion::Column::GroupId.eq(group_id));
    let total = query.clone().count(conn).await?;
    if page.limit == 0 {
        return Ok(Paginated {
            total,
            elements: Vec::new(),
        });
    }
    let elements = query
        .order_by_desc(discussion::Column::UpdatedAt)
        .order_by_desc(discussion::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// The comments of a discussion found with [`find_visible`], oldest first, tombstones
/// included (they keep the conversation's order readable), without what suspended actors
/// wrote.
pub async fn comments_of(
    conn: &impl ConnectionTrait,
    discussion: &discussion::Model,
    page: Page,
) -> Result<Paginated<discussion_comment::Model>> {
    let query = discussion_comment::Entity::find()
        .filter(discussion_comment::Column::DiscussionId.eq(discussion.id))
        .filter(
            discussion_comment::Column::ActorId.not_in_subquery(crate::events::suspended_actors()),
        );
    let total = query.clone().count(conn).await?;
    if page.limit == 0 {
        return Ok(Paginated {
            total,
            elements: Vec::new(),
        });
    }
    let elements = query
        .order_by_asc(discussion_comment::Column::PublishedAt)
        .order_by_asc(discussion_comment::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// The page a comment shows on, with `per_page` comments a page, oldest first (as
/// [`comments_of`] lists them).
pub async fn page_of(
    conn: &impl ConnectionTrait,
    comment: &discussion_comment::Model,
    per_page: u64,
) -> Result<u64> {
    use sea_orm::Condition;
    let before = discussion_comment::Entity::find()
        .filter(discussion_comment::Column::DiscussionId.eq(comment.discussion_id))
        .filter(
            discussion_comment::Column::ActorId.not_in_subquery(crate::events::suspended_actors()),
        )
        .filter(
            Condition::any()
                .add(discussion_comment::Column::PublishedAt.lt(comment.published_at))
                .add(
                    Condition::all()
                        .add(discussion_comment::Column::PublishedAt.eq(comment.published_at))
                        .add(discussion_comment::Column::Id.lte(comment.id)),
                ),
        )
        .count(conn)
        .await?;
    Ok(before.div_ceil(per_page.max(1)).max(1))
}

/// The latest comment of each of these discussions (Mobilizon's `lastComment`), in one
/// query per call rather than one per discussion.
pub async fn last_comments(
    conn: &impl ConnectionTrait,
    discussion_ids: &[i64],
) -> Result<HashMap<i64, discussion_comment::Model>> {
    if discussion_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let latest: Vec<(i64, i64)> = discussion_comment::Entity::find()
        .select_only()
        .column(discussion_comment::Column::DiscussionId)
        .column_as(discussion_comment::Column::Id.max(), "latest")
        .filter(discussion_comment::Column::DiscussionId.is_in(discussion_ids.iter().copied()))
        .filter(
            discussion_comment::Column::ActorId.not_in_subquery(crate::events::suspended_actors()),
        )
        .group_by(discussion_comment::Column::DiscussionId)
        .into_tuple()
        .all(conn)
        .await?;
    let rows = discussion_comment::Entity::find()
        .filter(discussion_comment::Column::Id.is_in(latest.into_iter().map(|(_, id)| id)))
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|c| (c.discussion_id, c)).collect())
}

#[cfg(test)]
mod federated_tests;
#[cfg(test)]
mod tests;
