//! A month of events, server-rendered: `/events/month?month=2026-12` for the instance's
//! public events, `/@name/events/month` for a group's (or a person's). A calendar table whose
//! days link to the list of that day's events below it; each event is shown on the day it
//! starts, in its own time zone.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use backend::events::{self, SearchQuery};
use backend::i18n::Locale;
use backend::pagination::{MAX_LIMIT, Page, Paginated};
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use entity::event;
use serde::Deserialize;

use super::i18n::{count, t, with};
use super::{Frame, Visitor, error_page, render};
use crate::state::AppState;

/// Most events one month shows (five pages of the backend's largest).
const MAX_EVENTS: usize = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/events/month", get(instance_month))
        .route("/{handle}/events/month", get(actor_month))
}

#[derive(Deserialize, Default)]
pub struct MonthQuery {
    /// `2026-12`; the current month when absent or unreadable.
    #[serde(default)]
    month: String,
}

/// One event on its day.
pub struct DayEvent {
    url: String,
    title: String,
    time: String,
    cancelled: bool,
}

/// A day with events, listed under the calendar.
pub struct Day {
    anchor: String,
    heading: String,
    events: Vec<DayEvent>,
}

/// A cell of the calendar: a day of the month (with the anchor of its events, if any), or
/// blank before the first and after the last.
pub struct Cell {
    number: Option<u32>,
    anchor: Option<String>,
    label: String,
}

#[derive(Template)]
#[template(path = "month.html")]
struct MonthPage {
    frame: Frame,
    /// "December 2026".
    month_name: String,
    previous: (String, String),
    next: (String, String),
    weekdays: Vec<(String, String)>,
    weeks: Vec<Vec<Cell>>,
    days: Vec<Day>,
    empty: String,
    /// The list the month view belongs to: (link, label).
    back: (String, String),
}

/// The first day of the month asked for, or of the current one.
fn first_day(query: &MonthQuery, today: NaiveDate) -> NaiveDate {
    NaiveDate::parse_from_str(&format!("{}-01", query.month.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=2999).contains(&d.year()))
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
}

fn next_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first)
}

fn previous_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first)
}

/// The month's window as instants, a day wider on each side: an event's day is read in its
/// own zone, up to 14 hours from UTC.
fn window(first: NaiveDate) -> (chrono::DateTime<Utc>, chrono::DateTime<Utc>) {
    let start = Utc.from_utc_datetime(&first.and_time(chrono::NaiveTime::MIN));
    let end = Utc.from_utc_datetime(&next_month(first).and_time(chrono::NaiveTime::MIN));
    (start - Duration::days(1), end + Duration::days(1))
}

/// Reads pages of events until the last one or [`MAX_EVENTS`].
async fn all_pages<F, Fut>(mut page_of: F) -> backend::Result<Vec<event::Model>>
where
    F: FnMut(Page) -> Fut,
    Fut: std::future::Future<Output = backend::Result<Paginated<event::Model>>>,
{
    let mut all = Vec::new();
    for number in 1.. {
        let page = Page::new(Some(number), Some(MAX_LIMIT as i64))?;
        let list = page_of(page).await?;
        let got = list.elements.len();
        all.extend(list.elements);
        if got < MAX_LIMIT as usize || all.len() >= MAX_EVENTS {
            break;
        }
    }
    all.truncate(MAX_EVENTS);
    Ok(all)
}

fn month_page(
    visitor: &Visitor,
    title: String,
    base: String,
    back: (String, String),
    first: NaiveDate,
    list: &[event::Model],
) -> MonthPage {
    let locale = visitor.locale;
    let mut by_day: BTreeMap<NaiveDate, Vec<&event::Model>> = BTreeMap::new();
    for event in list {
        let day = event
            .begins_on
            .with_timezone(&events::timezone(event))
            .date_naive();
        if day.year() == first.year() && day.month() == first.month() {
            by_day.entry(day).or_default().push(event);
        }
    }
    let anchor = |day: NaiveDate| format!("d-{}", day.format("%Y-%m-%d"));
    let days: Vec<Day> = by_day
        .iter()
        .map(|(day, list)| Day {
            anchor: anchor(*day),
            heading: locale.format_day(*day, "%A %-d %B"),
            events: list
                .iter()
                .map(|e| DayEvent {
                    url: format!("/events/{}", e.uuid),
                    title: e.title.clone(),
                    time: locale.format_time(&e.begins_on.with_timezone(&events::timezone(e))),
                    cancelled: e.status == event::EventStatus::Cancelled,
                })
                .collect(),
        })
        .collect();
    MonthPage {
        frame: Frame {
            title,
            visitor: visitor.clone(),
            notice: None,
        },
        month_name: locale.format_day(first, "%B %Y"),
        previous: month_link(locale, &base, previous_month(first)),
        next: month_link(locale, &base, next_month(first)),
        weekdays: weekdays(locale),
        weeks: weeks(locale, first, |day| {
            by_day.get(&day).map(|list| (anchor(day), list.len()))
        }),
        days,
        empty: t(locale, "month-empty"),
        back,
    }
}

fn month_link(locale: Locale, base: &str, first: NaiveDate) -> (String, String) {
    (
        format!("{base}?month={}", first.format("%Y-%m")),
        locale.format_day(first, "%B %Y"),
    )
}

/// Monday to Sunday: (abbreviation shown, full name for screen readers).
fn weekdays(locale: Locale) -> Vec<(String, String)> {
    // 2024-01-01 was a Monday.
    let monday = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    (0..7)
        .map(|i| {
            let day = monday + Duration::days(i);
            (locale.format_day(day, "%a"), locale.format_day(day, "%A"))
        })
        .collect()
}

/// The month's weeks, Monday first, blank cells around it.
fn weeks(
    locale: Locale,
    first: NaiveDate,
    events_on: impl Fn(NaiveDate) -> Option<(String, usize)>,
) -> Vec<Vec<Cell>> {
    let blank = || Cell {
        number: None,
        anchor: None,
        label: String::new(),
    };
    let mut weeks = Vec::new();
    let mut week: Vec<Cell> = (0..first.weekday().num_days_from_monday())
        .map(|_| blank())
        .collect();
    let mut day = first;
    while day.month() == first.month() {
        let found = events_on(day);
        let label = match &found {
            Some((_, n)) => format!(
                "{}: {}",
                locale.format_day(day, "%A %-d %B"),
                count(
                    locale,
                    "month-day-events",
                    u64::try_from(*n).unwrap_or(u64::MAX)
                )
            ),
            None => String::new(),
        };
        week.push(Cell {
            number: Some(day.day()),
            anchor: found.map(|(anchor, _)| anchor),
            label,
        });
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        day += Duration::days(1);
    }
    if !week.is_empty() {
        week.extend((week.len()..7).map(|_| blank()));
        weeks.push(week);
    }
    weeks
}

pub async fn instance_month(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<MonthQuery>,
) -> Response {
    let locale = visitor.locale;
    let first = first_day(&query, state.ctx.now().date_naive());
    let (from, until) = window(first);
    let search = SearchQuery {
        begins_on: Some(from),
        ends_on: Some(until),
        ..SearchQuery::default()
    };
    let now = state.ctx.now();
    let result = all_pages(|page| events::search(&state.ctx.searches, now, &search, page)).await;
    match result {
        Ok(list) => {
            let title = with(
                locale,
                "month-title",
                "month",
                locale.format_day(first, "%B %Y"),
            );
            let page = month_page(
                &visitor,
                title,
                "/events/month".to_owned(),
                ("/".to_owned(), t(locale, "month-back-home")),
                first,
                &list,
            );
            render(&visitor, StatusCode::OK, &page)
        }
        Err(err) => error_page(visitor, &err),
    }
}

pub async fn actor_month(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(segment): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Response {
    let locale = visitor.locale;
    let result = async {
        let actor = super::groups::find_actor(&state, &segment).await?;
        let first = first_day(&query, state.ctx.now().date_naive());
        let (from, until) = window(first);
        let principal = visitor.principal();
        let list = all_pages(|page| {
            events::organized_by(
                &state.ctx.db,
                &principal,
                &actor,
                Some(from),
                Some(until),
                page,
            )
        })
        .await?;
        Ok::<_, backend::Error>((actor, first, list))
    }
    .await;
    match result {
        Ok((actor, first, list)) => {
            let handle = backend::actors::handle(&actor);
            let name = backend::actors::display_name(&actor);
            let title = format!(
                "{} · {}",
                with(locale, "month-title-of", "name", name.clone()),
                locale.format_day(first, "%B %Y")
            );
            let page = month_page(
                &visitor,
                title,
                format!("/@{handle}/events/month"),
                (format!("/@{handle}"), name),
                first,
                &list,
            );
            render(&visitor, StatusCode::OK, &page)
        }
        Err(err) => error_page(visitor, &err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_laid_out_in_weeks_from_monday_with_blanks_around_it() {
        // December 2026 starts on a Tuesday and has 31 days.
        let first = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let weeks = weeks(Locale::En, first, |_| None);
        assert_eq!(weeks.len(), 5);
        assert!(weeks.iter().all(|w| w.len() == 7));
        assert_eq!(weeks[0][0].number, None);
        assert_eq!(weeks[0][1].number, Some(1));
        assert_eq!(weeks[4][3].number, Some(31));
        assert_eq!(weeks[4][4].number, None);
    }

    #[test]
    fn a_month_asked_for_is_read_and_a_bad_one_is_the_current_month() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
        let asked = |m: &str| {
            first_day(
                &MonthQuery {
                    month: m.to_owned(),
                },
                today,
            )
        };
        assert_eq!(
            asked("2027-02"),
            NaiveDate::from_ymd_opt(2027, 2, 1).expect("date")
        );
        assert_eq!(
            asked("nonsense"),
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
        );
        assert_eq!(
            asked("99999-01"),
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
        );
        assert_eq!(
            previous_month(NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")),
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
        );
    }
}
