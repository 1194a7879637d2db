//! What other instances run, as their NodeInfo says: the software (whether it answers a
//! `Join`: Mobilizon and Convive do, Gancio and Mastodon do not), its version, and the time
//! zone it declares (Gancio's `metadata.nodeTimezone`, the zone of events it sends without
//! one). One row per domain, read again when older than a day.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PeerSoftware {
    Table,
    Id,
    Domain,
    Software,
    Version,
    Timezone,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PeerSoftware::Table)
                    .col(big_pk_auto(PeerSoftware::Id))
                    // As long as `actors.domain` (a host and its port).
                    .col(string_len_uniq(PeerSoftware::Domain, 255))
                    .col(string_len_null(PeerSoftware::Software, 100))
                    .col(string_len_null(PeerSoftware::Version, 100))
                    .col(string_len_null(PeerSoftware::Timezone, 64))
                    .col(timestamp_with_time_zone(PeerSoftware::ReadAt))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Like every table but the job queue (m20261127_000016_change_notifications): an
            // event page offers RSVP by what the event's instance runs.
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE TRIGGER convive_changed \
                     AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON peer_software \
                     FOR EACH STATEMENT EXECUTE FUNCTION convive_changed()",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PeerSoftware::Table).to_owned())
            .await
    }
}
