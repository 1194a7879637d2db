//! Job keys compare byte by byte on PostgreSQL, as they already do on SQLite.
//!
//! A job's unique key is a machine name ("reminder/before/12/34/"), and withdrawing the
//! pending jobs under a prefix (an event's reminders when it is cancelled, deliveries to a
//! blocked domain) reads the keys between the prefix and its successor. That range holds
//! exactly the keys with the prefix only in byte order; under a language's collation
//! (`en_US.UTF-8` ignores the slashes at first) it would not, and a `LIKE` pattern bound as a
//! parameter cannot use the index at all, so each withdrawal read every pending job.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(()); // SQLite compares text as bytes unless told otherwise
        }
        // Rebuilds the partial unique index on pending keys with the new order.
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE jobs ALTER COLUMN unique_key TYPE varchar(255) COLLATE \"C\"",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE jobs ALTER COLUMN unique_key TYPE varchar(255) COLLATE \"default\"",
            )
            .await?;
        Ok(())
    }
}
