//! Who follows whom, as stored: the lookups that the follow use cases ([`super::follows`]),
//! the outbox, instance follows and the federation layer share. This module imports no
//! service, so each of those may.

use entity::actor;
use entity::follow;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::{Error, Result};

/// The follow of `target_id` by `follower_id`, approved or not.
pub async fn find_follow(
    conn: &impl ConnectionTrait,
    follower_id: i64,
    target_id: i64,
) -> Result<Option<follow::Model>> {
    Ok(follow::Entity::find()
        .filter(follow::Column::FollowerId.eq(follower_id))
        .filter(follow::Column::TargetId.eq(target_id))
        .one(conn)
        .await?)
}

pub async fn find_by_id(conn: &impl ConnectionTrait, id: i64) -> Result<follow::Model> {
    follow::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("follow"))
}

/// Where to deliver what `target_ids` publish: the inboxes of their approved remote followers,
/// a shared inbox once per host when the follower has one.
pub async fn follower_inboxes_elsewhere(
    conn: &impl ConnectionTrait,
    target_ids: &[i64],
) -> Result<Vec<String>> {
    let follower_ids: Vec<i64> = follow::Entity::find()
        .filter(follow::Column::TargetId.is_in(target_ids.iter().copied()))
        .filter(follow::Column::Approved.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|f| f.follower_id)
        .collect();
    let followers = actor::Entity::find()
        .filter(actor::Column::Id.is_in(follower_ids))
        .filter(actor::Column::Domain.is_not_null())
        .filter(actor::Column::Suspended.eq(false))
        .all(conn)
        .await?;
    let mut inboxes: Vec<String> = followers
        .into_iter()
        .filter_map(|f| f.shared_inbox_url.or(f.inbox_url))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// The follow of a local actor whose activity id is `ap_id` (a remote `Accept` or `Reject`
/// may name only that).
pub async fn find_local_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<follow::Model>> {
    Ok(follow::Entity::find()
        .filter(follow::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

/// Whether any local actor follows one of `actor_ids` (approved): only then do we keep what
/// they publish.
pub async fn has_local_followers(conn: &impl ConnectionTrait, actor_ids: &[i64]) -> Result<bool> {
    let follower_ids: Vec<i64> = follow::Entity::find()
        .filter(follow::Column::TargetId.is_in(actor_ids.iter().copied()))
        .filter(follow::Column::Approved.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|f| f.follower_id)
        .collect();
    Ok(actor::Entity::find()
        .filter(actor::Column::Id.is_in(follower_ids))
        .filter(actor::Column::Domain.is_null())
        .one(conn)
        .await?
        .is_some())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use entity::actor::{ActorKind, Openness};

    use super::*;
    use crate::groups::follows::{self, FollowRequest};
    use crate::groups::service::{self, NewGroup};
    use crate::principal::Principal;
    use crate::testing::TestContext;

    fn following(target_id: i64) -> FollowRequest {
        FollowRequest {
            target_id,
            ..FollowRequest::default()
        }
    }

    #[tokio::test]
    async fn what_a_group_publishes_goes_to_its_approved_followers_elsewhere_once_per_inbox() {
        let t = TestContext::new().await;
        let alice = t.person("alice").await;
        let bob = t.person("bob").await;
        let new_group = |name: &str, by_hand| NewGroup {
            preferred_username: name.to_owned(),
            openness: Some(Openness::Open),
            manually_approves_followers: Some(by_hand),
            ..NewGroup::default()
        };
        let open = service::create(&t.ctx, &alice.actor, new_group("open", false))
            .await
            .unwrap();
        let careful = service::create(&t.ctx, &alice.actor, new_group("careful", true))
            .await
            .unwrap();
        let far = t.remote_actor("far", ActorKind::Person).await;
        let farther = t.remote_actor("farther", ActorKind::Person).await;
        for follower in [&far, &farther] {
            for group in [&open, &careful] {
                let principal = Principal::Remote {
                    actor_id: follower.id,
                    activity_id: format!("{}#follows/{}", follower.ap_id, group.id),
                };
                follows::follow(&t.ctx, &principal, following(group.id))
                    .await
                    .unwrap();
            }
        }
        assert_eq!(
            follower_inboxes_elsewhere(&t.ctx.db, &[open.id])
                .await
                .unwrap(),
            ["https://far.example/inbox"],
            "one shared inbox for both"
        );
        assert!(
            follower_inboxes_elsewhere(&t.ctx.db, &[careful.id])
                .await
                .unwrap()
                .is_empty(),
            "pending followers hear nothing"
        );

        let pending = find_follow(&t.ctx.db, far.id, careful.id)
            .await
            .unwrap()
            .expect("asked");
        assert!(!pending.approved);
        assert_eq!(find_by_id(&t.ctx.db, pending.id).await.unwrap(), pending);
        let named = find_local_by_ap_id(&t.ctx.db, pending.ap_id.as_deref().unwrap())
            .await
            .unwrap();
        assert_eq!(named.map(|f| f.id), Some(pending.id));
        assert_eq!(
            find_by_id(&t.ctx.db, -1).await.expect_err("none").code(),
            "not_found"
        );

        assert!(
            !has_local_followers(&t.ctx.db, &[open.id]).await.unwrap(),
            "followers elsewhere only"
        );
        follows::follow(&t.ctx, &bob.principal(), following(open.id))
            .await
            .unwrap();
        assert!(has_local_followers(&t.ctx.db, &[open.id]).await.unwrap());
    }
}
