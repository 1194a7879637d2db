//! Changing dates of a series: this date alone, this one and the following ones (the series
//! is split there, so the dates before keep their rule and calendars their history), or every
//! date not over yet (a split at the first of them). Each date changes as one event does;
//! the people taking part in the dates that change are told once each.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use entity::event::{self, EventStatus};
use entity::event_series;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::policy::{self, ApplyTo};
use super::rule::{self, Ends, LOCAL_FORMAT, Recurrence};
use crate::context::AppContext;
use crate::db::{WriteTx, begin_write, lock_row};
use crate::error::{Error, Result};
use crate::events::EventChanges;
use crate::events::service::{Told, apply_changes};
use crate::principal::Principal;

/// Applies `changes` to the event `event_id` and, when it is a date of a series, to the dates
/// `apply_to` says. Returns the event as changed.
pub async fn change(
    ctx: &AppContext,
    principal: &Principal,
    event_id: i64,
    changes: EventChanges,
    apply_to: ApplyTo,
) -> Result<event::Model> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "events", event_id).await?;
    let chosen = crate::events::find(&tx, event_id).await?;
    let access = crate::events::access(&tx, principal, &chosen).await?;
    crate::events::check_editable(&chosen, access)?;
    let (Some(series_id), Some(chosen_start), ApplyTo::ThisAndFollowing | ApplyTo::All) =
        (chosen.series_id, chosen.recurrence_id, apply_to)
    else {
        let (event, _) = apply_changes(ctx, &tx, chosen, changes, Told::Alone).await?;
        tx.commit().await?;
        return Ok(event);
    };
    lock_row(&tx, "event_series", series_id).await?;
    let now = ctx.now();
    let series = super::find(&tx, series_id).await?;
    let pivot = match apply_to {
        ApplyTo::All => first_not_over(&tx, series_id, now)
            .await?
            .unwrap_or(chosen_start),
        _ => chosen_start,
    };
    let tz = super::timezone(&series);
    if let Some(requested) = changes.options.timezone.as_deref()
        && crate::events::input::timezone(requested)? != tz
    {
        return Err(Error::invalid(
            "options.timezone",
            "several dates keep their zone: change it on one date, or make a new series",
        ));
    }
    // The new time of day and length, from the change asked for on the chosen date.
    let chosen_local = chosen.begins_on.with_timezone(&tz).naive_local();
    let new_local = changes
        .begins_on
        .map(|b| b.with_timezone(&tz).naive_local())
        .unwrap_or(chosen_local);
    if !policy::may_move_several(chosen_local, new_local) {
        return Err(Error::invalid(
            "beginsOn",
            "several dates move within their day; to move their days, change one date at a \
             time or make a new series",
        ));
    }
    let new_lasts = match (changes.begins_on, changes.ends_on) {
        (_, Some(end)) => Some(end - changes.begins_on.unwrap_or(chosen.begins_on)),
        (Some(_), None) => chosen.ends_on.map(|end| end - chosen.begins_on),
        (None, None) => None,
    };
    let time_changes = new_local != chosen_local || new_lasts.is_some();

    let series = split(&tx, &series, pivot, now).await?;
    if time_changes {
        retime(&tx, &series, new_local, new_lasts, now).await?;
    }
    let series = super::find(&tx, series.id).await?;
    let targets = event::Entity::find()
        .filter(event::Column::SeriesId.eq(series.id))
        .order_by_asc(event::Column::RecurrenceId)
        .all(&tx)
        .await?;
    let mut changed_dates = Vec::new();
    let mut chosen_after = None;
    for before in targets {
        let mut own = changes.clone();
        own.options.timezone = None;
        // Dates changed alone keep their own time; the others follow the series.
        own.begins_on = None;
        own.ends_on = None;
        if time_changes
            && !before.recurrence_overridden
            && let Some(start) = before.recurrence_id
        {
            own.begins_on = Some(start);
            own.ends_on = series
                .lasts_seconds
                .map(|secs| start + Duration::seconds(secs));
        }
        let id = before.id;
        let (after, changed) = apply_changes(ctx, &tx, before, own, Told::WithOthers).await?;
        if changed.matters_to_attendees() && !after.draft {
            changed_dates.push(after.clone());
        }
        if id == event_id {
            chosen_after = Some(after);
        }
    }
    let cancelled = changes.status == Some(EventStatus::Cancelled);
    super::notices::queue_several(ctx, &tx, &changed_dates, cancelled, now).await?;
    let event = match chosen_after {
        Some(event) => event,
        // "Every date" chosen on a date already over: it stays as it was.
        None => crate::events::find(&tx, event_id).await?,
    };
    tx.commit().await?;
    tracing::info!(
        series_id = series.id,
        dates = changed_dates.len(),
        "series changed"
    );
    Ok(event)
}

/// The original start of the first date of `series_id` not over at `now`.
async fn first_not_over(
    tx: &WriteTx,
    series_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    Ok(event::Entity::find()
        .filter(event::Column::SeriesId.eq(series_id))
        .filter(crate::events::not_over(now))
        .order_by_asc(event::Column::RecurrenceId)
        .one(tx)
        .await?
        .and_then(|e| e.recurrence_id))
}

/// Splits `series` at the date that started at `pivot`: the dates before keep the series,
/// ending the day before; `pivot` and the dates after go to a new series with the same rule
/// (and what is left of its count). Returns the series `pivot` belongs to after the split
/// (`series` itself when `pivot` is its first date).
pub(super) async fn split(
    tx: &WriteTx,
    series: &event_series::Model,
    pivot: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<event_series::Model> {
    let tz = super::timezone(series);
    let start = super::starts_local(series)?;
    let pivot_local = pivot.with_timezone(&tz).naive_local();
    if pivot_local <= start {
        return Ok(series.clone());
    }
    let recurrence = super::recurrence(series)?;
    // COUNT counts the rule's dates, the ones left out included.
    let without_exdates = rule::rule_set(&series.rule, start, tz, &[])?;
    let before_pivot = rule::dates_between(
        &without_exdates,
        None,
        Some(pivot - Duration::seconds(1)),
        policy::MAX_COUNT as usize + 1,
    )
    .0
    .len();
    let later_ends = match recurrence.ends {
        Ends::After(count) => Ends::After(
            count
                .saturating_sub(u32::try_from(before_pivot).unwrap_or(u32::MAX))
                .max(1),
        ),
        other => other,
    };
    let earlier = Recurrence {
        ends: Ends::On(pivot_local.date() - Duration::days(1)),
        ..recurrence.clone()
    };
    let later = Recurrence {
        ends: later_ends,
        ..recurrence
    };
    let exdates = super::exdates(series)?;
    let (exdates_before, exdates_after): (Vec<NaiveDateTime>, Vec<NaiveDateTime>) =
        exdates.into_iter().partition(|d| *d < pivot_local);
    let new_series = event_series::Entity::insert(event_series::ActiveModel {
        id: NotSet,
        uuid: Set(uuid::Uuid::new_v4().to_string()),
        organizer_actor_id: Set(series.organizer_actor_id),
        attributed_to_id: Set(series.attributed_to_id),
        rule: Set(later.to_rule(tz)?),
        starts_local: Set(pivot_local.format(LOCAL_FORMAT).to_string()),
        timezone: Set(series.timezone.clone()),
        lasts_seconds: Set(series.lasts_seconds),
        exdates: Set(rule::format_exdates(&exdates_after)),
        materialized_until: Set(series.materialized_until.max(pivot)),
        finished: Set(series.finished),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(tx)
    .await?;
    let mut old: event_series::ActiveModel = series.clone().into();
    old.rule = Set(earlier.to_rule(tz)?);
    old.exdates = Set(rule::format_exdates(&exdates_before));
    old.finished = Set(true);
    old.updated_at = Set(now);
    old.update(tx).await?;
    // Their feeds' validators and kept VEVENTs go by `updated_at`.
    event::Entity::update_many()
        .col_expr(event::Column::SeriesId, Expr::value(new_series.id))
        .col_expr(event::Column::UpdatedAt, Expr::value(now))
        .filter(event::Column::SeriesId.eq(series.id))
        .filter(event::Column::RecurrenceId.gte(pivot))
        .exec(tx)
        .await?;
    Ok(new_series)
}

/// Moves every date of `series` to the time of day of `new_start` (local) and, when given, to
/// the length `lasts`: the rule's start, the dates left out, and each date's original start
/// (its identity in calendars). The events' own times follow in the caller.
async fn retime(
    tx: &WriteTx,
    series: &event_series::Model,
    new_start: NaiveDateTime,
    lasts: Option<Duration>,
    now: DateTime<Utc>,
) -> Result<()> {
    let tz = super::timezone(series);
    let time = new_start.time();
    let start = super::starts_local(series)?;
    let exdates: Vec<NaiveDateTime> = super::exdates(series)?
        .into_iter()
        .map(|d| d.date().and_time(time))
        .collect();
    let mut active: event_series::ActiveModel = series.clone().into();
    active.starts_local = Set(start.date().and_time(time).format(LOCAL_FORMAT).to_string());
    active.exdates = Set(rule::format_exdates(&exdates));
    if let Some(lasts) = lasts {
        active.lasts_seconds = Set(Some(lasts.num_seconds()));
    }
    let materialized = series.materialized_until.with_timezone(&tz).naive_local();
    active.materialized_until = Set(rule::to_utc(tz, materialized.date().and_time(time)));
    active.updated_at = Set(now);
    active.update(tx).await?;
    for occurrence in super::occurrences(tx, series.id).await? {
        let Some(original) = occurrence.recurrence_id else {
            continue;
        };
        let local = original.with_timezone(&tz).naive_local();
        let moved = rule::to_utc(tz, local.date().and_time(time));
        if moved != original {
            event::Entity::update_many()
                .col_expr(event::Column::RecurrenceId, Expr::value(moved))
                .col_expr(event::Column::UpdatedAt, Expr::value(now))
                .filter(event::Column::Id.eq(occurrence.id))
                .exec(tx)
                .await?;
        }
    }
    Ok(())
}
