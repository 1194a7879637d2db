//! A user's identities, as lookups: which persons are theirs and which one they act as. The
//! principal, the account flows and every service that acts for a user read them here; this
//! module imports no service, so each of those may.

use entity::actor::{self, ActorKind};
use entity::user;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::error::{Error, Result};
use crate::users::CurrentUser;

/// An identity of the logged-in user, or `not_found` (also for others' identities, so ids
/// cannot be probed).
pub async fn own(
    conn: &impl ConnectionTrait,
    current: &CurrentUser,
    id: i64,
) -> Result<actor::Model> {
    actor::Entity::find_by_id(id)
        .filter(actor::Column::UserId.eq(current.id))
        .filter(actor::Column::Kind.eq(ActorKind::Person))
        .one(conn)
        .await?
        .ok_or(Error::not_found("person"))
}

/// The identity the user acts as: `actor_id` if given (must be theirs), else their default.
pub async fn acting_as(
    conn: &impl ConnectionTrait,
    current: &CurrentUser,
    actor_id: Option<i64>,
) -> Result<actor::Model> {
    if let Some(id) = actor_id {
        return own(conn, current, id).await;
    }
    match default_identity_id(conn, current.id).await? {
        Some(id) => own(conn, current, id).await,
        None => identities(conn, current.id)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                Error::rule(
                    "no_identity",
                    "create an identity (a profile) before doing this",
                )
            }),
    }
}

/// The identity the account acts as by default, if it chose one; `not_found` when the account
/// is gone.
async fn default_identity_id(conn: &impl ConnectionTrait, user_id: i64) -> Result<Option<i64>> {
    user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::DefaultActorId)
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .ok_or(Error::not_found("user"))
}

/// The user's identities, oldest first.
pub async fn identities(conn: &impl ConnectionTrait, user_id: i64) -> Result<Vec<actor::Model>> {
    Ok(actor::Entity::find()
        .filter(actor::Column::UserId.eq(user_id))
        .filter(actor::Column::Kind.eq(ActorKind::Person))
        .order_by_asc(actor::Column::Id)
        .all(conn)
        .await?)
}

pub(super) async fn count_for_user(conn: &impl ConnectionTrait, user_id: i64) -> Result<u64> {
    Ok(actor::Entity::find()
        .filter(actor::Column::UserId.eq(user_id))
        .filter(actor::Column::Kind.eq(ActorKind::Person))
        .count(conn)
        .await?)
}
