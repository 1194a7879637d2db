//! Reminders, as each user chose (Mobilizon's settings): one hour before an event, and at 08:00
//! in the user's zone on the day of their events. Planned as durable jobs with unique keys, so
//! moving an event moves its reminders and cancelling it or leaving drops them; the jobs check
//! the facts again when they run.

use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use entity::event::{self, EventStatus};
use entity::participant::{self, ParticipantRole};
use entity::user;
use sea_orm::QueryTrait as _;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::Recipient;
use crate::context::AppContext;
use crate::error::Result;
use crate::events::notices::{build, format_when, with_event_facts};
use crate::i18n::{self, args};
use crate::jobs::{Job, JobError, JobHandler, NewJob, OnDuplicate, cancel_pending, enqueue};
use crate::mail::{self, Layout};

pub const BEFORE_EVENT_JOB: &str = "reminders.before_event";
pub const ON_DAY_JOB: &str = "reminders.on_day";
/// How long before the start the "before event" reminder goes.
pub const BEFORE_EVENT: Duration = Duration::hours(1);
/// Local time of the "on the day" reminder.
pub const ON_DAY_AT: NaiveTime = match NaiveTime::from_hms_opt(8, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

fn before_key(event_id: i64, participant_id: i64) -> String {
    format!("reminder/before/{event_id}/{participant_id}/")
}

fn on_day_key(user_id: i64, date: NaiveDate) -> String {
    format!("reminder/day/{user_id}/{date}/")
}

#[derive(Debug, Serialize, Deserialize)]
struct BeforeEvent {
    participant_id: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct OnDay {
    user_id: i64,
    date: NaiveDate,
}

/// The zone a user reads times in: theirs, else the event's.
fn zone_of(user: &user::Model, event: &event::Model) -> chrono_tz::Tz {
    user.timezone
        .as_deref()
        .and_then(|tz| tz.parse().ok())
        .unwrap_or_else(|| crate::events::timezone(event))
}

/// 08:00 on `date` in `tz` (the first valid instant when a transition skips it).
fn morning_of(tz: chrono_tz::Tz, date: NaiveDate) -> Option<DateTime<Utc>> {
    let local = date.and_time(ON_DAY_AT);
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

async fn owner(
    conn: &impl ConnectionTrait,
    participant: &participant::Model,
) -> Result<Option<user::Model>> {
    if participant.email.is_some() {
        return Ok(None);
    }
    let actor = crate::actors::find(conn, participant.actor_id).await?;
    match actor.user_id {
        Some(id) => Ok(Some(crate::users::service::find(conn, id).await?)),
        None => Ok(None),
    }
}

/// Plans the reminders of one participation, per its user's settings.
pub async fn plan(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    participant: &participant::Model,
) -> Result<()> {
    if !participant.role.is_going() || event.status == EventStatus::Cancelled || event.draft {
        return Ok(());
    }
    let Some(user) = owner(conn, participant).await? else {
        return Ok(());
    };
    let now = ctx.now();
    if user.notification_before_event {
        let at = event.begins_on - BEFORE_EVENT;
        if at > now {
            enqueue(
                conn,
                now,
                NewJob::new(
                    BEFORE_EVENT_JOB,
                    &BeforeEvent {
                        participant_id: participant.id,
                    },
                )?
                .run_at(at)
                .unique(before_key(event.id, participant.id), OnDuplicate::Replace),
            )
            .await?;
        }
    }
    if user.notification_on_day {
        let tz = zone_of(&user, event);
        let date = event.begins_on.with_timezone(&tz).date_naive();
        if let Some(at) = morning_of(tz, date)
            && at > now
            && at < event.begins_on
        {
            enqueue(
                conn,
                now,
                NewJob::new(
                    ON_DAY_JOB,
                    &OnDay {
                        user_id: user.id,
                        date,
                    },
                )?
                .run_at(at)
                .unique(on_day_key(user.id, date), OnDuplicate::Keep),
            )
            .await?;
        }
    }
    Ok(())
}

async fn going_participants(
    conn: &impl ConnectionTrait,
    event_id: i64,
) -> Result<Vec<participant::Model>> {
    Ok(participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.is_in(ParticipantRole::GOING))
        .filter(participant::Column::Email.is_null())
        .all(conn)
        .await?)
}

/// The event moved: its reminders move with it. (A morning reminder planned for the old day
/// finds nothing to say and stays silent.)
pub async fn replan_event(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<()> {
    cancel_for_event(conn, event.id, ctx.now()).await?;
    for participant in going_participants(conn, event.id).await? {
        plan(ctx, conn, event, &participant).await?;
    }
    Ok(())
}

pub async fn cancel_for_event(
    conn: &impl ConnectionTrait,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    cancel_pending(conn, now, &format!("reminder/before/{event_id}/")).await?;
    Ok(())
}

pub async fn cancel_for_participant(
    conn: &impl ConnectionTrait,
    participant: &participant::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    cancel_pending(conn, now, &before_key(participant.event_id, participant.id)).await?;
    Ok(())
}

/// A user changed their settings: their reminders follow.
pub async fn replan_user(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<()> {
    let now = ctx.now();
    cancel_pending(conn, now, &format!("reminder/day/{user_id}/")).await?;
    let upcoming = super::of_user(
        conn,
        user_id,
        None,
        Some(now),
        None,
        crate::pagination::Page::all(),
    )
    .await?;
    for (participant, event) in upcoming.elements {
        cancel_for_participant(conn, &participant, now).await?;
        plan(ctx, conn, &event, &participant).await?;
    }
    Ok(())
}

/// Sends the reminder one hour before an event.
pub struct BeforeEventReminderJob;

#[async_trait]
impl JobHandler for BeforeEventReminderJob {
    fn kind(&self) -> &'static str {
        BEFORE_EVENT_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let payload: BeforeEvent = serde_json::from_value(job.payload.clone())?;
        let Ok(participant) = super::find(&ctx.db, payload.participant_id).await else {
            return Ok(());
        };
        let event = crate::events::find(&ctx.db, participant.event_id).await?;
        let now = ctx.now();
        if !participant.role.is_going()
            || event.status == EventStatus::Cancelled
            || event.begins_on < now
        {
            return Ok(());
        }
        let Some(user) = owner(&ctx.db, &participant).await? else {
            return Ok(());
        };
        if !user.notification_before_event {
            return Ok(());
        }
        let recipient = Recipient::from_user(ctx, &user, Some(participant.id));
        let message = crate::events::notices::event_mail(
            &*ctx.instance().await?,
            &recipient,
            &event,
            match event.physical_address_id {
                Some(id) => crate::addresses::find(&ctx.db, id).await.ok(),
                None => None,
            }
            .as_ref(),
            "reminder-before",
            None,
        );
        mail::queue(&ctx.db, now, &message).await?;
        ctx.wake_workers();
        Ok(())
    }
}

/// Sends the morning reminder listing the user's events of the day.
pub struct OnDayReminderJob;

#[async_trait]
impl JobHandler for OnDayReminderJob {
    fn kind(&self) -> &'static str {
        ON_DAY_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let payload: OnDay = serde_json::from_value(job.payload.clone())?;
        let Ok(user) = crate::users::service::find(&ctx.db, payload.user_id).await else {
            return Ok(());
        };
        if !user.notification_on_day {
            return Ok(());
        }
        let now = ctx.now();
        let persons: Vec<i64> = crate::actors::persons::of_user::identities(&ctx.db, user.id)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        let joined = participant::Entity::find()
            .select_only()
            .column(participant::Column::EventId)
            .filter(participant::Column::ActorId.is_in(persons))
            .filter(participant::Column::Email.is_null())
            .filter(participant::Column::Role.is_in(ParticipantRole::GOING))
            .into_query();
        // A wide window in UTC, narrowed below to the day in each reader's zone.
        let from = payload.date.and_time(NaiveTime::MIN).and_utc() - Duration::days(1);
        let events: Vec<event::Model> = event::Entity::find()
            .filter(event::Column::Id.in_subquery(joined))
            .filter(event::Column::BeginsOn.gte(from))
            .filter(event::Column::BeginsOn.lt(from + Duration::days(3)))
            .filter(event::Column::Status.ne(EventStatus::Cancelled))
            .order_by_asc(event::Column::BeginsOn)
            .all(&ctx.db)
            .await?
            .into_iter()
            .filter(|e| {
                e.begins_on >= now
                    && e.begins_on.with_timezone(&zone_of(&user, e)).date_naive() == payload.date
            })
            .collect();
        if events.is_empty() {
            return Ok(());
        }
        let recipient = Recipient::from_user(ctx, &user, None);
        let locale = recipient.locale;
        let instance = ctx.instance().await?;
        let a = i18n::with_count(args([("instance", instance.name.clone())]), events.len());
        let mut layout = Layout::new(i18n::text_with(locale, "reminder-day-title", &a))
            .paragraph(i18n::text_with(locale, "reminder-day-intro", &a));
        if let [only] = events.as_slice() {
            let address = match only.physical_address_id {
                Some(id) => crate::addresses::find(&ctx.db, id).await.ok(),
                None => None,
            };
            layout = with_event_facts(layout, locale, only, address.as_ref())
                .button(i18n::text(locale, "event-open"), only.url.clone());
        } else {
            for event in &events {
                layout = layout.fact(event.title.clone(), format_when(locale, event));
            }
            for event in &events {
                layout = layout.button(event.title.clone(), event.url.clone());
            }
        }
        let message = build(
            &instance,
            &recipient,
            i18n::text_with(locale, "reminder-day-subject", &a),
            layout.footnote(i18n::text_with(locale, "footer-participant", &a)),
        );
        mail::queue(&ctx.db, now, &message).await?;
        ctx.wake_workers();
        Ok(())
    }
}
