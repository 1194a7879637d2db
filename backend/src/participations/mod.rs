//! Participations (RSVPs): joining and leaving events, by account, anonymously by email or
//! from another instance, approval by organizers, capacity, and what participants are told
//! and reminded of. Each use case is one function taking a `Principal`: [`join`], [`leave`],
//! [`decide`]; the edges (GraphQL, pages, the inbox) translate their outcomes.

pub mod export;
pub mod join;
pub mod leave;
pub mod notices;
pub mod policy;
pub mod reminders;
pub mod service;
pub mod waitlist;

use chrono::{DateTime, Utc};
use entity::event;
use entity::participant::{self, ParticipantRole};
use entity::{actor, user};
use sea_orm::QueryTrait as _;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub use join::{JoinRequest, Joined, join, join_event};
pub use leave::{LeaveRequest, Left, leave};
pub use service::{PurgeAnonymousJob, confirm, decide};

use crate::context::AppContext;
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// Someone who receives mail about an event: a local user or an anonymous participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub locale: Locale,
    pub timezone: Option<String>,
    pub user_id: Option<i64>,
    pub participant_id: Option<i64>,
}

impl Recipient {
    pub fn from_user(ctx: &AppContext, user: &user::Model, participant_id: Option<i64>) -> Self {
        Self {
            email: user.email.clone(),
            locale: Locale::parse(&user.locale).unwrap_or_else(|| ctx.file_default_locale()),
            timezone: user.timezone.clone(),
            user_id: Some(user.id),
            participant_id,
        }
    }

    /// An anonymous participant (by email), if this participation has one.
    pub fn from_anonymous(ctx: &AppContext, participant: &participant::Model) -> Option<Self> {
        let email = participant.email.clone()?;
        Some(Self {
            email,
            locale: participant
                .locale
                .as_deref()
                .and_then(Locale::parse)
                .unwrap_or_else(|| ctx.file_default_locale()),
            timezone: participant.timezone.clone(),
            user_id: None,
            participant_id: Some(participant.id),
        })
    }
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<participant::Model> {
    participant::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("participation"))
}

/// The participation of one actor (not anonymous) in an event.
pub async fn of_actor(
    conn: &impl ConnectionTrait,
    event_id: i64,
    actor_id: i64,
) -> Result<Option<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::ActorId.eq(actor_id))
        .filter(participant::Column::Email.is_null())
        .one(conn)
        .await?)
}

/// A participation whose `Join` activity has this id: a remote person's here, or a local
/// person's of another instance's event (whose answer names it).
pub async fn find_by_join_id(
    conn: &impl ConnectionTrait,
    join_ap_id: &str,
) -> Result<Option<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::ApId.eq(join_ap_id))
        .one(conn)
        .await?)
}

/// What the rules of joining read from an event at `now`.
fn join_facts(event: &event::Model, now: DateTime<Utc>) -> policy::JoinFacts {
    policy::JoinFacts {
        join_options: event.join_options,
        status: event.status,
        over: crate::events::is_over(event, now),
        draft: event.draft,
    }
}

/// Whether the instance that runs `event` takes RSVPs: ours does; another one when its
/// software answers a `Join` ([`crate::instances::software::answers_join`], by what its
/// NodeInfo last said).
pub async fn origin_takes_rsvps(conn: &impl ConnectionTrait, event: &event::Model) -> Result<bool> {
    if event.local {
        return Ok(true);
    }
    let Some(domain) = crate::instances::software::domain_of(&event.ap_id) else {
        return Ok(false);
    };
    crate::instances::software::domain_answers_join(conn, &domain).await
}

/// What an event page offers someone ([`policy::offer`]): from the event, their
/// participation, the seats taken, how many wait in line, whether they are logged in and
/// whether the event's instance takes RSVPs ([`origin_takes_rsvps`]).
pub fn offer(
    event: &event::Model,
    now: DateTime<Utc>,
    role: Option<ParticipantRole>,
    seats_taken: u64,
    waiting: u64,
    signed_in: bool,
    origin_takes_rsvps: bool,
) -> policy::Offer {
    let full = policy::is_full(event.maximum_attendee_capacity, seats_taken);
    policy::offer(policy::OfferFacts {
        event: join_facts(event, now),
        full,
        waitlist: event.waitlist
            && event.maximum_attendee_capacity.is_some()
            && (full || waiting > 0),
        takes_anonymous: policy::takes_anonymous_participants(
            event.local,
            event.anonymous_participation,
        ),
        role,
        signed_in,
        origin_takes_rsvps,
    })
}

/// Who receives mail among the participants with `roles`: local users (through their
/// identity) and anonymous participants. Remote participants hear through their instance.
pub async fn recipients(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event_id: i64,
    roles: &[ParticipantRole],
) -> Result<Vec<Recipient>> {
    let participants = participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.is_in(roles.iter().copied()))
        .order_by_asc(participant::Column::Id)
        .all(conn)
        .await?;
    let actor_ids: Vec<i64> = participants
        .iter()
        .filter(|p| p.email.is_none())
        .map(|p| p.actor_id)
        .collect();
    let owners: std::collections::HashMap<i64, i64> = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .column(actor::Column::UserId)
        .filter(actor::Column::Id.is_in(actor_ids))
        .filter(actor::Column::UserId.is_not_null())
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let users: std::collections::HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(owners.values().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut seen_users = std::collections::HashSet::new();
    let mut out = Vec::new();
    for participant in &participants {
        if participant.email.is_some() {
            out.extend(Recipient::from_anonymous(ctx, participant));
        } else if let Some(user) = owners.get(&participant.actor_id).and_then(|u| users.get(u))
            && seen_users.insert(user.id)
        {
            out.push(Recipient::from_user(ctx, user, Some(participant.id)));
        }
    }
    Ok(out)
}

/// The recipient of mail about one participation, if it has one here.
pub async fn recipient_of(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    participant: &participant::Model,
) -> Result<Option<Recipient>> {
    if participant.email.is_some() {
        return Ok(Recipient::from_anonymous(ctx, participant));
    }
    let actor = crate::actors::find(conn, participant.actor_id).await?;
    let Some(user_id) = actor.user_id else {
        return Ok(None);
    };
    let user = crate::users::service::find(conn, user_id).await?;
    Ok(Some(Recipient::from_user(ctx, &user, Some(participant.id))))
}

/// Participants of an event with `roles` (all when empty), for those who run it.
pub async fn list(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    event: &event::Model,
    roles: &[ParticipantRole],
    page: Page,
) -> Result<Paginated<participant::Model>> {
    let access = crate::events::access(conn, principal, event).await?;
    if !crate::events::policy::can_manage_participants(crate::events::facts(event), access) {
        return Err(Error::forbidden(
            "only the organizer and the group's moderators see the participants",
        ));
    }
    let mut select = participant::Entity::find().filter(participant::Column::EventId.eq(event.id));
    if !roles.is_empty() {
        select = select.filter(participant::Column::Role.is_in(roles.iter().copied()));
    }
    let total = select.clone().count(conn).await?;
    let elements = select
        .order_by_asc(participant::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// A user's participations (all identities, or one), in events not over at `after`, soonest
/// first: Mobilizon's `loggedUser.participations`.
pub async fn of_user(
    conn: &impl ConnectionTrait,
    user_id: i64,
    actor_id: Option<i64>,
    after: Option<DateTime<Utc>>,
    before: Option<DateTime<Utc>>,
    page: Page,
) -> Result<Paginated<(participant::Model, event::Model)>> {
    let mut actors = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::UserId.eq(user_id));
    if let Some(actor_id) = actor_id {
        actors = actors.filter(actor::Column::Id.eq(actor_id));
    }
    let actor_ids: Vec<i64> = actors.into_tuple::<i64>().all(conn).await?;
    let joined = participant::Entity::find()
        .select_only()
        .column(participant::Column::EventId)
        .filter(participant::Column::ActorId.is_in(actor_ids.clone()))
        .filter(participant::Column::Email.is_null())
        .into_query();
    // An event its suspended organizer or group took away leaves their list too.
    let mut events = event::Entity::find()
        .filter(event::Column::Id.in_subquery(joined))
        .filter(event::Column::Hidden.eq(false));
    if let Some(after) = after {
        events = events.filter(
            Expr::col(event::Column::EndsOn)
                .gte(after)
                .or(Expr::col(event::Column::EndsOn)
                    .is_null()
                    .and(Expr::col(event::Column::BeginsOn).gte(after))),
        );
    }
    if let Some(before) = before {
        events = events.filter(event::Column::BeginsOn.lt(before));
    }
    let total = events.clone().count(conn).await?;
    let events = events
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    let mut by_event: std::collections::HashMap<i64, Vec<participant::Model>> =
        std::collections::HashMap::new();
    for p in participant::Entity::find()
        .filter(participant::Column::EventId.is_in(events.iter().map(|e| e.id)))
        .filter(participant::Column::ActorId.is_in(actor_ids))
        .filter(participant::Column::Email.is_null())
        .order_by_asc(participant::Column::Id)
        .all(conn)
        .await?
    {
        by_event.entry(p.event_id).or_default().push(p);
    }
    let elements = events
        .into_iter()
        .flat_map(|e| {
            by_event
                .remove(&e.id)
                .unwrap_or_default()
                .into_iter()
                .map(move |p| (p, e.clone()))
        })
        .collect();
    Ok(Paginated { total, elements })
}

#[cfg(test)]
mod tests;
