//! Counters of what a client, an account or an address asked for in a window, shared by every
//! node (`backend::rate_limits`). They replace the failed-login count kept on each account,
//! which anyone could fill to lock its owner out. No page shows them, so, like the job queue,
//! the table has no change notification on PostgreSQL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateLimits {
    Table,
    Key,
    WindowStartedAt,
    Hits,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    FailedLogins,
    FailedLoginWindowStartedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RateLimits::Table)
                    // What is counted and a keyed hash of whom: never an address in clear.
                    .col(string_len(RateLimits::Key, 100).primary_key())
                    .col(timestamp_with_time_zone(RateLimits::WindowStartedAt))
                    .col(integer(RateLimits::Hits))
                    .to_owned(),
            )
            .await?;
        // The purge deletes by age.
        manager
            .create_index(
                Index::create()
                    .name("rate_limits_window_started_at")
                    .table(RateLimits::Table)
                    .col(RateLimits::WindowStartedAt)
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        for column in [Users::FailedLogins, Users::FailedLoginWindowStartedAt] {
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

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(integer(Users::FailedLogins).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(
                        Users::FailedLoginWindowStartedAt,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(RateLimits::Table).to_owned())
            .await
    }
}
