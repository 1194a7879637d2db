//! Creating a group, and its profile form for its administrators.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::groups;
use entity::actor::Openness;
use serde::Deserialize;

use super::find_actor;
use crate::pages::form::Form;
use crate::pages::i18n::t;
use crate::pages::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/groups/new", get(new_group_form).post(create_group))
        .route("/{handle}/edit", get(edit_group_form).post(update_group))
}

#[derive(Template)]
#[template(path = "group_form.html")]
struct GroupForm {
    frame: Frame,
    action: String,
    editing: bool,
    submit: String,
    error: Option<String>,
    username: String,
    name: String,
    summary: String,
    openness: String,
    visibility: String,
}

fn group_form(
    visitor: &Visitor,
    status: StatusCode,
    error: Option<String>,
    fields: Option<&NewGroupForm>,
) -> Response {
    let editing = fields.is_some_and(|f| f.editing);
    let page = GroupForm {
        frame: Frame {
            title: t(
                visitor.locale,
                if editing {
                    "group-edit"
                } else {
                    "group-create"
                },
            ),
            visitor: visitor.clone(),
            notice: None,
        },
        action: match fields.filter(|f| f.editing) {
            Some(f) => format!("/@{}/edit", f.username),
            None => "/groups/new".to_owned(),
        },
        editing,
        submit: t(
            visitor.locale,
            if editing { "form-save" } else { "group-create" },
        ),
        error,
        username: fields.map(|f| f.username.clone()).unwrap_or_default(),
        name: fields.map(|f| f.name.clone()).unwrap_or_default(),
        summary: fields.map(|f| f.summary.clone()).unwrap_or_default(),
        openness: fields
            .map(|f| f.openness.clone())
            .unwrap_or_else(|| "open".to_owned()),
        visibility: fields
            .map(|f| f.visibility.clone())
            .unwrap_or_else(|| "public".to_owned()),
    };
    render(visitor, status, &page)
}

fn openness_of(raw: &str) -> Openness {
    match raw {
        "moderated" => Openness::Moderated,
        "invite_only" => Openness::InviteOnly,
        _ => Openness::Open,
    }
}

fn visibility_of(raw: &str) -> groups::GroupVisibility {
    match raw {
        "unlisted" => groups::GroupVisibility::Unlisted,
        _ => groups::GroupVisibility::Public,
    }
}

/// The group's profile form, for its administrators (the service checks again on save).
pub async fn edit_group_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
) -> Response {
    let result = async {
        let group = find_actor(&state, &segment).await?;
        groups::service::check_editable(&state.ctx.db, &visitor.principal(), &group).await?;
        Ok(group)
    }
    .await;
    match result {
        Ok(group) => {
            let fields = NewGroupForm {
                username: group.preferred_username.clone(),
                name: backend::actors::display_name(&group),
                summary: group.summary.clone().unwrap_or_default(),
                openness: match group.openness {
                    Openness::Open => "open",
                    Openness::Moderated => "moderated",
                    Openness::InviteOnly => "invite_only",
                }
                .to_owned(),
                visibility: match groups::GroupVisibility::of(&group) {
                    groups::GroupVisibility::Public => "public",
                    groups::GroupVisibility::Unlisted => "unlisted",
                }
                .to_owned(),
                editing: true,
            };
            group_form(&visitor, StatusCode::OK, None, Some(&fields))
        }
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn update_group(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    Form(mut form): Form<NewGroupForm>,
) -> Response {
    form.editing = true;
    let result = async {
        let group = find_actor(&state, &segment).await?;
        form.username = group.preferred_username.clone();
        groups::service::update(
            &state.ctx,
            &visitor.principal(),
            group.id,
            groups::service::GroupChanges {
                name: Some(form.name.clone()),
                summary: Some(form.summary.clone()),
                visibility: Some(visibility_of(&form.visibility)),
                openness: Some(openness_of(&form.openness)),
                manually_approves_followers: None,
                physical_address: None,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(group) => see_other(&visitor, &format!("/@{}", group.preferred_username)),
        Err(err) if matches!(err, backend::Error::Invalid(_)) => group_form(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(err.to_string()),
            Some(&form),
        ),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn new_group_form(visitor: Visitor) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, "/login?next=/groups/new");
    }
    group_form(&visitor, StatusCode::OK, None, None)
}

#[derive(Deserialize)]
pub struct NewGroupForm {
    #[serde(default)]
    username: String,
    name: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    openness: String,
    #[serde(default)]
    visibility: String,
    /// Set by the handlers, never by the form.
    #[serde(skip)]
    editing: bool,
}

pub async fn create_group(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<NewGroupForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/groups/new");
    };
    let result = async {
        let me = backend::actors::persons::acting_as(&state.ctx.db, &session.user, None).await?;
        groups::service::create(
            &state.ctx,
            &me,
            groups::service::NewGroup {
                preferred_username: form.username.clone(),
                name: Some(form.name.clone()),
                summary: Some(form.summary.clone()).filter(|s| !s.trim().is_empty()),
                visibility: Some(visibility_of(&form.visibility)),
                openness: Some(openness_of(&form.openness)),
                manually_approves_followers: None,
                physical_address: None,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(group) => see_other(&visitor, &format!("/@{}", group.preferred_username)),
        Err(err) if !err.is_internal() => group_form(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(err.to_string()),
            Some(&form),
        ),
        Err(err) => error_page(visitor, &err),
    }
}
