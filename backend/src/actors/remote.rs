//! Actors of other instances, cached here by the federation layer, and the key pairs of local
//! actors (made lazily: RSA generation is slow, and most identities never federate).

use chrono::{DateTime, Utc};
use entity::actor::{self, ActorKind, ActorVisibility, Openness};
use sea_orm::TryIntoModel as _;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
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
    let existing = find_by_ap_id(conn, &remote.ap_id).await?;
    if existing.as_ref().is_some_and(actor::Model::is_local) {
        return Err(Error::forbidden(
            "a remote document cannot replace a local actor",
        ));
    }
    let mut row = match existing {
        Some(existing) => existing.into(),
        None => actor::ActiveModel {
            id: NotSet,
            ap_id: Set(remote.ap_id.clone()),
            user_id: Set(None),
            private_key_pem: Set(None),
            visibility: Set(ActorVisibility::Public),
            suspended: Set(false),
            physical_address_id: Set(None),
            created_at: Set(now),
            ..Default::default()
        },
    };
    row.preferred_username = Set(remote.preferred_username.to_lowercase());
    row.domain = Set(Some(remote.domain.to_ascii_lowercase()));
    row.kind = Set(remote.kind);
    row.name = Set(remote.name);
    row.summary = Set(remote.summary);
    row.url = Set(remote.url);
    row.inbox_url = Set(Some(remote.inbox_url));
    row.shared_inbox_url = Set(remote.shared_inbox_url);
    row.outbox_url = Set(remote.outbox_url);
    row.followers_url = Set(remote.followers_url);
    row.public_key_pem = Set(Some(remote.public_key_pem));
    row.manually_approves_followers = Set(remote.manually_approves_followers);
    row.openness = Set(remote.openness);
    row.last_refreshed_at = Set(Some(now));
    row.updated_at = Set(now);
    Ok(row.save(conn).await?.try_into_model()?)
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

/// A remote actor deleted itself: its events and what it followed or joined here go with it.
/// Returns whether we knew it.
pub async fn forget(ctx: &crate::AppContext, ap_id: &str) -> Result<bool> {
    let Some(actor) = find_by_ap_id(&ctx.db, ap_id).await? else {
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
    // Follows, memberships and participations go by cascade.
    actor::Entity::delete_by_id(actor.id).exec(&ctx.db).await?;
    Ok(true)
}
