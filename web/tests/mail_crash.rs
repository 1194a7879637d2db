//! Mail is sent exactly once however the process dies. The real `convive` binary is killed
//! (SIGKILL) at a random moment while it sends the mails of a cancelled event to its 200
//! participants, started again on the same database, and once every mail job is done each
//! participant must have exactly one message: one complete `.eml` file, or one message (one
//! `Message-ID`) at the SMTP server. Ten rounds per transport, each on its own database.
//! `CONVIVE_CRASH_SEED=<n>` replays the kill points of an earlier run.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a failed expectation is a failed test

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use backend::events::EventChanges;
use backend::testing::{SmtpSink, TestContext, new_event};
use entity::event::EventStatus;
use entity::job::{self, JobState};
use entity::participant::{self, ParticipantRole};
use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const BINARY: &str = env!("CARGO_BIN_EXE_convive");
const PARTICIPANTS: usize = 200;
const ROUNDS: u64 = 10;
/// Mail jobs one process runs at once: at most this many can have been handed to the SMTP
/// server and not yet marked done when the process dies, and be sent again.
const CONCURRENCY: usize = 8;
/// The shortest lease the settings allow: the killed process's jobs run again this soon.
const LEASE_SECS: u64 = 5;
/// Rounds running side by side (each has its own database and processes): most of a round is
/// spent waiting for the lease of the killed process to run out.
const ROUNDS_AT_ONCE: usize = 5;
/// Longest wait for the restarted process to finish the mail.
const PATIENCE: Duration = Duration::from_secs(90);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    File,
    Smtp,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_while_mailing_files_leaves_one_complete_message_per_participant() {
    crash_rounds(Transport::File).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_while_mailing_through_smtp_leaves_one_message_id_per_participant() {
    crash_rounds(Transport::Smtp).await;
}

async fn crash_rounds(transport: Transport) {
    let seed = std::env::var("CONVIVE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    let started = Instant::now();
    let mut rounds: Vec<Round> = futures::stream::iter(1..=ROUNDS)
        .map(|number| round(transport, number, seed))
        .buffer_unordered(ROUNDS_AT_ONCE)
        .collect()
        .await;
    rounds.sort_by_key(|r| r.number);
    let report: Vec<String> = rounds.iter().map(Round::describe).collect();
    eprintln!(
        "{transport:?}, CONVIVE_CRASH_SEED={seed}, {:.1} s:\n{}",
        started.elapsed().as_secs_f64(),
        report.join("\n")
    );
    let failed: Vec<&String> = rounds
        .iter()
        .zip(&report)
        .filter(|(r, _)| !r.passed())
        .map(|(_, line)| line)
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {ROUNDS} rounds did not end with one message per participant \
         (CONVIVE_CRASH_SEED={seed}):\n{}",
        failed.len(),
        failed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// What one round ended with.
struct Round {
    number: u64,
    transport: Transport,
    /// Messages written or received when the process was killed.
    killed_after: usize,
    /// Finished messages: `.eml` files, or messages the SMTP server accepted.
    messages: usize,
    /// Distinct messages per participant (files, or `Message-ID`s at the SMTP server).
    per_participant: HashMap<String, usize>,
    /// Messages to someone who is not a participant.
    strangers: usize,
    /// `.eml` files that are empty or cut short.
    broken: usize,
    /// Files in the outbox that are not `.eml` (a write the kill interrupted).
    leftovers: usize,
    /// Participants the event had.
    participants: Vec<String>,
    /// Time to make the database, and from the kill until every mail job was done.
    seeding: Duration,
    recovery: Duration,
}

impl Round {
    fn doubled(&self) -> usize {
        self.per_participant.values().filter(|n| **n > 1).count()
    }

    fn missing(&self) -> usize {
        self.participants
            .iter()
            .filter(|p| self.per_participant.get(*p).copied().unwrap_or(0) == 0)
            .count()
    }

    fn passed(&self) -> bool {
        let resent = self.messages.saturating_sub(self.participants.len());
        let resent_ok = match self.transport {
            // A renamed file replaces the one of an earlier run; a write cut short leaves at
            // most its temporary file.
            Transport::File => resent == 0 && self.leftovers <= CONCURRENCY,
            // A server cannot take back what it accepted; the stable `Message-ID` lets the next
            // one drop the repeats, of which there are at most the messages in flight.
            Transport::Smtp => resent <= CONCURRENCY,
        };
        resent_ok
            && self.doubled() == 0
            && self.missing() == 0
            && self.strangers == 0
            && self.broken == 0
    }

    fn describe(&self) -> String {
        format!(
            "round {:>2}: killed after {:>3} of {}; then {} messages, {} people with more \
             than one, {} with none, {} to strangers, {} broken, {} leftover temporary files \
             (seeded in {:.1} s, all done {:.1} s after the kill): {}",
            self.number,
            self.killed_after,
            self.participants.len(),
            self.messages,
            self.doubled(),
            self.missing(),
            self.strangers,
            self.broken,
            self.leftovers,
            self.seeding.as_secs_f64(),
            self.recovery.as_secs_f64(),
            if self.passed() { "ok" } else { "FAILED" },
        )
    }
}

async fn round(transport: Transport, number: u64, seed: u64) -> Round {
    let mut rng = StdRng::seed_from_u64(seed ^ number.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let seeding = Instant::now();
    let (seeded, participants) = cancelled_event_with_participants().await;
    let seeding = seeding.elapsed();
    let dir = tempfile::tempdir().expect("dir");
    let sink = match transport {
        Transport::Smtp => Some(SmtpSink::start().await.expect("sink")),
        Transport::File => None,
    };
    let mut env = vec![
        ("CONVIVE_DATABASE_URL", seeded.database.url.clone()),
        ("CONVIVE_BIND", format!("127.0.0.1:{}", free_port())),
        ("CONVIVE_JOBS__LEASE_SECS", LEASE_SECS.to_string()),
        ("CONVIVE_JOBS__CONCURRENCY", CONCURRENCY.to_string()),
        ("CONVIVE_JOBS__POLL_INTERVAL_MS", "50".to_owned()),
        ("RUST_LOG", "warn".to_owned()),
    ];
    if let Some(sink) = &sink {
        env.extend([
            ("CONVIVE_MAIL__TRANSPORT", "smtp".to_owned()),
            ("CONVIVE_MAIL__SMTP__HOST", sink.address.ip().to_string()),
            ("CONVIVE_MAIL__SMTP__PORT", sink.address.port().to_string()),
            ("CONVIVE_MAIL__SMTP__SECURITY", "none".to_owned()),
        ]);
    }
    let outbox = dir.path().join("mail-outbox");
    let progress = || match &sink {
        Some(sink) => usize::try_from(sink.count()).unwrap_or(usize::MAX),
        None => finished_files(&outbox),
    };

    // Somewhere inside the sending window: after at least one message, before the last.
    let kill_at = rng.random_range(1..PARTICIPANTS);
    let jitter = Duration::from_micros(rng.random_range(0..2000));
    let mut first = Convive::start(dir.path(), &env);
    let deadline = Instant::now() + PATIENCE;
    while progress() < kill_at {
        first.check_running();
        assert!(Instant::now() < deadline, "round {number}: no mail is sent");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    tokio::time::sleep(jitter).await;
    first.kill();
    let killed_after = progress();
    let killed = Instant::now();

    let mut second = Convive::start(dir.path(), &env);
    loop {
        second.check_running();
        let (unfinished, dead) = mail_jobs_left(&seeded).await;
        assert_eq!(dead, 0, "round {number}: mail jobs died");
        if unfinished == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "round {number}: {unfinished} mail jobs still unfinished"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let recovery = killed.elapsed();
    second.kill();

    let mut round = Round {
        number,
        transport,
        killed_after,
        messages: 0,
        per_participant: HashMap::new(),
        strangers: 0,
        broken: 0,
        leftovers: 0,
        participants,
        seeding,
        recovery,
    };
    match &sink {
        Some(sink) => round.count_deliveries(sink),
        None => round.count_files(&outbox),
    }
    round
}

impl Round {
    fn count_files(&mut self, outbox: &Path) {
        let invited: HashSet<&String> = self.participants.iter().collect();
        for entry in std::fs::read_dir(outbox).expect("outbox").flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "eml") {
                self.leftovers += 1;
                continue;
            }
            self.messages += 1;
            let raw = std::fs::read_to_string(&path).unwrap_or_default();
            match complete_message_to(&raw) {
                Some(to) if invited.contains(&to) => {
                    *self.per_participant.entry(to).or_default() += 1;
                }
                Some(_) => self.strangers += 1,
                None => self.broken += 1,
            }
        }
    }

    fn count_deliveries(&mut self, sink: &SmtpSink) {
        let invited: HashSet<&String> = self.participants.iter().collect();
        let mut ids: BTreeMap<String, HashSet<String>> = BTreeMap::new();
        for (n, delivery) in sink.deliveries().into_iter().enumerate() {
            self.messages += 1;
            // Without a `Message-ID`, a server cannot tell a repeat from a new message.
            let id = delivery
                .message_id
                .unwrap_or_else(|| format!("(none: delivery {n})"));
            for to in delivery.recipients {
                if invited.contains(&to) {
                    ids.entry(to).or_default().insert(id.clone());
                } else {
                    self.strangers += 1;
                }
            }
        }
        self.per_participant = ids.into_iter().map(|(to, ids)| (to, ids.len())).collect();
    }
}

/// The recipient of a message that is all there: headers, then a MIME body up to its closing
/// boundary.
fn complete_message_to(raw: &str) -> Option<String> {
    let (headers, body) = raw.split_once("\r\n\r\n")?;
    let to = headers
        .lines()
        .find_map(|line| line.strip_prefix("To: "))?
        .trim()
        .to_owned();
    let last = body.trim_end().lines().last()?;
    (last.starts_with("--") && last.ends_with("--")).then_some(to)
}

fn finished_files(outbox: &Path) -> usize {
    std::fs::read_dir(outbox).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .count()
    })
}

/// A database with a cancelled event whose participants' mails are queued, as the binary will
/// find it.
async fn cancelled_event_with_participants() -> (TestContext, Vec<String>) {
    let seeded = TestContext::new().await;
    // The binary reads the real clock; the queued jobs must be due for it.
    seeded.clock.set(chrono::Utc::now());
    let ctx = &seeded.ctx;
    let organizer = seeded.person("organizer").await;
    let event = backend::events::service::create(
        ctx,
        &organizer.principal(),
        new_event("Picnic", ctx.now() + chrono::Duration::days(7)),
    )
    .await
    .expect("event");
    let mut guests = Vec::with_capacity(PARTICIPANTS);
    for i in 0..PARTICIPANTS {
        guests.push(seeded.person(&format!("guest{i:03}")).await);
    }
    // Written directly: how they joined is not under test, and 200 joins through the service
    // (each with its own mail and reminder) took most of a round's time on PostgreSQL.
    let now = ctx.now();
    participant::Entity::insert_many(guests.iter().map(|guest| participant::ActiveModel {
        id: NotSet,
        event_id: Set(event.id),
        actor_id: Set(guest.actor.id),
        role: Set(ParticipantRole::Participant),
        message: Set(None),
        ap_id: Set(None),
        email: Set(None),
        locale: Set(None),
        timezone: Set(None),
        confirmation_token_hash: Set(None),
        cancellation_token_hash: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        waitlist_rank: Set(None),
    }))
    .exec(&ctx.db)
    .await
    .expect("participants");
    let participants = (0..PARTICIPANTS)
        .map(|i| format!("guest{i:03}@example.org"))
        .collect();
    backend::events::service::update(
        ctx,
        &organizer.principal(),
        event.id,
        EventChanges {
            status: Some(EventStatus::Cancelled),
            ..Default::default()
        },
    )
    .await
    .expect("cancel");
    let (queued, _) = mail_jobs_left(&seeded).await;
    assert_eq!(
        queued, PARTICIPANTS,
        "one cancellation mail per participant"
    );
    (seeded, participants)
}

/// Mail jobs not yet done, and dead ones.
async fn mail_jobs_left(seeded: &TestContext) -> (usize, usize) {
    let count = |states: Vec<JobState>| {
        job::Entity::find()
            .filter(job::Column::Kind.eq(backend::mail::SEND_MAIL_JOB))
            .filter(job::Column::State.is_in(states))
            .count(&seeded.ctx.db)
    };
    let unfinished = count(vec![JobState::Pending, JobState::Running])
        .await
        .expect("count");
    let dead = count(vec![JobState::Dead]).await.expect("count");
    (
        usize::try_from(unfinished).unwrap(),
        usize::try_from(dead).unwrap(),
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The binary, running in a directory with only the given `CONVIVE_*` variables; what it
/// writes to stderr goes to `convive.log` there, so that an early exit says why.
struct Convive(Child, std::path::PathBuf);

impl Convive {
    fn start(dir: &Path, env: &[(&str, String)]) -> Self {
        let mut command = Command::new(BINARY);
        command.current_dir(dir);
        for (key, _) in std::env::vars() {
            if key.starts_with("CONVIVE_") || key == "RUST_LOG" {
                command.env_remove(key);
            }
        }
        command.envs(env.iter().map(|(k, v)| (k, v)));
        let log = dir.join("convive.log");
        let stderr = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("a log file");
        let child = command
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("convive starts");
        Self(child, log)
    }

    fn check_running(&mut self) {
        if let Ok(Some(status)) = self.0.try_wait() {
            let log = std::fs::read_to_string(&self.1).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            panic!("convive exited early: {status}\n{}", tail.join("\n"));
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix): no shutdown, no chance to finish a write.
    fn kill(self) {
        drop(self);
    }
}

impl Drop for Convive {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
