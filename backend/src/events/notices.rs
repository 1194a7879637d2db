//! What people are told about an event: its update (grouped over 30 minutes), cancellation
//! and deletion to its participants, and a new public event of a group to the group's members
//! and followers. Every message goes through a durable job; the ones that must describe the
//! event as it will be when sent are written by their job at run time.

use std::time::Duration as StdDuration;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use entity::event::{self, EventStatus, EventVisibility};
use entity::{ParticipantRole, address};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::Result;
use crate::i18n::{self, Locale, args};
use crate::identity::Identity;
use crate::jobs::{Job, JobError, JobHandler, NewJob, OnDuplicate, cancel_pending, enqueue};
use crate::mail::{self, Layout, OutgoingMail};
use crate::participations::{self, Recipient};

/// How long edits are gathered into one "event updated" mail.
pub const UPDATE_GRACE: Duration = Duration::minutes(30);
/// How long after publication a group's followers hear of a new event (quick fixes first).
pub const ANNOUNCE_DELAY: Duration = Duration::minutes(30);

pub const UPDATE_NOTICE_JOB: &str = "events.update_notice";
pub const ANNOUNCE_JOB: &str = "events.announce";

/// "Saturday 5 December 2026, 18:30 – 21:00 (Europe/Paris)".
pub fn format_when(locale: Locale, event: &event::Model) -> String {
    let tz = super::timezone(event);
    let start = event.begins_on.with_timezone(&tz);
    let mut text = locale.format_datetime(&start);
    if let Some(end) = event.ends_on {
        let end = end.with_timezone(&tz);
        if end.date_naive() == start.date_naive() {
            text.push_str(&format!(" – {}", locale.format_time(&end)));
        } else {
            text.push_str(&format!(" – {}", locale.format_datetime(&end)));
        }
    }
    format!("{text} ({})", tz.name())
}

/// The facts every mail about an event shows: when, where, online, and its link.
pub fn with_event_facts(
    layout: Layout,
    locale: Locale,
    event: &event::Model,
    address: Option<&address::Model>,
) -> Layout {
    let mut layout = layout
        .fact(i18n::text(locale, "event-title"), event.title.clone())
        .fact(i18n::text(locale, "event-when"), format_when(locale, event));
    if let Some(address) = address {
        layout = layout.fact(
            i18n::text(locale, "event-where"),
            crate::addresses::one_line(address),
        );
    }
    if let Some(online) = &event.online_address {
        layout = layout.fact(i18n::text(locale, "event-online"), online.clone());
    }
    layout
}

/// A message about `event` to `recipient`, with the event's facts and link, signed with the
/// instance's name as `instance` (the administrators' choice) says.
pub fn event_mail(
    instance: &Identity,
    recipient: &Recipient,
    event: &event::Model,
    address: Option<&address::Model>,
    key: &str,
    extra: Option<String>,
) -> OutgoingMail {
    let locale = recipient.locale;
    let a = args([
        ("title", event.title.clone()),
        ("instance", instance.name.clone()),
    ]);
    let mut layout = Layout::new(i18n::text_with(locale, &format!("{key}-title"), &a))
        .paragraph(i18n::text_with(locale, &format!("{key}-intro"), &a));
    if let Some(extra) = extra {
        layout = layout.paragraph(extra);
    }
    layout = with_event_facts(layout, locale, event, address)
        .button(i18n::text(locale, "event-open"), event.url.clone())
        .footnote(i18n::text_with(locale, "footer-participant", &a));
    build(
        instance,
        recipient,
        i18n::text_with(locale, &format!("{key}-subject"), &a),
        layout,
    )
}

/// The message to `recipient`, signed with the instance's name.
pub fn build(
    instance: &Identity,
    recipient: &Recipient,
    subject: String,
    layout: Layout,
) -> OutgoingMail {
    OutgoingMail {
        to: recipient.email.clone(),
        locale: recipient.locale,
        subject,
        text: layout.text(&instance.name),
        html: layout.html(&instance.name, recipient.locale.code()),
        attachments: Vec::new(),
    }
}

pub(crate) async fn load_address(
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<Option<address::Model>> {
    match event.physical_address_id {
        Some(id) => Ok(crate::addresses::find(conn, id).await.ok()),
        None => Ok(None),
    }
}

/// Who hears about changes: people going and people waiting for approval, not the creator.
pub(crate) const TOLD_ABOUT_CHANGES: [ParticipantRole; 4] = [
    ParticipantRole::Administrator,
    ParticipantRole::Moderator,
    ParticipantRole::Participant,
    ParticipantRole::NotApproved,
];

/// How many participants a change of the event is mailed to (those of
/// [`TOLD_ABOUT_CHANGES`]), for pages that say so before the change is made.
pub fn told_of_changes(stats: &super::ParticipantStats) -> u64 {
    TOLD_ABOUT_CHANGES
        .iter()
        .map(|role| match role {
            ParticipantRole::Administrator => stats.administrator,
            ParticipantRole::Moderator => stats.moderator,
            ParticipantRole::Participant => stats.participant,
            ParticipantRole::NotApproved => stats.not_approved,
            _ => 0,
        })
        .sum()
}

async fn queue_to_participants(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    key: &str,
    now: DateTime<Utc>,
    extra: impl Fn(Locale) -> Option<String>,
) -> Result<usize> {
    let address = load_address(conn, event).await?;
    let recipients = participations::recipients(ctx, conn, event.id, &TOLD_ABOUT_CHANGES).await?;
    let instance = ctx.instance_in(conn).await?;
    for recipient in &recipients {
        let message = event_mail(
            &instance,
            recipient,
            event,
            address.as_ref(),
            key,
            extra(recipient.locale),
        );
        mail::queue(conn, now, &message).await?;
    }
    Ok(recipients.len())
}

/// Tells participants at once that the event is cancelled.
pub async fn queue_cancelled(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    queue_to_participants(ctx, conn, event, "event-cancelled", now, |_| None).await?;
    Ok(())
}

/// Tells participants that the event was deleted (written now: the event will be gone).
pub async fn queue_deleted(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    queue_to_participants(ctx, conn, event, "event-deleted", now, |_| None).await?;
    Ok(())
}

/// The attendee-visible state of an event, kept from before a series of edits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub title: String,
    pub when: (DateTime<Utc>, Option<DateTime<Utc>>, String),
    pub place: Option<String>,
    pub online_address: Option<String>,
    pub status: EventStatus,
}

async fn snapshot(conn: &impl ConnectionTrait, event: &event::Model) -> Result<Snapshot> {
    let address = load_address(conn, event).await?;
    Ok(Snapshot {
        title: event.title.clone(),
        when: (event.begins_on, event.ends_on, event.timezone.clone()),
        place: address.as_ref().map(crate::addresses::one_line),
        online_address: event.online_address.clone(),
        status: event.status,
    })
}

#[derive(Debug, Serialize, Deserialize)]
struct UpdateNotice {
    event_id: i64,
    before: Snapshot,
}

fn update_key(event_id: i64) -> String {
    format!("event-update/{event_id}/")
}

/// Plans the "event updated" mail for 30 minutes from the first of a series of edits,
/// keeping the state from before that first edit.
pub async fn queue_update_notice(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    before: &event::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let _ = ctx;
    let payload = UpdateNotice {
        event_id: before.id,
        before: snapshot(conn, before).await?,
    };
    enqueue(
        conn,
        now,
        NewJob::new(UPDATE_NOTICE_JOB, &payload)?
            .run_at(now + UPDATE_GRACE)
            .unique(update_key(before.id), OnDuplicate::Keep),
    )
    .await?;
    Ok(())
}

pub async fn cancel_update_notice(
    conn: &impl ConnectionTrait,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    cancel_pending(conn, now, &update_key(event_id)).await?;
    Ok(())
}

/// Sends the grouped "event updated" mail, describing what changed since before the edits.
pub struct UpdateNoticeJob;

#[async_trait]
impl JobHandler for UpdateNoticeJob {
    fn kind(&self) -> &'static str {
        UPDATE_NOTICE_JOB
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let notice: UpdateNotice = serde_json::from_value(job.payload.clone())?;
        let tx = begin_write(ctx).await?;
        let Ok(event) = super::find(&tx, notice.event_id).await else {
            return Ok(());
        };
        if event.status == EventStatus::Cancelled || event.draft {
            return Ok(());
        }
        let now_state = snapshot(&tx, &event).await?;
        let before = notice.before;
        if now_state == before {
            return Ok(());
        }
        let describe = |locale: Locale| {
            let mut lines = Vec::new();
            if now_state.title != before.title {
                lines.push(i18n::text_with(
                    locale,
                    "changed-title",
                    &args([("before", before.title.clone())]),
                ));
            }
            if now_state.when != before.when {
                let (begins_on, ends_on, timezone) = before.when.clone();
                let old = event::Model {
                    begins_on,
                    ends_on,
                    timezone,
                    ..event.clone()
                };
                lines.push(i18n::text_with(
                    locale,
                    "changed-time",
                    &args([("before", format_when(locale, &old))]),
                ));
            }
            if now_state.place != before.place || now_state.online_address != before.online_address
            {
                let old = before
                    .place
                    .clone()
                    .or(before.online_address.clone())
                    .unwrap_or_else(|| "—".to_owned());
                lines.push(i18n::text_with(
                    locale,
                    "changed-place",
                    &args([("before", old)]),
                ));
            }
            if now_state.status != before.status {
                lines.push(i18n::text(
                    locale,
                    match now_state.status {
                        EventStatus::Confirmed => "changed-status-confirmed",
                        EventStatus::Tentative => "changed-status-tentative",
                        EventStatus::Cancelled => "changed-status-cancelled",
                    },
                ));
            }
            Some(lines.join("\n"))
        };
        queue_to_participants(ctx, &tx, &event, "event-updated", ctx.now(), describe).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Announcement {
    event_id: i64,
}

fn announce_key(event_id: i64) -> String {
    format!("announce/{event_id}/")
}

/// Plans the mail about a group's new public event to its members and to followers who asked
/// for it: 30 minutes after publication, or at once when the event starts sooner.
pub async fn queue_announcement(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let _ = ctx;
    if event.attributed_to_id.is_none()
        || event.visibility != EventVisibility::Public
        || event.draft
    {
        return Ok(());
    }
    let run_at = if event.begins_on <= now + ANNOUNCE_DELAY {
        now
    } else {
        now + ANNOUNCE_DELAY
    };
    enqueue(
        conn,
        now,
        NewJob::new(ANNOUNCE_JOB, &Announcement { event_id: event.id })?
            .run_at(run_at)
            .unique(announce_key(event.id), OnDuplicate::Keep),
    )
    .await?;
    Ok(())
}

pub async fn cancel_announcement(
    conn: &impl ConnectionTrait,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    cancel_pending(conn, now, &announce_key(event_id)).await?;
    Ok(())
}

/// Writes the "new event in your group" mails.
pub struct AnnounceJob;

#[async_trait]
impl JobHandler for AnnounceJob {
    fn kind(&self) -> &'static str {
        ANNOUNCE_JOB
    }

    fn retry_policy(&self) -> crate::jobs::RetryPolicy {
        crate::jobs::RetryPolicy {
            base: StdDuration::from_secs(60),
            cap: StdDuration::from_secs(3600),
        }
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError> {
        let announcement: Announcement = serde_json::from_value(job.payload.clone())?;
        let tx = begin_write(ctx).await?;
        let Ok(event) = super::find(&tx, announcement.event_id).await else {
            return Ok(());
        };
        let Some(group_id) = event.attributed_to_id else {
            return Ok(());
        };
        let now = ctx.now();
        if event.draft
            || event.visibility != EventVisibility::Public
            || event.status == EventStatus::Cancelled
            || super::is_over(&event, now)
        {
            return Ok(());
        }
        let group = crate::groups::find(&tx, group_id).await?;
        let organizer_user = crate::actors::find(&tx, event.organizer_actor_id)
            .await
            .ok()
            .and_then(|a| a.user_id);
        let address = load_address(&tx, &event).await?;
        let group_name = crate::actors::display_name(&group);
        let instance = ctx.instance_in(&tx).await?;
        for user in crate::groups::users_to_notify(&tx, group_id).await? {
            if Some(user.id) == organizer_user {
                continue;
            }
            let recipient = Recipient::from_user(ctx, &user, None);
            let locale = recipient.locale;
            let a = args([
                ("title", event.title.clone()),
                ("group", group_name.clone()),
                ("instance", instance.name.clone()),
            ]);
            let layout = Layout::new(i18n::text_with(locale, "new-group-event-title", &a))
                .paragraph(i18n::text_with(locale, "new-group-event-intro", &a));
            let layout = with_event_facts(layout, locale, &event, address.as_ref())
                .button(i18n::text(locale, "event-open"), event.url.clone())
                .footnote(i18n::text_with(locale, "footer-group", &a));
            let message = build(
                &instance,
                &recipient,
                i18n::text_with(locale, "new-group-event-subject", &a),
                layout,
            );
            mail::queue(&tx, now, &message).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
