//! Reminders: many "one hour before" reminders falling due at the same moment, drained by the
//! real workers of an instance to the file transport, then to an SMTP server on loopback.
//! The instance runs in this process on a manual clock, so that "one hour before" comes when
//! the benchmark says.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use backend::AppContext;
use backend::clock::{Clock, ManualClock};
use backend::mail::Mailer;
use backend::principal::Principal;
use backend::settings::{MailTransportKind, Settings, SmtpSecurity};
use backend::testing::SmtpSink;
use chrono::{DateTime, Duration as Span, Utc};
use sea_orm::ActiveValue::Set;
use web::startup::Server;

use super::report::Row;
use super::seed::{self, Lcg};
use super::server::BenchDatabase;
use super::{Options, server};

fn settings(database_url: &str, port: u16) -> anyhow::Result<Settings> {
    let mut settings = Settings {
        database_url: database_url.to_owned(),
        ..Settings::default()
    };
    settings.bind = backend::settings::BindAddress(([127, 0, 0, 1], port).into());
    settings.public_url = backend::settings::PublicUrl::parse(&format!("http://127.0.0.1:{port}"))
        .map_err(|e| anyhow::anyhow!(e))?;
    settings.federation.enabled = false;
    Ok(settings)
}

/// An instance serving in this process on `clock`, its workers running.
pub async fn start_instance(
    settings: Settings,
    mailer: Mailer,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<Server> {
    let listener = tokio::net::TcpListener::bind(settings.bind.0).await?;
    let ctx = AppContext::start_with(settings, mailer, clock).await?;
    Server::start(ctx, listener, std::future::pending()).await
}

fn count_files(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count() as u64)
}

pub async fn run(options: &Options, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let total = options.reminders;
    let users = if options.tiny { 20 } else { 1_000 }.min(total.max(1));
    let events_per_round = total.div_ceil(users);
    let total = users * events_per_round;
    eprintln!(
        "reminders: seeding {users} people going to {events_per_round} events each, twice ..."
    );
    let database = BenchDatabase::create(dir, "reminders").await?;
    let started = Instant::now();
    let t0: DateTime<Utc> = Utc::now();
    let clock = ManualClock::new(t0);
    let port = server::free_port()?;
    let seed_outbox = dir.join("reminders-seed-outbox");
    let mut seed_settings = settings(&database.url, port)?;
    seed_settings.jobs.workers = false;
    seed_settings.mail.transport = MailTransportKind::File;
    seed_settings.mail.outbox_dir = seed_outbox;
    let ctx = AppContext::start_with(
        seed_settings.clone(),
        Mailer::from_settings(&seed_settings)?,
        Arc::new(clock.clone()),
    )
    .await?;

    let organizer = seed::person(&ctx, "organizer", |_| {}).await?;
    let people = seed::in_parallel("people", users, 4, |i| {
        let ctx = &ctx;
        async move {
            seed::person(ctx, &format!("remembers{i}"), |user| {
                user.notification_before_event = Set(true);
                user.notification_on_day = Set(false);
            })
            .await
        }
    })
    .await?;
    // Round one's events start two hours from now, round two's a day later.
    let starts = [t0 + Span::hours(2), t0 + Span::hours(26)];
    let mut rounds = Vec::new();
    for (round, begins) in starts.iter().enumerate() {
        let events = seed::in_parallel("events", events_per_round, 4, |i| {
            let ctx = &ctx;
            let organizer = organizer.clone();
            let begins = *begins;
            async move {
                let mut rng = Lcg::new((round * 1000 + i) as u64);
                let new = seed::new_event(&mut rng, organizer.actor_id, None, begins, i);
                Ok(
                    backend::events::service::create(ctx, &Principal::User(organizer.user), new)
                        .await?,
                )
            }
        })
        .await?;
        let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
        seed::in_parallel("RSVPs", users * events_per_round, 4, |k| {
            let ctx = &ctx;
            let person = people[k % users].clone();
            let event_id = ids[k / users];
            async move {
                seed::join(ctx, &person, event_id).await?;
                Ok(())
            }
        })
        .await?;
        rounds.push(ids);
    }
    // The RSVP confirmations go out now, so that the rounds below time reminders alone.
    let federation = federation::Federation::start(&ctx).await?;
    let drained = backend::jobs::run_due_now(&ctx, &web::startup::job_registry(&federation)).await;
    let seeded = started.elapsed();
    eprintln!(
        "reminders: seeded in {:.1}s ({drained} confirmation mails sent)",
        seeded.as_secs_f64()
    );
    ctx.db.clone().close().await?;

    let mut rows = Vec::new();
    // Round one: to the file transport.
    {
        let outbox = dir.join("reminders-outbox");
        std::fs::create_dir_all(&outbox)?;
        let mut settings = seed_settings.clone();
        settings.jobs.workers = true;
        settings.mail.outbox_dir = outbox.clone();
        let mailer = Mailer::from_settings(&settings)?;
        let server = start_instance(settings, mailer, Arc::new(clock.clone())).await?;
        let rss_before = server::rss_mb(std::process::id());
        clock.set(starts[0] - Span::minutes(59));
        server.ctx.wake_workers();
        let began = Instant::now();
        let done = wait_until(Duration::from_secs(600), || {
            count_files(&outbox) >= total as u64
        })
        .await;
        let took = began.elapsed();
        let sent = count_files(&outbox);
        let dead = dead_jobs(&server.ctx).await;
        server.stop();
        server.wait().await?;
        rows.push(
            Row::background(
                &format!("reminders: {total} due at once → file transport"),
                sent,
                took,
                None,
            )
            .with_errors(dead + if done { 0 } else { total as u64 - sent.min(total as u64) })
            .with_note(format!(
                "{users} people × {events_per_round} events, default 8 workers; bench process RSS {rss_before:.0} → {:.0} MB (server and sinks in-process); seeding took {:.0} s",
                server::rss_mb(std::process::id()),
                seeded.as_secs_f64()
            )),
        );
    }
    // Round two: to an SMTP server on loopback.
    {
        let sink = SmtpSink::start().await?;
        let mut settings = seed_settings.clone();
        settings.jobs.workers = true;
        settings.mail.transport = MailTransportKind::Smtp;
        settings.mail.smtp.host = "127.0.0.1".to_owned();
        settings.mail.smtp.port = sink.address.port();
        settings.mail.smtp.security = SmtpSecurity::None;
        let mailer = Mailer::from_settings(&settings)?;
        let server = start_instance(settings, mailer, Arc::new(clock.clone())).await?;
        clock.set(starts[1] - Span::minutes(59));
        server.ctx.wake_workers();
        let began = Instant::now();
        let done = wait_until(Duration::from_secs(600), || sink.count() >= total as u64).await;
        let took = began.elapsed();
        let dead = dead_jobs(&server.ctx).await;
        server.stop();
        server.wait().await?;
        rows.push(
            Row::background(
                &format!("reminders: {total} due at once → SMTP sink"),
                sink.count(),
                took,
                None,
            )
            .with_errors(
                dead + if done {
                    0
                } else {
                    total as u64 - sink.count().min(total as u64)
                },
            )
            .with_note("kept-alive connections with TCP_NODELAY, no TLS (loopback sink)"),
        );
    }
    database.drop_schema().await;
    Ok(rows)
}

async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    done()
}

async fn dead_jobs(ctx: &AppContext) -> u64 {
    backend::jobs::count_by_state(&ctx.db)
        .await
        .map_or(0, |counts| counts.dead)
}
