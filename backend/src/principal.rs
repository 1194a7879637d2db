//! Who is acting, as services see it. The edges (GraphQL, HTML pages, the federation inbox)
//! build a `Principal`; services decide what it may do.

use entity::actor::{self, ActorKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::Result;
use crate::users::CurrentUser;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    /// A local user, whatever identity they act as.
    User(CurrentUser),
    /// A remote actor, authenticated by its HTTP signature.
    Remote {
        actor_id: i64,
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
            Principal::Remote { actor_id } => Ok(vec![*actor_id]),
            Principal::Anonymous | Principal::System => Ok(Vec::new()),
        }
    }
}

impl From<Option<CurrentUser>> for Principal {
    fn from(user: Option<CurrentUser>) -> Self {
        user.map_or(Principal::Anonymous, Principal::User)
    }
}
