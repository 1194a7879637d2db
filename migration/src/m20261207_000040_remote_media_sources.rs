//! Pictures of other instances are copied here (fetched, checked and re-encoded like uploads):
//! each copy remembers the address it was fetched from, so that a remote event or actor whose
//! picture changes gets the new one, and one whose picture stays is not fetched again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Media {
    Table,
    RemoteUrl,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Media::Table)
                    // Null for uploads.
                    .add_column(text_null(Media::RemoteUrl))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Media::Table)
                    .drop_column(Media::RemoteUrl)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
