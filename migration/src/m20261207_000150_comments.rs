//! Comments under events: a thread is a comment and its replies (`in_reply_to_id` the parent,
//! `origin_id` the thread's first comment, as Mobilizon keeps them). A deleted comment keeps
//! its row without text (`deleted_at` set) so that the replies under it still hang together,
//! and so that a late copy of it from another instance is not stored again.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    Uuid,
    ApId,
    EventId,
    ActorId,
    InReplyToId,
    OriginId,
    Text,
    IsAnnouncement,
    Language,
    Local,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Comments::Table)
                    .col(big_pk_auto(Comments::Id))
                    .col(string_len_uniq(Comments::Uuid, 36))
                    .col(string_len_uniq(Comments::ApId, 2048))
                    .col(big_integer(Comments::EventId))
                    .col(big_integer(Comments::ActorId))
                    .col(big_integer_null(Comments::InReplyToId))
                    .col(big_integer_null(Comments::OriginId))
                    .col(text(Comments::Text))
                    .col(boolean(Comments::IsAnnouncement).default(false))
                    .col(string_len_null(Comments::Language, 16))
                    .col(boolean(Comments::Local).default(true))
                    .col(timestamp_with_time_zone(Comments::PublishedAt))
                    .col(timestamp_with_time_zone(Comments::CreatedAt))
                    .col(timestamp_with_time_zone(Comments::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Comments::DeletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Comments::Table, Comments::EventId)
                            .to(Events::Table, Events::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Comments::Table, Comments::ActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // An event page reads its comments in order; a thread reads the replies of its root.
        manager
            .create_index(
                Index::create()
                    .name("comments_event_published")
                    .table(Comments::Table)
                    .col(Comments::EventId)
                    .col(Comments::PublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("comments_origin")
                    .table(Comments::Table)
                    .col(Comments::OriginId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("comments_actor")
                    .table(Comments::Table)
                    .col(Comments::ActorId)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Like every table but the job queue (m20261127_000016_change_notifications): an
            // event page kept in memory shows its comments, so a new one must reach every node.
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE TRIGGER convive_changed \
                     AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON comments \
                     FOR EACH STATEMENT EXECUTE FUNCTION convive_changed()",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Comments::Table).to_owned())
            .await?;
        Ok(())
    }
}
