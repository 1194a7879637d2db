//! `/admin`: what the instance holds and what waits for a moderator, each count linking to
//! where the work is done.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::super::i18n::{counts, t};
use super::super::{Frame, Visitor, render};
use super::{Nav, Section, administrator, refused};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin_dashboard.html")]
struct DashboardPage {
    frame: Frame,
    nav: Nav,
    /// "12 events here, 30 from other instances", and the same for people and groups.
    holdings: Vec<String>,
    /// What waits: (words, where to act, if the visitor may).
    waiting: Vec<(String, Option<&'static str>)>,
}

pub async fn show(State(state): State<AppState>, visitor: Visitor) -> Response {
    let locale = visitor.locale;
    let principal = visitor.principal();
    let seen = match backend::dashboard::dashboard(&state.ctx.db, &principal).await {
        Ok(seen) => seen,
        Err(err) => return refused(visitor, "/admin", &err),
    };
    let both = |key: &str, n: backend::dashboard::LocalAndRemote| {
        counts(locale, key, &[("local", n.local), ("remote", n.remote)])
    };
    let admin = administrator(&visitor);
    let page = DashboardPage {
        frame: Frame {
            title: t(locale, "admin-dashboard-title"),
            visitor: visitor.clone(),
            notice: None,
        },
        nav: Nav::new(locale, Section::Dashboard, admin),
        holdings: vec![
            both("admin-count-events", seen.events),
            both("admin-count-people", seen.people),
            both("admin-count-groups", seen.groups),
        ],
        waiting: vec![
            (
                counts(
                    locale,
                    "admin-open-reports",
                    &[("count", seen.open_reports)],
                ),
                Some("/admin/reports"),
            ),
            (
                counts(locale, "admin-dead-jobs", &[("count", seen.dead_jobs)]),
                admin.then_some("/admin/jobs"),
            ),
            (
                counts(
                    locale,
                    "admin-follows-waiting",
                    &[("count", seen.instance_follows_waiting)],
                ),
                admin.then_some("/admin/instances"),
            ),
            (
                counts(
                    locale,
                    "admin-suspended-profiles",
                    &[("count", seen.suspended_profiles)],
                ),
                None,
            ),
        ],
    };
    render(&visitor, StatusCode::OK, &page)
}
