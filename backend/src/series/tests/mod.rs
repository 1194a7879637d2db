use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use entity::event::EventStatus;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{ApplyTo, Ends, Frequency, MonthlyOn, NewSeries, Recurrence};
use crate::events::EventChanges;
use crate::participations::{JoinRequest, Joined};
use crate::rate_limits::Client;
use crate::testing::{TestContext, TestPerson, new_event};

fn paris() -> chrono_tz::Tz {
    chrono_tz::Europe::Paris
}

/// 19:00 in Paris on the given day.
fn paris_evening(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    paris()
        .with_ymd_and_hms(y, m, d, 19, 0, 0)
        .single()
        .expect("a Paris time")
        .with_timezone(&Utc)
}

fn second_tuesday(ends: Ends) -> Recurrence {
    Recurrence {
        frequency: Frequency::Monthly,
        interval: 1,
        weekdays: vec![],
        monthly_on: Some(MonthlyOn::NthWeekday {
            nth: 2,
            weekday: Weekday::Tue,
        }),
        ends,
    }
}

fn weekly_on_tuesday(ends: Ends) -> Recurrence {
    Recurrence {
        frequency: Frequency::Weekly,
        interval: 1,
        weekdays: vec![Weekday::Tue],
        monthly_on: None,
        ends,
    }
}

async fn create(
    t: &TestContext,
    who: &TestPerson,
    starts: DateTime<Utc>,
    recurrence: Recurrence,
) -> super::SeriesCreated {
    super::create(
        &t.ctx,
        &who.principal(),
        NewSeries {
            event: new_event("Repair café", starts),
            recurrence,
            exceptions: vec![],
        },
    )
    .await
    .expect("series")
}

async fn join(t: &TestContext, who: &TestPerson, event_id: i64) {
    let request = JoinRequest {
        event_id,
        ..Default::default()
    };
    crate::participations::join(&t.ctx, &who.principal(), &Client::Local, request)
        .await
        .and_then(Joined::into_participation)
        .expect("joined");
}

fn local_starts(events: &[entity::event::Model]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            e.begins_on
                .with_timezone(&paris())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn every_second_tuesday_at_seven_in_paris_stays_at_seven_across_the_clock_change() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    // Asked from a Monday: the series starts on the rule's first date, the 8th.
    let created = create(
        &t,
        &alice,
        paris_evening(2026, 12, 7),
        second_tuesday(Ends::After(6)),
    )
    .await;
    assert_eq!(created.occurrences, 6);
    assert_eq!(created.series.rule, "FREQ=MONTHLY;COUNT=6;BYDAY=2TU");
    assert_eq!(created.series.starts_local, "2026-12-08T19:00:00");
    assert_eq!(created.first.begins_on, paris_evening(2026, 12, 8));
    let dates = super::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("dates");
    assert_eq!(
        local_starts(&dates),
        [
            "2026-12-08 19:00",
            "2027-01-12 19:00",
            "2027-02-09 19:00",
            "2027-03-09 19:00",
            "2027-04-13 19:00",
            "2027-05-11 19:00",
        ]
    );
    for date in &dates {
        assert_eq!(date.recurrence_id, Some(date.begins_on));
        assert_eq!(date.ends_on, Some(date.begins_on + Duration::hours(2)));
        assert_eq!(date.timezone, "Europe/Paris");
        assert!(!date.recurrence_overridden);
    }
    // Each date is an event of its own, with its organizer as its creator.
    let uuids: std::collections::HashSet<_> = dates.iter().map(|d| d.uuid.clone()).collect();
    assert_eq!(uuids.len(), 6);
    let creators = entity::participant::Entity::find()
        .filter(entity::participant::Column::ActorId.eq(alice.actor.id))
        .count(&t.ctx.db)
        .await
        .expect("count");
    assert_eq!(creators, 6);
    assert!(created.series.finished, "all six dates are written");
}

#[tokio::test]
async fn a_series_without_end_is_written_up_to_the_horizon_and_extended_as_time_passes() {
    let t = TestContext::with_settings(|s| {
        s.recurrence.horizon_days = 60;
        s.recurrence.horizon_occurrences = 50;
    })
    .await;
    let alice = t.person("alice").await;
    let starts = t.ctx.now() + Duration::days(1);
    let created = create(&t, &alice, starts, weekly_on_tuesday(Ends::Never)).await;
    let count = |t: &TestContext| {
        let db = t.ctx.db.clone();
        async move {
            entity::event::Entity::find()
                .filter(entity::event::Column::SeriesId.eq(created.series.id))
                .count(&db)
                .await
                .expect("count")
        }
    };
    let written = count(&t).await;
    assert!(
        (8..=9).contains(&written),
        "about 60 days of Tuesdays: {written}"
    );
    assert!(!created.series.finished);

    t.clock.advance(Duration::days(28));
    t.run_due_jobs().await;
    // The hourly job is due an hour after the previous run; run the extension directly too.
    super::extend(&t.ctx, created.series.id)
        .await
        .expect("extend");
    assert_eq!(count(&t).await, written + 4, "four more weeks");
    assert_eq!(
        super::extend(&t.ctx, created.series.id)
            .await
            .expect("again"),
        0
    );
}

#[tokio::test]
async fn the_horizon_keeps_at_most_its_number_of_upcoming_dates() {
    let t = TestContext::with_settings(|s| {
        s.recurrence.horizon_days = 365;
        s.recurrence.horizon_occurrences = 5;
    })
    .await;
    let alice = t.person("alice").await;
    let daily = Recurrence {
        frequency: Frequency::Daily,
        weekdays: vec![],
        ..weekly_on_tuesday(Ends::Never)
    };
    let created = create(&t, &alice, t.ctx.now() + Duration::days(1), daily).await;
    assert_eq!(created.occurrences, 5);
}

#[tokio::test]
async fn exceptions_leave_their_dates_out_and_a_deleted_date_becomes_one() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let created = super::create(
        &t.ctx,
        &alice.principal(),
        NewSeries {
            event: new_event("Repair café", paris_evening(2026, 12, 1)),
            recurrence: weekly_on_tuesday(Ends::After(4)),
            exceptions: vec![NaiveDate::from_ymd_opt(2026, 12, 22).expect("date")],
        },
    )
    .await
    .expect("series");
    let dates = super::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("dates");
    assert_eq!(
        local_starts(&dates),
        ["2026-12-01 19:00", "2026-12-08 19:00", "2026-12-15 19:00"],
        "COUNT counts the date left out"
    );
    assert_eq!(created.series.exdates, "2026-12-22T19:00:00");
    crate::events::service::delete(&t.ctx, &alice.principal(), dates[1].id)
        .await
        .expect("delete");
    let series = super::find(&t.ctx.db, created.series.id)
        .await
        .expect("series");
    assert_eq!(series.exdates, "2026-12-08T19:00:00,2026-12-22T19:00:00");
}

#[tokio::test]
async fn rules_the_policy_refuses_are_refused_before_anything_is_written() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let too_often = Recurrence {
        interval: 0,
        ..weekly_on_tuesday(Ends::Never)
    };
    let err = super::create(
        &t.ctx,
        &alice.principal(),
        NewSeries {
            event: new_event("Repair café", paris_evening(2026, 12, 1)),
            recurrence: too_often,
            exceptions: vec![],
        },
    )
    .await
    .expect_err("refused");
    assert_eq!(err.code(), "invalid");
    let all_left_out = super::create(
        &t.ctx,
        &alice.principal(),
        NewSeries {
            event: new_event("Repair café", paris_evening(2026, 12, 1)),
            recurrence: weekly_on_tuesday(Ends::After(1)),
            exceptions: vec![NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")],
        },
    )
    .await
    .expect_err("no date left");
    assert_eq!(all_left_out.code(), "invalid");
    let events = entity::event::Entity::find()
        .count(&t.ctx.db)
        .await
        .expect("count");
    assert_eq!(events, 0);
}

#[tokio::test]
async fn changing_one_date_sets_it_apart_and_tells_only_its_participants() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let created = create(
        &t,
        &alice,
        paris_evening(2026, 12, 1),
        weekly_on_tuesday(Ends::After(4)),
    )
    .await;
    let dates = super::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("dates");
    join(&t, &bob, dates[2].id).await;
    t.run_due_jobs().await;
    let before = t.mail_to("bob@example.org").len();
    let moved = super::change(
        &t.ctx,
        &alice.principal(),
        dates[2].id,
        EventChanges {
            status: Some(EventStatus::Cancelled),
            ..Default::default()
        },
        ApplyTo::This,
    )
    .await
    .expect("cancel one date");
    assert!(moved.recurrence_overridden);
    assert_eq!(moved.status, EventStatus::Cancelled);
    t.run_due_jobs().await;
    let mails = t.mail_to("bob@example.org");
    assert_eq!(mails.len(), before + 1, "{mails:?}");
    assert!(mails[before].subject.contains("Cancelled"), "{mails:?}");
    let others = super::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("dates");
    assert_eq!(
        others
            .iter()
            .filter(|d| d.status == EventStatus::Cancelled)
            .count(),
        1
    );
}

#[tokio::test]
async fn this_and_following_splits_the_series_and_tells_each_person_once() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let bob = t.person("bob").await;
    let carol = t.person("carol").await;
    let created = create(
        &t,
        &alice,
        paris_evening(2027, 3, 2),
        weekly_on_tuesday(Ends::After(6)),
    )
    .await;
    let dates = super::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("dates");
    // Bob comes to three of the dates that change, Carol to one before them only.
    for date in &dates[2..5] {
        join(&t, &bob, date.id).await;
    }
    join(&t, &carol, dates[0].id).await;
    t.run_due_jobs().await;
    let bob_before = t.mail_to("bob@example.org").len();
    let carol_before = t.mail_to("carol@example.org").len();

    // From the third date (16 March, before the clock change) on: 20:00 and a new title.
    let chosen = &dates[2];
    let changed = super::change(
        &t.ctx,
        &alice.principal(),
        chosen.id,
        EventChanges {
            title: Some("Repair café, later".to_owned()),
            begins_on: Some(chosen.begins_on + Duration::hours(1)),
            ends_on: Some(chosen.begins_on + Duration::hours(3)),
            ..Default::default()
        },
        ApplyTo::ThisAndFollowing,
    )
    .await
    .expect("change");
    assert_eq!(changed.begins_on, chosen.begins_on + Duration::hours(1));
    let later_series = changed.series_id.expect("in a series");
    assert_ne!(later_series, created.series.id, "split");

    let earlier = super::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("earlier");
    assert_eq!(
        local_starts(&earlier),
        ["2027-03-02 19:00", "2027-03-09 19:00"]
    );
    assert!(earlier.iter().all(|d| d.title == "Repair café"));
    let old = super::find(&t.ctx.db, created.series.id)
        .await
        .expect("old");
    assert_eq!(old.rule, "FREQ=WEEKLY;UNTIL=20270315T225959Z;BYDAY=TU");

    let later = super::occurrences(&t.ctx.db, later_series)
        .await
        .expect("later");
    assert_eq!(
        local_starts(&later),
        [
            "2027-03-16 20:00",
            "2027-03-23 20:00",
            "2027-03-30 20:00",
            "2027-04-06 20:00",
        ],
        "20:00 on both sides of the clock change"
    );
    assert!(later.iter().all(|d| d.title == "Repair café, later"));
    assert!(later.iter().all(|d| d.recurrence_id == Some(d.begins_on)));
    assert!(
        later
            .iter()
            .all(|d| d.ends_on == Some(d.begins_on + Duration::hours(2)))
    );
    let new = super::find(&t.ctx.db, later_series).await.expect("new");
    assert_eq!(new.rule, "FREQ=WEEKLY;COUNT=4;BYDAY=TU");
    assert_eq!(new.starts_local, "2027-03-16T20:00:00");
    assert_eq!(new.lasts_seconds, Some(7200));

    t.run_due_jobs().await;
    let bob_mails = t.mail_to("bob@example.org");
    assert_eq!(bob_mails.len(), bob_before + 1, "once for three dates");
    assert!(
        bob_mails[bob_before].text.contains("3 dates"),
        "{}",
        bob_mails[bob_before].text
    );
    assert_eq!(t.mail_to("carol@example.org").len(), carol_before);
}

#[tokio::test]
async fn every_date_changes_from_the_first_not_over_and_past_dates_keep_their_history() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let created = create(
        &t,
        &alice,
        paris_evening(2026, 12, 1),
        weekly_on_tuesday(Ends::After(4)),
    )
    .await;
    let dates = super::occurrences(&t.ctx.db, created.series.id)
        .await
        .expect("dates");
    t.clock.set(dates[1].begins_on + Duration::days(1));
    let changed = super::change(
        &t.ctx,
        &alice.principal(),
        dates[3].id,
        EventChanges {
            title: Some("Repair café, new place".to_owned()),
            ..Default::default()
        },
        ApplyTo::All,
    )
    .await
    .expect("change all");
    assert_eq!(changed.title, "Repair café, new place");
    let titles: Vec<String> = {
        let mut all = Vec::new();
        for date in &dates {
            all.push(
                crate::events::find(&t.ctx.db, date.id)
                    .await
                    .expect("date")
                    .title,
            );
        }
        all
    };
    assert_eq!(
        titles,
        [
            "Repair café",
            "Repair café",
            "Repair café, new place",
            "Repair café, new place"
        ]
    );
    let moved = crate::events::find(&t.ctx.db, dates[2].id)
        .await
        .expect("date");
    assert_ne!(
        moved.series_id,
        Some(created.series.id),
        "split at the first date to come"
    );
    assert_eq!(moved.begins_on.weekday(), chrono::Weekday::Tue);
}

#[tokio::test]
async fn several_dates_cannot_move_to_another_day() {
    let t = TestContext::new().await;
    let alice = t.person("alice").await;
    let created = create(
        &t,
        &alice,
        paris_evening(2026, 12, 1),
        weekly_on_tuesday(Ends::After(4)),
    )
    .await;
    let err = super::change(
        &t.ctx,
        &alice.principal(),
        created.first.id,
        EventChanges {
            begins_on: Some(created.first.begins_on + Duration::days(1)),
            ..Default::default()
        },
        ApplyTo::All,
    )
    .await
    .expect_err("refused");
    assert_eq!(err.code(), "invalid");
}

mod calendar;
