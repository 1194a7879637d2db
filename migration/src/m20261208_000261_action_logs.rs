//! The action log: every moderation and administration action, who did it (a moderator's
//! identity, or none for the instance itself: command line, jobs), on what, when and why.
//! Kept when its object goes: `object_label` says what it was. Read by moderators on pages
//! that are never kept: no change trigger (see `UNSEEN_TABLES`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ActionLogs {
    Table,
    Id,
    ActorId,
    Action,
    ObjectKind,
    ObjectId,
    ObjectLabel,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ActionLogs::Table)
                    .col(big_pk_auto(ActionLogs::Id))
                    .col(big_integer_null(ActionLogs::ActorId))
                    .col(string_len(ActionLogs::Action, 32))
                    .col(string_len(ActionLogs::ObjectKind, 16))
                    .col(big_integer_null(ActionLogs::ObjectId))
                    .col(string_len(ActionLogs::ObjectLabel, 512))
                    .col(text_null(ActionLogs::Reason))
                    .col(timestamp_with_time_zone(ActionLogs::CreatedAt))
                    // A moderator's identity may go; what they did stays on record.
                    .foreign_key(
                        ForeignKey::create()
                            .from(ActionLogs::Table, ActionLogs::ActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("action_logs_created")
                    .table(ActionLogs::Table)
                    .col(ActionLogs::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ActionLogs::Table).to_owned())
            .await?;
        Ok(())
    }
}
