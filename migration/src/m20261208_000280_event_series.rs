//! Recurring events. A series holds the rule (RFC 5545 `RRULE` text), the local start of its
//! first date and its zone, how long each date lasts, the dates taken out (`EXDATE`s, local
//! times), and how far its occurrences were written. Each occurrence is an ordinary `events`
//! row that names its series and its original start (`recurrence_id`, as iCalendar's
//! `RECURRENCE-ID`), and says whether it was changed alone (`recurrence_overridden`), so that
//! pages, participations, reminders, search and federation treat it as any event.

use sea_orm_migration::sea_orm::DatabaseBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EventSeries {
    Table,
    Id,
    Uuid,
    OrganizerActorId,
    AttributedToId,
    Rule,
    StartsLocal,
    Timezone,
    LastsSeconds,
    Exdates,
    MaterializedUntil,
    Finished,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    SeriesId,
    RecurrenceId,
    RecurrenceOverridden,
}

#[derive(DeriveIden)]
enum Actors {
    Table,
    Id,
}

const OCCURRENCE_INDEX: &str = "events_series_recurrence";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EventSeries::Table)
                    .col(big_pk_auto(EventSeries::Id))
                    .col(string_len_uniq(EventSeries::Uuid, 36))
                    .col(big_integer(EventSeries::OrganizerActorId))
                    .col(big_integer_null(EventSeries::AttributedToId))
                    .col(string_len(EventSeries::Rule, 512))
                    .col(string_len(EventSeries::StartsLocal, 19))
                    .col(string_len(EventSeries::Timezone, 64))
                    .col(big_integer_null(EventSeries::LastsSeconds))
                    .col(text(EventSeries::Exdates).default(""))
                    .col(timestamp_with_time_zone(EventSeries::MaterializedUntil))
                    .col(boolean(EventSeries::Finished).default(false))
                    .col(timestamp_with_time_zone(EventSeries::CreatedAt))
                    .col(timestamp_with_time_zone(EventSeries::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventSeries::Table, EventSeries::OrganizerActorId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventSeries::Table, EventSeries::AttributedToId)
                            .to(Actors::Table, Actors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The horizon job looks for the series still to extend.
        manager
            .create_index(
                Index::create()
                    .name("event_series_unfinished")
                    .table(EventSeries::Table)
                    .col(EventSeries::Finished)
                    .col(EventSeries::MaterializedUntil)
                    .to_owned(),
            )
            .await?;
        // No foreign key: SQLite adds none to an existing table, and a series row outlives its
        // occurrences (it goes with its organizer or group, as they do).
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(big_integer_null(Events::SeriesId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(timestamp_with_time_zone_null(Events::RecurrenceId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Events::Table)
                    .add_column(boolean(Events::RecurrenceOverridden).default(false))
                    .to_owned(),
            )
            .await?;
        // One row per date of a series, whatever races the locks would miss.
        manager
            .create_index(
                Index::create()
                    .name(OCCURRENCE_INDEX)
                    .table(Events::Table)
                    .col(Events::SeriesId)
                    .col(Events::RecurrenceId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Like every table but the job queue (m20261127_000016_change_notifications): an
            // event page kept in memory says how its series repeats.
            manager
                .get_connection()
                .execute_unprepared(
                    "CREATE TRIGGER convive_changed \
                     AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_series \
                     FOR EACH STATEMENT EXECUTE FUNCTION convive_changed()",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(OCCURRENCE_INDEX)
                    .table(Events::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Events::SeriesId,
            Events::RecurrenceId,
            Events::RecurrenceOverridden,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Events::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(EventSeries::Table).to_owned())
            .await
    }
}
