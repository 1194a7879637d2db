//! Time zones for calendars: which zone an event's times are written in, how a time is written
//! in it, and the VTIMEZONE component (RFC 5545 §3.6.5) that tells clients what the zone means.
//!
//! chrono-tz knows the offset in effect at any instant but not the rules behind it, so the
//! transitions are found by scanning the offset across the years the events need.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use super::content_line::ContentLines;

/// Zone names that mean UTC itself: times in them are written in the `Z` form, which every
/// client understands without a VTIMEZONE.
const UTC_NAMES: &[&str] = &[
    "UTC",
    "Etc/UTC",
    "UCT",
    "Etc/UCT",
    "Universal",
    "Etc/Universal",
    "Zulu",
    "Etc/Zulu",
];

/// How far apart offset samples are taken; no zone changes its offset twice this close together
/// in the years calendars deal with.
const SCAN_STEP_SECS: i64 = 6 * 3600;

/// The zone an event's times are written in, or `None` for UTC: an empty or unknown name falls
/// back to UTC, where the instant is still right even if the wall-clock zone is lost.
pub(super) fn event_zone(name: &str) -> Option<Tz> {
    let tz: Tz = name.trim().parse().ok()?;
    (!UTC_NAMES.contains(&tz.name())).then_some(tz)
}

/// A DATE-TIME value as written: local time with a TZID parameter, or UTC with `Z`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DateTimeValue {
    Local { tzid: &'static str, time: String },
    Utc(String),
}

impl DateTimeValue {
    /// Writes `instant` as the local time of `zone`. A local time that happens twice (when
    /// clocks go back) means its first occurrence to a client (RFC 5545 §3.3.5), so the second
    /// one is written in UTC instead.
    pub(super) fn new(instant: DateTime<Utc>, zone: Option<Tz>) -> Self {
        let Some(tz) = zone else {
            return Self::Utc(utc(instant));
        };
        let local = instant.with_timezone(&tz).naive_local();
        match tz.from_local_datetime(&local).earliest() {
            Some(first) if first.with_timezone(&Utc) == instant => Self::Local {
                tzid: tz.name(),
                time: local_time(local),
            },
            _ => Self::Utc(utc(instant)),
        }
    }

    pub(super) fn write(&self, lines: &mut ContentLines, name: &str) {
        match self {
            Self::Local { tzid, time } => lines.value(name, &[("TZID", tzid)], time),
            Self::Utc(time) => lines.value(name, &[], time),
        }
    }
}

/// A UTC DATE-TIME value (`20261201T180000Z`), the only form DTSTAMP, CREATED and LAST-MODIFIED
/// accept.
pub(super) fn utc(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local_time(time: NaiveDateTime) -> String {
    time.format("%Y%m%dT%H%M%S").to_string()
}

/// VTIMEZONEs written already, by zone and span of years. Each is the same for every feed and
/// every build (the zones' rules are compiled in), and scanning a span for its transitions
/// cost a feed build after one event changed more than putting its kept events together.
static WRITTEN_ZONES: Mutex<BTreeMap<ZoneSpan, Arc<str>>> = Mutex::new(BTreeMap::new());

/// A zone's name with the first and last local years a VTIMEZONE covers.
type ZoneSpan = (&'static str, i32, i32);

/// Spans kept at most; zones × the spans feeds use stay far below (a clear starts over).
const WRITTEN_ZONES_MAX: usize = 4096;

/// Writes the VTIMEZONE of `tz` for events between `first_year` and `last_year` (local years),
/// covering one year more on each side.
pub(super) fn write_vtimezone(lines: &mut ContentLines, tz: Tz, first_year: i32, last_year: i32) {
    let key = (tz.name(), first_year, last_year);
    let kept = WRITTEN_ZONES
        .lock()
        .ok()
        .and_then(|zones| zones.get(&key).cloned());
    let written = kept.unwrap_or_else(|| {
        let mut own = ContentLines::default();
        vtimezone(&mut own, tz, first_year, last_year);
        let written: Arc<str> = own.into_string().into();
        if let Ok(mut zones) = WRITTEN_ZONES.lock() {
            if zones.len() >= WRITTEN_ZONES_MAX {
                zones.clear();
            }
            zones.insert(key, written.clone());
        }
        written
    });
    lines.written(&written);
}

fn vtimezone(lines: &mut ContentLines, tz: Tz, first_year: i32, last_year: i32) {
    lines.begin("VTIMEZONE");
    lines.text("TZID", tz.name());
    for observance in observances(
        tz,
        first_year.saturating_sub(1),
        last_year.saturating_add(1),
    ) {
        observance.write(lines);
    }
    lines.end("VTIMEZONE");
}

/// The offset a zone shows at some instant, as far as a calendar cares.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ZoneOffset {
    utc_offset_secs: i32,
    daylight: bool,
    abbreviation: Option<String>,
}

impl ZoneOffset {
    fn at(tz: Tz, timestamp: i64) -> Option<Self> {
        let instant = DateTime::from_timestamp(timestamp, 0)?;
        let offset = tz.offset_from_utc_datetime(&instant.naive_utc());
        Some(Self {
            utc_offset_secs: offset.fix().local_minus_utc(),
            // Zones with a negative saving in winter (Europe/Dublin) keep calling that standard.
            daylight: offset.dst_offset().num_seconds() > 0,
            abbreviation: offset.abbreviation().map(str::to_owned),
        })
    }
}

/// A STANDARD or DAYLIGHT sub-component: from `onset` (local time, before the change), the zone
/// is `offset_to_secs` ahead of UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observance {
    onset: NaiveDateTime,
    offset_from_secs: i32,
    offset_to_secs: i32,
    daylight: bool,
    name: Option<String>,
}

impl Observance {
    fn write(&self, lines: &mut ContentLines) {
        let kind = if self.daylight {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        lines.begin(kind);
        lines.value("DTSTART", &[], &local_time(self.onset));
        lines.value("TZOFFSETFROM", &[], &utc_offset(self.offset_from_secs));
        lines.value("TZOFFSETTO", &[], &utc_offset(self.offset_to_secs));
        if let Some(name) = &self.name {
            lines.text("TZNAME", name);
        }
        lines.end(kind);
    }
}

/// The observances of `tz` from the start of `first_year` to the end of `last_year`: the one in
/// effect at the start, then one per transition. A zone without transitions in that span (no
/// daylight saving time) gets a single STANDARD.
fn observances(tz: Tz, first_year: i32, last_year: i32) -> Vec<Observance> {
    let start = year_start(tz, first_year);
    let end = year_start(tz, last_year.saturating_add(1));
    let Some(mut current) = ZoneOffset::at(tz, start) else {
        return Vec::new();
    };
    let mut found = vec![Observance {
        onset: naive_local(start, current.utc_offset_secs),
        offset_from_secs: current.utc_offset_secs,
        offset_to_secs: current.utc_offset_secs,
        daylight: current.daylight,
        name: current.abbreviation.clone(),
    }];
    let mut before = start;
    while before < end {
        let after = before.saturating_add(SCAN_STEP_SECS).min(end);
        match ZoneOffset::at(tz, after) {
            Some(next) if next != current => {
                let at = first_change(tz, &current, before, after);
                found.push(Observance {
                    onset: naive_local(at, current.utc_offset_secs),
                    offset_from_secs: current.utc_offset_secs,
                    offset_to_secs: next.utc_offset_secs,
                    daylight: next.daylight,
                    name: next.abbreviation.clone(),
                });
                current = next;
            }
            Some(_) => {}
            None => break,
        }
        before = after;
    }
    found
}

/// The first second in `(before, after]` where the zone no longer shows `current`.
fn first_change(tz: Tz, current: &ZoneOffset, mut before: i64, mut after: i64) -> i64 {
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if ZoneOffset::at(tz, middle).as_ref() == Some(current) {
            before = middle;
        } else {
            after = middle;
        }
    }
    after
}

/// Midnight on January 1st, local time, as a timestamp; UTC midnight if that local time does not
/// exist.
fn year_start(tz: Tz, year: i32) -> i64 {
    let midnight = NaiveDate::from_ymd_opt(year, 1, 1)
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .unwrap_or_default();
    tz.from_local_datetime(&midnight)
        .earliest()
        .map(|local| local.timestamp())
        .unwrap_or_else(|| midnight.and_utc().timestamp())
}

fn naive_local(timestamp: i64, offset_secs: i32) -> NaiveDateTime {
    DateTime::from_timestamp(timestamp + i64::from(offset_secs), 0)
        .map(|shifted| shifted.naive_utc())
        .unwrap_or_default()
}

/// A UTC-OFFSET value (`+0100`, `-0330`, `+013045`); zero is `+0000`, since `-0000` is invalid.
fn utc_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    let (hours, minutes, seconds) = (secs / 3600, secs / 60 % 60, secs % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{seconds:02}")
    }
}

/// The local years of `instant` in `tz`, for sizing a VTIMEZONE.
pub(super) fn local_year(instant: DateTime<Utc>, tz: Tz) -> i32 {
    instant.with_timezone(&tz).year()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use chrono_tz::{Asia, Europe};

    use super::*;

    fn local(y: i32, mo: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn vtimezone(tz: Tz, first_year: i32, last_year: i32) -> String {
        let mut lines = ContentLines::default();
        write_vtimezone(&mut lines, tz, first_year, last_year);
        lines.into_string()
    }

    #[test]
    fn a_vtimezone_written_again_is_the_same_bytes_as_one_written_afresh() {
        let first = vtimezone(Europe::Paris, 2019, 2031);
        let again = vtimezone(Europe::Paris, 2019, 2031);
        let mut afresh = ContentLines::default();
        super::vtimezone(&mut afresh, Europe::Paris, 2019, 2031);
        assert_eq!(first, afresh.into_string());
        assert_eq!(again, first);
        assert!(
            WRITTEN_ZONES
                .lock()
                .unwrap()
                .contains_key(&("Europe/Paris", 2019, 2031))
        );
    }

    #[test]
    fn paris_moves_to_summer_time_on_29_march_and_back_on_25_october_2026() {
        let found = observances(Europe::Paris, 2026, 2026);
        let spring = Observance {
            onset: local(2026, 3, 29, 2),
            offset_from_secs: 3600,
            offset_to_secs: 7200,
            daylight: true,
            name: Some("CEST".to_owned()),
        };
        let autumn = Observance {
            onset: local(2026, 10, 25, 3),
            offset_from_secs: 7200,
            offset_to_secs: 3600,
            daylight: false,
            name: Some("CET".to_owned()),
        };
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(found[1], spring);
        assert_eq!(found[2], autumn);
    }

    #[test]
    fn the_vtimezone_covers_a_year_either_side_of_the_events() {
        let out = vtimezone(Europe::Paris, 2026, 2026);
        assert!(out.starts_with("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\n"));
        assert!(out.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\n\
             TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n"
        ));
        assert!(out.contains(
            "BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\n\
             TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n"
        ));
        assert!(out.contains("DTSTART:20250330T020000"));
        assert!(out.contains("DTSTART:20271031T030000"));
        assert!(!out.contains("DTSTART:2024") && !out.contains("DTSTART:2028"));
        // One opening observance, then two transitions in each of 2025, 2026 and 2027.
        assert_eq!(out.matches("BEGIN:DAYLIGHT").count(), 3);
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 4);
    }

    #[test]
    fn zones_without_daylight_saving_time_get_one_standard() {
        let found = observances(Asia::Tokyo, 2025, 2027);
        assert_eq!(found.len(), 1);
        assert!(!found[0].daylight);
        assert_eq!(found[0].offset_to_secs, 9 * 3600);
        let out = vtimezone(Asia::Tokyo, 2026, 2026);
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1);
        assert!(!out.contains("DAYLIGHT"));
        assert!(out.contains("TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n"));
    }

    #[test]
    fn southern_zones_start_the_year_in_daylight_time() {
        let found = observances("Australia/Sydney".parse().unwrap(), 2026, 2026);
        assert!(found[0].daylight);
        assert_eq!(found[0].offset_to_secs, 11 * 3600);
    }

    #[test]
    fn utc_and_unknown_zone_names_mean_utc() {
        for name in ["UTC", "Etc/UTC", "Zulu", "", "Not/AZone"] {
            assert_eq!(event_zone(name), None, "{name}");
        }
        assert_eq!(event_zone("Europe/Paris"), Some(Europe::Paris));
        assert_eq!(event_zone(" Asia/Tokyo "), Some(Asia::Tokyo));
    }

    #[test]
    fn utc_offsets_carry_a_sign_hours_and_minutes() {
        assert_eq!(utc_offset(3600), "+0100");
        assert_eq!(utc_offset(-12_600), "-0330");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(20_700), "+0545");
        assert_eq!(utc_offset(-(3600 + 60 + 5)), "-010105");
    }
}
