//! Ids of the activities the inbox has accepted, so that a replayed or redelivered activity is
//! processed once. Rows are purged after some days (`backend::received_activities`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReceivedActivities {
    Table,
    Id,
    ActivityId,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReceivedActivities::Table)
                    .col(big_pk_auto(ReceivedActivities::Id))
                    // The inbox refuses longer ids; ASCII URLs, so this fits a btree index
                    // on PostgreSQL.
                    .col(string_len_uniq(ReceivedActivities::ActivityId, 2048))
                    .col(timestamp_with_time_zone(ReceivedActivities::ReceivedAt))
                    .to_owned(),
            )
            .await?;
        // The purge deletes by age.
        manager
            .create_index(
                Index::create()
                    .name("received_activities_received_at")
                    .table(ReceivedActivities::Table)
                    .col(ReceivedActivities::ReceivedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReceivedActivities::Table).to_owned())
            .await
    }
}
