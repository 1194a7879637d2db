//! Events organized by a person or a group, as far as someone may see them, in the order a
//! client asks (Mobilizon's `organizedEvents`).

use chrono::{DateTime, Utc};
use entity::event::{self, EventVisibility};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::error::Result;
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// What a list of events is sorted by (Mobilizon's `EventOrderBy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EventOrderField {
    #[default]
    BeginsOn,
    /// When it was created here.
    InsertedAt,
    UpdatedAt,
}

/// A sort of events: by start, earliest first, unless asked otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventOrder {
    pub field: EventOrderField,
    pub descending: bool,
}

/// Events organized by a person or a group, between two dates, as far as `principal` may see
/// them.
pub async fn organized_by(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor: &entity::actor::Model,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    page: Page,
) -> Result<Paginated<event::Model>> {
    organized_by_in_order(
        conn,
        principal,
        actor,
        after,
        before,
        EventOrder::default(),
        page,
    )
    .await
}

/// [`organized_by`], sorted by `order` (Mobilizon's `organizedEvents(order, orderDirection)`).
pub async fn organized_by_in_order(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor: &entity::actor::Model,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    order: EventOrder,
    page: Page,
) -> Result<Paginated<event::Model>> {
    let mut select = event::Entity::find();
    let (sees_private, sees_drafts) = match actor.kind {
        entity::ActorKind::Group => {
            select = select.filter(event::Column::AttributedToId.eq(actor.id));
            let role = crate::groups::membership_of(conn, principal, actor.id)
                .await?
                .map(|m| m.role);
            (
                role.is_some_and(entity::MemberRole::is_member),
                role.is_some_and(entity::MemberRole::is_moderator),
            )
        }
        _ => {
            select = select.filter(event::Column::OrganizerActorId.eq(actor.id));
            let mine = principal.actor_ids(conn).await?.contains(&actor.id);
            (mine, mine)
        }
    };
    let sees_private = sees_private || principal.is_instance_moderator();
    if !sees_private {
        select = select.filter(event::Column::Visibility.eq(EventVisibility::Public));
    }
    if !sees_drafts {
        select = select.filter(event::Column::Draft.eq(false));
    }
    // A suspended person's events leave the pages of the groups they organized them for.
    if !principal.is_instance_moderator() {
        select = select.filter(event::Column::Hidden.eq(false));
    }
    if let Some(after) = after {
        select = select.filter(event::Column::BeginsOn.gte(after));
    }
    if let Some(before) = before {
        select = select.filter(event::Column::BeginsOn.lt(before));
    }
    let total = select.clone().count(conn).await?;
    let column = match order.field {
        EventOrderField::BeginsOn => event::Column::BeginsOn,
        EventOrderField::InsertedAt => event::Column::CreatedAt,
        EventOrderField::UpdatedAt => event::Column::UpdatedAt,
    };
    let direction = if order.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    let elements = select
        .order_by(column, direction.clone())
        .order_by(event::Column::Id, direction)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}
