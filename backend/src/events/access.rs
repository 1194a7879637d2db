//! How the caller relates to events: organizer, role in the event's group, participation,
//! and whether an owner is suspended. Read for a whole list at once (a few statements whatever
//! its length), so that a list of events asking it of each costs no statement per event.

use std::collections::{HashMap, HashSet};

use entity::event;
use entity::participant::{self, ParticipantRole};
use entity::{actor, member};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::policy::Access;
use crate::error::Result;
use crate::principal::Principal;

/// How `principal` relates to each of `events`, by event id.
pub async fn access_to_many(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    events: &[event::Model],
) -> Result<HashMap<i64, Access>> {
    if events.is_empty() {
        return Ok(HashMap::new());
    }
    let actor_ids = principal.actor_ids(conn).await?;
    let owners: HashSet<i64> = events
        .iter()
        .flat_map(|e| [Some(e.organizer_actor_id), e.attributed_to_id])
        .flatten()
        .collect();
    let suspended: HashSet<i64> = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::Id.is_in(owners))
        .filter(actor::Column::Suspended.eq(true))
        .into_tuple::<i64>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mut group_roles = HashMap::new();
    let mut participant_roles = HashMap::new();
    if !actor_ids.is_empty() {
        let groups: HashSet<i64> = events.iter().filter_map(|e| e.attributed_to_id).collect();
        if !groups.is_empty() {
            let memberships = member::Entity::find()
                .filter(member::Column::GroupId.is_in(groups))
                .filter(member::Column::ActorId.is_in(actor_ids.iter().copied()))
                .all(conn)
                .await?;
            for m in memberships {
                let strongest = group_roles.entry(m.group_id).or_insert(m.role);
                if m.role.rank() > strongest.rank() {
                    *strongest = m.role;
                }
            }
        }
        let participations = participant::Entity::find()
            .filter(participant::Column::EventId.is_in(events.iter().map(|e| e.id)))
            .filter(participant::Column::ActorId.is_in(actor_ids.iter().copied()))
            .filter(participant::Column::Email.is_null())
            .all(conn)
            .await?;
        for p in participations {
            let strongest = participant_roles.entry(p.event_id).or_insert(p.role);
            if rank(p.role) > rank(*strongest) {
                *strongest = p.role;
            }
        }
    }
    Ok(events
        .iter()
        .map(|e| {
            let owner_suspended = suspended.contains(&e.organizer_actor_id)
                || e.attributed_to_id.is_some_and(|g| suspended.contains(&g));
            let mut access = Access {
                instance_moderator: principal.is_instance_moderator(),
                owner_suspended,
                ..Access::default()
            };
            if !actor_ids.is_empty() {
                access.organizer = actor_ids.contains(&e.organizer_actor_id);
                access.group_role = e
                    .attributed_to_id
                    .and_then(|g| group_roles.get(&g).copied());
                access.participant_role = participant_roles.get(&e.id).copied();
            }
            (e.id, access)
        })
        .collect())
}

/// Orders participations by power, for "the strongest of my identities' participations".
fn rank(role: ParticipantRole) -> u8 {
    match role {
        ParticipantRole::Creator => 6,
        ParticipantRole::Administrator => 5,
        ParticipantRole::Moderator => 4,
        ParticipantRole::Participant => 3,
        ParticipantRole::NotApproved => 2,
        ParticipantRole::NotConfirmed => 1,
        ParticipantRole::Waitlisted | ParticipantRole::Rejected => 0,
    }
}
