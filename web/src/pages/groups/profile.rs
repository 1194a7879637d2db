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

use backend::media::ActorPicture;

use super::find_actor;
use crate::pages::event_fields::checkbox;
use crate::pages::form::{Files, FormWithFiles};
use crate::pages::form_problems::Problems;
use crate::pages::i18n::{t, with};
use crate::pages::pictures::{self, Asked, Picture, Shown};
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
    problems: Problems,
    problems_title: String,
    username: String,
    name: String,
    summary: String,
    openness: String,
    visibility: String,
    avatar_alt: String,
    banner_alt: String,
    /// The group's pictures, shown above their file inputs when editing.
    avatar: Option<Picture>,
    banner: Option<Picture>,
}

/// The form's fields, in their order.
const FIELDS: [&str; 7] = [
    "username",
    "name",
    "summary",
    "avatar",
    "avatar_alt",
    "banner",
    "banner_alt",
];

/// The form's field for each field the backend names.
fn field_of(api: &str) -> Option<&'static str> {
    match api {
        "preferredUsername" | "username" => Some("username"),
        "name" => Some("name"),
        "summary" => Some("summary"),
        "avatar_alt" => Some("avatar_alt"),
        "banner_alt" => Some("banner_alt"),
        _ => None,
    }
}

/// The problems of a refused form, beside their fields.
fn problems_of(visitor: &Visitor, err: &backend::Error) -> Problems {
    let mut problems = Problems::of_form("group");
    problems.add_backend(visitor.locale, err, field_of);
    problems
}

async fn group_form(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    problems: Problems,
    fields: Option<&NewGroupForm>,
) -> Response {
    let editing = fields.is_some_and(|f| f.editing);
    let (avatar, banner) = match fields.filter(|f| f.editing) {
        Some(f) => match current_pictures(state, &f.username).await {
            Ok(pictures) => pictures,
            Err(err) => return error_page(visitor.clone(), &err),
        },
        None => (None, None),
    };
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
        problems_title: problems.title(visitor.locale),
        problems: problems.sorted(&FIELDS),
        username: fields.map(|f| f.username.clone()).unwrap_or_default(),
        name: fields.map(|f| f.name.clone()).unwrap_or_default(),
        summary: fields.map(|f| f.summary.clone()).unwrap_or_default(),
        openness: fields
            .map(|f| f.openness.clone())
            .unwrap_or_else(|| "open".to_owned()),
        visibility: fields
            .map(|f| f.visibility.clone())
            .unwrap_or_else(|| "public".to_owned()),
        avatar_alt: fields.map(|f| f.avatar_alt.clone()).unwrap_or_default(),
        banner_alt: fields.map(|f| f.banner_alt.clone()).unwrap_or_default(),
        avatar,
        banner,
    };
    render(visitor, status, &page)
}

/// The avatar and banner a group has now.
async fn current_pictures(
    state: &AppState,
    username: &str,
) -> backend::Result<(Option<Picture>, Option<Picture>)> {
    let group = find_actor(state, &format!("@{username}")).await?;
    let ids: Vec<i64> = [group.avatar_media_id, group.banner_media_id]
        .into_iter()
        .flatten()
        .collect();
    let loaded = backend::media::find_many(&state.ctx.db, &ids).await?;
    Ok((
        Picture::of_id(&loaded, group.avatar_media_id, Shown::Avatar, true),
        Picture::of_id(&loaded, group.banner_media_id, Shown::Card, true),
    ))
}

/// What the form asks for the group's avatar and banner; a picture without a description is
/// refused before anything is saved.
fn pictures_asked(
    visitor: &Visitor,
    files: &mut Files,
    form: &NewGroupForm,
) -> backend::Result<[(ActorPicture, Asked); 2]> {
    let needed = || t(visitor.locale, "form-picture-alt-needed");
    Ok([
        (
            ActorPicture::Avatar,
            pictures::asked(
                files.take("avatar"),
                &form.avatar_alt,
                form.remove_avatar,
                "avatar_alt",
                needed(),
            )?,
        ),
        (
            ActorPicture::Banner,
            pictures::asked(
                files.take("banner"),
                &form.banner_alt,
                form.remove_banner,
                "banner_alt",
                needed(),
            )?,
        ),
    ])
}

/// Once the group is saved, its pictures; one refused brings back the saved group's form,
/// saying why.
async fn then_pictures(
    state: &AppState,
    visitor: &Visitor,
    group: &entity::actor::Model,
    asked: [(ActorPicture, Asked); 2],
    mut form: NewGroupForm,
) -> Response {
    let principal = visitor.principal();
    for (which, asked) in asked {
        let applied =
            pictures::apply_to_actor(&state.ctx, &principal, group.id, which, asked).await;
        match applied {
            Ok(()) => {}
            Err(err) if !err.is_internal() => {
                form.editing = true;
                form.username = group.preferred_username.clone();
                let message = with(
                    visitor.locale,
                    "group-picture-not-saved",
                    "reason",
                    crate::pages::pictures::refusal(visitor.locale, &err),
                );
                let mut problems = Problems::default();
                problems.add(
                    match which {
                        ActorPicture::Avatar => "avatar",
                        ActorPicture::Banner => "banner",
                    },
                    message,
                );
                return group_form(
                    state,
                    visitor,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    problems,
                    Some(&form),
                )
                .await;
            }
            Err(err) => return error_page(visitor.clone(), &err),
        }
    }
    see_other(visitor, &format!("/@{}", group.preferred_username))
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
                summary: backend::actors::summary::to_text(group.summary.as_deref().unwrap_or("")),
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
                ..NewGroupForm::default()
            };
            group_form(
                &state,
                &visitor,
                StatusCode::OK,
                Problems::default(),
                Some(&fields),
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn update_group(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    FormWithFiles(mut form, mut files): FormWithFiles<NewGroupForm>,
) -> Response {
    form.editing = true;
    let result = async {
        let group = find_actor(&state, &segment).await?;
        form.username = group.preferred_username.clone();
        let asked = pictures_asked(&visitor, &mut files, &form)?;
        let group = groups::service::update(
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
        .await?;
        Ok::<_, backend::Error>((group, asked))
    }
    .await;
    match result {
        Ok((group, asked)) => then_pictures(&state, &visitor, &group, asked, form).await,
        Err(err) if matches!(err, backend::Error::Invalid(_)) => {
            group_form(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                problems_of(&visitor, &err),
                Some(&form),
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn new_group_form(State(state): State<AppState>, visitor: Visitor) -> Response {
    if visitor.session.is_none() {
        return see_other(&visitor, "/login?next=/groups/new");
    }
    group_form(&state, &visitor, StatusCode::OK, Problems::default(), None).await
}

#[derive(Deserialize, Default)]
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
    /// Descriptions of the pictures chosen in the file inputs `avatar` and `banner`.
    #[serde(default)]
    avatar_alt: String,
    #[serde(default)]
    banner_alt: String,
    #[serde(default, deserialize_with = "checkbox")]
    remove_avatar: bool,
    #[serde(default, deserialize_with = "checkbox")]
    remove_banner: bool,
    /// Set by the handlers, never by the form.
    #[serde(skip)]
    editing: bool,
}

pub async fn create_group(
    State(state): State<AppState>,
    visitor: Visitor,
    FormWithFiles(form, mut files): FormWithFiles<NewGroupForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/groups/new");
    };
    let result = async {
        let asked = pictures_asked(&visitor, &mut files, &form)?;
        let me = backend::actors::persons::acting_as(&state.ctx.db, &session.user, None).await?;
        let group = groups::service::create(
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
        .await?;
        Ok::<_, backend::Error>((group, asked))
    }
    .await;
    match result {
        Ok((group, asked)) => then_pictures(&state, &visitor, &group, asked, form).await,
        Err(err) if !err.is_internal() => {
            group_form(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                problems_of(&visitor, &err),
                Some(&form),
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}
