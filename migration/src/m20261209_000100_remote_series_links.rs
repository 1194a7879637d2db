//! An event from another Convive says which series it is a date of (`convive:series`, the
//! series' address there). Kept on the event, so that its page says it repeats and lists the
//! other dates of that series held here, found by this column.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    RemoteSeriesUrl,
    BeginsOn,
}

const INDEX: &str = "events_remote_series";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(string_len_null(Events::RemoteSeriesUrl, 2048))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Events::Table)
                    .col(Events::RemoteSeriesUrl)
                    .col(Events::BeginsOn)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Events::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::RemoteSeriesUrl)
                    .to_owned(),
            )
            .await
    }
}
