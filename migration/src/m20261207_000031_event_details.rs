//! What Mobilizon's events carry beside their core fields and Convive keeps as given: a phone
//! number, offers, participation conditions, attendees, a program, metadata, contacts and a
//! few display choices (`events.details`, one JSON document, read and written whole).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Details,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(text_null(Events::Details))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::Details)
                    .to_owned(),
            )
            .await
    }
}
