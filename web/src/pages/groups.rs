//! Public pages of groups and people (`/@name`), joining and following, members, creating and
//! editing a group.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::groups::policy::JoinOutcome;
use backend::groups::{self, follows, members};
use backend::pagination::Page;
use entity::actor::{self, ActorKind, Openness};
use entity::member::MemberRole;
use serde::Deserialize;

use super::form::{Button, Form};
use super::i18n::{count, t};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/groups/new", get(new_group_form).post(create_group))
        .route("/{handle}", get(show))
        .route("/{handle}/members", get(members_page))
        .route("/{handle}/edit", get(edit_group_form).post(update_group))
        .route("/{handle}/members/{id}", post(decide))
        .route("/{handle}/invite", post(invite))
        .route("/{handle}/join", post(join))
        .route("/{handle}/leave", post(leave))
        .route("/{handle}/follow", post(follow))
        .route("/{handle}/unfollow", post(unfollow))
}

pub struct ActorView {
    handle: String,
    name: String,
    summary: String,
    facts: Option<String>,
    is_group: bool,
    membership: Option<String>,
    can_join: bool,
    join_label: String,
    closed_note: Option<String>,
    can_leave: bool,
    following: bool,
    is_member: bool,
    can_organize: bool,
    can_edit: bool,
}

#[derive(Template)]
#[template(path = "actor.html")]
struct ActorPage {
    frame: Frame,
    a: ActorView,
    upcoming: Vec<(String, String, String)>,
    past: Vec<(String, String, String)>,
}

/// `/@name` as one path segment (axum captures whole segments only).
fn handle_of(segment: &str) -> backend::Result<&str> {
    segment
        .strip_prefix('@')
        .filter(|h| !h.is_empty())
        .ok_or(backend::Error::not_found("page"))
}

async fn find_actor(state: &AppState, segment: &str) -> backend::Result<actor::Model> {
    let handle = handle_of(segment)?;
    backend::actors::find_by_handle(&state.ctx.db, handle)
        .await?
        .filter(|a| !a.suspended && a.kind != ActorKind::Application)
        .ok_or(backend::Error::not_found("actor"))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    // The same address serves ActivityPub peers (JSON-LD) and people (HTML).
    if state.ctx.settings.federation.enabled
        && federation::negotiate::wants_activity_json(&headers)
        && let Some(name) = segment.strip_prefix('@')
    {
        let mut response = federation::actor_json(&state.ctx, name)
            .await
            .unwrap_or_else(axum::response::IntoResponse::into_response);
        super::vary_on_accept(&mut response);
        return response;
    }
    let mut response = match build(&state, &visitor, &segment).await {
        Ok(page) => render(&visitor, StatusCode::OK, &page),
        Err(err) => error_page(visitor, &err),
    };
    super::vary_on_accept(&mut response);
    response
}

async fn build(state: &AppState, visitor: &Visitor, segment: &str) -> backend::Result<ActorPage> {
    let db = &state.ctx.db;
    let locale = visitor.locale;
    let principal = visitor.principal();
    let actor = find_actor(state, segment).await?;
    let now = state.ctx.now();
    let cards = |list: Vec<entity::event::Model>| {
        list.iter()
            .map(|e| {
                (
                    format!("/events/{}", e.uuid),
                    e.title.clone(),
                    backend::events::notices::format_when(locale, e),
                )
            })
            .collect::<Vec<_>>()
    };
    let upcoming = backend::events::organized_by(
        db,
        &principal,
        &actor,
        Some(now),
        None,
        Page::new(Some(1), Some(20))?,
    )
    .await?;
    let past = backend::events::organized_by(
        db,
        &principal,
        &actor,
        None,
        Some(now),
        Page::new(Some(1), Some(10))?,
    )
    .await?;
    let mut view = ActorView {
        handle: backend::actors::handle(&actor),
        name: backend::actors::display_name(&actor),
        summary: actor.summary.clone().unwrap_or_default(),
        facts: None,
        is_group: actor.kind == ActorKind::Group,
        membership: None,
        can_join: false,
        join_label: String::new(),
        closed_note: None,
        can_leave: false,
        following: false,
        is_member: false,
        can_organize: false,
        can_edit: false,
    };
    if view.is_group {
        view.facts = Some(count(
            locale,
            "group-facts",
            groups::members_count(db, actor.id).await?,
        ));
        let membership = groups::membership_of(db, &principal, actor.id).await?;
        let role = membership.as_ref().map(|m| m.role);
        view.is_member = role.is_some_and(MemberRole::is_member);
        let offer = groups::policy::offer(role, actor.openness, visitor.session.is_some());
        view.can_organize = offer.organize;
        view.can_edit = offer.edit;
        view.can_leave = offer.leave;
        view.membership = role.and_then(|r| match r {
            MemberRole::NotApproved => Some(t(locale, "group-you-pending")),
            MemberRole::Invited => Some(t(locale, "group-you-invited")),
            r if r.is_member() => Some(t(locale, "group-you-member")),
            _ => None,
        });
        match offer.join {
            Some(JoinOutcome::Member) => {
                view.can_join = true;
                view.join_label = t(locale, "group-join");
            }
            Some(JoinOutcome::AwaitApproval) => {
                view.can_join = true;
                view.join_label = t(locale, "group-ask-join");
            }
            Some(JoinOutcome::Refused) => {
                view.closed_note = Some(t(locale, "group-invite-only"));
            }
            None => {}
        }
        if let Some(session) = &visitor.session {
            let me = backend::actors::persons::acting_as(db, &session.user, None).await?;
            view.following = follows::find_follow(db, me.id, actor.id).await?.is_some();
        }
    }
    Ok(ActorPage {
        frame: Frame {
            title: view.name.clone(),
            visitor: visitor.clone(),
            notice: None,
        },
        a: view,
        upcoming: cards(upcoming.elements),
        past: cards(past.elements),
    })
}

/// Joins a group as the person's default identity.
pub async fn join(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    _: Form<Button>,
) -> Response {
    let Some(user) = visitor.session.as_ref().map(|s| s.user.clone()) else {
        return see_other(&visitor, "/login");
    };
    let result = async {
        let (group, me) = parties(&state, &user, &segment).await?;
        members::join(&state.ctx, &me, group.id).await
    }
    .await;
    back_to_page(visitor, &segment, result)
}

/// Leaves a group, as the person's default identity.
pub async fn leave(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    _: Form<Button>,
) -> Response {
    let Some(user) = visitor.session.as_ref().map(|s| s.user.clone()) else {
        return see_other(&visitor, "/login");
    };
    let result = async {
        let (group, me) = parties(&state, &user, &segment).await?;
        members::leave(&state.ctx, &me, group.id).await
    }
    .await;
    back_to_page(visitor, &segment, result)
}

/// Follows a group or person, as the person's default identity.
pub async fn follow(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    _: Form<Button>,
) -> Response {
    let Some(user) = visitor.session.as_ref().map(|s| s.user.clone()) else {
        return see_other(&visitor, "/login");
    };
    let result = async {
        let (target, me) = parties(&state, &user, &segment).await?;
        let request = follows::FollowRequest {
            target_id: target.id,
            actor_id: Some(me.id),
            notify: true,
        };
        follows::follow(&state.ctx, &visitor.principal(), request).await
    }
    .await;
    back_to_page(visitor, &segment, result)
}

/// Stops following a group or person, as the person's default identity.
pub async fn unfollow(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    _: Form<Button>,
) -> Response {
    let Some(user) = visitor.session.as_ref().map(|s| s.user.clone()) else {
        return see_other(&visitor, "/login");
    };
    let result = async {
        let (target, me) = parties(&state, &user, &segment).await?;
        let request = follows::UnfollowRequest {
            target_id: target.id,
            actor_id: Some(me.id),
        };
        follows::unfollow(&state.ctx, &visitor.principal(), request)
            .await
            .and_then(follows::Unfollowed::into_follow)
    }
    .await;
    back_to_page(visitor, &segment, result)
}

/// The actor of the page and the identity the person acts as.
async fn parties(
    state: &AppState,
    user: &backend::users::CurrentUser,
    segment: &str,
) -> backend::Result<(actor::Model, actor::Model)> {
    let target = find_actor(state, segment).await?;
    let me = backend::actors::persons::acting_as(&state.ctx.db, user, None).await?;
    Ok((target, me))
}

/// Back to the actor's page once done, or what went wrong.
fn back_to_page<T>(visitor: Visitor, segment: &str, result: backend::Result<T>) -> Response {
    match result {
        Ok(_) => see_other(&visitor, &format!("/{segment}")),
        Err(err) => error_page(visitor, &err),
    }
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

fn role_key(role: MemberRole) -> &'static str {
    match role {
        MemberRole::Member => "member",
        MemberRole::Moderator => "moderator",
        MemberRole::Administrator => "administrator",
        MemberRole::Creator => "creator",
        MemberRole::NotApproved => "not_approved",
        MemberRole::Invited => "invited",
        MemberRole::Rejected => "rejected",
    }
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
        super::vary_on_accept(&mut response);
        return response;
    }
    let locale = visitor.locale;
    let result = async {
        let db = &state.ctx.db;
        let principal = visitor.principal();
        let group = find_actor(&state, &segment).await?;
        let list = groups::members(db, &principal, group.id, &[], Page::all()).await?;
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
                role: t(locale, &format!("member-role-{}", role_key(m.role))),
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
