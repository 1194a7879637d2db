//! Events of a suspended organizer or group leave every list, search and feed.
//!
//! Filtering listings by a join on actors cost the search near a place its covering index
//! (`backend::db` tests): the place index no longer answered alone. The event carries whether
//! its organizer or group is suspended (`hidden`, kept by `backend::events::hidden` in the
//! suspension's transaction), and the listing indexes carry it beside `visibility` and `draft`,
//! so every listing still reads its index only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Events {
    Table,
    Id,
    Hidden,
    GeoCell,
    Visibility,
    Draft,
    BeginsOn,
    EndsOn,
    Latitude,
    Longitude,
    SearchText,
    AttributedToId,
    OrganizerActorId,
    UpdatedAt,
    Sequence,
}

use Events::{
    AttributedToId, BeginsOn, Draft, EndsOn, GeoCell, Hidden, Id, Latitude, Longitude,
    OrganizerActorId, SearchText, Sequence, UpdatedAt, Visibility,
};

/// Each listing index, with and without `hidden` (as m20261126_000012 and m20261128_000020
/// left them).
fn indexes(hidden: bool) -> [(&'static str, Vec<Events>); 3] {
    let flag = |mut columns: Vec<Events>, at: usize| {
        if hidden {
            columns.insert(at, Hidden);
        }
        columns
    };
    [
        (
            "events_listing",
            flag(vec![Visibility, Draft, BeginsOn, EndsOn], 2),
        ),
        (
            "events_group_begins",
            flag(
                vec![
                    AttributedToId,
                    BeginsOn,
                    EndsOn,
                    Visibility,
                    Draft,
                    UpdatedAt,
                    Sequence,
                    OrganizerActorId,
                ],
                5,
            ),
        ),
        (
            "events_organizer_begins",
            flag(
                vec![
                    OrganizerActorId,
                    BeginsOn,
                    EndsOn,
                    Visibility,
                    Draft,
                    UpdatedAt,
                    Sequence,
                    AttributedToId,
                ],
                5,
            ),
        ),
    ]
}

const PLACE_INDEX: &str = "events_place_cell";

fn place_index(backend: DatabaseBackend, hidden: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(PLACE_INDEX)
        .table(Events::Table)
        .col(GeoCell)
        .col(Visibility)
        .col(Draft);
    if hidden {
        index.col(Hidden);
    }
    index.col(BeginsOn).col(EndsOn).col(Latitude).col(Longitude);
    match backend {
        DatabaseBackend::Postgres => {
            index.include(Id).include(SearchText);
        }
        _ => {
            index.col(SearchText);
        }
    }
    index.to_owned()
}

async fn replace_indexes(
    manager: &SchemaManager<'_>,
    backend: DatabaseBackend,
    hidden: bool,
) -> Result<(), DbErr> {
    for (name, columns) in indexes(hidden) {
        manager
            .drop_index(Index::drop().name(name).to_owned())
            .await?;
        let mut index = Index::create();
        index.name(name).table(Events::Table);
        for column in columns {
            index.col(column.into_iden());
        }
        manager.create_index(index.to_owned()).await?;
    }
    manager
        .drop_index(Index::drop().name(PLACE_INDEX).to_owned())
        .await?;
    manager.create_index(place_index(backend, hidden)).await
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
                .add_column(ColumnDef::new(Hidden).boolean().not_null().default(false))
                .to_owned(),
        )
        .await?;
        // Events already held of actors suspended before this column existed.
        txn.get_connection()
            .execute_unprepared(
                "UPDATE events SET hidden = true WHERE organizer_actor_id IN \
                 (SELECT id FROM actors WHERE suspended = true) OR attributed_to_id IN \
                 (SELECT id FROM actors WHERE suspended = true)",
            )
            .await?;
        replace_indexes(&txn, backend, true).await?;
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let txn = manager.begin().await?;
        replace_indexes(&txn, backend, false).await?;
        txn.alter_table(
            Table::alter()
                .table(Events::Table)
                .drop_column(Hidden)
                .to_owned(),
        )
        .await?;
        txn.commit().await
    }
}
