//! Indexes that answer the listings of upcoming events without reading event rows.
//!
//! Event rows are wide (the description is ~1 KB of HTML), and the "not over yet" filter
//! (`ends_on`) was not in the listing index, so counting the upcoming events of the home page,
//! or checking a group feed's validator, read every row of every event from disk: 38 ms of CPU
//! per home page at 10 000 events, most of it copying pages. With the filtered and returned
//! columns in the index, SQLite and PostgreSQL scan the index alone and fetch only the rows of
//! the page shown (or, for a search near a place, the rows inside its bounding box).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone)]
enum Events {
    Table,
    Visibility,
    Draft,
    BeginsOn,
    EndsOn,
    AttributedToId,
    OrganizerActorId,
    UpdatedAt,
    Sequence,
    Latitude,
    Longitude,
}

/// Drops the index `name` and creates it again on `columns`.
async fn replace(manager: &SchemaManager<'_>, name: &str, columns: &[Events]) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(name).to_owned())
        .await?;
    let mut index = Index::create();
    index.name(name).table(Events::Table);
    for column in columns {
        index.col(column.clone().into_iden());
    }
    manager.create_index(index.to_owned()).await
}

use Events::*;

/// What each index becomes, and what it was.
fn indexes() -> [(&'static str, Vec<Events>, Vec<Events>); 4] {
    [
        // Searches near a place: the bounding box, then the listing filters, in the index.
        (
            "events_position",
            vec![Latitude, Longitude, Visibility, Draft, BeginsOn, EndsOn],
            vec![Latitude, Longitude],
        ),
        (
            "events_listing",
            vec![Visibility, Draft, BeginsOn, EndsOn],
            vec![Visibility, Draft, BeginsOn],
        ),
        (
            "events_group_begins",
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
            vec![AttributedToId, BeginsOn],
        ),
        (
            "events_organizer_begins",
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
            vec![OrganizerActorId, BeginsOn],
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // One transaction, hence one connection: on SQLite another pooled connection could still
    // see the dropped index in its snapshot and refuse to create it ("already exists").
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let txn = manager.begin().await?;
        for (name, columns, _) in indexes() {
            replace(&txn, name, &columns).await?;
        }
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let txn = manager.begin().await?;
        for (name, _, old) in indexes() {
            replace(&txn, name, &old).await?;
        }
        txn.commit().await
    }
}
