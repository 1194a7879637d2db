//! An RSVP rush: 10 000 distinct members join 20 events at once through `joinEvent`, 64 at a
//! time, as when a popular event opens. Seats are fewer than members, so some answers are
//! `event_full`; any other error counts as one, and afterwards every event must hold exactly
//! its capacity (or everyone who asked, if fewer), each member at most once.
//!
//! The members are made in bulk (one real account's password hash copied to the others: their
//! passwords are never typed; sessions and tokens issued as a login issues them): hashing
//! 10 000 passwords would take the machine minutes and measure nothing of the rush. Their
//! identities and the events go through the services.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use backend::AppContext;
use backend::principal::Principal;
use chrono::Duration as Span;
use entity::session::SessionKind;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set, TransactionTrait};
use serde_json::json;

use super::load;
use super::seed::{self, Lcg, Person};

/// Members who take part, and the events they rush to.
pub struct Plan {
    pub members: usize,
    pub events: usize,
    pub seats_per_event: i32,
}

impl Plan {
    pub fn for_options(options: &super::Options) -> Self {
        if options.tiny {
            Self {
                members: 200,
                events: 4,
                seats_per_event: 40,
            }
        } else {
            Self {
                members: 10_000,
                events: 20,
                seats_per_event: 400,
            }
        }
    }
}

/// The rush, ready to run against a server on the same database.
pub struct Prepared {
    /// Access token and identity of each member, in the order they ask.
    pub members: Vec<(String, i64)>,
    pub event_ids: Vec<i64>,
    pub seats_per_event: i32,
    pub took: std::time::Duration,
}

/// Makes the events (through the services, organized by `organizer`) and the members.
pub async fn prepare(
    ctx: &AppContext,
    organizer: &Person,
    plan: &Plan,
) -> anyhow::Result<Prepared> {
    let started = Instant::now();
    let mut rng = Lcg::new(4242);
    let mut event_ids = Vec::with_capacity(plan.events);
    for i in 0..plan.events {
        let mut new = seed::new_event(
            &mut rng,
            organizer.actor_id,
            None,
            ctx.now() + Span::days(30 + i as i64),
            i,
        );
        new.options.maximum_attendee_capacity = Some(plan.seats_per_event);
        let event =
            backend::events::service::create(ctx, &Principal::User(organizer.user.clone()), new)
                .await?;
        event_ids.push(event.id);
    }

    // Accounts in bulk, as confirmed ones, with the organizer's password hash.
    let template = entity::user::Entity::find_by_id(organizer.user.id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the organizer's account is gone"))?;
    let emails: Vec<String> = (0..plan.members)
        .map(|i| format!("rush{i}@bench.example"))
        .collect();
    for chunk in emails.chunks(500) {
        let tx = ctx.db.begin().await?;
        for email in chunk {
            let mut row = template.clone().into_active_model();
            row.id = sea_orm::ActiveValue::NotSet;
            row.email = Set(email.clone());
            row.default_actor_id = Set(None);
            row.insert(&tx).await?;
        }
        tx.commit().await?;
    }
    // Identities through the service, a few at a time.
    let actors = seed::in_parallel("rush identities", plan.members, 4, |i| {
        let email = emails[i].clone();
        async move {
            let actor = backend::actors::persons::register(
                ctx,
                &Principal::System,
                &email,
                None,
                backend::actors::persons::NewPerson {
                    preferred_username: format!("rush{i}"),
                    name: Some(format!("Rush {i}")),
                    summary: None,
                },
            )
            .await?;
            Ok(actor)
        }
    })
    .await?;
    // An API session each, as a login opens one.
    let now = ctx.now();
    let ttl = Span::days(ctx.settings.auth.refresh_token_days);
    let token_ttl = Span::minutes(ctx.settings.auth.access_token_minutes);
    let mut members = Vec::with_capacity(plan.members);
    for chunk in actors.chunks(500) {
        let tx = ctx.db.begin().await?;
        for actor in chunk {
            let user_id = actor
                .user_id
                .ok_or_else(|| anyhow::anyhow!("an identity without its account"))?;
            let issued =
                backend::users::sessions::create(&tx, user_id, SessionKind::Api, now, ttl).await?;
            let token = backend::users::tokens::issue_access_token(
                &ctx.secrets.token_signing_key,
                user_id,
                issued.session.id,
                now,
                token_ttl,
            )?;
            members.push((token, actor.id));
        }
        tx.commit().await?;
    }
    Ok(Prepared {
        members,
        event_ids,
        seats_per_event: plan.seats_per_event,
        took: started.elapsed(),
    })
}

/// The requests of the rush: member `k` joins event `k mod events`; each member asks once,
/// and a connection stops when every member has asked.
pub fn requests(host: &str, prepared: &Prepared) -> Arc<load::RequestFn> {
    let next = AtomicUsize::new(0);
    let members = prepared.members.clone();
    let events = prepared.event_ids.clone();
    let host = host.to_owned();
    Arc::new(move |_, _| {
        let k = next.fetch_add(1, Ordering::Relaxed);
        let Some((token, actor_id)) = members.get(k) else {
            return Vec::new();
        };
        let body = json!({
            "query": "mutation($e: ID!, $a: ID) { joinEvent(eventId: $e, actorId: $a) { id role } }",
            "variables": {
                "e": events[k % events.len()].to_string(),
                "a": actor_id.to_string(),
            }
        });
        load::post_json(&host, "/graphql", &body.to_string(), Some(token))
    })
}

/// A join, or the one refusal a rush expects.
pub fn joined_or_full(status: u16, body: &[u8]) -> bool {
    if super::graphql_ok(status, body) {
        return true;
    }
    let Ok(answer) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    answer["errors"].as_array().is_some_and(|errors| {
        !errors.is_empty()
            && errors
                .iter()
                .all(|e| e["extensions"]["code"] == "event_full" || e["code"] == "event_full")
    })
}

/// Whether each event holds exactly its capacity (or all who asked): the problem found, if
/// any. (A member asks once, so none can be seated twice.)
pub async fn check_seats(
    db: &sea_orm::DatabaseConnection,
    prepared: &Prepared,
) -> anyhow::Result<Option<String>> {
    let events = prepared.event_ids.len();
    for (e, &event_id) in prepared.event_ids.iter().enumerate() {
        let asked = (0..prepared.members.len())
            .filter(|k| k % events == e)
            .count() as u64;
        let stats = backend::events::participant_stats(db, &[event_id]).await?;
        // Only participants take seats; the organizer is there by right.
        let going = stats.get(&event_id).map_or(0, |s| s.participant);
        let expected = (prepared.seats_per_event as u64).min(asked);
        if going != expected {
            return Ok(Some(format!(
                "event {event_id}: {going} participants where {expected} were expected"
            )));
        }
    }
    Ok(None)
}
