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

/// The rule the form asks for, read from its choice and the first date's local start; `None`
/// when the event does not repeat.
pub(super) fn asked(f: &EventFields, start: NaiveDateTime) -> backend::Result<Option<Recurrence>> {
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
    Ok(Some(Recurrence {
        frequency,
        interval: 1,
        weekdays,
        monthly_on,
        ends,
    }))
}

/// "every week on Tuesday", "the second Tuesday of each month", in `locale`, for a series
/// whose first date starts on `first`.
pub(super) fn in_words(locale: Locale, recurrence: &Recurrence, first: NaiveDate) -> String {
    let day = weekday_name(locale, first);
    let words = match (recurrence.frequency, recurrence.monthly_on) {
        (Frequency::Daily, _) => t(locale, "repeats-daily"),
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
    match recurrence.ends {
        Ends::Never => words,
        Ends::After(count) => format!(
            "{words}, {}",
            super::i18n::count(locale, "repeats-times", u64::from(count))
        ),
        Ends::On(day) => format!(
            "{words}, {}",
            super::i18n::with(
                locale,
                "repeats-until",
                "day",
                day.format_localized("%e %B %Y", chrono_locale(locale))
                    .to_string()
                    .trim()
                    .to_owned()
            )
        ),
    }
}

/// The rule of the series `event` belongs to, in words, and its next dates (uuid, when).
pub(super) async fn of_event(
    ctx: &backend::AppContext,
    locale: Locale,
    event: &entity::event::Model,
) -> backend::Result<(Option<String>, Vec<(String, String)>)> {
    let Some(series_id) = event.series_id else {
        return Ok((None, Vec::new()));
    };
    let series = backend::series::find(&ctx.db, series_id).await?;
    let recurrence = backend::series::recurrence(&series)?;
    let first = backend::series::starts_local(&series)?.date();
    let dates = backend::series::upcoming_occurrences(&ctx.db, series_id, ctx.now(), 6).await?;
    let next = dates
        .iter()
        .filter(|d| d.id != event.id)
        .take(5)
        .map(|d| {
            (
                d.uuid.clone(),
                backend::events::notices::format_when(locale, d),
            )
        })
        .collect();
    Ok((Some(in_words(locale, &recurrence, first)), next))
}
