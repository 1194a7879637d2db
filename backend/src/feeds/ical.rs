//! iCalendar (RFC 5545, with the calendar properties of RFC 7986) for one event or a feed of
//! them: the `.ics` attached to mail and served by the calendar routes.
//!
//! The `ical` crate's generator neither escapes TEXT nor folds by octets, so the output is
//! written by [`ContentLines`]; the crate's parser checks it in the tests.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use entity::event::{EventStatus, EventVisibility};

use super::content_line::ContentLines;
use super::text::html_to_text;
use super::timezone::{self, DateTimeValue};

pub const PRODID: &str = "-//Convive//Convive//EN";

/// What a calendar says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarMeta {
    pub name: String,
    /// Plain text.
    pub description: Option<String>,
    /// The page the calendar comes from (a group's, an instance's).
    pub url: Option<String>,
    /// How often subscribers should fetch it again (REFRESH-INTERVAL and X-PUBLISHED-TTL).
    pub refresh: Duration,
    /// `METHOD:PUBLISH`, which some clients want on an attached `.ics` before offering to add
    /// it; subscribed feeds usually leave it out.
    pub method_publish: bool,
}

/// One event as a calendar shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarEvent {
    /// Stable across updates, unique across instances: `{uuid}@{host}`.
    pub uid: String,
    pub url: String,
    pub title: String,
    /// Sanitized HTML, written out as plain text.
    pub description_html: String,
    pub begins_on: DateTime<Utc>,
    pub ends_on: Option<DateTime<Utc>>,
    /// IANA name of the zone the event happens in. Times are written in its local time; an
    /// unknown name falls back to UTC.
    pub timezone: String,
    pub created: Option<DateTime<Utc>>,
    /// DTSTAMP and LAST-MODIFIED: taking "now" instead would make every fetch of an unchanged
    /// feed look like a change.
    pub last_modified: DateTime<Utc>,
    /// Bumped whenever the event changes in a way attendees care about.
    pub sequence: i32,
    pub status: EventStatus,
    /// Who may see it: a private or restricted event is `CLASS:PRIVATE`, so that a calendar
    /// shared with others (a family's, an office's) does not show its details.
    pub visibility: EventVisibility,
    /// One line, the address as people read it.
    pub location: Option<String>,
    /// Latitude, longitude.
    pub geo: Option<(f64, f64)>,
    /// The category and the tags.
    pub categories: Vec<String>,
    /// Common name and URI (`mailto:` or the organizer's profile URL).
    pub organizer: Option<(String, String)>,
    pub online_address: Option<String>,
    /// The event's picture (its banner size), on our own origin.
    pub picture: Option<FeedPicture>,
    /// How it belongs to a recurring series, when a feed shows the series as one event.
    pub repeats: Option<Repeats>,
}

/// A recurring series in a calendar: one VEVENT carries the rule and the dates left out, and
/// each date changed alone overrides its date with a VEVENT of the same UID and its original
/// start as RECURRENCE-ID (RFC 5545 §3.8.4.4), instead of one VEVENT per date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Repeats {
    /// The `RRULE` value, on the VEVENT that stands for the series.
    pub rule: Option<String>,
    /// Dates left out of the rule (EXDATE), by their original start.
    pub exdates: Vec<DateTime<Utc>>,
    /// On a date changed alone: its original start.
    pub recurrence_id: Option<DateTime<Utc>>,
    /// The last date calendars expand the rule to, up to which the zone must be written.
    pub last: Option<DateTime<Utc>>,
}

/// A picture as feeds link it: ATTACH in iCalendar, an enclosure in Atom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPicture {
    /// Absolute.
    pub url: String,
    pub content_type: String,
    pub bytes: u64,
}

/// The `.ics` bytes for `events`, in the order given, preceded by one VTIMEZONE per zone they
/// use. The same input always gives the same bytes, so feeds can be compared and cached.
pub fn calendar(meta: &CalendarMeta, events: &[CalendarEvent]) -> Vec<u8> {
    let written: Vec<WrittenEvent> = events.iter().map(vevent).collect();
    calendar_around(meta, written.iter())
}

/// The VEVENT of one event, and the span of local years its zone's VTIMEZONE must cover.
pub(super) fn vevent(event: &CalendarEvent) -> WrittenEvent {
    let mut lines = ContentLines::default();
    write_event(&mut lines, event);
    let zone = timezone::event_zone(&event.timezone).map(|tz| {
        let begins = timezone::local_year(event.begins_on, tz);
        let ends = event
            .ends_on
            .map_or(begins, |e| timezone::local_year(e, tz));
        let last = event
            .repeats
            .as_ref()
            .and_then(|r| r.last)
            .map_or(ends, |last| timezone::local_year(last, tz).max(ends));
        (tz, begins.min(ends), begins.max(last))
    });
    WrittenEvent {
        text: lines.into_string(),
        zone,
    }
}

/// The calendar around events already written, in the order given.
pub(super) fn calendar_around<'a>(
    meta: &CalendarMeta,
    events: impl Iterator<Item = &'a WrittenEvent> + Clone,
) -> Vec<u8> {
    let mut lines = ContentLines::default();
    lines.begin("VCALENDAR");
    lines.value("VERSION", &[], "2.0");
    lines.text("PRODID", PRODID);
    lines.value("CALSCALE", &[], "GREGORIAN");
    if meta.method_publish {
        lines.value("METHOD", &[], "PUBLISH");
    }
    lines.text("NAME", &meta.name);
    lines.text("X-WR-CALNAME", &meta.name);
    if let Some(description) = meta.description.as_deref().filter(|d| !d.trim().is_empty()) {
        lines.text("DESCRIPTION", description);
        lines.text("X-WR-CALDESC", description);
    }
    if let Some(url) = meta.url.as_deref().filter(|u| !u.is_empty()) {
        lines.value("URL", &[], url);
    }
    let refresh = duration(meta.refresh);
    lines.value("REFRESH-INTERVAL", &[("VALUE", "DURATION")], &refresh);
    lines.value("X-PUBLISHED-TTL", &[], &refresh);
    for (tz, (first_year, last_year)) in zones_used(events.clone()).into_values() {
        timezone::write_vtimezone(&mut lines, tz, first_year, last_year);
    }
    let mut out = lines.into_string();
    out.reserve(events.clone().map(|e| e.text.len()).sum::<usize>() + 16);
    for event in events {
        out.push_str(&event.text);
    }
    let mut lines = ContentLines::default();
    lines.end("VCALENDAR");
    out.push_str(&lines.into_string());
    out.into_bytes()
}

/// One event as a feed writes it (a VEVENT, an Atom entry), kept whole so that a feed can be
/// put together again from events that did not change.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenEvent {
    pub(super) text: String,
    /// The zone its times are written in, with the first and last local year they fall in.
    pub(super) zone: Option<(Tz, i32, i32)>,
}

impl WrittenEvent {
    /// What keeping it costs, roughly.
    pub fn size(&self) -> usize {
        self.text.len() + std::mem::size_of::<Self>()
    }
}

/// The zones events are written in, keyed by name so that their VTIMEZONEs come out in a
/// stable order, with the span of local years each must cover.
fn zones_used<'a>(
    events: impl Iterator<Item = &'a WrittenEvent>,
) -> BTreeMap<&'static str, (Tz, (i32, i32))> {
    let mut zones: BTreeMap<&'static str, (Tz, (i32, i32))> = BTreeMap::new();
    for (tz, first, last) in events.filter_map(|event| event.zone) {
        zones
            .entry(tz.name())
            .and_modify(|(_, span)| *span = (span.0.min(first), span.1.max(last)))
            .or_insert((tz, (first, last)));
    }
    zones
}

fn write_event(lines: &mut ContentLines, event: &CalendarEvent) {
    let zone = timezone::event_zone(&event.timezone);
    lines.begin("VEVENT");
    lines.text("UID", &event.uid);
    lines.value("DTSTAMP", &[], &timezone::utc(event.last_modified));
    if let Some(created) = event.created {
        lines.value("CREATED", &[], &timezone::utc(created));
    }
    lines.value("LAST-MODIFIED", &[], &timezone::utc(event.last_modified));
    lines.value("SEQUENCE", &[], &event.sequence.max(0).to_string());
    DateTimeValue::new(event.begins_on, zone).write(lines, "DTSTART");
    // RFC 5545 wants DTEND strictly after DTSTART; without it the event is an instant.
    if let Some(ends_on) = event.ends_on.filter(|ends_on| *ends_on > event.begins_on) {
        DateTimeValue::new(ends_on, zone).write(lines, "DTEND");
    }
    if let Some(repeats) = &event.repeats {
        if let Some(original) = repeats.recurrence_id {
            DateTimeValue::new(original, zone).write(lines, "RECURRENCE-ID");
        }
        if let Some(rule) = &repeats.rule {
            lines.value("RRULE", &[], rule);
        }
        for exdate in &repeats.exdates {
            DateTimeValue::new(*exdate, zone).write(lines, "EXDATE");
        }
    }
    lines.text("SUMMARY", &event.title);
    let description = description(event);
    if !description.is_empty() {
        lines.text("DESCRIPTION", &description);
    }
    if !event.url.is_empty() {
        lines.value("URL", &[], &event.url);
    }
    if let Some(location) = event.location.as_deref().filter(|l| !l.trim().is_empty()) {
        lines.text("LOCATION", location);
    }
    if let Some((latitude, longitude)) = event.geo.filter(|geo| valid_geo(*geo)) {
        lines.value("GEO", &[], &format!("{latitude};{longitude}"));
    }
    let categories = categories(&event.categories);
    if !categories.is_empty() {
        lines.text_list("CATEGORIES", &categories);
    }
    lines.value("STATUS", &[], status(event.status));
    if let Some((name, uri)) = &event.organizer
        && !uri.is_empty()
    {
        let name = name.trim();
        let params: &[(&str, &str)] = if name.is_empty() {
            &[]
        } else {
            &[("CN", name)]
        };
        lines.value("ORGANIZER", params, uri);
    }
    if let Some(address) = online_address(event) {
        // RFC 7986: lets clients offer a "join" button where they support it.
        lines.value("CONFERENCE", &[("VALUE", "URI")], address);
    }
    if let Some(picture) = &event.picture {
        // RFC 5545 §3.8.1.1: a URI, with its media type for clients choosing what to fetch.
        lines.value(
            "ATTACH",
            &[("FMTTYPE", picture.content_type.as_str())],
            &picture.url,
        );
    }
    lines.value("CLASS", &[], class(event.visibility));
    lines.value("TRANSP", &[], "OPAQUE");
    lines.end("VEVENT");
}

/// The description as text, followed by the online address on a line of its own, since most
/// clients show neither CONFERENCE nor URL prominently.
fn description(event: &CalendarEvent) -> String {
    let mut text = html_to_text(&event.description_html);
    if let Some(address) = online_address(event) {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(address);
    }
    text
}

fn online_address(event: &CalendarEvent) -> Option<&str> {
    event
        .online_address
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
}

/// Non-empty categories, each once, in their first position.
fn categories(all: &[String]) -> Vec<&str> {
    let mut kept: Vec<&str> = Vec::new();
    for category in all.iter().map(|c| c.trim()) {
        if !category.is_empty() && !kept.contains(&category) {
            kept.push(category);
        }
    }
    kept
}

fn valid_geo((latitude, longitude): (f64, f64)) -> bool {
    (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude)
}

fn status(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Tentative => "TENTATIVE",
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
    }
}

/// The access classification (RFC 5545 §3.8.1.3). An unlisted event is seen by anyone given
/// its link, as a public one is.
fn class(visibility: EventVisibility) -> &'static str {
    match visibility {
        EventVisibility::Public | EventVisibility::Unlisted => "PUBLIC",
        EventVisibility::Restricted | EventVisibility::Private => "PRIVATE",
    }
}

/// A DURATION value (RFC 5545 §3.3.6), such as `PT1H`, `P1D`, `P1DT12H` or `P2W`, to the
/// second. The grammar allows no seconds after hours without minutes between, hence `PT1H0M5S`.
pub(super) fn duration(duration: Duration) -> String {
    let sign = if duration < Duration::zero() { "-" } else { "" };
    let total = duration.num_seconds().unsigned_abs();
    if total == 0 {
        return "PT0S".to_owned();
    }
    let week = 7 * 86_400;
    if total.is_multiple_of(week) {
        return format!("{sign}P{}W", total / week);
    }
    let (days, hours, minutes, seconds) = (
        total / 86_400,
        total / 3600 % 24,
        total / 60 % 60,
        total % 60,
    );
    let mut value = format!("{sign}P");
    if days > 0 {
        value.push_str(&format!("{days}D"));
    }
    if hours + minutes + seconds > 0 {
        value.push('T');
        if hours > 0 {
            value.push_str(&format!("{hours}H"));
        }
        if minutes > 0 || (hours > 0 && seconds > 0) {
            value.push_str(&format!("{minutes}M"));
        }
        if seconds > 0 {
            value.push_str(&format!("{seconds}S"));
        }
    }
    value
}

#[cfg(test)]
mod tests;
