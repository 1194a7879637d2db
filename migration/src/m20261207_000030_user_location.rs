//! Where a user looks for events (Mobilizon's `UserSettings.location`): a geohash, the
//! place's name and a range in kilometres, chosen by the user and given back to their apps.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    LocationGeohash,
    LocationName,
    LocationRange,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            string_len_null(Users::LocationGeohash, 16),
            string_len_null(Users::LocationName, 255),
            integer_null(Users::LocationRange),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Users::LocationGeohash,
            Users::LocationName,
            Users::LocationRange,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
