//! Who is acting, as services see it. The edges (GraphQL, HTML pages, the federation inbox)
//! build a `Principal`; services decide what it may do. A use case (join, leave, follow…) is
//! one function taking a `Principal`, whoever asks: a local user, anonymous visitor, the
//! instance, or a remote actor whose activity reached the inbox.

use entity::actor::{self, ActorKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::Result;
use crate::users::CurrentUser;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    /// A local user, whatever identity they act as.
    User(CurrentUser),
    /// A remote actor, authenticated by its HTTP signature, and the id of the activity that
    /// carried its request (a `Join`, a `Follow`, an `Accept`…): answers name it.
    Remote {
        actor_id: i64,
        activity_id: String,
    },
    /// The instance itself (jobs, command line).
    System,
}

impl Principal {
    pub fn user(&self) -> Option<&CurrentUser> {
        match self {
            Principal::User(user) => Some(user),
            _ => None,
        }
    }

    /// Refuses an anonymous caller with `unauthenticated` (rather than `forbidden`: logging in
    /// may help), before any work or lock is taken for them.
    pub fn require_known(&self) -> Result<()> {
        match self {
            Principal::Anonymous => Err(crate::Error::Unauthenticated),
            _ => Ok(()),
        }
    }

    /// Refuses anyone but an instance administrator (or the instance itself); `refusal` says
    /// what only they may do.
    pub fn require_admin(&self, refusal: &str) -> Result<()> {
        self.require_known()?;
        if self.is_instance_admin() {
            Ok(())
        } else {
            Err(crate::Error::forbidden(refusal))
        }
    }

    pub fn is_instance_admin(&self) -> bool {
        match self {
            Principal::User(user) => user.is_admin(),
            Principal::System => true,
            _ => false,
        }
    }

    pub fn is_instance_moderator(&self) -> bool {
        match self {
            Principal::User(user) => user.is_moderator(),
            Principal::System => true,
            _ => false,
        }
    }

    /// The actors this principal speaks for: a user's identities, or the remote actor.
    pub async fn actor_ids(&self, conn: &impl ConnectionTrait) -> Result<Vec<i64>> {
        match self {
            Principal::User(user) => Ok(actor::Entity::find()
                .select_only()
                .column(actor::Column::Id)
                .filter(actor::Column::UserId.eq(user.id))
                .filter(actor::Column::Kind.eq(ActorKind::Person))
                .into_tuple::<i64>()
                .all(conn)
                .await?),
            Principal::Remote { actor_id, .. } => Ok(vec![*actor_id]),
            Principal::Anonymous | Principal::System => Ok(Vec::new()),
        }
    }

    /// The actor this principal acts as: one of a user's identities (`identity`, else their
    /// default one), the remote actor, or for the instance itself the local `identity` it
    /// acts for (command line, jobs). Anonymous callers are `unauthenticated`.
    pub async fn acting_actor(
        &self,
        conn: &impl ConnectionTrait,
        identity: Option<i64>,
    ) -> Result<actor::Model> {
        match self {
            Principal::User(user) => {
                crate::actors::persons::of_user::acting_as(conn, user, identity).await
            }
            Principal::Remote { actor_id, .. } => {
                let actor = crate::actors::find(conn, *actor_id).await?;
                // The inbox only builds remote principals; a local actor acts through the API.
                if actor.is_local() {
                    return Err(crate::Error::forbidden(
                        "local actors act through this instance's API",
                    ));
                }
                Ok(actor)
            }
            Principal::System => {
                let id = identity.ok_or(crate::Error::not_found("person"))?;
                let actor = crate::actors::find(conn, id).await?;
                if !actor.is_local() {
                    return Err(crate::Error::not_found("person"));
                }
                Ok(actor)
            }
            Principal::Anonymous => Err(crate::Error::Unauthenticated),
        }
    }
}

impl From<Option<CurrentUser>> for Principal {
    fn from(user: Option<CurrentUser>) -> Self {
        user.map_or(Principal::Anonymous, Principal::User)
    }
}
