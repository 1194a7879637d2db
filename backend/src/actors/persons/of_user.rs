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

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use crate::actors::persons::{self, NewPerson};
    use crate::testing::TestContext;

    #[tokio::test]
    async fn a_user_acts_as_the_identity_they_name_else_their_default_and_never_as_anothers() {
        let t = TestContext::new().await;
        let alice = t.person("alice").await;
        let bob = t.person("bob").await;
        let second = persons::create(
            &t.ctx,
            &alice.user,
            NewPerson {
                preferred_username: "alice_too".to_owned(),
                ..NewPerson::default()
            },
        )
        .await
        .unwrap();
        let ids = |actors: Vec<actor::Model>| actors.into_iter().map(|a| a.id).collect::<Vec<_>>();
        assert_eq!(
            ids(identities(&t.ctx.db, alice.user.id).await.unwrap()),
            [alice.actor.id, second.id]
        );

        let acting = |id| acting_as(&t.ctx.db, &alice.user, id);
        assert_eq!(
            acting(None).await.unwrap().id,
            alice.actor.id,
            "their first"
        );
        assert_eq!(acting(Some(second.id)).await.unwrap().id, second.id);
        persons::set_default(&t.ctx, &alice.user, second.id)
            .await
            .unwrap();
        assert_eq!(acting(None).await.unwrap().id, second.id, "the default");
        let err = acting(Some(bob.actor.id)).await.expect_err("bob's");
        assert_eq!(err.code(), "not_found");
        let err = own(&t.ctx.db, &alice.user, bob.actor.id)
            .await
            .expect_err("bob's");
        assert_eq!(err.code(), "not_found");
    }

    #[tokio::test]
    async fn a_user_without_an_identity_is_asked_to_make_one() {
        let t = TestContext::new().await;
        let alice = t.person("alice").await;
        // An account between registration and its first identity.
        user::Entity::update_many()
            .col_expr(
                user::Column::DefaultActorId,
                sea_orm::sea_query::Expr::value(Option::<i64>::None),
            )
            .exec(&t.ctx.db)
            .await
            .unwrap();
        actor::Entity::delete_by_id(alice.actor.id)
            .exec(&t.ctx.db)
            .await
            .unwrap();
        let err = acting_as(&t.ctx.db, &alice.user, None)
            .await
            .expect_err("no identity");
        assert_eq!(err.code(), "no_identity");
        assert_eq!(count_for_user(&t.ctx.db, alice.user.id).await.unwrap(), 0);
    }
}
