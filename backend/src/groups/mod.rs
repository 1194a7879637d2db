//! Groups: collectives as actors, with members (roles), followers, and events organized in
//! their name.

pub mod followers;
pub mod follows;
pub mod members;
pub mod policy;
pub mod service;

use std::collections::HashMap;

use entity::actor::{self, ActorKind, ActorVisibility};
use entity::member::{self, MemberRole};
use entity::{follow, user};
use sea_orm::QueryTrait as _;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// Mobilizon's group visibility: listed and searchable, or only reachable by its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupVisibility {
    Public,
    Unlisted,
}

impl GroupVisibility {
    pub fn of(group: &actor::Model) -> Self {
        match group.visibility {
            ActorVisibility::Public => GroupVisibility::Public,
            _ => GroupVisibility::Unlisted,
        }
    }
}

/// A group by id (not suspended).
pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<actor::Model> {
    actor::Entity::find_by_id(id)
        .filter(actor::Column::Kind.eq(ActorKind::Group))
        .filter(actor::Column::Suspended.eq(false))
        .one(conn)
        .await?
        .ok_or(Error::not_found("group"))
}

/// A group by `name` (local) or `name@host` (known remote).
pub async fn find_by_username(conn: &impl ConnectionTrait, handle: &str) -> Result<actor::Model> {
    crate::actors::find_by_handle(conn, handle)
        .await?
        .filter(|a| a.kind == ActorKind::Group && !a.suspended)
        .ok_or(Error::not_found("group"))
}

/// The caller's strongest membership in a group, among the actors they speak for.
pub async fn membership_of(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
) -> Result<Option<member::Model>> {
    let actor_ids = principal.actor_ids(conn).await?;
    if actor_ids.is_empty() {
        return Ok(None);
    }
    let rows = member::Entity::find()
        .filter(member::Column::GroupId.eq(group_id))
        .filter(member::Column::ActorId.is_in(actor_ids))
        .all(conn)
        .await?;
    Ok(rows.into_iter().max_by_key(|m| m.role.rank()))
}

/// The role of one actor in a group, if it has any.
pub async fn role_of_actor(
    conn: &impl ConnectionTrait,
    actor_id: i64,
    group_id: i64,
) -> Result<Option<MemberRole>> {
    Ok(member::Entity::find()
        .filter(member::Column::GroupId.eq(group_id))
        .filter(member::Column::ActorId.eq(actor_id))
        .one(conn)
        .await?
        .map(|m| m.role))
}

/// Members of a group, filtered by role and, when `name` is given, by the name or username
/// of the member (any case); visible to its members and instance moderators.
pub async fn members(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    group_id: i64,
    roles: &[MemberRole],
    name: Option<&str>,
    page: Page,
) -> Result<Paginated<member::Model>> {
    let mine = membership_of(conn, principal, group_id)
        .await?
        .map(|m| m.role);
    if !policy::can_see_members(mine, principal.is_instance_moderator()) {
        return Err(Error::forbidden("only the group's members see its members"));
    }
    let mut query = member::Entity::find().filter(member::Column::GroupId.eq(group_id));
    if !roles.is_empty() {
        query = query.filter(member::Column::Role.is_in(roles.iter().copied()));
    }
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        let pattern = format!("%{}%", crate::search::like_escape(&name.to_lowercase()));
        let lower =
            |col: actor::Column| Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(col)));
        let named = actor::Entity::find()
            .select_only()
            .column(actor::Column::Id)
            .filter(
                lower(actor::Column::PreferredUsername)
                    .like(pattern.clone())
                    .or(lower(actor::Column::Name).like(pattern)),
            )
            .into_query();
        query = query.filter(Expr::col(member::Column::ActorId).in_subquery(named));
    }
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_asc(member::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

pub async fn members_count(conn: &impl ConnectionTrait, group_id: i64) -> Result<u64> {
    Ok(member::Entity::find()
        .filter(member::Column::GroupId.eq(group_id))
        .filter(member::Column::Role.is_in(MemberRole::BELONGING))
        .count(conn)
        .await?)
}

pub async fn followers_count(conn: &impl ConnectionTrait, actor_id: i64) -> Result<u64> {
    Ok(follow::Entity::find()
        .filter(follow::Column::TargetId.eq(actor_id))
        .filter(follow::Column::Approved.eq(true))
        .count(conn)
        .await?)
}

/// Memberships of a user's identities (invitations and requests included).
pub async fn memberships_of_user(
    conn: &impl ConnectionTrait,
    user_id: i64,
    page: Page,
) -> Result<Paginated<member::Model>> {
    let identities = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::UserId.eq(user_id))
        .into_query();
    let query = member::Entity::find()
        .filter(Expr::col(member::Column::ActorId).in_subquery(identities))
        .filter(member::Column::Role.ne(MemberRole::Rejected));
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(member::Column::UpdatedAt)
        .order_by_desc(member::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// What `searchGroups` looks for; every criterion given must hold.
#[derive(Debug, Clone, Default)]
pub struct GroupSearch {
    /// Words the name, username or summary contains.
    pub term: String,
    /// Center (latitude, longitude) and radius in km of the group's place.
    pub near: Option<((f64, f64), f64)>,
    /// A box of the map the group's place is in (Mobilizon's `bbox`).
    pub within_box: Option<crate::search::GeoBox>,
    /// Only this instance's groups (Mobilizon's `searchTarget: SELF`).
    pub local_only: bool,
    /// By creation, newest first (`true`) or oldest first (`false`), instead of by name.
    pub created_newest_first: Option<bool>,
}

/// Public groups matching `query`, by username unless asked otherwise.
pub async fn search(
    conn: &impl ConnectionTrait,
    query: &GroupSearch,
    page: Page,
) -> Result<Paginated<actor::Model>> {
    let term = query.term.as_str();
    let mut select = actor::Entity::find()
        .filter(actor::Column::Kind.eq(ActorKind::Group))
        .filter(actor::Column::Visibility.eq(ActorVisibility::Public))
        .filter(actor::Column::Suspended.eq(false));
    if query.local_only {
        select = select.filter(actor::Column::Domain.is_null());
    }
    let mut places: Vec<sea_orm::Condition> = Vec::new();
    if let Some((center, radius)) = query.near {
        if !(0.0..=crate::events::MAX_RADIUS_KM).contains(&radius) {
            return Err(Error::invalid(
                "radius",
                format!(
                    "expected a distance in km between 0 and {}",
                    crate::events::MAX_RADIUS_KM
                ),
            ));
        }
        places.push(crate::search::within_radius(
            entity::address::Column::Latitude,
            entity::address::Column::Longitude,
            center,
            radius,
        ));
    }
    if let Some(geo_box) = query.within_box {
        places.push(crate::search::inside_box(
            entity::address::Column::Latitude,
            entity::address::Column::Longitude,
            geo_box,
        ));
    }
    for place in places {
        let addresses = entity::address::Entity::find()
            .select_only()
            .column(entity::address::Column::Id)
            .filter(place)
            .into_query();
        select = select.filter(actor::Column::PhysicalAddressId.in_subquery(addresses));
    }
    for word in term.split_whitespace().take(10) {
        let pattern = format!("%{}%", crate::search::like_escape(&word.to_lowercase()));
        let lower =
            |col: actor::Column| Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(col)));
        select = select.filter(
            lower(actor::Column::PreferredUsername)
                .like(pattern.clone())
                .or(lower(actor::Column::Name).like(pattern.clone()))
                .or(lower(actor::Column::Summary).like(pattern)),
        );
    }
    let total = select.clone().count(conn).await?;
    let ordered = match query.created_newest_first {
        Some(true) => select.order_by_desc(actor::Column::CreatedAt),
        Some(false) => select.order_by_asc(actor::Column::CreatedAt),
        None => select,
    };
    let elements = ordered
        .order_by_asc(actor::Column::PreferredUsername)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// Users to tell about a group's new event: members, and followers who asked for it, once
/// each (a user with several identities gets one mail).
pub async fn users_to_notify(
    conn: &impl ConnectionTrait,
    group_id: i64,
) -> Result<Vec<user::Model>> {
    let member_actors = member::Entity::find()
        .select_only()
        .column(member::Column::ActorId)
        .filter(member::Column::GroupId.eq(group_id))
        .filter(member::Column::Role.is_in(MemberRole::BELONGING))
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    let follower_actors = follow::Entity::find()
        .select_only()
        .column(follow::Column::FollowerId)
        .filter(follow::Column::TargetId.eq(group_id))
        .filter(follow::Column::Approved.eq(true))
        .filter(follow::Column::Notify.eq(true))
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    let actor_ids: Vec<i64> = member_actors.into_iter().chain(follower_actors).collect();
    if actor_ids.is_empty() {
        return Ok(Vec::new());
    }
    let user_ids = actor::Entity::find()
        .select_only()
        .column(actor::Column::UserId)
        .filter(actor::Column::Id.is_in(actor_ids))
        .filter(actor::Column::UserId.is_not_null())
        .into_tuple::<Option<i64>>()
        .all(conn)
        .await?;
    let user_ids: Vec<i64> = user_ids.into_iter().flatten().collect();
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut users: HashMap<i64, user::Model> = HashMap::new();
    for user in user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .filter(user::Column::ConfirmedAt.is_not_null())
        .all(conn)
        .await?
    {
        users.insert(user.id, user);
    }
    let mut users: Vec<user::Model> = users.into_values().collect();
    users.sort_by_key(|u| u.id);
    Ok(users)
}

#[cfg(test)]
mod tests;
