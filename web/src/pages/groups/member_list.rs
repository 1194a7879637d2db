//! A group's members: the list for those who may see it, decisions on requests to join, and
//! invitations.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::groups::{self, members};
use backend::pagination::Page;
use entity::member::MemberRole;
use serde::Deserialize;

use super::find_actor;
use crate::pages::form::Form;
use crate::pages::i18n::t;
use crate::pages::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{handle}/members", get(members_page))
        .route("/{handle}/members/{id}", post(decide))
        .route("/{handle}/invite", post(invite))
}

pub struct MemberRow {
    id: i64,
    name: String,
    role: String,
    pending: bool,
    removable: bool,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    frame: Frame,
    handle: String,
    moderator: bool,
    rows: Vec<MemberRow>,
}

pub async fn members_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    if state.ctx.settings.federation.enabled
        && federation::negotiate::wants_activity_json(&headers)
        && let Some(name) = segment.strip_prefix('@')
    {
        let mut response = federation::members_json(&state.ctx, name)
            .await
            .unwrap_or_else(axum::response::IntoResponse::into_response);
        crate::pages::vary_on_accept(&mut response);
        return response;
    }
    let locale = visitor.locale;
    let result = async {
        let db = &state.ctx.db;
        let principal = visitor.principal();
        let group = find_actor(&state, &segment).await?;
        let list = groups::members(db, &principal, group.id, &[], None, Page::all()).await?;
        let role = groups::membership_of(db, &principal, group.id)
            .await?
            .map(|m| m.role);
        let actors = backend::actors::find_many(
            db,
            &list.elements.iter().map(|m| m.actor_id).collect::<Vec<_>>(),
        )
        .await?;
        let rows = list
            .elements
            .iter()
            .map(|m| MemberRow {
                id: m.id,
                name: actors
                    .get(&m.actor_id)
                    .map(|a| {
                        format!(
                            "{} (@{})",
                            backend::actors::display_name(a),
                            backend::actors::handle(a)
                        )
                    })
                    .unwrap_or_default(),
                role: t(
                    locale,
                    &format!("member-role-{}", sea_orm::ActiveEnum::to_value(&m.role)),
                ),
                pending: m.role == MemberRole::NotApproved,
                removable: m.role == MemberRole::Member,
            })
            .collect();
        Ok::<_, backend::Error>((group, role, rows))
    }
    .await;
    match result {
        Ok((group, role, rows)) => {
            let page = MembersPage {
                frame: Frame {
                    title: format!(
                        "{} · {}",
                        t(locale, "group-members"),
                        backend::actors::display_name(&group)
                    ),
                    visitor: visitor.clone(),
                    notice: None,
                },
                handle: backend::actors::handle(&group),
                moderator: role.is_some_and(MemberRole::is_moderator),
                rows,
            };
            render(&visitor, StatusCode::OK, &page)
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
}

pub async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((segment, id)): Path<(String, i64)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let ctx = &state.ctx;
    let principal = visitor.principal();
    let result = match form.decision.as_str() {
        "approve" => members::approve(ctx, &principal, id).await.map(|_| ()),
        "reject" => members::reject(ctx, &principal, id).await.map(|_| ()),
        "promote" => members::update_role(ctx, &principal, id, MemberRole::Moderator)
            .await
            .map(|_| ()),
        "remove" => members::remove(ctx, &principal, id).await.map(|_| ()),
        _ => Err(backend::Error::invalid("decision", "unknown decision")),
    };
    match result {
        Ok(()) => see_other(&visitor, &format!("/{segment}/members")),
        Err(err) => error_page(visitor, &err),
    }
}

#[derive(Deserialize)]
pub struct InviteForm {
    username: String,
}

pub async fn invite(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    Form(form): Form<InviteForm>,
) -> Response {
    let result = async {
        let group = find_actor(&state, &segment).await?;
        members::invite(&state.ctx, &visitor.principal(), group.id, &form.username).await
    }
    .await;
    match result {
        Ok(_) => see_other(&visitor, &format!("/{segment}/members")),
        Err(err) => error_page(visitor, &err),
    }
}
