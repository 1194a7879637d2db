//! The administration on the web (`/admin`), for the instance's moderators and administrators:
//! a dashboard, reports, profiles (suspend, unsuspend), the action log, and for
//! administrators the instance's settings, other instances and dead jobs. Every page
//! asks the backend, whose services decide who may see and do what (the same functions the
//! GraphQL API calls); here a refusal only becomes a page: anonymous visitors are sent to log
//! in and come back, others get 403 with the reason.
//! Accounts are administered at `/admin/users`, which another module owns; the navigation
//! links to it.

mod dashboard;
mod instance_blocks;
mod instances;
mod jobs;
mod log;
mod profiles;
mod reports;
mod settings;

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use backend::i18n::Locale;
use entity::actor;

use super::{Visitor, error_page, see_other};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard::show))
        .route("/admin/reports", get(reports::list))
        .route("/admin/reports/{id}", get(reports::show))
        .route("/admin/reports/{id}/status", post(reports::set_status))
        .route("/admin/reports/{id}/notes", post(reports::add_note))
        .route(
            "/admin/reports/{id}/notes/{note}/delete",
            post(reports::delete_note),
        )
        .route("/admin/profiles/{handle}", get(profiles::show))
        .route(
            "/admin/profiles/{handle}/suspend",
            get(profiles::suspend_confirm).post(profiles::suspend),
        )
        .route(
            "/admin/profiles/{handle}/unsuspend",
            post(profiles::unsuspend),
        )
        .route("/admin/log", get(log::show))
        .route("/admin/settings", get(settings::show).post(settings::save))
        .route("/admin/instances", get(instances::show))
        .route("/admin/instances/follow", post(instances::follow))
        .route("/admin/instances/unfollow", post(instances::unfollow))
        .route("/admin/instances/accept", post(instances::accept))
        .route("/admin/instances/reject", post(instances::reject))
        .route(
            "/admin/instances/block",
            get(instance_blocks::confirm).post(instance_blocks::block),
        )
        .route("/admin/instances/unblock", post(instance_blocks::unblock))
        .route("/admin/jobs", get(jobs::show))
        .route("/admin/jobs/{id}/retry", post(jobs::retry))
}

/// Which page of the administration is shown, for its navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Reports,
    Log,
    Settings,
    Instances,
    Jobs,
}

/// The administration's navigation: its pages, the current one marked.
pub struct Nav {
    pub links: Vec<(&'static str, String, bool)>,
}

impl Nav {
    pub fn new(locale: Locale, current: Section, administrator: bool) -> Self {
        let t = |key: &str| super::i18n::t(locale, key);
        let mut links = vec![
            (
                "/admin",
                t("admin-nav-dashboard"),
                current == Section::Dashboard,
            ),
            (
                "/admin/reports",
                t("admin-nav-reports"),
                current == Section::Reports,
            ),
            ("/admin/log", t("admin-nav-log"), current == Section::Log),
            ("/admin/users", t("admin-nav-users"), false),
        ];
        if administrator {
            links.push((
                "/admin/settings",
                t("admin-nav-settings"),
                current == Section::Settings,
            ));
            links.push((
                "/admin/instances",
                t("admin-nav-instances"),
                current == Section::Instances,
            ));
            links.push(("/admin/jobs", t("admin-nav-jobs"), current == Section::Jobs));
        }
        Self { links }
    }
}

/// Whether the visitor is an administrator (which links to show; the backend decides).
fn administrator(visitor: &Visitor) -> bool {
    visitor.session.as_ref().is_some_and(|s| s.user.is_admin())
}

/// A refusal or failure of the backend as the administration answers it.
fn refused(visitor: Visitor, path: &str, err: &backend::Error) -> Response {
    match err {
        backend::Error::Unauthenticated => see_other(&visitor, &format!("/login?next={path}")),
        _ => error_page(visitor, err),
    }
}

/// A person or group as the administration lists it: name, handle, where its pages are.
pub struct ProfileLink {
    pub name: String,
    pub handle: String,
    /// `/admin/profiles/{handle}`.
    pub admin: String,
    /// Its public page, while it is shown.
    pub public: Option<String>,
    pub suspended: bool,
}

impl ProfileLink {
    pub fn of(actor: &actor::Model) -> Self {
        let handle = backend::actors::handle(actor);
        Self {
            name: backend::actors::display_name(actor),
            admin: format!("/admin/profiles/{handle}"),
            public: (!actor.suspended).then(|| format!("/@{handle}")),
            suspended: actor.suspended,
            handle,
        }
    }
}

/// A time as moderators read it, in their language and in the instance's default zone as
/// the administrators set it (read with the visitor, not the file's).
pub(super) fn when(visitor: &Visitor, at: chrono::DateTime<chrono::Utc>) -> String {
    let tz = visitor.instance.default_timezone;
    visitor.locale.format_datetime(&at.with_timezone(&tz))
}
