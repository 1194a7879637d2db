//! Lists of an event's participants exported for its organizers (Mobilizon's
//! `exportEventParticipants`): the file itself, kept in the database so that any node serves
//! it, behind the hash of an unguessable token, until it expires an hour later.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ParticipantExports {
    Table,
    Id,
    TokenHash,
    EventId,
    UserId,
    Format,
    FileName,
    Content,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const EXPIRY_INDEX: &str = "participant_exports_expires_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ParticipantExports::Table)
                    .col(big_pk_auto(ParticipantExports::Id))
                    .col(string_len_uniq(ParticipantExports::TokenHash, 64))
                    .col(big_integer(ParticipantExports::EventId))
                    .col(big_integer(ParticipantExports::UserId))
                    .col(string_len(ParticipantExports::Format, 8))
                    .col(string_len(ParticipantExports::FileName, 300))
                    .col(text(ParticipantExports::Content))
                    .col(timestamp_with_time_zone(ParticipantExports::CreatedAt))
                    .col(timestamp_with_time_zone(ParticipantExports::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ParticipantExports::Table, ParticipantExports::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ParticipantExports::Table, ParticipantExports::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(EXPIRY_INDEX)
                    .table(ParticipantExports::Table)
                    .col(ParticipantExports::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ParticipantExports::Table).to_owned())
            .await
    }
}
