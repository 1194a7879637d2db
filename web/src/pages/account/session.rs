//! Having an account and a session: signing up and confirming it, logging in and out, a
//! forgotten password, and the language of the pages.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::actors::persons::{self, SignUpForm, SignUpOutcome, SignUpProblem};
use backend::i18n::Locale;
use backend::users::browser;
use backend::users::policy::Refusal;
use backend::users::registration::{self, RegistrationMode};
use backend::users::service::{self as users, NewAccount};
use serde::Deserialize;

use super::message;
use crate::client::RequestClient;
use crate::pages::form::{Button, Form};
use crate::pages::form_problems::Problems;
use crate::pages::i18n::t;
use crate::pages::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(log_in))
        .route("/logout", post(log_out))
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password-reset/{token}", get(reset_form).post(reset))
        .route("/register", get(register_form).post(register))
        .route("/validate/{token}", get(validate_form).post(validate))
        .route(
            "/validate/email/{token}",
            get(validate_email_form).post(validate_email),
        )
        .route("/language", post(set_language))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    frame: Frame,
    action: &'static str,
    register: bool,
    submit: String,
    problems: Problems,
    problems_title: String,
    next: String,
    /// "Sign up", keeping where to come back to.
    register_link: String,
    email: String,
    username: String,
    /// What the registration mode means for who signs up here.
    note: Option<String>,
    /// Whether the form is shown (not on the sign-up page when registrations are closed).
    form_open: bool,
    /// Signed moment the sign-up form was shown.
    ticket: String,
    /// The token of an invitation link, carried through the form.
    invitation: String,
    /// The administrators published terms: the sign-up form asks to accept them.
    terms_required: bool,
}

/// The sign-up page, leading back to `next` when it is somewhere.
fn register_link(next: &str) -> String {
    match safe_next(next).as_str() {
        "/" => "/register".to_owned(),
        next => format!("/register?next={}", crate::pages::event::encode(next)),
    }
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

/// The login form's fields, in their order.
const LOGIN_FIELDS: [&str; 2] = ["email", "password"];

/// The sign-up form's fields, in their order.
const SIGN_UP_FIELDS: [&str; 4] = ["username", "email", "password", "accept_terms"];

fn login_page(
    visitor: &Visitor,
    status: StatusCode,
    problems: Problems,
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
        problems_title: problems.title(locale),
        problems: problems.sorted(&LOGIN_FIELDS),
        register_link: register_link(&next),
        next,
        email,
        username: String::new(),
        note: None,
        form_open: true,
        ticket: String::new(),
        invitation: String::new(),
        terms_required: false,
    };
    render(visitor, status, &page)
}

pub async fn login_form(visitor: Visitor, Query(q): Query<NextParam>) -> Response {
    login_page(
        &visitor,
        StatusCode::OK,
        Problems::default(),
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
    let locale = visitor.locale;
    let mut missing = Problems::of_form("login");
    if form.email.trim().is_empty() {
        missing.add("email", t(locale, "form-error-login-email"));
    }
    if form.password.is_empty() {
        missing.add("password", t(locale, "form-error-login-password"));
    }
    if !missing.is_empty() {
        return login_page(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            missing,
            safe_next(&form.next),
            form.email,
        );
    }
    match browser::log_in(&state.ctx, &client, &form.email, &form.password).await {
        Ok(token) => {
            visitor.start_session(&token, state.ctx.settings.auth.browser_session_days);
            see_other(&visitor, &safe_next(&form.next))
        }
        Err(err) => {
            let key = match &err {
                backend::Error::UserNotConfirmed => "login-unconfirmed",
                backend::Error::InvalidCredentials => "login-failed",
                // Told in the visitor's words; the moderators' reason stays with them.
                backend::Error::Rule { code, .. } if *code == "account_suspended" => {
                    "login-suspended"
                }
                backend::Error::Internal(_) => return error_page(visitor, &err),
                _ if err.code() == "account_disabled" => "login-disabled",
                _ if err.code() == "registration_pending" => "login-pending",
                _ => "",
            };
            let text = if key.is_empty() {
                err.to_string()
            } else {
                t(locale, key)
            };
            let mut problems = Problems::of_form("login");
            let status = match err {
                backend::Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                backend::Error::InvalidCredentials => {
                    // Which of the two was wrong is not told: beside the password, the
                    // field typed last.
                    problems.add("password", text.clone());
                    StatusCode::UNAUTHORIZED
                }
                _ => StatusCode::UNAUTHORIZED,
            };
            if problems.is_empty() {
                problems.add("", text);
            }
            login_page(
                &visitor,
                status,
                problems,
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

/// What the sign-up page shows beside its fields.
struct SignUp {
    email: String,
    username: String,
    invitation: String,
}

async fn register_page(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    problems: Problems,
    next: String,
    form: SignUp,
) -> Response {
    let ctx = &state.ctx;
    let locale = visitor.locale;
    let rules = match registration::rules(ctx, &ctx.db).await {
        Ok(rules) => rules,
        Err(err) => return error_page(visitor.clone(), &err),
    };
    let terms_required = match backend::about::get(&ctx.db).await {
        Ok(about) => about.terms.is_published(),
        Err(err) => return error_page(visitor.clone(), &err),
    };
    let ticket = match registration::form_ticket(ctx) {
        Ok(ticket) => ticket,
        Err(err) => return error_page(visitor.clone(), &err),
    };
    let invited = !form.invitation.trim().is_empty();
    let note_key = match rules.mode {
        RegistrationMode::Closed => Some("register-mode-closed"),
        _ if invited => Some("register-mode-invited"),
        RegistrationMode::Open => None,
        RegistrationMode::Approval => Some("register-mode-approval"),
        RegistrationMode::Allowlist => Some("register-mode-allowlist"),
        RegistrationMode::Invitation => Some("register-mode-invitation"),
    };
    let page = LoginPage {
        frame: Frame {
            title: t(locale, "register-title"),
            visitor: visitor.clone(),
            notice: None,
        },
        action: "/register",
        register: true,
        submit: t(locale, "register-submit"),
        problems_title: problems.title(locale),
        problems: problems.sorted(&SIGN_UP_FIELDS),
        register_link: String::new(),
        next: safe_next(&next),
        email: form.email,
        username: form.username,
        note: note_key.map(|key| t(locale, key)),
        form_open: rules.mode != RegistrationMode::Closed,
        ticket,
        invitation: form.invitation,
        terms_required,
    };
    render(visitor, status, &page)
}

#[derive(Deserialize, Default)]
pub struct RegisterParams {
    #[serde(default)]
    next: String,
    #[serde(default)]
    invitation: String,
}

pub async fn register_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(q): Query<RegisterParams>,
) -> Response {
    let form = SignUp {
        email: String::new(),
        username: String::new(),
        invitation: q.invitation,
    };
    register_page(
        &state,
        &visitor,
        StatusCode::OK,
        Problems::default(),
        q.next,
        form,
    )
    .await
}

#[derive(Deserialize)]
pub struct RegisterForm {
    username: String,
    email: String,
    password: String,
    #[serde(default)]
    next: String,
    /// Filled by our script from the browser's settings; empty without script.
    #[serde(default)]
    timezone: String,
    /// When the form was shown (see `registration::check_form`).
    #[serde(default)]
    ticket: String,
    /// The field people never see: scripts fill it.
    #[serde(default)]
    website: String,
    #[serde(default)]
    accept_terms: String,
    #[serde(default)]
    invitation: String,
}

pub async fn register(
    State(state): State<AppState>,
    mut visitor: Visitor,
    RequestClient(client): RequestClient,
    Form(form): Form<RegisterForm>,
) -> Response {
    let ctx = &state.ctx;
    let locale = visitor.locale;
    let result = persons::sign_up(
        ctx,
        &client,
        SignUpForm {
            username: form.username.clone(),
            account: NewAccount {
                email: form.email.clone(),
                password: form.password.clone(),
                locale: Some(locale.code().to_owned()),
                timezone: Some(form.timezone.clone()).filter(|tz| !tz.trim().is_empty()),
                invitation: Some(form.invitation.clone()).filter(|i| !i.trim().is_empty()),
            },
            accepted_terms: !form.accept_terms.is_empty(),
            ticket: form.ticket.clone(),
            honeypot: form.website.clone(),
        },
    )
    .await;
    let problems = match result {
        Ok(SignUpOutcome::Registered(identity)) => {
            let next = safe_next(&form.next);
            if next != "/" {
                visitor.remember_next(&next);
            }
            let awaiting =
                match backend::users::service::find(&ctx.db, identity.user_id.unwrap_or_default())
                    .await
                {
                    Ok(account) => account.awaiting_approval,
                    Err(err) => return error_page(visitor, &err),
                };
            let mut text = t(locale, "register-sent");
            if awaiting {
                text = format!("{text} {}", t(locale, "register-sent-approval"));
            }
            return message(
                &visitor,
                t(locale, "register-title"),
                Some(text),
                None,
                String::new(),
            );
        }
        Ok(SignUpOutcome::Refused(refusals)) => {
            let mut problems = Problems::of_form("signup");
            for refusal in refusals {
                let (field, key) = sign_up_problem(refusal);
                problems.add(field, t(locale, key));
            }
            problems
        }
        // Taken by someone else in the meantime, or too many sign-ups from here.
        Err(err) if !err.is_internal() => {
            let mut problems = Problems::of_form("signup");
            problems.add_backend(locale, &err, |api| match api {
                "username" | "preferredUsername" => Some("username"),
                "email" => Some("email"),
                "password" => Some("password"),
                _ => None,
            });
            problems
        }
        Err(err) => return error_page(visitor, &err),
    };
    let form_again = SignUp {
        email: form.email,
        username: form.username,
        invitation: form.invitation,
    };
    register_page(
        &state,
        &visitor,
        StatusCode::UNPROCESSABLE_ENTITY,
        problems,
        form.next,
        form_again,
    )
    .await
}

/// Where the sign-up form tells a problem (a field's id, or above the form) and its words.
fn sign_up_problem(problem: SignUpProblem) -> (&'static str, &'static str) {
    match problem {
        SignUpProblem::FormRefused => ("", "register-refused"),
        SignUpProblem::NotAdmitted(Refusal::Closed) => ("", "register-mode-closed"),
        SignUpProblem::NotAdmitted(Refusal::NotOnAllowlist) => ("email", "register-not-allowed"),
        SignUpProblem::NotAdmitted(Refusal::InvitationNeeded) => ("", "register-mode-invitation"),
        SignUpProblem::NotAdmitted(Refusal::InvitationInvalid) => {
            ("", "register-invitation-invalid")
        }
        SignUpProblem::TermsNotAccepted => ("accept_terms", "form-error-accept_terms"),
        SignUpProblem::UsernameInvalid => ("username", "form-error-signup-username"),
        SignUpProblem::UsernameTaken => ("username", "form-taken-signup-username"),
        SignUpProblem::EmailInvalid => ("email", "form-error-signup-email"),
        SignUpProblem::EmailTaken => ("email", "form-taken-signup-email"),
        SignUpProblem::PasswordInvalid => ("password", "form-error-signup-password"),
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
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
    _: Form<Button>,
) -> Response {
    let ctx = &state.ctx;
    let result = async {
        let login = users::validate(ctx, &token).await?;
        // The API session opened by validation is not needed in a browser.
        users::logout(ctx, &login.refresh_token).await?;
        let locale = backend::users::user_locale(ctx, &login.user);
        Ok::<_, backend::Error>((browser::open(ctx, login.user.id).await?, locale))
    }
    .await;
    match result {
        Ok((session, locale)) => {
            visitor.start_session(&session, ctx.settings.auth.browser_session_days);
            visitor.locale = locale;
            // Back to the event they signed up from, when they did.
            let next = visitor.take_next(&headers).map(|n| safe_next(&n));
            let link = match next.filter(|n| n != "/") {
                Some(next) => (next, t(locale, "validate-continue")),
                None => ("/".to_owned(), t(locale, "error-back-home")),
            };
            super::message_with_link(
                &visitor,
                t(locale, "validate-title"),
                Some(t(locale, "validate-done")),
                link,
            )
        }
        Err(err) => error_page(visitor, &err),
    }
}

/// The link mailed to a new address (`changeEmail`) shows a button, as the confirmation's.
pub async fn validate_email_form(visitor: Visitor, Path(token): Path<String>) -> Response {
    let locale = visitor.locale;
    message(
        &visitor,
        t(locale, "validate-email-title"),
        Some(t(locale, "validate-email-intro")),
        Some(format!("/validate/email/{token}")),
        t(locale, "validate-email-submit"),
    )
}

pub async fn validate_email(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    _: Form<Button>,
) -> Response {
    match backend::users::email_change::confirm(&state.ctx, &token).await {
        Ok(_) => {
            let locale = visitor.locale;
            message(
                &visitor,
                t(locale, "validate-email-title"),
                Some(t(locale, "validate-email-done")),
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
