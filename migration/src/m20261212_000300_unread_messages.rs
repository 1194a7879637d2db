//! How many messages of a conversation its reader has not read
//! (`conversation_participants.unread_messages`): the list of conversations and the header say
//! how many, beside Mobilizon's `unread`. Conversations unread before count one: which of
//! their messages were read was not kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ConversationParticipants {
    Table,
    Unread,
    UnreadMessages,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ConversationParticipants::Table)
                    .add_column(integer(ConversationParticipants::UnreadMessages).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(ConversationParticipants::Table)
                    .value(ConversationParticipants::UnreadMessages, 1)
                    .and_where(Expr::col(ConversationParticipants::Unread).eq(true))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ConversationParticipants::Table)
                    .drop_column(ConversationParticipants::UnreadMessages)
                    .to_owned(),
            )
            .await
    }
}
