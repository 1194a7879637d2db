//! A series' rule in RFC 5545 terms. Clients choose among the common cases (every day, every
//! week on given days, every month on a day of the month or on "the second Tuesday", every
//! year; ending on a date, after a number of dates, or never); we write them as `RRULE` text,
//! read back only what we write, and expand them with the `rrule` crate in the series' zone, so
//! a weekly 19:00 in Paris stays 19:00 across daylight saving changes.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use rrule::RRuleSet;

use crate::error::{Error, Result};

/// How local starts are stored (`event_series.starts_local`, `exdates`).
pub const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";
/// How iCalendar writes a local date-time.
pub const ICAL_LOCAL_FORMAT: &str = "%Y%m%dT%H%M%S";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Frequency {
    fn ical(self) -> &'static str {
        match self {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }
}

/// Which day of the month a monthly rule picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthlyOn {
    /// The same day number each month (1 to 31; months without it are skipped, as RFC 5545
    /// says).
    DayOfMonth(u8),
    /// The `nth` (1 to 4, or -1 for the last) given weekday of each month.
    NthWeekday { nth: i8, weekday: Weekday },
}

/// When a series stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    Never,
    /// After its last date on this local day.
    On(NaiveDate),
    /// After this many dates.
    After(u32),
}

/// What a series repeats by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub frequency: Frequency,
    /// Every `interval` days, weeks, months or years.
    pub interval: u32,
    /// For weekly series: the days of the week (none: the first date's day).
    pub weekdays: Vec<Weekday>,
    /// For monthly series: which day (none: the first date's day of the month).
    pub monthly_on: Option<MonthlyOn>,
    pub ends: Ends,
}

fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn weekday_from_code(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// The UTC instant that ends `date` in `tz` (what `UNTIL` must be when `DTSTART` has a zone).
fn end_of_day(tz: Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    let last = date.and_hms_opt(23, 59, 59)?;
    tz.from_local_datetime(&last)
        .latest()
        .map(|d| d.with_timezone(&Utc))
}

impl Recurrence {
    /// The `RRULE` value, for a series in `tz`.
    pub fn to_rule(&self, tz: Tz) -> Result<String> {
        let mut parts = vec![format!("FREQ={}", self.frequency.ical())];
        if self.interval > 1 {
            parts.push(format!("INTERVAL={}", self.interval));
        }
        match self.ends {
            Ends::Never => {}
            Ends::After(count) => parts.push(format!("COUNT={count}")),
            Ends::On(date) => {
                let until = end_of_day(tz, date)
                    .ok_or_else(|| Error::invalid("recurrence.until", "not a date"))?;
                parts.push(format!("UNTIL={}", until.format("%Y%m%dT%H%M%SZ")));
            }
        }
        if self.frequency == Frequency::Weekly && !self.weekdays.is_empty() {
            let days: Vec<&str> = self.weekdays.iter().map(|d| weekday_code(*d)).collect();
            parts.push(format!("BYDAY={}", days.join(",")));
        }
        if self.frequency == Frequency::Monthly {
            match self.monthly_on {
                Some(MonthlyOn::DayOfMonth(day)) => parts.push(format!("BYMONTHDAY={day}")),
                Some(MonthlyOn::NthWeekday { nth, weekday }) => {
                    parts.push(format!("BYDAY={nth}{}", weekday_code(weekday)));
                }
                None => {}
            }
        }
        Ok(parts.join(";"))
    }

    /// Reads back a rule written by [`Recurrence::to_rule`] for a series in `tz`.
    pub fn from_rule(rule: &str, tz: Tz) -> Result<Self> {
        let bad = || Error::invalid("recurrence", format!("not a rule Convive writes: {rule}"));
        let mut recurrence = Recurrence {
            frequency: Frequency::Weekly,
            interval: 1,
            weekdays: Vec::new(),
            monthly_on: None,
            ends: Ends::Never,
        };
        let mut by_day: Option<&str> = None;
        for part in rule.split(';') {
            let (key, value) = part.split_once('=').ok_or_else(bad)?;
            match key {
                "FREQ" => {
                    recurrence.frequency = match value {
                        "DAILY" => Frequency::Daily,
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" => Frequency::Monthly,
                        "YEARLY" => Frequency::Yearly,
                        _ => return Err(bad()),
                    }
                }
                "INTERVAL" => recurrence.interval = value.parse().map_err(|_| bad())?,
                "COUNT" => recurrence.ends = Ends::After(value.parse().map_err(|_| bad())?),
                "UNTIL" => {
                    let until = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
                        .map_err(|_| bad())?
                        .and_utc();
                    recurrence.ends = Ends::On(until.with_timezone(&tz).date_naive());
                }
                "BYMONTHDAY" => {
                    recurrence.monthly_on =
                        Some(MonthlyOn::DayOfMonth(value.parse().map_err(|_| bad())?));
                }
                "BYDAY" => by_day = Some(value),
                _ => return Err(bad()),
            }
        }
        if let Some(days) = by_day {
            if recurrence.frequency == Frequency::Monthly {
                let split = days.len().checked_sub(2).ok_or_else(bad)?;
                let (nth, code) = days.split_at(split);
                recurrence.monthly_on = Some(MonthlyOn::NthWeekday {
                    nth: nth.parse().map_err(|_| bad())?,
                    weekday: weekday_from_code(code).ok_or_else(bad)?,
                });
            } else {
                recurrence.weekdays = days
                    .split(',')
                    .map(|d| weekday_from_code(d).ok_or_else(bad))
                    .collect::<Result<_>>()?;
            }
        }
        Ok(recurrence)
    }
}

/// Parses a stored local start.
pub fn parse_local(raw: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw, LOCAL_FORMAT)
        .map_err(|_| Error::internal(format!("stored local time {raw:?} unreadable")))
}

/// Stored exception list to local starts.
pub fn parse_exdates(raw: &str) -> Result<Vec<NaiveDateTime>> {
    raw.split(',')
        .filter(|s| !s.is_empty())
        .map(parse_local)
        .collect()
}

pub fn format_exdates(dates: &[NaiveDateTime]) -> String {
    dates
        .iter()
        .map(|d| d.format(LOCAL_FORMAT).to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// The UTC instant of a local time in `tz`; a time skipped by a clock change moves forward
/// by the gap, as calendars do, and an ambiguous one takes its first occurrence.
pub fn to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let resolved = tz.from_local_datetime(&local).earliest().or_else(|| {
        tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
            .earliest()
    });
    match resolved {
        Some(at) => at.with_timezone(&Utc),
        // No zone has a gap of more than an hour at once; read it as UTC rather than fail.
        None => local.and_utc(),
    }
}

/// The dates of a rule starting at `start` (local, in `tz`), less `exdates`.
pub fn rule_set(
    rule: &str,
    start: NaiveDateTime,
    tz: Tz,
    exdates: &[NaiveDateTime],
) -> Result<RRuleSet> {
    let text = format!(
        "DTSTART;TZID={}:{}\nRRULE:{rule}",
        tz.name(),
        start.format(ICAL_LOCAL_FORMAT)
    );
    let set: RRuleSet = text
        .parse()
        .map_err(|err| Error::invalid("recurrence", format!("{err}")))?;
    let zone = rrule::Tz::Tz(tz);
    let exdates = exdates
        .iter()
        .filter_map(|d| zone.from_local_datetime(d).earliest())
        .collect();
    Ok(set.set_exdates(exdates))
}

/// The first `limit` dates (UTC) of a rule set after `after` (exclusive), up to `until`.
pub fn dates_between(
    set: &RRuleSet,
    after: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    limit: usize,
) -> (Vec<DateTime<Utc>>, bool) {
    let mut dates = Vec::new();
    let mut exhausted = true;
    for date in set {
        let date = date.with_timezone(&Utc);
        if after.is_some_and(|after| date <= after) {
            continue;
        }
        if until.is_some_and(|until| date > until) || dates.len() >= limit {
            exhausted = false;
            break;
        }
        dates.push(date);
    }
    (dates, exhausted)
}

/// "Tuesday" style: which weekday of its month a date is (1st to 5th).
pub fn nth_of_month(date: NaiveDate) -> i8 {
    i8::try_from((date.day0() / 7) + 1).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(raw: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M").expect("date")
    }

    #[test]
    fn rules_are_read_back_as_they_were_written() {
        let tz = chrono_tz::Europe::Paris;
        let cases = [
            Recurrence {
                frequency: Frequency::Weekly,
                interval: 2,
                weekdays: vec![Weekday::Tue, Weekday::Thu],
                monthly_on: None,
                ends: Ends::After(10),
            },
            Recurrence {
                frequency: Frequency::Monthly,
                interval: 1,
                weekdays: vec![],
                monthly_on: Some(MonthlyOn::NthWeekday {
                    nth: -1,
                    weekday: Weekday::Sat,
                }),
                ends: Ends::On(NaiveDate::from_ymd_opt(2027, 6, 30).expect("date")),
            },
            Recurrence {
                frequency: Frequency::Monthly,
                interval: 3,
                weekdays: vec![],
                monthly_on: Some(MonthlyOn::DayOfMonth(15)),
                ends: Ends::Never,
            },
            Recurrence {
                frequency: Frequency::Daily,
                interval: 1,
                weekdays: vec![],
                monthly_on: None,
                ends: Ends::After(3),
            },
        ];
        for case in cases {
            let rule = case.to_rule(tz).expect("rule");
            assert_eq!(
                Recurrence::from_rule(&rule, tz).expect(&rule),
                case,
                "{rule}"
            );
        }
    }

    #[test]
    fn the_second_tuesday_at_seven_stays_at_seven_in_paris_across_the_clock_change() {
        let tz = chrono_tz::Europe::Paris;
        let rule = "FREQ=MONTHLY;BYDAY=2TU;COUNT=4";
        let set = rule_set(rule, local("2027-01-12 19:00"), tz, &[]).expect("set");
        let (dates, exhausted) = dates_between(&set, None, None, 10);
        assert!(exhausted);
        let shown: Vec<String> = dates
            .iter()
            .map(|d| d.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "2027-01-12 19:00 CET",
                "2027-02-09 19:00 CET",
                "2027-03-09 19:00 CET",
                "2027-04-13 19:00 CEST",
            ]
        );
        // The same local hour is an hour earlier in UTC once summer time begins.
        assert_eq!(dates[0].format("%H:%M").to_string(), "18:00");
        assert_eq!(dates[3].format("%H:%M").to_string(), "17:00");
    }

    #[test]
    fn an_exception_takes_its_date_out_and_the_count_still_counts_it() {
        let tz = chrono_tz::Europe::Paris;
        let set = rule_set(
            "FREQ=WEEKLY;BYDAY=TU;COUNT=3",
            local("2027-01-05 19:00"),
            tz,
            &[local("2027-01-12 19:00")],
        )
        .expect("set");
        let (dates, _) = dates_between(&set, None, None, 10);
        let days: Vec<u32> = dates.iter().map(|d| d.with_timezone(&tz).day()).collect();
        assert_eq!(days, [5, 19]);
    }

    #[test]
    fn dates_stop_at_the_horizon_and_at_the_limit() {
        let tz = chrono_tz::UTC;
        let set = || rule_set("FREQ=DAILY", local("2027-01-01 10:00"), tz, &[]).expect("set");
        let until = Utc.with_ymd_and_hms(2027, 1, 10, 0, 0, 0).single();
        let (dates, exhausted) = dates_between(&set(), None, until, 100);
        assert_eq!((dates.len(), exhausted), (9, false));
        let after = Utc.with_ymd_and_hms(2027, 1, 3, 10, 0, 0).single();
        let (dates, _) = dates_between(&set(), after, None, 2);
        let days: Vec<u32> = dates.iter().map(|d| d.day()).collect();
        assert_eq!(days, [4, 5]);
    }

    #[test]
    fn a_local_time_skipped_by_the_clock_change_moves_past_the_gap() {
        let tz = chrono_tz::Europe::Paris;
        let at = to_utc(tz, local("2027-03-28 02:30"));
        assert_eq!(
            at.with_timezone(&tz).format("%H:%M").to_string(),
            "03:30",
            "02:30 does not exist that night"
        );
    }
}
