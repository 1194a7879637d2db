//! Golden files: the exact bytes of a calendar and an Atom feed for a set of events chosen to
//! exercise folding (long titles with accents and emoji), zones with daylight saving time,
//! cancellation, online events and events without an end. A change to the writers shows up
//! here as a diff to review; `UPDATE_GOLDEN=1 cargo test -p backend --test feeds_golden`
//! rewrites the files once the diff is right.
//!
//! `tests/golden/events.expected.json` holds the start of each event in UTC, from the data
//! rather than from our output, for the independent validators of `.ci/validate_feeds.py`.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::PathBuf;

use backend::feeds::{AtomMeta, CalendarEvent, CalendarMeta, FeedPicture, atom, calendar};
use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::event::EventStatus;
use ical::IcalParser;
use ical::property::Property;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn base(uuid: &str) -> CalendarEvent {
    CalendarEvent {
        uid: format!("{uuid}@convive.example"),
        url: format!("https://convive.example/events/{uuid}"),
        title: String::new(),
        description_html: String::new(),
        begins_on: at(2026, 12, 1, 18, 0),
        ends_on: None,
        timezone: "UTC".to_owned(),
        created: Some(at(2026, 10, 1, 8, 0)),
        last_modified: at(2026, 11, 20, 9, 15),
        sequence: 0,
        status: EventStatus::Confirmed,
        visibility: entity::event::EventVisibility::Public,
        location: None,
        geo: None,
        categories: Vec::new(),
        organizer: Some((
            "Collectif Vélo & Co".to_owned(),
            "https://convive.example/@velo".to_owned(),
        )),
        online_address: None,
        picture: None,
        repeats: None,
    }
}

fn events() -> Vec<CalendarEvent> {
    vec![
        CalendarEvent {
            title: "Fête du vélo 🚲🎉 : grande balade à travers Paris, pique-nique, \
                    réparations et café offert — venez nombreuses et nombreux !"
                .to_owned(),
            description_html: "<p>Départ place de la République.</p>\
                <ul><li>Casque conseillé</li><li>Gilet jaune 🦺</li></ul>\
                <p>Infos : <a href=\"https://velo.example/fete\">le site</a></p>"
                .to_owned(),
            // 19:00 in Paris, summer time (UTC+2).
            begins_on: at(2026, 7, 14, 17, 0),
            ends_on: Some(at(2026, 7, 14, 21, 30)),
            timezone: "Europe/Paris".to_owned(),
            sequence: 3,
            location: Some("Place de la République, 75003 Paris, France".to_owned()),
            geo: Some((48.8674, 2.3636)),
            categories: vec!["Outdoors adventure".to_owned(), "vélo".to_owned()],
            picture: Some(FeedPicture {
                url:
                    "https://convive.example/media/0c5b7f52-3e1d-4f0a-9a51-2b7e9d4c1a77-banner.jpg"
                        .to_owned(),
                content_type: "image/jpeg".to_owned(),
                bytes: 148_213,
            }),
            ..base("7b0d6c1e-0f5a-4c39-9a51-5d8c2f7e1a01")
        },
        CalendarEvent {
            // From 00:30 to 03:30 in New York, across the end of daylight saving time.
            title: "Night ride through the clock change".to_owned(),
            description_html: "<p>We gain an hour; bring lights.</p>".to_owned(),
            begins_on: at(2026, 11, 1, 4, 30),
            ends_on: Some(at(2026, 11, 1, 8, 30)),
            timezone: "America/New_York".to_owned(),
            location: Some("Brooklyn Bridge, New York".to_owned()),
            ..base("7b0d6c1e-0f5a-4c39-9a51-5d8c2f7e1a02")
        },
        CalendarEvent {
            title: "Atelier réparation (annulé)".to_owned(),
            description_html: "<p>Annulé, désolé ; reporté en janvier.</p>".to_owned(),
            begins_on: at(2026, 12, 5, 13, 0),
            ends_on: Some(at(2026, 12, 5, 16, 0)),
            timezone: "Europe/Paris".to_owned(),
            status: EventStatus::Cancelled,
            sequence: 1,
            location: Some("Atelier, 12 rue des Vignoles, Paris".to_owned()),
            ..base("7b0d6c1e-0f5a-4c39-9a51-5d8c2f7e1a03")
        },
        CalendarEvent {
            title: "オンライン勉強会 — online study group".to_owned(),
            description_html: "<p>Join from anywhere.</p>".to_owned(),
            begins_on: at(2026, 12, 10, 10, 0),
            ends_on: Some(at(2026, 12, 10, 11, 30)),
            timezone: "Asia/Tokyo".to_owned(),
            online_address: Some("https://meet.example/study?room=42&lang=ja".to_owned()),
            categories: vec!["Learning".to_owned()],
            ..base("7b0d6c1e-0f5a-4c39-9a51-5d8c2f7e1a04")
        },
        CalendarEvent {
            title: "Open-ended jam, no end time".to_owned(),
            begins_on: at(2026, 12, 12, 20, 0),
            ends_on: None,
            timezone: "UTC".to_owned(),
            organizer: None,
            ..base("7b0d6c1e-0f5a-4c39-9a51-5d8c2f7e1a05")
        },
        CalendarEvent {
            // 02:30 in Paris for the second time that night: written in UTC.
            title: "Repeated hour".to_owned(),
            begins_on: at(2026, 10, 25, 1, 30),
            ends_on: Some(at(2026, 10, 25, 3, 0)),
            timezone: "Europe/Paris".to_owned(),
            ..base("7b0d6c1e-0f5a-4c39-9a51-5d8c2f7e1a06")
        },
    ]
}

fn calendar_meta() -> CalendarMeta {
    CalendarMeta {
        name: "Collectif Vélo & Co — agenda".to_owned(),
        description: Some("Balades, ateliers; et plus, encore".to_owned()),
        url: Some("https://convive.example/@velo".to_owned()),
        refresh: Duration::hours(1),
        method_publish: false,
    }
}

fn atom_meta() -> AtomMeta {
    AtomMeta {
        id: "https://convive.example/@velo/feed/atom".to_owned(),
        title: "Collectif Vélo & Co — agenda".to_owned(),
        subtitle: Some("Balades, ateliers et plus".to_owned()),
        self_url: "https://convive.example/@velo/feed/atom".to_owned(),
        page_url: Some("https://convive.example/@velo".to_owned()),
        author: "Convive".to_owned(),
        updated: at(2026, 11, 20, 9, 15),
    }
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares with the golden file, or rewrites it under `UPDATE_GOLDEN=1`.
fn check_golden(name: &str, actual: &[u8]) {
    let path = golden(name);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    if expected != actual {
        let expected = String::from_utf8_lossy(&expected);
        let actual = String::from_utf8_lossy(actual);
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from line {}:\n  expected: {:?}\n  actual:   {:?}\n\
             Review the change, then rewrite with UPDATE_GOLDEN=1.",
            path.display(),
            first_difference + 1,
            expected.lines().nth(first_difference),
            actual.lines().nth(first_difference),
        );
    }
}

#[test]
fn the_calendar_of_the_representative_events_matches_its_golden_file() {
    check_golden("events.ics", &calendar(&calendar_meta(), &events()));
}

#[test]
fn the_atom_feed_of_the_representative_events_matches_its_golden_file() {
    check_golden("events.atom", &atom(&atom_meta(), &events()));
}

#[test]
fn the_expected_start_times_for_the_validators_match_their_golden_file() {
    let starts: BTreeMap<String, String> = events()
        .iter()
        .map(|e| {
            (
                e.uid.clone(),
                e.begins_on.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            )
        })
        .collect();
    let mut json =
        serde_json::to_vec_pretty(&serde_json::json!({ "dtstart_utc": starts })).unwrap();
    json.push(b'\n');
    check_golden("events.expected.json", &json);
}

fn value(properties: &[Property], name: &str) -> Option<String> {
    properties
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
}

fn tzid(properties: &[Property], name: &str) -> Option<String> {
    properties
        .iter()
        .find(|p| p.name == name)?
        .params
        .iter()
        .flatten()
        .find(|(k, _)| k == "TZID")
        .and_then(|(_, values)| values.first().cloned())
}

/// The `ical` crate leaves TEXT escaped.
fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

#[test]
fn the_golden_calendar_parses_back_into_the_same_events() {
    let bytes = calendar(&calendar_meta(), &events());
    let mut parser = IcalParser::new(BufReader::new(bytes.as_slice()));
    let parsed = parser.next().expect("a calendar").expect("it parses");
    assert!(parser.next().is_none());
    let zones: Vec<String> = parsed
        .timezones
        .iter()
        .filter_map(|z| value(&z.properties, "TZID"))
        .collect();
    assert_eq!(zones, ["America/New_York", "Asia/Tokyo", "Europe/Paris"]);
    assert_eq!(parsed.events.len(), events().len());
    for (event, written) in events().iter().zip(&parsed.events) {
        let properties = &written.properties;
        assert_eq!(value(properties, "UID").as_ref(), Some(&event.uid));
        assert_eq!(
            unescape(&value(properties, "SUMMARY").unwrap()),
            event.title
        );
        assert_eq!(
            value(properties, "SEQUENCE"),
            Some(event.sequence.to_string())
        );
        assert_eq!(
            value(properties, "DTSTAMP").as_deref(),
            Some("20261120T091500Z")
        );
        for name in ["DTSTART", "DTEND"] {
            if let Some(zone) = tzid(properties, name) {
                assert!(zones.contains(&zone), "{name};TZID={zone} has no VTIMEZONE");
            }
        }
        assert_eq!(
            value(properties, "DTEND").is_some(),
            event.ends_on.is_some()
        );
    }
    let cancelled = &parsed.events[2].properties;
    assert_eq!(value(cancelled, "STATUS").as_deref(), Some("CANCELLED"));
    let online = &parsed.events[3].properties;
    assert_eq!(
        value(online, "CONFERENCE").as_deref(),
        Some("https://meet.example/study?room=42&lang=ja")
    );
    let new_york = &parsed.events[1].properties;
    assert_eq!(
        value(new_york, "DTSTART").as_deref(),
        Some("20261101T003000")
    );
    assert_eq!(
        tzid(new_york, "DTSTART").as_deref(),
        Some("America/New_York")
    );
    let repeated = &parsed.events[5].properties;
    assert_eq!(
        value(repeated, "DTSTART").as_deref(),
        Some("20261025T013000Z")
    );
}
