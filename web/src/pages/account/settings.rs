//! The account's settings: time zone, language and notifications, private calendar
//! addresses, identities, and deleting the account.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::groups;
use backend::pagination::Page;
use serde::Deserialize;

use crate::pages::form::{Button, Form};
use crate::pages::i18n::t;
use crate::pages::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me/settings", get(settings).post(save_settings))
        .route("/me/feeds", post(create_feed))
        .route("/me/identities", post(add_identity))
        .route("/me/delete", post(delete_account))
        .route("/me/feeds/revoke", post(revoke_feed))
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    frame: Frame,
    timezone: String,
    zones: Vec<&'static str>,
    on_day: bool,
    before_event: bool,
    pending: String,
    pending_choices: Vec<(&'static str, String)>,
    groups: Vec<(String, String)>,
    /// (token, .ics address, webcal address, Atom address)
    feeds: Vec<(String, String, String, String)>,
    identities: Vec<(String, String)>,
    /// Moderators choose whether each new report is mailed to them.
    moderator: bool,
    new_report: bool,
}

fn pending_value(p: entity::user::PendingNotification) -> &'static str {
    use entity::user::PendingNotification::*;
    match p {
        None => "none",
        Direct => "direct",
        OneHour => "one_hour",
        OneDay => "one_day",
        OneWeek => "one_week",
    }
}

pub async fn settings(State(state): State<AppState>, visitor: Visitor) -> Response {
    settings_page(&state, visitor, None).await
}

async fn settings_page(state: &AppState, visitor: Visitor, notice: Option<String>) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/settings");
    };
    let locale = visitor.locale;
    let result = async {
        let user = backend::users::service::find(&state.ctx.db, session.user.id).await?;
        let memberships = groups::memberships_of_user(&state.ctx.db, user.id, Page::all()).await?;
        let ids: Vec<i64> = memberships
            .elements
            .iter()
            .filter(|m| m.role.is_member())
            .map(|m| m.group_id)
            .collect();
        let found = backend::actors::find_many(&state.ctx.db, &ids).await?;
        let groups = ids
            .iter()
            .filter_map(|id| found.get(id))
            .map(|g| (backend::actors::handle(g), backend::actors::display_name(g)))
            .collect();
        let feeds = backend::feeds::tokens::of_user(&state.ctx.db, &visitor.principal(), user.id)
            .await?
            .into_iter()
            .map(|f| {
                let ics = state.ctx.url(&format!("/feed/{}/ics", f.token));
                let webcal =
                    ics.replacen("https://", "webcal://", 1)
                        .replacen("http://", "webcal://", 1);
                let atom = state.ctx.url(&format!("/feed/{}/atom", f.token));
                (f.token, ics, webcal, atom)
            })
            .collect();
        let identities = backend::actors::persons::identities(&state.ctx.db, user.id)
            .await?
            .iter()
            .map(|a| (backend::actors::handle(a), backend::actors::display_name(a)))
            .collect();
        Ok::<_, backend::Error>((user, groups, feeds, identities))
    }
    .await;
    match result {
        Ok((user, groups, feeds, identities)) => {
            let page = SettingsPage {
                frame: Frame {
                    title: t(locale, "settings-title"),
                    visitor: visitor.clone(),
                    notice,
                },
                timezone: user.timezone.clone().unwrap_or_default(),
                zones: chrono_tz::TZ_VARIANTS.iter().map(|z| z.name()).collect(),
                on_day: user.notification_on_day,
                before_event: user.notification_before_event,
                pending: pending_value(user.notification_pending_participation).to_owned(),
                pending_choices: ["none", "direct", "one_hour", "one_day", "one_week"]
                    .into_iter()
                    .map(|v| (v, t(locale, &format!("settings-pending-{v}"))))
                    .collect(),
                groups,
                feeds,
                identities,
                moderator: session.user.is_moderator(),
                new_report: user.notification_new_report,
            };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    timezone: String,
    #[serde(default)]
    on_day: Option<String>,
    #[serde(default)]
    before_event: Option<String>,
    #[serde(default)]
    pending: String,
    #[serde(default)]
    new_report: Option<String>,
}

pub async fn save_settings(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SettingsForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/settings");
    };
    use entity::user::PendingNotification;
    let changes = backend::users::settings::SettingsChanges {
        timezone: Some(form.timezone.clone()),
        notification_on_day: Some(form.on_day.is_some()),
        notification_before_event: Some(form.before_event.is_some()),
        notification_pending_participation: Some(match form.pending.as_str() {
            "none" => PendingNotification::None,
            "one_hour" => PendingNotification::OneHour,
            "one_day" => PendingNotification::OneDay,
            "one_week" => PendingNotification::OneWeek,
            _ => PendingNotification::Direct,
        }),
        location: None,
        notification_new_report: session
            .user
            .is_moderator()
            .then_some(form.new_report.is_some()),
        ..backend::users::settings::SettingsChanges::default()
    };
    match backend::users::settings::set(&state.ctx, &session.user, changes).await {
        Ok(_) => {
            let notice = t(visitor.locale, "settings-saved");
            settings_page(&state, visitor, Some(notice)).await
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct FeedForm {
    #[serde(default)]
    token: String,
}

pub async fn create_feed(
    State(state): State<AppState>,
    visitor: Visitor,
    _: Form<Button>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/settings");
    };
    match backend::feeds::tokens::create(&state.ctx, &session.user, None).await {
        Ok(_) => see_other(&visitor, "/me/settings"),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<FeedForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/settings");
    };
    match backend::feeds::tokens::delete(&state.ctx, &session.user, &form.token).await {
        Ok(_) => see_other(&visitor, "/me/settings"),
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct IdentityForm {
    username: String,
}

pub async fn add_identity(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<IdentityForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/settings");
    };
    let new = backend::actors::persons::NewPerson {
        preferred_username: form.username.clone(),
        name: Some(form.username.clone()),
        summary: None,
    };
    match backend::actors::persons::create(&state.ctx, &session.user, new).await {
        Ok(_) => see_other(&visitor, "/me/settings"),
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {
    password: String,
}

pub async fn delete_account(
    State(state): State<AppState>,
    mut visitor: Visitor,
    Form(form): Form<DeleteForm>,
) -> Response {
    let Some(session) = visitor.session.clone() else {
        return see_other(&visitor, "/login?next=/me/settings");
    };
    match backend::users::service::delete_account(&state.ctx, &session.user, &form.password).await {
        Ok(()) => {
            visitor.end_session();
            visitor.session = None;
            let locale = visitor.locale;
            super::message(
                &visitor,
                t(locale, "settings-delete"),
                Some(t(locale, "settings-deleted")),
                None,
                String::new(),
            )
        }
        Err(err) => error_page(visitor, &err),
    }
}
