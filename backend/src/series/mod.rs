//! Recurring events. A series keeps the rule (`rule`), and each of its dates is an ordinary
//! event naming its series and its original start, so pages, participations, capacity, the
//! waitlist, reminders, comments, search and federation treat a date as any event. Dates exist
//! up to a rolling horizon (`settings.recurrence`), extended by a recurring job (`horizon`).
//! Creating a series and changing several of its dates are here (`service`, `change`); the
//! rules are in `policy`.

pub mod calendar;
mod change;
pub mod horizon;
mod notices;
pub mod policy;
pub mod rule;
mod service;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use entity::event;
use entity::event_series;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub use change::change;
pub use policy::ApplyTo;
pub use rule::{Ends, Frequency, MonthlyOn, Recurrence};
pub use service::{NewSeries, SeriesCreated, create, extend, preview, share_extras};

use crate::error::{Error, Result};

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<event_series::Model> {
    event_series::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("series"))
}

/// The series' zone.
pub fn timezone(series: &event_series::Model) -> Tz {
    series.timezone.parse().unwrap_or(chrono_tz::UTC)
}

/// What a series repeats by, read from its stored rule.
pub fn recurrence(series: &event_series::Model) -> Result<Recurrence> {
    Recurrence::from_rule(&series.rule, timezone(series))
}

/// Its first date's local start.
pub fn starts_local(series: &event_series::Model) -> Result<NaiveDateTime> {
    rule::parse_local(&series.starts_local)
}

/// The dates left out of its rule, local starts.
pub fn exdates(series: &event_series::Model) -> Result<Vec<NaiveDateTime>> {
    rule::parse_exdates(&series.exdates)
}

/// The rule's dates (UTC) after `after`, up to `until`, at most `limit`; and whether the rule
/// has none beyond them.
pub fn rule_dates(
    series: &event_series::Model,
    after: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    limit: usize,
) -> Result<(Vec<DateTime<Utc>>, bool)> {
    let set = rule::rule_set(
        &series.rule,
        starts_local(series)?,
        timezone(series),
        &exdates(series)?,
    )?;
    Ok(rule::dates_between(&set, after, until, limit))
}

/// The dates of `series_id` written as events, in order of their original start.
pub async fn occurrences(conn: &impl ConnectionTrait, series_id: i64) -> Result<Vec<event::Model>> {
    Ok(event::Entity::find()
        .filter(event::Column::SeriesId.eq(series_id))
        .order_by_asc(event::Column::RecurrenceId)
        .all(conn)
        .await?)
}

/// The next `limit` dates of `series_id` not over at `now`, soonest first.
pub async fn upcoming_occurrences(
    conn: &impl ConnectionTrait,
    series_id: i64,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<event::Model>> {
    Ok(event::Entity::find()
        .filter(event::Column::SeriesId.eq(series_id))
        .filter(crate::events::not_over(now))
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// The date a series' address (`/series/{uuid}`, federated as `convive:series`) leads to: its
/// next date not over at `now`, or its last one when all are over. Whoever follows the link
/// then meets that event's own access rules.
pub async fn date_to_show(
    conn: &impl ConnectionTrait,
    series_uuid: &str,
    now: DateTime<Utc>,
) -> Result<event::Model> {
    let series = event_series::Entity::find()
        .filter(event_series::Column::Uuid.eq(series_uuid))
        .one(conn)
        .await?
        .ok_or(Error::not_found("series"))?;
    if let Some(next) = upcoming_occurrences(conn, series.id, now, 1)
        .await?
        .into_iter()
        .next()
    {
        return Ok(next);
    }
    event::Entity::find()
        .filter(event::Column::SeriesId.eq(series.id))
        .order_by_desc(event::Column::BeginsOn)
        .one(conn)
        .await?
        .ok_or(Error::not_found("series"))
}

/// Takes the date that started at `recurrence_id` out of the rule (its event is deleted), so
/// that calendars expanding the rule leave it out too.
pub async fn exclude(
    conn: &impl ConnectionTrait,
    series_id: i64,
    recurrence_id: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(series) = event_series::Entity::find_by_id(series_id)
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    let local = recurrence_id
        .with_timezone(&timezone(&series))
        .naive_local();
    let mut dates = exdates(&series)?;
    if dates.contains(&local) {
        return Ok(());
    }
    dates.push(local);
    dates.sort();
    let mut active: event_series::ActiveModel = series.into();
    active.exdates = sea_orm::Set(rule::format_exdates(&dates));
    active.updated_at = sea_orm::Set(now);
    sea_orm::ActiveModelTrait::update(active, conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests;
