use chrono::{DateTime, Utc};
use entity::job::{self, JobState};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    Select, Set, UpdateMany,
};
use serde::Serialize;

use crate::error::{Error, Result};

/// What to do when a pending job with the same unique key exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDuplicate {
    /// Leave the existing job as it is (debounce: the first one wins).
    Keep,
    /// Replace its payload and due time (re-planning: the last one wins).
    Replace,
}

/// A job to write, built by the service that causes it.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub run_at: Option<DateTime<Utc>>,
    pub max_attempts: i32,
    pub unique_key: Option<(String, OnDuplicate)>,
}

pub const DEFAULT_MAX_ATTEMPTS: i32 = 8;

impl NewJob {
    pub fn new(kind: impl Into<String>, payload: &impl Serialize) -> Result<Self> {
        Ok(Self {
            kind: kind.into(),
            payload: serde_json::to_value(payload).map_err(Error::internal)?,
            run_at: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            unique_key: None,
        })
    }

    /// Due at `at` instead of at once.
    pub fn run_at(mut self, at: DateTime<Utc>) -> Self {
        self.run_at = Some(at);
        self
    }

    pub fn max_attempts(mut self, attempts: i32) -> Self {
        self.max_attempts = std::cmp::max(attempts, 1);
        self
    }

    pub fn unique(mut self, key: impl Into<String>, on_duplicate: OnDuplicate) -> Self {
        self.unique_key = Some((key.into(), on_duplicate));
        self
    }
}

/// Writes `job` with `conn`, which should be the transaction of the change that causes it.
/// Returns the id of the job (the existing one when deduplicated).
pub async fn enqueue(conn: &impl ConnectionTrait, now: DateTime<Utc>, job: NewJob) -> Result<i64> {
    let run_at = job.run_at.unwrap_or(now);
    let (unique_key, on_duplicate) = match job.unique_key {
        Some((key, policy)) => (Some(key), Some(policy)),
        None => (None, None),
    };
    let row = job::ActiveModel {
        id: NotSet,
        kind: Set(job.kind),
        payload: Set(job.payload),
        state: Set(JobState::Pending),
        run_at: Set(run_at),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        unique_key: Set(unique_key.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
    };

    let Some(key) = unique_key else {
        let inserted = job::Entity::insert(row).exec(conn).await?;
        return Ok(inserted.last_insert_id);
    };

    // The conflict target names the partial unique index on pending jobs.
    let mut conflict = OnConflict::column(job::Column::UniqueKey);
    // Literal, not bound: SQLite matches the predicate against the index's text.
    conflict.target_and_where(Expr::cust("state = 'pending' AND unique_key IS NOT NULL"));
    match on_duplicate {
        Some(OnDuplicate::Replace) => {
            conflict.update_columns([
                job::Column::Kind,
                job::Column::Payload,
                job::Column::RunAt,
                job::Column::MaxAttempts,
                job::Column::UpdatedAt,
            ]);
        }
        _ => {
            conflict.do_nothing();
        }
    }
    job::Entity::insert(row)
        .on_conflict(conflict)
        .exec_without_returning(conn)
        .await?;
    find_pending(conn, &key)
        .await?
        .map(|existing| existing.id)
        .ok_or_else(|| Error::internal(format!("job with key {key} not found after enqueue")))
}

/// The pending job with `unique_key`, if any.
pub async fn find_pending(
    conn: &impl ConnectionTrait,
    unique_key: &str,
) -> Result<Option<job::Model>> {
    Ok(pending_with_key(unique_key).one(conn).await?)
}

/// Pending jobs are found through the partial unique index on their keys, whose condition is
/// `state = 'pending'`. The state is written literally: a bound state leaves the condition
/// unproven when PostgreSQL plans a prepared statement once for any values (which it does
/// after five runs), and it then reads every pending job; the queue holds one per reminder
/// to send.
const PENDING: &str = "state = 'pending'";

pub(crate) fn pending_with_key(unique_key: &str) -> Select<job::Entity> {
    job::Entity::find()
        .filter(Expr::cust(PENDING))
        .filter(job::Column::UniqueKey.eq(unique_key))
        .order_by_desc(job::Column::Id)
}

/// Withdraws the pending jobs whose unique key starts with `key_prefix` (a reminder when its
/// event is cancelled, deliveries to a blocked domain). Returns how many were withdrawn.
pub async fn cancel_pending(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    key_prefix: &str,
) -> Result<u64> {
    let result = cancel_pending_with_prefix(now, key_prefix)
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

pub(crate) fn cancel_pending_with_prefix(
    now: DateTime<Utc>,
    key_prefix: &str,
) -> UpdateMany<job::Entity> {
    let update = job::Entity::update_many()
        .col_expr(job::Column::State, Expr::value(JobState::Cancelled))
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(Expr::cust(PENDING));
    // Keys are compared byte by byte (PostgreSQL's column is collated "C", SQLite's is
    // binary), so the keys starting with a prefix are exactly those between it and its
    // successor: a range the index reads, where a bound `LIKE` pattern reads every key.
    match prefix_successor(key_prefix) {
        Some(end) => update
            .filter(job::Column::UniqueKey.gte(key_prefix))
            .filter(job::Column::UniqueKey.lt(end)),
        None => update.filter(job::Column::UniqueKey.starts_with(key_prefix)),
    }
}

/// The least string greater than every string that starts with `prefix`, in byte order: the
/// prefix with its last character raised by one (UTF-8 orders bytes as it orders characters).
fn prefix_successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    let last = chars.pop()?;
    let raised = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32)?;
    chars.push(raised);
    Some(chars.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::prefix_successor;

    #[test]
    fn a_prefix_successor_is_the_prefix_with_its_last_character_raised() {
        assert_eq!(
            prefix_successor("reminder/1/").as_deref(),
            Some("reminder/10")
        );
        assert_eq!(prefix_successor("fête/é").as_deref(), Some("fête/ê"));
        // No character between U+D7FF and U+E000: the surrogates are not characters.
        assert_eq!(prefix_successor("a\u{d7ff}").as_deref(), Some("a\u{e000}"));
        assert_eq!(prefix_successor("a\u{10ffff}"), None);
        assert_eq!(prefix_successor(""), None);
    }
}
