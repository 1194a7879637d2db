//! `/admin/jobs`: the jobs that used their last attempt (mail not sent, activities not
//! delivered), with their last error and a button that runs one again. Administrators only
//! (`backend::jobs::dead` and `retry` say so): a job's payload may hold addresses.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use backend::pagination::Page;
use serde::Deserialize;

use super::super::form::{Button, Form};
use super::super::i18n::{count, t};
use super::super::{Frame, Visitor, render, see_other};
use super::{Nav, Section, refused, when};
use crate::state::AppState;

const PER_PAGE: i64 = 30;
/// Characters of a last error shown (they can be long: a peer's whole answer).
const ERROR_CHARS: usize = 300;

#[derive(Deserialize)]
pub struct JobsQuery {
    page: Option<i64>,
    #[serde(default)]
    done: String,
}

struct DeadJob {
    id: i64,
    kind: String,
    attempts: i32,
    when: String,
    error: String,
}

#[derive(Template)]
#[template(path = "admin_jobs.html")]
struct JobsPage {
    frame: Frame,
    nav: Nav,
    total: String,
    jobs: Vec<DeadJob>,
    previous: Option<String>,
    next: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<JobsQuery>,
) -> Response {
    let locale = visitor.locale;
    let principal = visitor.principal();
    let result = async {
        let page = Page::new(query.page, Some(PER_PAGE))?;
        let dead = backend::jobs::dead(&state.ctx.db, &principal, page).await?;
        Ok::<_, backend::Error>((page, dead))
    }
    .await;
    let (page, dead) = match result {
        Ok(found) => found,
        Err(err) => return refused(visitor, "/admin/jobs", &err),
    };
    let link = |n: u64| format!("/admin/jobs?page={n}");
    let view = JobsPage {
        frame: Frame {
            title: t(locale, "admin-jobs-title"),
            visitor: visitor.clone(),
            notice: (query.done == "retried").then(|| t(locale, "admin-notice-retried")),
        },
        nav: Nav::new(locale, Section::Jobs, true),
        total: count(locale, "admin-dead-jobs", dead.total),
        jobs: dead
            .elements
            .iter()
            .map(|job| DeadJob {
                id: job.id,
                kind: job.kind.clone(),
                attempts: job.attempts,
                when: when(&visitor, job.finished_at.unwrap_or(job.updated_at)),
                error: job
                    .last_error
                    .as_deref()
                    .unwrap_or_default()
                    .chars()
                    .take(ERROR_CHARS)
                    .collect(),
            })
            .collect(),
        previous: (page.page > 1).then(|| link(page.page - 1)),
        next: (page.offset() + page.limit < dead.total).then(|| link(page.page + 1)),
    };
    render(&visitor, StatusCode::OK, &view)
}

pub async fn retry(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    _: Form<Button>,
) -> Response {
    let principal = visitor.principal();
    match backend::jobs::retry(&state.ctx, &principal, id).await {
        Ok(_) => see_other(&visitor, "/admin/jobs?done=retried"),
        Err(err) => refused(visitor, "/admin/jobs", &err),
    }
}
