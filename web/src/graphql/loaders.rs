//! Batch loaders, so that a list of events asks the database once for all their organizers,
//! places, tags and counts instead of once per event (the N+1 problem). No cache: each load
//! reads fresh rows, batched within one request's resolution.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ErrorExtensions};
use backend::events::ParticipantStats;
use entity::{actor, address, tag};
use sea_orm::DatabaseConnection;

use super::errors::{GqlResult, to_gql};

pub struct ActorLoader(DatabaseConnection);
pub struct AddressLoader(DatabaseConnection);
pub struct TagLoader(DatabaseConnection);
pub struct StatsLoader(DatabaseConnection);

impl Loader<i64> for ActorLoader {
    type Value = actor::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, actor::Model>, Self::Error> {
        backend::actors::find_many(&self.0, keys)
            .await
            .map_err(to_gql)
    }
}

impl Loader<i64> for AddressLoader {
    type Value = address::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, address::Model>, Self::Error> {
        backend::addresses::find_many(&self.0, keys)
            .await
            .map_err(to_gql)
    }
}

impl Loader<i64> for TagLoader {
    type Value = Vec<tag::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Vec<tag::Model>>, Self::Error> {
        backend::events::tags::for_events(&self.0, keys)
            .await
            .map_err(to_gql)
    }
}

impl Loader<i64> for StatsLoader {
    type Value = ParticipantStats;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, ParticipantStats>, Self::Error> {
        backend::events::participant_stats(&self.0, keys)
            .await
            .map_err(to_gql)
    }
}

/// All loaders, one set per schema.
pub struct Loaders {
    pub actors: DataLoader<ActorLoader>,
    pub addresses: DataLoader<AddressLoader>,
    pub tags: DataLoader<TagLoader>,
    pub stats: DataLoader<StatsLoader>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Self {
        Self {
            actors: DataLoader::new(ActorLoader(db.clone()), tokio::spawn),
            addresses: DataLoader::new(AddressLoader(db.clone()), tokio::spawn),
            tags: DataLoader::new(TagLoader(db.clone()), tokio::spawn),
            stats: DataLoader::new(StatsLoader(db.clone()), tokio::spawn),
        }
    }
}

/// How the caller relates to events, by event id: one per request, since it depends on who
/// asks (several statements for a whole list instead of several per event).
pub struct AccessLoader {
    db: DatabaseConnection,
    principal: backend::principal::Principal,
}

impl Loader<i64> for AccessLoader {
    type Value = backend::events::policy::Access;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let events = entity::event::Entity::find()
            .filter(entity::event::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(|e| to_gql(e.into()))?;
        backend::events::access_to_many(&self.db, &self.principal, &events)
            .await
            .map_err(to_gql)
    }
}

/// The loader of a request made by `principal`.
pub fn access_loader(
    db: &DatabaseConnection,
    principal: backend::principal::Principal,
) -> std::sync::Arc<DataLoader<AccessLoader>> {
    std::sync::Arc::new(DataLoader::new(
        AccessLoader {
            db: db.clone(),
            principal,
        },
        tokio::spawn,
    ))
}

pub fn loaders<'a>(ctx: &Context<'a>) -> GqlResult<&'a Loaders> {
    ctx.data::<Loaders>()
}

/// An actor by id through the batch loader.
pub async fn actor(ctx: &Context<'_>, id: i64) -> GqlResult<Option<actor::Model>> {
    loaders(ctx)?.actors.load_one(id).await
}

pub async fn actor_required(ctx: &Context<'_>, id: i64) -> GqlResult<actor::Model> {
    actor(ctx, id)
        .await?
        .ok_or_else(|| to_gql(backend::Error::not_found("actor")).extend())
}
