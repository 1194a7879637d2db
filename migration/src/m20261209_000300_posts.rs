//! Group posts: announcements written by a group's moderators (or received from a group we
//! follow elsewhere), public, unlisted or for members only, draft or published, with a
//! picture and tags. `body` is the sanitized HTML every reader gets; `body_source` the
//! Markdown typed in the page's form, shown back there (as events keep their description).

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    Uuid,
    Slug,
    ApId,
    GroupId,
    AuthorId,
    Title,
    Body,
    BodySource,
    Draft,
    Visibility,
    Language,
    PictureMediaId,
    Local,
    PublishAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PostTags {
    Table,
    PostId,
    TagId,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Tags {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Media {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Posts::Table)
                    .col(big_pk_auto(Posts::Id))
                    .col(string_len_uniq(Posts::Uuid, 36))
                    .col(string_len_uniq(Posts::Slug, 160))
                    .col(string_len_uniq(Posts::ApId, 2048))
                    .col(big_integer(Posts::GroupId))
                    .col(big_integer(Posts::AuthorId))
                    .col(string_len(Posts::Title, 255))
                    .col(text(Posts::Body))
                    .col(text_null(Posts::BodySource))
                    .col(boolean(Posts::Draft).default(false))
                    .col(string_len(Posts::Visibility, 16))
                    .col(string_len_null(Posts::Language, 16))
                    .col(big_integer_null(Posts::PictureMediaId))
                    .col(boolean(Posts::Local).default(true))
                    .col(timestamp_with_time_zone_null(Posts::PublishAt))
                    .col(timestamp_with_time_zone(Posts::CreatedAt))
                    .col(timestamp_with_time_zone(Posts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Posts::Table, Posts::GroupId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Posts::Table, Posts::AuthorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Posts::Table, Posts::PictureMediaId)
                            .to(Media::Table, Media::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // A group's page and feed read its latest posts.
        manager
            .create_index(
                Index::create()
                    .name("posts_group_published")
                    .table(Posts::Table)
                    .col(Posts::GroupId)
                    .col(Posts::PublishAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("posts_author")
                    .table(Posts::Table)
                    .col(Posts::AuthorId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PostTags::Table)
                    .col(big_integer(PostTags::PostId))
                    .col(big_integer(PostTags::TagId))
                    .primary_key(Index::create().col(PostTags::PostId).col(PostTags::TagId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PostTags::Table, PostTags::PostId)
                            .to(Posts::Table, Posts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PostTags::Table, PostTags::TagId)
                            .to(Tags::Table, Tags::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // A group's page kept in memory shows its posts: a change must reach every node
            // (as every table but the job queue, m20261127_000016_change_notifications).
            for table in ["posts", "post_tags"] {
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
            .drop_table(Table::drop().table(PostTags::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Posts::Table).to_owned())
            .await?;
        Ok(())
    }
}
