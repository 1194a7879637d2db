//! Making a report, whoever makes it: a local person as one of their identities, a visitor
//! with an email address (when the instance allows it), or another instance through a `Flag`
//! (which names its own address, kept so that the same `Flag` delivered twice is one report).

use entity::report::{self, ReportStatus};
use entity::{comment, event, report_comment, report_event};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, NotSet, Set};

use super::policy::{self, Reporter};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::outbox::{self, Happened};
use crate::principal::Principal;
use crate::rate_limits::{self, Client};

/// Characters of what a reporter writes.
pub const MAX_CONTENT_CHARS: usize = 5_000;
/// Events and comments one report may name.
pub const MAX_EVENTS: usize = 20;
pub const MAX_COMMENTS: usize = 50;

#[derive(Debug, Clone, Default)]
pub struct NewReport {
    /// The person or group reported.
    pub reported_actor_id: i64,
    /// Some of its events (organized by it or in its name) and comments (written by it).
    pub event_ids: Vec<i64>,
    pub comment_ids: Vec<i64>,
    /// Why, in the reporter's words (plain text).
    pub content: Option<String>,
    /// Whether a report about another instance's actor may go to that instance.
    pub forward: bool,
    /// One of a local person's identities; their default one when absent.
    pub identity: Option<i64>,
    /// Without an account: where the outcome is told.
    pub email: Option<String>,
    /// Set for a report another instance sent (its `Flag`'s id), and only then.
    pub flag_id: Option<String>,
}

/// What became of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Filed {
    New(report::Model),
    /// The same `Flag` came again: the report is as it was.
    Known(report::Model),
}

impl Filed {
    pub fn report(&self) -> &report::Model {
        match self {
            Filed::New(r) | Filed::Known(r) => r,
        }
    }
}

/// Someone reports a person or group, and maybe some of its events and comments. Only what
/// the reporter may see can be named; each event and comment must be the reported actor's.
/// Reports are counted per reporter (`rate_limits.reports_per_reporter`), anonymous ones per
/// client and address too.
pub async fn create(
    ctx: &AppContext,
    principal: &Principal,
    client: &Client,
    new: NewReport,
) -> Result<Filed> {
    let reporter_kind = match principal {
        Principal::User(_) => Reporter::Account,
        Principal::Anonymous => Reporter::Anonymous,
        Principal::Remote { .. } => Reporter::Peer,
        Principal::System => Reporter::Instance,
    };
    match (reporter_kind, &new.flag_id) {
        (Reporter::Peer, None) => return Err(Error::invalid("id", "a Flag has an id")),
        (Reporter::Peer, Some(_)) | (_, None) => {}
        (_, Some(_)) => {
            return Err(Error::forbidden(
                "only another instance names its reports' addresses",
            ));
        }
    }
    let email = match (&reporter_kind, new.email.as_deref()) {
        (Reporter::Anonymous, Some(raw)) if !raw.trim().is_empty() => {
            Some(crate::users::email::normalize(raw)?)
        }
        _ => None,
    };
    let anonymous_allowed = ctx.settings.instance.anonymous_reports;
    if let Some(refusal) = policy::refusal(reporter_kind, anonymous_allowed, email.is_some(), false)
    {
        return Err(refusal.into());
    }
    let content = clean_content(new.content.as_deref())?;
    if new.event_ids.len() > MAX_EVENTS {
        return Err(Error::invalid(
            "eventsIds",
            format!("at most {MAX_EVENTS} events"),
        ));
    }
    if new.comment_ids.len() > MAX_COMMENTS {
        return Err(Error::invalid(
            "commentsIds",
            format!("at most {MAX_COMMENTS} comments"),
        ));
    }
    if let Some(flag_id) = &new.flag_id
        && let Some(known) = super::find_by_ap_id(&ctx.db, flag_id).await?
    {
        return Ok(Filed::Known(known));
    }
    spend(ctx, principal, client, email.as_deref()).await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let reporter = match reporter_kind {
        Reporter::Anonymous => crate::actors::system::anonymous(&tx).await?,
        _ => principal.acting_actor(&tx, new.identity).await?,
    };
    let reported = crate::actors::find(&tx, new.reported_actor_id)
        .await
        .map_err(|_| Error::invalid("reportedId", "no such person or group"))?;
    if reported.kind == entity::ActorKind::Application && reported.is_local() {
        return Err(Error::invalid("reportedId", "no such person or group"));
    }
    let reports_self = principal.actor_ids(&tx).await?.contains(&reported.id);
    if let Some(refusal) = policy::refusal(reporter_kind, true, true, reports_self) {
        return Err(refusal.into());
    }
    let mut event_ids = new.event_ids.clone();
    event_ids.sort_unstable();
    event_ids.dedup();
    for id in &event_ids {
        let event = crate::events::find(&tx, *id)
            .await
            .map_err(|_| Error::invalid("eventsIds", "no such event"))?;
        check_event(&tx, principal, &event, reported.id).await?;
    }
    let mut comment_ids = new.comment_ids.clone();
    comment_ids.sort_unstable();
    comment_ids.dedup();
    for id in &comment_ids {
        let comment = crate::comments::find(&tx, *id)
            .await
            .map_err(|_| Error::invalid("commentsIds", "no such comment"))?;
        check_comment(&tx, principal, &comment, reported.id).await?;
    }
    let uuid = uuid::Uuid::new_v4().to_string();
    let ap_id = match &new.flag_id {
        Some(flag_id) => flag_id.clone(),
        None => ctx.url(&format!("/reports/{uuid}")),
    };
    let local = new.flag_id.is_none();
    let row = report::ActiveModel {
        id: NotSet,
        uuid: Set(uuid),
        ap_id: Set(ap_id),
        content: Set(content),
        status: Set(ReportStatus::Open),
        reporter_actor_id: Set(reporter.id),
        reporter_email: Set(email),
        reported_actor_id: Set(reported.id),
        forward: Set(new.forward && local && !reported.is_local()),
        local: Set(local),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&tx)
    .await?;
    for event_id in event_ids {
        report_event::Entity::insert(report_event::ActiveModel {
            report_id: Set(row.id),
            event_id: Set(event_id),
        })
        .exec_without_returning(&tx)
        .await?;
    }
    for comment_id in comment_ids {
        report_comment::Entity::insert(report_comment::ActiveModel {
            report_id: Set(row.id),
            comment_id: Set(comment_id),
        })
        .exec_without_returning(&tx)
        .await?;
    }
    if row.forward {
        let what = Happened::ReportForwarded { report_id: row.id };
        outbox::record(ctx, &tx, now, what).await?;
    }
    super::notices::queue_to_moderators(ctx, &tx, &row, now).await?;
    tx.commit().await?;
    tracing::info!(report = row.id, local, "a report was filed");
    Ok(Filed::New(row))
}

/// An event named in a report must be one the reporter may see, and the reported actor's
/// (organized by it, or in its name when it is a group).
async fn check_event(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    event: &event::Model,
    reported_id: i64,
) -> Result<()> {
    let access = crate::events::access(conn, principal, event).await?;
    if !crate::events::policy::can_view(crate::events::facts(event), access) {
        return Err(Error::invalid("eventsIds", "no such event"));
    }
    if event.organizer_actor_id != reported_id && event.attributed_to_id != Some(reported_id) {
        return Err(Error::invalid(
            "eventsIds",
            "this event is not the reported person's or group's",
        ));
    }
    Ok(())
}

/// A comment named in a report must be under an event the reporter may see, and written by
/// the reported actor.
async fn check_comment(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    comment: &comment::Model,
    reported_id: i64,
) -> Result<()> {
    let event = crate::events::find(conn, comment.event_id).await?;
    if crate::comments::visible_event(conn, principal, &event)
        .await
        .is_err()
    {
        return Err(Error::invalid("commentsIds", "no such comment"));
    }
    if comment.actor_id != reported_id {
        return Err(Error::invalid(
            "commentsIds",
            "this comment is not the reported person's",
        ));
    }
    Ok(())
}

/// Trimmed, bounded plain text; `None` when empty.
fn clean_content(raw: Option<&str>) -> Result<Option<String>> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_CONTENT_CHARS {
        return Err(Error::invalid(
            "content",
            format!("at most {MAX_CONTENT_CHARS} characters"),
        ));
    }
    if text.contains('\0') {
        return Err(Error::invalid("content", "text may not contain U+0000"));
    }
    Ok(Some(text.to_owned()))
}

/// One more report from this account, remote actor, or (anonymous) client and address.
async fn spend(
    ctx: &AppContext,
    principal: &Principal,
    client: &Client,
    email: Option<&str>,
) -> Result<()> {
    let budget = ctx.settings.rate_limits.reports_per_reporter;
    let subject = match principal {
        Principal::User(user) => format!("user:{}", user.id),
        Principal::Remote { actor_id, .. } => format!("actor:{actor_id}"),
        Principal::Anonymous => {
            rate_limits::spend_for_client(ctx, "reports.client", client, budget).await?;
            match email {
                Some(email) => format!("email:{email}"),
                None => return Ok(()),
            }
        }
        Principal::System => return Ok(()),
    };
    rate_limits::spend(ctx, "reports", &subject, budget).await?;
    Ok(())
}
