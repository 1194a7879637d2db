//! The account's details, each changed by the use case the API calls for it: an identity's
//! display name (`updatePerson`), the password (`changePassword`: the current one first, the
//! other sessions then end) and the email address (`changeEmail`: a link goes to the new
//! address, which becomes the account's once it is followed), and an identity's avatar,
//! chosen in a plain file input and stored by the same media services as `uploadMedia` and
//! `updatePerson(avatar)`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::actors::persons::{self, PersonChanges};
use backend::media::ActorPicture;
use serde::Deserialize;

use crate::pages::event_fields::checkbox;
use crate::pages::form::{Form, FormWithFiles};
use crate::pages::form_problems::Problems;
use crate::pages::i18n::{t, with};
use crate::pages::pictures::{self, Picture, Shown};
use crate::pages::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

const PAGE: &str = "/me/account";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PAGE, get(show))
        .route("/me/account/name", post(change_name))
        .route("/me/account/password", post(change_password))
        .route("/me/account/email", post(change_email))
        .route("/me/account/avatar", post(change_avatar))
}

/// The page's fields, in their order (the problems are listed so).
const FIELDS: [&str; 8] = [
    "identity",
    "display_name",
    "avatar",
    "avatar_alt",
    "current_password",
    "new_password",
    "new_email",
    "email_password",
];

#[derive(Template)]
#[template(path = "account_details.html")]
struct DetailsPage {
    frame: Frame,
    problems: Problems,
    problems_title: String,
    /// (username, display name) of each identity, the default one first.
    identities: Vec<(String, String)>,
    /// The identity whose name the form shows.
    identity: String,
    display_name: String,
    /// The shown identity's avatar now, described as it was uploaded.
    avatar: Option<Picture>,
    avatar_alt: String,
    email: String,
    /// The address waiting for its link to be followed.
    pending_email: Option<String>,
    new_email: String,
    password_hint: String,
}

/// What the forms sent back, kept when the page comes back with problems.
#[derive(Default)]
struct Typed {
    identity: Option<String>,
    display_name: Option<String>,
    avatar_alt: String,
    new_email: String,
}

async fn page(
    state: &AppState,
    visitor: Visitor,
    status: StatusCode,
    notice: Option<String>,
    problems: Problems,
    typed: Typed,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/account");
    };
    let locale = visitor.locale;
    let found = async {
        let user = backend::users::service::find(&state.ctx.db, session.user.id).await?;
        let default = persons::acting_as(&state.ctx.db, &session.user, None).await?;
        let mut identities = persons::identities(&state.ctx.db, user.id).await?;
        identities.sort_by_key(|a| a.id != default.id);
        Ok::<_, backend::Error>((user, identities))
    }
    .await;
    let (user, identities) = match found {
        Ok(found) => found,
        Err(err) => return error_page(visitor, &err),
    };
    let shown = typed
        .identity
        .as_deref()
        .and_then(|u| identities.iter().find(|a| a.preferred_username == u))
        .or(identities.first());
    let identity = shown.map(|a| a.preferred_username.clone());
    let display_name = typed
        .display_name
        .or_else(|| shown.and_then(|a| a.name.clone()))
        .unwrap_or_default();
    let avatar_id = shown.and_then(|a| a.avatar_media_id);
    let loaded =
        match backend::media::find_many(&state.ctx.db, &avatar_id.into_iter().collect::<Vec<_>>())
            .await
        {
            Ok(loaded) => loaded,
            Err(err) => return error_page(visitor, &err),
        };
    let avatar = Picture::of_id(&loaded, avatar_id, Shown::Avatar, true);
    let page = DetailsPage {
        frame: Frame {
            title: t(locale, "account-title"),
            visitor: visitor.clone(),
            notice,
        },
        problems_title: problems.title(locale),
        problems: problems.sorted(&FIELDS),
        identities: identities
            .iter()
            .map(|a| {
                (
                    a.preferred_username.clone(),
                    backend::actors::display_name(a),
                )
            })
            .collect(),
        identity: identity.unwrap_or_default(),
        display_name,
        avatar,
        avatar_alt: typed.avatar_alt,
        email: user.email.clone(),
        pending_email: user.unconfirmed_email.clone(),
        new_email: typed.new_email,
        password_hint: with(
            locale,
            "account-password-hint",
            "count",
            state.ctx.settings.auth.min_password_length.to_string(),
        ),
    };
    render(&visitor, status, &page)
}

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Response {
    page(
        &state,
        visitor,
        StatusCode::OK,
        None,
        Problems::default(),
        Typed::default(),
    )
    .await
}

/// The page again after a change: a notice when it was made, the problems beside their
/// fields when it was refused.
async fn after(
    state: &AppState,
    visitor: Visitor,
    result: backend::Result<String>,
    field_of: fn(&str) -> Option<&'static str>,
    typed: Typed,
) -> Response {
    match result {
        Ok(notice) => {
            page(
                state,
                visitor,
                StatusCode::OK,
                Some(notice),
                Problems::default(),
                Typed::default(),
            )
            .await
        }
        Err(err) if !err.is_internal() && !matches!(err, backend::Error::NotFound { .. }) => {
            let mut problems = Problems::default();
            problems.add_backend(visitor.locale, &err, field_of);
            page(
                state,
                visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                problems,
                typed,
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct NameForm {
    #[serde(default)]
    identity: String,
    #[serde(default)]
    display_name: String,
}

pub async fn change_name(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<NameForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/account");
    };
    let ctx = &state.ctx;
    let result = async {
        let identity = persons::identities(&ctx.db, session.user.id)
            .await?
            .into_iter()
            .find(|a| a.preferred_username == form.identity)
            .ok_or_else(|| backend::Error::invalid("identity", "not one of the account's"))?;
        let changes = PersonChanges {
            name: Some(form.display_name.clone()),
            summary: None,
        };
        persons::update(ctx, &session.user, identity.id, changes).await?;
        Ok(t(visitor.locale, "account-name-saved"))
    }
    .await;
    let typed = Typed {
        identity: Some(form.identity),
        display_name: Some(form.display_name),
        ..Typed::default()
    };
    after(
        &state,
        visitor,
        result,
        |api| match api {
            "identity" => Some("identity"),
            "name" => Some("display_name"),
            _ => None,
        },
        typed,
    )
    .await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/account");
    };
    let result = backend::users::service::change_password(
        &state.ctx,
        &session.user,
        &form.current_password,
        &form.new_password,
    )
    .await
    .map(|_| t(visitor.locale, "account-password-saved"));
    after(
        &state,
        visitor,
        result,
        |api| match api {
            "oldPassword" => Some("current_password"),
            "newPassword" => Some("new_password"),
            _ => None,
        },
        Typed::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    email_password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<EmailForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/account");
    };
    let result = backend::users::email_change::request(
        &state.ctx,
        &session.user,
        &form.new_email,
        &form.email_password,
    )
    .await
    .map(|user| {
        with(
            visitor.locale,
            "account-email-sent",
            "email",
            user.unconfirmed_email.unwrap_or_default(),
        )
    });
    let typed = Typed {
        new_email: form.new_email,
        ..Typed::default()
    };
    after(
        &state,
        visitor,
        result,
        |api| match api {
            "email" => Some("new_email"),
            "password" => Some("email_password"),
            _ => None,
        },
        typed,
    )
    .await
}

#[derive(Deserialize)]
pub struct AvatarForm {
    #[serde(default)]
    identity: String,
    #[serde(default)]
    avatar_alt: String,
    #[serde(default, deserialize_with = "checkbox")]
    remove_avatar: bool,
}

/// Gives the identity an avatar, replaces it or takes it off; a picture without a
/// description, or one the media service refuses, comes back beside its field.
pub async fn change_avatar(
    State(state): State<AppState>,
    visitor: Visitor,
    FormWithFiles(form, mut files): FormWithFiles<AvatarForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/account");
    };
    let ctx = &state.ctx;
    let locale = visitor.locale;
    let asked = async {
        let identity = persons::identities(&ctx.db, session.user.id)
            .await?
            .into_iter()
            .find(|a| a.preferred_username == form.identity)
            .ok_or_else(|| backend::Error::invalid("identity", "not one of the account's"))?;
        let asked = pictures::asked(
            files.take("avatar"),
            &form.avatar_alt,
            form.remove_avatar,
            "avatar_alt",
            t(locale, "form-picture-alt-needed"),
        )?;
        Ok::<_, backend::Error>((identity, asked))
    }
    .await;
    let typed = Typed {
        identity: Some(form.identity),
        avatar_alt: form.avatar_alt,
        ..Typed::default()
    };
    let (identity, asked) = match asked {
        Ok(asked) => asked,
        Err(err) => {
            let field_of = |api: &str| match api {
                "identity" => Some("identity"),
                "avatar_alt" => Some("avatar_alt"),
                _ => None,
            };
            return after(&state, visitor, Err(err), field_of, typed).await;
        }
    };
    let key = match asked {
        pictures::Asked::Keep => {
            let mut problems = Problems::default();
            problems.add("avatar", t(locale, "account-avatar-none"));
            return page(
                &state,
                visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                problems,
                typed,
            )
            .await;
        }
        pictures::Asked::Remove => "account-avatar-removed",
        pictures::Asked::Replace { .. } => "account-avatar-saved",
    };
    let applied = pictures::apply_to_actor(
        ctx,
        &visitor.principal(),
        identity.id,
        ActorPicture::Avatar,
        asked,
    )
    .await;
    match applied {
        Ok(()) => after(&state, visitor, Ok(t(locale, key)), |_| None, typed).await,
        // Not a picture, too big, over the quota: told beside the file input.
        Err(err) if !err.is_internal() => {
            let mut problems = Problems::default();
            problems.add(
                "avatar",
                with(
                    locale,
                    "account-avatar-not-saved",
                    "reason",
                    pictures::refusal(locale, &err),
                ),
            );
            page(
                &state,
                visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                problems,
                typed,
            )
            .await
        }
        Err(err) => error_page(visitor, &err),
    }
}
