//! `/@name/events`, Mobilizon's address for a group's (or a person's) events: its upcoming
//! events page by page, or its past ones with `?past=1`. What a visitor sees is what the
//! actor's page shows: the same backend query decides.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use backend::pagination::Page;
use serde::Deserialize;

use super::find_actor;
use crate::pages::listings::{Card, cards, pager};
use crate::pages::{Frame, Visitor, error_page, render, vary_on_accept};
use crate::state::AppState;

/// Cards per page, as many as the actor's page shows.
const PER_PAGE: i64 = 20;

pub fn routes() -> Router<AppState> {
    Router::new().route("/{handle}/events", get(show))
}

#[derive(Deserialize)]
pub struct EventsQuery {
    page: Option<i64>,
    /// Any value but empty or `0` asks for past events.
    #[serde(default)]
    past: String,
}

impl EventsQuery {
    fn past(&self) -> bool {
        !matches!(self.past.trim(), "" | "0" | "false")
    }
}

#[derive(Template)]
#[template(path = "actor_events.html")]
struct ActorEventsPage {
    frame: Frame,
    handle: String,
    name: String,
    past: bool,
    cards: Vec<Card>,
    empty: String,
    previous: Option<String>,
    next: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    Query(query): Query<EventsQuery>,
    headers: HeaderMap,
) -> Response {
    // The same address serves ActivityPub peers the collection of upcoming events.
    if state.ctx.settings.federation.enabled
        && federation::negotiate::wants_activity_json(&headers)
        && let Some(name) = segment.strip_prefix('@')
    {
        let mut response = federation::actor_events_json(&state.ctx, name, query.page).await;
        vary_on_accept(&mut response);
        return response;
    }
    let mut response = match build(&state, &visitor, &segment, &query).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(err) => error_page(visitor, &err),
    };
    vary_on_accept(&mut response);
    response
}

async fn build(
    state: &AppState,
    visitor: &Visitor,
    segment: &str,
    query: &EventsQuery,
) -> backend::Result<ActorEventsPage> {
    let locale = visitor.locale;
    let actor = find_actor(state, segment).await?;
    let page = Page::new(query.page, Some(PER_PAGE))?;
    let now = state.ctx.now();
    let past = query.past();
    let (after, before) = if past {
        (None, Some(now))
    } else {
        (Some(now), None)
    };
    let list = backend::events::organized_by(
        &state.ctx.db,
        &visitor.principal(),
        &actor,
        after,
        before,
        page,
    )
    .await?;
    let cards = cards(state, locale, &list.elements).await?;
    let handle = backend::actors::handle(&actor);
    let name = backend::actors::display_name(&actor);
    let base = if past {
        format!("/@{handle}/events?past=1")
    } else {
        format!("/@{handle}/events")
    };
    let (previous, next) = pager(&base, page, list.total);
    let (title_key, empty_key) = if past {
        ("actor-events-past-title", "actor-events-past-empty")
    } else {
        ("actor-events-title", "actor-events-empty")
    };
    Ok(ActorEventsPage {
        frame: Frame {
            title: crate::pages::i18n::with(locale, title_key, "name", name.clone()),
            visitor: visitor.clone(),
            notice: None,
        },
        handle,
        name,
        past,
        cards,
        empty: crate::pages::i18n::t(locale, empty_key),
        previous,
        next,
    })
}
