//! Searches near a place read the events of a few cells instead of a band of latitude.
//!
//! The position index began with the latitude, so a search within 25 km of Paris walked every
//! event between 48.6° and 49.1° north, from Brittany to Ukraine (4 300 index entries at
//! 100 000 events), and then read each remaining event's row for its text. Events now carry
//! the quarter-degree cell of their position, and the index begins with it: the search seeks
//! each cell of its bounding box and reads only events there, in date order. On SQLite the
//! index also holds the searchable words (a few hundred bytes since they are kept once each),
//! so a text search near a place reads no event row at all; PostgreSQL limits an index entry
//! to ~2.7 KB, which a long description's words could pass, so there the words stay in the row.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Events {
    Table,
    GeoCell,
    Visibility,
    Draft,
    BeginsOn,
    EndsOn,
    Latitude,
    Longitude,
    SearchText,
}

const OLD_INDEX: &str = "events_position";
const NEW_INDEX: &str = "events_place_cell";

/// `backend::search::geo_cell` in SQL: a row of a quarter degree of latitude times 1441
/// columns of a quarter degree of longitude. SQLite's cast of a non-negative real truncates,
/// which is the floor; PostgreSQL's rounds, hence `FLOOR`.
fn cell_expression(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => {
            "CAST(FLOOR((LEAST(GREATEST(latitude, -90.0), 90.0) + 90.0) * 4.0) AS INTEGER) * 1441 \
             + CAST(FLOOR((LEAST(GREATEST(longitude, -180.0), 180.0) + 180.0) * 4.0) AS INTEGER)"
        }
        _ => {
            "CAST((MIN(MAX(latitude, -90.0), 90.0) + 90.0) * 4.0 AS INTEGER) * 1441 \
             + CAST((MIN(MAX(longitude, -180.0), 180.0) + 180.0) * 4.0 AS INTEGER)"
        }
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // One transaction, hence one connection (see m20261126_000012).
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let txn = manager.begin().await?;
        txn.alter_table(
            Table::alter()
                .table(Events::Table)
                .add_column(ColumnDef::new(Events::GeoCell).integer().null())
                .to_owned(),
        )
        .await?;
        txn.get_connection()
            .execute_unprepared(&format!(
                "UPDATE events SET geo_cell = {} \
                 WHERE latitude IS NOT NULL AND longitude IS NOT NULL",
                cell_expression(backend)
            ))
            .await?;
        txn.drop_index(Index::drop().name(OLD_INDEX).to_owned())
            .await?;
        let mut index = Index::create();
        index
            .name(NEW_INDEX)
            .table(Events::Table)
            .col(Events::GeoCell)
            .col(Events::Visibility)
            .col(Events::Draft)
            .col(Events::BeginsOn)
            .col(Events::EndsOn)
            .col(Events::Latitude)
            .col(Events::Longitude);
        if backend == DatabaseBackend::Sqlite {
            index.col(Events::SearchText);
        }
        txn.create_index(index.to_owned()).await?;
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let txn = manager.begin().await?;
        txn.drop_index(Index::drop().name(NEW_INDEX).to_owned())
            .await?;
        txn.create_index(
            Index::create()
                .name(OLD_INDEX)
                .table(Events::Table)
                .col(Events::Latitude)
                .col(Events::Longitude)
                .col(Events::Visibility)
                .col(Events::Draft)
                .col(Events::BeginsOn)
                .col(Events::EndsOn)
                .to_owned(),
        )
        .await?;
        txn.alter_table(
            Table::alter()
                .table(Events::Table)
                .drop_column(Events::GeoCell)
                .to_owned(),
        )
        .await?;
        txn.commit().await
    }
}
