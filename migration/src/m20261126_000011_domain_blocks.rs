//! Instances an admin blocked: nothing comes in from them, nothing goes out to them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DomainBlocks {
    Table,
    Id,
    Domain,
    Reason,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DomainBlocks::Table)
                    .col(big_pk_auto(DomainBlocks::Id))
                    // A host name, with its port when it is not the default.
                    .col(string_len_uniq(DomainBlocks::Domain, 255))
                    .col(text_null(DomainBlocks::Reason))
                    .col(timestamp_with_time_zone(DomainBlocks::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DomainBlocks::Table).to_owned())
            .await
    }
}
