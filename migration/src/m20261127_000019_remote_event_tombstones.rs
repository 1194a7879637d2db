//! Remote events their origin deleted, by address, for as long as a late copy can arrive
//! (purged with the received activities' ids, `backend::received_activities::KEEP_DAYS`).
//! Without them a retried `Create`, or an `Announce` whose fetch began before the `Delete`,
//! stored the deleted event again, and nothing would ever remove it.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RemoteEventTombstones {
    Table,
    Id,
    ApId,
    DeletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RemoteEventTombstones::Table)
                    .col(big_pk_auto(RemoteEventTombstones::Id))
                    // As long as an event's address (`events.ap_id`).
                    .col(string_len_uniq(RemoteEventTombstones::ApId, 2048))
                    .col(timestamp_with_time_zone(RemoteEventTombstones::DeletedAt))
                    .to_owned(),
            )
            .await?;
        // The purge deletes by age.
        manager
            .create_index(
                Index::create()
                    .name("remote_event_tombstones_deleted_at")
                    .table(RemoteEventTombstones::Table)
                    .col(RemoteEventTombstones::DeletedAt)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Like every table but the job queue (m20261127_000016_change_notifications).
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE TRIGGER convive_changed \
                     AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON remote_event_tombstones \
                     FOR EACH STATEMENT EXECUTE FUNCTION convive_changed()",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RemoteEventTombstones::Table).to_owned())
            .await
    }
}
