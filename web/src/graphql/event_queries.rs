//! Finding events, with Mobilizon's names: `event`, `events` (the upcoming list, near a place,
//! in an order, long events apart) and `searchEvents`.

use async_graphql::{Context, Enum, Object};
use backend::events::{self, EventKind, SearchQuery};
use chrono::{DateTime, Utc};
use entity::event::EventStatus;

use super::directory::{EventOrderBy, SortDirection, event_order};
use super::errors::{GqlResult, IntoGql, invalid};
use super::group_queries::SearchTarget;
use super::objects::{Event, PaginatedEventList, page};
use super::{app, principal};

/// How found events are sorted (Mobilizon's `SearchEventSortOptions`).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SearchEventSortOptions {
    /// Soonest first: found events are not ranked here.
    MatchDesc,
    StartTimeAsc,
    StartTimeDesc,
    CreatedAtDesc,
    CreatedAtAsc,
    ParticipantCountDesc,
}

/// Where an event happens (Mobilizon's `EventType`).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "EventType")]
pub enum EventType {
    /// Online only: its organizer said so (`options.isOnline`).
    Online,
    /// At a place, possibly also streamed.
    InPerson,
}

impl From<EventType> for EventKind {
    fn from(kind: EventType) -> Self {
        match kind {
            EventType::Online => EventKind::Online,
            EventType::InPerson => EventKind::InPerson,
        }
    }
}

/// Mobilizon sends tags as one comma-separated string.
fn split_list(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A place to search around: a geohash and a radius in km (50 when not given).
pub(super) fn near(
    location: Option<&str>,
    radius: Option<f64>,
) -> GqlResult<Option<((f64, f64), f64)>> {
    match location.map(str::trim).filter(|l| !l.is_empty()) {
        Some(hash) => {
            let center = backend::search::decode_geohash(hash)
                .ok_or_else(|| invalid("location", "not a geohash"))?;
            Ok(Some((center, radius.unwrap_or(50.0))))
        }
        None => Ok(None),
    }
}

/// Mobilizon's `bbox`, when given.
pub(super) fn geo_box(bbox: Option<&str>) -> GqlResult<Option<backend::search::GeoBox>> {
    match bbox.map(str::trim).filter(|b| !b.is_empty()) {
        Some(raw) => Ok(Some(backend::search::parse_bbox(raw).gql()?)),
        None => Ok(None),
    }
}

/// The entries of a list argument that were given.
fn given<T>(list: Option<Vec<Option<T>>>) -> Vec<T> {
    list.unwrap_or_default().into_iter().flatten().collect()
}

#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// One event, if the caller may see it.
    async fn event(&self, ctx: &Context<'_>, uuid: uuid::Uuid) -> GqlResult<Event> {
        Ok(Event(
            events::find_visible(&app(ctx)?.db, &principal(ctx), &uuid.to_string())
                .await
                .gql()?,
        ))
    }

    /// Upcoming public events, soonest first unless `orderBy`/`direction` say otherwise;
    /// around a place (`location` a geohash, `radius` in km), and only long events or none
    /// of them (`longEvents`, when the instance tells them apart).
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        location: Option<String>,
        radius: Option<f64>,
        order_by: Option<EventOrderBy>,
        direction: Option<SortDirection>,
        long_events: Option<bool>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedEventList> {
        let app = app(ctx)?;
        let query = SearchQuery {
            near: near(location.as_deref(), radius)?,
            long_events,
            long_event_days: app.settings.instance.duration_of_long_event,
            order: event_order(order_by, direction),
            ..SearchQuery::default()
        };
        Ok(
            events::search(&app.searches, app.now(), &query, self::page(page, limit)?)
                .await
                .gql()?
                .into(),
        )
    }

    /// Public events by words, tags, categories, statuses, languages, place (a geohash and a
    /// radius in km), kind (online or in person), length and dates.
    #[allow(clippy::too_many_arguments)]
    async fn search_events(
        &self,
        ctx: &Context<'_>,
        term: Option<String>,
        tags: Option<String>,
        category: Option<String>,
        category_one_of: Option<Vec<Option<String>>>,
        status_one_of: Option<Vec<Option<EventStatus>>>,
        language_one_of: Option<Vec<Option<String>>>,
        #[graphql(desc = "A geohash of the center, as Mobilizon clients send it.")]
        location: Option<String>,
        #[graphql(desc = "Kilometers around `location` (default 50).")] radius: Option<f64>,
        #[graphql(name = "type")] kind: Option<EventType>,
        #[graphql(
            desc = "Only long events (true) or none of them (false), when the instance \
                          tells them apart (`config.longEvents`)."
        )]
        long_events: Option<bool>,
        begins_on: Option<DateTime<Utc>>,
        ends_on: Option<DateTime<Utc>>,
        #[graphql(desc = "Corners of a map, as top_lat,left_lon:bottom_lat,right_lon.")]
        bbox: Option<String>,
        search_target: Option<SearchTarget>,
        sort_by: Option<SearchEventSortOptions>,
        #[graphql(
            name = "boostLanguages",
            desc = "Ignored, as Mobilizon's search of its own events ignores it."
        )]
        _boost_languages: Option<Vec<Option<String>>>,
        #[graphql(
            name = "zoom",
            desc = "Ignored: only Mobilizon's global search reads the map's zoom."
        )]
        _zoom: Option<i32>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedEventList> {
        let app = app(ctx)?;
        let order = match sort_by.unwrap_or(SearchEventSortOptions::MatchDesc) {
            SearchEventSortOptions::MatchDesc | SearchEventSortOptions::StartTimeAsc => {
                event_order(Some(EventOrderBy::BeginsOn), Some(SortDirection::Asc))
            }
            SearchEventSortOptions::StartTimeDesc => {
                event_order(Some(EventOrderBy::BeginsOn), Some(SortDirection::Desc))
            }
            SearchEventSortOptions::CreatedAtAsc => {
                event_order(Some(EventOrderBy::InsertedAt), Some(SortDirection::Asc))
            }
            SearchEventSortOptions::CreatedAtDesc => {
                event_order(Some(EventOrderBy::InsertedAt), Some(SortDirection::Desc))
            }
            SearchEventSortOptions::ParticipantCountDesc => {
                return Err(invalid(
                    "sortBy",
                    "events are sorted by start or creation here",
                ));
            }
        };
        let query = SearchQuery {
            within_box: geo_box(bbox.as_deref())?,
            local_only: search_target == Some(SearchTarget::Itself),
            order,
            term: term.filter(|t| !t.trim().is_empty()),
            tags: split_list(tags.as_deref()),
            category: category.filter(|c| !c.trim().is_empty()),
            categories: given(category_one_of),
            statuses: given(status_one_of),
            languages: given(language_one_of),
            near: near(location.as_deref(), radius)?,
            kind: kind.map(Into::into),
            long_events,
            long_event_days: app.settings.instance.duration_of_long_event,
            begins_on,
            ends_on,
            at_place: None,
        };
        Ok(
            events::search(&app.searches, app.now(), &query, self::page(page, limit)?)
                .await
                .gql()?
                .into(),
        )
    }
}
