//! Whether an event is hidden: its organizer or its group is suspended (by a moderator or
//! with its instance). Lists, searches and feeds read `events.hidden` from their indexes
//! rather than joining actors (which cost the search near a place its covering index), so
//! whoever changes `actors.suspended` calls [`refresh`] in the same transaction, and a new
//! event takes its owners' state from [`of_owners`].

use entity::{actor, event};
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::error::Result;

/// Whether an event organized by `organizer` (for `group`) is hidden.
pub async fn of_owners(
    conn: &impl ConnectionTrait,
    organizer: i64,
    group: Option<i64>,
) -> Result<bool> {
    let owners = [Some(organizer), group].into_iter().flatten();
    let suspended = actor::Entity::find()
        .filter(actor::Column::Id.is_in(owners))
        .filter(actor::Column::Suspended.eq(true))
        .count(conn)
        .await?;
    Ok(suspended > 0)
}

/// Recomputes `hidden` on the events organized by, or for, the actors `actors` selects (their
/// ids), after their suspension changed.
pub async fn refresh(conn: &impl ConnectionTrait, actors: SelectStatement) -> Result<()> {
    let concerned = || {
        Condition::any()
            .add(event::Column::OrganizerActorId.in_subquery(actors.clone()))
            .add(event::Column::AttributedToId.in_subquery(actors.clone()))
    };
    event::Entity::update_many()
        .col_expr(event::Column::Hidden, Expr::value(false))
        .filter(concerned())
        .filter(event::Column::Hidden.eq(true))
        .exec(conn)
        .await?;
    event::Entity::update_many()
        .col_expr(event::Column::Hidden, Expr::value(true))
        .filter(concerned())
        .filter(
            Condition::any()
                .add(event::Column::OrganizerActorId.in_subquery(super::suspended_actors()))
                .add(event::Column::AttributedToId.in_subquery(super::suspended_actors())),
        )
        .exec(conn)
        .await?;
    Ok(())
}

/// [`refresh`] for one actor.
pub async fn refresh_actor(conn: &impl ConnectionTrait, actor_id: i64) -> Result<()> {
    use sea_orm::{QuerySelect, QueryTrait};
    let one = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::Id.eq(actor_id))
        .into_query();
    refresh(conn, one).await
}
