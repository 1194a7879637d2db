//! The instance itself: values it generates for itself on first start and keeps in the
//! database (so every node of a cluster, and every restart, sees the same ones).

use base64::Engine;
use chrono::{DateTime, Utc};
use entity::instance_setting;
use rand::RngCore;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::error::{Error, Result};

const TOKEN_SIGNING_KEY: &str = "auth.token_signing_key";

/// Secrets used by the instance at run time.
#[derive(Clone)]
pub struct InstanceSecrets {
    pub token_signing_key: Vec<u8>,
}

impl std::fmt::Debug for InstanceSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InstanceSecrets(..)")
    }
}

impl InstanceSecrets {
    /// Uses the configured signing key, or the one stored in the database, creating it on the
    /// very first start.
    pub async fn load(
        db: &impl ConnectionTrait,
        configured: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let token_signing_key = match configured {
            Some(secret) => secret.as_bytes().to_vec(),
            None => {
                let stored = get_or_create(db, TOKEN_SIGNING_KEY, now, || {
                    let mut bytes = [0u8; 64];
                    rand::rng().fill_bytes(&mut bytes);
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                })
                .await?;
                base64::engine::general_purpose::STANDARD
                    .decode(stored)
                    .map_err(Error::internal)?
            }
        };
        Ok(Self { token_signing_key })
    }
}

/// Returns the stored value of `key`, storing `make()` first if there is none. Safe when
/// several nodes start at once: the first insert wins and everyone reads it back.
pub async fn get_or_create(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
    make: impl FnOnce() -> String,
) -> Result<String> {
    if let Some(existing) = instance_setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
    {
        return Ok(existing.value);
    }
    let candidate = instance_setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(make()),
        updated_at: Set(now),
    };
    instance_setting::Entity::insert(candidate)
        .on_conflict(
            OnConflict::column(instance_setting::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    instance_setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|row| row.value)
        .ok_or_else(|| Error::internal(format!("instance setting {key} vanished")))
}

/// What NodeInfo reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Confirmed local accounts.
    pub users: u64,
    /// Published local events.
    pub local_events: u64,
}

pub async fn usage(conn: &impl ConnectionTrait) -> Result<Usage> {
    use entity::{event, user};
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    let users = user::Entity::find()
        .filter(user::Column::ConfirmedAt.is_not_null())
        .count(conn)
        .await?;
    // NodeInfo's `localPosts`.
    let local_events = event::Entity::find()
        .filter(event::Column::Local.eq(true))
        .filter(event::Column::Draft.eq(false))
        .count(conn)
        .await?;
    Ok(Usage {
        users,
        local_events,
    })
}
