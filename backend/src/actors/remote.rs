//! Actors of other instances, cached here by the federation layer, and the key pairs of local
//! actors (made lazily: RSA generation is slow, and most identities never federate).

use chrono::{DateTime, Utc};
use entity::actor::{self, ActorKind, ActorVisibility, Openness};
use entity::remote_actor_deletion;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set, TryInsertResult,
};

use crate::error::{Error, Result};

/// What another instance tells about one of its actors.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteActor {
    pub ap_id: String,
    pub preferred_username: String,
    /// Host, with the port when it is not the default.
    pub domain: String,
    pub kind: ActorKind,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub url: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub public_key_pem: String,
    pub manually_approves_followers: bool,
    pub openness: Openness,
    /// Its `icon` and `image` there, copied here by a job (`media::remote`).
    pub avatar: Option<crate::media::RemotePicture>,
    pub banner: Option<crate::media::RemotePicture>,
}

pub async fn find_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<actor::Model>> {
    Ok(actor::Entity::find()
        .filter(actor::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

/// Stores or refreshes a remote actor. Refuses to overwrite a local actor.
pub async fn upsert(
    conn: &impl ConnectionTrait,
    remote: RemoteActor,
    now: DateTime<Utc>,
) -> Result<actor::Model> {
    let existing = match find_by_ap_id(conn, &remote.ap_id).await? {
        Some(existing) => existing,
        None => {
            if deleted_recently(conn, &remote.ap_id, now).await? {
                return Err(Error::rule(
                    "actor_deleted",
                    "its instance deleted this actor a moment ago",
                ));
            }
            // Two activities from an actor we had not met yet often arrive together (an
            // event's `Create` and its `Announce`), and both fetch it: the second insert
            // then finds the first one's row instead of failing, which the peer would only
            // retry half a minute later.
            let mut fresh = actor::ActiveModel {
                id: NotSet,
                ap_id: Set(remote.ap_id.clone()),
                user_id: Set(None),
                private_key_pem: Set(None),
                visibility: Set(ActorVisibility::Public),
                suspended: Set(false),
                physical_address_id: Set(None),
                created_at: Set(now),
                ..Default::default()
            };
            describe(&mut fresh, &remote, now);
            let inserted = actor::Entity::insert(fresh)
                .on_conflict_do_nothing_on([actor::Column::ApId])
                .exec(conn)
                .await?;
            let stored = find_by_ap_id(conn, &remote.ap_id).await?;
            match (inserted, stored) {
                (TryInsertResult::Inserted(_), Some(stored)) => {
                    plan_pictures(conn, &remote, &stored, now).await?;
                    return Ok(stored);
                }
                (_, Some(stored)) => stored,
                (_, None) => {
                    return Err(Error::internal(format!(
                        "the actor {} was neither inserted nor found",
                        remote.ap_id
                    )));
                }
            }
        }
    };
    if existing.is_local() {
        return Err(Error::forbidden(
            "a remote document cannot replace a local actor",
        ));
    }
    let mut row: actor::ActiveModel = existing.into();
    describe(&mut row, &remote, now);
    let stored = row.update(conn).await?;
    plan_pictures(conn, &remote, &stored, now).await?;
    Ok(stored)
}

/// Stores or refreshes a remote actor in a transaction of its own, so that the fetches of
/// its pictures are recorded with it.
pub async fn receive(ctx: &crate::AppContext, remote: RemoteActor) -> Result<actor::Model> {
    let tx = crate::db::begin_write(ctx).await?;
    let stored = upsert(&tx, remote, ctx.now()).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Its avatar and banner are copied here, or kept, or removed (`media::remote::plan`).
async fn plan_pictures(
    conn: &impl ConnectionTrait,
    remote: &RemoteActor,
    stored: &actor::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::media::remote::{PictureOf, actor_version, plan};
    let pictures = [
        (PictureOf::Avatar, stored.avatar_media_id, &remote.avatar),
        (PictureOf::Banner, stored.banner_media_id, &remote.banner),
    ];
    for (of, current, wanted) in pictures {
        plan(
            conn,
            now,
            of,
            stored.id,
            actor_version(stored),
            current,
            wanted.as_ref(),
        )
        .await?;
    }
    Ok(())
}

/// What the actor's document says, as of `now`.
fn describe(row: &mut actor::ActiveModel, remote: &RemoteActor, now: DateTime<Utc>) {
    row.preferred_username = Set(remote.preferred_username.to_lowercase());
    row.domain = Set(Some(remote.domain.to_ascii_lowercase()));
    row.kind = Set(remote.kind);
    row.name = Set(remote.name.clone());
    row.summary = Set(remote.summary.clone());
    row.url = Set(remote.url.clone());
    row.inbox_url = Set(Some(remote.inbox_url.clone()));
    row.shared_inbox_url = Set(remote.shared_inbox_url.clone());
    row.outbox_url = Set(remote.outbox_url.clone());
    row.followers_url = Set(remote.followers_url.clone());
    row.public_key_pem = Set(Some(remote.public_key_pem.clone()));
    row.manually_approves_followers = Set(remote.manually_approves_followers);
    row.openness = Set(remote.openness);
    row.last_refreshed_at = Set(Some(now));
    row.updated_at = Set(now);
}

/// Stores a key pair for a local actor unless it already has one (another node may have been
/// quicker), and returns the actor as stored.
pub async fn store_keys_if_missing(
    conn: &impl ConnectionTrait,
    actor_id: i64,
    public_key_pem: &str,
    private_key_pem: &str,
) -> Result<actor::Model> {
    actor::Entity::update_many()
        .col_expr(actor::Column::PublicKeyPem, Expr::value(public_key_pem))
        .col_expr(actor::Column::PrivateKeyPem, Expr::value(private_key_pem))
        .filter(actor::Column::Id.eq(actor_id))
        .filter(actor::Column::Domain.is_null())
        .filter(actor::Column::PrivateKeyPem.is_null())
        .exec(conn)
        .await?;
    super::find(conn, actor_id).await
}

/// How long an actor its instance deleted is not stored again from a document of it. A
/// document fetched just before the `Delete` arrived (to store an `Announce`d event of it,
/// say) may be stored just after it; the fetch takes at most ten seconds, the rest of the
/// activity's processing a busy moment more. Not longer: a suspension lifted there soon
/// after sends the actor again, and that must be heard.
pub const DELETION_REMEMBERED: chrono::Duration = chrono::Duration::minutes(5);

/// Whether the instance of the actor `ap_id` deleted it within [`DELETION_REMEMBERED`].
async fn deleted_recently(
    conn: &impl ConnectionTrait,
    ap_id: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(remote_actor_deletion::Entity::find()
        .filter(remote_actor_deletion::Column::ApId.eq(ap_id))
        .filter(remote_actor_deletion::Column::DeletedAt.gt(now - DELETION_REMEMBERED))
        .one(conn)
        .await?
        .is_some())
}

/// Deletions of remote actors older than [`DELETION_REMEMBERED`] (hourly, with the inbox's
/// other purges).
pub async fn purge_deletions(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let result = remote_actor_deletion::Entity::delete_many()
        .filter(remote_actor_deletion::Column::DeletedAt.lt(now - DELETION_REMEMBERED))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Remembers that the instance of `ap_id` deleted it, from `now` (a second deletion moves the
/// time on).
async fn remember_deletion(
    conn: &impl ConnectionTrait,
    ap_id: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let deletion = remote_actor_deletion::ActiveModel {
        id: NotSet,
        ap_id: Set(ap_id.to_owned()),
        deleted_at: Set(now),
    };
    remote_actor_deletion::Entity::insert(deletion)
        .on_conflict(
            OnConflict::column(remote_actor_deletion::Column::ApId)
                .update_column(remote_actor_deletion::Column::DeletedAt)
                .to_owned(),
        )
        .exec(conn)
        .await?;
    Ok(())
}

/// A remote actor deleted itself: its events and what it followed or joined here go with it,
/// and a document of it fetched before is not stored again for a while
/// ([`DELETION_REMEMBERED`]). Returns whether we knew it.
pub async fn forget(ctx: &crate::AppContext, ap_id: &str) -> Result<bool> {
    let Some(actor) = find_by_ap_id(&ctx.db, ap_id).await? else {
        remember_deletion(&ctx.db, ap_id, ctx.now()).await?;
        return Ok(false);
    };
    if actor.is_local() {
        return Err(Error::forbidden("local actors are deleted here"));
    }
    let events = entity::event::Entity::find()
        .filter(entity::event::Column::Local.eq(false))
        .filter(
            sea_orm::Condition::any()
                .add(entity::event::Column::OrganizerActorId.eq(actor.id))
                .add(entity::event::Column::AttributedToId.eq(actor.id)),
        )
        .all(&ctx.db)
        .await?;
    for event in events {
        crate::events::federated::delete_remote(ctx, &event.ap_id).await?;
    }
    let tx = crate::db::begin_write(ctx).await?;
    crate::media::remote::forget_pictures_of(&tx, ctx.now(), &[actor.id]).await?;
    // Follows, memberships and participations go by cascade.
    actor::Entity::delete_by_id(actor.id).exec(&tx).await?;
    remember_deletion(&tx, ap_id, ctx.now()).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestContext;

    fn remote(n: usize, name: &str) -> RemoteActor {
        RemoteActor {
            ap_id: format!("https://far.example/@collective{n}"),
            preferred_username: format!("Collective{n}"),
            domain: "Far.example".to_owned(),
            kind: ActorKind::Group,
            name: Some(name.to_owned()),
            summary: None,
            url: None,
            inbox_url: format!("https://far.example/@collective{n}/inbox"),
            shared_inbox_url: Some("https://far.example/inbox".to_owned()),
            outbox_url: None,
            followers_url: None,
            public_key_pem: "-----BEGIN PUBLIC KEY-----".to_owned(),
            manually_approves_followers: false,
            openness: Openness::Open,
            avatar: None,
            banner: None,
        }
    }

    #[tokio::test]
    async fn an_actor_met_through_two_activities_at_once_is_stored_once_and_both_succeed() {
        let t = TestContext::new().await;
        let now = t.ctx.now();
        for n in 0..20 {
            let (first, second) = tokio::join!(
                upsert(&t.ctx.db, remote(n, "Repair collective"), now),
                upsert(&t.ctx.db, remote(n, "Repair collective"), now),
            );
            let (first, second) = (first.expect("first"), second.expect("second"));
            assert_eq!(first.id, second.id);
            assert_eq!(first.preferred_username, format!("collective{n}"));
            assert_eq!(first.domain.as_deref(), Some("far.example"));
        }
    }

    #[tokio::test]
    async fn a_refreshed_actor_keeps_its_row_and_takes_the_new_description() {
        let t = TestContext::new().await;
        let now = t.ctx.now();
        let stored = upsert(&t.ctx.db, remote(1, "Repair collective"), now)
            .await
            .expect("store");
        let later = now + chrono::Duration::hours(1);
        let refreshed = upsert(&t.ctx.db, remote(1, "Repair café"), later)
            .await
            .expect("refresh");
        assert_eq!(refreshed.id, stored.id);
        assert_eq!(refreshed.name.as_deref(), Some("Repair café"));
        assert_eq!(refreshed.last_refreshed_at, Some(later));
        assert_eq!(refreshed.created_at, stored.created_at);
    }

    #[tokio::test]
    async fn a_document_fetched_before_the_actors_deletion_does_not_bring_it_back_for_a_while() {
        let t = TestContext::new().await;
        let before = remote(1, "Repair collective");
        upsert(&t.ctx.db, before.clone(), t.ctx.now())
            .await
            .expect("store");
        assert!(forget(&t.ctx, &before.ap_id).await.expect("forget"));
        let late = upsert(&t.ctx.db, before.clone(), t.ctx.now()).await;
        assert_eq!(
            late.map(|a| a.id).map_err(|e| e.code()),
            Err("actor_deleted")
        );
        assert!(
            find_by_ap_id(&t.ctx.db, &before.ap_id)
                .await
                .unwrap()
                .is_none()
        );

        // Once a late fetch cannot be in flight any more, the actor is heard again (its
        // instance lifted a suspension, say).
        t.clock
            .advance(DELETION_REMEMBERED + chrono::Duration::seconds(1));
        assert_eq!(purge_deletions(&t.ctx.db, t.ctx.now()).await.unwrap(), 1);
        let back = upsert(&t.ctx.db, before.clone(), t.ctx.now())
            .await
            .expect("stored again");
        assert_eq!(back.ap_id, before.ap_id);
    }

    #[tokio::test]
    async fn a_deletion_of_an_actor_never_met_is_remembered_too() {
        let t = TestContext::new().await;
        let unknown = remote(2, "Never met");
        assert!(!forget(&t.ctx, &unknown.ap_id).await.expect("forget"));
        let late = upsert(&t.ctx.db, unknown, t.ctx.now()).await;
        assert_eq!(
            late.map(|a| a.id).map_err(|e| e.code()),
            Err("actor_deleted")
        );
    }
}
