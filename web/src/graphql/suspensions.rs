//! Suspensions, with Mobilizon's names: `suspendProfile(id)` (answers a `DeletedObject`, as
//! Mobilizon's) and `unsuspendProfile(id)` (answers the actor). Convive adds `reason` to
//! `suspendProfile`, kept in the action log and told to a suspended account at login. The
//! rules are in `backend::actors::suspensions`.

use async_graphql::{Context, ID, Object};
use backend::actors::suspensions;

use super::errors::{GqlResult, IntoGql};
use super::objects::{Actor, DeletedObject};
use super::{app, parse_id, principal};

#[derive(Default)]
pub struct SuspensionMutation;

#[Object]
impl SuspensionMutation {
    async fn suspend_profile(
        &self,
        ctx: &Context<'_>,
        id: ID,
        #[graphql(desc = "Convive: why, for the action log and the account's owner.")]
        reason: Option<String>,
    ) -> GqlResult<DeletedObject> {
        let id = parse_id(&id, "id")?;
        let actor = suspensions::suspend(app(ctx)?, &principal(ctx), id, reason.as_deref())
            .await
            .gql()?;
        Ok(DeletedObject::new(actor.id))
    }

    async fn unsuspend_profile(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Actor> {
        let id = parse_id(&id, "id")?;
        let actor = suspensions::unsuspend(app(ctx)?, &principal(ctx), id)
            .await
            .gql()?;
        Ok(Actor::from(actor))
    }
}
