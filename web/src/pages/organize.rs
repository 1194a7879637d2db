//! Organizing: creating, editing, cancelling and deleting events. Who may do what is the
//! backend's policy; these handlers only translate forms.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::events::{self, EventChanges};
use entity::event::{self, EventStatus};

use super::event_fields::{EventFields, fields_of, parsed};
use super::form::{Button, Files, Form, FormWithFiles};
use super::i18n::{t, with};
use super::pictures::{self, Asked, Picture, Shown};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/new", get(new_form).post(create))
        .route("/events/{uuid}/edit", get(edit_form).post(update))
        .route("/events/{uuid}/cancel", post(cancel))
        .route("/events/{uuid}/delete", post(delete))
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
    /// The picture the event has, shown above the file input.
    picture: Option<Picture>,
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
    let picture = match current_picture(state, uuid.as_deref()).await {
        Ok(picture) => picture,
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
        picture,
    };
    render(visitor, status, &page)
}

/// The picture of the event being edited, if it has one.
async fn current_picture(state: &AppState, uuid: Option<&str>) -> backend::Result<Option<Picture>> {
    let Some(uuid) = uuid else { return Ok(None) };
    let event = events::find_by_uuid(&state.ctx.db, uuid).await?;
    let Some(id) = event.picture_media_id else {
        return Ok(None);
    };
    let media = backend::media::find_by_id(&state.ctx.db, id).await?;
    Ok(media.and_then(|m| Picture::of(&m, Shown::Card, true)))
}

/// What the form's picture fields ask for; a picture without a description is refused.
fn picture_asked(
    locale: backend::i18n::Locale,
    files: &mut Files,
    fields: &EventFields,
) -> backend::Result<Asked> {
    pictures::asked(
        files.take("picture"),
        &fields.picture_alt,
        fields.remove_picture,
        "picture_alt",
        t(locale, "form-picture-alt-needed"),
    )
}

/// Once the event is saved, its picture; a picture refused (a damaged file, not a picture, too
/// large) brings back the saved event's form, saying why.
async fn then_picture(
    state: &AppState,
    visitor: &Visitor,
    event: &event::Model,
    asked: Asked,
    fields: EventFields,
) -> Response {
    match pictures::apply_to_event(&state.ctx, &visitor.principal(), event.id, asked).await {
        Ok(()) => see_other(visitor, &format!("/events/{}", event.uuid)),
        Err(err) if !err.is_internal() => {
            let locale = visitor.locale;
            let message = with(locale, "form-picture-not-saved", "reason", err.to_string());
            form_page(
                state,
                visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                t(locale, "form-edit-event"),
                format!("/events/{}/edit", event.uuid),
                t(locale, "form-save"),
                Some(message),
                fields,
                Some(event.uuid.clone()),
            )
            .await
        }
        Err(err) => error_page(visitor.clone(), &err),
    }
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
        waitlist: true,
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
    FormWithFiles(mut fields, mut files): FormWithFiles<EventFields>,
) -> Response {
    if fields.at.wants_lookup() {
        fields.at.look_up(&state.ctx, &visitor).await;
        let locale = visitor.locale;
        return form_page(
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
        .await;
    }
    let result = async {
        let asked = picture_asked(visitor.locale, &mut files, &fields)?;
        let new = parsed(&fields)?;
        let event = events::service::create(&state.ctx, &visitor.principal(), new).await?;
        Ok::<_, backend::Error>((event, asked))
    }
    .await;
    match result {
        Ok((event, asked)) => then_picture(&state, &visitor, &event, asked, fields).await,
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
    FormWithFiles(mut fields, mut files): FormWithFiles<EventFields>,
) -> Response {
    if fields.at.wants_lookup() {
        fields.at.look_up(&state.ctx, &visitor).await;
        let locale = visitor.locale;
        return form_page(
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
        .await;
    }
    let result = async {
        let event = editable(&state, &visitor, &uuid).await?;
        let asked = picture_asked(visitor.locale, &mut files, &fields)?;
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
        let event =
            events::service::update(&state.ctx, &visitor.principal(), event.id, changes).await?;
        Ok((event, asked))
    }
    .await;
    match result {
        Ok((event, asked)) => then_picture(&state, &visitor, &event, asked, fields).await,
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
