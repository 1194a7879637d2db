//! Connecting to SQLite or PostgreSQL, running migrations, and opening write transactions that
//! behave the same on both.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use tokio::sync::Notify;

use crate::changes::Changes;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityName, ExecResult, QueryResult, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};

/// Opens a pool on `url`. SQLite files are created when missing and run in WAL mode with
/// foreign keys enforced and a busy timeout, so readers never block the writer.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    open(url, max_connections, None).await
}

/// [`connect`], with every write of this process raising `changes`' generation once it is
/// committed (see [`crate::changes`]; [`Changes::watch`] then hears of other processes').
pub async fn connect_watching(
    url: &str,
    max_connections: u32,
    changes: &Changes,
) -> Result<DatabaseConnection, DbErr> {
    open(url, max_connections, Some(changes.clone())).await
}

/// The connections searches run on ([`crate::events::search`]). On PostgreSQL, a pool of its
/// own whose connections plan each prepared statement once for any values
/// (`plan_cache_mode = force_generic_plan`): left to itself PostgreSQL plans a search for its
/// values every time, since its estimates for a search's dates and places are defaults that
/// make the plan for any values look dearer (it reads the same place index), and planning
/// cost about a quarter of a search. Setting it in a transaction around each search instead
/// cost three more round trips (`BEGIN`, `SET LOCAL`, `COMMIT`): 15–20% of PostgreSQL's
/// time. Other statements keep PostgreSQL's choice on the main pool. On SQLite, which plans
/// a prepared statement once anyway, the main pool.
pub async fn connect_for_searches(
    main: &DatabaseConnection,
    url: &str,
    max_connections: u32,
    changes: &Changes,
) -> Result<DatabaseConnection, DbErr> {
    if main.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(main.clone());
    }
    let mut options = pool_options(url, max_connections);
    options
        .map_sqlx_postgres_opts(|opts| opts.options([("plan_cache_mode", "force_generic_plan")]));
    let mut db = Database::connect(options).await?;
    let changes = changes.clone();
    db.set_metric_callback(move |statement| changes.statement_done(&statement.statement.sql));
    Ok(db)
}

fn pool_options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    options
}

async fn open(
    url: &str,
    max_connections: u32,
    changes: Option<Changes>,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = pool_options(url, max_connections);
    if url.starts_with("sqlite:") {
        // SQLite loads planner statistics with the schema, once per connection: connections
        // are renewed so that those the hourly `ANALYZE` gathers reach all of them.
        options.max_lifetime(Duration::from_secs(15 * 60));
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
        if let Some(changes) = changes.clone() {
            options.map_sqlx_sqlite_pool_opts(move |pool| {
                let changes = changes.clone();
                pool.after_connect(move |connection, _| {
                    let changes = changes.clone();
                    Box::pin(
                        async move { crate::changes::hook_connection(connection, &changes).await },
                    )
                })
            });
        }
    }
    let mut db = Database::connect(options).await?;
    if let Some(changes) = changes {
        // Runs once a statement is done: for one outside a transaction, once it is committed.
        db.set_metric_callback(move |statement| {
            changes.statement_done(&statement.statement.sql);
        });
    }
    Ok(db)
}

/// Applies pending migrations. On PostgreSQL an advisory lock makes concurrent start-ups of
/// several nodes take turns instead of racing.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let tx = db.begin().await?;
            tx.execute_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                // An arbitrary constant naming "convive migrations".
                "SELECT pg_advisory_xact_lock(7426319051)",
            ))
            .await?;
            Migrator::up(&tx, None).await?;
            tx.commit().await
        }
        _ => Migrator::up(db, None).await,
    }
}

/// Opens the database and applies pending migrations. On SQLite the pool is then reopened:
/// a connection that read the schema before the migration may keep preparing statements
/// against the old one (SQLite only re-checks the schema when a statement runs).
pub async fn connect_and_migrate(
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbErr> {
    let db = connect(url, max_connections).await?;
    migrate(&db).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        optimize(&db).await?;
        db.close().await?;
        return connect(url, max_connections).await;
    }
    Ok(db)
}

/// Gathers SQLite's planner statistics of each table that has none yet or whose number of rows
/// moved by more than a tenth since they were gathered. Without them, or with sampled ones
/// (`analysis_limit`, which counted ~1 000 rows per `visibility` value at 100 000 public
/// events), the planner takes the index on `visibility, draft, begins_on` for a search near a
/// place, as if those columns were selective, and reads every public event of the period
/// instead of the few inside the place's bounding box (52 ms against 2 ms at 100 000 events).
/// Exact statistics read the table's indexes once (~0.5 s for 100 000 events on a 2-core
/// machine), one table per transaction so that writers wait for one table at most.
/// On PostgreSQL see [`optimize_postgres`].
pub async fn optimize(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        return optimize_postgres(db).await;
    }
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT IN ('jobs', 'seaql_migrations')",
        ))
        .await?
        .into_iter()
        .map(|row| row.try_get::<String>("", "name"))
        .collect::<Result<_, _>>()?;
    let gathered_before = has_statistics(db).await?;
    for table in tables {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let rows = single_number(db, &format!("SELECT count(*) AS n FROM {quoted}")).await?;
        let gathered_for = match gathered_before {
            true => statistics_rows(db, &table).await?,
            false => None,
        };
        if statistics_are_current(gathered_for, rows.unwrap_or(0)) {
            continue;
        }
        db.execute_unprepared(&format!("PRAGMA analysis_limit = 0; ANALYZE {quoted};"))
            .await?;
    }
    if has_statistics(db).await? {
        // The job queue's size swings from none to tens of thousands (a fan-out): statistics
        // taken while it was nearly empty (as earlier versions did) made the planner claim
        // jobs by reading the whole table. Without any, SQLite assumes a large table and uses
        // the indexes. `ANALYZE sqlite_schema` makes this connection reread what is left.
        db.execute_unprepared(
            "DELETE FROM sqlite_stat1 WHERE tbl = 'jobs'; ANALYZE sqlite_schema;",
        )
        .await?;
    }
    Ok(())
}

/// PostgreSQL's autovacuum gathers statistics where it runs; where it is off (as in this
/// machine's packaged server), tables are never analyzed and the planner guesses one row per
/// condition: at 100 000 events a search near a place then read every public event of its
/// dates (~20 ms) instead of the events of its few cells. Tables never analyzed, or whose rows
/// changed by more than a tenth since, are analyzed here, as on SQLite; where autovacuum runs
/// this finds nothing to do. The job queue is left out for the same reason as on SQLite.
///
/// Where autovacuum is off, tables are vacuumed here too, at autovacuum's default thresholds:
/// nothing else would mark pages as visible to every transaction, so the search's index-only
/// scan of the place index read each candidate's row anyway, and nothing would reclaim the
/// job queue's finished rows.
async fn optimize_postgres(db: &DatabaseConnection) -> Result<(), DbErr> {
    let to_vacuum: Vec<String> = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT relname::text AS name FROM pg_stat_user_tables \
             WHERE schemaname = current_schema() AND relname <> 'seaql_migrations' \
             AND NOT current_setting('autovacuum')::boolean \
             AND (n_dead_tup > 50 + n_live_tup / 5 \
               OR n_ins_since_vacuum > 1000 + n_live_tup / 5)",
        ))
        .await?
        .into_iter()
        .map(|row| row.try_get::<String>("", "name"))
        .collect::<Result<_, _>>()?;
    for table in to_vacuum {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        db.execute_unprepared(&format!("VACUUM {quoted}")).await?;
    }
    let stale: Vec<String> = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT relname::text AS name FROM pg_stat_user_tables \
             WHERE schemaname = current_schema() \
             AND relname NOT IN ('jobs', 'seaql_migrations') \
             AND (COALESCE(last_analyze, last_autoanalyze) IS NULL \
               OR n_mod_since_analyze * 10 > GREATEST(n_live_tup, 100))",
        ))
        .await?
        .into_iter()
        .map(|row| row.try_get::<String>("", "name"))
        .collect::<Result<_, _>>()?;
    for table in stale {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        db.execute_unprepared(&format!("ANALYZE {quoted}")).await?;
    }
    Ok(())
}

async fn single_number(db: &DatabaseConnection, sql: &str) -> Result<Option<i64>, DbErr> {
    db.query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, sql))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()
}

async fn has_statistics(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let n = single_number(
        db,
        "SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'",
    )
    .await?;
    Ok(n.unwrap_or(0) > 0)
}

/// How many rows `table` had when its statistics were gathered, if they were (`sqlite_stat1`
/// must exist).
async fn statistics_rows(db: &DatabaseConnection, table: &str) -> Result<Option<i64>, DbErr> {
    let stat = db
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            "SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1",
            [table.into()],
        ))
        .await?
        .map(|row| row.try_get::<String>("", "stat"))
        .transpose()?;
    // The first number of statistics is the table's row count.
    Ok(stat.and_then(|s| s.split(' ').next().and_then(|n| n.parse().ok())))
}

/// Whether statistics gathered at `gathered_for` rows still describe `rows` rows.
fn statistics_are_current(gathered_for: Option<i64>, rows: i64) -> bool {
    match gathered_for {
        None => false,
        Some(then) => (rows - then).abs() * 10 <= then.max(rows).max(100),
    }
}

/// Starts a transaction that only reads, all from one snapshot of the database: SQLite's
/// deferred transactions keep the snapshot of their first read; PostgreSQL's default
/// (`READ COMMITTED`) takes a new one per statement, so it is asked for `REPEATABLE READ`.
pub async fn begin_snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            db.begin_with_config(
                Some(sea_orm::IsolationLevel::RepeatableRead),
                Some(sea_orm::AccessMode::ReadOnly),
            )
            .await
        }
        _ => db.begin().await,
    }
}

/// Starts a transaction that will write. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails with "database
/// is locked" instead of waiting when another writer got there first.
///
/// Its commit raises the context's generation of the database (see [`crate::changes`]) and,
/// when it planned a job, wakes this process's workers.
pub async fn begin_write(ctx: &crate::AppContext) -> Result<WriteTx, DbErr> {
    let db = &ctx.db;
    let tx = match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            db.begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?
        }
        _ => db.begin().await?,
    };
    Ok(WriteTx {
        tx: Some(tx),
        changes: ctx.changes.clone(),
        job_wakeup: ctx.job_wakeup.clone(),
        planned_job: AtomicBool::new(false),
    })
}

/// Makes the other write transactions about `key` (an object's address) wait for this one
/// to end, so that two deliveries of one new remote object cannot both find it missing and
/// both insert it. SQLite's write transactions already run one at a time; PostgreSQL's only
/// collide on the unique index, too late (the loser fails, and its sender retries minutes
/// later).
pub async fn lock_for_writing(tx: &WriteTx, key: &str) -> Result<(), DbErr> {
    if tx.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    tx.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        [key.into()],
    ))
    .await?;
    Ok(())
}

/// A write transaction that is rolled back as soon as it is dropped without `commit` (every
/// early `?` return). A plain dropped transaction leaves its rollback to the connection pool's
/// clean-up; until that runs, the connection stays "idle in transaction" holding its row locks
/// (seen in tests, where it blocked the schema's removal for good).
///
/// It notices the jobs it plans by the statements it runs, so that every way of planning one
/// (outbox, mail, reminders, deliveries) wakes the workers without each caller remembering to.
pub struct WriteTx {
    tx: Option<DatabaseTransaction>,
    changes: Changes,
    job_wakeup: Arc<Notify>,
    planned_job: AtomicBool,
}

impl WriteTx {
    fn inner(&self) -> Result<&DatabaseTransaction, DbErr> {
        self.tx
            .as_ref()
            .ok_or_else(|| DbErr::Custom("transaction already finished".to_owned()))
    }

    pub async fn commit(mut self) -> Result<(), DbErr> {
        match self.tx.take() {
            Some(tx) => {
                tx.commit().await?;
                // Only now is the change visible to every new read, and a planned job to the
                // workers' query.
                self.changes.changed();
                if self.planned_job.load(Ordering::Relaxed) {
                    self.job_wakeup.notify_one();
                }
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Remembers that this transaction planned a job, when `stmt` inserts one.
    fn note_job(&self, stmt: &Statement) {
        if inserts_a_job(&stmt.sql) {
            self.planned_job.store(true, Ordering::Relaxed);
        }
    }

    pub async fn rollback(mut self) -> Result<(), DbErr> {
        match self.tx.take() {
            Some(tx) => tx.rollback().await,
            None => Ok(()),
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if let Some(tx) = self.tx.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move {
                if let Err(err) = tx.rollback().await {
                    tracing::warn!(%err, "rolling back an abandoned transaction failed");
                }
            });
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTx {
    fn get_database_backend(&self) -> DatabaseBackend {
        match &self.tx {
            Some(tx) => tx.get_database_backend(),
            None => DatabaseBackend::Sqlite,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.note_job(&stmt);
        self.inner()?.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.inner()?.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        // PostgreSQL inserts with `RETURNING`, a query.
        self.note_job(&stmt);
        self.inner()?.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.note_job(&stmt);
        self.inner()?.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.tx.as_ref().is_some_and(|tx| tx.support_returning())
    }
}

/// Whether `sql` inserts into the jobs table, as sea-query writes it on both databases
/// (`INSERT INTO "jobs" …`).
fn inserts_a_job(sql: &str) -> bool {
    sql.strip_prefix("INSERT INTO \"")
        .and_then(|rest| rest.strip_prefix(entity::job::Entity.table_name()))
        .is_some_and(|rest| rest.starts_with('"'))
}

/// Locks one row until the end of the transaction, so that checks made after it (capacity,
/// "at least one administrator") cannot race. SQLite write transactions already exclude each
/// other (`begin_write`), so this only acts on PostgreSQL.
pub async fn lock_row(
    conn: &impl ConnectionTrait,
    table: &'static str,
    id: i64,
) -> Result<(), DbErr> {
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"),
            [id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Answers whether the database responds.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT 1",
    ))
    .await
    .map(|_| ())
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => "postgresql",
        DatabaseBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    /// The search statement for "concert" within 25 km of (10, 10), first page.
    fn concert_near_ten_ten(
        backend: DatabaseBackend,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Statement {
        let query = crate::events::SearchQuery {
            term: Some("concert".to_owned()),
            near: Some(((10.0, 10.0), 25.0)),
            ..Default::default()
        };
        let select = crate::events::search_select(backend, now, &query).unwrap();
        let page = crate::events::search_page(
            select,
            crate::pagination::Page::new(None, Some(10)).unwrap(),
        );
        sea_orm::QueryTrait::build(&page, backend)
    }

    /// SQLite's plan for `sql`, one step per line.
    async fn query_plan(
        conn: &DatabaseConnection,
        sql: &str,
        values: Vec<sea_orm::Value>,
    ) -> String {
        conn.query_all_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            format!("EXPLAIN QUERY PLAN {sql}"),
            values,
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get::<String>("", "detail").unwrap())
        .collect::<Vec<_>>()
        .join("\n")
    }

    #[tokio::test]
    async fn on_sqlite_a_statement_run_again_with_other_values_is_not_prepared_again() {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};
        let t = crate::testing::TestDatabase::new_with_connections(1).await;
        if t.is_postgres() {
            return; // see `a_search_on_postgresql_plans_once_…` for PostgreSQL's plans
        }
        // What `.one()` and every page send: a compared value and `LIMIT ?`. SQLite
        // re-parses a statement whose plan looked at a value bound again, unless its plans
        // never look at values (SQLITE_ENABLE_QPSG, `.cargo/config.toml`).
        let first_after = |moment: chrono::DateTime<chrono::Utc>| {
            entity::event::Entity::find()
                .filter(entity::event::Column::BeginsOn.gte(moment))
                .filter(entity::event::Column::Visibility.eq("PUBLIC"))
        };
        let start = chrono::Utc::now();
        for day in 0..5 {
            first_after(start + chrono::Duration::days(day))
                .one(&t.db)
                .await
                .unwrap();
        }
        let sql = first_after(start)
            .limit(1)
            .build(DatabaseBackend::Sqlite)
            .sql;
        let statement =
            t.db.query_one_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                "SELECT run, reprep FROM sqlite_stmt WHERE sql = ?",
                [sql.clone().into()],
            ))
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("not among the connection's statements: {sql}"));
        assert_eq!(statement.try_get::<i64>("", "run").unwrap(), 5, "{sql}");
        assert_eq!(statement.try_get::<i64>("", "reprep").unwrap(), 0, "{sql}");
    }

    #[tokio::test]
    async fn on_sqlite_connections_take_no_process_wide_lock_to_read_pages_or_allocate() {
        let t = crate::testing::TestDatabase::new_with_connections(1).await;
        if t.is_postgres() {
            return;
        }
        // `.cargo/config.toml`'s flags, as the SQLite this was built with reports them.
        let options: Vec<String> =
            t.db.query_all_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "PRAGMA compile_options",
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index::<String>(0).unwrap())
            .collect();
        for wanted in [
            "DEFAULT_MEMSTATUS=0",
            "DISABLE_PAGECACHE_OVERFLOW_STATS",
            "ENABLE_QPSG",
        ] {
            assert!(options.iter().any(|o| o == wanted), "{wanted}: {options:?}");
        }
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{options:?}"
        );
    }

    #[tokio::test]
    async fn starting_on_sqlite_gathers_the_planner_statistics() {
        let t = crate::testing::TestDatabase::new().await;
        if t.is_postgres() {
            return; // autovacuum keeps PostgreSQL's statistics
        }
        let ctx = crate::AppContext::start(crate::testing::settings(&t.url))
            .await
            .unwrap();
        let stats = ctx
            .db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stats.try_get::<i64>("", "n").unwrap(), 1);
    }

    #[test]
    fn statistics_are_gathered_again_when_the_events_moved_by_more_than_a_tenth() {
        assert!(!statistics_are_current(None, 0), "none yet");
        assert!(statistics_are_current(Some(0), 10), "a few events: no need");
        assert!(statistics_are_current(Some(10_000), 10_900));
        assert!(statistics_are_current(Some(10_000), 9_100));
        assert!(!statistics_are_current(Some(10_000), 11_200));
        assert!(!statistics_are_current(Some(10_000), 8_800));
        assert!(!statistics_are_current(Some(1_000), 100_000));
    }

    #[tokio::test]
    async fn a_search_near_a_place_reads_only_the_place_cell_index_once_statistics_are_gathered() {
        let t = crate::testing::TestContext::new().await;
        if t.ctx.db.get_database_backend() != DatabaseBackend::Sqlite {
            return; // PostgreSQL plans from its own statistics
        }
        // Every event public and upcoming, spread over many places: only the position index
        // narrows a search near one of them.
        let insert = "INSERT INTO events (uuid, ap_id, url, title, description, begins_on, \
             timezone, status, visibility, join_options, draft, latitude, longitude, geo_cell, \
             maximum_attendee_capacity, show_remaining_attendee_capacity, \
             anonymous_participation, hide_number_of_participants, organizer_actor_id, local, \
             sequence, search_text, created_at, updated_at) \
             SELECT 'u' || n, 'a' || n, 'l' || n, 't', '', '2099-01-01T00:00:00+00:00', 'UTC', \
             'confirmed', 'public', 'free', 0, (n % 50) * 1.0, (n % 50) * 1.0, \
             ((n % 50) + 90) * 4 * 1441 + ((n % 50) + 180) * 4, NULL, 0, 0, 0, \
             ?, 1, 0, 'concert', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00' \
             FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c \
             WHERE n < 2000) SELECT n FROM c)";
        let person = t.person("ana").await;
        t.ctx
            .db
            .execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Sqlite,
                insert,
                [person.actor.id.into()],
            ))
            .await
            .unwrap();
        optimize(&t.ctx.db).await.unwrap();
        // A connection loads the statistics with the schema: a new one sees them.
        let fresh = connect(&t.database.url, 1).await.unwrap();
        let sql = concert_near_ten_ten(DatabaseBackend::Sqlite, t.ctx.now());
        let plan = query_plan(
            &fresh,
            &sql.sql,
            sql.values.map(|v| v.0).unwrap_or_default(),
        )
        .await;
        assert!(plan.contains("COVERING INDEX events_place_cell"), "{plan}");
        // The events with more words than the index holds come from their own index.
        assert!(!plan.lines().any(|step| step == "SCAN events"), "{plan}");
        assert!(plan.contains("USING INDEX events_longer_words"), "{plan}");
    }

    #[tokio::test]
    async fn on_postgresql_a_search_near_a_place_is_an_index_only_scan_and_optimize_vacuums_its_table()
     {
        let t = crate::testing::TestContext::new().await;
        if t.ctx.db.get_database_backend() != DatabaseBackend::Postgres {
            return; // SQLite's plan is checked above
        }
        let person = t.person("ana").await;
        // One connection, so that its counts of inserted rows can be published at once
        // (PostgreSQL publishes a connection's at most every second).
        let writer = connect(&t.database.url, 1).await.unwrap();
        writer
            .execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "INSERT INTO events (uuid, ap_id, url, title, description, begins_on, \
                 timezone, status, visibility, join_options, draft, latitude, longitude, \
                 geo_cell, show_remaining_attendee_capacity, anonymous_participation, \
                 hide_number_of_participants, organizer_actor_id, local, sequence, \
                 search_text, created_at, updated_at) \
                 SELECT 'u' || n, 'a' || n, 'l' || n, 't', '', '2099-01-01T00:00:00+00:00', \
                 'UTC', 'confirmed', 'public', 'free', false, (n % 50) * 1.0, (n % 50) * 1.0, \
                 ((n % 50) + 90) * 4 * 1441 + ((n % 50) + 180) * 4, false, false, false, \
                 $1, true, 0, 'concert', '2026-01-01T00:00:00+00:00', \
                 '2026-01-01T00:00:00+00:00' FROM generate_series(1, 5000) AS n",
                [person.actor.id.into()],
            ))
            .await
            .unwrap();
        writer
            .execute_unprepared("SELECT pg_stat_force_next_flush()")
            .await
            .unwrap();
        // As on this machine's server, whose autovacuum is off: `optimize` vacuums, which sets
        // the visibility map that lets an index-only scan skip the rows. Whether it could mark
        // these pages depends on other sessions' snapshots (the tests running beside this
        // one), so the test checks that the table was vacuumed, not the heap fetches.
        optimize(&t.ctx.db).await.unwrap();
        let vacuumed = t
            .ctx
            .db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT current_setting('autovacuum') AS autovacuum, vacuum_count \
                 FROM pg_stat_user_tables \
                 WHERE schemaname = current_schema() AND relname = 'events'",
            ))
            .await
            .unwrap()
            .unwrap();
        if vacuumed.try_get::<String>("", "autovacuum").unwrap() == "off" {
            assert!(vacuumed.try_get::<i64>("", "vacuum_count").unwrap() >= 1);
        }
        let sql = concert_near_ten_ten(DatabaseBackend::Postgres, t.ctx.now());
        let plan = t
            .ctx
            .db
            .query_all_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                format!("EXPLAIN (COSTS OFF) {}", sql.sql),
                sql.values.map(|v| v.0).unwrap_or_default(),
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.try_get::<String>("", "QUERY PLAN").unwrap())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            plan.contains("Index Only Scan using events_place_cell"),
            "{plan}"
        );
        assert!(plan.contains("events_longer_words"), "{plan}");
    }

    #[tokio::test]
    async fn on_postgresql_tables_never_analyzed_get_statistics_and_the_job_queue_does_not() {
        let t = crate::testing::TestContext::new().await;
        if t.ctx.db.get_database_backend() != DatabaseBackend::Postgres {
            return; // SQLite's statistics have their own tests above
        }
        // Never analyzed (PostgreSQL 14+ says -1 tuples), as on a server without autovacuum.
        let tuples = |table: &'static str| {
            let db = t.ctx.db.clone();
            async move {
                db.query_one_raw(Statement::from_string(
                    DatabaseBackend::Postgres,
                    format!(
                        "SELECT reltuples::float8 AS n FROM pg_class \
                         WHERE oid = to_regclass(current_schema() || '.{table}')"
                    ),
                ))
                .await
                .unwrap()
                .map(|row| row.try_get::<f64>("", "n").unwrap())
                .unwrap()
            }
        };
        optimize(&t.ctx.db).await.unwrap();
        assert!(tuples("events").await >= 0.0, "events analyzed");
        assert!(tuples("actors").await >= 0.0, "actors analyzed");
        assert!(tuples("jobs").await < 0.0, "the job queue left alone");
    }

    #[tokio::test]
    async fn claiming_jobs_looks_their_ids_up_even_after_statistics_of_a_near_empty_queue() {
        let t = crate::testing::TestContext::new().await;
        if t.ctx.db.get_database_backend() != DatabaseBackend::Sqlite {
            return;
        }
        let tiny_queue = "INSERT INTO jobs (kind, payload, state, attempts, max_attempts, \
             run_at, created_at, updated_at) \
             SELECT 'x', '{}', 'done', 1, 1, '2026-01-01T00:00:00+00:00', \
             '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00' \
             FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c \
             WHERE n < 9) SELECT n FROM c)";
        t.ctx.db.execute_unprepared(tiny_queue).await.unwrap();
        // As earlier versions did: statistics of every table, the queue's included, which this
        // connection loads; then `optimize` on the same connection.
        let only = connect(&t.database.url, 1).await.unwrap();
        only.execute_unprepared("ANALYZE").await.unwrap();
        optimize(&only).await.unwrap();
        let zero = || sea_orm::Value::from("0");
        let plan = query_plan(
            &only,
            crate::jobs::worker::CLAIM_ON_SQLITE,
            vec![zero(), zero(), zero(), zero()],
        )
        .await;
        assert!(!plan.contains("SCAN jobs"), "{plan}");
        assert!(plan.contains("INTEGER PRIMARY KEY"), "{plan}");
        // Due jobs come in order from their index; only the few taken are sorted.
        assert!(plan.contains("INDEX jobs_state_run_at"), "{plan}");
        assert_eq!(plan.matches("TEMP B-TREE").count(), 1, "{plan}");
    }
}
