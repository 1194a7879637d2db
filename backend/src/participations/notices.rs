//! What participants and organizers are told about RSVPs. Written in the reader's language,
//! queued in the transaction of the change, sent by the mail job.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use entity::event;
use entity::participant::{self, ParticipantRole};
use entity::user::{self, PendingNotification};
use sea_orm::QueryTrait as _;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};

use super::Recipient;
use crate::context::AppContext;
use crate::error::Result;
use crate::events::notices::{build, with_event_facts};
use crate::i18n::{self, Locale, args};
use crate::jobs::{Job, JobError, JobHandler, NewJob, OnDuplicate, enqueue};
use crate::mail::{self, Layout, OutgoingMail};

/// A message to one participant about their participation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// They take part (free event, or anonymous participation confirmed).
    Confirmed,
    /// Their request waits for the organizer.
    Pending,
    Approved,
    Rejected,
    /// The event is full: they wait in line (the position goes with the message).
    Waitlisted,
    /// A seat freed and went to them, first in line.
    Promoted,
}

impl Notice {
    fn key(self) -> &'static str {
        match self {
            Notice::Confirmed => "participation-confirmed",
            Notice::Pending => "participation-pending",
            Notice::Approved => "participation-approved",
            Notice::Rejected => "participation-rejected",
            Notice::Waitlisted => "participation-waitlisted",
            Notice::Promoted => "participation-promoted",
        }
    }

    /// The event goes into their calendar only when they are going.
    fn attaches_calendar(self) -> bool {
        matches!(
            self,
            Notice::Confirmed | Notice::Approved | Notice::Promoted
        )
    }
}

/// What a message says beyond the event: its text's key, its buttons, whether the event goes
/// with it, and a place on the waitlist when it tells one.
struct Content<'a> {
    key: &'a str,
    buttons: Vec<(String, String)>,
    attach_calendar: bool,
    position: Option<u64>,
}

async fn compose(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    recipient: &Recipient,
    event: &event::Model,
    content: Content<'_>,
) -> Result<OutgoingMail> {
    let Content {
        key,
        buttons,
        attach_calendar,
        position,
    } = content;
    let locale = recipient.locale;
    let instance = ctx.instance_in(conn).await?;
    let mut a = args([
        ("title", event.title.clone()),
        ("instance", instance.name.clone()),
    ]);
    if let Some(position) = position {
        a.insert("position".into(), i18n::ordinal(locale, position).into());
    }
    let address = match event.physical_address_id {
        Some(id) => crate::addresses::find(conn, id).await.ok(),
        None => None,
    };
    let mut layout = Layout::new(i18n::text_with(locale, &format!("{key}-title"), &a))
        .paragraph(i18n::text_with(locale, &format!("{key}-intro"), &a));
    layout = with_event_facts(layout, locale, event, address.as_ref())
        .button(i18n::text(locale, "event-open"), event.url.clone());
    for (label, url) in buttons {
        layout = layout.button(label, url);
    }
    layout = layout.footnote(i18n::text_with(locale, "footer-participant", &a));
    let mut message = build(
        &instance,
        recipient,
        i18n::text_with(locale, &format!("{key}-subject"), &a),
        layout,
    );
    if attach_calendar {
        message
            .attachments
            .push(crate::events::calendar::attachment(ctx, conn, event).await?);
    }
    Ok(message)
}

/// Tells a participant (local user or anonymous) about their participation.
pub async fn queue_to_participant(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    participant: &participant::Model,
    notice: Notice,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(recipient) = super::recipient_of(ctx, conn, participant).await? else {
        return Ok(());
    };
    let message = compose(
        ctx,
        conn,
        &recipient,
        event,
        Content {
            key: notice.key(),
            buttons: Vec::new(),
            attach_calendar: notice.attaches_calendar(),
            position: waitlist_position(conn, participant, notice).await?,
        },
    )
    .await?;
    mail::queue(conn, now, &message).await?;
    Ok(())
}

/// Where someone told they wait stands in line.
async fn waitlist_position(
    conn: &impl ConnectionTrait,
    participant: &participant::Model,
    notice: Notice,
) -> Result<Option<u64>> {
    if notice != Notice::Waitlisted {
        return Ok(None);
    }
    super::waitlist::position(conn, participant).await
}

fn cancel_link(ctx: &AppContext, event: &event::Model, token: &str) -> String {
    ctx.url(&format!(
        "/participation/email/cancel/{}/{token}",
        event.uuid
    ))
}

/// Asks an anonymous participant to confirm their address.
pub async fn queue_anonymous_confirmation(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    participant: &participant::Model,
    token: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(recipient) = Recipient::from_anonymous(ctx, participant) else {
        return Ok(());
    };
    let link = ctx.url(&format!("/participation/email/confirm/{token}"));
    let label = i18n::text(recipient.locale, "participation-confirm-button");
    let message = compose(
        ctx,
        conn,
        &recipient,
        event,
        Content {
            key: "participation-anonymous",
            buttons: vec![(label, link)],
            attach_calendar: false,
            position: None,
        },
    )
    .await?;
    mail::queue(conn, now, &message).await?;
    Ok(())
}

/// Tells an anonymous participant that they are in (or waiting), with their way out.
pub async fn queue_to_anonymous(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    participant: &participant::Model,
    notice: Notice,
    cancel_token: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(recipient) = Recipient::from_anonymous(ctx, participant) else {
        return Ok(());
    };
    let label = i18n::text(recipient.locale, "participation-cancel-button");
    let message = compose(
        ctx,
        conn,
        &recipient,
        event,
        Content {
            key: notice.key(),
            buttons: vec![(label, cancel_link(ctx, event, cancel_token))],
            attach_calendar: notice.attaches_calendar(),
            position: waitlist_position(conn, participant, notice).await?,
        },
    )
    .await?;
    mail::queue(conn, now, &message).await?;
    Ok(())
}

/// The users who decide on participations: the organizer's account, and for a group's event
/// the accounts of its moderators and administrators.
async fn deciders(conn: &impl ConnectionTrait, event: &event::Model) -> Result<Vec<user::Model>> {
    let mut actor_ids = vec![event.organizer_actor_id];
    if let Some(group_id) = event.attributed_to_id {
        actor_ids.extend(
            entity::member::Entity::find()
                .select_only()
                .column(entity::member::Column::ActorId)
                .filter(entity::member::Column::GroupId.eq(group_id))
                .filter(entity::member::Column::Role.is_in([
                    entity::MemberRole::Moderator,
                    entity::MemberRole::Administrator,
                    entity::MemberRole::Creator,
                ]))
                .into_tuple::<i64>()
                .all(conn)
                .await?,
        );
    }
    let user_ids = entity::actor::Entity::find()
        .select_only()
        .column(entity::actor::Column::UserId)
        .filter(entity::actor::Column::Id.is_in(actor_ids))
        .filter(entity::actor::Column::UserId.is_not_null())
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(user_ids))
        .all(conn)
        .await?)
}

pub const PENDING_DIGEST_JOB: &str = "participations.pending_digest";

#[derive(Debug, Serialize, Deserialize)]
struct PendingDigest {
    user_id: i64,
}

/// Tells those who decide that a request waits, as each of them chose: at once, gathered
/// over an hour, a day or a week, or not at all.
pub async fn queue_pending_for_organizers(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    for user in deciders(conn, event).await? {
        let delay = match user.notification_pending_participation {
            PendingNotification::None => continue,
            PendingNotification::Direct => Duration::zero(),
            PendingNotification::OneHour => Duration::hours(1),
            PendingNotification::OneDay => Duration::days(1),
            PendingNotification::OneWeek => Duration::weeks(1),
        };
        enqueue(
            conn,
            now,
            NewJob::new(PENDING_DIGEST_JOB, &PendingDigest { user_id: user.id })?
                .run_at(now + delay)
                .unique(format!("pending-digest/{}/", user.id), OnDuplicate::Keep),
        )
        .await?;
    }
    let _ = ctx;
    Ok(())
}

/// Writes one mail listing the events where requests wait for this user's decision.
pub struct PendingDigestJob;

#[async_trait]
impl JobHandler for PendingDigestJob {
    fn kind(&self) -> &'static str {
        PENDING_DIGEST_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let digest: PendingDigest = serde_json::from_value(job.payload.clone())?;
        let Ok(user) = crate::users::service::find(&ctx.db, digest.user_id).await else {
            return Ok(());
        };
        let now = ctx.now();
        let waiting = events_waiting_for(&ctx.db, &user, now).await?;
        if waiting.is_empty() {
            return Ok(());
        }
        let recipient = Recipient::from_user(ctx, &user, None);
        let locale: Locale = recipient.locale;
        let total: usize = waiting.iter().map(|(_, n)| *n).sum();
        let instance = ctx.instance().await?;
        let a = i18n::with_count(args([("instance", instance.name.clone())]), total);
        let mut layout = Layout::new(i18n::text_with(locale, "pending-title", &a))
            .paragraph(i18n::text_with(locale, "pending-intro", &a));
        for (event, count) in &waiting {
            let line = i18n::text_with(
                locale,
                "pending-line",
                &i18n::with_count(args([("title", event.title.clone())]), *count),
            );
            layout = layout.button(
                line,
                ctx.url(&format!("/events/{}/participants", event.uuid)),
            );
        }
        let message = build(
            &instance,
            &recipient,
            i18n::text_with(locale, "pending-subject", &a),
            layout.footnote(i18n::text_with(locale, "footer-organizer", &a)),
        );
        mail::queue(&ctx.db, now, &message).await?;
        ctx.wake_workers();
        Ok(())
    }
}

/// Events not over where requests wait and `user` decides, with the number waiting.
async fn events_waiting_for(
    conn: &impl ConnectionTrait,
    user: &user::Model,
    now: DateTime<Utc>,
) -> Result<Vec<(event::Model, usize)>> {
    let persons: Vec<i64> = crate::actors::persons::of_user::identities(conn, user.id)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let groups: Vec<i64> = entity::member::Entity::find()
        .select_only()
        .column(entity::member::Column::GroupId)
        .filter(entity::member::Column::ActorId.is_in(persons.clone()))
        .filter(entity::member::Column::Role.is_in([
            entity::MemberRole::Moderator,
            entity::MemberRole::Administrator,
            entity::MemberRole::Creator,
        ]))
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    let waiting = participant::Entity::find()
        .select_only()
        .column(participant::Column::EventId)
        .filter(participant::Column::Role.eq(ParticipantRole::NotApproved))
        .into_query();
    let events = event::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(event::Column::OrganizerActorId.is_in(persons))
                .add(event::Column::AttributedToId.is_in(groups)),
        )
        .filter(event::Column::Id.in_subquery(waiting))
        .filter(event::Column::BeginsOn.gte(now - Duration::days(2)))
        .order_by_asc(event::Column::BeginsOn)
        .all(conn)
        .await?;
    let stats =
        crate::events::participant_stats(conn, &events.iter().map(|e| e.id).collect::<Vec<_>>())
            .await?;
    Ok(events
        .into_iter()
        .filter(|e| !crate::events::is_over(e, now))
        .map(|e| {
            let count = stats.get(&e.id).map_or(0, |s| s.not_approved);
            (e, usize::try_from(count).unwrap_or(usize::MAX))
        })
        .collect())
}
