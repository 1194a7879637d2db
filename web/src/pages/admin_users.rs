//! The accounts of the instance, for its moderators and administrators: `/admin/users` lists
//! and searches them by address (and, for registrations waiting for approval, approves them),
//! makes invitation links and, for administrators, sets who may register;
//! `/admin/users/{id}` shows one account and, through the same backend services as GraphQL,
//! changes its role, confirms it, disables or enables it, changes its address, or deletes it
//! after a confirmation page. Every rule is the backend's (`users::policy`).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::directory::{self, UserFilters};
use backend::pagination::Page;
use backend::users::administration::{self, AccountChanges};
use backend::users::registration::{self, RegistrationMode, RulesChanges};
use entity::user::{self, UserRole};
use serde::Deserialize;

use super::confirm::{self, Confirmation};
use super::form::{Button, Form};
use super::i18n::{t, with};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list))
        .route("/admin/users/invitations", post(invite))
        .route("/admin/users/registrations", post(save_rules))
        .route("/admin/users/{id}", get(show))
        .route("/admin/users/{id}/change", post(change))
        .route("/admin/users/{id}/approve", post(approve))
        .route(
            "/admin/users/{id}/delete",
            get(delete_question).post(delete),
        )
}

/// One line of the list.
struct Row {
    id: i64,
    email: String,
    role: String,
    /// "Confirmed", "Waiting for approval", "Disabled"…
    state: String,
}

fn role_label(visitor: &Visitor, role: UserRole) -> String {
    t(
        visitor.locale,
        &format!("admin-users-role-{}", administration::role_code(role)),
    )
}

fn state_label(visitor: &Visitor, account: &user::Model) -> String {
    let key = if account.disabled_at.is_some() {
        "admin-users-state-disabled"
    } else if account.awaiting_approval {
        "admin-users-state-waiting"
    } else if account.confirmed_at.is_none() {
        "admin-users-state-unconfirmed"
    } else {
        "admin-users-state-active"
    };
    t(visitor.locale, key)
}

/// Who may register, as the administrators' form shows it.
struct RulesView {
    mode: String,
    /// (value, label) of each mode.
    choices: Vec<(&'static str, String)>,
    /// One entry a line.
    allowlist: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct ListPage {
    frame: Frame,
    email: String,
    waiting: bool,
    rows: Vec<Row>,
    total: u64,
    previous: Option<String>,
    next: Option<String>,
    /// Shown once, after a moderator made one.
    invitation: Option<String>,
    /// For administrators: the mode in force, the choices, and the allowlist (one a line).
    rules: Option<RulesView>,
}

#[derive(Deserialize, Default)]
struct ListParams {
    #[serde(default)]
    email: String,
    #[serde(default)]
    waiting: String,
    page: Option<i64>,
    #[serde(default)]
    done: String,
}

/// Where a list of the same search, at another page, is.
fn list_link(email: &str, waiting: bool, page: u64) -> String {
    let mut link = format!("/admin/users?page={page}");
    if !email.is_empty() {
        link.push_str(&format!("&email={}", crate::pages::event::encode(email)));
    }
    if waiting {
        link.push_str("&waiting=on");
    }
    link
}

/// Sends the visitor who is not logged in to log in first.
fn log_in_first(visitor: &Visitor, back: &str) -> Option<Response> {
    visitor.session.is_none().then(|| {
        see_other(
            visitor,
            &format!("/login?next={}", crate::pages::event::encode(back)),
        )
    })
}

async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<ListParams>,
) -> Response {
    if let Some(away) = log_in_first(&visitor, "/admin/users") {
        return away;
    }
    list_page(&state, visitor, params, None).await
}

async fn list_page(
    state: &AppState,
    visitor: Visitor,
    params: ListParams,
    invitation: Option<String>,
) -> Response {
    let ctx = &state.ctx;
    let waiting = !params.waiting.is_empty();
    let result = async {
        let page = Page::new(params.page, Some(20))?;
        let filters = UserFilters {
            email: Some(params.email.clone()),
            awaiting_approval: waiting.then_some(true),
            ascending: false,
        };
        let found = directory::users(&ctx.db, &visitor.principal(), &filters, page).await?;
        let rules = if visitor.principal().is_instance_admin() {
            Some(registration::rules(ctx, &ctx.db).await?)
        } else {
            None
        };
        Ok::<_, backend::Error>((page, found, rules))
    }
    .await;
    let (page, found, rules) = match result {
        Ok(found) => found,
        Err(err) => return error_page(visitor, &err),
    };
    let rows = found
        .elements
        .iter()
        .map(|account| Row {
            id: account.id,
            email: account.email.clone(),
            role: role_label(&visitor, account.role),
            state: state_label(&visitor, account),
        })
        .collect();
    let locale = visitor.locale;
    let rules = rules.map(|rules| {
        let choices = RegistrationMode::ALL
            .iter()
            .map(|m| {
                (
                    m.code(),
                    t(locale, &format!("admin-users-mode-{}", m.code())),
                )
            })
            .collect();
        RulesView {
            mode: rules.mode.code().to_owned(),
            choices,
            allowlist: rules.allowlist.join("\n"),
        }
    });
    let notice = match params.done.as_str() {
        "rules" => Some(t(locale, "admin-users-rules-saved")),
        _ => None,
    };
    let shown_to = page.offset() + page.limit;
    let page_view = ListPage {
        frame: Frame {
            title: t(locale, "admin-users-title"),
            visitor: visitor.clone(),
            notice,
        },
        previous: (page.page > 1).then(|| list_link(&params.email, waiting, page.page - 1)),
        next: (shown_to < found.total).then(|| list_link(&params.email, waiting, page.page + 1)),
        email: params.email,
        waiting,
        rows,
        total: found.total,
        invitation,
        rules,
    };
    render(&visitor, StatusCode::OK, &page_view)
}

async fn invite(State(state): State<AppState>, visitor: Visitor, _: Form<Button>) -> Response {
    match registration::invite(&state.ctx, &visitor.principal()).await {
        Ok(made) => {
            let link = made.link(&state.ctx);
            list_page(&state, visitor, ListParams::default(), Some(link)).await
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
struct RulesForm {
    mode: String,
    #[serde(default)]
    allowlist: String,
}

async fn save_rules(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<RulesForm>,
) -> Response {
    let Some(mode) = RegistrationMode::parse(&form.mode) else {
        return error_page(visitor, &backend::Error::invalid("mode", "no such mode"));
    };
    let changes = RulesChanges {
        mode: Some(mode),
        allowlist: Some(form.allowlist.lines().map(str::to_owned).collect()),
    };
    match registration::save_rules(&state.ctx, &visitor.principal(), changes).await {
        Ok(_) => see_other(&visitor, "/admin/users?done=rules"),
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct AccountPage {
    frame: Frame,
    id: i64,
    email: String,
    role: String,
    roles: Vec<(&'static str, String)>,
    state: String,
    confirmed: bool,
    disabled: bool,
    waiting: bool,
    created: String,
    last_login: String,
    /// (name, profile address) of its identities.
    identities: Vec<(String, String)>,
    /// Whether the visitor may change the account (administrators, not their own).
    may_change: bool,
}

#[derive(Deserialize, Default)]
struct Done {
    #[serde(default)]
    done: String,
}

async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Response {
    if let Some(away) = log_in_first(&visitor, &format!("/admin/users/{id}")) {
        return away;
    }
    let ctx = &state.ctx;
    let found = async {
        let account = directory::user(&ctx.db, &visitor.principal(), id).await?;
        let identities = backend::actors::persons::of_user::identities(&ctx.db, id).await?;
        Ok::<_, backend::Error>((account, identities))
    }
    .await;
    let (account, identities) = match found {
        Ok(found) => found,
        Err(err) => return error_page(visitor, &err),
    };
    let locale = visitor.locale;
    let own = visitor.session.as_ref().is_some_and(|s| s.user.id == id);
    let notice = match done.done.as_str() {
        "saved" => Some(t(locale, "admin-users-saved")),
        "approved" => Some(t(locale, "admin-users-approved")),
        _ => None,
    };
    let page = AccountPage {
        frame: Frame {
            title: account.email.clone(),
            visitor: visitor.clone(),
            notice,
        },
        id,
        email: account.email.clone(),
        role: administration::role_code(account.role).to_owned(),
        roles: [UserRole::User, UserRole::Moderator, UserRole::Administrator]
            .into_iter()
            .map(|r| (administration::role_code(r), role_label(&visitor, r)))
            .collect(),
        state: state_label(&visitor, &account),
        confirmed: account.confirmed_at.is_some(),
        disabled: account.disabled_at.is_some(),
        waiting: account.awaiting_approval,
        created: super::admin::when(&visitor, account.created_at),
        last_login: account
            .last_login_at
            .map(|at| super::admin::when(&visitor, at))
            .unwrap_or_else(|| t(locale, "admin-users-never")),
        identities: identities
            .iter()
            .map(|a| {
                let name = backend::actors::display_name(a);
                (name, format!("/@{}", a.preferred_username))
            })
            .collect(),
        may_change: visitor.principal().is_instance_admin() && !own,
    };
    render(&visitor, StatusCode::OK, &page)
}

/// One of the account page's forms: which change, and its value.
#[derive(Deserialize)]
struct ChangeForm {
    /// `role`, `email`, `confirm`, `disable` or `enable`.
    what: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    notify: String,
}

async fn change(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Response {
    let mut changes = AccountChanges {
        notify: !form.notify.is_empty(),
        ..AccountChanges::default()
    };
    match form.what.as_str() {
        "role" => {
            changes.role = match form.value.as_str() {
                "user" => Some(UserRole::User),
                "moderator" => Some(UserRole::Moderator),
                "administrator" => Some(UserRole::Administrator),
                _ => return error_page(visitor, &backend::Error::invalid("role", "no such role")),
            }
        }
        "email" => changes.email = Some(form.value),
        "confirm" => changes.confirmed = Some(true),
        "disable" => changes.disabled = Some(true),
        "enable" => changes.disabled = Some(false),
        _ => return error_page(visitor, &backend::Error::invalid("what", "no such change")),
    }
    match administration::update(&state.ctx, &visitor.principal(), id, changes).await {
        Ok(_) => see_other(&visitor, &format!("/admin/users/{id}?done=saved")),
        Err(err) => error_page(visitor, &err),
    }
}

async fn approve(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    _: Form<Button>,
) -> Response {
    match administration::approve(&state.ctx, &visitor.principal(), id).await {
        Ok(_) => see_other(&visitor, &format!("/admin/users/{id}?done=approved")),
        Err(err) => error_page(visitor, &err),
    }
}

async fn delete_question(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
) -> Response {
    if let Some(away) = log_in_first(&visitor, &format!("/admin/users/{id}/delete")) {
        return away;
    }
    let account = match directory::user(&state.ctx.db, &visitor.principal(), id).await {
        Ok(account) => account,
        Err(err) => return error_page(visitor, &err),
    };
    let locale = visitor.locale;
    confirm::page(
        visitor,
        Confirmation {
            title: t(locale, "admin-users-delete"),
            question: with(
                locale,
                "admin-users-delete-question",
                "email",
                account.email,
            ),
            consequences: vec![
                t(locale, "admin-users-delete-identities"),
                t(locale, "admin-users-delete-address"),
            ],
            action: format!("/admin/users/{id}/delete"),
            confirm: t(locale, "admin-users-delete"),
            back: format!("/admin/users/{id}"),
            back_label: t(locale, "admin-users-keep"),
        },
    )
}

async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    _: Form<Button>,
) -> Response {
    match administration::delete(&state.ctx, &visitor.principal(), id).await {
        Ok(_) => see_other(&visitor, &format!("/admin/users/{id}?done=saved")),
        Err(err) => error_page(visitor, &err),
    }
}
