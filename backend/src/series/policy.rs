//! The rules of recurring events: which rules a series may follow (no more often than daily,
//! bounded in count, span and exceptions) and which changes apply to several dates at once.

use chrono::{NaiveDate, NaiveDateTime};

use super::rule::{Ends, Frequency, MonthlyOn, Recurrence};
use crate::error::{Result, Validation};

/// At most every 99th day, week, month or year: a larger gap is a different event.
pub const MAX_INTERVAL: u32 = 99;
/// A series ending after a count has at most this many dates.
pub const MAX_COUNT: u32 = 1000;
/// A series ending on a date ends within this many years of its start.
pub const MAX_YEARS: i32 = 10;
/// Dates taken out of a series at creation.
pub const MAX_EXCEPTIONS: usize = 200;
/// Occurrences written in one go (a series, or one run of the horizon job for it).
pub const MAX_PER_MATERIALIZATION: usize = 1000;

/// Checks a rule for a series whose first date starts at `start` (local), with `exceptions`.
/// Frequencies under a day cannot even be asked for ([`Frequency`] has none): a daily rule is
/// the most frequent.
pub fn check(
    recurrence: &Recurrence,
    start: NaiveDateTime,
    exceptions: &[NaiveDate],
) -> Result<()> {
    let mut v = Validation::default();
    if !(1..=MAX_INTERVAL).contains(&recurrence.interval) {
        v.add(
            "recurrence.interval",
            format!("repeats every 1 to {MAX_INTERVAL} periods"),
        );
    }
    match recurrence.ends {
        Ends::After(count) if !(1..=MAX_COUNT).contains(&count) => {
            v.add(
                "recurrence.count",
                format!("a series has between 1 and {MAX_COUNT} dates"),
            );
        }
        Ends::On(until) => {
            if until < start.date() {
                v.add("recurrence.until", "the series ends after its first date");
            }
            if until.years_since(start.date()).unwrap_or(0) >= MAX_YEARS as u32 {
                v.add(
                    "recurrence.until",
                    format!("a series ends within {MAX_YEARS} years"),
                );
            }
        }
        _ => {}
    }
    if recurrence.frequency != Frequency::Weekly && !recurrence.weekdays.is_empty() {
        v.add(
            "recurrence.weekdays",
            "days of the week are for weekly series",
        );
    }
    match (recurrence.frequency, recurrence.monthly_on) {
        (Frequency::Monthly, Some(MonthlyOn::DayOfMonth(day))) if !(1..=31).contains(&day) => {
            v.add("recurrence.monthDay", "a day of the month is 1 to 31");
        }
        (Frequency::Monthly, Some(MonthlyOn::NthWeekday { nth, .. }))
            if !matches!(nth, 1..=4 | -1) =>
        {
            v.add(
                "recurrence.weekOfMonth",
                "the first to fourth, or the last, of the month",
            );
        }
        (Frequency::Monthly, _) | (_, None) => {}
        (_, Some(_)) => v.add(
            "recurrence.monthlyOn",
            "a day of the month is for monthly series",
        ),
    }
    if exceptions.len() > MAX_EXCEPTIONS {
        v.add(
            "recurrence.exceptions",
            format!("at most {MAX_EXCEPTIONS} dates left out"),
        );
    }
    v.finish()
}

/// Which dates a change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ApplyTo {
    /// This date alone.
    #[default]
    This,
    /// This date and the ones after it (the series is split there).
    ThisAndFollowing,
    /// Every date not over yet.
    All,
}

/// A change of several dates at once keeps each on its day: it may move their time of day and
/// their length, not the day (that is a change of the rule, or of one date alone).
pub fn may_move_several(before: NaiveDateTime, after: NaiveDateTime) -> bool {
    before.date() == after.date()
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;

    fn weekly() -> Recurrence {
        Recurrence {
            frequency: Frequency::Weekly,
            interval: 1,
            weekdays: vec![Weekday::Tue],
            monthly_on: None,
            ends: Ends::Never,
        }
    }

    fn start() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2027, 1, 5)
            .and_then(|d| d.and_hms_opt(19, 0, 0))
            .expect("date")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn rules_are_checked_field_by_field() {
        let cases: Vec<(Recurrence, Option<&str>)> = vec![
            (weekly(), None),
            (
                Recurrence {
                    interval: 0,
                    ..weekly()
                },
                Some("recurrence.interval"),
            ),
            (
                Recurrence {
                    interval: 100,
                    ..weekly()
                },
                Some("recurrence.interval"),
            ),
            (
                Recurrence {
                    ends: Ends::After(0),
                    ..weekly()
                },
                Some("recurrence.count"),
            ),
            (
                Recurrence {
                    ends: Ends::After(1001),
                    ..weekly()
                },
                Some("recurrence.count"),
            ),
            (
                Recurrence {
                    ends: Ends::On(date(2026, 12, 1)),
                    ..weekly()
                },
                Some("recurrence.until"),
            ),
            (
                Recurrence {
                    ends: Ends::On(date(2037, 1, 5)),
                    ..weekly()
                },
                Some("recurrence.until"),
            ),
            (
                Recurrence {
                    ends: Ends::On(date(2036, 12, 31)),
                    ..weekly()
                },
                None,
            ),
            (
                Recurrence {
                    frequency: Frequency::Daily,
                    ..weekly()
                },
                Some("recurrence.weekdays"),
            ),
            (
                Recurrence {
                    frequency: Frequency::Monthly,
                    weekdays: vec![],
                    monthly_on: Some(MonthlyOn::NthWeekday {
                        nth: 5,
                        weekday: Weekday::Tue,
                    }),
                    ..weekly()
                },
                Some("recurrence.weekOfMonth"),
            ),
            (
                Recurrence {
                    frequency: Frequency::Monthly,
                    weekdays: vec![],
                    monthly_on: Some(MonthlyOn::DayOfMonth(32)),
                    ..weekly()
                },
                Some("recurrence.monthDay"),
            ),
            (
                Recurrence {
                    weekdays: vec![],
                    monthly_on: Some(MonthlyOn::DayOfMonth(3)),
                    ..weekly()
                },
                Some("recurrence.monthlyOn"),
            ),
        ];
        for (recurrence, field) in cases {
            let result = check(&recurrence, start(), &[]);
            match field {
                None => assert!(result.is_ok(), "{recurrence:?}: {result:?}"),
                Some(field) => {
                    let err = result.expect_err("refused");
                    assert!(format!("{err:?}").contains(field), "{field}: {err:?}");
                }
            }
        }
        let too_many = vec![date(2027, 2, 2); MAX_EXCEPTIONS + 1];
        assert!(check(&weekly(), start(), &too_many).is_err());
    }

    #[test]
    fn several_dates_move_within_their_day_only() {
        let later = start() + chrono::Duration::hours(1);
        assert!(may_move_several(start(), later));
        assert!(!may_move_several(
            start(),
            start() + chrono::Duration::days(1)
        ));
    }
}
