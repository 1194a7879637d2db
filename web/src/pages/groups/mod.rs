//! Public pages of groups and people (`/@name`), joining and following; a group's members
//! (`member_list`) and creating or editing a group (`profile`).

mod events;
mod member_list;
mod profile;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use backend::groups::policy::JoinOutcome;
use backend::groups::{self, followers, follows, members};
use backend::pagination::Page;
use entity::actor::{self, ActorKind};
use entity::member::MemberRole;

use super::form::{Button, Form};
use super::i18n::{count, t};
use super::pictures::{Picture, SharedImage, Shown};
use super::{Frame, Visitor, error_page, render, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(member_list::routes())
        .merge(profile::routes())
        .merge(events::routes())
        .route("/{handle}", get(show))
        .route("/{handle}/join", post(join))
        .route("/{handle}/leave", get(leave_confirm).post(leave))
        .route("/{handle}/follow", post(follow))
        .route("/{handle}/unfollow", post(unfollow))
}

pub struct ActorView {
    /// The group's id, for "New event" to preselect it.
    id: i64,
    handle: String,
    name: String,
    /// As text, for the page's description in its `<meta>`.
    summary: String,
    /// As safe HTML, for the page (see `backend::actors::summary`).
    summary_html: String,
    facts: Option<String>,
    is_group: bool,
    membership: Option<String>,
    can_join: bool,
    join_label: String,
    closed_note: Option<String>,
    can_leave: bool,
    /// Why leaving is not offered to a member (the only administrator).
    leave_note: Option<String>,
    following: bool,
    is_member: bool,
    can_organize: bool,
    can_edit: bool,
    avatar: Option<Picture>,
    banner: Option<Picture>,
    /// Absolute, for shared links' previews.
    url: String,
    shared_image: Option<SharedImage>,
}

#[derive(Template)]
#[template(path = "actor.html")]
struct ActorPage {
    frame: Frame,
    a: ActorView,
    upcoming: Vec<(String, String, String, Option<Picture>)>,
    past: Vec<(String, String, String, Option<Picture>)>,
    /// The group's latest posts the visitor may see.
    posts: Vec<super::posts::PostCard>,
    /// The visitor may write a post for the group.
    can_post: bool,
}

/// `/@name` as one path segment (axum captures whole segments only).
fn handle_of(segment: &str) -> backend::Result<&str> {
    segment
        .strip_prefix('@')
        .filter(|h| !h.is_empty())
        .ok_or(backend::Error::not_found("page"))
}

pub(super) async fn find_actor(state: &AppState, segment: &str) -> backend::Result<actor::Model> {
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
    let summary_html = backend::actors::summary::to_html(actor.summary.as_deref().unwrap_or(""));
    let picture_ids: Vec<i64> = [actor.avatar_media_id, actor.banner_media_id]
        .into_iter()
        .chain(
            upcoming
                .elements
                .iter()
                .chain(&past.elements)
                .map(|e| e.picture_media_id),
        )
        .flatten()
        .collect();
    let pictures = backend::media::find_many(db, &picture_ids).await?;
    // A link to a group shows its banner, else its avatar.
    let shared_image = [actor.banner_media_id, actor.avatar_media_id]
        .into_iter()
        .flatten()
        .find_map(|id| pictures.get(&id))
        .and_then(|m| SharedImage::of(&state.ctx, m));
    // Cards of its events, the picture only decorating the title beside it.
    let cards = |list: Vec<entity::event::Model>| {
        list.iter()
            .map(|e| {
                (
                    format!("/events/{}", e.uuid),
                    e.title.clone(),
                    backend::events::notices::format_when(locale, e),
                    Picture::of_id(&pictures, e.picture_media_id, Shown::Card, false),
                )
            })
            .collect::<Vec<_>>()
    };
    let mut view = ActorView {
        id: actor.id,
        handle: backend::actors::handle(&actor),
        name: backend::actors::display_name(&actor),
        summary: backend::events::sanitize::plain_text(&summary_html)
            .trim()
            .to_owned(),
        summary_html,
        facts: None,
        is_group: actor.kind == ActorKind::Group,
        membership: None,
        can_join: false,
        join_label: String::new(),
        closed_note: None,
        can_leave: false,
        leave_note: None,
        following: false,
        is_member: false,
        can_organize: false,
        can_edit: false,
        // The name is written beside the avatar; the banner says what it shows.
        avatar: Picture::of_id(&pictures, actor.avatar_media_id, Shown::Avatar, false),
        banner: Picture::of_id(&pictures, actor.banner_media_id, Shown::Banner, true),
        url: state
            .ctx
            .url(&format!("/@{}", backend::actors::handle(&actor))),
        shared_image,
    };
    let mut posts = Vec::new();
    let mut can_post = false;
    if view.is_group {
        let latest =
            backend::posts::of_group(db, &principal, actor.id, Page::new(Some(1), Some(5))?)
                .await?;
        posts = latest
            .elements
            .iter()
            .map(|p| super::posts::PostCard::of(locale, p))
            .collect();
        view.facts = Some(count(
            locale,
            "group-facts",
            groups::members_count(db, actor.id).await?,
        ));
        let membership = groups::membership_of(db, &principal, actor.id).await?;
        let role = membership.as_ref().map(|m| m.role);
        view.is_member = role.is_some_and(MemberRole::is_member);
        can_post = actor.is_local() && super::posts::may_write(role);
        let offer = groups::policy::offer(role, actor.openness, visitor.session.is_some());
        view.can_organize = offer.organize;
        view.can_edit = offer.edit;
        let may_leave = match &membership {
            Some(member) if offer.leave => members::may_leave(db, member).await?,
            _ => false,
        };
        view.can_leave = may_leave;
        if offer.leave && !may_leave {
            view.leave_note = Some(t(locale, "group-only-administrator"));
        }
        view.membership = role.and_then(|r| match r {
            MemberRole::NotApproved => Some(t(locale, "group-you-pending")),
            MemberRole::Invited => Some(t(locale, "group-you-invited")),
            MemberRole::Creator | MemberRole::Administrator => {
                Some(t(locale, "group-you-administrator"))
            }
            MemberRole::Moderator => Some(t(locale, "group-you-moderator")),
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
            view.following = followers::find_follow(db, me.id, actor.id).await?.is_some();
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
        posts,
        can_post,
    })
}

/// Joins a group as the person's default identity.
pub async fn join(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    _: Form<Button>,
) -> Response {
    act(
        &state,
        visitor,
        segment,
        async |ctx, principal, group, me| {
            let membership = members::MembershipRequest {
                group_id: group.id,
                actor_id: Some(me.id),
            };
            members::join(ctx, principal, membership)
                .await
                .and_then(members::JoinedGroup::into_member)
        },
    )
    .await
}

/// Leaves a group, as the person's default identity.
pub async fn leave(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    _: Form<Button>,
) -> Response {
    act(
        &state,
        visitor,
        segment,
        async |ctx, principal, group, me| {
            let membership = members::MembershipRequest {
                group_id: group.id,
                actor_id: Some(me.id),
            };
            members::leave(ctx, principal, membership)
                .await
                .and_then(members::LeftGroup::into_member)
        },
    )
    .await
}

/// "Leave «Group»?", offered only when leaving can succeed.
pub async fn leave_confirm(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
) -> Response {
    let locale = visitor.locale;
    let Some(handle) = segment.strip_prefix('@') else {
        return super::error_page(visitor, &backend::Error::not_found("page"));
    };
    let group = match find_actor(&state, &segment).await {
        Ok(group) => group,
        Err(err) => return error_page(visitor, &err),
    };
    super::confirm::page(
        visitor,
        super::confirm::Confirmation {
            title: t(locale, "group-leave"),
            question: super::i18n::with(
                locale,
                "confirm-leave-group-question",
                "name",
                backend::actors::display_name(&group),
            ),
            consequences: vec![t(locale, "confirm-leave-group-after")],
            action: format!("/@{handle}/leave"),
            confirm: t(locale, "confirm-leave-group-button"),
            back: format!("/@{handle}"),
            back_label: t(locale, "confirm-back"),
        },
    )
}

/// Follows a group or person, as the person's default identity.
pub async fn follow(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    _: Form<Button>,
) -> Response {
    act(
        &state,
        visitor,
        segment,
        async |ctx, principal, target, me| {
            let request = follows::FollowRequest {
                target_id: target.id,
                actor_id: Some(me.id),
                notify: true,
            };
            follows::follow(ctx, principal, request).await
        },
    )
    .await
}

/// Stops following a group or person, as the person's default identity.
pub async fn unfollow(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    _: Form<Button>,
) -> Response {
    act(
        &state,
        visitor,
        segment,
        async |ctx, principal, target, me| {
            let request = follows::UnfollowRequest {
                target_id: target.id,
                actor_id: Some(me.id),
            };
            follows::unfollow(ctx, principal, request)
                .await
                .and_then(follows::Unfollowed::into_follow)
        },
    )
    .await
}

/// What the four buttons of an actor's page share: a login, the actor of the page and the
/// identity the person acts as, then back to the page or what went wrong.
async fn act<T>(
    state: &AppState,
    visitor: Visitor,
    segment: String,
    action: impl AsyncFnOnce(
        &backend::AppContext,
        &backend::principal::Principal,
        actor::Model,
        actor::Model,
    ) -> backend::Result<T>,
) -> Response {
    let Some(user) = visitor.session.as_ref().map(|s| s.user.clone()) else {
        return see_other(&visitor, "/login");
    };
    let principal = visitor.principal();
    let result = match parties(state, &user, &segment).await {
        Ok((target, me)) => action(&state.ctx, &principal, target, me).await,
        Err(err) => Err(err),
    };
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
