//! Private feed tokens: a random, unguessable capability in the address of a user's own
//! calendar (`/feed/{token}/ics`), revoked by deleting it.
//!
//! Unlike passwords and session tokens, the token itself is kept beside its hash: the settings
//! page must show the feed's address again, as Mobilizon's does, and the feed only reveals data
//! that sits in the same database anyway, so a leaked table would expose nothing new. Requests
//! are still matched on the hash, so that the index lookup's timing says nothing about the
//! token.

use entity::feed_token;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::context::AppContext;
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::users::CurrentUser;
use crate::users::tokens::{hash_token, random_token};

/// Longer than any token we issue (43 characters); anything longer is not worth hashing.
const MAX_TOKEN_CHARS: usize = 128;

/// Whose participations a token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedOwner {
    pub user_id: i64,
    /// Only this identity's participations; all of the user's when `None`.
    pub actor_id: Option<i64>,
}

/// A new token for `user`, limited to `actor_id` when given, which must be one of their
/// identities.
pub async fn create(
    ctx: &AppContext,
    user: &CurrentUser,
    actor_id: Option<i64>,
) -> Result<feed_token::Model> {
    if let Some(actor_id) = actor_id {
        // `not_found` for someone else's identity too: ids of others stay unconfirmed.
        crate::actors::persons::own(&ctx.db, user, actor_id).await?;
    }
    let (token, token_hash) = random_token();
    let row = feed_token::ActiveModel {
        id: NotSet,
        token: Set(token),
        token_hash: Set(token_hash),
        user_id: Set(user.id),
        actor_id: Set(actor_id),
        created_at: Set(ctx.now()),
    };
    let created = feed_token::Entity::insert(row)
        .exec_with_returning(&ctx.db)
        .await?;
    tracing::info!(feed_token_id = created.id, "feed token created");
    Ok(created)
}

/// Revokes one of `user`'s tokens. Someone else's token is `not_found`, like a wrong one.
pub async fn delete(
    ctx: &AppContext,
    user: &CurrentUser,
    token: &str,
) -> Result<feed_token::Model> {
    let found = find(&ctx.db, token)
        .await?
        .filter(|t| t.user_id == user.id)
        .ok_or(Error::not_found("feed token"))?;
    feed_token::Entity::delete_by_id(found.id)
        .exec(&ctx.db)
        .await?;
    tracing::info!(feed_token_id = found.id, "feed token revoked");
    Ok(found)
}

/// Whether `principal` is the user `user_id`: only the owner sees their tokens.
fn is_owner(principal: &Principal, user_id: i64) -> bool {
    principal.user().is_some_and(|user| user.id == user_id)
}

/// The tokens of a user, oldest first; none for anyone but that user.
pub async fn of_user(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    user_id: i64,
) -> Result<Vec<feed_token::Model>> {
    if !is_owner(principal, user_id) {
        return Ok(Vec::new());
    }
    Ok(feed_token::Entity::find()
        .filter(feed_token::Column::UserId.eq(user_id))
        .order_by_asc(feed_token::Column::Id)
        .all(conn)
        .await?)
}

/// The caller's tokens limited to one identity, oldest first; none for someone else's
/// identity, or for a caller without an account.
pub async fn of_actor(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor_id: i64,
) -> Result<Vec<feed_token::Model>> {
    let Some(user) = principal.user() else {
        return Ok(Vec::new());
    };
    Ok(feed_token::Entity::find()
        .filter(feed_token::Column::UserId.eq(user.id))
        .filter(feed_token::Column::ActorId.eq(actor_id))
        .order_by_asc(feed_token::Column::Id)
        .all(conn)
        .await?)
}

/// Whose feed `token` opens; `not_found` for a token that does not exist or was revoked.
pub async fn resolve(conn: &impl ConnectionTrait, token: &str) -> Result<FeedOwner> {
    find(conn, token)
        .await?
        .map(|t| FeedOwner {
            user_id: t.user_id,
            actor_id: t.actor_id,
        })
        .ok_or(Error::not_found("feed"))
}

async fn find(conn: &impl ConnectionTrait, token: &str) -> Result<Option<feed_token::Model>> {
    let token = token.trim();
    if token.is_empty() || token.chars().count() > MAX_TOKEN_CHARS {
        return Ok(None);
    }
    Ok(feed_token::Entity::find()
        .filter(feed_token::Column::TokenHash.eq(hash_token(token)))
        .one(conn)
        .await?)
}
