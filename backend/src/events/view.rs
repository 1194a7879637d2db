//! One event as someone may see it, named by its uuid as pages and links name it: whether
//! they may see it is checked once, and what showing it needs comes with it.

use entity::event;
use sea_orm::ConnectionTrait;

use super::policy::{self, Access};
use super::{ParticipantStats, access, facts, find_by_uuid, participant_stats};
use crate::error::{Error, Result};
use crate::principal::Principal;

/// An event `principal` may see, how they relate to it, and its participant counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewed {
    pub event: event::Model,
    pub access: Access,
    pub stats: ParticipantStats,
}

/// The event `uuid` as `principal` sees it; `not_found` when they may not (its existence
/// stays hidden).
pub async fn view(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    uuid: &str,
) -> Result<Viewed> {
    let event = find_by_uuid(conn, uuid).await?;
    let access = access(conn, principal, &event).await?;
    if !policy::can_view(facts(&event), access) {
        return Err(Error::not_found("event"));
    }
    let stats = participant_stats(conn, &[event.id])
        .await?
        .remove(&event.id)
        .unwrap_or_default();
    Ok(Viewed {
        event,
        access,
        stats,
    })
}
