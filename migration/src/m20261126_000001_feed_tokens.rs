//! Private calendar feeds: each token opens one user's participations, of all their identities
//! or of one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum FeedTokens {
    Table,
    Id,
    Token,
    TokenHash,
    UserId,
    ActorId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FeedTokens::Table)
                    .col(big_pk_auto(FeedTokens::Id))
                    // Kept so the owner can see the feed's address again; requests look tokens
                    // up by their hash.
                    .col(string_len(FeedTokens::Token, 64))
                    .col(string_len_uniq(FeedTokens::TokenHash, 64))
                    .col(big_integer(FeedTokens::UserId))
                    .col(big_integer_null(FeedTokens::ActorId))
                    .col(timestamp_with_time_zone(FeedTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FeedTokens::Table, FeedTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FeedTokens::Table, FeedTokens::ActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The settings page lists a user's tokens.
        manager
            .create_index(
                Index::create()
                    .name("feed_tokens_user")
                    .table(FeedTokens::Table)
                    .col(FeedTokens::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FeedTokens::Table).to_owned())
            .await
    }
}
