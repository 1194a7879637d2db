//! A waitlist per event: whether a full event takes people in line (`events.waitlist`, on by
//! default), and each waiting participant's place in that line (`participants.waitlist_rank`,
//! increasing per event; the position shown is the count of ranks before it, so promotions
//! never renumber rows).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Waitlist,
}

#[derive(DeriveIden)]
enum Participants {
    Table,
    EventId,
    WaitlistRank,
}

const RANK_INDEX: &str = "participants_event_waitlist_rank";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(boolean(Events::Waitlist).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Participants::Table)
                    .add_column(big_integer_null(Participants::WaitlistRank))
                    .to_owned(),
            )
            .await?;
        // Two people can never share a place in line, whatever races the locks would miss.
        manager
            .create_index(
                Index::create()
                    .name(RANK_INDEX)
                    .table(Participants::Table)
                    .col(Participants::EventId)
                    .col(Participants::WaitlistRank)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(RANK_INDEX)
                    .table(Participants::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Participants::Table)
                    .drop_column(Participants::WaitlistRank)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::Waitlist)
                    .to_owned(),
            )
            .await
    }
}
