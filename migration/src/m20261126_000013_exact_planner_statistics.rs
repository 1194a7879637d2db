//! Replaces SQLite planner statistics that earlier versions gathered by sampling.
//!
//! Sampled statistics (`PRAGMA analysis_limit = 1000`) counted ~1 000 events per `visibility`
//! value when all 100 000 were public, so the planner read every public event of a period for a
//! search near a place instead of the few in its bounding box (154 ms per search). The server
//! now gathers exact statistics, but only when the number of events moved by a tenth; this
//! replaces the sampled ones once, and drops those of the job queue, taken while it was nearly
//! empty, which made claiming a job read the whole queue. PostgreSQL keeps its own statistics.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            manager
                .get_connection()
                // As `backend::db::optimize` does (none for the job queue, whose size swings).
                .execute_unprepared(
                    "PRAGMA analysis_limit = 0; ANALYZE; \
                     DELETE FROM sqlite_stat1 WHERE tbl = 'jobs';",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(()) // statistics describe the data, whatever the schema's version
    }
}
