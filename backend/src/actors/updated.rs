//! Saving a local actor's profile: peers hear of it only when something they show changed.

use chrono::{DateTime, Utc};
use entity::actor;
use sea_orm::{ActiveModelTrait, ConnectionTrait};

use crate::context::AppContext;
use crate::error::Result;
use crate::outbox::{self, Happened};

/// Writes `active` (whose `updated_at` is `now`) and records `ActorUpdated` when the saved row
/// differs from `before` in more than its `updated_at`.
pub async fn save(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    before: actor::Model,
    active: actor::ActiveModel,
) -> Result<actor::Model> {
    let updated = active.update(conn).await?;
    if updated
        != (actor::Model {
            updated_at: now,
            ..before
        })
    {
        let actor_id = updated.id;
        outbox::record(ctx, conn, now, Happened::ActorUpdated { actor_id }).await?;
    }
    Ok(updated)
}
