//! A series in a calendar feed: one VEVENT with the rule and the dates left out, and one
//! overriding VEVENT per date changed alone, instead of one VEVENT per date, so a calendar app
//! shows one repeating event. The `.ics` of a single date stays one plain event, and so does a
//! person's feed of participations (they go to some dates, not to the series).

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use entity::event::{self, EventStatus};
use entity::event_series;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::rule::{self, Ends};
use crate::context::AppContext;
use crate::error::Result;
use crate::feeds::{CalendarEvent, Repeats};

/// What a list feed writes for one of its events.
#[derive(Debug, Clone, PartialEq)]
pub enum InFeed {
    /// The event as itself.
    Itself,
    /// These instead (nothing: a date of a series already written).
    Instead(Vec<CalendarEvent>),
}

/// `{uuid}@{host}` of a series: the UID its VEVENTs share.
pub fn uid(ctx: &AppContext, series: &event_series::Model) -> String {
    format!("{}@{}", series.uuid, ctx.settings.public_url.host())
}

/// For each of `ids` (a list feed's events, in order), what the feed writes: the first date
/// of a series shown stands for the whole series, its dates changed alone override theirs.
pub async fn fold(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<InFeed>> {
    let dates = event::Entity::find()
        .filter(event::Column::Id.is_in(ids.iter().copied()))
        .filter(event::Column::SeriesId.is_not_null())
        .all(conn)
        .await?;
    if dates.is_empty() {
        return Ok(vec![InFeed::Itself; ids.len()]);
    }
    let series_ids: HashSet<i64> = dates.iter().filter_map(|d| d.series_id).collect();
    let series: HashMap<i64, event_series::Model> = event_series::Entity::find()
        .filter(event_series::Column::Id.is_in(series_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let written = crate::events::calendar::calendar_events(ctx, conn, &dates).await?;
    let by_id: HashMap<i64, (&event::Model, &CalendarEvent)> = dates
        .iter()
        .zip(&written)
        .map(|(date, item)| (date.id, (date, item)))
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some((date, item)) = by_id.get(id) else {
            out.push(InFeed::Itself);
            continue;
        };
        let Some(series) = date.series_id.and_then(|s| series.get(&s)) else {
            out.push(InFeed::Itself);
            continue;
        };
        let mut instead = Vec::new();
        if seen.insert(series.id) {
            instead.push(whole(ctx, series, date, item)?);
        }
        if date.recurrence_overridden {
            instead.push(CalendarEvent {
                uid: uid(ctx, series),
                repeats: Some(Repeats {
                    recurrence_id: date.recurrence_id,
                    ..Repeats::default()
                }),
                ..(*item).clone()
            });
        }
        out.push(InFeed::Instead(instead));
    }
    Ok(out)
}

/// The VEVENT that stands for `series`, with the details of its date `face`.
fn whole(
    ctx: &AppContext,
    series: &event_series::Model,
    face: &event::Model,
    item: &CalendarEvent,
) -> Result<CalendarEvent> {
    let tz = super::timezone(series);
    let begins_on = rule::to_utc(tz, super::starts_local(series)?);
    let exdates = super::exdates(series)?
        .into_iter()
        .map(|d| rule::to_utc(tz, d))
        .collect();
    let ends = super::recurrence(series)?.ends;
    let last = match ends {
        _ if series.finished => series.materialized_until,
        Ends::On(day) => rule::to_utc(tz, day.and_time(chrono::NaiveTime::MIN)),
        Ends::After(_) => super::rule_dates(series, None, None, super::policy::MAX_COUNT as usize)?
            .0
            .last()
            .copied()
            .unwrap_or(series.materialized_until),
        // Calendars expand it without end; the zone is written two years past the horizon.
        Ends::Never => series.materialized_until + Duration::days(2 * 366),
    };
    Ok(CalendarEvent {
        uid: uid(ctx, series),
        begins_on,
        ends_on: series
            .lasts_seconds
            .map(|secs| begins_on + Duration::seconds(secs)),
        timezone: series.timezone.clone(),
        created: Some(series.created_at),
        last_modified: series.updated_at.max(face.updated_at),
        status: if face.recurrence_overridden {
            EventStatus::Confirmed
        } else {
            face.status
        },
        repeats: Some(Repeats {
            rule: Some(series.rule.clone()),
            exdates,
            recurrence_id: None,
            last: Some(last),
        }),
        ..item.clone()
    })
}
