//! When a job last tried to find the position of an address stored without one
//! (`addresses.position_tried_at`): the job takes the addresses never tried, then those tried
//! longest ago, so an address no geocoder knows does not hold back the others.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Addresses {
    Table,
    PositionTriedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Addresses::Table)
                    .add_column(timestamp_with_time_zone_null(Addresses::PositionTriedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Addresses::Table)
                    .drop_column(Addresses::PositionTriedAt)
                    .to_owned(),
            )
            .await
    }
}
