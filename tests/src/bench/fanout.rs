//! Federation fan-out: one public event of a group followed by many remote people spread over
//! many hosts, delivered by the real publish and delivery jobs to inboxes on loopback that
//! verify every signature. The instance runs in this process with `federation.debug` on (it
//! allows plain http and loopback peers).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use backend::AppContext;
use backend::actors::remote::RemoteActor;
use backend::clock::SystemClock;
use backend::mail::Mailer;
use backend::principal::Principal;
use backend::settings::{MailTransportKind, Settings};
use chrono::{Duration as Span, Utc};
use entity::actor::{ActorKind, Openness};

use super::Options;
use super::reminders::start_instance;
use super::report::Row;
use super::seed::{self, Lcg};
use super::server::{self, BenchDatabase};
use super::sinks::{Inboxes, start_inboxes};

/// Any valid key: followers' keys only matter for what they send us, and they send nothing.
const FOLLOWER_KEY: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh\nkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ\n0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdg\ncKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbc\nmwIDAQAB\n-----END PUBLIC KEY-----\n";

pub async fn run(options: &Options, dir: &Path, followers: usize) -> anyhow::Result<Row> {
    let hosts = options.hosts.min(followers.max(1));
    eprintln!("fan-out: seeding {followers} remote followers on {hosts} hosts ...");
    let database = BenchDatabase::create(dir, &format!("fanout{followers}")).await?;
    let inboxes = Arc::new(Inboxes::default());
    let (ports, sink_tasks) = start_inboxes(hosts, inboxes.clone()).await?;

    let port = server::free_port()?;
    let mut settings = Settings {
        database_url: database.url.clone(),
        ..Settings::default()
    };
    settings.bind = backend::settings::BindAddress(([127, 0, 0, 1], port).into());
    settings.public_url = backend::settings::PublicUrl::parse(&format!("http://localhost:{port}"))
        .map_err(|e| anyhow::anyhow!(e))?;
    settings.federation.debug = true;
    settings.mail.transport = MailTransportKind::File;
    settings.mail.outbox_dir = dir.join(format!("fanout{followers}-outbox"));

    // Seeding: federation off, so that accepting the follows sends nothing yet.
    let started = Instant::now();
    let mut seed_settings = settings.clone();
    seed_settings.federation.enabled = false;
    seed_settings.jobs.workers = false;
    let ctx = AppContext::start_with(
        seed_settings.clone(),
        Mailer::from_settings(&seed_settings)?,
        Arc::new(SystemClock),
    )
    .await?;
    let organizer = seed::person(&ctx, "organizer", |_| {}).await?;
    let organizer_actor = backend::actors::find(&ctx.db, organizer.actor_id).await?;
    let group = backend::groups::service::create(
        &ctx,
        &organizer_actor,
        backend::groups::service::NewGroup {
            preferred_username: "widely_followed".to_owned(),
            name: Some("Widely followed".to_owned()),
            ..Default::default()
        },
    )
    .await?;
    let group_id = group.id;
    let shared_inboxes = options.shared_inboxes;
    seed::in_parallel("remote followers", followers, 4, |i| {
        let ctx = &ctx;
        let host = format!("localhost:{}", ports[i % ports.len()]);
        async move {
            let ap_id = format!("http://{host}/users/f{i}");
            let follower = backend::actors::remote::upsert(
                &ctx.db,
                RemoteActor {
                    ap_id: ap_id.clone(),
                    preferred_username: format!("f{i}"),
                    domain: host.clone(),
                    kind: ActorKind::Person,
                    name: None,
                    summary: None,
                    url: Some(ap_id.clone()),
                    inbox_url: format!("{ap_id}/inbox"),
                    shared_inbox_url: shared_inboxes.then(|| format!("http://{host}/inbox")),
                    outbox_url: None,
                    followers_url: None,
                    public_key_pem: FOLLOWER_KEY.to_owned(),
                    manually_approves_followers: false,
                    openness: Openness::Open,
                    avatar: None,
                    banner: None,
                },
                ctx.now(),
            )
            .await?;
            // Followers as the inbox makes them: the remote actor, through its `Follow`.
            let principal = backend::principal::Principal::Remote {
                actor_id: follower.id,
                activity_id: format!("http://{host}/follows/{i}"),
            };
            let request = backend::groups::follows::FollowRequest {
                target_id: group_id,
                ..Default::default()
            };
            backend::groups::follows::follow(ctx, &principal, request).await?;
            Ok(())
        }
    })
    .await?;
    let seeded = started.elapsed();
    ctx.db.clone().close().await?;

    let mailer = Mailer::from_settings(&settings)?;
    let server = start_instance(settings, mailer, Arc::new(SystemClock)).await?;
    let mut rng = Lcg::new(42);
    let new = seed::new_event(
        &mut rng,
        organizer.actor_id,
        Some(group_id),
        Utc::now() + Span::days(10),
        0,
    );
    let began = Instant::now();
    backend::events::service::create(&server.ctx, &Principal::User(organizer.user), new).await?;
    let deadline = began + Duration::from_secs(if options.tiny { 60 } else { 600 });
    let deliveries = if shared_inboxes { hosts } else { followers } as u64;
    while inboxes.verified() + inboxes.rejected() < deliveries && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = began.elapsed();
    let verified = inboxes.verified();
    let rejected = inboxes.rejected();
    let hosts_reached = inboxes.hosts_reached.lock().await.len();
    let first_rejection = inboxes.first_rejection.lock().await.clone();
    server.stop();
    server.wait().await?;
    for task in sink_tasks {
        task.abort();
    }
    database.drop_schema().await;
    let missing = deliveries.saturating_sub(verified);
    let inboxes_used = if shared_inboxes {
        "one shared inbox per host"
    } else {
        "one inbox per follower (no shared inbox)"
    };
    let mut note = format!(
        "{inboxes_used}, {verified} deliveries, {hosts_reached} hosts reached, signatures verified; seeding took {:.0} s",
        seeded.as_secs_f64()
    );
    if let Some(why) = first_rejection {
        note.push_str(&format!("; first rejection: {why}"));
    }
    Ok(Row::background(
        &format!(
            "fan-out: 1 event → {followers} followers on {hosts} hosts{}",
            if shared_inboxes {
                ", shared inboxes"
            } else {
                ""
            }
        ),
        verified,
        took,
        None,
    )
    .with_errors(rejected + missing)
    .with_note(note))
}
