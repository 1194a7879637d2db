//! Events: what collectives publish. Creation and changes (`service`), who may see and run
//! them (`policy`), lists and search (here), and what attendees are told (`notices`).

pub mod calendar;
pub mod categories;
pub mod details;
pub mod federated;
pub mod input;
pub mod length;
pub mod notices;
mod organized;
pub mod policy;
pub mod sanitize;
pub mod search_columns;
pub mod service;
pub mod tags;
mod view;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::event::{self, EventStatus, EventVisibility};
use entity::participant::{self, ParticipantRole};
use sea_orm::QueryTrait;
use sea_orm::sea_query::{Alias, BinOper, Expr, ExprTrait, JoinType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult,
    IdenStatic, Iterable, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

pub use input::{EventChanges, EventOptions, NewEvent};
pub use organized::{EventOrder, EventOrderField, organized_by, organized_by_in_order};
use policy::{Access, EventFacts};
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
    let actor_ids = principal.actor_ids(conn).await?;
    let mut access = Access {
        instance_moderator: principal.is_instance_moderator(),
        ..Access::default()
    };
    if actor_ids.is_empty() {
        return Ok(access);
    }
    access.organizer = actor_ids.contains(&event.organizer_actor_id);
    if let Some(group_id) = event.attributed_to_id {
        access.group_role = crate::groups::membership_of(conn, principal, group_id)
            .await?
            .map(|m| m.role);
    }
    access.participant_role = participant::Entity::find()
        .filter(participant::Column::EventId.eq(event.id))
        .filter(participant::Column::ActorId.is_in(actor_ids))
        .filter(participant::Column::Email.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|p| p.role)
        .max_by_key(|r| match r {
            ParticipantRole::Creator => 6,
            ParticipantRole::Administrator => 5,
            ParticipantRole::Moderator => 4,
            ParticipantRole::Participant => 3,
            ParticipantRole::NotApproved => 2,
            ParticipantRole::NotConfirmed => 1,
            ParticipantRole::Waitlisted => 0,
            ParticipantRole::Rejected => 0,
        });
    Ok(access)
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

/// Published public events.
pub(crate) fn listed() -> Select<event::Entity> {
    event::Entity::find()
        .filter(event::Column::Visibility.eq(EventVisibility::Public))
        .filter(event::Column::Draft.eq(false))
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

/// What `searchEvents` looks for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub term: Option<String>,
    pub tags: Vec<String>,
    pub category: Option<String>,
    /// Center (latitude, longitude) and radius in km.
    pub near: Option<((f64, f64), f64)>,
    /// Events still happening at or after this time (default: now).
    pub begins_on: Option<DateTime<Utc>>,
    /// Events starting at or before this time.
    pub ends_on: Option<DateTime<Utc>>,
}

pub const MAX_RADIUS_KM: f64 = 1000.0;

/// Public events matching every given criterion, soonest first. Text matches title, tags,
/// description and town, ignoring case and accents. Run it on [`crate::AppContext::searches`],
/// where PostgreSQL plans it once for any values.
///
/// The events are for showing: their search words are not read (`search_text` is empty,
/// `search_text_more` none), see [`search_page`].
pub async fn search(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    query: &SearchQuery,
    page: Page,
) -> Result<Paginated<event::Model>> {
    let backend = conn.get_database_backend();
    let select = search_select(backend, now, query)?;
    let rows = conn
        .query_all_raw(search_page(select.clone(), page).build(backend))
        .await?;
    let mut total = None;
    let mut elements = Vec::with_capacity(rows.len());
    for row in &rows {
        total.get_or_insert(row.try_get::<i64>("", "total")?);
        elements.push(event::Model::from_query_result(row, "")?);
    }
    let total = match total {
        Some(total) => u64::try_from(total).unwrap_or_default(),
        None if page.offset() == 0 => 0,
        // Past the last page no row carries the total.
        None => select.count(conn).await?,
    };
    Ok(Paginated { total, elements })
}

/// A page of `select`'s events with the total, in one statement. The filters run once, for
/// the page's ids and the total together, instead of once for a count and again for the page
/// (on PostgreSQL the text match reads each candidate's row; SQLite finds the words in the
/// place index); only narrow (id, total) rows are sorted, and the page's ten events are then
/// joined by id (a second statement for them cost a round trip through the driver's thread).
///
/// Those ten are read without their search words: up to 2 000 bytes each more than the rest
/// of the event, compressed with the description on PostgreSQL, which decompressed and sent
/// them for nothing, only for them to be checked as UTF-8 and dropped.
pub(crate) fn search_page(select: Select<event::Entity>, page: Page) -> Select<event::Entity> {
    let ranked = Alias::new("ranked");
    let mut outer = event::Entity::find()
        .select_only()
        .columns(event::Column::iter().filter(|column| {
            !matches!(
                column,
                event::Column::SearchText | event::Column::SearchTextMore
            )
        }))
        .column_as(Expr::cust("''"), event::Column::SearchText.as_str())
        .column_as(Expr::cust("NULL"), event::Column::SearchTextMore.as_str())
        .column_as(Expr::col((ranked.clone(), Alias::new("total"))), "total")
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id);
    QueryTrait::query(&mut outer).join_subquery(
        JoinType::InnerJoin,
        ranking(select, page).into_query(),
        ranked.clone(),
        Expr::col((event::Entity, event::Column::Id)).equals((ranked, event::Column::Id)),
    );
    outer
}

/// The ids of a page of `select`'s events, soonest first, each with the total.
fn ranking(select: Select<event::Entity>, page: Page) -> Select<event::Entity> {
    select
        .select_only()
        .column(event::Column::Id)
        .expr_as(Expr::cust("COUNT(*) OVER ()"), "total")
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
}

/// The query behind [`search`], unordered, for callers that read it their own way (feeds).
pub fn search_select(
    backend: DatabaseBackend,
    now: DateTime<Utc>,
    query: &SearchQuery,
) -> Result<Select<event::Entity>> {
    let after = input::within_years(query.begins_on.unwrap_or(now));
    let mut select = listed().filter(not_over(after));
    if let Some(before) = query.ends_on {
        select = select.filter(event::Column::BeginsOn.lte(input::within_years(before)));
    }
    if let Some(term) = &query.term {
        // The words are folded like the terms, so a plain substring test is enough: no
        // case-insensitive pattern to match, and no wildcard to escape since terms are
        // letters and digits. PostgreSQL's `strpos` counts the characters before the match
        // (9% of the machine in a loaded search at 100 000 events); its `LIKE` compares
        // bytes. SQLite's `LIKE` folds ASCII case on every byte; its `instr` compares the
        // term at every byte (10% of the server at 100 000 events); its `GLOB` is
        // case-sensitive and jumps to each occurrence of the term's first letter.
        //
        // An event's words are split over two columns (`backend::search::split_words`): the
        // first is in the place index, so a search near a place reads no event row; the few
        // events with more words are looked up once per term through their partial index.
        let contains = |column: event::Column, word: &str| {
            let text = Expr::col((event::Entity, column));
            match backend {
                DatabaseBackend::Postgres => text.like(format!("%{word}%")),
                _ => text.binary(BinOper::Custom("GLOB"), format!("*{word}*")),
            }
        };
        for word in crate::search::terms(term) {
            let longer_with_word = event::Entity::find()
                .select_only()
                .column(event::Column::Id)
                // Said, for SQLite: it does not infer it from `GLOB` to use the partial index.
                .filter(event::Column::SearchTextMore.is_not_null())
                .filter(contains(event::Column::SearchTextMore, &word))
                .into_query();
            select = select.filter(
                Condition::any()
                    .add(contains(event::Column::SearchText, &word))
                    .add(event::Column::Id.in_subquery(longer_with_word)),
            );
        }
    }
    if let Some(category) = &query.category {
        let category = categories::parse(category).ok_or_else(|| {
            Error::invalid("category", format!("\"{category}\" is not a category"))
        })?;
        select = select.filter(event::Column::Category.eq(category));
    }
    if !query.tags.is_empty() {
        let slugs: Vec<String> = query.tags.iter().map(|t| tags::slug(t)).collect();
        let tag_ids = entity::tag::Entity::find()
            .select_only()
            .column(entity::tag::Column::Id)
            .filter(entity::tag::Column::Slug.is_in(slugs))
            .into_query();
        let tagged = entity::event_tag::Entity::find()
            .select_only()
            .column(entity::event_tag::Column::EventId)
            .filter(entity::event_tag::Column::TagId.in_subquery(tag_ids))
            .into_query();
        select = select.filter(event::Column::Id.in_subquery(tagged));
    }
    if let Some(((lat, lon), radius)) = query.near {
        if !(0.0..=MAX_RADIUS_KM).contains(&radius) {
            return Err(Error::invalid(
                "radius",
                format!("expected a distance in km between 0 and {MAX_RADIUS_KM}"),
            ));
        }
        let bounding_box = crate::search::bounding_box((lat, lon), radius);
        if let Some(cells) = crate::search::geo_cells(bounding_box) {
            select = select.filter(event::Column::GeoCell.is_in(cells));
        }
        let (min_lat, max_lat, min_lon, max_lon) = bounding_box;
        // Equirectangular distance: only arithmetic, so it runs the same on SQLite and
        // PostgreSQL; within a few hundred km it is off by well under 1%.
        let km_per_degree = crate::search::EARTH_RADIUS_KM.to_radians();
        let shrink = lat.to_radians().cos();
        let radius_deg = radius / km_per_degree;
        select = select
            .filter(event::Column::Latitude.between(min_lat, max_lat))
            .filter(event::Column::Longitude.between(min_lon, max_lon))
            .filter({
                let dx = Expr::col(event::Column::Longitude).sub(lon).mul(shrink);
                let dy = Expr::col(event::Column::Latitude).sub(lat);
                dx.clone()
                    .mul(dx)
                    .add(dy.clone().mul(dy))
                    .lte(radius_deg * radius_deg)
            });
    }
    Ok(select)
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
    use entity::{actor, address};
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
