//! "Repeats" on the event form and the next dates on an event's page: the common choices in
//! words, read into the backend's rule (which checks it), and the dates a rule gives shown
//! before saving, without JavaScript (a "show the dates" submit).

use backend::i18n::Locale;
use backend::series::{Ends, Frequency, MonthlyOn, Recurrence};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::event_fields::EventFields;
use super::i18n::t;

fn chrono_locale(locale: Locale) -> chrono::Locale {
    match locale {
        Locale::Fr => chrono::Locale::fr_FR,
        Locale::En => chrono::Locale::en_US,
    }
}

fn weekday_name(locale: Locale, day: NaiveDate) -> String {
    day.format_localized("%A", chrono_locale(locale))
        .to_string()
}

/// The most days the form's "without these days" field reads; the backend refuses more than
/// its own bound, and this keeps a pasted page from being parsed at all.
const MAX_EXCEPTIONS_READ: usize = backend::series::policy::MAX_EXCEPTIONS + 1;

/// The rule the form asks for, read from its choices and the first date's local start, with
/// the days it leaves out; `None` when the event does not repeat.
pub(super) fn asked(
    f: &EventFields,
    start: NaiveDateTime,
) -> backend::Result<Option<(Recurrence, Vec<NaiveDate>)>> {
    let date = start.date();
    let (frequency, weekdays, monthly_on) = match f.repeats.as_str() {
        "" | "none" => return Ok(None),
        "daily" => (Frequency::Daily, vec![], None),
        "weekly" => (Frequency::Weekly, vec![date.weekday()], None),
        "monthly_nth" => (
            Frequency::Monthly,
            vec![],
            Some(MonthlyOn::NthWeekday {
                nth: backend::series::rule::nth_of_month(date).min(4),
                weekday: date.weekday(),
            }),
        ),
        "monthly_day" => (
            Frequency::Monthly,
            vec![],
            Some(MonthlyOn::DayOfMonth(u8::try_from(date.day()).unwrap_or(1))),
        ),
        "yearly" => (Frequency::Yearly, vec![], None),
        _ => return Err(backend::Error::invalid("repeats", "not one of the choices")),
    };
    let interval = match f.repeat_interval.trim() {
        "" => 1,
        n => n.parse().map_err(|_| {
            backend::Error::invalid(
                "repeat_interval",
                "a number of days, weeks, months or years",
            )
        })?,
    };
    let ends = match (f.repeat_count.trim(), f.repeat_until.trim()) {
        ("", "") => Ends::Never,
        (count, "") => Ends::After(
            count
                .parse()
                .map_err(|_| backend::Error::invalid("repeat_count", "a number of dates"))?,
        ),
        (_, until) => Ends::On(
            NaiveDate::parse_from_str(until, "%Y-%m-%d")
                .map_err(|_| backend::Error::invalid("repeat_until", "a day"))?,
        ),
    };
    let recurrence = Recurrence {
        frequency,
        interval,
        weekdays,
        monthly_on,
        ends,
    };
    Ok(Some((recurrence, exceptions(&f.repeat_except)?)))
}

/// The days of "without these days": `YYYY-MM-DD`, separated by commas, spaces or lines.
fn exceptions(raw: &str) -> backend::Result<Vec<NaiveDate>> {
    let mut days: Vec<NaiveDate> = raw
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .take(MAX_EXCEPTIONS_READ)
        .map(|part| {
            NaiveDate::parse_from_str(part, "%Y-%m-%d")
                .map_err(|_| backend::Error::invalid("repeat_except", "days as YYYY-MM-DD"))
        })
        .collect::<backend::Result<_>>()?;
    days.sort();
    days.dedup();
    Ok(days)
}

/// "every week on Tuesday", "every 2 weeks on Tuesday", "the second Tuesday of each month",
/// in `locale`, for a series whose first date starts on `first`, without the days `except`.
pub(super) fn in_words(
    locale: Locale,
    recurrence: &Recurrence,
    first: NaiveDate,
    except: &[NaiveDate],
) -> String {
    let day = weekday_name(locale, first);
    let every = u64::from(recurrence.interval);
    let mut words = match (recurrence.frequency, recurrence.monthly_on) {
        (Frequency::Daily, _) if every > 1 => super::i18n::count(locale, "repeats-daily-n", every),
        (Frequency::Daily, _) => t(locale, "repeats-daily"),
        (Frequency::Weekly, _) if every > 1 => {
            super::i18n::with_count(locale, "repeats-weekly-n", "day", day, every)
        }
        (Frequency::Weekly, _) => super::i18n::with(locale, "repeats-weekly", "day", day),
        (Frequency::Monthly, Some(MonthlyOn::NthWeekday { nth, .. })) => {
            let key = match nth {
                1..=4 => format!("repeats-monthly-nth-{nth}"),
                _ => "repeats-monthly-nth-last".to_owned(),
            };
            super::i18n::with(locale, &key, "day", day)
        }
        (Frequency::Monthly, _) => super::i18n::with(
            locale,
            "repeats-monthly-day",
            "day",
            first.day().to_string(),
        ),
        (Frequency::Yearly, _) => t(locale, "repeats-yearly"),
    };
    // Months and years say their gap after the day ("…, one month in 2"), which reads well in
    // both languages without a sentence per day of the month.
    match recurrence.frequency {
        Frequency::Monthly if every > 1 => {
            words = format!(
                "{words}, {}",
                super::i18n::count(locale, "repeats-every-months", every)
            );
        }
        Frequency::Yearly if every > 1 => {
            words = format!(
                "{words}, {}",
                super::i18n::count(locale, "repeats-every-years", every)
            );
        }
        _ => {}
    }
    match recurrence.ends {
        Ends::Never => {}
        Ends::After(count) => {
            words = format!(
                "{words}, {}",
                super::i18n::count(locale, "repeats-times", u64::from(count))
            );
        }
        Ends::On(day) => {
            words = format!(
                "{words}, {}",
                super::i18n::with(locale, "repeats-until", "day", long_day(locale, day))
            );
        }
    }
    if !except.is_empty() {
        let days: Vec<String> = except.iter().map(|d| long_day(locale, *d)).collect();
        words = format!(
            "{words}, {}",
            super::i18n::with(locale, "repeats-except", "days", days.join(", "))
        );
    }
    words
}

/// "9 February 2027", "9 février 2027".
fn long_day(locale: Locale, day: NaiveDate) -> String {
    day.format_localized("%e %B %Y", chrono_locale(locale))
        .to_string()
        .trim()
        .to_owned()
}

/// How many next dates an event's page lists.
const NEXT_DATES: usize = 5;

/// The rule of the series `event` belongs to, in words, and its next dates: those written as
/// events (their uuid, when), then, when fewer than five are written yet, the rule's dates past
/// the horizon (no uuid: nobody can take part in them yet), so the page lists what the
/// preview showed before saving.
pub(super) async fn of_event(
    ctx: &backend::AppContext,
    locale: Locale,
    event: &entity::event::Model,
) -> backend::Result<(Option<String>, Vec<(Option<String>, String)>)> {
    let Some(series_id) = event.series_id else {
        return of_remote_series(ctx, locale, event).await;
    };
    let series = backend::series::find(&ctx.db, series_id).await?;
    let recurrence = backend::series::recurrence(&series)?;
    let first = backend::series::starts_local(&series)?.date();
    let except: Vec<NaiveDate> = backend::series::exdates(&series)?
        .iter()
        .map(NaiveDateTime::date)
        .collect();
    let dates =
        backend::series::upcoming_occurrences(&ctx.db, series_id, ctx.now(), NEXT_DATES as u64 + 1)
            .await?;
    let mut next: Vec<(Option<String>, String)> = dates
        .iter()
        .filter(|d| d.id != event.id)
        .take(NEXT_DATES)
        .map(|d| {
            (
                Some(d.uuid.clone()),
                backend::events::notices::format_when(locale, d),
            )
        })
        .collect();
    if next.len() < NEXT_DATES && !series.finished {
        let tz = backend::series::timezone(&series);
        let (later, _) = backend::series::rule_dates(
            &series,
            Some(series.materialized_until),
            None,
            NEXT_DATES - next.len(),
        )?;
        let not_open = t(locale, "event-date-opens-later");
        next.extend(later.iter().map(|d| {
            let when = locale.format_datetime(&d.with_timezone(&tz));
            (None, format!("{when} ({}), {not_open}", tz.name()))
        }));
    }
    Ok((Some(in_words(locale, &recurrence, first, &except)), next))
}

/// An event of another Convive that names its series there: "part of a series", and the other
/// dates of that series held here (its rule stays there: only the dates come).
async fn of_remote_series(
    ctx: &backend::AppContext,
    locale: Locale,
    event: &entity::event::Model,
) -> backend::Result<(Option<String>, Vec<(Option<String>, String)>)> {
    if event.remote_series_url.is_none() {
        return Ok((None, Vec::new()));
    }
    let others = backend::events::federated::other_dates_of_series(
        &ctx.db,
        event,
        ctx.now(),
        NEXT_DATES as u64,
    )
    .await?;
    let next = others
        .iter()
        .map(|d| {
            (
                Some(d.uuid.clone()),
                backend::events::notices::format_when(locale, d),
            )
        })
        .collect();
    Ok((Some(t(locale, "event-remote-series")), next))
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;

    fn day(raw: &str) -> NaiveDate {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap()
    }

    fn weekly(interval: u32, ends: Ends) -> Recurrence {
        Recurrence {
            frequency: Frequency::Weekly,
            interval,
            weekdays: vec![Weekday::Tue],
            monthly_on: None,
            ends,
        }
    }

    #[test]
    fn a_rule_with_a_gap_and_days_left_out_reads_as_a_sentence_in_both_languages() {
        let first = day("2027-02-02");
        let except = [day("2027-02-16")];
        assert_eq!(
            in_words(Locale::En, &weekly(2, Ends::After(6)), first, &except),
            "every 2 weeks on Tuesday, 6 times, except 16 February 2027"
        );
        assert_eq!(
            in_words(Locale::Fr, &weekly(2, Ends::After(6)), first, &except),
            "toutes les 2 semaines le mardi, 6 fois, sauf le 16 février 2027"
        );
        assert_eq!(
            in_words(Locale::En, &weekly(1, Ends::Never), first, &[]),
            "every week on Tuesday"
        );
        let quarterly = Recurrence {
            frequency: Frequency::Monthly,
            interval: 3,
            weekdays: vec![],
            monthly_on: Some(MonthlyOn::NthWeekday {
                nth: 1,
                weekday: Weekday::Tue,
            }),
            ends: Ends::Never,
        };
        assert_eq!(
            in_words(Locale::En, &quarterly, first, &[]),
            "the first Tuesday of each month, one month in 3"
        );
        assert_eq!(
            in_words(Locale::Fr, &quarterly, first, &[]),
            "le premier mardi de chaque mois, un mois sur 3"
        );
    }

    #[test]
    fn days_left_out_are_read_from_commas_spaces_or_lines_and_anything_else_is_refused() {
        assert_eq!(
            exceptions("2027-03-02, 2027-02-16\n2027-03-02;").unwrap(),
            vec![day("2027-02-16"), day("2027-03-02")]
        );
        assert_eq!(exceptions("  ").unwrap(), Vec::<NaiveDate>::new());
        for bad in ["16/02/2027", "next tuesday", "2027-02-30"] {
            let err = exceptions(bad).unwrap_err();
            assert_eq!(err.code(), "invalid", "{bad}");
        }
    }
}
