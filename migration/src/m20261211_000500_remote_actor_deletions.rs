//! Remote actors their instance deleted (or suspended), by address, for a few minutes: a
//! document of the actor fetched just before its `Delete` arrived (for an `Announce` of one of
//! its events, say) must not store it again once the `Delete` is processed.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RemoteActorDeletions {
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
                    .table(RemoteActorDeletions::Table)
                    .col(big_pk_auto(RemoteActorDeletions::Id))
                    // As long as an actor's address (`actors.ap_id`).
                    .col(string_len_uniq(RemoteActorDeletions::ApId, 2048))
                    .col(timestamp_with_time_zone(RemoteActorDeletions::DeletedAt))
                    .to_owned(),
            )
            .await?;
        // The purge deletes by age.
        manager
            .create_index(
                Index::create()
                    .name("remote_actor_deletions_deleted_at")
                    .table(RemoteActorDeletions::Table)
                    .col(RemoteActorDeletions::DeletedAt)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Like every table but the job queue (m20261127_000016_change_notifications).
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE TRIGGER convive_changed \
                     AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON remote_actor_deletions \
                     FOR EACH STATEMENT EXECUTE FUNCTION convive_changed()",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RemoteActorDeletions::Table).to_owned())
            .await
    }
}
