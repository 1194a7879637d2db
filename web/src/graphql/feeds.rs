//! Private feed tokens (Mobilizon's `createFeedToken` / `deleteFeedToken` and the
//! `feedTokens` lists of users and persons).

use async_graphql::{Context, ID, Object, SimpleObject};
use backend::feeds::tokens;

use super::errors::{GqlResult, IntoGql};
use super::objects::{DeletedObject, FeedToken, Person, User};
use super::{app, current_user, parse_id, principal};

#[Object]
impl FeedToken {
    /// The secret part of the feed's addresses (`/feed/{token}/ics`, `/feed/{token}/atom`).
    async fn token(&self) -> &str {
        &self.0.token
    }

    /// The identity the feed is limited to, if any.
    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        let Some(actor_id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(Some(Person(
            backend::actors::find(&app(ctx)?.db, actor_id).await.gql()?,
        )))
    }

    async fn user(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        let user = backend::users::service::find(&app(ctx)?.db, self.0.user_id)
            .await
            .gql()?;
        Ok(Some(User::from(user)))
    }
}

/// What a revoked token belonged to.
#[derive(SimpleObject)]
pub struct DeletedFeedToken {
    user: Option<DeletedObject>,
    actor: Option<DeletedObject>,
}

/// The user's tokens, for `User.feedTokens` (the backend shows them to their owner only).
pub async fn of_user(ctx: &Context<'_>, user_id: i64) -> GqlResult<Vec<FeedToken>> {
    Ok(tokens::of_user(&app(ctx)?.db, &principal(ctx), user_id)
        .await
        .gql()?
        .into_iter()
        .map(FeedToken)
        .collect())
}

/// The caller's tokens limited to one of their identities, for `Person.feedTokens`; nothing
/// for someone else's identity.
pub async fn of_actor(ctx: &Context<'_>, actor_id: i64) -> GqlResult<Vec<FeedToken>> {
    Ok(tokens::of_actor(&app(ctx)?.db, &principal(ctx), actor_id)
        .await
        .gql()?
        .into_iter()
        .map(FeedToken)
        .collect())
}

#[derive(Default)]
pub struct FeedTokensMutation;

#[Object]
impl FeedTokensMutation {
    /// A new private feed of the caller's participations, limited to `actorId` (one of their
    /// identities) when given.
    async fn create_feed_token(
        &self,
        ctx: &Context<'_>,
        actor_id: Option<ID>,
    ) -> GqlResult<FeedToken> {
        let current = current_user(ctx)?;
        let actor_id = actor_id
            .as_ref()
            .map(|id| parse_id(id, "actorId"))
            .transpose()?;
        let created = tokens::create(app(ctx)?, current, actor_id).await.gql()?;
        Ok(FeedToken(created))
    }

    /// Revokes one of the caller's tokens: its feeds answer 404 from now on.
    async fn delete_feed_token(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> GqlResult<DeletedFeedToken> {
        let current = current_user(ctx)?;
        let deleted = tokens::delete(app(ctx)?, current, &token).await.gql()?;
        Ok(DeletedFeedToken {
            user: Some(DeletedObject::new(deleted.user_id)),
            actor: deleted.actor_id.map(DeletedObject::new),
        })
    }
}
