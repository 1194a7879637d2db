//! The fields of a group's members and followers, with Mobilizon's names.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::member::MemberRole;

use super::errors::GqlResult;
use super::loaders;
use super::objects::{Actor, Follower, Group, Member, Person};

#[Object]
impl Member {
    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    async fn role(&self) -> MemberRole {
        self.0.role
    }

    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Person> {
        Ok(Person(loaders::actor_required(ctx, self.0.actor_id).await?))
    }

    /// The group.
    async fn parent(&self, ctx: &Context<'_>) -> GqlResult<Group> {
        Ok(Group(loaders::actor_required(ctx, self.0.group_id).await?))
    }

    async fn invited_by(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        match self.0.invited_by_id {
            Some(id) => Ok(loaders::actor(ctx, id).await?.map(Person)),
            None => Ok(None),
        }
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[Object]
impl Follower {
    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    async fn approved(&self) -> bool {
        self.0.approved
    }

    async fn notify(&self) -> bool {
        self.0.notify
    }

    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Actor> {
        Ok(loaders::actor_required(ctx, self.0.follower_id)
            .await?
            .into())
    }

    async fn target_actor(&self, ctx: &Context<'_>) -> GqlResult<Actor> {
        Ok(loaders::actor_required(ctx, self.0.target_id).await?.into())
    }

    /// `targetActor`, as Mobilizon's own client spells it in one query (Mobilizon accepts
    /// both spellings).
    #[graphql(name = "target_actor")]
    async fn target_actor_snake(&self, ctx: &Context<'_>) -> GqlResult<Actor> {
        Ok(loaders::actor_required(ctx, self.0.target_id).await?.into())
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}
