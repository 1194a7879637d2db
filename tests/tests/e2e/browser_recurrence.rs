//! A recurring event as people meet it in a real Chromium: an organizer enters "every second
//! Tuesday at 19:00, Europe/Paris" on the event form, without one Tuesday, and reads the next
//! dates before saving; saves; a member takes the one seat of the third date from its page;
//! another member finds it full, waits in line, and takes the seat (with the mail) when the
//! first leaves. The group's calendar feed, expanded by calendar software that shares no code
//! with ours (`recurring-ical-events`, ical.js, vobject), gives the same dates across the March
//! clock change.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use serde_json::{Value, json};
use tests::{TestServer, skip};
use thirtyfour::prelude::*;

use super::browser::{
    assert_accessible, assert_same_origin, browser, chromium_with_axe, fill, find, screenshot,
    submit, wait_for,
};

async fn log_in(page: &WebDriver, origin: &str, email: &str) {
    page.goto(format!("{origin}/login")).await.unwrap();
    fill(page, "email", email).await;
    fill(page, "password", "long enough password").await;
    submit(page, "/login").await;
    wait_for(page, "Log out").await;
}

async fn set_value(page: &WebDriver, id: &str, value: &str) {
    page.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![
            Value::String(id.to_owned()),
            Value::String(value.to_owned()),
        ],
    )
    .await
    .unwrap();
}

/// The last Sunday of March of `year`, when Paris moves to summer time (at 01:00 UTC).
fn summer_time_starts(year: i32) -> NaiveDate {
    (25..=31)
        .rev()
        .filter_map(|day| NaiveDate::from_ymd_opt(year, 3, day))
        .find(|day| day.weekday() == Weekday::Sun)
        .unwrap()
}

/// 19:00 in Paris on `day`, in UTC, worked out from the rule of the clock change rather than
/// from a zone database, so that it checks ours.
fn seven_pm_in_paris(day: NaiveDate) -> chrono::DateTime<Utc> {
    let offset = if day > summer_time_starts(day.year()) {
        2
    } else {
        1
    };
    Utc.from_utc_datetime(&day.and_hms_opt(19 - offset, 0, 0).unwrap())
}

/// How the pages write a day and 19:00 in English: "Tuesday 9 February 2027, 19:00".
fn shown(day: NaiveDate) -> String {
    format!("{}, 19:00", day.format("%A %-d %B %Y"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_second_tuesday_is_entered_previewed_joined_waited_for_and_expanded_by_calendars() {
    let Some((driver, axe)) = chromium_with_axe().await else {
        return;
    };
    let server = TestServer::start().await;
    let origin = server.base_url.clone();
    let olga = tests::people::sign_up(&server, "olga").await;
    olga.gql
        .data(
            "mutation { createGroup(preferredUsername: \"repair\", name: \"Repair café\",
                openness: OPEN, visibility: PUBLIC) { id } }",
            json!({}),
        )
        .await;
    let bob = tests::people::sign_up(&server, "bob").await;
    let carol = tests::people::sign_up(&server, "carol").await;

    // Every other Tuesday from the first Tuesday of February next year, six times by the rule,
    // without its second Tuesday: five dates, the last ones in summer time.
    let year = Utc::now().year() + 1;
    let first = (1..=7)
        .filter_map(|day| NaiveDate::from_ymd_opt(year, 2, day))
        .find(|day| day.weekday() == Weekday::Tue)
        .unwrap();
    let skipped = first + Duration::days(14);
    let days: Vec<NaiveDate> = [0, 28, 42, 56, 70]
        .into_iter()
        .map(|n| first + Duration::days(n))
        .collect();
    assert!(
        days[4] > summer_time_starts(year),
        "across the clock change"
    );

    let page = browser(&driver).await;
    page.set_window_rect(0, 0, 1280, 1600).await.unwrap();
    log_in(&page, &origin, &olga.email).await;
    page.goto(format!("{origin}/events/new")).await.unwrap();
    wait_for(&page, "Repeats").await;
    fill(&page, "title", "Repair café").await;
    set_value(&page, "begins", &format!("{first}T19:00")).await;
    set_value(&page, "ends", &format!("{first}T21:00")).await;
    fill(&page, "timezone", "Europe/Paris").await;
    let group = find(&page, By::Css("#group option:not([value=''])"))
        .await
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    set_value(&page, "group", &group).await;
    set_value(&page, "repeats", "weekly").await;
    fill(&page, "repeat_interval", "2").await;
    fill(&page, "repeat_count", "6").await;
    fill(&page, "repeat_except", &skipped.to_string()).await;
    fill(&page, "capacity", "1").await;

    // "Show the dates" lists them before anything is saved.
    find(&page, By::Css("button[name=preview]"))
        .await
        .click()
        .await
        .unwrap();
    let text = wait_for(&page, "The first dates").await;
    assert!(
        text.contains(&format!(
            "every 2 weeks on Tuesday, 6 times, except {}",
            skipped.format("%-d %B %Y")
        )),
        "{text}"
    );
    let previewed: Vec<String> = {
        let mut items = Vec::new();
        for item in page
            .find_all(By::Css("ol[aria-labelledby='preview-title'] li"))
            .await
            .unwrap()
        {
            items.push(item.text().await.unwrap());
        }
        items
    };
    let expected: Vec<String> = days.iter().map(|d| shown(*d)).collect();
    assert_eq!(
        previewed, expected,
        "the dates of the rule, less the skipped one"
    );
    assert_eq!(
        events_in_database(&server).await,
        0,
        "nothing is saved by the preview"
    );
    assert_accessible(&page, &axe, "event form with the dates of its rule").await;
    screenshot(&page, "recurrence-preview-desktop-en").await;

    // Saving asks once what 19:00 in Paris is in Olga's own zone, then publishes.
    submit(&page, "/events/new").await;
    wait_for(&page, "This zone is not yours").await;
    submit(&page, "/events/new").await;
    let text = wait_for(&page, "Your event is published.").await;
    assert!(text.contains("every 2 weeks on Tuesday"), "{text}");
    assert_eq!(events_in_database(&server).await, 5);
    let first_url = page
        .current_url()
        .await
        .unwrap()
        .to_string()
        .replace("?done=published", "");
    let mut links = Vec::new();
    for link in page
        .find_all(By::Css("section[aria-labelledby='next-dates'] li a"))
        .await
        .unwrap()
    {
        links.push((
            link.text().await.unwrap(),
            link.attr("href").await.unwrap().unwrap(),
        ));
    }
    assert_eq!(links.len(), 4, "{links:?}");
    for ((when, _), day) in links.iter().zip(&days[1..]) {
        assert!(when.contains(&shown(*day)), "{when} is not {day}");
    }
    let third = format!("{origin}{}", links[1].1);
    screenshot(&page, "recurrence-first-date-desktop-en").await;

    // Bob takes the one seat of the third date.
    let bob_page = browser(&driver).await;
    log_in(&bob_page, &origin, &bob.email).await;
    bob_page.goto(&third).await.unwrap();
    let text = wait_for(&bob_page, &shown(days[2])).await;
    assert!(text.contains("every 2 weeks on Tuesday"), "{text}");
    find(&bob_page, By::Css("form[action$='/join'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&bob_page, "You take part in this event.").await;
    assert_accessible(&bob_page, &axe, "a date of a series").await;
    assert_same_origin(&bob_page, &origin).await;

    // Carol finds it full and waits in line.
    let carol_page = browser(&driver).await;
    log_in(&carol_page, &origin, &carol.email).await;
    carol_page.goto(&third).await.unwrap();
    wait_for(&carol_page, "Join the waitlist").await;
    find(&carol_page, By::Css("form[action$='/join'] button"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&carol_page, "You are 1st on the waitlist.").await;
    screenshot(&carol_page, "recurrence-waitlisted-desktop-en").await;

    // Bob gives up his seat; it goes to Carol, who is told by mail with the date attached.
    find(&bob_page, By::Css("a[href$='/leave']"))
        .await
        .click()
        .await
        .unwrap();
    wait_for(&bob_page, "Cancel your participation in").await;
    find(&bob_page, By::Css("button.danger"))
        .await
        .click()
        .await
        .unwrap();
    // The seat went to Carol in the same step: the date is full again.
    wait_for(&bob_page, "Join the waitlist").await;
    let promoted = server.wait_for_mail(&carol.email, "A seat is yours").await;
    assert!(
        promoted.raw.contains("text/calendar"),
        "the .ics is attached"
    );
    carol_page.goto(&third).await.unwrap();
    wait_for(&carol_page, "You take part in this event.").await;
    screenshot(&carol_page, "recurrence-promoted-desktop-en").await;

    // The group's feed, expanded by calendar software, gives the dates the pages show.
    let feed = reqwest::get(format!("{origin}/@repair/feed/ics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        feed.matches("BEGIN:VEVENT").count(),
        1,
        "one series: {feed}"
    );
    assert!(
        feed.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=6;BYDAY=TU"),
        "{feed}"
    );
    let utc: Vec<String> = days
        .iter()
        .map(|d| {
            seven_pm_in_paris(*d)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        })
        .collect();
    assert!(utc[0].ends_with("T18:00:00Z") && utc[4].ends_with("T17:00:00Z"));
    let first_event =
        backend::events::find_by_uuid(&server.ctx.db, first_url.rsplit('/').next().unwrap())
            .await
            .unwrap();
    let series = backend::series::find(&server.ctx.db, first_event.series_id.unwrap())
        .await
        .unwrap();
    let stored: Vec<String> = backend::series::occurrences(&server.ctx.db, series.id)
        .await
        .unwrap()
        .iter()
        .map(|e| e.begins_on.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .collect();
    assert_eq!(
        stored, utc,
        "the dates written are the rule's, at 19:00 in Paris"
    );

    for p in [page, bob_page, carol_page] {
        p.quit().await.unwrap();
    }
    let Some(dir) = std::env::var_os("CONVIVE_FEED_VALIDATORS").map(std::path::PathBuf::from)
    else {
        skip("CONVIVE_FEED_VALIDATORS is not set (the .ci directory after .ci/install)");
        return;
    };
    let uid = backend::series::calendar::uid(&server.ctx, &series);
    let work = tempfile::tempdir().unwrap();
    let feed_path = work.path().join("group.ics");
    std::fs::write(&feed_path, &feed).unwrap();
    let expected = json!({
        "dtstart_utc": BTreeMap::from([(uid.clone(), utc[0].clone())]),
        "occurrences_utc": { uid: utc },
        "occurrences_between": [format!("{year}-01-01T00:00:00Z"), format!("{}-01-01T00:00:00Z", year + 1)],
    });
    let expected_path = work.path().join("expected.json");
    std::fs::write(&expected_path, expected.to_string()).unwrap();
    let output = std::process::Command::new(dir.join(".venv/bin/python"))
        .arg(dir.join("validate_feeds.py"))
        .arg("--expected")
        .arg(&expected_path)
        .arg(&feed_path)
        .output()
        .expect("the validators run");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the validators found problems:\n{report}"
    );
    assert!(report.contains("5 dates as expected"), "{report}");
}

async fn events_in_database(server: &TestServer) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    entity::event::Entity::find()
        .count(&server.ctx.db)
        .await
        .unwrap()
}
