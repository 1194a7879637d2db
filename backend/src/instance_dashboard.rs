//! What administrators see first (Mobilizon's `dashboard`): how many accounts, events,
//! comments and groups this instance has, the open reports, the instance follows both ways,
//! the confirmed participations in local events, the last public event and the last group.

use entity::{ParticipantRole, ReportStatus, actor, comment, event, participant};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::error::Result;
use crate::principal::Principal;

#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub last_public_event: Option<event::Model>,
    pub last_group: Option<actor::Model>,
    /// Confirmed local accounts.
    pub users: u64,
    /// Published local events, of every visibility.
    pub events: u64,
    /// Local comments not deleted.
    pub comments: u64,
    pub groups: u64,
    pub open_reports: u64,
    pub instance_followers: u64,
    pub instance_followings: u64,
    pub confirmed_participations_to_local_events: u64,
}

/// For administrators, as in Mobilizon.
pub async fn get(conn: &impl ConnectionTrait, principal: &Principal) -> Result<Dashboard> {
    principal.require_admin("only administrators see the dashboard")?;
    let statistics = crate::directory::statistics(conn).await?;
    let local_events = event::Entity::find()
        .filter(event::Column::Local.eq(true))
        .filter(event::Column::Draft.eq(false));
    let local_groups = actor::Entity::find()
        .filter(actor::Column::Kind.eq(actor::ActorKind::Group))
        .filter(actor::Column::Domain.is_null());
    let local_event_ids = {
        use sea_orm::{QuerySelect, QueryTrait};
        local_events
            .clone()
            .select_only()
            .column(event::Column::Id)
            .into_query()
    };
    Ok(Dashboard {
        last_public_event: crate::events::listed()
            .filter(event::Column::Local.eq(true))
            .order_by_desc(event::Column::PublishedAt)
            .order_by_desc(event::Column::Id)
            .one(conn)
            .await?,
        last_group: local_groups
            .clone()
            .filter(actor::Column::Visibility.eq(entity::ActorVisibility::Public))
            .filter(actor::Column::Suspended.eq(false))
            .order_by_desc(actor::Column::Id)
            .one(conn)
            .await?,
        users: statistics.users,
        events: local_events.count(conn).await?,
        comments: comment::Entity::find()
            .filter(comment::Column::Local.eq(true))
            .filter(comment::Column::DeletedAt.is_null())
            .count(conn)
            .await?,
        groups: local_groups.count(conn).await?,
        open_reports: entity::report::Entity::find()
            .filter(entity::report::Column::Status.eq(ReportStatus::Open))
            .count(conn)
            .await?,
        instance_followers: statistics.instance_followers,
        instance_followings: statistics.instance_followings,
        confirmed_participations_to_local_events: participant::Entity::find()
            .filter(participant::Column::Role.is_in(ParticipantRole::GOING))
            .filter(Expr::col(participant::Column::EventId).in_subquery(local_event_ids))
            .count(conn)
            .await?,
    })
}
