use std::io::BufReader;

use ::ical::IcalParser;
use ::ical::parser::ical::component::{
    IcalCalendar, IcalTimeZoneTransition, IcalTimeZoneTransitionType,
};
use ::ical::property::Property;
use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::event::EventStatus;

use super::{CalendarEvent, CalendarMeta, calendar, duration};
use crate::feeds::html_to_text;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn meta() -> CalendarMeta {
    CalendarMeta {
        name: "Jazz, soul; & more".to_owned(),
        description: Some("Concerts in town".to_owned()),
        url: Some("https://convive.example/@jazz".to_owned()),
        refresh: Duration::hours(1),
        method_publish: true,
    }
}

fn event() -> CalendarEvent {
    CalendarEvent {
        uid: "0193c1f4-7a2b-7c3d-9e4f-5a6b7c8d9e0f@convive.example".to_owned(),
        url: "https://convive.example/events/0193c1f4".to_owned(),
        title: "Jam session".to_owned(),
        description_html: "<p>Bring your <strong>instrument</strong>.</p>".to_owned(),
        begins_on: at(2026, 12, 1, 18, 0),
        ends_on: Some(at(2026, 12, 1, 21, 30)),
        timezone: "Europe/Paris".to_owned(),
        created: Some(at(2026, 10, 2, 8, 0)),
        last_modified: at(2026, 11, 20, 9, 15),
        sequence: 2,
        status: EventStatus::Confirmed,
        visibility: entity::event::EventVisibility::Public,
        location: Some("Le Caveau, 5 rue de la Huchette, Paris".to_owned()),
        geo: Some((48.8527, 2.3469)),
        categories: vec!["MUSIC".to_owned(), "jazz".to_owned()],
        organizer: Some((
            "Jazz club".to_owned(),
            "https://convive.example/@jazz".to_owned(),
        )),
        online_address: None,
        picture: None,
        repeats: None,
    }
}

fn ics(events: &[CalendarEvent]) -> String {
    String::from_utf8(calendar(&meta(), events)).unwrap()
}

fn parse(ics: &str) -> IcalCalendar {
    let mut parser = IcalParser::new(BufReader::new(ics.as_bytes()));
    let calendar = parser
        .next()
        .expect("one calendar")
        .expect("a valid calendar");
    assert!(parser.next().is_none());
    calendar
}

fn property<'a>(properties: &'a [Property], name: &str) -> &'a Property {
    properties
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name} in {properties:#?}"))
}

fn value(properties: &[Property], name: &str) -> String {
    property(properties, name).value.clone().unwrap_or_default()
}

fn param(property: &Property, key: &str) -> Vec<String> {
    property
        .params
        .iter()
        .flatten()
        .find(|(k, _)| k == key)
        .map(|(_, values)| values.clone())
        .unwrap_or_default()
}

/// The `ical` crate leaves TEXT values escaped.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out
}

#[test]
fn titles_with_delimiters_line_breaks_and_emoji_survive_a_round_trip() {
    let title = "Apéro, quiz; jeux \\ backslash\nsecond line 🎉🎷 et « guillemets »";
    let parsed = parse(&ics(&[CalendarEvent {
        title: title.to_owned(),
        ..event()
    }]));
    let summary = value(&parsed.events[0].properties, "SUMMARY");
    assert_eq!(unescape(&summary), title);
}

#[test]
fn long_descriptions_fold_inside_multibyte_text_and_come_back_whole() {
    let html = format!(
        "<p>{}</p><p>{}</p>",
        "Café crème, thé ünïcödé 🎉 ".repeat(20),
        "日本語のテキスト、".repeat(30)
    );
    let out = ics(&[CalendarEvent {
        description_html: html.clone(),
        ..event()
    }]);
    assert!(out.lines().filter(|l| l.starts_with(' ')).count() > 10);
    let parsed = parse(&out);
    let description = value(&parsed.events[0].properties, "DESCRIPTION");
    assert_eq!(unescape(&description), html_to_text(&html));
}

#[test]
fn every_line_ends_with_crlf_and_fits_in_75_octets() {
    let out = ics(&[CalendarEvent {
        title: "Très long titre ".repeat(30),
        ..event()
    }]);
    assert!(out.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
    assert_eq!(out.matches('\r').count(), out.matches("\r\n").count());
    for line in out.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
}

#[test]
fn the_calendar_names_itself_and_asks_for_hourly_refresh() {
    let out = ics(&[event()]);
    assert!(
        out.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Convive//Convive//EN\r\n")
    );
    for line in [
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:Jazz\\, soul\\; & more",
        "X-WR-CALNAME:Jazz\\, soul\\; & more",
        "DESCRIPTION:Concerts in town",
        "X-WR-CALDESC:Concerts in town",
        "URL:https://convive.example/@jazz",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ] {
        assert!(out.contains(&format!("\r\n{line}\r\n")), "missing {line}");
    }
    let parsed = parse(&out);
    let refresh = property(&parsed.properties, "REFRESH-INTERVAL");
    assert_eq!(param(refresh, "VALUE"), ["DURATION"]);
    assert_eq!(unescape(&value(&parsed.properties, "NAME")), meta().name);
}

#[test]
fn subscribed_feeds_can_leave_method_out() {
    let meta = CalendarMeta {
        method_publish: false,
        description: None,
        ..meta()
    };
    let out = String::from_utf8(calendar(&meta, &[event()])).unwrap();
    assert!(!out.contains("METHOD:"));
    assert!(!out.contains("X-WR-CALDESC"));
}

#[test]
fn a_series_is_one_event_with_its_rule_and_exceptions_and_a_changed_date_overrides_its_own() {
    let series = CalendarEvent {
        repeats: Some(super::Repeats {
            rule: Some("FREQ=WEEKLY;COUNT=30;BYDAY=TU".to_owned()),
            exdates: vec![at(2026, 12, 15, 18, 0)],
            recurrence_id: None,
            last: Some(at(2027, 6, 22, 17, 0)),
        }),
        ..event()
    };
    let moved = CalendarEvent {
        begins_on: at(2026, 12, 8, 19, 0),
        ends_on: Some(at(2026, 12, 8, 21, 0)),
        repeats: Some(super::Repeats {
            recurrence_id: Some(at(2026, 12, 8, 18, 0)),
            ..Default::default()
        }),
        ..event()
    };
    let out = ics(&[series, moved]);
    assert!(
        out.contains("\r\nRRULE:FREQ=WEEKLY;COUNT=30;BYDAY=TU\r\n"),
        "{out}"
    );
    assert!(
        out.contains("\r\nEXDATE;TZID=Europe/Paris:20261215T190000\r\n"),
        "{out}"
    );
    assert!(
        out.contains("\r\nRECURRENCE-ID;TZID=Europe/Paris:20261208T190000\r\n"),
        "{out}"
    );
    let parsed = parse(&out);
    assert_eq!(parsed.events.len(), 2);
    assert_eq!(
        value(&parsed.events[0].properties, "UID"),
        value(&parsed.events[1].properties, "UID")
    );
    // The zone is written for every year the rule reaches.
    assert!(out.contains("DTSTART:20270328T020000"), "{out}");
}

#[test]
fn event_times_are_written_in_the_local_time_of_their_zone() {
    let out = ics(&[event()]);
    assert!(out.contains("\r\nDTSTART;TZID=Europe/Paris:20261201T190000\r\n"));
    assert!(out.contains("\r\nDTEND;TZID=Europe/Paris:20261201T223000\r\n"));
    let parsed = parse(&out);
    let dtstart = property(&parsed.events[0].properties, "DTSTART");
    assert_eq!(param(dtstart, "TZID"), ["Europe/Paris"]);
    assert_eq!(parsed.timezones.len(), 1);
    assert_eq!(
        value(&parsed.timezones[0].properties, "TZID"),
        "Europe/Paris"
    );
    let transitions = &parsed.timezones[0].transitions;
    let daylight =
        |t: &&IcalTimeZoneTransition| matches!(t.transition, IcalTimeZoneTransitionType::DAYLIGHT);
    let summer = transitions.iter().filter(daylight).count();
    assert_eq!((summer, transitions.len() - summer), (3, 4));
    let spring_2026 = transitions
        .iter()
        .find(|t| value(&t.properties, "DTSTART") == "20260329T020000")
        .expect("the 2026 move to summer time");
    assert_eq!(value(&spring_2026.properties, "TZOFFSETTO"), "+0200");
}

#[test]
fn unknown_zones_fall_back_to_utc_times_without_a_vtimezone() {
    for zone in ["Mars/Olympus_Mons", "", "UTC", "Etc/UTC"] {
        let out = ics(&[CalendarEvent {
            timezone: zone.to_owned(),
            ..event()
        }]);
        assert!(out.contains("\r\nDTSTART:20261201T180000Z\r\n"), "{zone}");
        assert!(out.contains("\r\nDTEND:20261201T213000Z\r\n"), "{zone}");
        assert!(!out.contains("VTIMEZONE"), "{zone}");
    }
}

#[test]
fn the_second_pass_through_a_repeated_hour_is_written_in_utc() {
    // On 2026-10-25 Paris lives 02:30 twice: at 00:30 UTC, then at 01:30 UTC.
    let first = ics(&[CalendarEvent {
        begins_on: at(2026, 10, 25, 0, 30),
        ends_on: Some(at(2026, 10, 25, 1, 30)),
        ..event()
    }]);
    assert!(first.contains("\r\nDTSTART;TZID=Europe/Paris:20261025T023000\r\n"));
    assert!(first.contains("\r\nDTEND:20261025T013000Z\r\n"));
}

#[test]
fn one_vtimezone_per_zone_sorted_by_name_and_before_the_events() {
    let tokyo = CalendarEvent {
        timezone: "Asia/Tokyo".to_owned(),
        ..event()
    };
    let out = ics(&[event(), tokyo, event()]);
    let tokyo_at = out.find("TZID:Asia/Tokyo").unwrap();
    let paris_at = out.find("TZID:Europe/Paris\r\n").unwrap();
    let first_event = out.find("BEGIN:VEVENT").unwrap();
    assert!(tokyo_at < paris_at && paris_at < first_event);
    assert_eq!(out.matches("BEGIN:VTIMEZONE").count(), 2);
    assert_eq!(parse(&out).events.len(), 3);
}

#[test]
fn dtstamp_is_the_last_modification_not_now() {
    let parsed = parse(&ics(&[event()]));
    let properties = &parsed.events[0].properties;
    assert_eq!(value(properties, "DTSTAMP"), "20261120T091500Z");
    assert_eq!(value(properties, "LAST-MODIFIED"), "20261120T091500Z");
    assert_eq!(value(properties, "CREATED"), "20261002T080000Z");
    assert_eq!(value(properties, "SEQUENCE"), "2");
}

#[test]
fn identical_input_gives_identical_bytes() {
    let events = [
        event(),
        CalendarEvent {
            timezone: "America/New_York".to_owned(),
            ..event()
        },
    ];
    assert_eq!(calendar(&meta(), &events), calendar(&meta(), &events));
}

#[test]
fn each_status_is_written_as_rfc_5545_names_it() {
    for (status, written) in [
        (EventStatus::Tentative, "STATUS:TENTATIVE"),
        (EventStatus::Confirmed, "STATUS:CONFIRMED"),
        (EventStatus::Cancelled, "STATUS:CANCELLED"),
    ] {
        let out = ics(&[CalendarEvent { status, ..event() }]);
        assert!(out.contains(&format!("\r\n{written}\r\n")), "{written}");
    }
}

#[test]
fn html_descriptions_become_readable_text_without_tags() {
    let parsed = parse(&ics(&[CalendarEvent {
        description_html: r#"<h2>Programme</h2><p>Doors at 7&nbsp;pm<br>Show at 8 &amp; late</p><ul><li>Free</li></ul><p>More: <a href="https://jazz.example/info">here</a></p>"#.to_owned(),
        ..event()
    }]));
    let description = unescape(&value(&parsed.events[0].properties, "DESCRIPTION"));
    assert_eq!(
        description,
        "Programme\n\nDoors at 7 pm\nShow at 8 & late\n\n- Free\n\nMore: here (https://jazz.example/info)"
    );
}

#[test]
fn an_events_picture_is_attached_by_its_url_with_its_media_type() {
    let parsed = parse(&ics(&[CalendarEvent {
        picture: Some(super::FeedPicture {
            url: "https://convive.example/media/0f-banner.jpg".to_owned(),
            content_type: "image/jpeg".to_owned(),
            bytes: 48_213,
        }),
        ..event()
    }]));
    let properties = &parsed.events[0].properties;
    let attach = property(properties, "ATTACH");
    assert_eq!(
        attach.value.as_deref(),
        Some("https://convive.example/media/0f-banner.jpg")
    );
    assert_eq!(param(attach, "FMTTYPE"), vec!["image/jpeg".to_owned()]);
    let without = parse(&ics(&[event()]));
    assert!(
        without.events[0]
            .properties
            .iter()
            .all(|p| p.name != "ATTACH")
    );
}

#[test]
fn the_online_address_is_appended_to_the_description() {
    let parsed = parse(&ics(&[CalendarEvent {
        online_address: Some("https://meet.example/jam".to_owned()),
        ..event()
    }]));
    let properties = &parsed.events[0].properties;
    assert_eq!(
        unescape(&value(properties, "DESCRIPTION")),
        "Bring your instrument.\n\nhttps://meet.example/jam"
    );
    assert_eq!(value(properties, "CONFERENCE"), "https://meet.example/jam");
}

#[test]
fn place_categories_organizer_and_links_are_written() {
    let out = ics(&[CalendarEvent {
        categories: vec![
            "MUSIC".to_owned(),
            "live, loud".to_owned(),
            "MUSIC".to_owned(),
            " ".to_owned(),
        ],
        organizer: Some((
            "Doe, Jane: \"Chef\"".to_owned(),
            "mailto:jane@example.org".to_owned(),
        )),
        ..event()
    }]);
    assert!(out.contains("\r\nORGANIZER;CN=\"Doe, Jane: Chef\":mailto:jane@example.org\r\n"));
    let parsed = parse(&out);
    let properties = &parsed.events[0].properties;
    assert_eq!(value(properties, "GEO"), "48.8527;2.3469");
    assert_eq!(value(properties, "CATEGORIES"), "MUSIC,live\\, loud");
    assert_eq!(
        unescape(&value(properties, "LOCATION")),
        "Le Caveau, 5 rue de la Huchette, Paris"
    );
    assert_eq!(
        value(properties, "URL"),
        "https://convive.example/events/0193c1f4"
    );
    let organizer = property(properties, "ORGANIZER");
    assert_eq!(param(organizer, "CN"), ["Doe, Jane: Chef"]);
    assert_eq!(organizer.value.as_deref(), Some("mailto:jane@example.org"));
    assert_eq!(value(properties, "CLASS"), "PUBLIC");
    assert_eq!(value(properties, "TRANSP"), "OPAQUE");
    assert_eq!(
        value(properties, "UID"),
        "0193c1f4-7a2b-7c3d-9e4f-5a6b7c8d9e0f@convive.example"
    );
}

#[test]
fn the_class_of_an_event_says_whether_it_is_private() {
    use entity::event::EventVisibility;
    for (visibility, class) in [
        (EventVisibility::Public, "PUBLIC"),
        (EventVisibility::Unlisted, "PUBLIC"),
        (EventVisibility::Restricted, "PRIVATE"),
        (EventVisibility::Private, "PRIVATE"),
    ] {
        let parsed = parse(&ics(&[CalendarEvent {
            visibility,
            ..event()
        }]));
        assert_eq!(value(&parsed.events[0].properties, "CLASS"), class);
    }
}

#[test]
fn events_without_an_end_or_a_place_leave_those_properties_out() {
    let out = ics(&[CalendarEvent {
        ends_on: None,
        location: None,
        geo: Some((f64::NAN, 2.0)),
        categories: vec![],
        organizer: None,
        ..event()
    }]);
    for absent in ["DTEND", "LOCATION", "GEO", "CATEGORIES", "ORGANIZER"] {
        assert!(!out.contains(&format!("\r\n{absent}")), "{absent} in {out}");
    }
}

#[test]
fn an_end_before_the_start_is_left_out() {
    let out = ics(&[CalendarEvent {
        ends_on: Some(at(2026, 12, 1, 17, 0)),
        ..event()
    }]);
    assert!(!out.contains("DTEND"));
}

#[test]
fn durations_follow_the_rfc_5545_grammar() {
    for (value, written) in [
        (Duration::hours(1), "PT1H"),
        (Duration::minutes(90), "PT1H30M"),
        (Duration::seconds(3605), "PT1H0M5S"),
        (Duration::days(1), "P1D"),
        (Duration::hours(36), "P1DT12H"),
        (Duration::weeks(2), "P2W"),
        (Duration::zero(), "PT0S"),
        (Duration::minutes(-15), "-PT15M"),
    ] {
        assert_eq!(duration(value), written);
    }
}

/// What a TEXT value holding `raw` reads back as: line breaks of every kind become `\n`, tabs
/// spaces, other control characters are dropped.
fn as_written(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', " ")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// Text from outside (titles, places, names from other instances and organizers) written into
/// a calendar: whatever it holds, an independent parser reads one event whose values are that
/// text, and no line is longer than 75 octets.
#[test]
fn fuzzed_text_from_outside_round_trips_through_a_calendar() {
    use crate::testing::fuzz;
    let seeds: Vec<Vec<u8>> = [
        "Apéro, quiz; jeux \\ backslash\nsecond line 🎉",
        "END:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
        "x\r\nEVIL:1",
        "\u{0}\u{7}\t\u{7f}\u{85}\u{2028}",
        "\"quoted\", name; with: delimiters",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let dictionary = &[
        "\r\n",
        "\r",
        "\n",
        "\\",
        ";",
        ",",
        ":",
        "\"",
        " ",
        "\t",
        "é",
        "😀",
        "\u{0}",
        "BEGIN:VEVENT",
        "END:VCALENDAR",
        "\r\n ",
    ];
    fuzz::run(
        "ical-text",
        &seeds,
        fuzz::mutations(seeds.clone(), dictionary),
        |input| {
            let text = String::from_utf8_lossy(input);
            let event = CalendarEvent {
                title: text.to_string(),
                location: Some(text.to_string()),
                organizer: Some((text.to_string(), "https://convive.example/@jazz".to_owned())),
                categories: vec![text.to_string(), "jazz".to_owned()],
                ..event()
            };
            let written = String::from_utf8(calendar(&meta(), &[event]))
                .map_err(|e| format!("not UTF-8: {e}"))?;
            for line in written.split("\r\n") {
                if line.len() > 75 {
                    return Err(format!("a line of {} octets", line.len()));
                }
            }
            let mut parser = IcalParser::new(BufReader::new(written.as_bytes()));
            let calendar = match parser.next() {
                Some(Ok(calendar)) => calendar,
                other => return Err(format!("no calendar read back: {other:?}")),
            };
            if calendar.events.len() != 1 {
                return Err(format!("{} events read back", calendar.events.len()));
            }
            let properties = &calendar.events[0].properties;
            // The `ical` crate trims the end of every physical line (and an empty value is
            // none) and every colon that starts a value: values are compared without them,
            // and a run of whitespace long enough to fill a folded line cannot come back
            // whole, so such texts are compared without their whitespace.
            let expected = as_written(&text);
            let long_blanks = expected
                .split(|c: char| !c.is_whitespace())
                .any(|run| run.len() > 20);
            let comparable = |text: &str| {
                let text = text.trim();
                if long_blanks {
                    let solid: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                    solid.trim_start_matches(':').to_owned()
                } else {
                    text.to_owned()
                }
            };
            let read = |name: &str| {
                let value = properties
                    .iter()
                    .find(|p| p.name == name)
                    .and_then(|p| p.value.clone())
                    .unwrap_or_default();
                unescape(&value)
            };
            // What that crate makes of the value: colons at its start dropped, then unescaped.
            let escaped = crate::feeds::content_line::escape_text(&expected);
            let expected = unescape(escaped.trim_start_matches(':'));
            for name in ["SUMMARY", "LOCATION"] {
                if comparable(&read(name)) != comparable(&expected) {
                    return Err(format!(
                        "{name} read back as {:?}, expected {:?}",
                        comparable(&read(name)),
                        comparable(&expected)
                    ));
                }
            }
            let names = properties.iter().filter(|p| p.name == "SUMMARY").count();
            if names != 1 {
                return Err(format!("{names} SUMMARY lines"));
            }
            Ok(())
        },
    );
}
