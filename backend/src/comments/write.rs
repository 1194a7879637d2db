//! Writing comments: one function per use case, whoever writes. A local person writes as one
//! of their identities; a remote actor through the `Note` its instance sent, which names its
//! own address (kept, so that the same `Note` delivered twice is one comment).

use chrono::{DateTime, Utc};
use entity::comment;
use sea_orm::{ActiveModelTrait, NotSet, Set};

use super::policy::{self, CommentFacts};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::events::details;
use crate::outbox::{self, Happened};
use crate::principal::Principal;
use crate::rate_limits;

/// Bytes of a comment's text as written (HTML included), before it is cleaned.
pub const MAX_TEXT_BYTES: usize = 20_000;

/// What a comment answers: an event, or another comment (in the same event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Event(i64),
    /// A reply found by its parent alone, as a peer's `Note` names it.
    Reply(i64),
    /// A reply written on an event's page or through the API, which name the event too: the
    /// parent must be under that event.
    ReplyUnder {
        event: i64,
        parent: i64,
    },
}

/// A comment from another instance, as its `Note` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteNote {
    pub ap_id: String,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewComment {
    pub target: Target,
    /// HTML; cleaned before it is kept.
    pub text: String,
    pub is_announcement: bool,
    pub language: Option<String>,
    /// One of a local person's identities; their default one when absent.
    pub identity: Option<i64>,
    /// Set for a comment a remote actor sent, and only then.
    pub remote: Option<RemoteNote>,
}

/// What became of a new comment.
#[derive(Debug, Clone, PartialEq)]
pub enum Posted {
    New(comment::Model),
    /// The same `Note` came again (a retried delivery): the comment is as it was.
    Known(comment::Model),
}

impl Posted {
    pub fn comment(&self) -> &comment::Model {
        match self {
            Posted::New(c) | Posted::Known(c) => c,
        }
    }

    pub fn into_comment(self) -> comment::Model {
        match self {
            Posted::New(c) | Posted::Known(c) => c,
        }
    }
}

/// Which comment: ours by id (the API, pages), or anyone's by its address (the inbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentRef {
    Id(i64),
    ApId(String),
}

#[derive(Debug, Clone)]
pub struct CommentChanges {
    pub comment: CommentRef,
    pub text: String,
    pub is_announcement: Option<bool>,
}

/// What became of a deletion.
#[derive(Debug, Clone, PartialEq)]
pub enum Deleted {
    /// The comment is a tombstone now.
    Deleted(comment::Model),
    /// It was one already.
    AlreadyDeleted(comment::Model),
}

impl Deleted {
    pub fn comment(&self) -> &comment::Model {
        match self {
            Deleted::Deleted(c) | Deleted::AlreadyDeleted(c) => c,
        }
    }
}

/// Someone comments an event, or answers a comment. The event's comment moderation, its
/// status, the author's instance (blocked or not), the author (suspended or not) and their
/// rate of comments decide; the text is cleaned and bounded. A comment written here goes to
/// the event's audience (a `Create` of a `Note`).
pub async fn create(ctx: &AppContext, principal: &Principal, new: NewComment) -> Result<Posted> {
    principal.require_known()?;
    let text = written_text(&ctx.db, principal, &new.text).await?;
    match (principal, &new.remote) {
        (Principal::Remote { .. }, None) => {
            return Err(Error::invalid("id", "a comment from elsewhere has an id"));
        }
        (Principal::Remote { .. }, Some(_)) => {}
        (_, Some(_)) => {
            return Err(Error::forbidden(
                "only another instance names its comments' addresses",
            ));
        }
        _ => {}
    }
    if let Some(remote) = &new.remote
        && let Some(known) = super::find_by_ap_id(&ctx.db, &remote.ap_id).await?
    {
        return Ok(Posted::Known(known));
    }
    spend(ctx, principal).await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let author = principal.acting_actor(&tx, new.identity).await?;
    check_author(&tx, &author).await?;
    let (event_id, in_reply_to, origin) = match new.target {
        Target::Event(id) => (id, None, None),
        Target::Reply(parent_id)
        | Target::ReplyUnder {
            parent: parent_id, ..
        } => {
            let parent = super::find(&tx, parent_id).await?;
            if let Target::ReplyUnder { event, .. } = new.target
                && parent.event_id != event
            {
                return Err(Error::invalid(
                    "inReplyToCommentId",
                    "this comment is under another event",
                ));
            }
            if parent.deleted_at.is_some() {
                return Err(Error::rule(
                    "comment_deleted",
                    "this comment was deleted: it takes no more replies",
                ));
            }
            (
                parent.event_id,
                Some(parent.id),
                Some(parent.origin_id.unwrap_or(parent.id)),
            )
        }
    };
    let event = crate::events::find(&tx, event_id).await?;
    let access = crate::events::access(&tx, principal, &event).await?;
    let facts = crate::events::facts(&event);
    if !crate::events::policy::can_view(facts, access) {
        return Err(Error::not_found("event"));
    }
    let comment_facts = CommentFacts {
        moderation: details::of(&event).comment_moderation,
        cancelled: crate::events::is_cancelled(&event),
        draft: event.draft,
        runs_event: crate::events::policy::can_edit(facts, access),
        announcement: new.is_announcement,
        reaches_origin: new.remote.is_some() || super::origin_takes_comments(&tx, &event).await?,
    };
    if let Some(refusal) = policy::refusal(comment_facts) {
        return Err(refusal.into());
    }
    let uuid = uuid::Uuid::new_v4().to_string();
    let (ap_id, published_at) = match &new.remote {
        Some(remote) => (
            remote.ap_id.clone(),
            remote.published_at.filter(|p| *p <= now).unwrap_or(now),
        ),
        None => (ctx.url(&format!("/comments/{uuid}")), now),
    };
    let language = new
        .language
        .map(|l| l.trim().chars().take(16).collect::<String>())
        .filter(|l| !l.is_empty() && l != "und");
    let row = comment::ActiveModel {
        id: NotSet,
        uuid: Set(uuid),
        ap_id: Set(ap_id),
        event_id: Set(event.id),
        actor_id: Set(author.id),
        in_reply_to_id: Set(in_reply_to),
        origin_id: Set(origin),
        text: Set(text),
        is_announcement: Set(new.is_announcement),
        language: Set(language),
        local: Set(author.is_local()),
        published_at: Set(published_at),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    }
    .insert(&tx)
    .await?;
    if tells_peers(&row, &event) {
        let what = Happened::CommentPosted { comment_id: row.id };
        outbox::record(ctx, &tx, now, what).await?;
    }
    super::notices::queue_to_mentioned(ctx, &tx, &event, &row, &author, now).await?;
    tx.commit().await?;
    Ok(Posted::New(row))
}

/// The author changes their comment's text (and whether it is an announcement, which only
/// those who run the event make).
pub async fn update(
    ctx: &AppContext,
    principal: &Principal,
    changes: CommentChanges,
) -> Result<comment::Model> {
    principal.require_known()?;
    let text = written_text(&ctx.db, principal, &changes.text).await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let comment = resolve(&tx, &changes.comment).await?;
    let event = crate::events::find(&tx, comment.event_id).await?;
    let actor_ids = principal.actor_ids(&tx).await?;
    if !policy::can_edit(actor_ids.contains(&comment.actor_id)) {
        return Err(Error::forbidden("only its author may change a comment"));
    }
    let author = crate::actors::find(&tx, comment.actor_id).await?;
    check_author(&tx, &author).await?;
    if comment.deleted_at.is_some() {
        return Err(Error::rule(
            "comment_deleted",
            "this comment was deleted: it cannot change any more",
        ));
    }
    let mut is_announcement = comment.is_announcement;
    if let Some(wanted) = changes.is_announcement
        && wanted != comment.is_announcement
    {
        let access = crate::events::access(&tx, principal, &event).await?;
        if wanted && !crate::events::policy::can_edit(crate::events::facts(&event), access) {
            return Err(policy::Refusal::AnnouncementByOrganizers.into());
        }
        is_announcement = wanted;
    }
    let mut row: comment::ActiveModel = comment.into();
    row.text = Set(text);
    row.is_announcement = Set(is_announcement);
    row.updated_at = Set(now);
    let row = row.update(&tx).await?;
    if tells_peers(&row, &event) {
        let what = Happened::CommentUpdated { comment_id: row.id };
        outbox::record(ctx, &tx, now, what).await?;
    }
    tx.commit().await?;
    Ok(row)
}

/// The author, those who run the event or an instance moderator delete a comment: its text
/// goes, a tombstone stays in its thread. A comment written here is deleted for peers too.
pub async fn delete(ctx: &AppContext, principal: &Principal, which: CommentRef) -> Result<Deleted> {
    principal.require_known()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let comment = resolve(&tx, &which).await?;
    let event = crate::events::find(&tx, comment.event_id).await?;
    let access = crate::events::access(&tx, principal, &event).await?;
    let facts = crate::events::facts(&event);
    if !crate::events::policy::can_view(facts, access) {
        return Err(Error::not_found("comment"));
    }
    let author = principal.actor_ids(&tx).await?.contains(&comment.actor_id);
    let runs_event = crate::events::policy::can_edit(facts, access);
    if !policy::can_delete(author, runs_event, principal.is_instance_moderator()) {
        return Err(Error::forbidden(
            "only its author, the event's organizers and moderators may delete a comment",
        ));
    }
    if comment.deleted_at.is_some() {
        return Ok(Deleted::AlreadyDeleted(comment));
    }
    let before = comment.clone();
    let mut row: comment::ActiveModel = comment.into();
    row.text = Set(String::new());
    row.deleted_at = Set(Some(now));
    row.updated_at = Set(now);
    let row = row.update(&tx).await?;
    if !author && !runs_event {
        // Only the instance's moderation reached it: on the record.
        let moderator = crate::action_log::moderator_of(&tx, principal).await?;
        let object = crate::action_log::Object::comment(&before);
        let action = entity::action_log::ActionLogAction::CommentDeletion;
        crate::action_log::record(&tx, now, moderator, action, object, None).await?;
    }
    if tells_peers(&row, &event) {
        let what = Happened::CommentDeleted { comment_id: row.id };
        outbox::record(ctx, &tx, now, what).await?;
    }
    tx.commit().await?;
    Ok(Deleted::Deleted(row))
}

async fn resolve(
    conn: &impl sea_orm::ConnectionTrait,
    which: &CommentRef,
) -> Result<comment::Model> {
    match which {
        CommentRef::Id(id) => super::find(conn, *id).await,
        CommentRef::ApId(ap_id) => super::find_by_ap_id(conn, ap_id)
            .await?
            .ok_or(Error::not_found("comment")),
    }
}

/// Peers hear of the comments written here: under our events that federate, and under other
/// instances' events.
fn tells_peers(comment: &comment::Model, event: &entity::event::Model) -> bool {
    comment.local && (!event.local || crate::events::policy::federates(event))
}

/// The text as kept: cleaned like descriptions, bounded, not empty.
pub(crate) fn clean_text(raw: &str) -> Result<String> {
    if raw.len() > MAX_TEXT_BYTES {
        return Err(Error::invalid(
            "text",
            format!("a comment is at most {MAX_TEXT_BYTES} bytes long"),
        ));
    }
    let clean = crate::events::sanitize::description(raw);
    if crate::events::sanitize::plain_text(&clean).is_empty() {
        return Err(Error::invalid("text", "a comment needs some text"));
    }
    Ok(clean)
}

/// The text as kept, with the mentions a person of this instance wrote linked
/// ([`super::mentions`]). Text from elsewhere keeps the links its instance made: our names
/// are not theirs.
pub(crate) async fn written_text(
    conn: &impl sea_orm::ConnectionTrait,
    principal: &Principal,
    raw: &str,
) -> Result<String> {
    let clean = clean_text(raw)?;
    match principal {
        Principal::User(_) => super::mentions::link_known(conn, &clean).await,
        _ => Ok(clean),
    }
}

/// A suspended actor, or one of a blocked instance, writes nothing here.
pub(crate) async fn check_author(
    conn: &impl sea_orm::ConnectionTrait,
    author: &entity::actor::Model,
) -> Result<()> {
    if author.suspended {
        return Err(Error::forbidden("this account is suspended"));
    }
    if !author.is_local()
        && crate::domain_blocks::lookup::is_url_blocked(conn, &author.ap_id).await?
    {
        return Err(Error::forbidden("this instance is blocked here"));
    }
    Ok(())
}

/// One more comment from this account or remote actor (`rate_limits.comments_per_actor`).
pub(crate) async fn spend(ctx: &AppContext, principal: &Principal) -> Result<()> {
    let subject = match principal {
        Principal::User(user) => format!("user:{}", user.id),
        Principal::Remote { actor_id, .. } => format!("actor:{actor_id}"),
        Principal::Anonymous | Principal::System => return Ok(()),
    };
    let budget = ctx.settings.rate_limits.comments_per_actor;
    rate_limits::spend(ctx, "comments", &subject, budget).await?;
    Ok(())
}
