//! The waitlist under contention: everyone RSVPs to a capacity-100 event at the same moment
//! (in this process, through the backend's one `join`, as many in flight as the bench's
//! `--connections`), then 50 participants leave at the same moment. On PostgreSQL it runs
//! again with two nodes on the one database: two application contexts, each with its own
//! connection pool and caches as two `convive` processes have, the requests dealt between
//! them, so that only the database keeps them apart. The scenario checks the outcome, not
//! just the time: exactly the capacity seated, the rest in line at positions 1…n without a gap
//! or a double, then exactly the next 50 in line seated, each told by exactly one mail. A
//! wrong count is an error of the row.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use backend::AppContext;
use backend::clock::SystemClock;
use backend::mail::{Mailer, SEND_MAIL_JOB};
use backend::participations::{JoinRequest, LeaveRequest};
use backend::principal::Principal;
use backend::rate_limits::Client;
use chrono::{Duration as Span, Utc};
use entity::participant::{self, ParticipantRole};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::Options;
use super::report::Row;
use super::seed::{self, Lcg, Person};
use super::server::BenchDatabase;

/// How many RSVP at once, the event's capacity, and how many then leave.
fn sizes(options: &Options) -> (usize, i32, usize) {
    if options.tiny {
        (100, 10, 5)
    } else {
        (1_000, 100, 50)
    }
}

pub async fn run(options: &Options, dir: &Path) -> anyhow::Result<Vec<Row>> {
    let (people_count, capacity, leaving) = sizes(options);
    let mut rows = Vec::new();
    let database = BenchDatabase::create(dir, "waitlist").await?;
    let one_node = scenario(options, dir, &database, 1, people_count, capacity, leaving).await;
    database.drop_schema().await;
    rows.extend(one_node?);
    if database.label == "PostgreSQL" {
        let database = BenchDatabase::create(dir, "waitlist_two_nodes").await?;
        let two_nodes = scenario(options, dir, &database, 2, people_count, capacity, leaving).await;
        database.drop_schema().await;
        rows.extend(two_nodes?);
    }
    Ok(rows)
}

/// One node's context on `database` (the first to start runs the migrations).
async fn node(dir: &Path, database: &BenchDatabase) -> anyhow::Result<AppContext> {
    let mut settings = backend::Settings {
        database_url: database.url.clone(),
        ..backend::Settings::default()
    };
    settings.federation.enabled = false;
    settings.jobs.workers = false;
    settings.mail.transport = backend::settings::MailTransportKind::File;
    settings.mail.outbox_dir = dir.join("waitlist-outbox");
    let mailer = Mailer::from_settings(&settings)?;
    Ok(AppContext::start_with(settings, mailer, Arc::new(SystemClock)).await?)
}

async fn scenario(
    options: &Options,
    dir: &Path,
    database: &BenchDatabase,
    node_count: usize,
    people_count: usize,
    capacity: i32,
    leaving: usize,
) -> anyhow::Result<Vec<Row>> {
    let mut nodes = Vec::with_capacity(node_count);
    for _ in 0..node_count {
        nodes.push(node(dir, database).await?);
    }
    let ctx = nodes[0].clone();
    let on = if node_count > 1 {
        format!("{}, {node_count} nodes", database.label)
    } else {
        database.label.to_owned()
    };
    let across = if node_count > 1 {
        format!(" across {node_count} nodes")
    } else {
        String::new()
    };
    eprintln!("waitlist: seeding {people_count} people ...");
    let organizer = seed::person(&ctx, "waitlist_organizer", |_| {}).await?;
    let people = seed::in_parallel("people", people_count, 4, |i| {
        let ctx = &ctx;
        async move { seed::person(ctx, &format!("inline{i}"), |_| {}).await }
    })
    .await?;
    let mut rng = Lcg::new(7);
    let mut new = seed::new_event(
        &mut rng,
        organizer.actor_id,
        None,
        Utc::now() + Span::days(2),
        0,
    );
    new.options.maximum_attendee_capacity = Some(capacity);
    let event =
        backend::events::service::create(&ctx, &Principal::User(organizer.user), new).await?;
    let seats = usize::try_from(capacity)?;
    let waiting = people_count - seats;

    // Everyone at once, as many in flight as the load generator's connections (a server
    // behind them would queue the rest for its pool in the same way).
    let in_flight = Arc::new(tokio::sync::Semaphore::new(options.connections));
    let started = Instant::now();
    let tasks: Vec<_> = people
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, person)| {
            let ctx = nodes[i % node_count].clone();
            let in_flight = in_flight.clone();
            tokio::spawn(async move {
                let _permit = in_flight.acquire_owned().await;
                let request = JoinRequest {
                    event_id: event.id,
                    actor_id: Some(person.actor_id),
                    ..JoinRequest::default()
                };
                backend::participations::join(
                    &ctx,
                    &Principal::User(person.user.clone()),
                    &Client::Local,
                    request,
                )
                .await
                .and_then(backend::participations::Joined::into_participation)
            })
        })
        .collect();
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(error) = task.await? {
            failures.push(format!("{error:?}"));
        }
    }
    let joins_took = started.elapsed();
    let line = line_of(&ctx, event.id).await?;
    let seated = seated(&ctx, event.id).await?;
    let mut problems = failures;
    if seated.len() != seats {
        problems.push(format!("{} seated, not {seats}", seated.len()));
    }
    let places = positions(&ctx, &line).await?;
    if places != (1..=waiting as u64).collect::<Vec<_>>() {
        problems.push(format!(
            "{} in line, positions not 1…{waiting} without gap or double",
            places.len()
        ));
    }
    let join_row = Row::background(
        &format!("waitlist: {people_count} RSVPs at once, capacity {capacity}{across}"),
        people_count as u64,
        joins_took,
        None,
    )
    .with_errors(problems.len() as u64)
    .with_note(if problems.is_empty() {
        format!(
            "{} seated, {} in line at 1…{waiting}; {on}",
            seated.len(),
            line.len(),
        )
    } else {
        first_problems(&problems)
    });

    // Some of the seated leave at once: exactly the first of the line move up.
    let by_actor: BTreeMap<i64, &Person> = people.iter().map(|p| (p.actor_id, p)).collect();
    let leavers: Vec<Person> = seated
        .iter()
        .take(leaving)
        .filter_map(|p| by_actor.get(&p.actor_id).map(|person| (*person).clone()))
        .collect();
    let expected: BTreeSet<i64> = line.iter().take(leaving).map(|p| p.id).collect();
    let mail_before = last_mail_job(&ctx).await?;
    let started = Instant::now();
    let tasks: Vec<_> = leavers
        .into_iter()
        .enumerate()
        .map(|(i, person)| {
            let ctx = nodes[i % node_count].clone();
            let in_flight = in_flight.clone();
            tokio::spawn(async move {
                let _permit = in_flight.acquire_owned().await;
                let request = LeaveRequest {
                    event_id: event.id,
                    actor_id: Some(person.actor_id),
                    ..LeaveRequest::default()
                };
                backend::participations::leave(&ctx, &Principal::User(person.user), request)
                    .await
                    .and_then(backend::participations::Left::into_participation)
            })
        })
        .collect();
    let mut problems = Vec::new();
    for task in tasks {
        if let Err(error) = task.await? {
            problems.push(format!("{error:?}"));
        }
    }
    let leaves_took = started.elapsed();
    let now_seated: BTreeSet<i64> = seated_ids(&ctx, event.id).await?;
    let promoted: BTreeSet<i64> = now_seated
        .iter()
        .copied()
        .filter(|id| line.iter().any(|p| p.id == *id))
        .collect();
    if promoted != expected {
        problems.push(format!(
            "{} promoted, not exactly the first {leaving} in line",
            promoted.len()
        ));
    }
    if now_seated.len() != seats {
        problems.push(format!("{} seated, not {seats}", now_seated.len()));
    }
    let told = promotion_mail(&ctx, mail_before).await?;
    let promoted_emails: BTreeSet<String> = line
        .iter()
        .filter(|p| expected.contains(&p.id))
        .filter_map(|p| {
            people
                .iter()
                .find(|person| person.actor_id == p.actor_id)
                .map(|person| person.email.clone())
        })
        .collect();
    let told_once = told.len() == leaving
        && told.iter().collect::<BTreeSet<_>>() == promoted_emails.iter().collect();
    if !told_once {
        problems.push(format!(
            "{} mails for {} promoted, not one each",
            told.len(),
            promoted_emails.len()
        ));
    }
    let after = line_of(&ctx, event.id).await?;
    let places = positions(&ctx, &after).await?;
    if places != (1..=(waiting - leaving) as u64).collect::<Vec<_>>() {
        problems.push("the line after promotions has a gap or a double".to_owned());
    }
    let leave_row = Row::background(
        &format!("waitlist: {leaving} leaves at once → next {leaving} promoted{across}"),
        leaving as u64,
        leaves_took,
        None,
    )
    .with_errors(problems.len() as u64)
    .with_note(if problems.is_empty() {
        format!(
            "exactly the first {leaving} in line seated, one mail each; {} still in line; {on}",
            after.len()
        )
    } else {
        first_problems(&problems)
    });
    for node in nodes {
        node.db.clone().close().await?;
    }
    Ok(vec![join_row, leave_row])
}

/// Those in line, first first.
async fn line_of(ctx: &AppContext, event_id: i64) -> anyhow::Result<Vec<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.eq(ParticipantRole::Waitlisted))
        .order_by_asc(participant::Column::WaitlistRank)
        .all(&ctx.db)
        .await?)
}

async fn seated(ctx: &AppContext, event_id: i64) -> anyhow::Result<Vec<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.eq(ParticipantRole::Participant))
        .order_by_asc(participant::Column::Id)
        .all(&ctx.db)
        .await?)
}

async fn seated_ids(ctx: &AppContext, event_id: i64) -> anyhow::Result<BTreeSet<i64>> {
    Ok(seated(ctx, event_id)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

/// The positions the backend gives each in line, in line order.
async fn positions(ctx: &AppContext, line: &[participant::Model]) -> anyhow::Result<Vec<u64>> {
    let mut out = Vec::with_capacity(line.len());
    for row in line {
        if let Some(position) = backend::participations::waitlist::position(&ctx.db, row).await? {
            out.push(position);
        }
    }
    Ok(out)
}

async fn last_mail_job(ctx: &AppContext) -> anyhow::Result<i64> {
    Ok(entity::job::Entity::find()
        .order_by_desc(entity::job::Column::Id)
        .one(&ctx.db)
        .await?
        .map_or(0, |job| job.id))
}

/// The recipients of the mail queued since job `after`: leaving tells nobody, so these are the
/// promotion notices.
async fn promotion_mail(ctx: &AppContext, after: i64) -> anyhow::Result<Vec<String>> {
    Ok(entity::job::Entity::find()
        .filter(entity::job::Column::Id.gt(after))
        .filter(entity::job::Column::Kind.eq(SEND_MAIL_JOB))
        .all(&ctx.db)
        .await?
        .into_iter()
        .filter_map(|job| job.payload["to"].as_str().map(str::to_owned))
        .collect())
}

/// The first few problems, for a row's note.
fn first_problems(problems: &[String]) -> String {
    let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
    format!("{} problems, first: {}", problems.len(), shown.join("; "))
}
