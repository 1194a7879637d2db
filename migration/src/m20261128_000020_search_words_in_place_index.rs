//! A search near a place reads its words from the place index on PostgreSQL too.
//!
//! PostgreSQL read each candidate event's row for its words: at 100 000 events a search near
//! a town visited ~500 heap pages scattered over the table, and waiting for them to reach the
//! processor was most of its time. The place index now carries the words (`INCLUDE`), so the
//! search reads index pages only. A B-tree entry is limited to ~2.7 KB, so `search_text` now
//! holds at most 2 000 bytes of an event's words and `search_text_more` the rest, if any
//! (`backend::search::split_words`); a search looks up those few longer events through a
//! small partial index. On SQLite the place index held the words already; the partial index
//! serves it the same way.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Events {
    Table,
    Id,
    GeoCell,
    Visibility,
    Draft,
    BeginsOn,
    EndsOn,
    Latitude,
    Longitude,
    SearchText,
    SearchTextMore,
}

const PLACE_INDEX: &str = "events_place_cell";
const LONGER_WORDS_INDEX: &str = "events_longer_words";

/// The bound `backend::search::split_words` keeps `search_text` within.
const WORDS_IN_INDEX_BYTES: u32 = 2000;

fn place_index(backend: DatabaseBackend, with_words: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(PLACE_INDEX)
        .table(Events::Table)
        .col(Events::GeoCell)
        .col(Events::Visibility)
        .col(Events::Draft)
        .col(Events::BeginsOn)
        .col(Events::EndsOn)
        .col(Events::Latitude)
        .col(Events::Longitude);
    match backend {
        DatabaseBackend::Postgres if with_words => {
            index.include(Events::Id).include(Events::SearchText);
        }
        DatabaseBackend::Postgres => {}
        // m20261127_000015: SQLite's index held the words as its last column already.
        _ => {
            index.col(Events::SearchText);
        }
    }
    index.to_owned()
}

fn byte_length(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => "octet_length(search_text)",
        _ => "length(CAST(search_text AS BLOB))",
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
                .add_column(ColumnDef::new(Events::SearchTextMore).text().null())
                .to_owned(),
        )
        .await?;
        // Events whose words are longer than the bound keep them all in `search_text_more`: a
        // search tests both columns, so where the words are split does not change what it
        // finds, and the next edit splits them as the backend does.
        txn.get_connection()
            .execute_unprepared(&format!(
                "UPDATE events SET search_text_more = search_text, search_text = '' \
                 WHERE {} > {WORDS_IN_INDEX_BYTES}",
                byte_length(backend)
            ))
            .await?;
        if backend == DatabaseBackend::Postgres {
            txn.drop_index(Index::drop().name(PLACE_INDEX).to_owned())
                .await?;
            txn.create_index(place_index(backend, true)).await?;
        }
        txn.create_index(
            Index::create()
                .name(LONGER_WORDS_INDEX)
                .table(Events::Table)
                .col(Events::Id)
                .and_where(Expr::col(Events::SearchTextMore).is_not_null())
                .to_owned(),
        )
        .await?;
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let txn = manager.begin().await?;
        txn.drop_index(Index::drop().name(LONGER_WORDS_INDEX).to_owned())
            .await?;
        if backend == DatabaseBackend::Postgres {
            txn.drop_index(Index::drop().name(PLACE_INDEX).to_owned())
                .await?;
            txn.create_index(place_index(backend, false)).await?;
        }
        txn.get_connection()
            .execute_unprepared(
                "UPDATE events SET search_text = CASE WHEN search_text = '' \
                 THEN search_text_more ELSE search_text || ' ' || search_text_more END \
                 WHERE search_text_more IS NOT NULL",
            )
            .await?;
        txn.alter_table(
            Table::alter()
                .table(Events::Table)
                .drop_column(Events::SearchTextMore)
                .to_owned(),
        )
        .await?;
        txn.commit().await
    }
}
