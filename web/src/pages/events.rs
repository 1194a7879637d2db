//! Finding events (home, search) and one event's page with its RSVP forms.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::events::{self, SearchQuery};
use backend::i18n::Locale;
use backend::pagination::{Page, Paginated};
use backend::participations::policy::Refusal;
use backend::participations::{self, JoinRequest, Joined, LeaveRequest, Left};
use chrono::{NaiveDate, TimeZone, Utc};
use entity::event::{self, EventStatus};
use entity::participant::ParticipantRole;
use serde::Deserialize;

use super::i18n::{count, t, with};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::client::RequestClient;
use crate::state::AppState;

pub struct Card {
    url: String,
    title: String,
    when: String,
    place: Option<String>,
    banner: Option<String>,
    group: Option<ActorLink>,
    /// "From events.example.org" for an event of another instance.
    origin: Option<String>,
}

/// A group or person as shown on an event: their name, and their page on this instance when
/// there is one to see (a suspended actor's is gone).
pub struct ActorLink {
    name: String,
    page: Option<String>,
}

impl ActorLink {
    fn of(actor: &entity::actor::Model) -> Self {
        Self {
            name: backend::actors::display_name(actor),
            page: (!actor.suspended).then(|| format!("/@{}", backend::actors::handle(actor))),
        }
    }
}

/// Where an event of another instance comes from, for people: "From its.domain".
fn origin(locale: Locale, e: &event::Model) -> Option<String> {
    if e.local {
        return None;
    }
    let domain = backend::domain_blocks::domain_of(&e.url)?;
    Some(with(locale, "event-origin", "instance", domain))
}

/// The cards of a list of events, with their places and groups loaded in two queries.
async fn cards(
    state: &AppState,
    locale: Locale,
    list: &[event::Model],
) -> backend::Result<Vec<Card>> {
    let db = &state.ctx.db;
    let address_ids: Vec<i64> = list.iter().filter_map(|e| e.physical_address_id).collect();
    let addresses = backend::addresses::find_many(db, &address_ids).await?;
    let group_ids: Vec<i64> = list.iter().filter_map(|e| e.attributed_to_id).collect();
    let groups = backend::actors::find_many(db, &group_ids).await?;
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

fn pager(base: &str, page: Page, total: u64) -> (Option<String>, Option<String>) {
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
    list: Paginated<event::Model>,
    cards: Vec<Card>,
    page: Page,
    base: &str,
) -> EventsPage {
    let locale = visitor.locale;
    let (previous, next) = pager(base, page, list.total);
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
            .map(|c| (*c, backend::events::categories::label(c)))
            .collect(),
        warning,
        summary: count(locale, "search-results", list.total),
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
    if visitor.session.is_none() {
        return match anonymous_home(&state, &visitor, page).await {
            Ok(html) => super::html_page(&visitor, StatusCode::OK, html),
            Err(err) => error_page(visitor, &err),
        };
    }
    let result = async {
        let list = events::upcoming(&state.ctx.db, state.ctx.now(), page).await?;
        let cards = cards(&state, visitor.locale, &list.elements).await?;
        Ok::<_, backend::Error>((list, cards))
    }
    .await;
    match result {
        Ok((list, cards)) => {
            let title = t(visitor.locale, "home-title");
            let template = events_template(
                &visitor,
                title,
                false,
                SearchForm::default(),
                None,
                list,
                cards,
                page,
                "/",
            );
            render(&visitor, StatusCode::OK, &template)
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// The home page people without a session see: the same for all of them but for the token of
/// the forms, like the event page ([`anonymous_event_page`]). It counts and lists every
/// upcoming event, so it is kept under the database's generation (`backend::changes`: any
/// change on any node makes a new one) until the first moment an upcoming event is over,
/// which alone changes the list and its count.
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
    let placeholder = state.pages.placeholder();
    let changes_at = events::next_over_at(&ctx.db, now).await?;
    let list = events::upcoming(&ctx.db, now, page).await?;
    let cards = cards(state, visitor.locale, &list.elements).await?;
    let mut shared = visitor.clone();
    shared.csrf = placeholder.to_owned();
    let template = events_template(
        &shared,
        t(visitor.locale, "home-title"),
        false,
        SearchForm::default(),
        None,
        list,
        cards,
        page,
        "/",
    );
    let html = axum::body::Bytes::from(template.render().map_err(backend::Error::internal)?);
    // With no upcoming event, only a change in the database changes the page.
    let over_at = changes_at.unwrap_or(chrono::DateTime::<Utc>::MAX_UTC);
    state
        .pages
        .keep(current_key.as_deref(), &html, over_at, now);
    Ok(String::from_utf8_lossy(&html).replace(placeholder, &visitor.csrf))
}

fn parse_day(raw: &str) -> Option<chrono::DateTime<Utc>> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Utc.from_utc_datetime(&d))
}

/// Search by words, tags, category, dates and a place known to this instance.
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
            .unwrap_or(25.0)
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
        let near = match form.place.trim() {
            _ if coordinates.is_some() => coordinates.map(|c| (c, radius)),
            "" => None,
            name => match backend::addresses::known_places(&state.ctx.db, name, 1)
                .await?
                .into_iter()
                .next()
            {
                Some(place) => Some(((place.latitude, place.longitude), radius)),
                None => {
                    warning = Some(with(
                        locale,
                        "search-unknown-place",
                        "place",
                        name.to_owned(),
                    ));
                    None
                }
            },
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
                &visitor, title, true, form, warning, list, cards, page, &base,
            );
            render(&visitor, StatusCode::OK, &template)
        }
        Err(err) => error_page(visitor, &err),
    }
}

fn encode(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}

/// Event pages built for people without a session ([`anonymous_event_page`]).
#[derive(Clone)]
pub struct AnonymousPages {
    /// By version of what they show, checked against the database.
    built: crate::built::Built,
    /// By generation of the database (`backend::changes`): served without a query while
    /// nothing changed since they were read.
    current: backend::kept::Kept<Arc<CurrentPage>>,
    /// Stands for the visitor's token in built pages; random per process, so that no text
    /// written in an event can contain it and receive a visitor's token.
    placeholder: String,
}

/// A page as of a generation, and what time alone would change in it.
struct CurrentPage {
    html: axum::body::Bytes,
    /// When the event is over (the page then says so and offers no RSVP), or the first of
    /// the home page's upcoming events is, and whether that moment had passed when the page
    /// was built.
    over_at: chrono::DateTime<Utc>,
    over: bool,
}

impl Default for AnonymousPages {
    fn default() -> Self {
        Self {
            // ~1 000 pages of ~5 KB
            built: crate::built::built(8 * 1024 * 1024),
            // The same pages (their bytes are shared with `built`) under each generation they
            // were read at; older generations' go first.
            current: backend::kept::Kept::new(2 * 1024 * 1024, |page: &Arc<CurrentPage>| {
                page.html.len()
            }),
            placeholder: backend::users::tokens::random_token().0,
        }
    }
}

impl AnonymousPages {
    fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// The page kept under `key` (a generation's) with the visitor's token in it, unless time
    /// has changed it since it was built.
    fn kept(&self, key: Option<&str>, now: chrono::DateTime<Utc>, csrf: &str) -> Option<String> {
        let page = self.current.get(key?)?;
        ((page.over_at < now) == page.over)
            .then(|| String::from_utf8_lossy(&page.html).replace(self.placeholder(), csrf))
    }

    /// Keeps `html` (built with the placeholder) under `key` until `over_at` passes.
    fn keep(
        &self,
        key: Option<&str>,
        html: &axum::body::Bytes,
        over_at: chrono::DateTime<Utc>,
        now: chrono::DateTime<Utc>,
    ) {
        if let Some(key) = key {
            let page = CurrentPage {
                html: html.clone(),
                over_at,
                over: over_at < now,
            };
            self.current.replace(key, Arc::new(page));
        }
    }
}

pub struct EventView {
    uuid: String,
    url: String,
    /// For an event of another instance: "From its.domain", and its page there.
    origin: Option<(String, String)>,
    title: String,
    summary: String,
    banner: Option<String>,
    banner_class: &'static str,
    when: String,
    when_viewer: Option<String>,
    place: Option<String>,
    map: Option<String>,
    online: Option<String>,
    organizer: ActorLink,
    group: Option<ActorLink>,
    participants: Option<String>,
    seats: Option<String>,
    tags: Vec<String>,
    description: String,
    ics: String,
    webcal: String,
    google: String,
    json_ld: String,
    manage: bool,
}

#[derive(Default)]
pub struct Rsvp {
    state: Option<String>,
    closed: Option<String>,
    external: Option<String>,
    can_join: bool,
    can_leave: bool,
    restricted: bool,
    login_to_join: bool,
    anonymous: bool,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    frame: Frame,
    e: EventView,
    rsvp: Rsvp,
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

/// Everything about one event, and what the visitor can do about it.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    Query(notice): Query<Notice>,
    headers: axum::http::HeaderMap,
) -> Response {
    // The same address serves ActivityPub peers (JSON-LD) and people (HTML).
    if state.ctx.settings.federation.enabled && federation::negotiate::wants_activity_json(&headers)
    {
        let mut response = federation::event_json(&state.ctx, &uuid)
            .await
            .unwrap_or_else(axum::response::IntoResponse::into_response);
        super::vary_on_accept(&mut response);
        return response;
    }
    let mut response = if visitor.session.is_none() && notice.done.is_none() {
        match anonymous_event_page(&state, &visitor, &uuid).await {
            Ok(html) => super::html_page(&visitor, StatusCode::OK, html),
            Err(err) => error_page(visitor, &err),
        }
    } else {
        match build_event_page(&state, &visitor, &uuid, notice.done.as_deref()).await {
            Ok(page) => render(&visitor, StatusCode::OK, &page),
            Err(err) => error_page(visitor, &err),
        }
    };
    super::vary_on_accept(&mut response);
    response
}

/// The page people without a session see is the same for all of them but for the token of
/// its forms, so it is built once per version of what it shows (the event row, its
/// participant counts, whether it is over, its organizer's, group's and place's last change,
/// the language) with a placeholder in the token's place, and each visitor's token goes in
/// when served. While nothing changed in the database since this node last read the event
/// (`backend::changes`) the page is served without a query; otherwise the version is read
/// from the database, so an edit on any node shows everywhere.
async fn anonymous_event_page(
    state: &AppState,
    visitor: &Visitor,
    uuid: &str,
) -> backend::Result<String> {
    let ctx = &state.ctx;
    let now = ctx.now();
    // Read before the database is: a change committed meanwhile makes it outdated.
    let generation = ctx.changes.generation();
    let current_key =
        generation.map(|generation| format!("{generation}|{}|{uuid}", visitor.locale.code()));
    if let Some(html) = state.pages.kept(current_key.as_deref(), now, &visitor.csrf) {
        return Ok(html);
    }
    let (event, access, stats) = visible_event(state, visitor, uuid).await?;
    let related = events::related_changes(&ctx.db, &event).await?;
    let key = {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(visitor.locale.code());
        hash.update(format!("{event:?}|{access:?}|{stats:?}|{related:?}"));
        hash.update([u8::from(events::is_over(&event, now))]);
        hex::encode(hash.finalize())
    };
    let placeholder = state.pages.placeholder();
    let over_at = events::over_at(&event);
    let html = match state.pages.built.get(&key) {
        Some(bytes) => bytes,
        None => {
            let mut shared = visitor.clone();
            shared.csrf = placeholder.to_owned();
            let page = compose_event_page(state, &shared, event, access, stats, None).await?;
            let html = axum::body::Bytes::from(page.render().map_err(backend::Error::internal)?);
            state.pages.built.put(&key, html.clone());
            html
        }
    };
    state
        .pages
        .keep(current_key.as_deref(), &html, over_at, now);
    Ok(String::from_utf8_lossy(&html).replace(placeholder, &visitor.csrf))
}

async fn build_event_page(
    state: &AppState,
    visitor: &Visitor,
    uuid: &str,
    done: Option<&str>,
) -> backend::Result<EventPage> {
    let (event, access, stats) = visible_event(state, visitor, uuid).await?;
    compose_event_page(state, visitor, event, access, stats, done).await
}

/// The event if the visitor may see it, how they relate to it, and its participant counts.
async fn visible_event(
    state: &AppState,
    visitor: &Visitor,
    uuid: &str,
) -> backend::Result<(
    event::Model,
    events::policy::Access,
    events::ParticipantStats,
)> {
    let db = &state.ctx.db;
    let principal = visitor.principal();
    let event = events::find_visible(db, &principal, uuid).await?;
    let access = events::access(db, &principal, &event).await?;
    let stats = events::participant_stats(db, &[event.id])
        .await?
        .remove(&event.id)
        .unwrap_or_default();
    Ok((event, access, stats))
}

async fn compose_event_page(
    state: &AppState,
    visitor: &Visitor,
    event: event::Model,
    access: events::policy::Access,
    stats: events::ParticipantStats,
    done: Option<&str>,
) -> backend::Result<EventPage> {
    let ctx = &state.ctx;
    let db = &ctx.db;
    let locale = visitor.locale;
    let runs_it = events::policy::can_manage_participants(events::facts(&event), access);
    // Only a row that is gone is left out: a failed read must not be kept as the page.
    let address = match event.physical_address_id {
        Some(id) => unless_gone(backend::addresses::find(db, id).await)?,
        None => None,
    };
    let organizer = backend::actors::find(db, event.organizer_actor_id).await?;
    let group = match event.attributed_to_id {
        Some(id) => unless_gone(backend::actors::find(db, id).await)?,
        None => None,
    };
    let tags: Vec<String> = backend::events::tags::for_events(db, &[event.id])
        .await?
        .remove(&event.id)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.title)
        .collect();
    let tz = events::timezone(&event);
    let viewer_tz = match &visitor.session {
        Some(session) => backend::users::service::find(db, session.user.id)
            .await?
            .timezone
            .and_then(|tz| tz.parse::<chrono_tz::Tz>().ok()),
        None => None,
    };
    let when_viewer = viewer_tz.filter(|v| *v != tz).map(|v| {
        let start = event.begins_on.with_timezone(&v);
        format!("{} ({})", locale.format_datetime(&start), v.name())
    });
    let place = address.as_ref().map(backend::addresses::one_line);
    let map = match (event.latitude, event.longitude) {
        (Some(lat), Some(lon)) => Some(format!(
            "https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=16/{lat:.5}/{lon:.5}"
        )),
        _ => None,
    };
    let when = backend::events::notices::format_when(locale, &event);
    let (banner, banner_class) = match event.status {
        EventStatus::Cancelled => (Some(t(locale, "event-status-cancelled")), "cancelled"),
        EventStatus::Tentative => (Some(t(locale, "event-status-tentative")), "tentative"),
        EventStatus::Confirmed => (None, ""),
    };
    let participants = (!event.hide_number_of_participants || runs_it)
        .then(|| count(locale, "event-participants", stats.going));
    let seats = (event.show_remaining_attendee_capacity || runs_it)
        .then(|| events::remaining_seats(&event, &stats))
        .flatten()
        .map(|n| count(locale, "event-seats-left", n));
    let description_text = backend::feeds::html_to_text(&event.description);
    let summary = {
        let mut s = when.clone();
        if let Some(place) = &place {
            s.push_str(" · ");
            s.push_str(place);
        }
        s
    };
    let absolute = ctx.url(&format!("/events/{}", event.uuid));
    let ics_path = format!("/events/{}/export/ics", event.uuid);
    let ics_absolute = ctx.url(&ics_path);
    let webcal =
        ics_absolute
            .replacen("https://", "webcal://", 1)
            .replacen("http://", "webcal://", 1);
    let fmt = "%Y%m%dT%H%M%SZ";
    let end = event
        .ends_on
        .unwrap_or(event.begins_on + chrono::Duration::hours(1));
    let google = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&location={}",
        encode(&event.title),
        event.begins_on.format(fmt),
        end.format(fmt),
        encode(&absolute),
        encode(place.as_deref().unwrap_or_default())
    );
    let json_ld = json_ld(
        &event,
        &absolute,
        place.as_deref(),
        &organizer,
        &description_text,
    );
    let view = EventView {
        origin: origin(visitor.locale, &event).map(|label| (label, event.url.clone())),
        uuid: event.uuid.clone(),
        url: absolute,
        title: event.title.clone(),
        summary,
        banner,
        banner_class,
        when,
        when_viewer,
        place,
        map,
        online: event.online_address.clone(),
        organizer: ActorLink::of(&organizer),
        group: group.as_ref().map(ActorLink::of),
        participants,
        seats,
        tags,
        description: event.description.clone(),
        ics: ics_path,
        webcal,
        google,
        json_ld,
        manage: runs_it,
    };
    let rsvp = rsvp_state(ctx, visitor, &event, access.participant_role, &stats);
    let notice = done.and_then(|d| match d {
        "joined" => Some(t(locale, "event-joined")),
        "requested" => Some(t(locale, "event-requested")),
        "left" => Some(t(locale, "event-left")),
        "anonymous" => Some(t(locale, "event-anonymous-sent")),
        _ => None,
    });
    Ok(EventPage {
        frame: Frame {
            title: event.title.clone(),
            visitor: visitor.clone(),
            notice,
        },
        e: view,
        rsvp,
    })
}

/// The row, `None` when it is not found, the error otherwise.
fn unless_gone<T>(found: backend::Result<T>) -> backend::Result<Option<T>> {
    match found {
        Ok(row) => Ok(Some(row)),
        Err(backend::Error::NotFound { .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

/// The RSVP box: what the backend offers this visitor (`participations::offer`), in words.
fn rsvp_state(
    ctx: &backend::AppContext,
    visitor: &Visitor,
    event: &event::Model,
    role: Option<ParticipantRole>,
    stats: &events::ParticipantStats,
) -> Rsvp {
    let locale = visitor.locale;
    let offer = participations::offer(
        event,
        ctx.now(),
        role,
        stats.participant,
        visitor.session.is_some(),
    );
    let mut rsvp = Rsvp {
        restricted: offer.needs_approval,
        can_join: offer.join,
        can_leave: offer.leave,
        login_to_join: offer.log_in_to_join,
        anonymous: offer.join_by_email,
        ..Rsvp::default()
    };
    rsvp.state = role.map(|r| {
        t(
            locale,
            match r {
                ParticipantRole::Creator
                | ParticipantRole::Administrator
                | ParticipantRole::Moderator => "event-you-organize",
                ParticipantRole::Participant => "event-you-going",
                ParticipantRole::NotApproved | ParticipantRole::NotConfirmed => "event-you-pending",
                ParticipantRole::Rejected => "event-you-rejected",
            },
        )
    });
    match offer.closed {
        Some(Refusal::External) => rsvp.external = event.external_participation_url.clone(),
        Some(Refusal::Cancelled) => rsvp.closed = Some(t(locale, "event-cancelled-no-rsvp")),
        Some(Refusal::Past) => rsvp.closed = Some(t(locale, "event-past")),
        Some(Refusal::Full) => rsvp.closed = Some(t(locale, "event-full")),
        Some(other) => rsvp.closed = Some(other.to_string()),
        None => {}
    }
    rsvp
}

/// schema.org `Event`, so links shared elsewhere show a card; safe to embed in a script tag.
fn json_ld(
    event: &event::Model,
    url: &str,
    place: Option<&str>,
    organizer: &entity::actor::Model,
    description: &str,
) -> String {
    let status = match event.status {
        EventStatus::Cancelled => "https://schema.org/EventCancelled",
        _ => "https://schema.org/EventScheduled",
    };
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": event.begins_on.with_timezone(&events::timezone(event)).to_rfc3339(),
        "eventStatus": status,
        "description": description.chars().take(500).collect::<String>(),
        "organizer": { "@type": "Organization", "name": backend::actors::display_name(organizer) },
    });
    if let Some(end) = event.ends_on {
        value["endDate"] =
            serde_json::json!(end.with_timezone(&events::timezone(event)).to_rfc3339());
    }
    if let Some(place) = place {
        value["location"] =
            serde_json::json!({ "@type": "Place", "name": place, "address": place });
    } else if let Some(online) = &event.online_address {
        value["location"] = serde_json::json!({ "@type": "VirtualLocation", "url": online });
    }
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[derive(Deserialize)]
pub struct RsvpForm {
    csrf: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    email: String,
}

pub(super) fn refuse_csrf(visitor: Visitor) -> Response {
    let message = t(visitor.locale, "error-csrf");
    let mut response = error_page(visitor, &backend::Error::forbidden(message));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response
}

pub async fn join(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Path(uuid): Path<String>,
    Form(form): Form<RsvpForm>,
) -> Response {
    if !visitor.csrf_matches(&form.csrf) {
        return refuse_csrf(visitor);
    }
    if visitor.session.is_none() {
        return see_other(&visitor, &format!("/login?next=/events/{uuid}"));
    }
    let principal = visitor.principal();
    let result = async {
        let event = events::find_visible(&state.ctx.db, &principal, &uuid).await?;
        let request = JoinRequest {
            event_id: event.id,
            message: Some(form.message.clone()).filter(|m| !m.trim().is_empty()),
            ..JoinRequest::default()
        };
        participations::join(&state.ctx, &principal, &client, request).await
    }
    .await;
    match result {
        Ok(Joined::Refused(refusal)) => error_page(visitor, &refusal.into()),
        Ok(Joined::Pending(_)) => see_other(&visitor, &format!("/events/{uuid}?done=requested")),
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}?done=joined")),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn leave(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    Form(form): Form<RsvpForm>,
) -> Response {
    if !visitor.csrf_matches(&form.csrf) {
        return refuse_csrf(visitor);
    }
    let principal = visitor.principal();
    let result = async {
        let event = events::find_visible(&state.ctx.db, &principal, &uuid).await?;
        let request = LeaveRequest {
            event_id: event.id,
            ..LeaveRequest::default()
        };
        participations::leave(&state.ctx, &principal, request)
            .await
            .and_then(Left::into_participation)
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}?done=left")),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn join_anonymously(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Path(uuid): Path<String>,
    Form(form): Form<RsvpForm>,
) -> Response {
    if !visitor.csrf_matches(&form.csrf) {
        return refuse_csrf(visitor);
    }
    let anonymous = backend::principal::Principal::Anonymous;
    let result = async {
        let event = events::find_visible(&state.ctx.db, &anonymous, &uuid).await?;
        let request = JoinRequest {
            event_id: event.id,
            email: Some(form.email.clone()),
            message: Some(form.message.clone()).filter(|m| !m.trim().is_empty()),
            locale: Some(visitor.locale.code().to_owned()),
            ..JoinRequest::default()
        };
        participations::join(&state.ctx, &anonymous, &client, request)
            .await
            .and_then(Joined::into_participation)
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}?done=anonymous")),
        Err(err) => error_page(visitor, &err),
    }
}
