//! What admins see of the queue, and re-running dead jobs.

use chrono::{DateTime, Utc};
use entity::job::{self, JobState};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::context::AppContext;
use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    pub state: Option<JobState>,
    pub kind: Option<String>,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &JobFilter,
    page: u64,
    limit: u64,
) -> Result<(u64, Vec<job::Model>)> {
    let mut query = job::Entity::find();
    if let Some(state) = filter.state {
        query = query.filter(job::Column::State.eq(state));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(job::Column::Kind.eq(kind.as_str()));
    }
    let total = query.clone().count(conn).await?;
    let rows = query
        .order_by_desc(job::Column::UpdatedAt)
        .order_by_desc(job::Column::Id)
        .offset(page.saturating_sub(1) * limit)
        .limit(limit)
        .all(conn)
        .await?;
    Ok((total, rows))
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<job::Model> {
    job::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("job"))
}

/// Gives a dead job a fresh set of attempts, due now.
pub async fn retry_dead(
    conn: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<job::Model> {
    let existing = find(conn, id).await?;
    if existing.state != JobState::Dead {
        return Err(Error::rule("job_not_dead", "only dead jobs can be re-run"));
    }
    job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Pending))
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAt, Expr::value(now))
        .col_expr(
            job::Column::FinishedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::State.eq(JobState::Dead))
        .exec(conn)
        .await?;
    find(conn, id).await
}

/// Refuses anyone but administrators: a job's payload may hold addresses and messages.
fn require_queue_keeper(principal: &Principal) -> Result<()> {
    principal.require_admin("only administrators see and re-run jobs")
}

/// Dead jobs, the most recently failed first, for an administrator.
pub async fn dead(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    page: Page,
) -> Result<Paginated<job::Model>> {
    require_queue_keeper(principal)?;
    let filter = JobFilter {
        state: Some(JobState::Dead),
        kind: None,
    };
    let (total, elements) = list(conn, &filter, page.page, page.limit).await?;
    Ok(Paginated { total, elements })
}

/// An administrator re-runs a dead job (as `convive jobs retry` does for the instance); the
/// action log keeps who did, and which kind of job it was (its payload may hold addresses).
pub async fn retry(ctx: &AppContext, principal: &Principal, id: i64) -> Result<job::Model> {
    require_queue_keeper(principal)?;
    let now = ctx.now();
    let tx = crate::db::begin_write(ctx).await?;
    let job = retry_dead(&tx, id, now).await?;
    let moderator = crate::action_log::moderator_of(&tx, principal).await?;
    let object = crate::action_log::Object {
        kind: entity::action_log::ObjectKind::Job,
        id: job.id,
        label: job.kind.clone(),
    };
    let action = entity::action_log::ActionLogAction::JobRetry;
    crate::action_log::record(&tx, now, moderator, action, object, None).await?;
    tx.commit().await?;
    Ok(job)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub pending: u64,
    pub running: u64,
    pub done: u64,
    pub dead: u64,
    pub cancelled: u64,
}

#[derive(FromQueryResult)]
struct StateCount {
    state: JobState,
    count: i64,
}

pub async fn count_by_state(conn: &impl ConnectionTrait) -> Result<JobCounts> {
    let rows = job::Entity::find()
        .select_only()
        .column(job::Column::State)
        .column_as(job::Column::Id.count(), "count")
        .group_by(job::Column::State)
        .into_model::<StateCount>()
        .all(conn)
        .await?;
    let mut counts = JobCounts::default();
    for row in rows {
        let n = u64::try_from(row.count).unwrap_or(0);
        match row.state {
            JobState::Pending => counts.pending = n,
            JobState::Running => counts.running = n,
            JobState::Done => counts.done = n,
            JobState::Dead => counts.dead = n,
            JobState::Cancelled => counts.cancelled = n,
        }
    }
    Ok(counts)
}
