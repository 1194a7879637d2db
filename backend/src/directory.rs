//! The instance seen whole: lists of people, groups and accounts with Mobilizon's filters,
//! for the instance's moderators only, and the public statistics of its about page.

use entity::actor::{self, ActorKind};
use entity::{event, follow, user};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

fn require_moderator(principal: &Principal) -> Result<()> {
    match principal {
        _ if principal.is_instance_moderator() => Ok(()),
        Principal::Anonymous => Err(Error::Unauthenticated),
        _ => Err(Error::forbidden("only the instance's moderators see this")),
    }
}

fn contains(
    column: impl sea_orm::sea_query::IntoColumnRef,
    text: &str,
) -> sea_orm::sea_query::SimpleExpr {
    let pattern = format!("%{}%", crate::search::like_escape(&text.to_lowercase()));
    Expr::expr(Func::lower(Expr::col(column))).like(LikeExpr::new(pattern).escape('\\'))
}

/// Mobilizon's filters of the lists of people and groups.
#[derive(Debug, Clone, Default)]
pub struct ActorFilters {
    pub preferred_username: Option<String>,
    pub name: Option<String>,
    pub domain: Option<String>,
    pub local: Option<bool>,
    pub suspended: Option<bool>,
}

/// People (`Person`) or groups of this instance and others, newest first.
pub async fn actors(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    kind: ActorKind,
    filters: &ActorFilters,
    page: Page,
) -> Result<Paginated<actor::Model>> {
    require_moderator(principal)?;
    let mut query = actor::Entity::find().filter(actor::Column::Kind.eq(kind));
    let given = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if let Some(username) = given(&filters.preferred_username) {
        query = query.filter(contains(actor::Column::PreferredUsername, &username));
    }
    if let Some(name) = given(&filters.name) {
        query = query.filter(contains(actor::Column::Name, &name));
    }
    if let Some(domain) = given(&filters.domain) {
        query = query.filter(contains(actor::Column::Domain, &domain));
    }
    match filters.local {
        Some(true) => query = query.filter(actor::Column::Domain.is_null()),
        Some(false) => query = query.filter(actor::Column::Domain.is_not_null()),
        None => {}
    }
    if let Some(suspended) = filters.suspended {
        query = query.filter(actor::Column::Suspended.eq(suspended));
    }
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(actor::Column::CreatedAt)
        .order_by_desc(actor::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// Accounts whose address contains `email`, by id (newest first unless `ascending`).
pub async fn users(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    filters: &UserFilters,
    page: Page,
) -> Result<Paginated<user::Model>> {
    require_moderator(principal)?;
    let mut query = user::Entity::find();
    if let Some(email) = filters
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        if email.chars().count() > MAX_EMAIL_SEARCH_CHARS {
            return Err(Error::invalid(
                "email",
                format!("at most {MAX_EMAIL_SEARCH_CHARS} characters"),
            ));
        }
        query = query.filter(contains(user::Column::Email, email));
    }
    if let Some(waiting) = filters.awaiting_approval {
        query = query.filter(user::Column::AwaitingApproval.eq(waiting));
    }
    let direction = if filters.ascending {
        sea_orm::Order::Asc
    } else {
        sea_orm::Order::Desc
    };
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by(user::Column::Id, direction)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// Characters of an address searched for.
const MAX_EMAIL_SEARCH_CHARS: usize = 320;

/// Which accounts a list shows (newest first unless `ascending`).
#[derive(Debug, Clone, Default)]
pub struct UserFilters {
    /// Part of the address, in any case.
    pub email: Option<String>,
    /// Only the registrations waiting for a moderator's approval (or only the others).
    pub awaiting_approval: Option<bool>,
    pub ascending: bool,
}

/// One account, for moderators.
pub async fn user(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> Result<user::Model> {
    require_moderator(principal)?;
    crate::users::service::find(conn, id).await
}

/// The public faces of the instance's administrators, for its about page: each enabled
/// administrator's default identity (else their first), unless it is suspended.
pub async fn administrators(conn: &impl ConnectionTrait) -> Result<Vec<actor::Model>> {
    let admins = user::Entity::find()
        .filter(user::Column::Role.eq(user::UserRole::Administrator))
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ConfirmedAt.is_not_null())
        .order_by_asc(user::Column::Id)
        .all(conn)
        .await?;
    let mut faces = Vec::new();
    for admin in admins {
        let identities = crate::actors::persons::of_user::identities(conn, admin.id).await?;
        let face = identities
            .iter()
            .find(|a| Some(a.id) == admin.default_actor_id)
            .or_else(|| identities.first());
        if let Some(face) = face.filter(|a| !a.suspended) {
            faces.push(face.clone());
        }
    }
    Ok(faces)
}

/// What the instance holds, counted (Mobilizon's `statistics`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Statistics {
    pub users: u64,
    pub events: u64,
    pub local_events: u64,
    pub groups: u64,
    pub local_groups: u64,
    /// Instances the instance follows, and that follow it.
    pub instance_followings: u64,
    pub instance_followers: u64,
}

/// The instance's counts: accounts, published public events and public groups (all known,
/// and this instance's own), and instance follows both ways.
pub async fn statistics(conn: &impl ConnectionTrait) -> Result<Statistics> {
    let listed = crate::events::listed();
    let groups = actor::Entity::find()
        .filter(actor::Column::Kind.eq(ActorKind::Group))
        .filter(actor::Column::Visibility.eq(entity::ActorVisibility::Public))
        .filter(actor::Column::Suspended.eq(false));
    let relay = crate::actors::system::relay(conn).await?;
    Ok(Statistics {
        users: user::Entity::find()
            .filter(user::Column::ConfirmedAt.is_not_null())
            .count(conn)
            .await?,
        events: listed.clone().count(conn).await?,
        local_events: listed
            .filter(event::Column::Local.eq(true))
            .count(conn)
            .await?,
        groups: groups.clone().count(conn).await?,
        local_groups: groups
            .filter(actor::Column::Domain.is_null())
            .count(conn)
            .await?,
        instance_followings: follow::Entity::find()
            .filter(follow::Column::FollowerId.eq(relay.id))
            .filter(follow::Column::Approved.eq(true))
            .count(conn)
            .await?,
        instance_followers: follow::Entity::find()
            .filter(follow::Column::TargetId.eq(relay.id))
            .filter(follow::Column::Approved.eq(true))
            .count(conn)
            .await?,
    })
}

/// Published public events by category, most used first (Mobilizon's
/// `categoryStatistics`); events without a category are not counted.
pub async fn events_by_category(conn: &impl ConnectionTrait) -> Result<Vec<(String, u64)>> {
    let rows: Vec<(Option<String>, i64)> = crate::events::listed()
        .select_only()
        .column(event::Column::Category)
        .column_as(Expr::col(event::Column::Id).count(), "number")
        .filter(event::Column::Category.is_not_null())
        .group_by(event::Column::Category)
        .into_tuple()
        .all(conn)
        .await?;
    let mut counts: Vec<(String, u64)> = rows
        .into_iter()
        .filter_map(|(category, n)| Some((category?, u64::try_from(n).unwrap_or(0))))
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(counts)
}
