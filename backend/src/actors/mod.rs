//! Actors: the identities (persons) of local users, and what all actors share — usernames,
//! addresses on this instance, lookups. Groups have their own module; remote actors are cached
//! here by the federation layer.

pub mod persons;
pub mod profile;
pub mod refresh;
pub mod remote;
pub mod summary;
pub mod suspensions;
pub mod system;
pub mod updated;
pub mod username;

use entity::actor::{self, ActorKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::{Error, Result};
use crate::settings::PublicUrl;

/// The addresses of a local actor, derived from its username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalActorUrls {
    pub ap_id: String,
    pub inbox: String,
    pub outbox: String,
    pub followers: String,
    pub shared_inbox: String,
}

impl LocalActorUrls {
    pub fn new(public_url: &PublicUrl, username: &str) -> Self {
        let ap_id = public_url.join(&format!("/@{username}"));
        Self {
            inbox: format!("{ap_id}/inbox"),
            outbox: format!("{ap_id}/outbox"),
            followers: format!("{ap_id}/followers"),
            shared_inbox: public_url.join("/inbox"),
            ap_id,
        }
    }
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<actor::Model> {
    actor::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("actor"))
}

/// A local actor of any kind by username.
pub async fn find_local_by_username(
    conn: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<actor::Model>> {
    Ok(actor::Entity::find()
        .filter(actor::Column::PreferredUsername.eq(username.to_ascii_lowercase()))
        .filter(actor::Column::Domain.is_null())
        .one(conn)
        .await?)
}

/// An actor by `name` (local) or `name@host` (remote, already known here). A leading `@` is
/// accepted; a host naming this instance means a local actor.
pub async fn find_by_handle(
    conn: &impl ConnectionTrait,
    handle: &str,
) -> Result<Option<actor::Model>> {
    let handle = handle.trim().trim_start_matches('@');
    match handle.split_once('@') {
        None => find_local_by_username(conn, handle).await,
        Some((name, host)) => {
            let by_domain = actor::Entity::find()
                .filter(actor::Column::PreferredUsername.eq(name.to_ascii_lowercase()))
                .filter(actor::Column::Domain.eq(host.to_ascii_lowercase()))
                .one(conn)
                .await?;
            match by_domain {
                Some(actor) => Ok(Some(actor)),
                // Our own host written out: look locally.
                None => {
                    let local = find_local_by_username(conn, name).await?;
                    Ok(local.filter(|a| {
                        a.ap_id
                            .split("://")
                            .nth(1)
                            .and_then(|rest| rest.split('/').next())
                            .is_some_and(|h| h.eq_ignore_ascii_case(host))
                    }))
                }
            }
        }
    }
}

/// A local actor of `kind` by username, or `not_found`.
pub async fn find_local(
    conn: &impl ConnectionTrait,
    username: &str,
    kind: ActorKind,
) -> Result<actor::Model> {
    find_local_by_username(conn, username)
        .await?
        .filter(|a| a.kind == kind && !a.suspended)
        .ok_or(Error::not_found(match kind {
            ActorKind::Person => "person",
            ActorKind::Group => "group",
            ActorKind::Application => "actor",
        }))
}

/// `name@host` for display: the username alone for local actors.
pub fn handle(actor: &actor::Model) -> String {
    match &actor.domain {
        Some(domain) => format!("{}@{}", actor.preferred_username, domain),
        None => actor.preferred_username.clone(),
    }
}

/// The name to show: display name, else username.
pub fn display_name(actor: &actor::Model) -> String {
    actor
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| actor.preferred_username.clone())
}

/// Several actors by id, in one query.
pub async fn find_many(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, actor::Model>> {
    if ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    Ok(actor::Entity::find()
        .filter(actor::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}
