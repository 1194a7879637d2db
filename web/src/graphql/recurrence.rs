//! Recurring events, in Convive's own names beside Mobilizon's shapes (Mobilizon has no
//! recurrence): `recurrence: RecurrenceInput` on `createEvent`, `applyTo` on `updateEvent`,
//! and on `Event` its `seriesId`, `recurrence`, `recurrenceId` and next `occurrences`; the
//! query `recurrencePreview` gives the dates a rule would make before saving. The rules are
//! the backend's (`backend::series`).

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use backend::series::{self, ApplyTo, Ends, Frequency, MonthlyOn, Recurrence};
use chrono::{DateTime, NaiveDate, Utc, Weekday};

use super::errors::{GqlResult, IntoGql, invalid};
use super::objects::Event;
use super::{app, principal};

/// How often a recurring event repeats.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "RecurrenceFrequency")]
pub enum FrequencyValue {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "RecurrenceWeekday")]
pub enum WeekdayValue {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

/// Which dates of a recurring event a change applies to.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(name = "RecurrenceApplyTo")]
pub enum ApplyToValue {
    /// This date alone (what Mobilizon's clients, which send no `applyTo`, change).
    #[default]
    This,
    /// This date and the following ones: the series is split there.
    ThisAndFollowing,
    /// Every date not over yet.
    All,
}

impl From<ApplyToValue> for ApplyTo {
    fn from(value: ApplyToValue) -> Self {
        match value {
            ApplyToValue::This => ApplyTo::This,
            ApplyToValue::ThisAndFollowing => ApplyTo::ThisAndFollowing,
            ApplyToValue::All => ApplyTo::All,
        }
    }
}

fn weekday(value: WeekdayValue) -> Weekday {
    match value {
        WeekdayValue::Monday => Weekday::Mon,
        WeekdayValue::Tuesday => Weekday::Tue,
        WeekdayValue::Wednesday => Weekday::Wed,
        WeekdayValue::Thursday => Weekday::Thu,
        WeekdayValue::Friday => Weekday::Fri,
        WeekdayValue::Saturday => Weekday::Sat,
        WeekdayValue::Sunday => Weekday::Sun,
    }
}

fn weekday_value(day: Weekday) -> WeekdayValue {
    match day {
        Weekday::Mon => WeekdayValue::Monday,
        Weekday::Tue => WeekdayValue::Tuesday,
        Weekday::Wed => WeekdayValue::Wednesday,
        Weekday::Thu => WeekdayValue::Thursday,
        Weekday::Fri => WeekdayValue::Friday,
        Weekday::Sat => WeekdayValue::Saturday,
        Weekday::Sun => WeekdayValue::Sunday,
    }
}

/// A rule for `createEvent`: every `interval` days, weeks (on `weekdays`), months (on
/// `monthDay`, or on the `weekOfMonth`th of `weekdays[0]`: 1 to 4, -1 for the last) or years;
/// ending on the day `until` (`YYYY-MM-DD`), after `count` dates, or never. `exceptions` are
/// days (`YYYY-MM-DD`) without a date.
#[derive(InputObject, Clone)]
#[graphql(name = "RecurrenceInput")]
pub struct RecurrenceInput {
    pub frequency: FrequencyValue,
    pub interval: Option<i32>,
    pub weekdays: Option<Vec<WeekdayValue>>,
    pub month_day: Option<i32>,
    pub week_of_month: Option<i32>,
    pub until: Option<String>,
    pub count: Option<i32>,
    pub exceptions: Option<Vec<String>>,
}

fn day(raw: &str, field: &str) -> GqlResult<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(field, "a day is written YYYY-MM-DD"))
}

fn number<T: TryFrom<i32>>(value: i32, field: &str) -> GqlResult<T> {
    T::try_from(value).map_err(|_| invalid(field, "out of range"))
}

impl RecurrenceInput {
    /// The backend's rule and exceptions (checked there).
    pub fn parse(&self) -> GqlResult<(Recurrence, Vec<NaiveDate>)> {
        let weekdays: Vec<Weekday> = self
            .weekdays
            .iter()
            .flatten()
            .map(|d| weekday(*d))
            .collect();
        let frequency = match self.frequency {
            FrequencyValue::Daily => Frequency::Daily,
            FrequencyValue::Weekly => Frequency::Weekly,
            FrequencyValue::Monthly => Frequency::Monthly,
            FrequencyValue::Yearly => Frequency::Yearly,
        };
        let monthly_on = match (self.month_day, self.week_of_month) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "recurrence.monthDay",
                    "a day of the month or a week of the month, not both",
                ));
            }
            (Some(day), None) => Some(MonthlyOn::DayOfMonth(number(day, "recurrence.monthDay")?)),
            (None, Some(nth)) => Some(MonthlyOn::NthWeekday {
                nth: number(nth, "recurrence.weekOfMonth")?,
                weekday: weekdays.first().copied().ok_or_else(|| {
                    invalid("recurrence.weekdays", "which day of the week in the month")
                })?,
            }),
            (None, None) => None,
        };
        let ends = match (&self.until, self.count) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "recurrence.count",
                    "a series ends on a day or after a count, not both",
                ));
            }
            (Some(until), None) => Ends::On(day(until, "recurrence.until")?),
            (None, Some(count)) => Ends::After(number(count, "recurrence.count")?),
            (None, None) => Ends::Never,
        };
        let recurrence = Recurrence {
            frequency,
            interval: number(self.interval.unwrap_or(1), "recurrence.interval")?,
            weekdays: if frequency == Frequency::Weekly {
                weekdays
            } else {
                Vec::new()
            },
            monthly_on,
            ends,
        };
        let exceptions = self
            .exceptions
            .iter()
            .flatten()
            .map(|d| day(d, "recurrence.exceptions"))
            .collect::<GqlResult<Vec<_>>>()?;
        Ok((recurrence, exceptions))
    }
}

/// What a recurring event repeats by.
#[derive(SimpleObject)]
#[graphql(name = "Recurrence")]
pub struct RecurrenceObject {
    /// Its series (shared by the dates that follow the same rule).
    series_id: ID,
    frequency: FrequencyValue,
    interval: i32,
    weekdays: Vec<WeekdayValue>,
    month_day: Option<i32>,
    week_of_month: Option<i32>,
    until: Option<String>,
    count: Option<i32>,
    /// Days without a date (deleted or left out), `YYYY-MM-DD`.
    exceptions: Vec<String>,
    /// The RFC 5545 `RRULE` value.
    rule: String,
    /// The zone its dates keep their local time in.
    timezone: String,
}

/// `Event.recurrence`.
pub async fn of_event(ctx: &Context<'_>, event: &Event) -> GqlResult<Option<RecurrenceObject>> {
    let Some(series_id) = event.0.series_id else {
        return Ok(None);
    };
    let series = series::find(&app(ctx)?.db, series_id).await.gql()?;
    let rule = series::recurrence(&series).gql()?;
    let (month_day, week_of_month, mut weekdays) = match rule.monthly_on {
        Some(MonthlyOn::DayOfMonth(day)) => (Some(i32::from(day)), None, Vec::new()),
        Some(MonthlyOn::NthWeekday { nth, weekday }) => {
            (None, Some(i32::from(nth)), vec![weekday_value(weekday)])
        }
        None => (None, None, Vec::new()),
    };
    weekdays.extend(rule.weekdays.iter().map(|d| weekday_value(*d)));
    Ok(Some(RecurrenceObject {
        series_id: ID::from(series.uuid.clone()),
        frequency: match rule.frequency {
            Frequency::Daily => FrequencyValue::Daily,
            Frequency::Weekly => FrequencyValue::Weekly,
            Frequency::Monthly => FrequencyValue::Monthly,
            Frequency::Yearly => FrequencyValue::Yearly,
        },
        interval: i32::try_from(rule.interval).unwrap_or(1),
        weekdays,
        month_day,
        week_of_month,
        until: match rule.ends {
            Ends::On(day) => Some(day.format("%Y-%m-%d").to_string()),
            _ => None,
        },
        count: match rule.ends {
            Ends::After(count) => i32::try_from(count).ok(),
            _ => None,
        },
        exceptions: series::exdates(&series)
            .gql()?
            .iter()
            .map(|d| d.date().format("%Y-%m-%d").to_string())
            .collect(),
        rule: series.rule.clone(),
        timezone: series.timezone.clone(),
    }))
}

/// The most dates `Event.occurrences` and `recurrencePreview` give.
const MAX_LISTED: i32 = 50;

/// `Event.occurrences`: the next dates of its series not over yet.
pub async fn occurrences(ctx: &Context<'_>, event: &Event, limit: i32) -> GqlResult<Vec<Event>> {
    let Some(series_id) = event.0.series_id else {
        return Ok(Vec::new());
    };
    let app = app(ctx)?;
    let limit = u64::try_from(limit.clamp(1, MAX_LISTED)).unwrap_or(10);
    let dates = series::upcoming_occurrences(&app.db, series_id, app.now(), limit)
        .await
        .gql()?;
    Ok(dates.into_iter().map(Event).collect())
}

/// The series' id, as `Event.seriesId` gives it (its uuid: ids in URLs are never sequential).
pub async fn series_id(ctx: &Context<'_>, event: &Event) -> GqlResult<Option<ID>> {
    let Some(series_id) = event.0.series_id else {
        return Ok(None);
    };
    let series = series::find(&app(ctx)?.db, series_id).await.gql()?;
    Ok(Some(ID::from(series.uuid)))
}

#[derive(Default)]
pub struct RecurrenceQuery;

#[Object]
impl RecurrenceQuery {
    /// The first dates a recurring event starting at `beginsOn` in `timezone` would have,
    /// before it is created (Convive's own).
    async fn recurrence_preview(
        &self,
        begins_on: DateTime<Utc>,
        timezone: String,
        recurrence: RecurrenceInput,
        #[graphql(default = 10)] limit: i32,
    ) -> GqlResult<Vec<DateTime<Utc>>> {
        let tz = backend::events::input::timezone(&timezone).gql()?;
        let (rule, exceptions) = recurrence.parse()?;
        let limit = usize::try_from(limit.clamp(1, MAX_LISTED)).unwrap_or(10);
        series::preview(begins_on, tz, &rule, &exceptions, limit).gql()
    }
}

/// Creates the series and returns its first date (`createEvent` with `recurrence`).
pub async fn create(
    ctx: &Context<'_>,
    new: backend::events::NewEvent,
    recurrence: &RecurrenceInput,
) -> GqlResult<entity::event::Model> {
    let (recurrence, exceptions) = recurrence.parse()?;
    let created = series::create(
        app(ctx)?,
        &principal(ctx),
        series::NewSeries {
            event: new,
            recurrence,
            exceptions,
        },
    )
    .await
    .gql()?;
    Ok(created.first)
}

/// Gives what was set on `event` after saving (its picture and details) to the dates it
/// stands for.
pub async fn share_extras(ctx: &Context<'_>, event: &Event) -> GqlResult<()> {
    if event.0.series_id.is_none() {
        return Ok(());
    }
    series::share_extras(app(ctx)?, &principal(ctx), event.0.id)
        .await
        .gql()
}
