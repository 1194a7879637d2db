//! A recurring event at scale: a group's weekly series of 500 dates (all written: the horizon
//! is raised to hold them), then a change of "this date and the following ones" from the
//! 250th (the series split and 251 dates changed, each person told once), then the group's
//! calendar built from nothing, where the series is one VEVENT: times and the feed's size.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use backend::AppContext;
use backend::clock::SystemClock;
use backend::events::EventChanges;
use backend::feeds::{Feed, Format, Source};
use backend::groups::service::NewGroup;
use backend::mail::Mailer;
use backend::principal::Principal;
use backend::series::{ApplyTo, Ends, Frequency, NewSeries, Recurrence};
use chrono::{Datelike, Duration as Span, Utc};

use super::Options;
use super::report::Row;
use super::seed::{self, Lcg};
use super::server::BenchDatabase;

pub async fn run(options: &Options, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let dates = if options.tiny { 50 } else { 500 };
    let database = BenchDatabase::create(dir, "series").await?;
    let result = scenario(dir, &database, dates).await;
    database.drop_schema().await;
    result
}

async fn scenario(dir: &Path, database: &BenchDatabase, dates: u32) -> anyhow::Result<Vec<Row>> {
    let mut settings = backend::Settings {
        database_url: database.url.clone(),
        ..backend::Settings::default()
    };
    settings.federation.enabled = false;
    settings.jobs.workers = false;
    settings.mail.transport = backend::settings::MailTransportKind::File;
    settings.mail.outbox_dir = dir.join("series-outbox");
    settings.recurrence.horizon_days = 3660;
    settings.recurrence.horizon_occurrences = 1000;
    let mailer = Mailer::from_settings(&settings)?;
    let ctx = AppContext::start_with(settings, mailer, Arc::new(SystemClock)).await?;
    let organizer = seed::person(&ctx, "series_organizer", |_| {}).await?;
    let actor = backend::actors::find(&ctx.db, organizer.actor_id).await?;
    let group = backend::groups::service::create(
        &ctx,
        &actor,
        NewGroup {
            preferred_username: "weekly_collective".to_owned(),
            ..Default::default()
        },
    )
    .await?;
    let who = Principal::User(organizer.user.clone());
    let mut rng = Lcg::new(11);
    let mut new = seed::new_event(
        &mut rng,
        organizer.actor_id,
        Some(group.id),
        Utc::now() + Span::days(1),
        0,
    );
    new.options.timezone = Some("Europe/Paris".to_owned());
    let weekday = new.begins_on.map_or(chrono::Weekday::Tue, |b| b.weekday());
    let recurrence = Recurrence {
        frequency: Frequency::Weekly,
        interval: 1,
        weekdays: vec![weekday],
        monthly_on: None,
        ends: Ends::After(dates),
    };
    let started = Instant::now();
    let created = backend::series::create(
        &ctx,
        &who,
        NewSeries {
            event: new,
            recurrence,
            exceptions: Vec::new(),
        },
    )
    .await?;
    let create_took = started.elapsed();
    let mut rows = vec![
        Row::background(
            &format!("series: create {dates} weekly dates"),
            created.occurrences as u64,
            create_took,
            None,
        )
        .with_note(format!(
            "{} dates written; {}",
            created.occurrences, database.label
        )),
    ];

    let all = backend::series::occurrences(&ctx.db, created.series.id).await?;
    let pivot = all.len() / 2;
    let chosen = all
        .get(pivot.saturating_sub(1))
        .ok_or_else(|| anyhow::anyhow!("the series has no dates"))?;
    let started = Instant::now();
    backend::series::change(
        &ctx,
        &who,
        chosen.id,
        EventChanges {
            title: Some("Weekly repair café, new place".to_owned()),
            begins_on: Some(chosen.begins_on + Span::minutes(30)),
            ..Default::default()
        },
        ApplyTo::ThisAndFollowing,
    )
    .await?;
    let change_took = started.elapsed();
    let changed = all.len() - pivot.saturating_sub(1);
    rows.push(
        Row::background(
            &format!("series: change this and following from date {pivot}"),
            changed as u64,
            change_took,
            None,
        )
        .with_note(format!("{changed} dates changed, series split")),
    );

    let started = Instant::now();
    let feed = Feed::open(
        &ctx,
        Source::Actor {
            username: "weekly_collective".to_owned(),
        },
    )
    .await?;
    let rendered = feed.render(&ctx, Format::Ics).await?;
    let feed_took = started.elapsed();
    let vevents = String::from_utf8_lossy(&rendered.bytes)
        .matches("BEGIN:VEVENT")
        .count();
    let mut row = Row::background(
        "series: the group's calendar, built cold",
        1,
        feed_took,
        None,
    )
    .with_note(format!(
        "{} bytes, {vevents} VEVENTs for {} dates",
        rendered.bytes.len(),
        all.len()
    ));
    row.bytes_per_response = Some(rendered.bytes.len() as u64);
    rows.push(row);
    Ok(rows)
}
