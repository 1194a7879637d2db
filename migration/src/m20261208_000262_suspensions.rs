//! Suspensions by the instance's moderators, apart from those a domain block makes: an
//! actor suspended here stays suspended when its instance is unblocked, and one suspended
//! for its instance comes back with the unblock. `actors.suspended` stays the one flag that
//! hides an actor; this table says why a moderator set it. Read by no kept page (see
//! `UNSEEN_TABLES`); the flag's change on `actors` is what pages hear.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Suspensions {
    Table,
    ActorId,
    UserId,
    ModeratorActorId,
    Reason,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
    Suspended,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Suspensions::Table)
                    .col(big_integer(Suspensions::ActorId).primary_key())
                    .col(big_integer_null(Suspensions::UserId))
                    .col(big_integer_null(Suspensions::ModeratorActorId))
                    .col(text_null(Suspensions::Reason))
                    .col(timestamp_with_time_zone(Suspensions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Suspensions::Table, Suspensions::ActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Suspensions::Table, Suspensions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Suspensions::Table, Suspensions::ModeratorActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // Login asks whether an account is suspended.
        manager
            .create_index(
                Index::create()
                    .name("suspensions_user")
                    .table(Suspensions::Table)
                    .col(Suspensions::UserId)
                    .to_owned(),
            )
            .await?;
        // Lists leave out what suspended actors organize: the few suspended ids, by index.
        manager
            .create_index(
                Index::create()
                    .name("actors_suspended")
                    .table(Actors::Table)
                    .col(Actors::Suspended)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("actors_suspended")
                    .table(Actors::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Suspensions::Table).to_owned())
            .await?;
        Ok(())
    }
}
