//! A series in calendars: one repeating VEVENT in a list feed, checked against the expansion of
//! `recurring-ical-events` and the other independent parsers when they are installed.

use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{create, paris_evening, weekly_on_tuesday};
use crate::events::EventChanges;
use crate::feeds::{Feed, Format, Source};
use crate::series::{ApplyTo, Ends};
use crate::testing::TestContext;

async fn render(t: &TestContext, source: Source) -> String {
    let feed = Feed::open(&t.ctx, source).await.expect("feed");
    let rendered = feed.render(&t.ctx, Format::Ics).await.expect("render");
    String::from_utf8(rendered.bytes).expect("UTF-8")
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `CONVIVE_FEED_VALIDATORS`: the `.ci` directory after `.ci/install`.
fn validators() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("CONVIVE_FEED_VALIDATORS")?);
    Some(dir).filter(|dir| dir.join(".venv/bin/python").exists())
}

fn skip(why: &str) {
    let required =
        std::env::var("CONVIVE_REQUIRE_EXTERNAL").is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "skipped: {why} (but CONVIVE_REQUIRE_EXTERNAL is set)"
    );
    eprintln!("skipped: {why}");
}

#[tokio::test]
async fn a_feed_shows_a_series_as_one_repeating_event_that_calendars_expand_to_our_dates() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    // Tuesdays at 19:00 in Paris, on both sides of the change to summer time (28 March).
    let created = create(
        &t,
        &alice,
        paris_evening(2027, 3, 2),
        weekly_on_tuesday(Ends::After(6)),
    )
    .await;
    let dates = crate::series::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("dates");
    crate::events::service::delete(&t.ctx, &alice.principal(), dates[1].id)
        .await
        .expect("one date deleted");
    let moved = crate::series::change(
        &t.ctx,
        &alice.principal(),
        dates[3].id,
        EventChanges {
            begins_on: Some(dates[3].begins_on + Duration::hours(1)),
            ends_on: Some(dates[3].begins_on + Duration::hours(3)),
            ..Default::default()
        },
        ApplyTo::This,
    )
    .await
    .expect("one date moved");

    let feed = render(
        &t,
        Source::Actor {
            username: "alice".to_owned(),
        },
    )
    .await;
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2, "{feed}");
    assert!(
        feed.contains("\r\nRRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU\r\n"),
        "{feed}"
    );
    assert!(
        feed.contains("\r\nDTSTART;TZID=Europe/Paris:20270302T190000\r\n"),
        "{feed}"
    );
    assert!(
        feed.contains("\r\nEXDATE;TZID=Europe/Paris:20270309T190000\r\n"),
        "{feed}"
    );
    assert!(
        feed.contains("\r\nRECURRENCE-ID;TZID=Europe/Paris:20270323T190000\r\n"),
        "{feed}"
    );
    assert!(
        feed.contains("\r\nDTSTART;TZID=Europe/Paris:20270323T200000\r\n"),
        "{feed}"
    );
    let series_uid = crate::series::calendar::uid(&t.ctx, &created.series);

    // One date's own export is a plain event.
    let single = render(
        &t,
        Source::Event {
            uuid: dates[4].uuid.clone(),
        },
    )
    .await;
    assert_eq!(single.matches("BEGIN:VEVENT").count(), 1);
    assert!(
        !single.contains("RRULE") && !single.contains("RECURRENCE-ID"),
        "{single}"
    );

    let Some(dir) = validators() else {
        skip("CONVIVE_FEED_VALIDATORS is not set (the .ci directory after .ci/install)");
        return;
    };
    let ours: Vec<String> = crate::series::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("dates")
        .iter()
        .map(|d| utc(d.begins_on))
        .collect();
    assert_eq!(ours.len(), 5);
    let work = tempfile::tempdir().expect("temporary directory");
    let feed_path = work.path().join("series.ics");
    let single_path = work.path().join("single.ics");
    std::fs::write(&feed_path, &feed).expect("write");
    std::fs::write(&single_path, &single).expect("write");
    let expected = json!({
        "dtstart_utc": {
            series_uid.clone(): utc(dates[0].begins_on),
            format!("{series_uid} {}", utc(dates[3].begins_on)): utc(moved.begins_on),
            crate::events::calendar::uid(&t.ctx, &dates[4]): utc(dates[4].begins_on),
        },
        "occurrences_utc": { series_uid: ours },
        "occurrences_between": ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"],
    });
    let expected_path = work.path().join("expected.json");
    std::fs::write(&expected_path, expected.to_string()).expect("write");
    let output = std::process::Command::new(dir.join(".venv/bin/python"))
        .arg(dir.join("validate_feeds.py"))
        .arg("--expected")
        .arg(&expected_path)
        .arg(&feed_path)
        .arg(&single_path)
        .output()
        .expect("the validators run");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{report}");
    assert!(
        output.status.success(),
        "the validators found problems:\n{report}"
    );
    assert!(report.contains("5 dates as expected"), "{report}");
}
