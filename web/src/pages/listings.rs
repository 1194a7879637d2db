//! Finding events: the home page's upcoming events (kept for people without a session, see
//! `crate::kept_pages`) and search.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::events::{self, SearchQuery};
use backend::i18n::Locale;
use backend::pagination::Page;
use chrono::{NaiveDate, TimeZone, Utc};
use entity::event::{self, EventStatus};
use serde::Deserialize;

use super::event::{ActorLink, encode, origin};
use super::i18n::{count, t, with};
use super::pictures::{Picture, Shown};
use super::{Frame, Visitor, error_page, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
}

#[derive(Clone)]
pub struct Card {
    pub(super) url: String,
    pub(super) title: String,
    pub(super) when: String,
    pub(super) place: Option<String>,
    pub(super) banner: Option<String>,
    group: Option<ActorLink>,
    /// "From events.example.org" for an event of another instance.
    origin: Option<String>,
    pub(super) picture: Option<Picture>,
}

/// The cards of a list of events, with their places and groups loaded in two queries.
pub(super) async fn cards(
    state: &AppState,
    locale: Locale,
    list: &[event::Model],
) -> backend::Result<Vec<Card>> {
    let db = &state.ctx.db;
    let address_ids: Vec<i64> = list.iter().filter_map(|e| e.physical_address_id).collect();
    let addresses = backend::addresses::find_many(db, &address_ids).await?;
    let group_ids: Vec<i64> = list.iter().filter_map(|e| e.attributed_to_id).collect();
    let groups = backend::actors::find_many(db, &group_ids).await?;
    let picture_ids: Vec<i64> = list.iter().filter_map(|e| e.picture_media_id).collect();
    let pictures = backend::media::find_many(db, &picture_ids).await?;
    Ok(list
        .iter()
        .map(|e| Card {
            url: format!("/events/{}", e.uuid),
            title: e.title.clone(),
            when: backend::events::notices::format_when(locale, e),
            place: e
                .physical_address_id
                .and_then(|id| addresses.get(&id))
                .map(backend::addresses::one_line),
            banner: match e.status {
                EventStatus::Cancelled => Some(t(locale, "event-status-cancelled")),
                EventStatus::Tentative => Some(t(locale, "event-status-tentative")),
                EventStatus::Confirmed => None,
            },
            group: e
                .attributed_to_id
                .and_then(|id| groups.get(&id))
                .map(ActorLink::of),
            origin: origin(locale, e),
            // The title beside it says what the card is: the picture only decorates it.
            picture: Picture::of_id(&pictures, e.picture_media_id, Shown::Card, false),
        })
        .collect())
}

#[derive(Deserialize, Default)]
pub struct SearchForm {
    #[serde(default)]
    term: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    radius: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    category: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    frame: Frame,
    search_form: bool,
    query: SearchForm,
    categories: Vec<(&'static str, String)>,
    warning: Option<String>,
    summary: String,
    empty: String,
    cards: Vec<Card>,
    previous: Option<String>,
    next: Option<String>,
}

pub(super) fn pager(base: &str, page: Page, total: u64) -> (Option<String>, Option<String>) {
    let sep = if base.contains('?') { '&' } else { '?' };
    let previous = (page.page > 1).then(|| format!("{base}{sep}page={}", page.page - 1));
    let next =
        (page.page * page.limit < total).then(|| format!("{base}{sep}page={}", page.page + 1));
    (previous, next)
}

#[allow(clippy::too_many_arguments)] // one page, described field by field
fn events_template(
    visitor: &Visitor,
    title: String,
    search_form: bool,
    query: SearchForm,
    warning: Option<String>,
    total: u64,
    cards: Vec<Card>,
    page: Page,
    base: &str,
) -> EventsPage {
    let locale = visitor.locale;
    let (previous, next) = pager(base, page, total);
    let frame = Frame {
        title,
        visitor: visitor.clone(),
        notice: None,
    };
    EventsPage {
        frame,
        search_form,
        query,
        categories: backend::events::categories::CATEGORIES
            .iter()
            .map(|c| (*c, t(locale, &format!("category-{c}"))))
            .collect(),
        warning,
        summary: count(locale, "search-results", total),
        empty: t(locale, "home-empty"),
        cards,
        previous,
        next,
    }
}

#[derive(Deserialize)]
pub struct PageParam {
    page: Option<i64>,
}

/// Upcoming public events, soonest first.
pub async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(p): Query<PageParam>,
) -> Response {
    let page = Page::new(p.page, Some(20)).unwrap_or_default();
    let result = if visitor.session.is_none() {
        anonymous_home(&state, &visitor, page).await
    } else {
        member_home(&state, &visitor, page).await
    };
    match result {
        Ok(html) => super::html_page(&visitor, StatusCode::OK, html),
        Err(err) => error_page(visitor, &err),
    }
}

/// The events of one page of the home page with their cards: the same for everyone, so kept
/// under the database's generation (any change on any node makes a new one) until the first
/// moment one of its upcoming events is over, which alone changes the list and its count.
/// Members' home pages differ only by their header: without it, each member's first visit
/// after a change would count and read the upcoming events again.
pub(crate) struct HomeListing {
    total: u64,
    cards: Vec<Card>,
    over_at: chrono::DateTime<Utc>,
}

impl HomeListing {
    /// Roughly what it holds, for the budget it is kept under.
    pub(crate) fn size(&self) -> usize {
        self.cards
            .iter()
            .map(|c| 256 + c.url.len() + c.title.len() + c.when.len())
            .sum()
    }
}

async fn home_listing(
    state: &AppState,
    locale: Locale,
    page: Page,
    generation: Option<u64>,
    now: chrono::DateTime<Utc>,
) -> backend::Result<std::sync::Arc<HomeListing>> {
    let key = generation.map(|g| format!("{g}|{}|{}", locale.code(), page.page));
    if let Some(kept) = key.as_deref().and_then(|k| state.pages.home.get(k))
        && now <= kept.over_at
    {
        return Ok(kept);
    }
    let db = &state.ctx.db;
    let changes_at = events::next_over_at(db, now).await?;
    let list = events::upcoming(db, now, page).await?;
    let cards = cards(state, locale, &list.elements).await?;
    let listing = std::sync::Arc::new(HomeListing {
        total: list.total,
        cards,
        // With no upcoming event, only a change in the database changes the list.
        over_at: changes_at.unwrap_or(chrono::DateTime::<Utc>::MAX_UTC),
    });
    if let Some(key) = key {
        state.pages.home.replace(&key, listing.clone());
    }
    Ok(listing)
}

fn home_template(visitor: &Visitor, listing: &HomeListing, page: Page) -> EventsPage {
    events_template(
        visitor,
        t(visitor.locale, "home-title"),
        false,
        SearchForm::default(),
        None,
        listing.total,
        listing.cards.clone(),
        page,
        "/",
    )
}

/// The home page people without a session see: the same for all of them but for the token of
/// the forms, like the event page ([`anonymous_event_page`]), kept as the listing it shows is.
async fn anonymous_home(
    state: &AppState,
    visitor: &Visitor,
    page: Page,
) -> backend::Result<String> {
    let ctx = &state.ctx;
    let now = ctx.now();
    // Read before the database is: a change committed meanwhile makes it outdated.
    let generation = ctx.changes.generation();
    let current_key = generation
        .map(|generation| format!("{generation}|{}|home|{}", visitor.locale.code(), page.page));
    if let Some(html) = state.pages.kept(current_key.as_deref(), now, &visitor.csrf) {
        return Ok(html);
    }
    let listing = home_listing(state, visitor.locale, page, generation, now).await?;
    let placeholder = state.pages.placeholder();
    let mut shared = visitor.clone();
    shared.csrf = placeholder.to_owned();
    let html = home_template(&shared, &listing, page)
        .render()
        .map_err(backend::Error::internal)?;
    let html = axum::body::Bytes::from(html);
    state
        .pages
        .keep(current_key.as_deref(), &html, listing.over_at, now);
    Ok(String::from_utf8_lossy(&html).replace(placeholder, &visitor.csrf))
}

/// A member's home page: the shared listing under their own header, kept for their session.
async fn member_home(state: &AppState, visitor: &Visitor, page: Page) -> backend::Result<String> {
    let now = state.ctx.now();
    let generation = state.ctx.changes.generation();
    let key = crate::kept_pages::member_key(generation, visitor, &format!("home|{}", page.page));
    if let Some(html) = state.pages.member(key.as_deref(), now) {
        return Ok(String::from_utf8_lossy(&html).into_owned());
    }
    let listing = home_listing(state, visitor.locale, page, generation, now).await?;
    let html = home_template(visitor, &listing, page)
        .render()
        .map_err(backend::Error::internal)?;
    state.pages.keep_member(
        key.as_deref(),
        &axum::body::Bytes::from(html.clone()),
        listing.over_at,
        now,
    );
    Ok(html)
}

fn parse_day(raw: &str) -> Option<chrono::DateTime<Utc>> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Utc.from_utc_datetime(&d))
}

/// How far from a town searched for its events are found, unless the search says.
const DEFAULT_RADIUS_KM: f64 = 10.0;

/// Search by words, tags, category, dates and a town or postal code.
pub async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(form): Query<SearchForm>,
) -> Response {
    let locale = visitor.locale;
    // `@name@host` of a group elsewhere: found through its instance and shown here, where
    // people can follow it.
    if let Some(handle) = federation::other_instance_handle(&state.ctx, &form.term) {
        match federation::resolve(&state.federation, &state.ctx, handle).await {
            Ok(federation::Resolved::Actor(actor)) if !actor.suspended => {
                let domain = actor.domain.clone().unwrap_or_default();
                let to = format!("/@{}@{domain}", actor.preferred_username);
                return axum::response::IntoResponse::into_response(axum::response::Redirect::to(
                    &to,
                ));
            }
            Ok(_) => {}
            Err(err) => tracing::debug!(error = %err, "search: a handle did not resolve"),
        }
    }
    let page = Page::new(form.page, Some(20)).unwrap_or_default();
    let result = async {
        let mut warning = None;
        let radius = form
            .radius
            .trim()
            .parse::<f64>()
            .unwrap_or(DEFAULT_RADIUS_KM)
            .clamp(1.0, events::MAX_RADIUS_KM);
        let coordinates = match (
            form.lat.trim().parse::<f64>(),
            form.lon.trim().parse::<f64>(),
        ) {
            (Ok(lat), Ok(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                Some((lat, lon))
            }
            _ => None,
        };
        // A position in the address (`lat`, `lon`: "near me", a link) wins over a place's name.
        let near = coordinates.map(|c| (c, radius));
        let at_place = match form.place.trim() {
            "" => None,
            _ if near.is_some() => None,
            name => {
                let filter = state
                    .ctx
                    .geocoder
                    .place_filter(&state.ctx.searches, name, locale.code(), radius)
                    .await?;
                if filter.is_none() {
                    warning = Some(with(
                        locale,
                        "search-unknown-place",
                        "place",
                        name.to_owned(),
                    ));
                }
                filter
            }
        };
        let query = SearchQuery {
            term: Some(form.term.clone()).filter(|t| !t.trim().is_empty()),
            tags: form
                .tags
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            category: Some(form.category.clone()).filter(|c| !c.trim().is_empty()),
            near,
            begins_on: parse_day(&form.from),
            ends_on: parse_day(&form.to).map(|d| d + chrono::Duration::days(1)),
            at_place,
            ..SearchQuery::default()
        };
        let list = events::search(&state.ctx.searches, state.ctx.now(), &query, page).await?;
        let cards = cards(&state, locale, &list.elements).await?;
        Ok::<_, backend::Error>((list, cards, warning))
    }
    .await;
    match result {
        Ok((list, cards, warning)) => {
            let base = format!(
                "/search?term={}&place={}&lat={}&lon={}&radius={}&from={}&to={}&tags={}&category={}",
                encode(&form.term),
                encode(&form.place),
                encode(&form.lat),
                encode(&form.lon),
                encode(&form.radius),
                encode(&form.from),
                encode(&form.to),
                encode(&form.tags),
                encode(&form.category)
            );
            let title = t(locale, "search-title");
            let template = events_template(
                &visitor, title, true, form, warning, list.total, cards, page, &base,
            );
            render(&visitor, StatusCode::OK, &template)
        }
        Err(err) => error_page(visitor, &err),
    }
}
