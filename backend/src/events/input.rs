//! What clients send to create or change an event, and its validation into stored values.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::event::{EventStatus, EventVisibility, JoinOptions};
use sea_orm::{ActiveEnum, Iterable};

use super::{categories, sanitize};
use crate::addresses::{self, AddressInput, Place};
use crate::error::{Error, Result, Validation};

pub const TITLE_MIN_CHARS: usize = 3;
pub const TITLE_MAX_CHARS: usize = 200;
pub const DESCRIPTION_MAX_CHARS: usize = 50_000;
pub const MAX_TAGS: usize = 10;
pub const TAG_MAX_CHARS: usize = 40;
pub const MAX_CAPACITY: i32 = 1_000_000;

/// Mobilizon's `EventOptionsInput` (the parts Convive acts on).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventOptions {
    pub maximum_attendee_capacity: Option<i32>,
    pub show_remaining_attendee_capacity: Option<bool>,
    pub anonymous_participation: Option<bool>,
    pub hide_number_of_participants: Option<bool>,
    pub timezone: Option<String>,
    /// Convive's own: whether a full event puts newcomers on a waitlist (on when absent at
    /// creation).
    pub waitlist: Option<bool>,
}

/// A new event as given by a client.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub organizer_actor_id: Option<i64>,
    pub attributed_to_id: Option<i64>,
    pub title: String,
    /// HTML, sanitized before it is stored.
    pub description: Option<String>,
    /// What a person typed (Markdown, see [`super::description`]): when given, the HTML
    /// `description` is made from it and it is kept to be shown back in the form.
    pub description_source: Option<String>,
    pub begins_on: Option<DateTime<Utc>>,
    pub ends_on: Option<DateTime<Utc>>,
    pub status: Option<EventStatus>,
    pub visibility: Option<EventVisibility>,
    pub join_options: Option<JoinOptions>,
    pub external_participation_url: Option<String>,
    pub draft: Option<bool>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    pub language: Option<String>,
    pub online_address: Option<String>,
    pub physical_address: Option<AddressInput>,
    pub options: EventOptions,
}

/// Changes to an event: `None` leaves a field as it is. Empty strings clear optional text
/// fields; an address whose fields are all empty removes the address.
#[derive(Debug, Clone, Default)]
pub struct EventChanges {
    pub attributed_to_id: Option<i64>,
    pub title: Option<String>,
    /// HTML; given alone, it replaces the description and forgets any Markdown source.
    pub description: Option<String>,
    /// Markdown typed in the form; when given, `description` is made from it.
    pub description_source: Option<String>,
    pub begins_on: Option<DateTime<Utc>>,
    pub ends_on: Option<DateTime<Utc>>,
    pub status: Option<EventStatus>,
    pub visibility: Option<EventVisibility>,
    pub join_options: Option<JoinOptions>,
    pub external_participation_url: Option<String>,
    pub draft: Option<bool>,
    pub category: Option<String>,
    pub tags: Option<Vec<String>>,
    pub language: Option<String>,
    pub online_address: Option<String>,
    pub physical_address: Option<AddressInput>,
    pub options: EventOptions,
}

pub fn title(raw: &str) -> Result<String> {
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars = title.chars().count();
    if !(TITLE_MIN_CHARS..=TITLE_MAX_CHARS).contains(&chars) {
        return Err(Error::invalid(
            "title",
            format!("a title has between {TITLE_MIN_CHARS} and {TITLE_MAX_CHARS} characters"),
        ));
    }
    Ok(title)
}

pub fn description(raw: &str) -> Result<String> {
    if raw.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(Error::invalid(
            "description",
            format!("at most {DESCRIPTION_MAX_CHARS} characters"),
        ));
    }
    Ok(sanitize::description(raw))
}

/// A zone by its IANA name (`Europe/Paris`), or by the name of its city when that names
/// exactly one zone (`Paris`, `new york`, `Sao Paulo`).
pub fn timezone(raw: &str) -> Result<Tz> {
    let raw = raw.trim();
    if let Ok(zone) = raw.parse::<Tz>() {
        return Ok(zone);
    }
    let wanted = crate::search::fold(&raw.replace('_', " "));
    let mut found = chrono_tz::TZ_VARIANTS.iter().filter(|zone| {
        !wanted.is_empty() && crate::search::fold(&zone_city(zone.name())) == wanted
    });
    match (found.next(), found.next()) {
        (Some(zone), None) => Ok(*zone),
        _ => Err(Error::invalid(
            "options.timezone",
            format!("\"{raw}\" is not a time zone name such as Europe/Paris"),
        )),
    }
}

/// The city a zone is named after, as people write it: `America/Argentina/Buenos_Aires` is
/// "Buenos Aires".
pub fn zone_city(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).replace('_', " ")
}

/// The years an event may be in: calendars write a year in four digits, and a date near
/// chrono's limits would overflow the arithmetic of reminders and feeds.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

/// `date` brought within [`YEARS`], for filters: no event is outside them, and the databases
/// cannot compare dates far beyond (PostgreSQL stops at 4713 BC).
pub fn within_years(date: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::TimeZone;
    let first = Utc.with_ymd_and_hms(*YEARS.start(), 1, 1, 0, 0, 0).single();
    let last = Utc
        .with_ymd_and_hms(*YEARS.end(), 12, 31, 23, 59, 59)
        .single();
    match (first, last) {
        (Some(first), _) if date < first => first,
        (_, Some(last)) if date > last => last,
        _ => date,
    }
}

pub fn dates(begins_on: DateTime<Utc>, ends_on: Option<DateTime<Utc>>) -> Result<()> {
    use chrono::Datelike;
    let mut validation = crate::error::Validation::new();
    for (field, date) in [("beginsOn", Some(begins_on)), ("endsOn", ends_on)] {
        if let Some(date) = date
            && !YEARS.contains(&date.year())
        {
            validation.add(
                field,
                format!(
                    "{} is out of range: expected a year from {} to {}",
                    date.year(),
                    YEARS.start(),
                    YEARS.end()
                ),
            );
        }
    }
    validation.finish()?;
    if let Some(end) = ends_on
        && end < begins_on
    {
        return Err(Error::invalid(
            "endsOn",
            "the end comes before the beginning",
        ));
    }
    Ok(())
}

pub fn category(raw: &str) -> Result<Option<String>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    categories::parse(raw)
        .map(|c| Some(c.to_owned()))
        .ok_or_else(|| {
            Error::invalid(
                "category",
                format!(
                    "\"{raw}\" is not a category; expected one of {}",
                    categories::CATEGORIES.join(", ")
                ),
            )
        })
}

/// Who may see the event, by its name (`public`, `unlisted`, `restricted`, `private`, in any
/// case, as forms and Mobilizon's enums write it); `None` when none is given. An unknown name
/// is refused rather than read as public: a typo must not publish a private event.
pub fn visibility(raw: &str) -> Result<Option<EventVisibility>> {
    named(raw, "visibility", "a visibility")
}

/// How people take part, by its name (`free`, `restricted`, `invite`, `external`); `None`
/// when none is given. An unknown name is refused rather than read as free.
pub fn join_options(raw: &str) -> Result<Option<JoinOptions>> {
    named(raw, "joinOptions", "a way to take part")
}

/// One of an enum's stored names, which the entity spells once for the database and clients.
fn named<E>(raw: &str, field: &str, what: &str) -> Result<Option<E>>
where
    E: ActiveEnum<Value = String> + Iterable,
{
    let wanted = raw.trim().to_ascii_lowercase();
    if wanted.is_empty() {
        return Ok(None);
    }
    E::iter()
        .find(|e| e.to_value() == wanted)
        .map(Some)
        .ok_or_else(|| {
            let names: Vec<String> = E::iter().map(|e| e.to_value()).collect();
            Error::invalid(
                field,
                format!(
                    "\"{raw}\" is not {what}; expected one of {}",
                    names.join(", ")
                ),
            )
        })
}

/// Tags as typed, trimmed and deduplicated by their folded form.
pub fn tags(raw: &[String]) -> Result<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let mut tags = Vec::new();
    for tag in raw {
        let tag = tag.trim().trim_start_matches('#').trim();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > TAG_MAX_CHARS {
            return Err(Error::invalid(
                "tags",
                format!("a tag has at most {TAG_MAX_CHARS} characters"),
            ));
        }
        if tag.chars().any(char::is_control) {
            return Err(Error::invalid("tags", "control characters are not allowed"));
        }
        if seen.insert(crate::search::fold(tag)) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(Error::invalid("tags", format!("at most {MAX_TAGS} tags")));
    }
    Ok(tags)
}

/// An ISO 639 language code, optionally with a region: `fr`, `en-GB`.
pub fn language(raw: &str) -> Result<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let mut parts = raw.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    let region = parts.next();
    let ok = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && region.is_none_or(|r| {
            (2..=8).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric())
        })
        && parts.next().is_none();
    if !ok {
        return Err(Error::invalid(
            "language",
            "expected a language code such as fr or en-GB",
        ));
    }
    Ok(Some(match region {
        Some(r) => format!(
            "{}-{}",
            primary.to_ascii_lowercase(),
            r.to_ascii_uppercase()
        ),
        None => primary.to_ascii_lowercase(),
    }))
}

/// An absolute http(s) URL, or none for an empty string.
pub fn web_address(raw: &str, field: &str) -> Result<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let url = url::Url::parse(raw)
        .map_err(|_| Error::invalid(field, "expected a web address starting with https://"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() || raw.len() > 2048 {
        return Err(Error::invalid(
            field,
            "expected a web address starting with https://",
        ));
    }
    Ok(Some(url.to_string()))
}

pub fn capacity(raw: i32) -> Result<Option<i32>> {
    match raw {
        0 => Ok(None),
        n if (1..=MAX_CAPACITY).contains(&n) => Ok(Some(n)),
        _ => Err(Error::invalid(
            "options.maximumAttendeeCapacity",
            format!("expected 0 (no limit) or a number up to {MAX_CAPACITY}"),
        )),
    }
}

/// The checked form of every field a change may touch.
#[derive(Debug, Clone, Default)]
pub struct CheckedFields {
    pub title: Option<String>,
    pub description: Option<String>,
    pub timezone: Option<Tz>,
    pub category: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub language: Option<Option<String>>,
    pub online_address: Option<Option<String>>,
    pub external_participation_url: Option<Option<String>>,
    pub place: Option<Option<Place>>,
    pub capacity: Option<Option<i32>>,
}

/// Checks every field that is present, collecting all problems at once.
#[allow(clippy::too_many_arguments)]
pub fn check_fields(
    title_raw: Option<&str>,
    description_raw: Option<&str>,
    timezone_raw: Option<&str>,
    category_raw: Option<&str>,
    tags_raw: Option<&[String]>,
    language_raw: Option<&str>,
    online_raw: Option<&str>,
    external_raw: Option<&str>,
    address: Option<&AddressInput>,
    capacity_raw: Option<i32>,
) -> Result<CheckedFields> {
    let mut v = Validation::new();
    let fields = CheckedFields {
        title: title_raw.and_then(|t| v.check(title(t))),
        description: description_raw.and_then(|d| v.check(description(d))),
        timezone: timezone_raw.and_then(|t| v.check(timezone(t))),
        category: category_raw.and_then(|c| v.check(category(c))),
        tags: tags_raw.and_then(|t| v.check(tags(t))),
        language: language_raw.and_then(|l| v.check(language(l))),
        online_address: online_raw.and_then(|o| v.check(web_address(o, "onlineAddress"))),
        external_participation_url: external_raw
            .and_then(|e| v.check(web_address(e, "externalParticipationUrl"))),
        place: address.and_then(|a| {
            v.check(addresses::validate(a, "physicalAddress"))
                .map(|p| (!p.is_empty()).then_some(p))
        }),
        capacity: capacity_raw.and_then(|c| v.check(capacity(c))),
    };
    v.finish()?;
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_is_found_by_its_name_or_by_a_city_that_names_only_it() {
        assert_eq!(
            timezone("Europe/Paris").ok(),
            Some(chrono_tz::Europe::Paris)
        );
        assert_eq!(timezone(" paris ").ok(), Some(chrono_tz::Europe::Paris));
        assert_eq!(
            timezone("new york").ok(),
            Some(chrono_tz::America::New_York)
        );
        assert_eq!(
            timezone("São Paulo").ok(),
            Some(chrono_tz::America::Sao_Paulo)
        );
        assert!(timezone("Atlantis").is_err());
        assert!(timezone("").is_err());
    }

    #[test]
    fn titles_are_between_3_and_200_characters_after_trimming() {
        assert!(title("  ab  ").is_err());
        assert_eq!(
            title("  Repair   café ").ok().as_deref(),
            Some("Repair café")
        );
        assert!(title(&"é".repeat(200)).is_ok());
        assert!(title(&"é".repeat(201)).is_err());
    }

    #[test]
    fn dates_are_within_the_years_a_calendar_can_write_and_end_after_they_begin() {
        let at = |raw: &str| raw.parse::<DateTime<Utc>>().unwrap();
        assert!(dates(at("2027-03-20T18:00:00Z"), Some(at("2027-03-20T21:00:00Z"))).is_ok());
        assert!(dates(at("+262000-01-01T00:00:00Z"), None).is_err());
        assert!(
            dates(
                at("2027-03-20T18:00:00Z"),
                Some(at("+10000-01-01T00:00:00Z"))
            )
            .is_err()
        );
        assert!(dates(at("1969-12-31T23:00:00Z"), None).is_err());
        assert!(dates(at("2027-03-20T18:00:00Z"), Some(at("2027-03-20T17:00:00Z"))).is_err());
        assert_eq!(
            within_years(at("-262000-01-01T00:00:00Z")),
            at("1970-01-01T00:00:00Z")
        );
        assert_eq!(
            within_years(at("+262000-01-01T00:00:00Z")),
            at("9999-12-31T23:59:59Z")
        );
        assert_eq!(
            within_years(at("2027-03-20T18:00:00Z")),
            at("2027-03-20T18:00:00Z")
        );
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(
            timezone("Europe/Paris").ok(),
            Some(chrono_tz::Europe::Paris)
        );
        assert!(timezone("Mars/Olympus").is_err());
        assert!(timezone("+02:00").is_err());
    }

    #[test]
    fn categories_are_mobilizons() {
        assert_eq!(category("meeting").ok(), Some(Some("MEETING".to_owned())));
        assert_eq!(category("").ok(), Some(None));
        assert!(category("KNITTING").is_err());
    }

    #[test]
    fn visibility_and_join_options_are_known_names_or_refused_with_their_field() {
        assert_eq!(
            visibility(" Private ").ok(),
            Some(Some(EventVisibility::Private))
        );
        assert_eq!(
            visibility("UNLISTED").ok(),
            Some(Some(EventVisibility::Unlisted))
        );
        assert_eq!(visibility("").ok(), Some(None));
        assert_eq!(join_options("invite").ok(), Some(Some(JoinOptions::Invite)));
        assert_eq!(join_options(" ").ok(), Some(None));
        fn refused_field<T: std::fmt::Debug>(result: Result<T>) -> String {
            match result {
                Err(Error::Invalid(fields)) if fields.len() == 1 => {
                    assert!(fields[0].message.contains("weird"), "{fields:?}");
                    fields[0].field.clone()
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(refused_field(visibility("weird")), "visibility");
        assert_eq!(refused_field(join_options("weird")), "joinOptions");
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_bounded() {
        let raw: Vec<String> = ["#Vélo", "velo", " repair ", ""]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            tags(&raw).ok(),
            Some(vec!["Vélo".to_owned(), "repair".to_owned()])
        );
        let many: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        assert!(tags(&many).is_err());
    }

    #[test]
    fn languages_and_addresses_are_checked() {
        assert_eq!(language("FR").ok(), Some(Some("fr".to_owned())));
        assert_eq!(language("en_gb").ok(), Some(Some("en-GB".to_owned())));
        assert!(language("french").is_err());
        assert!(web_address("javascript:alert(1)", "onlineAddress").is_err());
        assert!(web_address("https://meet.example.org/room", "onlineAddress").is_ok());
    }

    #[test]
    fn every_bad_field_is_reported_together() {
        let err = check_fields(
            Some("x"),
            None,
            Some("Nowhere/Town"),
            Some("NOPE"),
            None,
            None,
            Some("ftp://x"),
            None,
            None,
            Some(-1),
        )
        .expect_err("invalid");
        match err {
            Error::Invalid(fields) => assert_eq!(fields.len(), 5, "{fields:?}"),
            other => panic!("{other:?}"),
        }
    }
}
