//! Pictures: uploads and, later, cached remote pictures (`backend::media`). Each row keeps the
//! storage keys of its re-encoded variants; the original bytes are never stored. Events and
//! actors point at their picture, avatar and banner without a foreign key (SQLite cannot add
//! one to an existing table): the orphan cleanup treats a dangling pointer as no pointer.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Media {
    Table,
    Id,
    Uuid,
    OwnerActorId,
    Purpose,
    Name,
    Alt,
    ContentType,
    Width,
    Height,
    Blurhash,
    Size,
    StoredBytes,
    Variants,
    CreatedAt,
    DetachedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    PictureMediaId,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    AvatarMediaId,
    BannerMediaId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Media::Table)
                    .col(big_integer(Media::Id).auto_increment().primary_key())
                    .col(string_len_uniq(Media::Uuid, 36))
                    .col(big_integer(Media::OwnerActorId))
                    .col(string_len(Media::Purpose, 16))
                    .col(string_len(Media::Name, 255))
                    .col(text_null(Media::Alt))
                    .col(string_len(Media::ContentType, 64))
                    .col(integer(Media::Width))
                    .col(integer(Media::Height))
                    .col(string_len(Media::Blurhash, 64))
                    // Bytes of the file served at the picture's URL (its largest variant).
                    .col(big_integer(Media::Size))
                    // Bytes of all its variants: what counts against the owner's quota.
                    .col(big_integer(Media::StoredBytes))
                    // [{name, key, width, height, bytes}], as JSON text on both databases.
                    .col(text(Media::Variants))
                    .col(timestamp_with_time_zone(Media::CreatedAt))
                    // Since when nothing points at it: the upload time until it is attached,
                    // the time it was replaced or taken off; null while attached.
                    .col(timestamp_with_time_zone_null(Media::DetachedAt))
                    .to_owned(),
            )
            .await?;
        // The quota sums an owner's pictures.
        manager
            .create_index(
                Index::create()
                    .name("media_owner_actor_id")
                    .table(Media::Table)
                    .col(Media::OwnerActorId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("media_detached_at")
                    .table(Media::Table)
                    .col(Media::DetachedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(big_integer_null(Events::PictureMediaId))
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        for column in [Actors::AvatarMediaId, Actors::BannerMediaId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Actors::Table)
                        .add_column(big_integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        // Pages show pictures: nodes hear of their changes like of every other table's
        // (m20261127_000016_change_notifications).
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE TRIGGER convive_changed
                         AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON media
                         FOR EACH STATEMENT EXECUTE FUNCTION convive_changed()",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Actors::AvatarMediaId, Actors::BannerMediaId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Actors::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .drop_column(Events::PictureMediaId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Media::Table).to_owned())
            .await
    }
}
