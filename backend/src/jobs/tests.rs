use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use entity::job::{self, JobState};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};

use super::worker::claim;
use super::*;
use crate::context::AppContext;
use crate::testing::TestContext;

/// Fails with a retryable error every time, counting its runs.
struct AlwaysFails(Arc<AtomicUsize>);

#[async_trait]
impl JobHandler for AlwaysFails {
    fn kind(&self) -> &'static str {
        "test.always_fails"
    }

    async fn run(&self, _ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Err(JobError::Retry("peer is down".into()))
    }
}

/// Records which jobs ran, how often, and whether two ran the same job at once.
#[derive(Clone, Default)]
struct Recorder {
    runs: Arc<Mutex<HashMap<i64, usize>>>,
    running: Arc<Mutex<HashSet<i64>>>,
    overlaps: Arc<AtomicUsize>,
    in_flight: Arc<AtomicUsize>,
    max_in_flight: Arc<AtomicUsize>,
    pause: Duration,
}

#[async_trait]
impl JobHandler for Recorder {
    fn kind(&self) -> &'static str {
        "test.record"
    }

    async fn run(&self, _ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let now_in_flight = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight
            .fetch_max(now_in_flight, Ordering::SeqCst);
        if !self
            .running
            .lock()
            .map(|mut set| set.insert(job.id))
            .unwrap_or(false)
        {
            self.overlaps.fetch_add(1, Ordering::SeqCst);
        }
        if !self.pause.is_zero() {
            tokio::time::sleep(self.pause).await;
        }
        if let Ok(mut runs) = self.runs.lock() {
            *runs.entry(job.id).or_default() += 1;
        }
        if let Ok(mut set) = self.running.lock() {
            set.remove(&job.id);
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(())
    }
}

fn config(node: &str, concurrency: usize) -> WorkerConfig {
    WorkerConfig {
        node_id: node.to_owned(),
        concurrency,
        poll_interval: Duration::from_millis(10),
        lease: Duration::from_secs(60),
        shutdown_grace: Duration::from_secs(5),
    }
}

async fn enqueue_many(ctx: &AppContext, kind: &str, count: usize) {
    let tx = ctx.db.begin().await.expect("begin");
    for i in 0..count {
        let job = NewJob::new(kind, &serde_json::json!({ "n": i })).expect("job");
        enqueue(&tx, ctx.now(), job).await.expect("enqueue");
    }
    tx.commit().await.expect("commit");
}

async fn count_in_state(ctx: &AppContext, state: JobState) -> u64 {
    job::Entity::find()
        .filter(job::Column::State.eq(state))
        .count(&ctx.db)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_failing_job_is_retried_later_then_dead_after_its_last_attempt() {
    let t = TestContext::new().await;
    let runs = Arc::new(AtomicUsize::new(0));
    let registry = JobRegistry::new().with(AlwaysFails(runs.clone()));
    let job = NewJob::new("test.always_fails", &serde_json::json!({}))
        .expect("job")
        .max_attempts(3);
    let id = enqueue(&t.ctx.db, t.ctx.now(), job).await.expect("enqueue");

    assert_eq!(run_due_now(&t.ctx, &registry).await, 1);
    let after_first = find(&t.ctx.db, id).await.expect("job");
    assert_eq!(after_first.state, JobState::Pending);
    assert_eq!(after_first.attempts, 1);
    assert_eq!(after_first.last_error.as_deref(), Some("peer is down"));
    // Backoff: not due again at once.
    assert!(after_first.run_at > t.ctx.now());
    assert_eq!(run_due_now(&t.ctx, &registry).await, 0);

    for _ in 0..2 {
        t.clock.advance(chrono::Duration::hours(1));
        assert_eq!(run_due_now(&t.ctx, &registry).await, 1);
    }
    let dead = find(&t.ctx.db, id).await.expect("job");
    assert_eq!(dead.state, JobState::Dead);
    assert_eq!(dead.attempts, 3);
    assert_eq!(runs.load(Ordering::SeqCst), 3);
    assert!(dead.finished_at.is_some());

    // Dead jobs stay visible and can be re-run.
    let (total, listed) = list(
        &t.ctx.db,
        &JobFilter {
            state: Some(JobState::Dead),
            kind: None,
        },
        1,
        10,
    )
    .await
    .expect("list");
    assert_eq!((total, listed[0].id), (1, id));
    // Administrators see and re-run them; moderators do not (payloads hold addresses).
    let modo = t
        .person_with("modo", entity::user::UserRole::Moderator, |_| {})
        .await;
    let admin = t
        .person_with("boss", entity::user::UserRole::Administrator, |_| {})
        .await;
    let refused = retry(&t.ctx, &modo.principal(), id)
        .await
        .expect_err("moderators do not re-run jobs");
    assert_eq!(refused.code(), "forbidden");
    let seen = super::dead(
        &t.ctx.db,
        &admin.principal(),
        crate::pagination::Page::default(),
    )
    .await
    .expect("dead jobs");
    assert_eq!((seen.total, seen.elements[0].id), (1, id));
    let again = retry(&t.ctx, &admin.principal(), id).await.expect("retry");
    assert_eq!((again.state, again.attempts), (JobState::Pending, 0));
    let log = crate::action_log::list(&t.ctx.db, &admin.principal(), Default::default())
        .await
        .expect("log");
    assert_eq!(
        log.elements[0].action,
        entity::action_log::ActionLogAction::JobRetry,
        "the action log keeps who ran it again"
    );
    assert_eq!(log.elements[0].actor_id, Some(admin.actor.id));
    let twice = retry(&t.ctx, &admin.principal(), id)
        .await
        .expect_err("only dead jobs");
    assert_eq!(twice.code(), "job_not_dead");
    assert_eq!(run_due_now(&t.ctx, &registry).await, 1);
}

#[tokio::test]
async fn a_job_whose_worker_died_runs_again_once_its_lease_expires() {
    let t = TestContext::new().await;
    let id = enqueue(
        &t.ctx.db,
        t.ctx.now(),
        NewJob::new("test.record", &serde_json::json!({})).expect("job"),
    )
    .await
    .expect("enqueue");

    // Worker A claims the job and then "crashes": it never reports back.
    let claimed = claim(&t.ctx, &config("worker-a", 1), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    // While the lease holds, nobody else gets it.
    assert!(
        claim(&t.ctx, &config("worker-b", 1), 10)
            .await
            .expect("claim")
            .is_empty()
    );

    t.clock.advance(chrono::Duration::seconds(61));
    let recorder = Recorder::default();
    let registry = JobRegistry::new().with(recorder.clone());
    assert_eq!(run_due_now(&t.ctx, &registry).await, 1);
    let done = find(&t.ctx.db, id).await.expect("job");
    assert_eq!(done.state, JobState::Done);
    assert_eq!(done.attempts, 2, "the crashed attempt counts");
}

#[tokio::test]
async fn a_job_enqueued_in_a_rolled_back_transaction_does_not_exist() {
    let t = TestContext::new().await;
    let tx = t.ctx.db.begin().await.expect("begin");
    enqueue(
        &tx,
        t.ctx.now(),
        NewJob::new("test.record", &serde_json::json!({})).expect("job"),
    )
    .await
    .expect("enqueue");
    tx.rollback().await.expect("rollback");
    assert_eq!(count_in_state(&t.ctx, JobState::Pending).await, 0);
}

#[tokio::test]
async fn a_unique_key_keeps_one_pending_job_which_is_kept_or_replaced() {
    let t = TestContext::new().await;
    let now = t.ctx.now();
    let first = NewJob::new("test.record", &serde_json::json!({ "v": 1 }))
        .expect("job")
        .run_at(now + chrono::Duration::minutes(30))
        .unique("reminder:1:2", OnDuplicate::Keep);
    let id = enqueue(&t.ctx.db, now, first).await.expect("enqueue");

    let kept = NewJob::new("test.record", &serde_json::json!({ "v": 2 }))
        .expect("job")
        .run_at(now + chrono::Duration::minutes(50))
        .unique("reminder:1:2", OnDuplicate::Keep);
    assert_eq!(enqueue(&t.ctx.db, now, kept).await.expect("enqueue"), id);
    let row = find(&t.ctx.db, id).await.expect("job");
    assert_eq!(row.payload["v"], 1);
    assert_eq!(row.run_at, now + chrono::Duration::minutes(30));

    let replaced = NewJob::new("test.record", &serde_json::json!({ "v": 3 }))
        .expect("job")
        .run_at(now + chrono::Duration::minutes(90))
        .unique("reminder:1:2", OnDuplicate::Replace);
    assert_eq!(
        enqueue(&t.ctx.db, now, replaced).await.expect("enqueue"),
        id
    );
    let row = find(&t.ctx.db, id).await.expect("job");
    assert_eq!(row.payload["v"], 3);
    assert_eq!(row.run_at, now + chrono::Duration::minutes(90));
    assert_eq!(count_in_state(&t.ctx, JobState::Pending).await, 1);

    assert_eq!(
        cancel_pending(&t.ctx.db, now, "reminder:1:")
            .await
            .expect("cancel"),
        1
    );
    assert_eq!(
        find(&t.ctx.db, id).await.expect("job").state,
        JobState::Cancelled
    );
    // Once the old one is no longer pending, the key is free again.
    let fresh = NewJob::new("test.record", &serde_json::json!({}))
        .expect("job")
        .unique("reminder:1:2", OnDuplicate::Keep);
    assert_ne!(enqueue(&t.ctx.db, now, fresh).await.expect("enqueue"), id);
}

#[tokio::test]
async fn a_delivery_key_holds_an_inbox_address_as_long_as_an_actor_may_have() {
    let t = TestContext::new().await;
    let now = t.ctx.now();
    // Actors' inbox addresses may be 2 048 characters long; a delivery is keyed by its
    // inbox and its activity, as the federation crate writes it.
    let inbox = format!("https://far.example/{}", "i".repeat(2048 - 20));
    let key = format!("deliver:{inbox}:http://127.0.0.1:4000/events/1/activity/update/1");
    let job = |v| {
        NewJob::new("test.record", &serde_json::json!({ "v": v }))
            .expect("job")
            .unique(key.clone(), OnDuplicate::Keep)
    };
    let id = enqueue(&t.ctx.db, now, job(1)).await.expect("enqueue");
    assert_eq!(enqueue(&t.ctx.db, now, job(2)).await.expect("enqueue"), id);
    assert_eq!(
        find_pending(&t.ctx.db, &key)
            .await
            .expect("lookup")
            .map(|job| job.id),
        Some(id)
    );
    // Blocking the instance withdraws it by the prefix of its address.
    assert_eq!(
        cancel_pending(&t.ctx.db, now, "deliver:https://far.example/")
            .await
            .expect("cancel"),
        1
    );
}

#[tokio::test]
async fn a_burst_of_ten_thousand_jobs_is_drained_with_bounded_concurrency() {
    let t = TestContext::new().await;
    enqueue_many(&t.ctx, "test.record", 10_000).await;
    let recorder = Recorder::default();
    let pool = WorkerPool::new(
        t.ctx.clone(),
        JobRegistry::new().with(recorder.clone()),
        config("burst", 8),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(pool.run(async {
        let _ = stopped.await;
    }));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
    while count_in_state(&t.ctx, JobState::Done).await < 10_000 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "burst not drained in time"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = stop.send(());
    worker.await.expect("worker stops");

    let runs = recorder.runs.lock().expect("runs").clone();
    assert_eq!(runs.len(), 10_000);
    assert!(runs.values().all(|&n| n == 1), "every job ran exactly once");
    assert!(recorder.max_in_flight.load(Ordering::SeqCst) <= 8);
}

#[tokio::test]
async fn two_worker_pools_on_one_database_never_run_the_same_job_at_once() {
    let t = TestContext::new().await;
    enqueue_many(&t.ctx, "test.record", 400).await;
    let recorder = Recorder {
        pause: Duration::from_millis(5),
        ..Recorder::default()
    };
    let mut stops = Vec::new();
    let mut workers = Vec::new();
    for node in ["node-1", "node-2"] {
        let pool = WorkerPool::new(
            t.ctx.clone(),
            JobRegistry::new().with(recorder.clone()),
            config(node, 6),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        stops.push(stop);
        workers.push(tokio::spawn(pool.run(async {
            let _ = stopped.await;
        })));
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while count_in_state(&t.ctx, JobState::Done).await < 400 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "jobs not drained in time"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for stop in stops {
        let _ = stop.send(());
    }
    for worker in workers {
        worker.await.expect("worker stops");
    }
    let runs = recorder.runs.lock().expect("runs").clone();
    assert_eq!(runs.len(), 400);
    assert!(runs.values().all(|&n| n == 1), "no job ran twice");
    assert_eq!(recorder.overlaps.load(Ordering::SeqCst), 0);
    let by_node: HashSet<String> = job::Entity::find()
        .all(&t.ctx.db)
        .await
        .expect("jobs")
        .into_iter()
        .filter_map(|j| j.locked_by)
        .collect();
    assert!(by_node.is_empty(), "leases are released when jobs finish");
}

/// Sleeps far longer than the shutdown grace.
struct Slow;

#[async_trait]
impl JobHandler for Slow {
    fn kind(&self) -> &'static str {
        "test.slow"
    }

    async fn run(&self, _ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        tokio::time::sleep(Duration::from_secs(30)).await;
        Ok(())
    }
}

#[tokio::test]
async fn shutdown_hands_unfinished_jobs_back_to_the_queue() {
    let t = TestContext::new().await;
    let id = enqueue(
        &t.ctx.db,
        t.ctx.now(),
        NewJob::new("test.slow", &serde_json::json!({})).expect("job"),
    )
    .await
    .expect("enqueue");
    let mut cfg = config("stopping", 2);
    cfg.shutdown_grace = Duration::from_millis(100);
    let pool = WorkerPool::new(t.ctx.clone(), JobRegistry::new().with(Slow), cfg);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(pool.run(async {
        let _ = stopped.await;
    }));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while find(&t.ctx.db, id).await.expect("job").state != JobState::Running {
        assert!(tokio::time::Instant::now() < deadline, "job never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(5), worker)
        .await
        .expect("shutdown is bounded")
        .expect("worker stops");
    let released = find(&t.ctx.db, id).await.expect("job");
    assert_eq!(released.state, JobState::Pending);
    assert_eq!(
        released.attempts, 0,
        "the interrupted attempt is not counted"
    );
    assert!(released.locked_by.is_none());
}

#[tokio::test]
async fn withdrawing_by_prefix_leaves_keys_that_only_share_its_beginning() {
    let t = TestContext::new().await;
    let now = t.ctx.now();
    let mut ids = HashMap::new();
    for key in [
        "reminder/before/1/2/",
        "reminder/before/1/3/",
        "reminder/before/10/2/",
        "reminder/before/1",
        "reminder/before/0/",
        "reminder/before/1/é/",
        "reminder/before/1\u{10ffff}/",
    ] {
        let job = NewJob::new("test.record", &serde_json::json!({}))
            .expect("job")
            .unique(key, OnDuplicate::Keep);
        ids.insert(key, enqueue(&t.ctx.db, now, job).await.expect("enqueue"));
    }
    assert_eq!(
        cancel_pending(&t.ctx.db, now, "reminder/before/1/")
            .await
            .expect("cancel"),
        3
    );
    for (key, id) in &ids {
        let state = find(&t.ctx.db, *id).await.expect("job").state;
        let withdrawn = key.starts_with("reminder/before/1/");
        assert_eq!(state == JobState::Cancelled, withdrawn, "{key}: {state:?}");
    }
    // A prefix ending in the last character there is: matched as a pattern instead.
    assert_eq!(
        cancel_pending(&t.ctx.db, now, "reminder/before/1\u{10ffff}")
            .await
            .expect("cancel"),
        1
    );
}

/// How the database runs `statement` when it plans it once for any values, as PostgreSQL does
/// with a prepared statement after five runs, and as SQLite always does.
async fn generic_plan(t: &TestContext, statement: sea_orm::Statement) -> String {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let conn = crate::db::connect(&t.database.url, 1)
        .await
        .expect("connect");
    let backend = conn.get_database_backend();
    let rows = if backend == DatabaseBackend::Postgres {
        use sea_orm::sea_query::{PostgresQueryBuilder, QueryBuilder};
        let values = statement.values.map(|v| v.0).unwrap_or_default();
        let literals: Vec<String> = values
            .iter()
            .map(|v| PostgresQueryBuilder.value_to_string(v))
            .collect();
        for sql in [
            "SET plan_cache_mode = force_generic_plan".to_owned(),
            format!("PREPARE plan_me AS {}", statement.sql),
        ] {
            conn.execute_unprepared(&sql).await.expect("prepare");
        }
        conn.query_all_raw(Statement::from_string(
            backend,
            format!("EXPLAIN EXECUTE plan_me({})", literals.join(", ")),
        ))
        .await
    } else {
        conn.query_all_raw(Statement {
            sql: format!("EXPLAIN QUERY PLAN {}", statement.sql),
            ..statement
        })
        .await
    };
    rows.expect("explain")
        .iter()
        .map(|row| {
            row.try_get::<String>("", "QUERY PLAN")
                .or_else(|_| row.try_get::<String>("", "detail"))
                .expect("plan line")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn pending_jobs_are_looked_up_by_key_through_their_index_even_in_a_long_queue() {
    use sea_orm::{ConnectionTrait, QueryTrait};
    let t = TestContext::new().await;
    let backend = t.ctx.db.get_database_backend();
    // A queue of reminders, as an instance with many participants holds.
    let numbers = match backend {
        sea_orm::DatabaseBackend::Postgres => "SELECT n FROM generate_series(1, 20000) AS n",
        _ => {
            "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 20000) \
              SELECT n FROM c"
        }
    };
    t.ctx
        .db
        .execute_unprepared(&format!(
            "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, \
             unique_key, created_at, updated_at) \
             SELECT 'x', '{{}}', 'pending', 0, 1, '2026-01-01T00:00:00+00:00', \
             'reminder/before/' || n || '/', '2026-01-01T00:00:00+00:00', \
             '2026-01-01T00:00:00+00:00' FROM ({numbers}) AS numbers"
        ))
        .await
        .expect("queue");
    t.ctx
        .db
        .execute_unprepared("ANALYZE jobs")
        .await
        .expect("analyze");
    let now = t.ctx.now();
    for statement in [
        super::queue::pending_with_key("reminder/before/7/").build(backend),
        super::queue::cancel_pending_with_prefix(now, "reminder/before/7/").build(backend),
    ] {
        let plan = generic_plan(&t, statement.clone()).await;
        assert!(
            plan.contains("jobs_pending_unique_key"),
            "{}\n{plan}",
            statement.sql
        );
    }
}

#[tokio::test]
async fn on_postgresql_job_keys_compare_byte_by_byte_whatever_the_database_language() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let t = TestContext::new().await;
    if t.ctx.db.get_database_backend() != DatabaseBackend::Postgres {
        return; // SQLite compares text as bytes unless a column says otherwise
    }
    // Withdrawing by prefix reads a range of keys, which holds exactly the keys with the
    // prefix only in byte order.
    let row = t
        .ctx
        .db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT collation_name::text AS collation FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'jobs' \
             AND column_name = 'unique_key'",
        ))
        .await
        .expect("column")
        .expect("jobs.unique_key");
    assert_eq!(
        row.try_get::<Option<String>>("", "collation")
            .expect("collation")
            .as_deref(),
        Some("C")
    );
}

/// Whether the workers were told of new jobs: `notify_one` leaves a permit when none waits.
async fn workers_woken(ctx: &AppContext) -> bool {
    tokio::time::timeout(Duration::from_millis(50), ctx.job_wakeup.notified())
        .await
        .is_ok()
}

#[tokio::test]
async fn committing_a_write_transaction_that_planned_a_job_wakes_the_workers() {
    let t = TestContext::new().await;
    assert!(!workers_woken(&t.ctx).await);
    for job in [
        NewJob::new("test.recorded", &serde_json::json!({})).expect("job"),
        NewJob::new("test.recorded", &serde_json::json!({}))
            .expect("job")
            .unique("one key", OnDuplicate::Keep),
    ] {
        let tx = crate::db::begin_write(&t.ctx).await.expect("begin");
        enqueue(&tx, t.ctx.now(), job).await.expect("enqueue");
        assert!(!workers_woken(&t.ctx).await, "not before the commit");
        tx.commit().await.expect("commit");
        assert!(workers_woken(&t.ctx).await);
    }
}

#[tokio::test]
async fn a_write_transaction_without_a_job_or_rolled_back_leaves_the_workers_asleep() {
    let t = TestContext::new().await;
    let tx = crate::db::begin_write(&t.ctx).await.expect("begin");
    job::Entity::find().count(&tx).await.expect("count");
    tx.commit().await.expect("commit");
    assert!(!workers_woken(&t.ctx).await);

    let tx = crate::db::begin_write(&t.ctx).await.expect("begin");
    let job = NewJob::new("test.recorded", &serde_json::json!({})).expect("job");
    enqueue(&tx, t.ctx.now(), job).await.expect("enqueue");
    tx.rollback().await.expect("rollback");
    assert!(!workers_woken(&t.ctx).await);
}
