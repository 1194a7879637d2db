//! Events: what collectives publish. Creation and changes (`service`), who may see and run
//! them (`policy`), lists and search (here), and what attendees are told (`notices`).

mod access;
pub mod calendar;
pub mod categories;
pub mod description;
pub mod details;
pub mod federated;
pub mod hidden;
pub mod input;
pub mod length;
pub mod notices;
mod organized;
pub mod policy;
pub mod sanitize;
mod search;
pub mod search_columns;
pub mod service;
pub mod tags;
mod view;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::actor;
use entity::event::{self, EventStatus, EventVisibility};
use entity::participant::{self, ParticipantRole};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};

pub use access::access_to_many;
pub use input::{EventChanges, EventOptions, NewEvent};
pub use organized::{EventOrder, EventOrderField, organized_by, organized_by_in_order};
use policy::{Access, EventFacts};
#[cfg(test)]
pub(crate) use search::search_page;
pub use search::{EventKind, MAX_RADIUS_KM, PlaceFilter, SearchQuery, search, search_select};
pub use view::{Viewed, view};

use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<event::Model> {
    event::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("event"))
}

pub async fn find_by_uuid(conn: &impl ConnectionTrait, uuid: &str) -> Result<event::Model> {
    event::Entity::find()
        .filter(event::Column::Uuid.eq(uuid.trim().to_ascii_lowercase()))
        .one(conn)
        .await?
        .ok_or(Error::not_found("event"))
}

pub fn facts(event: &event::Model) -> EventFacts {
    EventFacts {
        visibility: event.visibility,
        draft: event.draft,
        in_group: event.attributed_to_id.is_some(),
    }
}

/// How `principal` relates to `event`.
pub async fn access(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    event: &event::Model,
) -> Result<Access> {
    Ok(access_to_many(conn, principal, std::slice::from_ref(event))
        .await?
        .remove(&event.id)
        .unwrap_or_default())
}

/// The event if `principal` may see it; `not_found` otherwise (its existence stays hidden).
pub async fn find_visible(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    uuid: &str,
) -> Result<event::Model> {
    let event = find_by_uuid(conn, uuid).await?;
    let access = access(conn, principal, &event).await?;
    if policy::can_view(facts(&event), access) {
        Ok(event)
    } else {
        Err(Error::not_found("event"))
    }
}

/// Refuses changes to `event` by someone with `access`: `not_found` when they may not even
/// see it, `forbidden` when they may not run it or it is another instance's.
pub fn check_editable(event: &event::Model, access: Access) -> Result<()> {
    if !policy::can_view(facts(event), access) {
        return Err(Error::not_found("event"));
    }
    if !policy::can_edit(facts(event), access) {
        return Err(Error::forbidden(
            "only the organizer or the group's moderators can change this event",
        ));
    }
    if !event.local {
        return Err(Error::forbidden(
            "events from other instances are changed there",
        ));
    }
    Ok(())
}

/// The event `uuid` if `principal` may change it ([`check_editable`]), for the edit form.
pub async fn find_editable(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    uuid: &str,
) -> Result<event::Model> {
    let event = find_by_uuid(conn, uuid).await?;
    let access = access(conn, principal, &event).await?;
    check_editable(&event, access)?;
    Ok(event)
}

/// Events not over at `now`: ending later, or without end and starting later.
pub(crate) fn not_over(now: DateTime<Utc>) -> Condition {
    Condition::any().add(event::Column::EndsOn.gte(now)).add(
        Condition::all()
            .add(event::Column::EndsOn.is_null())
            .add(event::Column::BeginsOn.gte(now)),
    )
}

/// Published public events, but those of suspended organizers and groups (read from the
/// listing indexes, which carry `hidden`: see [`hidden`]).
pub(crate) fn listed() -> Select<event::Entity> {
    event::Entity::find()
        .filter(event::Column::Visibility.eq(EventVisibility::Public))
        .filter(event::Column::Draft.eq(false))
        .filter(event::Column::Hidden.eq(false))
}

/// The ids of suspended actors (few, read through their index).
pub(crate) fn suspended_actors() -> sea_orm::sea_query::SelectStatement {
    use sea_orm::QueryTrait;
    actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::Suspended.eq(true))
        .into_query()
}

async fn paginate(
    conn: &impl ConnectionTrait,
    query: Select<event::Entity>,
    page: Page,
) -> Result<Paginated<event::Model>> {
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// The first moment after which one of the [`upcoming`] events is over, which changes that
/// list and its count with time alone; `None` when there is no upcoming event. Two index
/// seeks: by end, and among events without an end, by start.
pub async fn next_over_at(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let first_end: Option<Option<DateTime<Utc>>> = listed()
        .filter(event::Column::EndsOn.gte(now))
        .select_only()
        .column(event::Column::EndsOn)
        .order_by_asc(event::Column::EndsOn)
        .into_tuple()
        .one(conn)
        .await?;
    let first_start_without_end: Option<DateTime<Utc>> = listed()
        .filter(event::Column::EndsOn.is_null())
        .filter(event::Column::BeginsOn.gte(now))
        .select_only()
        .column(event::Column::BeginsOn)
        .order_by_asc(event::Column::BeginsOn)
        .into_tuple()
        .one(conn)
        .await?;
    Ok([first_end.flatten(), first_start_without_end]
        .into_iter()
        .flatten()
        .min())
}

/// Upcoming public events, soonest first.
pub async fn upcoming(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    page: Page,
) -> Result<Paginated<event::Model>> {
    paginate(conn, listed().filter(not_over(now)), page).await
}

/// Counts of participants by role (Mobilizon's `participantStats`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParticipantStats {
    pub going: u64,
    pub participant: u64,
    pub not_approved: u64,
    pub not_confirmed: u64,
    pub rejected: u64,
    /// In line for a seat.
    pub waitlisted: u64,
    pub moderator: u64,
    pub administrator: u64,
    pub creator: u64,
}

#[derive(FromQueryResult)]
struct RoleCount {
    event_id: i64,
    role: ParticipantRole,
    count: i64,
}

/// Participant counts of several events in one query.
pub async fn participant_stats(
    conn: &impl ConnectionTrait,
    event_ids: &[i64],
) -> Result<HashMap<i64, ParticipantStats>> {
    let mut stats: HashMap<i64, ParticipantStats> = event_ids
        .iter()
        .map(|id| (*id, ParticipantStats::default()))
        .collect();
    if event_ids.is_empty() {
        return Ok(stats);
    }
    let rows = participant::Entity::find()
        .select_only()
        .column(participant::Column::EventId)
        .column(participant::Column::Role)
        .column_as(participant::Column::Id.count(), "count")
        .filter(participant::Column::EventId.is_in(event_ids.iter().copied()))
        .group_by(participant::Column::EventId)
        .group_by(participant::Column::Role)
        .into_model::<RoleCount>()
        .all(conn)
        .await?;
    for row in rows {
        let entry = stats.entry(row.event_id).or_default();
        let n = u64::try_from(row.count).unwrap_or(0);
        match row.role {
            ParticipantRole::Creator => entry.creator += n,
            ParticipantRole::Administrator => entry.administrator += n,
            ParticipantRole::Moderator => entry.moderator += n,
            ParticipantRole::Participant => entry.participant += n,
            ParticipantRole::NotApproved => entry.not_approved += n,
            ParticipantRole::NotConfirmed => entry.not_confirmed += n,
            ParticipantRole::Rejected => entry.rejected += n,
            ParticipantRole::Waitlisted => entry.waitlisted += n,
        }
        if row.role.is_going() {
            entry.going += n;
        }
    }
    Ok(stats)
}

/// When the rows an event's page shows besides the event itself last changed (its organizer,
/// its group, its place), as the database writes them. With the event row and its participant
/// counts they are everything the page is made of, so together they key a page built earlier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RelatedChanges {
    pub organizer: Option<String>,
    pub group: Option<String>,
    pub place: Option<String>,
}

/// [`RelatedChanges`] of `event`, in one query.
pub async fn related_changes(
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<RelatedChanges> {
    use entity::address;
    use sea_orm::sea_query::{Query, SelectStatement};

    fn changed_at(select: &mut SelectStatement) -> Expr {
        Expr::SubQuery(None, Box::new(select.take().into()))
    }
    let actor_changed = |id: Option<i64>| {
        changed_at(
            Query::select()
                .expr(Expr::col(actor::Column::UpdatedAt).cast_as("text"))
                .from(actor::Entity)
                .and_where(actor::Column::Id.eq(id.unwrap_or(-1))),
        )
    };
    let place_changed = changed_at(
        Query::select()
            .expr(Expr::col(address::Column::UpdatedAt).cast_as("text"))
            .from(address::Entity)
            .and_where(address::Column::Id.eq(event.physical_address_id.unwrap_or(-1))),
    );
    let select = Query::select()
        .expr_as(actor_changed(Some(event.organizer_actor_id)), "organizer")
        .expr_as(actor_changed(event.attributed_to_id), "grp")
        .expr_as(place_changed, "place")
        .to_owned();
    let row = conn
        .query_one(&select)
        .await?
        .ok_or(Error::not_found("event"))?;
    Ok(RelatedChanges {
        organizer: row.try_get("", "organizer")?,
        group: row.try_get("", "grp")?,
        place: row.try_get("", "place")?,
    })
}

/// Seats left, when the event has a capacity.
pub fn remaining_seats(event: &event::Model, stats: &ParticipantStats) -> Option<u64> {
    event.maximum_attendee_capacity.map(|max| {
        u64::try_from(max)
            .unwrap_or(0)
            .saturating_sub(stats.participant)
    })
}

/// Whether the event is over at `now`.
pub fn is_over(event: &event::Model, now: DateTime<Utc>) -> bool {
    over_at(event) < now
}

/// The moment after which the event is over: its end, or its start if it has no end.
pub fn over_at(event: &event::Model) -> DateTime<Utc> {
    event.ends_on.unwrap_or(event.begins_on)
}

pub fn is_cancelled(event: &event::Model) -> bool {
    event.status == EventStatus::Cancelled
}

/// The event's zone, falling back to UTC for a value stored before validation existed.
pub fn timezone(event: &event::Model) -> chrono_tz::Tz {
    event.timezone.parse().unwrap_or(chrono_tz::UTC)
}

#[cfg(test)]
mod tests;
