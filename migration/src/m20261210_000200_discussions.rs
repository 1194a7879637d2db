//! Group discussions (Mobilizon's): threads that a group's members start and answer, seen by
//! the members alone. A discussion has a title and its comments, oldest first; a deleted
//! comment keeps its row, with an empty text and `deleted_at` set, as a tombstone.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Discussions {
    Table,
    Id,
    Uuid,
    Slug,
    ApId,
    GroupId,
    CreatorId,
    Title,
    Local,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DiscussionComments {
    Table,
    Id,
    Uuid,
    ApId,
    DiscussionId,
    ActorId,
    Text,
    Language,
    Local,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

/// Members who asked for no mail about their group's discussions (most want them: a row
/// says no).
#[derive(DeriveIden)]
enum DiscussionMailStops {
    Table,
    MemberId,
}

#[derive(DeriveIden)]
enum Members {
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
                    .table(Discussions::Table)
                    .col(big_pk_auto(Discussions::Id))
                    .col(string_len_uniq(Discussions::Uuid, 36))
                    .col(string_len_uniq(Discussions::Slug, 160))
                    .col(string_len_uniq(Discussions::ApId, 2048))
                    .col(big_integer(Discussions::GroupId))
                    .col(big_integer(Discussions::CreatorId))
                    .col(string_len(Discussions::Title, 255))
                    .col(boolean(Discussions::Local).default(true))
                    .col(timestamp_with_time_zone(Discussions::CreatedAt))
                    .col(timestamp_with_time_zone(Discussions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Discussions::Table, Discussions::GroupId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Discussions::Table, Discussions::CreatorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A group's list shows the discussions that moved last first.
        manager
            .create_index(
                Index::create()
                    .name("discussions_group_updated")
                    .table(Discussions::Table)
                    .col(Discussions::GroupId)
                    .col(Discussions::UpdatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DiscussionComments::Table)
                    .col(big_pk_auto(DiscussionComments::Id))
                    .col(string_len_uniq(DiscussionComments::Uuid, 36))
                    .col(string_len_uniq(DiscussionComments::ApId, 2048))
                    .col(big_integer(DiscussionComments::DiscussionId))
                    .col(big_integer(DiscussionComments::ActorId))
                    .col(text(DiscussionComments::Text))
                    .col(string_len_null(DiscussionComments::Language, 16))
                    .col(boolean(DiscussionComments::Local).default(true))
                    .col(timestamp_with_time_zone(DiscussionComments::PublishedAt))
                    .col(timestamp_with_time_zone(DiscussionComments::CreatedAt))
                    .col(timestamp_with_time_zone(DiscussionComments::UpdatedAt))
                    .col(timestamp_with_time_zone_null(DiscussionComments::DeletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DiscussionComments::Table, DiscussionComments::DiscussionId)
                            .to(Discussions::Table, Discussions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(DiscussionComments::Table, DiscussionComments::ActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("discussion_comments_in_order")
                    .table(DiscussionComments::Table)
                    .col(DiscussionComments::DiscussionId)
                    .col(DiscussionComments::PublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("discussion_comments_actor")
                    .table(DiscussionComments::Table)
                    .col(DiscussionComments::ActorId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DiscussionMailStops::Table)
                    .col(big_integer(DiscussionMailStops::MemberId).primary_key())
                    .foreign_key(
                        ForeignKey::create()
                            .from(DiscussionMailStops::Table, DiscussionMailStops::MemberId)
                            .to(Members::Table, Members::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Pages kept in memory may show discussions: a change must reach every node
            // (as every table but the job queue, m20261127_000016_change_notifications).
            for table in [
                "discussions",
                "discussion_comments",
                "discussion_mail_stops",
            ] {
                manager
                    .get_connection()
                    .execute_unprepared(&format!(
                        "CREATE TRIGGER convive_changed \
                         AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} \
                         FOR EACH STATEMENT EXECUTE FUNCTION convive_changed()"
                    ))
                    .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DiscussionMailStops::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(DiscussionComments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Discussions::Table).to_owned())
            .await?;
        Ok(())
    }
}
