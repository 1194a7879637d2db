//! Job keys as long as a delivery's: on PostgreSQL `jobs.unique_key` was `varchar(255)`.
//!
//! A delivery is keyed by its inbox and its activity (`deliver:{inbox}:{activity}`), so that a
//! retried publication does not send twice. Actors may have inbox addresses of up to 2 048
//! characters, and one follower whose instance uses a long one made the whole publication
//! fail on PostgreSQL ("value too long"), for every follower, at each retry. SQLite does not
//! enforce a declared length. The key stays under a btree entry's limit (~2 700 bytes): the
//! inbox is at most 2 048 bytes and the activity is one of ours.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        // Widening a varchar to text keeps the values and their index as they are.
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE jobs ALTER COLUMN unique_key TYPE text COLLATE \"C\"")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        // Keys that no longer fit are dropped rather than cut (the jobs stay): a cut key
        // could collide with another delivery's.
        let conn = manager.get_connection();
        conn.execute_unprepared("UPDATE jobs SET unique_key = NULL WHERE length(unique_key) > 255")
            .await?;
        conn.execute_unprepared(
            "ALTER TABLE jobs ALTER COLUMN unique_key TYPE varchar(255) COLLATE \"C\"",
        )
        .await?;
        Ok(())
    }
}
