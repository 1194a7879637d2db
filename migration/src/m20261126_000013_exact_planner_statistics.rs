//! Forgets the SQLite planner statistics that earlier versions gathered by sampling, so that
//! the server gathers exact ones right after migrating (`backend::db::optimize`).
//!
//! Sampled statistics (`PRAGMA analysis_limit = 1000`) counted ~1 000 events per `visibility`
//! value when all 100 000 were public, so the planner read every public event of a period for a
//! search near a place instead of the few in its bounding box (154 ms per search); and those of
//! the job queue, taken while it was nearly empty, made claiming a job read the whole queue.
//! The server only gathers statistics again when a table's size moved by a tenth, so without
//! this an upgraded instance would keep the sampled ones. PostgreSQL keeps its own statistics.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{DatabaseBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        let connection = manager.get_connection();
        let gathered = connection
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'",
            ))
            .await?
            .map(|row| row.try_get::<i64>("", "n"))
            .transpose()?
            .unwrap_or(0);
        if gathered > 0 {
            connection
                .execute_unprepared("DELETE FROM sqlite_stat1; ANALYZE sqlite_schema;")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(()) // statistics describe the data, whatever the schema's version
    }
}
