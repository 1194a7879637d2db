//! Reports: someone (an account here, a visitor with an email when the instance allows it, or
//! another instance through a `Flag`) tells moderators about a person or group, and optionally
//! some of its events and comments. Moderators annotate reports with notes and resolve or close
//! them. None of this shows on a kept page: no change trigger (see `UNSEEN_TABLES`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    Uuid,
    ApId,
    Content,
    Status,
    ReporterActorId,
    ReporterEmail,
    ReportedActorId,
    Forward,
    Local,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ReportEvents {
    Table,
    ReportId,
    EventId,
}

#[derive(DeriveIden)]
enum ReportComments {
    Table,
    ReportId,
    CommentId,
}

#[derive(DeriveIden)]
enum ReportNotes {
    Table,
    Id,
    ReportId,
    ModeratorActorId,
    Content,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
}

fn cascade(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(big_pk_auto(Reports::Id))
                    .col(string_len_uniq(Reports::Uuid, 36))
                    .col(string_len_uniq(Reports::ApId, 2048))
                    .col(text_null(Reports::Content))
                    .col(string_len(Reports::Status, 16))
                    .col(big_integer(Reports::ReporterActorId))
                    .col(string_len_null(Reports::ReporterEmail, 320))
                    .col(big_integer(Reports::ReportedActorId))
                    .col(boolean(Reports::Forward).default(false))
                    .col(boolean(Reports::Local).default(true))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .col(timestamp_with_time_zone(Reports::UpdatedAt))
                    .foreign_key(&mut cascade(
                        (Reports::Table, Reports::ReporterActorId),
                        (Actors::Table, Actors::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (Reports::Table, Reports::ReportedActorId),
                        (Actors::Table, Actors::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // Moderators list reports by status, newest first; a profile's reports by the actor.
        manager
            .create_index(
                Index::create()
                    .name("reports_status_created")
                    .table(Reports::Table)
                    .col(Reports::Status)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("reports_reported")
                    .table(Reports::Table)
                    .col(Reports::ReportedActorId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportEvents::Table)
                    .col(big_integer(ReportEvents::ReportId))
                    .col(big_integer(ReportEvents::EventId))
                    .primary_key(
                        Index::create()
                            .col(ReportEvents::ReportId)
                            .col(ReportEvents::EventId),
                    )
                    .foreign_key(&mut cascade(
                        (ReportEvents::Table, ReportEvents::ReportId),
                        (Reports::Table, Reports::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (ReportEvents::Table, ReportEvents::EventId),
                        (Events::Table, Events::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportComments::Table)
                    .col(big_integer(ReportComments::ReportId))
                    .col(big_integer(ReportComments::CommentId))
                    .primary_key(
                        Index::create()
                            .col(ReportComments::ReportId)
                            .col(ReportComments::CommentId),
                    )
                    .foreign_key(&mut cascade(
                        (ReportComments::Table, ReportComments::ReportId),
                        (Reports::Table, Reports::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (ReportComments::Table, ReportComments::CommentId),
                        (Comments::Table, Comments::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportNotes::Table)
                    .col(big_pk_auto(ReportNotes::Id))
                    .col(big_integer(ReportNotes::ReportId))
                    .col(big_integer(ReportNotes::ModeratorActorId))
                    .col(text(ReportNotes::Content))
                    .col(timestamp_with_time_zone(ReportNotes::CreatedAt))
                    .foreign_key(&mut cascade(
                        (ReportNotes::Table, ReportNotes::ReportId),
                        (Reports::Table, Reports::Id),
                    ))
                    .foreign_key(&mut cascade(
                        (ReportNotes::Table, ReportNotes::ModeratorActorId),
                        (Actors::Table, Actors::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("report_notes_report")
                    .table(ReportNotes::Table)
                    .col(ReportNotes::ReportId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReportNotes::Table.into_iden(),
            ReportComments::Table.into_iden(),
            ReportEvents::Table.into_iden(),
            Reports::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
