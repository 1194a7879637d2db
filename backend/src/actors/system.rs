//! The instance's own actors. `anonymous` stands for people who take part in an event by email
//! without an account (Mobilizon publishes its id as `config.anonymous.actorId`, and its clients
//! send it with anonymous RSVPs). `relay` is the instance's `Application` actor for federation
//! (Mobilizon's `/relay`, FEP-2677's instance actor): it signs fetches and, later, follows
//! other instances.

use chrono::{DateTime, Utc};
use entity::actor::{self, ActorKind, ActorVisibility, Openness};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, EntityTrait, Set};

use super::LocalActorUrls;
use crate::error::{Error, Result};
use crate::settings::PublicUrl;

pub const ANONYMOUS_USERNAME: &str = "anonymous";
pub const RELAY_USERNAME: &str = "relay";

/// Creates the instance's actors if they are missing. Safe to run on several nodes at once.
pub async fn ensure(
    conn: &impl ConnectionTrait,
    public_url: &PublicUrl,
    now: DateTime<Utc>,
) -> Result<()> {
    let anonymous = LocalActorUrls::new(public_url, ANONYMOUS_USERNAME);
    insert_missing(
        conn,
        ANONYMOUS_USERNAME,
        "Anonymous",
        anonymous,
        ActorVisibility::Private,
        now,
    )
    .await?;
    // Mobilizon serves its instance actor at `/relay`, not `/@relay`; peers look for it there.
    let relay_id = public_url.join("/relay");
    let relay = LocalActorUrls {
        inbox: public_url.join("/inbox"),
        outbox: format!("{relay_id}/outbox"),
        followers: format!("{relay_id}/followers"),
        shared_inbox: public_url.join("/inbox"),
        ap_id: relay_id,
    };
    insert_missing(
        conn,
        RELAY_USERNAME,
        "Convive",
        relay,
        ActorVisibility::Public,
        now,
    )
    .await
}

async fn insert_missing(
    conn: &impl ConnectionTrait,
    username: &str,
    name: &str,
    urls: LocalActorUrls,
    visibility: ActorVisibility,
    now: DateTime<Utc>,
) -> Result<()> {
    if super::find_local_by_username(conn, username)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let row = actor::ActiveModel {
        id: NotSet,
        ap_id: Set(urls.ap_id.clone()),
        preferred_username: Set(username.to_owned()),
        domain: Set(None),
        kind: Set(ActorKind::Application),
        name: Set(Some(name.to_owned())),
        summary: Set(None),
        user_id: Set(None),
        url: Set(Some(urls.ap_id)),
        inbox_url: Set(Some(urls.inbox)),
        shared_inbox_url: Set(Some(urls.shared_inbox)),
        outbox_url: Set(Some(urls.outbox)),
        followers_url: Set(Some(urls.followers)),
        public_key_pem: Set(None),
        private_key_pem: Set(None),
        visibility: Set(visibility),
        openness: Set(Openness::InviteOnly),
        manually_approves_followers: Set(true),
        suspended: Set(false),
        physical_address_id: Set(None),
        last_refreshed_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        avatar_media_id: Set(None),
        banner_media_id: Set(None),
    };
    actor::Entity::insert(row)
        // Another node may have made it meanwhile: any unique conflict means it exists.
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The actor anonymous participants act as.
pub async fn anonymous(conn: &impl ConnectionTrait) -> Result<actor::Model> {
    super::find_local_by_username(conn, ANONYMOUS_USERNAME)
        .await?
        .filter(|a| a.kind == ActorKind::Application)
        .ok_or_else(|| Error::internal("the anonymous actor is missing"))
}

/// The instance actor.
pub async fn relay(conn: &impl ConnectionTrait) -> Result<actor::Model> {
    super::find_local_by_username(conn, RELAY_USERNAME)
        .await?
        .filter(|a| a.kind == ActorKind::Application)
        .ok_or_else(|| Error::internal("the relay actor is missing"))
}
