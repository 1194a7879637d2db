//! Knowing, without asking the database, that nothing changed in it since a given moment.
//!
//! A node may keep what it built from the database (an anonymous event page) under the
//! *generation* it read before building it, and serve it again while the generation is the
//! same, without a query. The generation goes up after every change this node learns of:
//!
//! - this node's own writes raise it once committed: a write transaction (`db::begin_write`)
//!   when its commit returns, a statement outside one when it returns (sea-orm's metric
//!   callback, which sees every statement; [`may_change_pages`] tells writes from reads).
//!   Whoever makes a change sees it on the next page, whichever backend;
//! - on SQLite, commits of this process are also seen by SQLite's commit hook (writes made
//!   some other way), and commits by other processes on the same file (the `convive` admin
//!   commands) by polling `PRAGMA data_version` four times a second;
//! - on PostgreSQL, a trigger on every table but the job queue notifies `convive_changes` with
//!   its schema at commit, and each node listens for its own schema: other nodes' changes
//!   arrive within milliseconds.
//!
//! Raising the generation *after* a change is visible is what makes it exact: a page read
//! before the change was built under an older generation and is no longer served. While this
//! node cannot be sure to hear of changes (the listener is reconnecting, or the database was
//! opened without watching), [`Changes::generation`] is `None` and nothing is served from
//! memory.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use sea_orm::{DatabaseBackend, DatabaseConnection};

/// The PostgreSQL channel the tables' triggers notify with their schema's name (migration
/// `m20261127_000016`).
pub const CHANNEL: &str = "convive_changes";

/// How often another process's commits to the SQLite file are looked for.
const SQLITE_POLL: Duration = Duration::from_millis(250);

/// How long to wait before reconnecting a lost watch.
const RETRY: Duration = Duration::from_secs(2);

#[derive(Clone, Debug)]
pub struct Changes(Arc<Watch>);

#[derive(Debug)]
struct Watch {
    /// Shared with the SQLite hooks, which live as long as their connections.
    generation: Arc<AtomicU64>,
    watched: AtomicBool,
    /// Statements run through the pools opened with these changes, reads included.
    statements: AtomicU64,
}

impl Default for Changes {
    /// Not watching anything: nothing is ever current.
    fn default() -> Self {
        Self(Arc::new(Watch {
            generation: Arc::new(AtomicU64::new(0)),
            watched: AtomicBool::new(false),
            statements: AtomicU64::new(0),
        }))
    }
}

impl Changes {
    /// The generation to build under, or `None` if changes may go unnoticed right now.
    pub fn generation(&self) -> Option<u64> {
        // Read the flag first: a watch that stops raises the generation before lowering it.
        if !self.0.watched.load(Ordering::SeqCst) {
            return None;
        }
        Some(self.0.generation.load(Ordering::SeqCst))
    }

    /// Whether nothing changed since `generation` was read.
    pub fn is_current(&self, generation: u64) -> bool {
        self.generation() == Some(generation)
    }

    /// Something changed (and is visible to every new read).
    pub fn changed(&self) {
        self.0.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Notes one statement done, and a change if it may have written something.
    pub(crate) fn statement_done(&self, sql: &str) {
        self.0.statements.fetch_add(1, Ordering::Relaxed);
        if may_change_pages(sql) {
            self.changed();
        }
    }

    /// How many statements this node has run since it started: how the tests see that a
    /// page's statements do not grow with the number of events on it (no query per row).
    pub fn statements(&self) -> u64 {
        self.0.statements.load(Ordering::Relaxed)
    }

    fn set_watched(&self, watched: bool) {
        // Either way the gap may have hidden a change: what was built before is not current.
        self.changed();
        self.0.watched.store(watched, Ordering::SeqCst);
    }

    /// Starts noticing every change to `db`, opened by [`crate::db::connect_watching`] with
    /// these changes. Returns at once; the watch stops when the last clone of `self` is gone.
    pub fn watch(&self, db: &DatabaseConnection) {
        let weak = Arc::downgrade(&self.0);
        match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool().clone();
                tokio::spawn(watch_sqlite(pool, weak));
            }
            DatabaseBackend::Postgres => {
                let pool = db.get_postgres_connection_pool().clone();
                tokio::spawn(watch_postgres(pool, weak));
            }
            _ => {}
        }
    }
}

fn upgrade(weak: &Weak<Watch>) -> Option<Changes> {
    weak.upgrade().map(Changes)
}

/// Notices other processes' commits (and this one's, again) by `PRAGMA data_version`, which
/// changes on a connection when another connection committed.
async fn watch_sqlite(pool: sea_orm::sqlx::SqlitePool, weak: Weak<Watch>) {
    loop {
        let connection = match pool.acquire().await {
            // Its own connection, outside the pool, for as long as the watch lasts.
            Ok(connection) => connection.detach(),
            Err(err) => {
                tracing::warn!(error = %err, "cannot watch the database for changes; retrying");
                tokio::time::sleep(RETRY).await;
                if weak.strong_count() == 0 {
                    return;
                }
                continue;
            }
        };
        let mut connection = connection;
        let mut seen: Option<i64> = None;
        loop {
            let Some(changes) = upgrade(&weak) else {
                return;
            };
            let version = sea_orm::sqlx::query_scalar::<_, i64>("PRAGMA data_version")
                .fetch_one(&mut connection)
                .await;
            match version {
                Ok(version) => {
                    match seen {
                        None => changes.set_watched(true),
                        Some(before) if before != version => changes.changed(),
                        Some(_) => {}
                    }
                    seen = Some(version);
                }
                Err(err) => {
                    tracing::warn!(error = %err, "lost the watch on database changes; reopening");
                    changes.set_watched(false);
                    break;
                }
            }
            drop(changes);
            tokio::time::sleep(SQLITE_POLL).await;
        }
        tokio::time::sleep(RETRY).await;
    }
}

/// Listens to the notifications the tables' triggers send at commit. A lost connection may
/// have lost notifications: nothing is current until the listener is back.
async fn watch_postgres(pool: sea_orm::sqlx::PgPool, weak: Weak<Watch>) {
    use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
    // The listener keeps its connection for good: from a pool of its own, so that it takes
    // none of the requests' (a node configured with one connection would otherwise stall).
    let own = PgPoolOptions::new()
        .max_connections(1)
        .connect_lazy_with(pool.connect_options().as_ref().clone());
    loop {
        if weak.strong_count() == 0 {
            return;
        }
        let mut listener = match PgListener::connect_with(&own).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for database changes; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        if let Err(err) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %err, "cannot listen for database changes; retrying");
            tokio::time::sleep(RETRY).await;
            continue;
        }
        if !hears_itself(&pool, &mut listener).await {
            // A pooler in transaction mode (PgBouncer's usual setting) accepts LISTEN and
            // never delivers: trusting it would serve pages other nodes changed.
            tracing::warn!(
                "notifications sent through the database do not come back to this node (is a \
                 connection pooler in transaction mode in between?): pages are read from the \
                 database on every request; trying again in a minute"
            );
            tokio::time::sleep(PROBE_AGAIN).await;
            continue;
        }
        // The schema this node's tables are in (instances may share a database).
        let schema = match sea_orm::sqlx::query_scalar::<_, String>("SELECT current_schema()")
            .fetch_one(&pool)
            .await
        {
            Ok(schema) => schema,
            Err(err) => {
                tracing::warn!(error = %err, "cannot read the database's schema; retrying");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        match upgrade(&weak) {
            Some(changes) => changes.set_watched(true),
            None => return,
        }
        loop {
            // Wakes up now and then to notice that the context is gone.
            let next = tokio::time::timeout(RETRY, listener.try_recv()).await;
            let Some(changes) = upgrade(&weak) else {
                return;
            };
            match next {
                Err(_elapsed) => {}
                Ok(Ok(Some(notification))) => {
                    if notification.payload() == schema {
                        changes.changed();
                    }
                }
                Ok(Ok(None)) | Ok(Err(_)) => {
                    tracing::warn!("lost the connection listening for database changes");
                    changes.set_watched(false);
                    break;
                }
            }
        }
    }
}

/// Whether a statement may change what pages show: any write or schema change, except to
/// the job queue (workers claim and finish jobs all day; no page shows them). Reads, locks
/// (`SELECT … FOR UPDATE`) and statistics (`ANALYZE`) do not.
pub fn may_change_pages(sql: &str) -> bool {
    let split = || {
        sql.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',' || c == ';')
            .filter(|word| !word.is_empty())
    };
    // Every statement comes here, reads most often: they are told by their first word alone.
    let Some(first) = split().next() else {
        return false;
    };
    if !["INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"]
        .iter()
        .any(|keyword| first.eq_ignore_ascii_case(keyword))
    {
        // Schema changes and anything not known to only read.
        return ![
            "SELECT",
            "VALUES",
            "PRAGMA",
            "ANALYZE",
            "EXPLAIN",
            "SHOW",
            "SET",
            "BEGIN",
            "COMMIT",
            "ROLLBACK",
            "SAVEPOINT",
            "RELEASE",
            "LISTEN",
            "UNLISTEN",
        ]
        .iter()
        .any(|keyword| first.eq_ignore_ascii_case(keyword));
    }
    let words: Vec<&str> = split().collect();
    let is = |at: usize, keyword: &str| {
        words
            .get(at)
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    };
    // The tables written: INSERT INTO t, REPLACE INTO t, DELETE FROM t, UPDATE t, but not
    // `FOR [NO KEY] UPDATE` (a lock) nor `DO UPDATE SET` (the upsert of an INSERT already seen).
    let mut written = (0..words.len()).filter_map(|at| {
        let into = (is(at, "INSERT") || is(at, "REPLACE")) && is(at + 1, "INTO");
        let from = is(at, "DELETE") && is(at + 1, "FROM");
        let table = if into || from {
            words.get(at + 2)
        } else if is(at, "UPDATE")
            && !(at > 0 && (is(at - 1, "FOR") || is(at - 1, "KEY")))
            && !is(at + 1, "SET")
        {
            words.get(at + 1)
        } else {
            None
        }?;
        Some(table.trim_matches(|c| c == '"' || c == '`'))
    });
    written.any(|table| !UNSEEN_TABLES.contains(&table))
}

/// Tables whose changes no page shows: the job queue churns with every delivery and mail,
/// the rate limits' counters with every login, the feeds' versions with feed requests, and
/// participant exports are read from the database on each download, never kept. Reports and
/// their notes, the action log and why moderators suspended someone are read by moderators
/// on pages that are never kept. Conversations are read on personal pages only, and
/// invitations by moderators on theirs.
pub const UNSEEN_TABLES: [&str; 15] = [
    "action_logs",
    "conversation_messages",
    "conversation_participants",
    "conversations",
    "feed_versions",
    "invitations",
    "jobs",
    "participant_exports",
    "rate_limits",
    "report_comments",
    "report_events",
    "report_notes",
    "reports",
    "seaql_migrations",
    "suspensions",
];

/// How long a node waits for its own probe notification, and how long before it tries again.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
const PROBE_AGAIN: Duration = Duration::from_secs(60);

/// Whether a notification sent through the pool reaches `listener`.
async fn hears_itself(
    pool: &sea_orm::sqlx::PgPool,
    listener: &mut sea_orm::sqlx::postgres::PgListener,
) -> bool {
    let probe = format!("probe {}", uuid::Uuid::new_v4());
    let sent = sea_orm::sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(&probe)
        .execute(pool)
        .await;
    if let Err(err) = sent {
        tracing::warn!(error = %err, "cannot notify through the database");
        return false;
    }
    let heard = tokio::time::timeout(PROBE_TIMEOUT, async {
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) if notification.payload() == probe => return true,
                Ok(Some(_)) => {} // another change or another node's probe
                Ok(None) | Err(_) => return false,
            }
        }
    })
    .await;
    heard.unwrap_or(false)
}

/// Makes each commit on this SQLite connection that changed a row of a table pages may show
/// raise `changes`' generation. Called on each connection of a pool opened by
/// [`crate::db::connect_watching`].
///
/// SQLite calls the commit hook just *before* the commit becomes visible, so a page read in
/// between could be kept under the new generation with the old rows. Writes through the
/// services raise the generation again once committed, and the poll of `PRAGMA data_version`
/// does within [`SQLITE_POLL`] for any other: the hook only shortens the wait for the latter.
pub(crate) async fn hook_connection(
    connection: &mut sea_orm::sqlx::SqliteConnection,
    changes: &Changes,
) -> Result<(), sea_orm::sqlx::Error> {
    let mut handle = connection.lock_handle().await?;
    let wrote = Arc::new(AtomicBool::new(false));
    let on_update = wrote.clone();
    handle.set_update_hook(move |update| {
        if !UNSEEN_TABLES.contains(&update.table) {
            on_update.store(true, Ordering::SeqCst);
        }
    });
    let on_rollback = wrote.clone();
    handle.set_rollback_hook(move || on_rollback.store(false, Ordering::SeqCst));
    let generation = changes.0.generation.clone();
    handle.set_commit_hook(move || {
        if wrote.swap(false, Ordering::SeqCst) {
            generation.fetch_add(1, Ordering::SeqCst);
        }
        true // let the commit happen
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, Statement};

    use super::*;
    use crate::testing::TestDatabase;

    /// Waits up to two seconds for `check`.
    async fn within_two_seconds(mut check: impl FnMut() -> bool) -> bool {
        for _ in 0..200 {
            if check() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        check()
    }

    async fn block(db: &impl ConnectionTrait, domain: &str) {
        entity::domain_block::ActiveModel {
            domain: Set(domain.to_owned()),
            reason: Set(None),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .expect("insert");
    }

    #[tokio::test]
    async fn commits_of_this_node_and_of_others_outdate_the_generation_and_reads_do_not() {
        let database = TestDatabase::new().await;
        let changes = Changes::default();
        // One connection: watching must not take it from the requests.
        let db = crate::db::connect_watching(&database.url, 1, &changes)
            .await
            .expect("connect");
        changes.watch(&db);
        assert!(within_two_seconds(|| changes.generation().is_some()).await);
        let before = changes.generation().expect("watched");

        entity::domain_block::Entity::find()
            .all(&db)
            .await
            .expect("read");
        // Longer than SQLite's poll and PostgreSQL's notification take.
        if database.is_postgres() {
            // Another instance sharing the database in a schema of its own.
            database
                .db
                .execute_unprepared("SELECT pg_notify('convive_changes', 'another_instance')")
                .await
                .expect("notify");
        }
        tokio::time::sleep(SQLITE_POLL * 3).await;
        assert!(
            changes.is_current(before),
            "a read changes nothing, nor another schema's change"
        );

        block(&db, "here.example").await;
        assert!(
            !changes.is_current(before),
            "this node's own commit is seen as soon as it returns"
        );

        // Another node, or another process on the SQLite file (an admin command).
        tokio::time::sleep(SQLITE_POLL * 3).await;
        let quiet = changes.generation().expect("watched");
        block(&database.db, "elsewhere.example").await;
        assert!(within_two_seconds(|| !changes.is_current(quiet)).await);
    }

    #[tokio::test]
    async fn every_table_but_the_job_queue_notifies_its_changes_on_postgresql() {
        let database = TestDatabase::new().await;
        if !database.is_postgres() {
            return; // SQLite nodes watch the file, not triggers
        }
        let silent: Vec<String> = database
            .db
            .query_all_raw(Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT tablename FROM pg_tables t WHERE schemaname = current_schema() \
                 AND NOT EXISTS (SELECT 1 FROM pg_trigger g \
                     JOIN pg_class c ON c.oid = g.tgrelid \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE c.relname = t.tablename AND n.nspname = t.schemaname \
                       AND g.tgname = 'convive_changed') \
                 ORDER BY tablename",
            ))
            .await
            .expect("catalog")
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).expect("name"))
            .collect();
        let mut unseen = UNSEEN_TABLES.map(str::to_owned).to_vec();
        unseen.sort();
        assert_eq!(
            silent, unseen,
            "a new table needs the trigger (see m20261127_000016)"
        );
    }

    #[test]
    fn writes_change_pages_and_reads_locks_statistics_and_the_job_queue_do_not() {
        for write in [
            r#"INSERT INTO "events" ("title") VALUES ($1) RETURNING "id""#,
            r#"UPDATE "events" SET "title" = $1 WHERE "events"."id" = $2"#,
            r#"DELETE FROM "participants" WHERE "id" = $1"#,
            "  update actors set name = ?",
            "WITH gone AS (DELETE FROM sessions WHERE expires_at < $1) SELECT 1",
            "CREATE INDEX x ON events (id)",
            r#"INSERT INTO "participants" ("id") VALUES ($1) ON CONFLICT ("id") DO UPDATE SET "role" = $2"#,
        ] {
            assert!(may_change_pages(write), "{write}");
        }
        for read in [
            r#"SELECT "events"."id" FROM "events" WHERE "updated_at" > $1"#,
            "WITH shown AS (SELECT id, updated_at FROM events) SELECT MAX(updated_at) FROM shown",
            r#"SELECT "id" FROM "events" WHERE "id" = $1 FOR UPDATE"#,
            "ANALYZE events",
            "PRAGMA data_version",
            r#"INSERT INTO "jobs" ("kind") VALUES ($1)"#,
            r#"UPDATE "jobs" SET "attempts" = "attempts" + 1 WHERE "id" = $1"#,
            "DELETE FROM jobs WHERE id = ?",
            "WITH pending AS (SELECT id FROM jobs WHERE state = 'pending' FOR UPDATE SKIP LOCKED) \
             UPDATE jobs SET state = 'running' FROM pending WHERE jobs.id = pending.id",
            "",
        ] {
            assert!(!may_change_pages(read), "{read}");
        }
    }

    #[test]
    fn nothing_is_current_until_changes_are_watched() {
        let changes = Changes::default();
        assert_eq!(changes.generation(), None);
        changes.set_watched(true);
        let generation = changes.generation().expect("watched");
        assert!(changes.is_current(generation));
        changes.changed();
        assert!(!changes.is_current(generation));
    }

    #[test]
    fn what_was_built_before_a_watch_was_lost_is_not_current_when_it_comes_back() {
        let changes = Changes::default();
        changes.set_watched(true);
        let generation = changes.generation().expect("watched");
        changes.set_watched(false);
        assert_eq!(changes.generation(), None);
        changes.set_watched(true);
        assert!(!changes.is_current(generation));
    }
}
