//! One migrated SQLite database per test process, copied for each test: migrating a fresh
//! file costs about a third of a second on a 2-core machine, times some 700 databases in a
//! run of the suite (the backend's tests took half the time once they copied). The template is
//! migrated by the same code as any database, once per process, so every run still proves that
//! the migrations apply. (On PostgreSQL, `CREATE DATABASE … TEMPLATE` was measured slower
//! than migrating a fresh schema, so PostgreSQL tests still migrate.)

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sea_orm::ConnectionTrait;

/// A migrated SQLite file of this process; copied to `target` (a path in the test's own
/// directory).
pub fn copy_sqlite_template(target: &Path) {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    let template = TEMPLATE.get_or_init(make_sqlite_template);
    std::fs::copy(template, target)
        .unwrap_or_else(|e| panic!("cannot copy the template database: {e}"));
}

fn make_sqlite_template() -> PathBuf {
    let dir = std::env::temp_dir().join("convive-test-templates");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    remove_templates_of_ended_processes(&dir);
    let path = dir.join(format!(
        "{}-{}.db",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    // A runtime of its own on a thread of its own: the template is made once, from whichever
    // test's runtime asks first, and no connection may stay tied to that runtime.
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime for the template database: {e}"));
        runtime.block_on(async move {
            let db = crate::db::connect_and_migrate(&url, 1)
                .await
                .unwrap_or_else(|e| panic!("cannot migrate the template database: {e}"));
            // Everything into the main file, which alone is copied.
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await
                .unwrap_or_else(|e| panic!("cannot checkpoint the template database: {e}"));
            let _ = db.close().await;
        })
    })
    .join()
    .unwrap_or_else(|_| panic!("making the template database failed"));
    path
}

/// Templates are named after the process that made them; a process that ended cannot remove
/// its own (statics are not dropped), so the next one does. Only where `/proc` says which
/// processes live.
fn remove_templates_of_ended_processes(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.split('-').next()) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
