//! Signing up, confirming, logging in and out, the language switch, the links of mail about
//! anonymous participations, and "my events".

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::actors::persons;
use backend::i18n::Locale;
use backend::users::browser;
use backend::users::service::{self as users, NewAccount};
use serde::Deserialize;

use super::form::{Button, Form};
use super::i18n::t;
use super::{Frame, Visitor, error_page, render, see_other};
use crate::client::RequestClient;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    frame: Frame,
    action: &'static str,
    register: bool,
    submit: String,
    error: Option<String>,
    next: String,
    email: String,
    username: String,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    frame: Frame,
    text: Option<String>,
    action: Option<String>,
    button: String,
    link: Option<(String, String)>,
}

pub(super) fn message(
    visitor: &Visitor,
    title: String,
    text: Option<String>,
    action: Option<String>,
    button: String,
) -> Response {
    let page = MessagePage {
        frame: Frame {
            title,
            visitor: visitor.clone(),
            notice: None,
        },
        text,
        action,
        button,
        link: Some(("/".to_owned(), t(visitor.locale, "error-back-home"))),
    };
    render(visitor, StatusCode::OK, &page)
}

/// Only paths on this site: never an open redirect.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[derive(Deserialize, Default)]
pub struct NextParam {
    #[serde(default)]
    next: String,
}

fn login_page(
    visitor: &Visitor,
    status: StatusCode,
    error: Option<String>,
    next: String,
    email: String,
) -> Response {
    let locale = visitor.locale;
    let page = LoginPage {
        frame: Frame {
            title: t(locale, "login-title"),
            visitor: visitor.clone(),
            notice: None,
        },
        action: "/login",
        register: false,
        submit: t(locale, "login-submit"),
        error,
        next,
        email,
        username: String::new(),
    };
    render(visitor, status, &page)
}

pub async fn login_form(visitor: Visitor, Query(q): Query<NextParam>) -> Response {
    login_page(
        &visitor,
        StatusCode::OK,
        None,
        safe_next(&q.next),
        String::new(),
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn log_in(
    State(state): State<AppState>,
    mut visitor: Visitor,
    RequestClient(client): RequestClient,
    Form(form): Form<LoginForm>,
) -> Response {
    match browser::log_in(&state.ctx, &client, &form.email, &form.password).await {
        Ok(token) => {
            visitor.start_session(&token, state.ctx.settings.auth.browser_session_days);
            see_other(&visitor, &safe_next(&form.next))
        }
        Err(err) => {
            let key = match &err {
                backend::Error::UserNotConfirmed => "login-unconfirmed",
                backend::Error::InvalidCredentials => "login-failed",
                backend::Error::Internal(_) => return error_page(visitor, &err),
                _ => "",
            };
            let text = if key.is_empty() {
                err.to_string()
            } else {
                t(visitor.locale, key)
            };
            let status = match err {
                backend::Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            login_page(
                &visitor,
                status,
                Some(text),
                safe_next(&form.next),
                form.email,
            )
        }
    }
}

pub async fn log_out(
    State(state): State<AppState>,
    mut visitor: Visitor,
    _: Form<Button>,
) -> Response {
    if let Some(session) = &visitor.session
        && let Err(err) = browser::close(&state.ctx, session.session_id).await
    {
        return error_page(visitor, &err);
    }
    visitor.end_session();
    see_other(&visitor, "/")
}

fn register_page(
    visitor: &Visitor,
    status: StatusCode,
    error: Option<String>,
    email: String,
    username: String,
) -> Response {
    let locale = visitor.locale;
    let page = LoginPage {
        frame: Frame {
            title: t(locale, "register-title"),
            visitor: visitor.clone(),
            notice: None,
        },
        action: "/register",
        register: true,
        submit: t(locale, "register-submit"),
        error,
        next: String::new(),
        email,
        username,
    };
    render(visitor, status, &page)
}

pub async fn register_form(visitor: Visitor) -> Response {
    register_page(&visitor, StatusCode::OK, None, String::new(), String::new())
}

#[derive(Deserialize)]
pub struct RegisterForm {
    username: String,
    email: String,
    password: String,
}

pub async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Form(form): Form<RegisterForm>,
) -> Response {
    let ctx = &state.ctx;
    let result = async {
        persons::sign_up(
            ctx,
            &client,
            NewAccount {
                email: form.email.clone(),
                password: form.password.clone(),
                locale: Some(visitor.locale.code().to_owned()),
            },
            &form.username,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => message(
            &visitor,
            t(visitor.locale, "register-title"),
            Some(t(visitor.locale, "register-sent")),
            None,
            String::new(),
        ),
        Err(err) if !err.is_internal() => register_page(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(err.to_string()),
            form.email,
            form.username,
        ),
        Err(err) => error_page(visitor, &err),
    }
}

/// The link of the confirmation mail shows a button: a GET never changes anything (mail
/// scanners follow links).
pub async fn validate_form(visitor: Visitor, Path(token): Path<String>) -> Response {
    let locale = visitor.locale;
    message(
        &visitor,
        t(locale, "validate-title"),
        Some(t(locale, "validate-intro")),
        Some(format!("/validate/{token}")),
        t(locale, "validate-submit"),
    )
}

pub async fn validate(
    State(state): State<AppState>,
    mut visitor: Visitor,
    Path(token): Path<String>,
    _: Form<Button>,
) -> Response {
    let ctx = &state.ctx;
    let result = async {
        let login = users::validate(ctx, &token).await?;
        // The API session opened by validation is not needed in a browser.
        users::logout(ctx, &login.refresh_token).await?;
        let locale = users::user_locale(ctx, &login.user);
        Ok::<_, backend::Error>((browser::open(ctx, login.user.id).await?, locale))
    }
    .await;
    match result {
        Ok((session, locale)) => {
            visitor.start_session(&session, ctx.settings.auth.browser_session_days);
            visitor.locale = locale;
            message(
                &visitor,
                t(locale, "validate-title"),
                Some(t(locale, "validate-done")),
                None,
                String::new(),
            )
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
}

pub async fn set_language(
    State(state): State<AppState>,
    mut visitor: Visitor,
    headers: axum::http::HeaderMap,
    Form(form): Form<LanguageForm>,
) -> Response {
    let Some(locale) = Locale::parse(&form.lang) else {
        return error_page(
            visitor,
            &backend::Error::invalid("lang", "unknown language"),
        );
    };
    if let Some(session) = &visitor.session
        && let Err(err) = users::set_locale(&state.ctx, &session.user, locale.code()).await
    {
        return error_page(visitor, &err);
    }
    visitor.remember_language(locale);
    // Back to the page the switch was on, when it is one of ours.
    let back = headers
        .get(axum::http::header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.strip_prefix(&state.ctx.settings.public_url.join("")))
        .map(|path| safe_next(&format!("/{}", path.trim_start_matches('/'))))
        .unwrap_or_else(|| "/".to_owned());
    see_other(&visitor, &back)
}

pub async fn confirm_participation_form(visitor: Visitor, Path(token): Path<String>) -> Response {
    let locale = visitor.locale;
    message(
        &visitor,
        t(locale, "participation-confirm-title"),
        None,
        Some(format!("/participation/email/confirm/{token}")),
        t(locale, "participation-confirm-submit"),
    )
}

pub async fn confirm_participation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    _: Form<Button>,
) -> Response {
    match backend::participations::service::confirm(&state.ctx, &token).await {
        Ok(p) => {
            let key = if p.role == entity::participant::ParticipantRole::NotApproved {
                "participation-pending"
            } else {
                "participation-confirmed"
            };
            message(
                &visitor,
                t(visitor.locale, "participation-confirm-title"),
                Some(t(visitor.locale, key)),
                None,
                String::new(),
            )
        }
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn cancel_participation_form(
    visitor: Visitor,
    Path((uuid, token)): Path<(String, String)>,
) -> Response {
    let locale = visitor.locale;
    message(
        &visitor,
        t(locale, "participation-cancel-title"),
        None,
        Some(format!("/participation/email/cancel/{uuid}/{token}")),
        t(locale, "participation-cancel-submit"),
    )
}

pub async fn cancel_participation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((uuid, token)): Path<(String, String)>,
    _: Form<Button>,
) -> Response {
    let result = async {
        let event = backend::events::find_by_uuid(&state.ctx.db, &uuid).await?;
        let request = backend::participations::LeaveRequest {
            event_id: event.id,
            actor_id: None,
            token: Some(token.clone()),
        };
        backend::participations::leave(&state.ctx, &visitor.principal(), request)
            .await
            .and_then(backend::participations::Left::into_participation)
    }
    .await;
    match result {
        Ok(_) => message(
            &visitor,
            t(visitor.locale, "participation-cancel-title"),
            Some(t(visitor.locale, "participation-cancelled")),
            None,
            String::new(),
        ),
        Err(err) => error_page(visitor, &err),
    }
}

pub struct MyEventRow {
    url: String,
    title: String,
    when: String,
    status: String,
}

#[derive(Template)]
#[template(path = "my_events.html")]
struct MyEventsPage {
    frame: Frame,
    rows: Vec<MyEventRow>,
}

/// Upcoming participations, with their status.
pub async fn my_events(State(state): State<AppState>, visitor: Visitor) -> Response {
    let Some(session) = &visitor.session else {
        return see_other(&visitor, "/login?next=/me/events");
    };
    let locale = visitor.locale;
    let list = match backend::participations::of_user(
        &state.ctx.db,
        session.user.id,
        None,
        Some(state.ctx.now()),
        None,
        backend::pagination::Page::new(Some(1), Some(100)).unwrap_or_default(),
    )
    .await
    {
        Ok(list) => list,
        Err(err) => return error_page(visitor, &err),
    };
    let rows = list
        .elements
        .into_iter()
        .map(|(p, e)| MyEventRow {
            url: format!("/events/{}", e.uuid),
            title: e.title.clone(),
            when: backend::events::notices::format_when(locale, &e),
            status: t(locale, &format!("role-{}", role_key(p.role))),
        })
        .collect();
    let page = MyEventsPage {
        frame: Frame {
            title: t(locale, "my-events-title"),
            visitor: visitor.clone(),
            notice: None,
        },
        rows,
    };
    render(&visitor, StatusCode::OK, &page)
}

pub(super) fn role_key(role: entity::participant::ParticipantRole) -> &'static str {
    use entity::participant::ParticipantRole::*;
    match role {
        Creator => "creator",
        Administrator => "administrator",
        Moderator => "moderator",
        Participant => "participant",
        NotApproved => "not_approved",
        NotConfirmed => "not_confirmed",
        Rejected => "rejected",
    }
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    frame: Frame,
    action: String,
    ask_email: bool,
    submit: String,
    error: Option<String>,
}

fn password_page(
    visitor: &Visitor,
    status: StatusCode,
    token: Option<&str>,
    error: Option<String>,
) -> Response {
    let locale = visitor.locale;
    let page = PasswordPage {
        frame: Frame {
            title: t(
                locale,
                if token.is_some() {
                    "reset-title"
                } else {
                    "forgot-title"
                },
            ),
            visitor: visitor.clone(),
            notice: None,
        },
        action: match token {
            Some(token) => format!("/password-reset/{token}"),
            None => "/password/forgot".to_owned(),
        },
        ask_email: token.is_none(),
        submit: t(
            locale,
            if token.is_some() {
                "reset-submit"
            } else {
                "forgot-submit"
            },
        ),
        error,
    };
    render(visitor, status, &page)
}

pub async fn forgot_form(visitor: Visitor) -> Response {
    password_page(&visitor, StatusCode::OK, None, None)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

/// Answers the same whether or not the address has an account.
pub async fn forgot(
    State(state): State<AppState>,
    visitor: Visitor,
    RequestClient(client): RequestClient,
    Form(form): Form<ForgotForm>,
) -> Response {
    match users::send_reset_password(
        &state.ctx,
        &client,
        &form.email,
        Some(visitor.locale.code()),
    )
    .await
    {
        Ok(()) => message(
            &visitor,
            t(visitor.locale, "forgot-title"),
            Some(t(visitor.locale, "forgot-sent")),
            None,
            String::new(),
        ),
        Err(err) if !err.is_internal() => password_page(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(err.to_string()),
        ),
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn reset_form(visitor: Visitor, Path(token): Path<String>) -> Response {
    password_page(&visitor, StatusCode::OK, Some(&token), None)
}

#[derive(Deserialize)]
pub struct ResetForm {
    password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    mut visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Response {
    let ctx = &state.ctx;
    let result = async {
        let login = users::reset_password(ctx, &token, &form.password).await?;
        users::logout(ctx, &login.refresh_token).await?;
        browser::open(ctx, login.user.id).await
    }
    .await;
    match result {
        Ok(session) => {
            visitor.start_session(&session, ctx.settings.auth.browser_session_days);
            message(
                &visitor,
                t(visitor.locale, "reset-title"),
                Some(t(visitor.locale, "reset-done")),
                None,
                String::new(),
            )
        }
        Err(err) if matches!(err, backend::Error::Invalid(_)) => password_page(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&token),
            Some(err.to_string()),
        ),
        Err(err) => error_page(visitor, &err),
    }
}
