//! Since when each list feed shows what it shows (`backend::feeds::dates`): its
//! `Last-Modified`, which must move when an event leaves the list (deleted, cancelled, made
//! private, over, its instance blocked) though no remaining row records that moment. Read and
//! written by feed requests, shown by no page: like the job queue, the table has no change
//! notification on PostgreSQL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FeedVersions {
    Table,
    Key,
    Etag,
    Since,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FeedVersions::Table)
                    .col(string_len(FeedVersions::Key, 64).primary_key())
                    .col(string_len(FeedVersions::Etag, 100))
                    .col(big_integer(FeedVersions::Since))
                    .to_owned(),
            )
            .await?;
        // The table is kept within bounds by deleting its oldest rows first.
        manager
            .create_index(
                Index::create()
                    .name("feed_versions_since")
                    .table(FeedVersions::Table)
                    .col(FeedVersions::Since)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FeedVersions::Table).to_owned())
            .await
    }
}
