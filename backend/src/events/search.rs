//! Searching public events (Mobilizon's `searchEvents`, and its `events` list with a place,
//! an order and long events apart): every criterion given must hold.

use chrono::{DateTime, Utc};
use entity::event::{self, EventStatus};
use sea_orm::QueryTrait;
use sea_orm::sea_query::{Alias, BinOper, Expr, ExprTrait, JoinType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult,
    IdenStatic, Iterable, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use super::{EventOrder, EventOrderField, categories, input, listed, not_over, tags};
use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};

/// Where an event happens (Mobilizon's `EventType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// Online only (Mobilizon's `isOnline` option, as organizers or the origin set it).
    Online,
    /// Anything else: at a place, possibly also streamed.
    InPerson,
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
    /// Any of these categories (Mobilizon's `categoryOneOf`).
    pub categories: Vec<String>,
    /// Any of these statuses (`statusOneOf`).
    pub statuses: Vec<EventStatus>,
    /// Any of these languages, as codes such as `fr` (`languageOneOf`).
    pub languages: Vec<String>,
    /// Online only, or not (`type`).
    pub kind: Option<EventKind>,
    /// Only long events (`true`) or no long event (`false`), long meaning lasting more whole
    /// days than `long_event_days`; as in Mobilizon, no filter when that is 0 (the mode is
    /// off and no event is long, see [`super::length`]).
    pub long_events: Option<bool>,
    pub long_event_days: u32,
    /// Inside this box of the map (Mobilizon's `bbox`).
    pub within_box: Option<crate::search::GeoBox>,
    /// Only this instance's events (Mobilizon's `searchTarget: SELF`); otherwise those of
    /// other instances stored here too.
    pub local_only: bool,
    /// Soonest first unless asked otherwise.
    pub order: EventOrder,
    /// At a town or postal code ([`crate::geocoding::place_filter`]).
    pub at_place: Option<PlaceFilter>,
}

/// Events at a place: their address names the town or the postal code, or their position is
/// within the radius of the town.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlaceFilter {
    /// Names the address's town may have, as written (the name typed, the gazetteer's).
    pub localities: Vec<String>,
    pub postal_code: Option<String>,
    /// Center (latitude, longitude) and radius in km.
    pub near: Option<((f64, f64), f64)>,
}

pub const MAX_RADIUS_KM: f64 = 1000.0;

/// Public events matching every given criterion, soonest first unless `query.order` says
/// otherwise. Text matches title, tags, description and town, ignoring case and accents. Run
/// it on [`crate::AppContext::searches`], where PostgreSQL plans it once for any values.
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
        .query_all_raw(ordered_page(select.clone(), page, query.order).build(backend))
        .await?;
    let mut total = None;
    let mut elements = Vec::with_capacity(rows.len());
    for row in &rows {
        total.get_or_insert(row.try_get::<i64>("", "total")?);
        elements.push(event::Model::from_query_result(row, "")?);
    }
    let total = match total {
        Some(total) => u64::try_from(total).unwrap_or_default(),
        None if page.offset() == 0 && page.limit > 0 => 0,
        // Past the last page, or asked for the total alone (`limit: 0`), no row carries it.
        None => select.count(conn).await?,
    };
    Ok(Paginated { total, elements })
}

/// [`ordered_page`] soonest first.
#[cfg(test)]
pub(crate) fn search_page(select: Select<event::Entity>, page: Page) -> Select<event::Entity> {
    ordered_page(select, page, EventOrder::default())
}

/// A page of `select`'s events in `order` with the total, in one statement. The filters run
/// once, for the page's ids and the total together, instead of once for a count and again for
/// the page (on PostgreSQL the text match reads each candidate's row; SQLite finds the words in the
/// place index); only narrow (id, total) rows are sorted, and the page's ten events are then
/// joined by id (a second statement for them cost a round trip through the driver's thread).
///
/// Those ten are read without their search words: up to 2 000 bytes each more than the rest
/// of the event, compressed with the description on PostgreSQL, which decompressed and sent
/// them for nothing, only for them to be checked as UTF-8 and dropped.
fn ordered_page(
    select: Select<event::Entity>,
    page: Page,
    order: EventOrder,
) -> Select<event::Entity> {
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
        .column_as(Expr::col((ranked.clone(), Alias::new("total"))), "total");
    outer = in_order(outer, order);
    QueryTrait::query(&mut outer).join_subquery(
        JoinType::InnerJoin,
        ranking(select, page, order).into_query(),
        ranked.clone(),
        Expr::col((event::Entity, event::Column::Id)).equals((ranked, event::Column::Id)),
    );
    outer
}

/// The ids of a page of `select`'s events in `order`, each with the total.
fn ranking(select: Select<event::Entity>, page: Page, order: EventOrder) -> Select<event::Entity> {
    in_order(
        select
            .select_only()
            .column(event::Column::Id)
            .expr_as(Expr::cust("COUNT(*) OVER ()"), "total"),
        order,
    )
    .offset(page.offset())
    .limit(page.limit)
}

/// `select` sorted by `order`, ties by id so that pages never overlap.
fn in_order(select: Select<event::Entity>, order: EventOrder) -> Select<event::Entity> {
    let column = match order.field {
        EventOrderField::BeginsOn => event::Column::BeginsOn,
        EventOrderField::InsertedAt => event::Column::CreatedAt,
        EventOrderField::UpdatedAt => event::Column::UpdatedAt,
    };
    let select = if order.descending {
        select.order_by_desc(column)
    } else {
        select.order_by_asc(column)
    };
    select.order_by_asc(event::Column::Id)
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
    if !query.categories.is_empty() {
        let mut wanted = Vec::with_capacity(query.categories.len());
        for category in &query.categories {
            wanted.push(categories::parse(category).ok_or_else(|| {
                Error::invalid("categoryOneOf", format!("\"{category}\" is not a category"))
            })?);
        }
        select = select.filter(event::Column::Category.is_in(wanted));
    }
    if !query.statuses.is_empty() {
        select = select.filter(event::Column::Status.is_in(query.statuses.iter().copied()));
    }
    if !query.languages.is_empty() {
        let mut languages = Vec::with_capacity(query.languages.len());
        for raw in &query.languages {
            // Stored as `input::language` writes them, so compared the same way.
            match input::language(raw) {
                Ok(Some(language)) => languages.push(language),
                Ok(None) => {}
                Err(_) => {
                    return Err(Error::invalid(
                        "languageOneOf",
                        format!("\"{raw}\" is not a language code such as fr or en-GB"),
                    ));
                }
            }
        }
        if !languages.is_empty() {
            select = select.filter(event::Column::Language.is_in(languages));
        }
    }
    match query.kind {
        Some(EventKind::Online) => select = select.filter(event::Column::IsOnline.eq(true)),
        Some(EventKind::InPerson) => select = select.filter(event::Column::IsOnline.eq(false)),
        None => {}
    }
    if let Some(long) = query.long_events
        && query.long_event_days > 0
    {
        // Long is more whole days than the bound: at least one day more, in seconds.
        let shortest_long = (i64::from(query.long_event_days) + 1) * 86_400;
        select = select.filter(if long {
            Condition::all().add(event::Column::LastsSeconds.gte(shortest_long))
        } else {
            Condition::any()
                .add(event::Column::LastsSeconds.is_null())
                .add(event::Column::LastsSeconds.lt(shortest_long))
        });
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
    if query.local_only {
        select = select.filter(event::Column::Local.eq(true));
    }
    if let Some(geo_box) = query.within_box {
        select = select.filter(crate::search::inside_box(
            event::Column::Latitude,
            event::Column::Longitude,
            geo_box,
        ));
    }
    if let Some(place) = &query.at_place {
        select = select.filter(at_place(place)?);
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
        select = select.filter(crate::search::within_radius(
            event::Column::Latitude,
            event::Column::Longitude,
            (lat, lon),
            radius,
        ));
    }
    Ok(select)
}

/// The condition of [`PlaceFilter`]; a filter that names nothing matches nothing.
fn at_place(place: &PlaceFilter) -> Result<Condition> {
    use entity::address;
    let mut named = Condition::any();
    if let Some(code) = &place.postal_code {
        named = named.add(address::Column::PostalCode.eq(code.clone()));
    }
    if !place.localities.is_empty() {
        // SQLite lowers ASCII letters only: the names as written match accented towns.
        let mut names: Vec<String> = place.localities.clone();
        names.extend(place.localities.iter().map(|n| n.to_lowercase()));
        names.sort();
        names.dedup();
        named = named
            .add(address::Column::Locality.is_in(names.clone()))
            .add(
                Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(
                    address::Column::Locality,
                )))
                .is_in(names),
            );
    }
    let mut any = Condition::any();
    if place.postal_code.is_some() || !place.localities.is_empty() {
        let addresses = address::Entity::find()
            .select_only()
            .column(address::Column::Id)
            .filter(named)
            .into_query();
        any = any.add(event::Column::PhysicalAddressId.in_subquery(addresses));
    }
    if let Some(((lat, lon), radius)) = place.near {
        if !(0.0..=MAX_RADIUS_KM).contains(&radius) {
            return Err(Error::invalid(
                "radius",
                format!("expected a distance in km between 0 and {MAX_RADIUS_KM}"),
            ));
        }
        let mut near = Condition::all();
        if let Some(cells) =
            crate::search::geo_cells(crate::search::bounding_box((lat, lon), radius))
        {
            near = near.add(event::Column::GeoCell.is_in(cells));
        }
        any = any.add(near.add(crate::search::within_radius(
            event::Column::Latitude,
            event::Column::Longitude,
            (lat, lon),
            radius,
        )));
    }
    if any.is_empty() {
        return Ok(Condition::all().add(Expr::cust("1 = 0")));
    }
    Ok(any)
}
