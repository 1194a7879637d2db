//! One event's page, with its RSVP forms and what they do: join, leave, join by email.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::events;
use backend::i18n::Locale;
use backend::participations;
use entity::event::{self, EventStatus};
use entity::participant::ParticipantRole;
use serde::Deserialize;

use super::i18n::{count, t, with};
use super::pictures::{Picture, SharedImage, Shown};
use super::rsvp::{Rsvp, rsvp_state};
use super::{Frame, Visitor, error_page, render};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/{uuid}", get(show))
        .route("/series/{uuid}", get(series))
}

/// A series' address (what other instances get as `convive:series`): leads to its next date.
async fn series(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
) -> Response {
    match backend::series::date_to_show(&state.ctx.db, &uuid, state.ctx.now()).await {
        Ok(event) => super::see_other(&visitor, &format!("/events/{}", event.uuid)),
        Err(err) => error_page(visitor, &err),
    }
}

/// A group or person as shown on an event: their name, and their page on this instance when
/// there is one to see (a suspended actor's is gone).
#[derive(Clone)]
pub struct ActorLink {
    pub(super) name: String,
    pub(super) page: Option<String>,
    /// Their avatar, when it is loaded and they have one.
    pub(super) avatar: Option<Picture>,
}

impl ActorLink {
    pub(super) fn of(actor: &entity::actor::Model) -> Self {
        Self {
            name: backend::actors::display_name(actor),
            page: (!actor.suspended).then(|| format!("/@{}", backend::actors::handle(actor))),
            avatar: None,
        }
    }

    /// With their avatar, from pictures loaded beforehand.
    pub(super) fn with_avatar(
        actor: &entity::actor::Model,
        pictures: &HashMap<i64, entity::media::Model>,
    ) -> Self {
        Self {
            avatar: Picture::of_id(pictures, actor.avatar_media_id, Shown::Avatar, false),
            ..Self::of(actor)
        }
    }
}

/// Where an event of another instance comes from, for people: "From its.domain".
pub(super) fn origin(locale: Locale, e: &event::Model) -> Option<String> {
    if e.local {
        return None;
    }
    let domain = backend::domain_blocks::domain_of(&e.url)?;
    Some(with(locale, "event-origin", "instance", domain))
}

pub(super) fn encode(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
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
    picture: Option<Picture>,
    /// For shared links' previews.
    shared_image: Option<SharedImage>,
    when: String,
    when_viewer: Option<String>,
    place: Option<String>,
    map: Option<super::event_map::EventMap>,
    online: Option<String>,
    organizer: ActorLink,
    group: Option<ActorLink>,
    /// "1 of 2 seats taken · One seat left", or "3 participants".
    attendance: Option<String>,
    tags: Vec<String>,
    description: String,
    /// The QR code of its address, inline SVG made here.
    qr: Option<String>,
    ics: String,
    webcal: String,
    google: String,
    json_ld: String,
    manage: bool,
    /// A recurring event's rule in words and its next dates (uuid once written, when).
    repeats: Option<String>,
    next_dates: Vec<(Option<String>, String)>,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    frame: Frame,
    e: EventView,
    rsvp: Rsvp,
    comments: super::comments::CommentsView,
    /// When the event is over, which changes the page.
    over_at: chrono::DateTime<chrono::Utc>,
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
    let mut response = if notice.done.is_none() {
        let page = if visitor.session.is_none() {
            anonymous_event_page(&state, &visitor, &uuid).await
        } else {
            member_event_page(&state, &visitor, &uuid).await
        };
        match page {
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
    let events::Viewed {
        event,
        access,
        stats,
    } = events::view(&ctx.db, &visitor.principal(), uuid).await?;
    let related = events::related_changes(&ctx.db, &event).await?;
    let comments = super::comments::load(&ctx.db, event.id).await?;
    let key = {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        hash.update(visitor.locale.code());
        hash.update(format!("{event:?}|{access:?}|{stats:?}|{related:?}"));
        hash.update(comments.version());
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
            let page =
                compose_event_page(state, &shared, event, access, stats, comments, None).await?;
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

/// A member's event page, kept for their session while nothing changed in the database (it
/// holds their RSVP, their comments' buttons and their token), until the event is over.
async fn member_event_page(
    state: &AppState,
    visitor: &Visitor,
    uuid: &str,
) -> backend::Result<String> {
    let now = state.ctx.now();
    // Read before the database is: a change committed meanwhile makes it outdated.
    let generation = state.ctx.changes.generation();
    let key = crate::kept_pages::member_key(generation, visitor, &format!("event|{uuid}"));
    if let Some(html) = state.pages.member(key.as_deref(), now) {
        return Ok(String::from_utf8_lossy(&html).into_owned());
    }
    let page = build_event_page(state, visitor, uuid, None).await?;
    let over_at = page.over_at;
    let html = page.render().map_err(backend::Error::internal)?;
    state.pages.keep_member(
        key.as_deref(),
        &axum::body::Bytes::from(html.clone()),
        over_at,
        now,
    );
    Ok(html)
}

async fn build_event_page(
    state: &AppState,
    visitor: &Visitor,
    uuid: &str,
    done: Option<&str>,
) -> backend::Result<EventPage> {
    let events::Viewed {
        event,
        access,
        stats,
    } = events::view(&state.ctx.db, &visitor.principal(), uuid).await?;
    let comments = super::comments::load(&state.ctx.db, event.id).await?;
    compose_event_page(state, visitor, event, access, stats, comments, done).await
}

async fn compose_event_page(
    state: &AppState,
    visitor: &Visitor,
    event: event::Model,
    access: events::policy::Access,
    stats: events::ParticipantStats,
    comments: super::comments::Loaded,
    done: Option<&str>,
) -> backend::Result<EventPage> {
    let ctx = &state.ctx;
    let db = &ctx.db;
    let locale = visitor.locale;
    let viewer_actor_ids = visitor.principal().actor_ids(db).await?;
    let comments = super::comments::view(
        locale,
        comments,
        &event,
        access,
        &viewer_actor_ids,
        visitor.session.is_some(),
        backend::comments::origin_takes_comments(db, &event).await?,
    );
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
    let picture_ids: Vec<i64> = [
        event.picture_media_id,
        organizer.avatar_media_id,
        group.as_ref().and_then(|g| g.avatar_media_id),
    ]
    .into_iter()
    .flatten()
    .collect();
    let pictures = backend::media::find_many(db, &picture_ids).await?;
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
    let map = event
        .latitude
        .zip(event.longitude)
        .map(|(lat, lon)| super::event_map::of(ctx, locale, lat, lon, place.as_deref()));
    let when = backend::events::notices::format_when(locale, &event);
    let (banner, banner_class) = match event.status {
        EventStatus::Cancelled => (Some(t(locale, "event-status-cancelled")), "cancelled"),
        EventStatus::Tentative => (Some(t(locale, "event-status-tentative")), "tentative"),
        EventStatus::Confirmed => (None, ""),
    };
    let attendance = attendance(locale, &event, &stats, runs_it);
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
    let shared_image = event
        .picture_media_id
        .and_then(|id| pictures.get(&id))
        .and_then(|m| SharedImage::of(ctx, m));
    let json_ld = json_ld(
        &event,
        &absolute,
        place.as_deref(),
        &organizer,
        &description_text,
        shared_image.as_ref().map(|i| i.url.as_str()),
    );
    let (repeats, next_dates) = super::repeats::of_event(ctx, locale, &event).await?;
    let qr = super::share::qr_code(&absolute, &t(locale, "event-share-qr"));
    let view = EventView {
        origin: origin(visitor.locale, &event).map(|label| (label, event.url.clone())),
        uuid: event.uuid.clone(),
        url: absolute,
        title: event.title.clone(),
        summary,
        banner,
        banner_class,
        picture: Picture::of_id(&pictures, event.picture_media_id, Shown::Banner, true),
        shared_image,
        when,
        when_viewer,
        place,
        map,
        online: event.online_address.clone(),
        organizer: ActorLink::with_avatar(&organizer, &pictures),
        group: group.as_ref().map(|g| ActorLink::with_avatar(g, &pictures)),
        attendance,
        tags,
        description: backend::events::description::linked(&event.description),
        qr,
        ics: ics_path,
        webcal,
        google,
        json_ld,
        manage: runs_it,
        repeats,
        next_dates,
    };
    let position = match access.participant_role {
        Some(ParticipantRole::Waitlisted) => {
            participations::waitlist::position_of(&ctx.db, &visitor.principal(), event.id).await?
        }
        _ => None,
    };
    let origin_takes_rsvps = participations::origin_takes_rsvps(&ctx.db, &event).await?;
    let rsvp = rsvp_state(
        ctx,
        visitor,
        &event,
        access.participant_role,
        position,
        &stats,
        origin_takes_rsvps,
    );
    let notice = done.and_then(|d| match d {
        "joined" => Some(t(locale, "event-joined")),
        "requested" => Some(t(locale, "event-requested")),
        "waitlisted" => Some(t(locale, "event-waitlisted")),
        "left" => Some(t(locale, "event-left")),
        "anonymous" => Some(t(locale, "event-anonymous-sent")),
        "published" => Some(t(locale, "done-published")),
        "draft" => Some(t(locale, "done-draft")),
        "saved" => Some(t(locale, "done-saved")),
        "saved-following" => Some(t(locale, "done-saved-following")),
        "saved-all" => Some(t(locale, "done-saved-all")),
        "cancelled" => Some(t(locale, "done-cancelled")),
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
        comments,
        over_at: events::over_at(&event),
    })
}

/// Who takes part, in numbers that add up: as in Mobilizon (`participantStats.participant`),
/// the organizers do not take a seat, so "participants" and "seats taken" are one count.
/// Organizers see what the event hides from others.
fn attendance(
    locale: Locale,
    event: &event::Model,
    stats: &events::ParticipantStats,
    runs_it: bool,
) -> Option<String> {
    let show_count = !event.hide_number_of_participants || runs_it;
    let seats_left = (event.show_remaining_attendee_capacity || runs_it)
        .then(|| events::remaining_seats(event, stats))
        .flatten();
    let capacity = event
        .maximum_attendee_capacity
        .and_then(|c| u64::try_from(c).ok());
    match (show_count, seats_left, capacity) {
        (true, Some(left), Some(capacity)) => Some(format!(
            "{} · {}",
            super::i18n::counts(
                locale,
                "event-seats-taken",
                &[("taken", stats.participant), ("count", capacity)]
            ),
            count(locale, "event-seats-left", left)
        )),
        (true, _, _) => Some(count(locale, "event-participants", stats.participant)),
        (false, Some(left), _) => Some(count(locale, "event-seats-left", left)),
        (false, None, _) => None,
    }
}

/// The row, `None` when it is not found, the error otherwise.
fn unless_gone<T>(found: backend::Result<T>) -> backend::Result<Option<T>> {
    match found {
        Ok(row) => Ok(Some(row)),
        Err(backend::Error::NotFound { .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

/// schema.org `Event`, so links shared elsewhere show a card; safe to embed in a script tag.
fn json_ld(
    event: &event::Model,
    url: &str,
    place: Option<&str>,
    organizer: &entity::actor::Model,
    description: &str,
    image: Option<&str>,
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
    if let Some(image) = image {
        value["image"] = serde_json::json!([image]);
    }
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
