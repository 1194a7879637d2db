//! Group posts: announcements by a group's moderators, public, unlisted or for members only,
//! draft or published, written here or received from a group we follow elsewhere. Each use
//! case is one function taking a `Principal`, whoever writes: [`create`], [`update`],
//! [`delete`] (a person here through the API or a page; a remote group's instance through the
//! `Article` it sent). Reading: [`find_visible_by_slug`], [`of_group`], [`public_of_group`].
//! Rules in [`policy`].

pub mod policy;
mod write;

use std::collections::HashMap;

use entity::post::{self, PostVisibility};
use entity::{MemberRole, post_tag, tag};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

pub use write::{
    Body, MAX_BODY_CHARS, MAX_TITLE_CHARS, NewPost, PostChanges, PostRef, Posted, RemotePost,
    create, delete, update,
};
pub(crate) use write::{check_writer, slug_of};

use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<post::Model> {
    post::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("post"))
}

pub async fn find_by_uuid(conn: &impl ConnectionTrait, uuid: &str) -> Result<post::Model> {
    post::Entity::find()
        .filter(post::Column::Uuid.eq(uuid.trim().to_ascii_lowercase()))
        .one(conn)
        .await?
        .ok_or(Error::not_found("post"))
}

pub async fn find_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<post::Model>> {
    Ok(post::Entity::find()
        .filter(post::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

pub fn facts(post: &post::Model) -> policy::PostFacts {
    policy::PostFacts {
        visibility: post.visibility,
        draft: post.draft,
    }
}

/// The caller's role in a group, among the identities they speak for.
async fn role_in(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
) -> Result<Option<MemberRole>> {
    Ok(crate::groups::membership_of(conn, principal, group_id)
        .await?
        .map(|m| m.role))
}

/// Whether `principal` may see `post` (its group not suspended, and the visibility rules).
pub async fn visible(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    post: &post::Model,
) -> Result<bool> {
    if crate::groups::find(conn, post.group_id).await.is_err() {
        return Ok(false);
    }
    let role = role_in(conn, principal, post.group_id).await?;
    Ok(policy::can_view(
        facts(post),
        role,
        principal.is_instance_moderator(),
    ))
}

/// A post by its slug (Mobilizon's `post(slug)`, the page `/p/{slug}`), or `not_found` when
/// the caller may not see it.
pub async fn find_visible_by_slug(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    slug: &str,
) -> Result<post::Model> {
    let post = post::Entity::find()
        .filter(post::Column::Slug.eq(slug.trim()))
        .one(conn)
        .await?
        .ok_or(Error::not_found("post"))?;
    if visible(conn, principal, &post).await? {
        Ok(post)
    } else {
        Err(Error::not_found("post"))
    }
}

/// Newest first: by publication, a draft by when it was written.
fn newest_first(query: sea_orm::Select<post::Entity>) -> sea_orm::Select<post::Entity> {
    let when = Func::coalesce([
        Expr::col(post::Column::PublishAt),
        Expr::col(post::Column::CreatedAt),
    ]);
    query
        .order_by(Expr::expr(when), Order::Desc)
        .order_by_desc(post::Column::Id)
}

/// A group's posts as `principal` may list them (Mobilizon's `Group.posts`): every post for
/// its members, the published public ones for everyone else.
pub async fn of_group(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
    page: Page,
) -> Result<Paginated<post::Model>> {
    let role = role_in(conn, principal, group_id).await?;
    let mut query = post::Entity::find().filter(post::Column::GroupId.eq(group_id));
    if policy::listed(role, principal.is_instance_moderator()) == policy::Listed::PublicOnly {
        query = published_public(query);
    }
    let total = query.clone().count(conn).await?;
    if page.limit == 0 {
        return Ok(Paginated {
            total,
            elements: Vec::new(),
        });
    }
    let elements = newest_first(query)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

fn published_public(query: sea_orm::Select<post::Entity>) -> sea_orm::Select<post::Entity> {
    query
        .filter(post::Column::Visibility.eq(PostVisibility::Public))
        .filter(post::Column::Draft.eq(false))
}

/// A group's latest published public posts, for its feed: what anyone may read.
pub async fn public_of_group(
    conn: &impl ConnectionTrait,
    group_id: i64,
    limit: u64,
) -> Result<Vec<post::Model>> {
    Ok(newest_first(published_public(
        post::Entity::find().filter(post::Column::GroupId.eq(group_id)),
    ))
    .limit(limit)
    .all(conn)
    .await?)
}

/// The tags of several posts at once.
pub async fn tags_of(
    conn: &impl ConnectionTrait,
    post_ids: &[i64],
) -> Result<HashMap<i64, Vec<tag::Model>>> {
    if post_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let links = post_tag::Entity::find()
        .filter(post_tag::Column::PostId.is_in(post_ids.iter().copied()))
        .all(conn)
        .await?;
    let links = links.into_iter().map(|l| (l.post_id, l.tag_id)).collect();
    crate::events::tags::by_owner(conn, links).await
}

/// Where a post goes: the instances of the group's followers (shared inboxes once per host).
pub async fn audience(conn: &impl ConnectionTrait, post: &post::Model) -> Result<Vec<String>> {
    crate::groups::followers::follower_inboxes_elsewhere(conn, &[post.group_id]).await
}

/// Whether any local actor follows this remote group: only then are its posts kept here
/// (as its events are).
pub async fn followed_here(conn: &impl ConnectionTrait, group_id: i64) -> Result<bool> {
    crate::groups::followers::has_local_followers(conn, &[group_id]).await
}

#[cfg(test)]
mod tests;
