//! Organizers write to their participants: each recipient gets a conversation of their own
//! with the organizers (so that nobody learns who else was written to, or reads another's
//! answer), in Mobilizon's model of a conversation, the actors taking part in it
//! (`conversation_participants`, with their unread flag) and its messages. Kept apart from
//! `comments`, whose rows are public threads under events. Read on personal pages only, never
//! on a kept page: no change trigger (see `UNSEEN_TABLES`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Id,
    Uuid,
    EventId,
    SenderActorId,
    RecipientActorId,
    ParticipantId,
    AnswerTokenHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConversationParticipants {
    Table,
    Id,
    ConversationId,
    ActorId,
    Unread,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConversationMessages {
    Table,
    Id,
    Uuid,
    ApId,
    ConversationId,
    ActorId,
    Text,
    Language,
    Local,
    PublishedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Participants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Conversations::Table)
                    .col(big_pk_auto(Conversations::Id))
                    .col(string_len_uniq(Conversations::Uuid, 36))
                    .col(big_integer(Conversations::EventId))
                    .col(big_integer(Conversations::SenderActorId))
                    .col(big_integer(Conversations::RecipientActorId))
                    .col(big_integer_null(Conversations::ParticipantId))
                    .col(string_len_null(Conversations::AnswerTokenHash, 64))
                    .col(timestamp_with_time_zone(Conversations::CreatedAt))
                    .col(timestamp_with_time_zone(Conversations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::SenderActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::RecipientActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Conversations::Table, Conversations::ParticipantId)
                            .to(Participants::Table, Participants::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // The organizers' view of an event lists its conversations; an anonymous answer
        // finds its conversation by the hash of the mail's token.
        manager
            .create_index(
                Index::create()
                    .name("conversations_event")
                    .table(Conversations::Table)
                    .col(Conversations::EventId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversations_answer_token")
                    .table(Conversations::Table)
                    .col(Conversations::AnswerTokenHash)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConversationParticipants::Table)
                    .col(big_pk_auto(ConversationParticipants::Id))
                    .col(big_integer(ConversationParticipants::ConversationId))
                    .col(big_integer(ConversationParticipants::ActorId))
                    .col(boolean(ConversationParticipants::Unread).default(true))
                    .col(timestamp_with_time_zone(
                        ConversationParticipants::UpdatedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ConversationParticipants::Table,
                                ConversationParticipants::ConversationId,
                            )
                            .to(Conversations::Table, Conversations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ConversationParticipants::Table,
                                ConversationParticipants::ActorId,
                            )
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversation_participants_one_per_actor")
                    .table(ConversationParticipants::Table)
                    .col(ConversationParticipants::ConversationId)
                    .col(ConversationParticipants::ActorId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A person's list of conversations, unread first, and the count in the header.
        manager
            .create_index(
                Index::create()
                    .name("conversation_participants_actor_unread")
                    .table(ConversationParticipants::Table)
                    .col(ConversationParticipants::ActorId)
                    .col(ConversationParticipants::Unread)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConversationMessages::Table)
                    .col(big_pk_auto(ConversationMessages::Id))
                    .col(string_len_uniq(ConversationMessages::Uuid, 36))
                    .col(string_len_uniq(ConversationMessages::ApId, 2048))
                    .col(big_integer(ConversationMessages::ConversationId))
                    .col(big_integer(ConversationMessages::ActorId))
                    .col(text(ConversationMessages::Text))
                    .col(string_len_null(ConversationMessages::Language, 16))
                    .col(boolean(ConversationMessages::Local).default(true))
                    .col(timestamp_with_time_zone(ConversationMessages::PublishedAt))
                    .col(timestamp_with_time_zone(ConversationMessages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ConversationMessages::Table,
                                ConversationMessages::ConversationId,
                            )
                            .to(Conversations::Table, Conversations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConversationMessages::Table, ConversationMessages::ActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("conversation_messages_conversation")
                    .table(ConversationMessages::Table)
                    .col(ConversationMessages::ConversationId)
                    .col(ConversationMessages::PublishedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ConversationMessages::Table.into_iden(),
            ConversationParticipants::Table.into_iden(),
            Conversations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
