//! Creating a series and writing its dates as events up to the horizon.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::event::{self, EventStatus};
use entity::event_series;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::policy::{self, MAX_PER_MATERIALIZATION};
use super::rule::{self, LOCAL_FORMAT, Recurrence};
use crate::context::AppContext;
use crate::db::{WriteTx, begin_write};
use crate::error::{Error, Result};
use crate::events::NewEvent;
use crate::events::search_columns::set_times;
use crate::principal::Principal;

/// A recurring event as a client asks for it: its first date and details (`event`, whose
/// `begins_on` is the wished first start), the rule, and dates left out.
#[derive(Debug, Clone)]
pub struct NewSeries {
    pub event: NewEvent,
    pub recurrence: Recurrence,
    /// Local days without a date (at the series' time of day).
    pub exceptions: Vec<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct SeriesCreated {
    pub series: event_series::Model,
    /// Its first date.
    pub first: event::Model,
    /// How many dates were written as events (up to the horizon).
    pub occurrences: usize,
}

/// The first start of a series: the rule's first date at or after the wished start (a weekly
/// series on Tuesdays asked to start on a Monday starts the next day), so that `DTSTART` is
/// always a date of the rule, whatever the calendar reading it does with one that is not.
fn first_start(
    rule_text: &str,
    wished: chrono::NaiveDateTime,
    tz: chrono_tz::Tz,
) -> Result<chrono::NaiveDateTime> {
    let set = rule::rule_set(rule_text, wished, tz, &[])?;
    let (dates, _) = rule::dates_between(&set, None, None, 1);
    dates
        .first()
        .map(|d| d.with_timezone(&tz).naive_local())
        .ok_or_else(|| Error::invalid("recurrence", "the rule gives no date"))
}

/// Creates a recurring event: the series, its first date (an event like any, announced once),
/// and its next dates up to the horizon.
pub async fn create(
    ctx: &AppContext,
    principal: &Principal,
    new: NewSeries,
) -> Result<SeriesCreated> {
    principal.require_known()?;
    let Some(wished) = new.event.begins_on else {
        return Err(Error::invalid("beginsOn", "an event needs a beginning"));
    };
    let lasts = new.event.ends_on.map(|end| end - wished);
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let tz = crate::events::service::zone_for(
        ctx,
        &tx,
        principal,
        new.event.options.timezone.as_deref(),
    )
    .await?;
    let wished_local = wished.with_timezone(&tz).naive_local();
    policy::check(&new.recurrence, wished_local, &new.exceptions)?;
    let rule_text = new.recurrence.to_rule(tz)?;
    let start_local = first_start(&rule_text, wished_local, tz)?;
    let exdates: Vec<_> = new
        .exceptions
        .iter()
        .map(|day| day.and_time(start_local.time()))
        .collect();
    let set = rule::rule_set(&rule_text, start_local, tz, &exdates)?;
    let (first_dates, _) = rule::dates_between(&set, None, None, 1);
    let Some(first_start) = first_dates.first().copied() else {
        return Err(Error::invalid(
            "recurrence.exceptions",
            "every date of the series is left out",
        ));
    };
    let mut first_event = new.event;
    first_event.begins_on = Some(first_start);
    first_event.ends_on = lasts.map(|lasts| first_start + lasts);
    first_event.options.timezone = Some(tz.name().to_owned());
    let first = crate::events::service::create_in(ctx, &tx, principal, first_event).await?;
    let series = event_series::Entity::insert(event_series::ActiveModel {
        id: NotSet,
        uuid: Set(uuid::Uuid::new_v4().to_string()),
        organizer_actor_id: Set(first.organizer_actor_id),
        attributed_to_id: Set(first.attributed_to_id),
        rule: Set(rule_text),
        starts_local: Set(start_local.format(LOCAL_FORMAT).to_string()),
        timezone: Set(tz.name().to_owned()),
        lasts_seconds: Set(lasts.map(|l| l.num_seconds())),
        exdates: Set(rule::format_exdates(&exdates)),
        materialized_until: Set(first_start),
        finished: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(&tx)
    .await?;
    let mut active = first.into_active_model();
    active.series_id = Set(Some(series.id));
    active.recurrence_id = Set(Some(first_start));
    let first = active.update(&tx).await?;
    let written = extend_in(ctx, &tx, series.id, now).await?;
    let series = super::find(&tx, series.id).await?;
    tx.commit().await?;
    tracing::info!(series_id = series.id, dates = written + 1, "series created");
    Ok(SeriesCreated {
        series,
        first,
        occurrences: written + 1,
    })
}

/// Writes the dates of series `series_id` that are due within the horizon. Returns how many.
pub async fn extend(ctx: &AppContext, series_id: i64) -> Result<usize> {
    let tx = begin_write(ctx).await?;
    crate::db::lock_row(&tx, "event_series", series_id).await?;
    let written = extend_in(ctx, &tx, series_id, ctx.now()).await?;
    tx.commit().await?;
    Ok(written)
}

/// The event new dates copy: the last date not changed alone (it carries every change made
/// to the whole series), or else the last date.
async fn template(tx: &WriteTx, series_id: i64) -> Result<Option<event::Model>> {
    let latest = |overridden: Option<bool>| {
        let mut query = event::Entity::find().filter(event::Column::SeriesId.eq(series_id));
        if let Some(overridden) = overridden {
            query = query.filter(event::Column::RecurrenceOverridden.eq(overridden));
        }
        query.order_by_desc(event::Column::RecurrenceId)
    };
    if let Some(found) = latest(Some(false)).one(tx).await? {
        return Ok(Some(found));
    }
    Ok(latest(None).one(tx).await?)
}

pub(super) async fn extend_in(
    ctx: &AppContext,
    tx: &WriteTx,
    series_id: i64,
    now: DateTime<Utc>,
) -> Result<usize> {
    let series = super::find(tx, series_id).await?;
    if series.finished {
        return Ok(0);
    }
    let settings = &ctx.settings.recurrence;
    let upcoming = event::Entity::find()
        .filter(event::Column::SeriesId.eq(series_id))
        .filter(event::Column::BeginsOn.gte(now))
        .count(tx)
        .await?;
    let room = usize::try_from(u64::from(settings.horizon_occurrences).saturating_sub(upcoming))
        .unwrap_or(0)
        .min(MAX_PER_MATERIALIZATION);
    let horizon = now + Duration::days(i64::from(settings.horizon_days));
    let template = template(tx, series_id).await?;
    // A cancelled series, or one whose every date was deleted, gets no new dates.
    let stopped = template
        .as_ref()
        .is_none_or(|t| t.status == EventStatus::Cancelled && !t.recurrence_overridden);
    let (dates, exhausted) = if stopped {
        (Vec::new(), true)
    } else {
        super::rule_dates(
            &series,
            Some(series.materialized_until),
            Some(horizon),
            room,
        )?
    };
    let mut written = 0;
    if let Some(template) = &template {
        for date in &dates {
            if *date < now {
                continue;
            }
            copy_date(ctx, tx, template, &series, *date, now).await?;
            written += 1;
        }
    }
    let mut active: event_series::ActiveModel = series.clone().into();
    if let Some(last) = dates.last() {
        active.materialized_until = Set(*last);
    }
    active.finished = Set(exhausted);
    active.updated_at = Set(now);
    active.update(tx).await?;
    Ok(written)
}

/// Writes the date of `series` starting at `start` as an event like `template`.
async fn copy_date(
    ctx: &AppContext,
    tx: &WriteTx,
    template: &event::Model,
    series: &event_series::Model,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<event::Model> {
    let address_id = match template.physical_address_id {
        Some(id) => {
            let place = crate::addresses::find(tx, id).await?;
            let mut copy: entity::address::ActiveModel = place.into();
            copy.id = NotSet;
            copy.created_at = Set(now);
            copy.updated_at = Set(now);
            Some(copy.insert(tx).await?.id)
        }
        None => None,
    };
    let uuid = uuid::Uuid::new_v4().to_string();
    let url = ctx.url(&format!("/events/{uuid}"));
    let mut row = template.clone().into_active_model();
    row.id = NotSet;
    row.uuid = Set(uuid);
    row.ap_id = Set(url.clone());
    row.url = Set(url);
    row.physical_address_id = Set(address_id);
    row.status = Set(if template.recurrence_overridden {
        EventStatus::Confirmed
    } else {
        template.status
    });
    row.sequence = Set(0);
    row.published_at = Set((!template.draft).then_some(now));
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row.remote_updated_at = Set(None);
    row.series_id = Set(Some(series.id));
    row.recurrence_id = Set(Some(start));
    row.recurrence_overridden = Set(false);
    let lasts = series.lasts_seconds.map(Duration::seconds);
    set_times(&mut row, start, lasts.map(|lasts| start + lasts));
    let event = event::Entity::insert(row).exec_with_returning(tx).await?;
    let tags: Vec<String> = crate::events::tags::for_events(tx, &[template.id])
        .await?
        .remove(&template.id)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.title)
        .collect();
    crate::events::tags::set_for_event(tx, event.id, &tags).await?;
    crate::events::service::add_creator(ctx, tx, &event, now).await?;
    Ok(event)
}

/// Series not finished whose written dates stop before the horizon, for the horizon job.
pub(super) async fn due_for_extension(
    conn: &impl sea_orm::ConnectionTrait,
    horizon: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<i64>> {
    use sea_orm::QuerySelect;
    Ok(event_series::Entity::find()
        .select_only()
        .column(event_series::Column::Id)
        .filter(event_series::Column::Finished.eq(false))
        .filter(event_series::Column::MaterializedUntil.lt(horizon))
        .order_by_asc(event_series::Column::MaterializedUntil)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?)
}

/// The first `limit` dates (UTC) a series would have, before it is saved: the rule checked,
/// its first date moved to the rule's first at or after `wished`, the exceptions left out.
pub fn preview(
    wished: DateTime<Utc>,
    tz: chrono_tz::Tz,
    recurrence: &Recurrence,
    exceptions: &[NaiveDate],
    limit: usize,
) -> Result<Vec<DateTime<Utc>>> {
    let wished_local = wished.with_timezone(&tz).naive_local();
    policy::check(recurrence, wished_local, exceptions)?;
    let rule_text = recurrence.to_rule(tz)?;
    let start_local = first_start(&rule_text, wished_local, tz)?;
    let exdates: Vec<_> = exceptions
        .iter()
        .map(|day| day.and_time(start_local.time()))
        .collect();
    let set = rule::rule_set(&rule_text, start_local, tz, &exdates)?;
    Ok(rule::dates_between(&set, None, None, limit.min(MAX_PER_MATERIALIZATION)).0)
}

/// Gives the picture and the details (offers, program, contacts…) of `event`, set after it
/// was saved, to the other dates of its series from it on that were not changed alone.
pub async fn share_extras(ctx: &AppContext, principal: &Principal, event_id: i64) -> Result<()> {
    use sea_orm::sea_query::Expr;
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    let event = crate::events::find(&tx, event_id).await?;
    let access = crate::events::access(&tx, principal, &event).await?;
    crate::events::check_editable(&event, access)?;
    let (Some(series_id), Some(from)) = (event.series_id, event.recurrence_id) else {
        return Ok(());
    };
    event::Entity::update_many()
        .col_expr(
            event::Column::PictureMediaId,
            Expr::value(event.picture_media_id),
        )
        .col_expr(event::Column::Details, Expr::value(event.details.clone()))
        .col_expr(event::Column::UpdatedAt, Expr::value(ctx.now()))
        .filter(event::Column::SeriesId.eq(series_id))
        .filter(event::Column::RecurrenceId.gt(from))
        .filter(event::Column::RecurrenceOverridden.eq(false))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
