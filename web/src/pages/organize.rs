//! Organizing: creating, editing, cancelling and deleting events. Who may do what is the
//! backend's policy; these handlers only translate forms.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::addresses::AddressInput;
use backend::events::{self, EventChanges, EventOptions, NewEvent};
use chrono::{NaiveDateTime, TimeZone, Utc};
use entity::event::{self, EventStatus, EventVisibility, JoinOptions};
use serde::Deserialize;

use super::form::{Button, Form};
use super::i18n::t;
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/new", get(new_form).post(create))
        .route("/events/{uuid}/edit", get(edit_form).post(update))
        .route("/events/{uuid}/cancel", post(cancel))
        .route("/events/{uuid}/delete", post(delete))
}

/// The event form's fields, as typed (so a refused form comes back as it was).
#[derive(Deserialize, Default, Clone)]
pub struct EventFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    begins: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    locality: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    latitude: String,
    #[serde(default)]
    longitude: String,
    #[serde(default)]
    online: String,
    #[serde(default)]
    join: String,
    #[serde(default)]
    external: String,
    #[serde(default)]
    capacity: String,
    #[serde(default, deserialize_with = "checkbox")]
    anonymous: bool,
    #[serde(default, deserialize_with = "checkbox")]
    show_remaining: bool,
    #[serde(default, deserialize_with = "checkbox")]
    hide_count: bool,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: String,
    #[serde(default, deserialize_with = "checkbox")]
    draft: bool,
}

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let value = String::deserialize(d)?;
    Ok(value == "on" || value == "true")
}

#[derive(Template)]
#[template(path = "event_form.html")]
struct EventForm {
    frame: Frame,
    action: String,
    submit: String,
    error: Option<String>,
    f: EventFields,
    zones: Vec<&'static str>,
    groups: Vec<(i64, String)>,
    categories: Vec<(&'static str, String)>,
    uuid: Option<String>,
}

fn none_if_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Plain text typed in the form becomes paragraphs; HTML is kept (the backend sanitizes it).
fn description_html(raw: &str) -> String {
    if raw.contains('<') {
        return raw.to_owned();
    }
    raw.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let escaped = p
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('\n', "<br>");
            format!("<p>{escaped}</p>")
        })
        .collect()
}

/// The form's local date and time in its zone, as an instant.
fn instant(raw: &str, zone: &str, field: &str) -> backend::Result<Option<chrono::DateTime<Utc>>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let tz = events::input::timezone(zone)?;
    let local = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| backend::Error::invalid(field, "expected a date and a time"))?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(|| backend::Error::invalid(field, "this time does not exist in this zone"))
}

fn parsed(f: &EventFields) -> backend::Result<NewEvent> {
    let begins_on = instant(&f.begins, &f.timezone, "beginsOn")?;
    let ends_on = instant(&f.ends, &f.timezone, "endsOn")?;
    let capacity = match f.capacity.trim() {
        "" => None,
        n => Some(n.parse::<i32>().map_err(|_| {
            backend::Error::invalid("options.maximumAttendeeCapacity", "expected a number")
        })?),
    };
    let geom = match (f.latitude.trim(), f.longitude.trim()) {
        ("", "") => None,
        (lat, lon) => Some(format!("{lon};{lat}")),
    };
    let address = AddressInput {
        description: none_if_empty(&f.place),
        street: none_if_empty(&f.street),
        postal_code: none_if_empty(&f.postal_code),
        locality: none_if_empty(&f.locality),
        region: None,
        country: none_if_empty(&f.country),
        geom,
    };
    let has_address = address != AddressInput::default();
    Ok(NewEvent {
        organizer_actor_id: None,
        attributed_to_id: f.group.trim().parse().ok(),
        title: f.title.clone(),
        description: Some(description_html(&f.description)),
        begins_on,
        ends_on,
        status: Some(match f.status.as_str() {
            "tentative" => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        }),
        visibility: Some(match f.visibility.as_str() {
            "unlisted" => EventVisibility::Unlisted,
            "private" => EventVisibility::Private,
            _ => EventVisibility::Public,
        }),
        join_options: Some(match f.join.as_str() {
            "restricted" => JoinOptions::Restricted,
            "external" => JoinOptions::External,
            _ => JoinOptions::Free,
        }),
        external_participation_url: none_if_empty(&f.external),
        draft: Some(f.draft),
        category: none_if_empty(&f.category),
        tags: Some(
            f.tags
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        language: None,
        online_address: Some(f.online.trim().to_owned()),
        physical_address: has_address.then_some(address),
        options: EventOptions {
            maximum_attendee_capacity: capacity.or(Some(0)),
            show_remaining_attendee_capacity: Some(f.show_remaining),
            anonymous_participation: Some(f.anonymous),
            hide_number_of_participants: Some(f.hide_count),
            timezone: Some(f.timezone.clone()),
        },
    })
}

/// Groups where the user may publish.
async fn publishing_groups(
    state: &AppState,
    visitor: &Visitor,
) -> backend::Result<Vec<(i64, String)>> {
    let Some(session) = &visitor.session else {
        return Ok(Vec::new());
    };
    let memberships = backend::groups::memberships_of_user(
        &state.ctx.db,
        session.user.id,
        backend::pagination::Page::all(),
    )
    .await?;
    let ids: Vec<i64> = memberships
        .elements
        .iter()
        .filter(|m| m.role.is_moderator())
        .map(|m| m.group_id)
        .collect();
    let groups = backend::actors::find_many(&state.ctx.db, &ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| {
            groups
                .get(id)
                .map(|g| (*id, backend::actors::display_name(g)))
        })
        .collect())
}

#[allow(clippy::too_many_arguments)] // one page, described field by field
async fn form_page(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    title: String,
    action: String,
    submit: String,
    error: Option<String>,
    fields: EventFields,
    uuid: Option<String>,
) -> Response {
    let groups = match publishing_groups(state, visitor).await {
        Ok(groups) => groups,
        Err(err) => return error_page(visitor.clone(), &err),
    };
    let page = EventForm {
        frame: Frame {
            title,
            visitor: visitor.clone(),
            notice: None,
        },
        action,
        submit,
        error,
        f: fields,
        zones: chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect(),
        groups,
        categories: backend::events::categories::CATEGORIES
            .iter()
            .map(|c| (*c, backend::events::categories::label(c)))
            .collect(),
        uuid,
    };
    render(visitor, status, &page)
}

async fn user_timezone(state: &AppState, visitor: &Visitor) -> String {
    match &visitor.session {
        Some(s) => backend::users::service::find(&state.ctx.db, s.user.id)
            .await
            .ok()
            .and_then(|u| u.timezone)
            .unwrap_or_else(|| "UTC".to_owned()),
        None => "UTC".to_owned(),
    }
}

pub async fn new_form(State(state): State<AppState>, visitor: Visitor) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, "/login?next=/events/new");
    }
    let fields = EventFields {
        timezone: user_timezone(&state, &visitor).await,
        visibility: "public".to_owned(),
        join: "free".to_owned(),
        status: "confirmed".to_owned(),
        ..EventFields::default()
    };
    let locale = visitor.locale;
    form_page(
        &state,
        &visitor,
        StatusCode::OK,
        t(locale, "form-new-event"),
        "/events/new".to_owned(),
        t(locale, "form-publish"),
        None,
        fields,
        None,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(fields): Form<EventFields>,
) -> Response {
    let result = match parsed(&fields) {
        Ok(new) => events::service::create(&state.ctx, &visitor.principal(), new).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(event) => see_other(&visitor, &format!("/events/{}", event.uuid)),
        Err(err)
            if matches!(
                err,
                backend::Error::Invalid(_) | backend::Error::Rule { .. }
            ) =>
        {
            let locale = visitor.locale;
            form_page(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                t(locale, "form-new-event"),
                "/events/new".to_owned(),
                t(locale, "form-publish"),
                Some(err.to_string()),
                fields,
                None,
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// The event, if the visitor may edit it (the backend's rule); `forbidden` otherwise.
async fn editable(
    state: &AppState,
    visitor: &Visitor,
    uuid: &str,
) -> backend::Result<event::Model> {
    events::find_editable(&state.ctx.db, &visitor.principal(), uuid).await
}

fn fields_of(
    event: &event::Model,
    address: Option<&entity::address::Model>,
    tags: Vec<String>,
) -> EventFields {
    let tz = events::timezone(event);
    let local =
        |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
    EventFields {
        title: event.title.clone(),
        description: event.description.clone(),
        begins: local(event.begins_on),
        ends: event.ends_on.map(local).unwrap_or_default(),
        timezone: event.timezone.clone(),
        group: event
            .attributed_to_id
            .map(|g| g.to_string())
            .unwrap_or_default(),
        place: address
            .and_then(|a| a.description.clone())
            .unwrap_or_default(),
        street: address.and_then(|a| a.street.clone()).unwrap_or_default(),
        postal_code: address
            .and_then(|a| a.postal_code.clone())
            .unwrap_or_default(),
        locality: address.and_then(|a| a.locality.clone()).unwrap_or_default(),
        country: address.and_then(|a| a.country.clone()).unwrap_or_default(),
        latitude: event.latitude.map(|v| v.to_string()).unwrap_or_default(),
        longitude: event.longitude.map(|v| v.to_string()).unwrap_or_default(),
        online: event.online_address.clone().unwrap_or_default(),
        join: match event.join_options {
            JoinOptions::Free => "free",
            JoinOptions::Restricted => "restricted",
            JoinOptions::External => "external",
        }
        .to_owned(),
        external: event.external_participation_url.clone().unwrap_or_default(),
        capacity: event
            .maximum_attendee_capacity
            .map(|c| c.to_string())
            .unwrap_or_default(),
        anonymous: event.anonymous_participation,
        show_remaining: event.show_remaining_attendee_capacity,
        hide_count: event.hide_number_of_participants,
        visibility: match event.visibility {
            EventVisibility::Public => "public",
            EventVisibility::Unlisted => "unlisted",
            EventVisibility::Private => "private",
        }
        .to_owned(),
        status: match event.status {
            EventStatus::Tentative => "tentative",
            _ => "confirmed",
        }
        .to_owned(),
        category: event.category.clone().unwrap_or_default(),
        tags: tags.join(", "),
        draft: event.draft,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
) -> Response {
    let result = async {
        let event = editable(&state, &visitor, &uuid).await?;
        let address = match event.physical_address_id {
            Some(id) => backend::addresses::find(&state.ctx.db, id).await.ok(),
            None => None,
        };
        let tags = backend::events::tags::for_events(&state.ctx.db, &[event.id])
            .await?
            .remove(&event.id)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.title)
            .collect();
        Ok::<_, backend::Error>(fields_of(&event, address.as_ref(), tags))
    }
    .await;
    match result {
        Ok(fields) => {
            let locale = visitor.locale;
            form_page(
                &state,
                &visitor,
                StatusCode::OK,
                t(locale, "form-edit-event"),
                format!("/events/{uuid}/edit"),
                t(locale, "form-save"),
                None,
                fields,
                Some(uuid),
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn update(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    Form(fields): Form<EventFields>,
) -> Response {
    let result = async {
        let event = editable(&state, &visitor, &uuid).await?;
        let new = parsed(&fields)?;
        let changes = EventChanges {
            attributed_to_id: new.attributed_to_id,
            title: Some(new.title),
            description: new.description,
            begins_on: new.begins_on,
            ends_on: new.ends_on,
            status: new
                .status
                .filter(|_| event.status != EventStatus::Cancelled),
            visibility: new.visibility,
            join_options: new.join_options,
            external_participation_url: new.external_participation_url.or(Some(String::new())),
            draft: new.draft,
            category: new.category.or(Some(String::new())),
            tags: new.tags,
            language: None,
            online_address: new.online_address,
            physical_address: Some(new.physical_address.unwrap_or_default()),
            options: new.options,
        };
        events::service::update(&state.ctx, &visitor.principal(), event.id, changes).await
    }
    .await;
    match result {
        Ok(event) => see_other(&visitor, &format!("/events/{}", event.uuid)),
        Err(err)
            if matches!(
                err,
                backend::Error::Invalid(_) | backend::Error::Rule { .. }
            ) =>
        {
            let locale = visitor.locale;
            form_page(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                t(locale, "form-edit-event"),
                format!("/events/{uuid}/edit"),
                t(locale, "form-save"),
                Some(err.to_string()),
                fields,
                Some(uuid),
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    _: Form<Button>,
) -> Response {
    let result = async {
        // Whether they may see and change it is the update's to say, once.
        let event = events::find_by_uuid(&state.ctx.db, &uuid).await?;
        let changes = EventChanges {
            status: Some(EventStatus::Cancelled),
            ..EventChanges::default()
        };
        events::service::update(&state.ctx, &visitor.principal(), event.id, changes).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/events/{uuid}")),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(uuid): Path<String>,
    _: Form<Button>,
) -> Response {
    let result = async {
        // Whether they may see and delete it is the service's to say, once.
        let event = events::find_by_uuid(&state.ctx.db, &uuid).await?;
        events::service::delete(&state.ctx, &visitor.principal(), event.id).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, "/"),
        Err(err) => error_page(visitor, &err),
    }
}
