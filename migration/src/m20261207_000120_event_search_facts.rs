//! Two facts about each event that searches filter on, kept as columns so that a filter is a
//! comparison and not a parse of every candidate: whether it happens online (Mobilizon's
//! `options.isOnline`, also kept in `events.details` with the other options), and how long it
//! lasts in seconds (null without an end), for Mobilizon's `longEvents` filter, whose bound
//! (`instance.duration_of_long_event`) an administrator may change at any time.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    IsOnline,
    LastsSeconds,
}

/// Both columns for the events stored before them, from what they were made from.
fn backfill(backend: DatabaseBackend) -> [&'static str; 2] {
    match backend {
        DatabaseBackend::Postgres => [
            "UPDATE events SET lasts_seconds = \
             CAST(EXTRACT(EPOCH FROM (ends_on - begins_on)) AS BIGINT) WHERE ends_on IS NOT NULL",
            "UPDATE events SET is_online = TRUE \
             WHERE details IS NOT NULL AND (details::jsonb ->> 'is_online') = 'true'",
        ],
        // SQLite keeps times as text that `julianday` reads, zone suffix included.
        _ => [
            "UPDATE events SET lasts_seconds = \
             CAST(ROUND((julianday(ends_on) - julianday(begins_on)) * 86400) AS INTEGER) \
             WHERE ends_on IS NOT NULL",
            "UPDATE events SET is_online = 1 \
             WHERE details IS NOT NULL AND json_extract(details, '$.is_online') = 1",
        ],
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // One transaction, hence one connection (see m20261126_000012).
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let txn = manager.begin().await?;
        txn.alter_table(
            Table::alter()
                .table(Events::Table)
                .add_column(
                    ColumnDef::new(Events::IsOnline)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .to_owned(),
        )
        .await?;
        txn.alter_table(
            Table::alter()
                .table(Events::Table)
                .add_column(ColumnDef::new(Events::LastsSeconds).big_integer().null())
                .to_owned(),
        )
        .await?;
        for statement in backfill(backend) {
            txn.get_connection().execute_unprepared(statement).await?;
        }
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Events::IsOnline, Events::LastsSeconds] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Events::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
