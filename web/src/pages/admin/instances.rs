//! `/admin/instances`, for administrators: the other instances we know through their instance
//! actors (Mobilizon's relays) and how the follows between us stand both ways, with what this
//! instance stored from each; following one by its domain, stopping, answering one that asks
//! to follow ours; and the blocked domains, a page at a time, blocked (after a confirmation)
//! and unblocked in [`super::instance_blocks`]. Every action is the
//! backend's use case behind GraphQL's `addInstance`/`removeRelay`/`acceptRelay`/
//! `rejectRelay`/`blockDomain`/`unblockDomain` (`groups::follows`, `instances`,
//! `domain_blocks`), which decides who may; finding another instance's actor by its domain is
//! the federation's.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::groups::follows::{self, Unfollowed};
use backend::instances::{self, InstanceQuery};
use backend::pagination::Page;
use entity::follow::FollowStatus;
use serde::Deserialize;

use super::super::form::Form;
use super::super::form_problems::Problems;
use super::super::i18n::{count, t};
use super::super::{Frame, Visitor, render, see_other};
use super::{Nav, Section, refused, when};
use crate::state::AppState;

const PER_PAGE: i64 = 30;

/// One instance of the list.
struct Row {
    domain: String,
    name: Option<String>,
    /// Whether we follow it, in words.
    followed: String,
    /// Whether it follows us, in words.
    follower: String,
    /// "12 events, 30 people, 2 groups".
    holdings: String,
    /// Which buttons it gets.
    may_follow: bool,
    may_unfollow: bool,
    asks: bool,
    may_remove_follower: bool,
}

struct Blocked {
    domain: String,
    reason: Option<String>,
    when: String,
}

#[derive(Template)]
#[template(path = "admin_instances.html")]
struct InstancesPage {
    frame: Frame,
    nav: Nav,
    problems: Problems,
    problems_title: String,
    total: String,
    rows: Vec<Row>,
    previous: Option<String>,
    next: Option<String>,
    blocks: Vec<Blocked>,
    blocks_previous: Option<String>,
    blocks_next: Option<String>,
    /// What the follow and block forms held when refused.
    follow_domain: String,
    block_domain: String,
    block_reason: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    /// The page of the blocked instances.
    blocks: Option<i64>,
    #[serde(default)]
    done: String,
}

/// Which page of each list is shown.
#[derive(Clone, Copy, Default)]
pub(super) struct Pages {
    known: Option<i64>,
    blocks: Option<i64>,
}

fn status_words(locale: backend::i18n::Locale, status: FollowStatus) -> String {
    t(
        locale,
        match status {
            FollowStatus::Approved => "admin-instances-yes",
            FollowStatus::Pending => "admin-instances-pending",
            FollowStatus::None => "admin-instances-no",
        },
    )
}

/// What a form left typed, to show again beside its problems.
#[derive(Default)]
pub(super) struct Typed {
    pub follow_domain: String,
    pub block_domain: String,
    pub block_reason: String,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<ListQuery>,
) -> Response {
    let notice = match query.done.as_str() {
        "" => None,
        done => super::super::i18n::try_t(visitor.locale, &format!("admin-instances-done-{done}")),
    };
    let problems = Problems::of_form("instances");
    let pages = Pages {
        known: query.page,
        blocks: query.blocks,
    };
    list(&state, visitor, pages, notice, problems, Typed::default()).await
}

async fn list(
    state: &AppState,
    visitor: Visitor,
    pages: Pages,
    notice: Option<String>,
    problems: Problems,
    typed: Typed,
) -> Response {
    let locale = visitor.locale;
    let principal = visitor.principal();
    let db = &state.ctx.db;
    let found = async {
        let page = Page::new(pages.known, Some(PER_PAGE))?;
        let known = instances::known(db, &principal, &InstanceQuery::default(), page).await?;
        let blocks_page = Page::new(pages.blocks, Some(PER_PAGE))?;
        let blocks = backend::domain_blocks::page(db, &principal, blocks_page).await?;
        Ok::<_, backend::Error>((page, known, blocks_page, blocks))
    }
    .await;
    let (page, known, blocks_page, blocks) = match found {
        Ok(found) => found,
        Err(err) => return refused(visitor, "/admin/instances", &err),
    };
    let rows = known
        .elements
        .iter()
        .map(|(instance, stats)| Row {
            domain: instance.actor.domain.clone().unwrap_or_default(),
            name: instance.actor.name.clone(),
            followed: status_words(locale, instance.followed),
            follower: status_words(locale, instance.follower),
            holdings: super::super::i18n::counts(
                locale,
                "admin-instances-holdings",
                &[
                    ("events", stats.event_count),
                    ("people", stats.person_count),
                    ("groups", stats.group_count),
                ],
            ),
            may_follow: instance.followed == FollowStatus::None,
            may_unfollow: instance.followed != FollowStatus::None,
            asks: instance.follower == FollowStatus::Pending,
            may_remove_follower: instance.follower == FollowStatus::Approved,
        })
        .collect();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let link = |n: u64| format!("/admin/instances?page={n}");
    // The blocked instances' pages keep the instances' page as it is.
    let blocks_link = |n: u64| format!("/admin/instances?page={}&blocks={n}#blocks", page.page);
    let view = InstancesPage {
        frame: Frame {
            title: t(locale, "admin-instances-title"),
            visitor: visitor.clone(),
            notice,
        },
        nav: Nav::new(locale, Section::Instances, true),
        problems_title: problems.title(locale),
        problems: problems.sorted(&["follow_domain", "block_domain", "block_reason"]),
        total: count(locale, "admin-instances-total", known.total),
        rows,
        previous: (page.page > 1).then(|| link(page.page - 1)),
        next: (page.offset() + page.limit < known.total).then(|| link(page.page + 1)),
        blocks_previous: (blocks_page.page > 1).then(|| blocks_link(blocks_page.page - 1)),
        blocks_next: (blocks_page.offset() + blocks_page.limit < blocks.total)
            .then(|| blocks_link(blocks_page.page + 1)),
        blocks: blocks
            .elements
            .into_iter()
            .map(|b| Blocked {
                when: when(&visitor, b.created_at),
                domain: b.domain,
                reason: b.reason,
            })
            .collect(),
        follow_domain: typed.follow_domain,
        block_domain: typed.block_domain,
        block_reason: typed.block_reason,
    };
    render(&visitor, status, &view)
}

/// A refused form: its problems beside its fields, the rest of the page as it is; a refusal
/// of the visitor, as the administration answers it.
pub(super) async fn refused_form(
    state: &AppState,
    visitor: Visitor,
    err: backend::Error,
    field_of: impl Fn(&str) -> Option<&'static str>,
    typed: Typed,
) -> Response {
    match err {
        backend::Error::Invalid(_)
        | backend::Error::Rule { .. }
        | backend::Error::Conflict { .. } => {
            let mut problems = Problems::of_form("instances");
            problems.add_backend(visitor.locale, &err, field_of);
            list(state, visitor, Pages::default(), None, problems, typed).await
        }
        err => refused(visitor, "/admin/instances", &err),
    }
}

#[derive(Deserialize)]
pub struct DomainForm {
    #[serde(default)]
    domain: String,
}

/// Our instance follows the one at the domain typed (found through its NodeInfo or
/// `relay@domain`), or one already listed.
pub async fn follow(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<DomainForm>,
) -> Response {
    let principal = visitor.principal();
    let ctx = &state.ctx;
    let typed = || Typed {
        follow_domain: form.domain.clone(),
        ..Typed::default()
    };
    // Finding the other instance's actor asks it: not on behalf of just anyone.
    if let Err(err) = instances::check_manager(&principal) {
        return refused(visitor, "/admin/instances", &err);
    }
    let remote = match federation::resolve_instance(&state.federation, ctx, &form.domain).await {
        Ok(remote) => remote,
        Err(err) => {
            tracing::debug!(error = %err, "admin instances: no instance actor found");
            let err = backend::Error::invalid(
                "domain",
                "no Convive or Mobilizon instance answers at this domain",
            );
            let field = |_: &str| Some("follow_domain");
            return refused_form(&state, visitor, err, field, typed()).await;
        }
    };
    let followed = async {
        let request = instances::follow_request(&ctx.db, &remote).await?;
        follows::follow(ctx, &principal, request).await
    }
    .await;
    match followed {
        Ok(_) => see_other(&visitor, "/admin/instances?done=followed"),
        Err(err) => {
            let field = |_: &str| Some("follow_domain");
            refused_form(&state, visitor, err, field, typed()).await
        }
    }
}

/// Our instance stops following one (or withdraws its request).
pub async fn unfollow(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<DomainForm>,
) -> Response {
    let principal = visitor.principal();
    let ctx = &state.ctx;
    let done = async {
        let request = instances::unfollow_request(&ctx.db, &principal, &form.domain).await?;
        match follows::unfollow(ctx, &principal, request).await? {
            Unfollowed::Unfollowed(_) => Ok(()),
            Unfollowed::NotFollowing => Err(backend::Error::not_found("instance follow")),
        }
    }
    .await;
    match done {
        Ok(()) => see_other(&visitor, "/admin/instances?done=unfollowed"),
        Err(err) => refused(visitor, "/admin/instances", &err),
    }
}

/// An administrator answers an instance that asked to follow ours, or removes one that
/// follows it (refusing an accepted follow ends it).
async fn answer(state: &AppState, visitor: Visitor, domain: &str, accept: bool) -> Response {
    let principal = visitor.principal();
    let ctx = &state.ctx;
    let done = async {
        let request = instances::request_from(&ctx.db, &principal, domain).await?;
        follows::decide(ctx, &principal, request.id, accept).await
    }
    .await;
    match done {
        Ok(_) if accept => see_other(&visitor, "/admin/instances?done=accepted"),
        Ok(_) => see_other(&visitor, "/admin/instances?done=rejected"),
        Err(err) => refused(visitor, "/admin/instances", &err),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<DomainForm>,
) -> Response {
    answer(&state, visitor, &form.domain, true).await
}

pub async fn reject(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<DomainForm>,
) -> Response {
    answer(&state, visitor, &form.domain, false).await
}
