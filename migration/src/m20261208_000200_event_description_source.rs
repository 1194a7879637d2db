//! What an organizer typed in the event form (`events.description_source`, Markdown), kept
//! beside the HTML made from it: the form shows it back as written, so an edit never turns
//! the HTML into text to be read back (which lost line breaks and doubled `&lt;`). Empty for
//! events whose description came as HTML (Mobilizon's API, other instances).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    DescriptionSource,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(text_null(Events::DescriptionSource))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::DescriptionSource)
                    .to_owned(),
            )
            .await
    }
}
