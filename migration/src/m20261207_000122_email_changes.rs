//! Changing an account's email address (Mobilizon's `changeEmail` and `validateEmail`): the
//! new address waits beside the current one until the link mailed to it is followed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    UnconfirmedEmail,
    EmailChangeTokenHash,
    EmailChangeSentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            string_len_null(Users::UnconfirmedEmail, 254),
            string_len_null(Users::EmailChangeTokenHash, 64),
            timestamp_with_time_zone_null(Users::EmailChangeSentAt),
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
            Users::UnconfirmedEmail,
            Users::EmailChangeTokenHash,
            Users::EmailChangeSentAt,
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
