//! What happened that other instances must hear about. Services record it here, in the
//! transaction of the change, as a `federation.publish` job; the `federation` crate turns each
//! record into activities and one delivery job per inbox. Nothing here knows ActivityStreams.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::context::AppContext;
use crate::error::Result;
use crate::jobs::{NewJob, enqueue};

/// Kind of the job that carries a [`Happened`]; its handler lives in `federation`.
pub const PUBLISH_JOB: &str = "federation.publish";

/// A fact to federate. Deleted things carry what their audience needs, since their row is gone
/// when the job runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Happened {
    EventCreated {
        event_id: i64,
    },
    EventUpdated {
        event_id: i64,
    },
    EventDeleted {
        ap_id: String,
        organizer_id: i64,
        group_id: Option<i64>,
    },
    /// A local actor accepted a remote actor's follow.
    FollowAccepted {
        follow_id: i64,
    },
}

/// Queues `what` with `conn` (the caller's transaction). Does nothing when federation is off.
pub async fn record(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    what: Happened,
) -> Result<()> {
    if !ctx.settings.federation.enabled {
        return Ok(());
    }
    enqueue(conn, now, NewJob::new(PUBLISH_JOB, &what)?).await?;
    Ok(())
}
