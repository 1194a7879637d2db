//! `cargo run --release -p tests --bin bench`: seeds a fresh database through backend services,
//! serves it with the real `convive serve` in a child process, drives it with a fixed number of
//! connections for a fixed time, and prints one table, each row beside a bare axum handler
//! measured in the same run. Background work (reminder mail, federation fan-out) is timed on
//! in-process instances with local sinks. See the README's "Performance" section.

pub mod bulk;
pub mod fanout;
pub mod load;
pub mod members;
pub mod pictures;
pub mod reminders;
pub mod report;
pub mod rush;
pub mod seed;
pub mod series;
pub mod server;
pub mod sinks;
pub mod waitlist;

use std::sync::Arc;
use std::time::{Duration, Instant};

use backend::AppContext;
use backend::clock::SystemClock;
use backend::mail::Mailer;
use chrono::Utc;
use serde_json::{Value, json};

use load::{Load, Outcome};
use report::Row;
use server::{BenchDatabase, ChildServer};

/// Every scenario, in the order they run.
pub const SCENARIOS: &[&str] = &[
    "event-page",
    "home",
    "home-pictures",
    "search",
    "event-ics",
    "group-feed",
    "group-feed-304",
    "feed-build",
    "instance-feed",
    "private-feed",
    "join",
    "login",
    "upload",
    "thumbnail",
    "reminders",
    "fanout",
    "waitlist",
    "series",
    "member-event-page",
    "member-home",
    "my-events",
    "event-query",
    "rush",
];

#[derive(Debug, Clone)]
pub struct Options {
    pub scenarios: Vec<String>,
    pub events: usize,
    pub duration: Duration,
    pub connections: usize,
    pub json: bool,
    pub tiny: bool,
    /// Reminders due at once.
    pub reminders: usize,
    /// Follower counts of the fan-out runs, and the number of hosts they spread over.
    pub fanout: Vec<usize>,
    pub hosts: usize,
    /// Followers advertise their host's shared inbox (as Mastodon's and Mobilizon's do), so
    /// one delivery per host carries the event to all of them.
    pub shared_inboxes: bool,
    /// Events written in bulk beside the seeded ones, for searches over many events.
    pub bulk_events: usize,
}

impl Options {
    pub fn wants(&self, scenario: &str) -> bool {
        self.scenarios.is_empty() || self.scenarios.iter().any(|s| s == scenario)
    }
}

pub const USAGE: &str = "\
usage: bench [SCENARIO...] [--events N] [--duration S] [--connections C] [--json] [--tiny]
             [--reminders N] [--followers N[,N...]] [--hosts H] [--shared-inboxes]
             [--bulk-events N]
scenarios: event-page home home-pictures search event-ics group-feed group-feed-304
           feed-build instance-feed private-feed join login upload thumbnail reminders
           fanout waitlist series member-event-page member-home my-events
           event-query rush (default: all);
           search-100k = search with --events 100000
           search-1m = search over 1 000 000 events: --events (10 000 by default) through
                       the services, the rest written in bulk (--bulk-events)
database: SQLite in a temporary directory, or PostgreSQL with CONVIVE_BENCH_DATABASE_URL
          (a fresh schema is created in that database and dropped afterwards, unless
          CONVIVE_BENCH_KEEP_SCHEMA is set)";

pub fn parse_args(args: &[String]) -> anyhow::Result<Options> {
    let mut options = Options {
        scenarios: Vec::new(),
        events: 10_000,
        duration: Duration::from_secs(10),
        connections: 64,
        json: false,
        tiny: false,
        reminders: 10_000,
        fanout: vec![1_000, 10_000],
        hosts: 100,
        shared_inboxes: false,
        bulk_events: 0,
    };
    let mut explicit_events = None;
    let mut explicit_duration = None;
    let mut explicit_connections = None;
    let mut explicit_reminders = None;
    let mut explicit_fanout = None;
    let mut explicit_hosts = None;
    let mut total_events: Option<usize> = None;
    let mut i = 0;
    let value = |i: usize, name: &str| -> anyhow::Result<String> {
        args.get(i + 1)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("{name} needs a value\n{USAGE}"))
    };
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "--events" => {
                explicit_events = Some(value(i, arg)?.parse()?);
                i += 1;
            }
            "--duration" => {
                explicit_duration = Some(Duration::from_secs_f64(value(i, arg)?.parse()?));
                i += 1;
            }
            "--connections" => {
                explicit_connections = Some(value(i, arg)?.parse()?);
                i += 1;
            }
            "--reminders" => {
                explicit_reminders = Some(value(i, arg)?.parse()?);
                i += 1;
            }
            "--followers" => {
                explicit_fanout = Some(
                    value(i, arg)?
                        .split(',')
                        .map(|n| n.trim().parse::<usize>())
                        .collect::<Result<Vec<_>, _>>()?,
                );
                i += 1;
            }
            "--hosts" => {
                explicit_hosts = Some(value(i, arg)?.parse()?);
                i += 1;
            }
            "--bulk-events" => {
                options.bulk_events = value(i, arg)?.parse()?;
                i += 1;
            }
            "--shared-inboxes" => options.shared_inboxes = true,
            "--json" => options.json = true,
            "--tiny" => options.tiny = true,
            "--help" | "-h" => anyhow::bail!("{USAGE}"),
            "search-100k" => {
                options.scenarios.push("search".to_owned());
                explicit_events.get_or_insert(100_000);
            }
            "search-1m" => {
                options.scenarios.push("search".to_owned());
                total_events = Some(1_000_000);
            }
            name if SCENARIOS.contains(&name) => options.scenarios.push(name.to_owned()),
            other => anyhow::bail!("unknown argument {other:?}\n{USAGE}"),
        }
        i += 1;
    }
    if options.tiny {
        options.events = 300;
        options.duration = Duration::from_secs(1);
        options.connections = 8;
        options.reminders = 200;
        options.fanout = vec![50];
        options.hosts = 5;
    }
    options.events = explicit_events.unwrap_or(options.events).max(20);
    if let Some(total) = total_events {
        options.bulk_events = total.saturating_sub(options.events);
    }
    options.duration = explicit_duration.unwrap_or(options.duration);
    options.connections = explicit_connections.unwrap_or(options.connections).max(1);
    options.reminders = explicit_reminders.unwrap_or(options.reminders);
    options.fanout = explicit_fanout.unwrap_or(options.fanout);
    options.hosts = explicit_hosts.unwrap_or(options.hosts).max(1);
    Ok(options)
}

/// Settings shared by the seeding context and the served instance, as `CONVIVE_*` variables.
fn server_env(database_url: &str, port: u16, outbox: &std::path::Path) -> Vec<(String, String)> {
    vec![
        ("CONVIVE_DATABASE_URL".into(), database_url.to_owned()),
        (
            "CONVIVE_PUBLIC_URL".into(),
            format!("http://127.0.0.1:{port}"),
        ),
        ("CONVIVE_MAIL__TRANSPORT".into(), "file".into()),
        (
            "CONVIVE_MAIL__OUTBOX_DIR".into(),
            outbox.display().to_string(),
        ),
        ("CONVIVE_LOG__FILTER".into(), "warn".into()),
        (
            "CONVIVE_MEDIA__DIR".into(),
            media_dir(outbox).display().to_string(),
        ),
        // The load generator is one client logging in 64 times at once, again and again:
        // the budgets meant for people guessing passwords would stop it.
        (
            "CONVIVE_RATE_LIMITS__LOGIN_PER_CLIENT__MAX".into(),
            "1000000000".into(),
        ),
        (
            "CONVIVE_RATE_LIMITS__LOGIN_PER_CLIENT_AND_ACCOUNT__MAX".into(),
            "1000000000".into(),
        ),
    ]
}

/// Runs the benchmark and prints its table.
pub async fn run(options: Options) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut rows: Vec<Row> = Vec::new();
    let http_scenarios: Vec<&str> = SCENARIOS
        .iter()
        .copied()
        .filter(|s| !matches!(*s, "reminders" | "fanout" | "waitlist" | "series"))
        .filter(|s| options.wants(s))
        .collect();
    let database_label;
    if http_scenarios.is_empty() {
        database_label = BenchDatabase::create(dir.path(), "probe").await?.label;
    } else {
        let database = BenchDatabase::create(dir.path(), "main").await?;
        database_label = database.label;
        let result = http_rows(&options, &database, dir.path(), &http_scenarios).await;
        database.drop_schema().await;
        rows.extend(result?);
    }
    if options.wants("reminders") && options.reminders > 0 {
        rows.extend(reminders::run(&options, dir.path()).await?);
    }
    if options.wants("fanout") {
        for &followers in &options.fanout {
            rows.push(fanout::run(&options, dir.path(), followers).await?);
        }
    }
    if options.wants("waitlist") {
        rows.extend(waitlist::run(&options, dir.path()).await?);
    }
    if options.wants("series") {
        rows.extend(series::run(&options, dir.path()).await?);
    }
    if std::env::var_os(server::BENCH_KEEP_ENV).is_some() {
        // The SQLite files too, to serve them again without seeding.
        eprintln!("kept the run's directory {}", dir.keep().display());
    }
    let header = report::Header {
        database: database_label.to_owned(),
        events: options.events,
        connections: options.connections,
        duration_secs: options.duration.as_secs_f64(),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_average: std::fs::read_to_string("/proc/loadavg")
            .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_default(),
    };
    if options.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "run": header, "rows": rows }))?
        );
    } else {
        print!("{}", report::table(&header, &rows));
    }
    Ok(())
}

/// Pictures go beside the mail outbox, in the run's directory, for the seeding context and
/// the served instance alike.
fn media_dir(outbox: &std::path::Path) -> std::path::PathBuf {
    outbox.with_file_name("media")
}

/// A context on the benchmark's database for seeding: no workers, federation off (remote
/// deliveries are measured by the fan-out scenario), mail written to files.
async fn seeding_context(
    database_url: &str,
    public_url: &str,
    outbox: &std::path::Path,
) -> anyhow::Result<AppContext> {
    let mut settings = backend::Settings {
        database_url: database_url.to_owned(),
        ..backend::Settings::default()
    };
    settings.public_url =
        backend::settings::PublicUrl::parse(public_url).map_err(|e| anyhow::anyhow!(e))?;
    settings.federation.enabled = false;
    settings.jobs.workers = false;
    settings.mail.transport = backend::settings::MailTransportKind::File;
    settings.mail.outbox_dir = outbox.to_owned();
    settings.media.dir = media_dir(outbox);
    let mailer = Mailer::from_settings(&settings)?;
    Ok(AppContext::start_with(settings, mailer, Arc::new(SystemClock)).await?)
}

async fn http_rows(
    options: &Options,
    database: &BenchDatabase,
    dir: &std::path::Path,
    scenarios: &[&str],
) -> anyhow::Result<Vec<Row>> {
    let port = server::free_port()?;
    let outbox = dir.join("mail-outbox");
    std::fs::create_dir_all(&outbox)?;
    let public_url = format!("http://127.0.0.1:{port}");
    let ctx = seeding_context(&database.url, &public_url, &outbox).await?;
    let groups = if options.tiny { 6 } else { 100 };
    let plan = seed::Plan {
        events: options.events,
        big_group_events: 1_000.min(options.events / 2),
        users: (groups + options.connections + 1).max(if options.tiny { 16 } else { 200 }),
        groups,
        popular_participants: if options.tiny { 10 } else { 150 },
        joins_per_user: if options.tiny { 2 } else { 10 },
        feed_owner_joins: if options.tiny { 20 } else { 200 },
    };
    eprintln!(
        "seeding {} events, {} people, {} groups on {} ...",
        plan.events, plan.users, plan.groups, database.label
    );
    let seeded = seed::seed(&ctx, plan).await?;
    // Mail the seed caused (RSVP confirmations) is sent now, so that the server starts with
    // no backlog; what is planned later (reminders, announcements) stays queued.
    let federation = federation::Federation::start(&ctx).await?;
    let drained = backend::jobs::run_due_now(&ctx, &web::startup::job_registry(&federation)).await;
    eprintln!(
        "seeded in {:.1}s ({drained} jobs run)",
        seeded.took.as_secs_f64()
    );
    let mut rows = vec![Row::background(
        &format!("seed {} events (services)", options.events),
        options.events as u64,
        seeded.took,
        None,
    )];
    if options.bulk_events > 0 {
        eprintln!("writing {} more events in bulk ...", options.bulk_events);
        let organizer = seeded.people[0].actor_id;
        let took = bulk::events(&ctx, options.bulk_events, organizer).await?;
        rows.push(Row::background(
            &format!("seed {} events (bulk)", options.bulk_events),
            options.bulk_events as u64,
            took,
            None,
        ));
    }

    if scenarios.contains(&"feed-build") {
        rows.extend(feed_builds(&ctx, &seeded, options).await?);
    }

    // Tokens for RSVPs under load, one person per connection, taken before the server starts.
    let mut tokens = Vec::new();
    if scenarios.contains(&"join") {
        // People who organize nothing (groups are run by the first ones) and are not the
        // private feed's owner (the last one).
        let n = seeded.people.len();
        for person in &seeded.people[n - 1 - options.connections..n - 1] {
            let login = backend::users::service::login(
                &ctx,
                &backend::rate_limits::Client::Local,
                &person.email,
                seed::PASSWORD,
            )
            .await?;
            tokens.push((login.access_token, person.actor_id));
        }
    }
    let thumbnail = if scenarios.contains(&"thumbnail") {
        Some(pictures::seed_thumbnail(&ctx, seeded.people[0].actor_id).await?)
    } else {
        None
    };
    let uploader_token = if scenarios.contains(&"upload") {
        let person = &seeded.people[0];
        let login = backend::users::service::login(
            &ctx,
            &backend::rate_limits::Client::Local,
            &person.email,
            seed::PASSWORD,
        )
        .await?;
        Some(login.access_token)
    } else {
        None
    };
    let member = if scenarios.iter().any(|s| members::SCENARIOS.contains(s)) {
        // The private feed's owner, who goes to many events.
        let owner = seeded
            .people
            .last()
            .ok_or_else(|| anyhow::anyhow!("a seed without people"))?;
        Some(members::log_in(&ctx, owner).await?)
    } else {
        None
    };
    let rush = if scenarios.contains(&"rush") {
        let plan = rush::Plan::for_options(options);
        let prepared = rush::prepare(&ctx, &seeded.people[0], &plan).await?;
        eprintln!(
            "  the rush's {} members and {} events made in {:.1}s",
            prepared.members.len(),
            prepared.event_ids.len(),
            prepared.took.as_secs_f64()
        );
        Some(prepared)
    } else {
        None
    };
    ctx.db.clone().close().await?;

    let env = server_env(&database.url, port, &outbox);
    let convive = ChildServer::convive(port, &env, &dir.join("convive.log")).await?;
    let host = convive.host();
    let http = reqwest::Client::new();
    let event_page = http
        .get(format!(
            "http://{host}/events/{}",
            seeded.popular_event_uuid
        ))
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_rss = convive.rss_mb();

    // The limit: a bare handler returning a page of the event page's size, same harness.
    let bare_port = server::free_port()?;
    let bare = ChildServer::bare(bare_port, event_page.len()).await?;
    let bare_host = bare.host();
    let bare_request = load::get(&bare_host, "/", &[]);
    let bare_row = measure(
        options,
        &bare,
        &format!("limit: bare axum, {} B page", event_page.len()),
        Arc::new(move |_, _| bare_request.clone()),
        Arc::new(|status, _| status == 200),
        None,
    );
    bare.stop();
    let limit = bare_row.per_second.unwrap_or(0.0);
    rows.push(bare_row);
    rows.push(Row::memory("convive serve, idle after start", idle_rss));

    let ok200 = |status: u16, _: &[u8]| status == 200;
    for &scenario in scenarios {
        let row = match scenario {
            "event-page" => {
                let request = load::get(
                    &host,
                    &format!("/events/{}", seeded.popular_event_uuid),
                    &[],
                );
                measure(
                    options,
                    &convive,
                    "event page (HTML)",
                    Arc::new(move |_, _| request.clone()),
                    Arc::new(ok200),
                    Some(limit),
                )
            }
            "home" => {
                let request = load::get(&host, "/", &[]);
                measure(
                    options,
                    &convive,
                    "home page (HTML)",
                    Arc::new(move |_, _| request.clone()),
                    Arc::new(ok200),
                    Some(limit),
                )
            }
            "home-pictures" => {
                // Given now, so that a `home` row of the same run is the page without them.
                let ctx = seeding_context(&database.url, &public_url, &outbox).await?;
                let pictured = pictures::picture_home_events(&ctx, &seeded.people).await?;
                let federation = federation::Federation::start(&ctx).await?;
                backend::jobs::run_due_now(&ctx, &web::startup::job_registry(&federation)).await;
                ctx.db.clone().close().await?;
                let page = home_showing_pictures(&http, &host, pictured).await?;
                let request = load::get(&host, "/", &[]);
                measure(
                    options,
                    &convive,
                    &format!(
                        "home page (HTML), {pictured} cards with pictures ({} B)",
                        page.len()
                    ),
                    Arc::new(move |_, _| request.clone()),
                    Arc::new(ok200),
                    Some(limit),
                )
            }
            "search" => {
                let host = host.clone();
                let now = Utc::now();
                let begins = now.to_rfc3339();
                let ends = (now + chrono::Duration::days(90)).to_rfc3339();
                let label = format!(
                    "searchEvents text+radius+dates @ {} events",
                    options.events + options.bulk_events
                );
                measure(
                    options,
                    &convive,
                    &label,
                    Arc::new(move |connection, seq| {
                        let k = connection + seq as usize;
                        let (_, lat, lon) = seed::CITIES[k % seed::CITIES.len()];
                        let term = seed::TAGS[(k / 7) % seed::TAGS.len()];
                        let body = json!({
                            "query": "query($term: String, $location: String, $radius: Float, $b: DateTime, $e: DateTime) { searchEvents(term: $term, location: $location, radius: $radius, beginsOn: $b, endsOn: $e, limit: 10) { total elements { uuid title beginsOn } } }",
                            "variables": {
                                "term": term,
                                "location": backend::search::encode_geohash(lat, lon, 6),
                                "radius": 25.0,
                                "b": begins,
                                "e": ends,
                            }
                        });
                        load::post_json(&host, "/graphql", &body.to_string(), None)
                    }),
                    Arc::new(graphql_ok),
                    Some(limit),
                )
            }
            "event-ics" => {
                let request = load::get(
                    &host,
                    &format!("/events/{}/export/ics", seeded.popular_event_uuid),
                    &[],
                );
                measure(
                    options,
                    &convive,
                    "event .ics",
                    Arc::new(move |_, _| request.clone()),
                    Arc::new(ok200),
                    Some(limit),
                )
            }
            "group-feed" => {
                let request = load::get(&host, &format!("/@{}/feed/ics", seeded.big_group), &[]);
                let label = format!(
                    "group feed .ics, {} events (200)",
                    1_000.min(options.events / 2)
                );
                measure(
                    options,
                    &convive,
                    &label,
                    Arc::new(move |_, _| request.clone()),
                    Arc::new(ok200),
                    Some(limit),
                )
            }
            "group-feed-304" => {
                let path = format!("/@{}/feed/ics", seeded.big_group);
                let etag = http
                    .get(format!("http://{host}{path}"))
                    .send()
                    .await?
                    .headers()
                    .get("etag")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
                    .ok_or_else(|| anyhow::anyhow!("the group feed has no ETag"))?;
                let request = load::get(&host, &path, &[("If-None-Match", &etag)]);
                measure(
                    options,
                    &convive,
                    "group feed .ics, revalidated (304)",
                    Arc::new(move |_, _| request.clone()),
                    Arc::new(|status, _| status == 304),
                    Some(limit),
                )
            }
            "instance-feed" => {
                let request = load::get(&host, "/events/feed/ics", &[]);
                measure(
                    options,
                    &convive,
                    "instance feed .ics",
                    Arc::new(move |_, _| request.clone()),
                    Arc::new(ok200),
                    Some(limit),
                )
            }
            "private-feed" => {
                let request = load::get(&host, &format!("/feed/{}/ics", seeded.feed_token), &[]);
                measure(
                    options,
                    &convive,
                    "private feed .ics (token)",
                    Arc::new(move |_, _| request.clone()),
                    Arc::new(ok200),
                    Some(limit),
                )
            }
            "join" => {
                let host = host.clone();
                let tokens = tokens.clone();
                let events = seeded.joinable_event_ids.clone();
                measure(
                    options,
                    &convive,
                    "joinEvent (write path)",
                    Arc::new(move |connection, seq| {
                        let (token, actor_id) = &tokens[connection % tokens.len()];
                        // Each connection is one person; each request a new event for them.
                        let event_id = events[(seq as usize) % events.len()];
                        let body = json!({
                            "query": "mutation($e: ID!, $a: ID) { joinEvent(eventId: $e, actorId: $a) { id role } }",
                            "variables": { "e": event_id.to_string(), "a": actor_id.to_string() }
                        });
                        load::post_json(&host, "/graphql", &body.to_string(), Some(token))
                    }),
                    Arc::new(graphql_ok),
                    Some(limit),
                )
            }
            "login" => {
                let host = host.clone();
                let emails: Vec<String> = seeded.people.iter().map(|p| p.email.clone()).collect();
                measure(
                    options,
                    &convive,
                    "login (argon2id)",
                    Arc::new(move |connection, seq| {
                        let email = &emails[(connection + seq as usize * 7) % emails.len()];
                        let body = json!({
                            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
                            "variables": { "e": email, "p": seed::PASSWORD }
                        });
                        load::post_json(&host, "/graphql", &body.to_string(), None)
                    }),
                    Arc::new(graphql_ok),
                    Some(limit),
                )
            }
            "upload" => match &uploader_token {
                Some(token) => pictures::upload_row(&convive, token).await?,
                None => continue,
            },
            "thumbnail" => match &thumbnail {
                Some(path) => {
                    let request = load::get(&host, path, &[]);
                    measure(
                        options,
                        &convive,
                        "stored thumbnail (/media, JPEG)",
                        Arc::new(move |_, _| request.clone()),
                        Arc::new(ok200),
                        Some(limit),
                    )
                }
                None => continue,
            },
            "rush" => match &rush {
                Some(prepared) => {
                    rush_row(options, &convive, &database.url, prepared, limit).await?
                }
                None => continue,
            },
            name if members::SCENARIOS.contains(&name) => match &member {
                Some(member) => {
                    let (label, request, graphql) =
                        members::request(name, &host, member, &seeded.popular_event_uuid)?;
                    let check: Arc<load::CheckFn> = if graphql {
                        Arc::new(graphql_ok)
                    } else {
                        Arc::new(ok200)
                    };
                    measure(options, &convive, &label, request, check, Some(limit))
                }
                None => continue,
            },
            _ => continue,
        };
        if row.errors > 0 {
            eprintln!(
                "  {}: {} errors, first: {}",
                row.scenario, row.errors, row.note
            );
        }
        rows.push(row);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    rows.push(Row::memory(
        "convive serve, after the run",
        convive.rss_mb(),
    ));
    convive.stop();
    Ok(rows)
}

/// Builds the big group's feed in this process, as a node does once per change of the feed
/// (serving it afterwards is the `group-feed` row): from nothing written yet (after a
/// restart), and after one of its events changed (the usual case), each build checked against
/// a build from nothing. Only the builds are inside the CPU readings, taken from the process's
/// CPU clock (to the nanosecond, SQLite's threads included); nothing else runs in the process
/// meanwhile.
async fn feed_builds(
    ctx: &AppContext,
    seeded: &seed::Seeded,
    options: &Options,
) -> anyhow::Result<Vec<Row>> {
    use backend::feeds::{Feed, Format, Source, WrittenEvents};
    let source = || Source::Actor {
        username: seeded.big_group.clone(),
    };
    // Nothing kept: every build writes every event.
    let cold = AppContext {
        written_events: WrittenEvents::new(0),
        ..ctx.clone()
    };
    let count = |bytes: &[u8]| bytes.windows(12).filter(|w| w == b"BEGIN:VEVENT").count();
    let (editor, event_id) = &seeded.big_group_event;
    let mut rows = Vec::new();
    for after_change in [false, true] {
        let started = Instant::now();
        let (mut builds, mut cpu, mut bytes, mut events) = (0_u64, 0.0, 0, 0);
        while started.elapsed() < options.duration || builds == 0 {
            let context = if after_change {
                let changes = backend::events::EventChanges {
                    description: Some(format!("<p>Changed {builds} times.</p>")),
                    ..Default::default()
                };
                backend::events::service::update(
                    ctx,
                    &backend::principal::Principal::User(editor.clone()),
                    *event_id,
                    changes,
                )
                .await?;
                ctx
            } else {
                &cold
            };
            let before = server::own_cpu_seconds();
            let rendered = Feed::open(context, source())
                .await?
                .render(context, Format::Ics)
                .await?;
            cpu += server::own_cpu_seconds() - before;
            let from_nothing = Feed::open(&cold, source())
                .await?
                .render(&cold, Format::Ics)
                .await?;
            anyhow::ensure!(
                rendered.bytes == from_nothing.bytes,
                "a feed built from kept events differs from one built from nothing"
            );
            bytes = rendered.bytes.len();
            events = count(&rendered.bytes);
            builds += 1;
        }
        let label = if after_change {
            format!("group feed .ics, {events} events: building it after one changed (in process)")
        } else {
            format!("group feed .ics, {events} events: building it from nothing (in process)")
        };
        let mut row = Row::background(&label, builds, started.elapsed(), None);
        row.cpu_ms_per_request = Some(cpu * 1000.0 / builds as f64);
        row.bytes_per_response = Some(bytes as u64);
        rows.push(row);
    }
    Ok(rows)
}

/// The home page once the server has seen its events' new pictures (another process changed
/// the database: the server notices within a second).
async fn home_showing_pictures(
    http: &reqwest::Client,
    host: &str,
    pictured: usize,
) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let page = http
            .get(format!("http://{host}/"))
            .send()
            .await?
            .error_for_status()?
            .text()
            .await?;
        let shown = page.matches("class=\"picture card-picture\"").count();
        if shown == pictured {
            return Ok(page);
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the home page shows {shown} pictures, not the {pictured} given"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn graphql_ok(status: u16, body: &[u8]) -> bool {
    status == 200
        && serde_json::from_slice::<Value>(body)
            .map(|v| v.get("errors").is_none_or(Value::is_null) && !v["data"].is_null())
            .unwrap_or(false)
}

/// The RSVP rush: every member asks once (the run lasts until they all have, two minutes at
/// most); its row counts as errors any answer but a seat or `event_full`, and a seat count
/// that is not exact.
async fn rush_row(
    options: &Options,
    convive: &ChildServer,
    database_url: &str,
    prepared: &rush::Prepared,
    limit: f64,
) -> anyhow::Result<Row> {
    let everyone = Options {
        duration: Duration::from_secs(120),
        ..options.clone()
    };
    let label = format!(
        "RSVP rush: {} members join {} events of {} seats (joinEvent)",
        prepared.members.len(),
        prepared.event_ids.len(),
        prepared.seats_per_event
    );
    let mut row = measure(
        &everyone,
        convive,
        &label,
        rush::requests(&convive.host(), prepared),
        Arc::new(rush::joined_or_full),
        Some(limit),
    );
    let db = backend::db::connect(database_url, 1).await?;
    if let Some(problem) = rush::check_seats(&db, prepared).await? {
        row.errors += 1;
        row.note = problem;
    }
    db.close().await?;
    Ok(row)
}

/// Drives one scenario and makes its row.
fn measure(
    options: &Options,
    target: &ChildServer,
    label: &str,
    request: Arc<load::RequestFn>,
    check: Arc<load::CheckFn>,
    limit: Option<f64>,
) -> Row {
    eprintln!("running {label} ...");
    let load = Load {
        address: target.address,
        connections: options.connections,
        duration: options.duration,
        threads: 2,
        request,
        check,
    };
    let rss_before = target.rss_mb();
    let cpu_before = target.cpu_seconds();
    let started = Instant::now();
    let outcome: Outcome = load::run(&load);
    let _ = started;
    let cpu = target.cpu_seconds() - cpu_before;
    let rss_after = target.rss_mb();
    Row::http(label, &outcome, cpu, rss_before, rss_after, limit)
}
