//! Asking another instance again for one of its actors (Mobilizon's `refreshProfile`), for an
//! administrator who sees an outdated name, avatar or key: a job (`federation` handles it)
//! fetches the actor anew and stores what its instance says now. A local actor is always
//! current: it is given back as it is.

use entity::actor;
use serde::{Deserialize, Serialize};

use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::Result;
use crate::jobs::{NewJob, OnDuplicate, enqueue};
use crate::principal::Principal;

/// The job's kind.
pub const REFRESH_JOB: &str = "actors.refresh";

/// The job's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshActor {
    pub actor_id: i64,
}

/// Plans a fresh fetch of actor `actor_id` when it is another instance's; administrators
/// only. Asking twice before the job ran plans it once.
pub async fn ask(ctx: &AppContext, principal: &Principal, actor_id: i64) -> Result<actor::Model> {
    principal.require_admin("only administrators refresh profiles")?;
    let tx = begin_write(ctx).await?;
    let actor = super::find(&tx, actor_id).await?;
    if actor.domain.is_some() {
        let job = NewJob::new(REFRESH_JOB, &RefreshActor { actor_id })?
            .unique(format!("{REFRESH_JOB}:{actor_id}"), OnDuplicate::Keep);
        enqueue(&tx, ctx.now(), job).await?;
    }
    tx.commit().await?;
    Ok(actor)
}

#[cfg(test)]
mod tests {
    use entity::actor::ActorKind;
    use entity::user::UserRole;

    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    use super::*;
    use crate::testing::TestContext;

    #[tokio::test]
    async fn an_administrator_has_a_remote_profile_fetched_again_once_however_often_asked() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let remote = t.remote_actor("far_person", ActorKind::Person).await;
        for _ in 0..2 {
            let asked = ask(&t.ctx, &admin.principal(), remote.id)
                .await
                .expect("asked");
            assert_eq!(asked.id, remote.id);
        }
        let key = format!("{REFRESH_JOB}:{}", remote.id);
        let job = crate::jobs::find_pending(&t.ctx.db, &key)
            .await
            .expect("jobs")
            .expect("a refresh is planned");
        assert_eq!(
            serde_json::from_value::<RefreshActor>(job.payload).expect("payload"),
            RefreshActor {
                actor_id: remote.id
            }
        );
        let planned = entity::job::Entity::find()
            .filter(entity::job::Column::Kind.eq(REFRESH_JOB))
            .count(&t.ctx.db)
            .await
            .expect("count");
        assert_eq!(planned, 1);
    }

    #[tokio::test]
    async fn a_local_profile_is_given_back_as_it_is_and_others_may_not_ask() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let alice = t.person("alice").await;
        let local = ask(&t.ctx, &admin.principal(), alice.actor.id)
            .await
            .expect("local");
        assert_eq!(local, alice.actor);
        let remote = t.remote_actor("far_person", ActorKind::Person).await;
        let refused = ask(&t.ctx, &alice.principal(), remote.id)
            .await
            .expect_err("refused");
        assert_eq!(refused.code(), "forbidden");
        let anonymous = ask(&t.ctx, &Principal::Anonymous, remote.id)
            .await
            .expect_err("refused");
        assert_eq!(anonymous.code(), "unauthenticated");
        let planned = entity::job::Entity::find()
            .filter(entity::job::Column::Kind.eq(REFRESH_JOB))
            .count(&t.ctx.db)
            .await
            .expect("count");
        assert_eq!(planned, 0, "nothing is fetched for a local actor");
        let missing = ask(&t.ctx, &admin.principal(), 999_999)
            .await
            .expect_err("missing");
        assert_eq!(missing.code(), "not_found");
    }
}
