//! Organizing: creating and editing events (cancelling and deleting live in `event_ending`).
//! Who may do what is the backend's policy; these handlers only translate forms.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::events::{self, EventChanges, NewEvent};
use backend::series::ApplyTo;
use entity::event::{self, EventStatus};

use super::event_fields::{EventFields, FIELD_ORDER, fields_of, form_field, parsed};
use super::form::{Files, FormWithFiles};
use super::form_problems::Problems;
use super::i18n::{t, with};
use super::pictures::{self, Asked, Picture, Shown};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/new", get(new_form).post(create))
        .route("/events/{uuid}/edit", get(edit_form).post(update))
}

#[derive(Template)]
#[template(path = "event_form.html")]
struct EventForm {
    frame: Frame,
    action: String,
    submit: String,
    problems: Problems,
    /// "2 things to fix before saving:".
    problems_title: String,
    f: EventFields,
    /// Every zone by its name, with its city as people write it (the list finds "Paris").
    zones: Vec<(&'static str, String)>,
    /// "19:00 in America/New_York is 01:00 (next day) in your zone, Europe/Paris": said before
    /// saving when the event's zone is not the organizer's.
    zone_check: Option<String>,
    groups: Vec<(i64, String)>,
    categories: Vec<(&'static str, String)>,
    uuid: Option<String>,
    /// The picture the event has, shown above the file input.
    picture: Option<Picture>,
    /// Whether the event edited is a date of a series: the form asks which dates change.
    in_series: bool,
    /// After "show the dates": the rule in words, and its first dates.
    preview_words: Option<String>,
    preview: Vec<String>,
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
    problems: Problems,
    fields: EventFields,
    uuid: Option<String>,
) -> Response {
    let zone_check = zone_check(state, visitor, &fields).await;
    let groups = match publishing_groups(state, visitor).await {
        Ok(groups) => groups,
        Err(err) => return error_page(visitor.clone(), &err),
    };
    let editing = match uuid.as_deref() {
        Some(uuid) => match events::find_by_uuid(&state.ctx.db, uuid).await {
            Ok(event) => Some(event),
            Err(err) => return error_page(visitor.clone(), &err),
        },
        None => None,
    };
    let picture = match current_picture(state, editing.as_ref()).await {
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
        problems_title: super::i18n::count(
            visitor.locale,
            "form-errors-title",
            problems.all().len() as u64,
        ),
        problems,
        f: fields,
        zones: chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| (z.name(), events::input::zone_city(z.name())))
            .collect(),
        zone_check,
        groups,
        categories: backend::events::categories::CATEGORIES
            .iter()
            .map(|c| (*c, t(visitor.locale, &format!("category-{c}"))))
            .collect(),
        preview_words: None,
        preview: Vec::new(),
        uuid,
        picture,
        in_series: editing.is_some_and(|e| e.series_id.is_some()),
    };
    let page = match (&page.uuid, page.f.preview.as_str()) {
        (None, "on") => with_preview(visitor, page),
        _ => page,
    };
    render(visitor, status, &page)
}

/// The picture of the event being edited, if it has one.
async fn current_picture(
    state: &AppState,
    event: Option<&event::Model>,
) -> backend::Result<Option<Picture>> {
    let Some(id) = event.and_then(|e| e.picture_media_id) else {
        return Ok(None);
    };
    let media = backend::media::find_by_id(&state.ctx.db, id).await?;
    Ok(media.and_then(|m| Picture::of(&m, Shown::Card, true)))
}

/// What the form's picture fields ask for; a picture without a description is a problem of
/// the form.
fn picture_asked(
    locale: backend::i18n::Locale,
    files: &mut Files,
    fields: &EventFields,
    problems: &mut Problems,
) -> Option<Asked> {
    let message = t(locale, "form-picture-alt-needed");
    match pictures::asked(
        files.take("picture"),
        &fields.picture_alt,
        fields.remove_picture,
        "picture_alt",
        message.clone(),
    ) {
        Ok(asked) => Some(asked),
        Err(_) => {
            problems.add("picture_alt", message);
            None
        }
    }
}

/// Whether an error of saving the event is the form's to show (its fields, a rule), rather
/// than a page of its own (not allowed, gone, our fault).
fn for_the_form(err: &backend::Error) -> bool {
    matches!(
        err,
        backend::Error::Invalid(_) | backend::Error::Rule { .. }
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
    (done, apply_to): (&str, ApplyTo),
) -> Response {
    let principal = visitor.principal();
    let saved = async {
        pictures::apply_to_event(&state.ctx, &principal, event.id, asked).await?;
        if apply_to != ApplyTo::This {
            backend::series::share_extras(&state.ctx, &principal, event.id).await?;
        }
        Ok::<_, backend::Error>(())
    };
    match saved.await {
        Ok(()) => see_other(visitor, &format!("/events/{}?done={done}", event.uuid)),
        Err(err) if !err.is_internal() => {
            let locale = visitor.locale;
            let reason = pictures::refusal(locale, &err);
            let mut problems = Problems::default();
            problems.add(
                "picture",
                with(locale, "form-picture-not-saved", "reason", reason),
            );
            form_page(
                state,
                visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                t(locale, "form-edit-event"),
                format!("/events/{}/edit", event.uuid),
                t(locale, "form-save"),
                problems,
                fields,
                Some(event.uuid.clone()),
            )
            .await
        }
        Err(err) => error_page(visitor.clone(), &err),
    }
}

/// The organizer's own zone: their account's, else the instance's default.
async fn user_timezone(state: &AppState, visitor: &Visitor) -> String {
    let own = match &visitor.session {
        Some(s) => backend::users::service::find(&state.ctx.db, s.user.id)
            .await
            .ok()
            .and_then(|u| u.timezone),
        None => None,
    };
    own.filter(|tz| tz.parse::<chrono_tz::Tz>().is_ok())
        .unwrap_or_else(|| visitor.instance.default_timezone.name().to_owned())
}

/// When the event's zone is not the organizer's, what its start is in their own zone.
async fn zone_check(state: &AppState, visitor: &Visitor, fields: &EventFields) -> Option<String> {
    let locale = visitor.locale;
    let own: chrono_tz::Tz = user_timezone(state, visitor).await.parse().ok()?;
    let zone = events::input::timezone(&fields.timezone).ok()?;
    if zone == own {
        return None;
    }
    let local =
        chrono::NaiveDateTime::parse_from_str(fields.begins.trim(), "%Y-%m-%dT%H:%M").ok()?;
    let start = chrono::TimeZone::from_local_datetime(&zone, &local).earliest()?;
    let there = start.with_timezone(&own);
    Some(super::i18n::with(
        locale,
        "form-zone-check",
        "times",
        format!(
            "{} ({}) = {} ({})",
            locale.format_datetime(&start),
            zone.name(),
            locale.format_datetime(&there),
            own.name()
        ),
    ))
}

/// `?group=ID`: the group the event is for, from its page's "New event".
#[derive(serde::Deserialize)]
pub struct ForGroup {
    #[serde(default)]
    group: Option<i64>,
}

pub async fn new_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(for_group): Query<ForGroup>,
) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, "/login?next=/events/new");
    }
    let fields = EventFields {
        // Kept only if it is among the groups offered (`publishing_groups`).
        group: for_group.group.map(|g| g.to_string()).unwrap_or_default(),
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
        Problems::default(),
        fields,
        None,
    )
    .await
}

/// The form with the dates its rule gives, or with why there are none.
fn with_preview(visitor: &Visitor, mut page: EventForm) -> EventForm {
    let locale = visitor.locale;
    let dates = preview_dates(&page.f, locale);
    match dates {
        Ok(Some((words, dates))) => {
            page.preview_words = Some(super::i18n::with(
                locale,
                "form-preview-title",
                "rule",
                words,
            ));
            page.preview = dates;
        }
        Ok(None) => {}
        Err(err) => {
            page.problems.add_backend(locale, &err, form_field);
            page.problems_title = super::i18n::count(
                locale,
                "form-errors-title",
                page.problems.all().len() as u64,
            );
        }
    }
    page
}

/// The rule in words and its first ten dates, as the form's zone writes them.
fn preview_dates(
    f: &EventFields,
    locale: backend::i18n::Locale,
) -> backend::Result<Option<(String, Vec<String>)>> {
    let tz = events::input::timezone(&f.timezone)?;
    let begins = match super::event_fields::instant(&f.begins, Some(tz)) {
        Ok(Some(begins)) => begins,
        Ok(None) => {
            return Err(backend::Error::invalid(
                "beginsOn",
                t(locale, "form-error-begins-missing"),
            ));
        }
        Err(key) => return Err(backend::Error::invalid("beginsOn", t(locale, key))),
    };
    let Some((recurrence, except)) =
        super::repeats::asked(f, begins.with_timezone(&tz).naive_local())?
    else {
        return Ok(None);
    };
    let dates = backend::series::preview(begins, tz, &recurrence, &except, 10)?;
    let first = dates
        .first()
        .map_or(begins, |d| *d)
        .with_timezone(&tz)
        .date_naive();
    let words = super::repeats::in_words(locale, &recurrence, first, &except);
    let shown = dates
        .iter()
        .map(|d| locale.format_datetime(&d.with_timezone(&tz)))
        .collect();
    Ok(Some((words, shown)))
}

pub async fn create(
    State(state): State<AppState>,
    visitor: Visitor,
    FormWithFiles(mut fields, mut files): FormWithFiles<EventFields>,
) -> Response {
    if fields.at.wants_lookup() || fields.preview == "on" {
        if fields.at.wants_lookup() {
            fields.at.look_up(&state.ctx, &visitor).await;
        }
        let locale = visitor.locale;
        return form_page(
            &state,
            &visitor,
            StatusCode::OK,
            t(locale, "form-new-event"),
            "/events/new".to_owned(),
            t(locale, "form-publish"),
            Problems::default(),
            fields,
            None,
        )
        .await;
    }
    let locale = visitor.locale;
    let mut problems = Problems::default();
    let asked = picture_asked(locale, &mut files, &fields, &mut problems);
    let new = match parsed(&fields, locale) {
        Ok(new) => Some(new),
        Err(found) => {
            problems.extend(found);
            None
        }
    };
    let refused = |problems: Problems, fields: EventFields| {
        let (state, visitor) = (state.clone(), visitor.clone());
        async move {
            form_page(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                t(locale, "form-new-event"),
                "/events/new".to_owned(),
                t(locale, "form-publish"),
                problems.sorted(FIELD_ORDER),
                fields,
                None,
            )
            .await
        }
    };
    let (Some(asked), Some(new)) = (asked, new) else {
        return refused(problems, fields).await;
    };
    // In another zone than the organizer's, the form first says what the time is in theirs
    // (not when a picture was chosen: a file input cannot be filled again).
    let picture_chosen = matches!(asked, Asked::Replace { .. });
    if fields.zone_check == "ask"
        && !picture_chosen
        && zone_check(&state, &visitor, &fields).await.is_some()
    {
        let fields = EventFields {
            zone_check: "seen".to_owned(),
            ..fields
        };
        return form_page(
            &state,
            &visitor,
            StatusCode::OK,
            t(locale, "form-new-event"),
            "/events/new".to_owned(),
            t(locale, "form-publish"),
            Problems::default(),
            fields,
            None,
        )
        .await;
    }
    let created = async {
        let tz = events::input::timezone(&fields.timezone)?;
        let start = new.begins_on.map(|b| b.with_timezone(&tz).naive_local());
        let recurrence = match start {
            Some(start) => super::repeats::asked(&fields, start)?,
            None => None,
        };
        match recurrence {
            Some((recurrence, exceptions)) => {
                let new = backend::series::NewSeries {
                    event: new,
                    recurrence,
                    exceptions,
                };
                Ok(
                    backend::series::create(&state.ctx, &visitor.principal(), new)
                        .await?
                        .first,
                )
            }
            None => events::service::create(&state.ctx, &visitor.principal(), new).await,
        }
    }
    .await;
    match created {
        Ok(event) => {
            let done = if event.draft { "draft" } else { "published" };
            then_picture(
                &state,
                &visitor,
                &event,
                asked,
                fields,
                (done, ApplyTo::This),
            )
            .await
        }
        Err(err) if for_the_form(&err) => {
            problems.add_backend(locale, &err, form_field);
            refused(problems, fields).await
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
                Problems::default(),
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
            Problems::default(),
            fields,
            Some(uuid),
        )
        .await;
    }
    let locale = visitor.locale;
    let event = match editable(&state, &visitor, &uuid).await {
        Ok(event) => event,
        Err(err) => return error_page(visitor, &err),
    };
    let mut problems = Problems::default();
    let asked = picture_asked(locale, &mut files, &fields, &mut problems);
    let new = match parsed(&fields, locale) {
        Ok(new) => Some(new),
        Err(found) => {
            problems.extend(found);
            None
        }
    };
    let refused = |problems: Problems, fields: EventFields| {
        let (state, visitor, uuid) = (state.clone(), visitor.clone(), uuid.clone());
        async move {
            form_page(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                t(locale, "form-edit-event"),
                format!("/events/{uuid}/edit"),
                t(locale, "form-save"),
                problems.sorted(FIELD_ORDER),
                fields,
                Some(uuid),
            )
            .await
        }
    };
    let (Some(asked), Some(new)) = (asked, new) else {
        return refused(problems, fields).await;
    };
    let (apply_to, done) = match fields.apply_to.as_str() {
        "" | "this" => (ApplyTo::This, "saved"),
        "following" => (ApplyTo::ThisAndFollowing, "saved-following"),
        "all" => (ApplyTo::All, "saved-all"),
        _ => {
            problems.add("apply_to", t(locale, "form-error-apply-to"));
            return refused(problems, fields).await;
        }
    };
    // A date alone when the event is not part of a series: the backend says so, once.
    let done = if event.series_id.is_some() {
        done
    } else {
        "saved"
    };
    let changes = changes_of(&event, &fields, new);
    match backend::series::change(
        &state.ctx,
        &visitor.principal(),
        event.id,
        changes,
        apply_to,
    )
    .await
    {
        Ok(event) => then_picture(&state, &visitor, &event, asked, fields, (done, apply_to)).await,
        Err(err) if for_the_form(&err) => {
            problems.add_backend(locale, &err, form_field);
            refused(problems, fields).await
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// The form, read as a new event, as changes to the event it edits.
fn changes_of(event: &event::Model, fields: &EventFields, new: NewEvent) -> EventChanges {
    // A description that came as HTML (the API, another client) is shown as text; sent back
    // untouched, the HTML stays as it was rather than being remade from that text.
    let untouched_html = event.description_source.is_none()
        && events::description::normalized(&fields.description)
            == events::description::normalized(&events::description::source_of_html(
                &event.description,
            ));
    EventChanges {
        attributed_to_id: new.attributed_to_id,
        title: Some(new.title),
        description: new.description,
        description_source: new.description_source.filter(|_| !untouched_html),
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
    }
}
