//! Comments under events: threads of a comment and its replies, written here or on another
//! instance. Each use case is one function taking a `Principal`, whoever writes: [`create`],
//! [`update`], [`delete`] (a local person through the API or a page, a remote actor through
//! the `Note` its instance sent). Reading: [`threads_of`], [`thread`]. Rules in [`policy`].

pub mod mentions;
mod notices;
pub mod policy;
mod write;

use std::collections::HashMap;

use entity::comment;
use entity::event;
use entity::participant::{self, ParticipantRole};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub use write::{
    CommentChanges, CommentRef, Deleted, MAX_TEXT_BYTES, NewComment, Posted, RemoteNote, Target,
    create, delete, update,
};
pub(crate) use write::{check_author, clean_text, spend, written_text};

use crate::error::{Error, Result};
use crate::principal::Principal;

/// Comments of one event read at most (the oldest first): a page stays bounded whatever a
/// thread grows to.
pub const MAX_LISTED: u64 = 1000;

/// Whether a comment written here on `event` reaches the event's instance: ours does; another
/// when its software takes replies from elsewhere
/// ([`crate::instances::software::takes_replies`], by what its NodeInfo last said).
pub async fn origin_takes_comments(
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<bool> {
    if event.local {
        return Ok(true);
    }
    let Some(domain) = crate::instances::software::domain_of(&event.ap_id) else {
        return Ok(true);
    };
    crate::instances::software::domain_takes_replies(conn, &domain).await
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<comment::Model> {
    comment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("comment"))
}

pub async fn find_by_uuid(conn: &impl ConnectionTrait, uuid: &str) -> Result<comment::Model> {
    comment::Entity::find()
        .filter(comment::Column::Uuid.eq(uuid.trim().to_ascii_lowercase()))
        .one(conn)
        .await?
        .ok_or(Error::not_found("comment"))
}

pub async fn find_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<comment::Model>> {
    Ok(comment::Entity::find()
        .filter(comment::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

/// A comment if `principal` may see the event it is under; `not_found` otherwise.
pub async fn find_visible(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> Result<comment::Model> {
    let comment = find(conn, id).await?;
    let event = crate::events::find(conn, comment.event_id).await?;
    visible_event(conn, principal, &event).await?;
    Ok(comment)
}

/// `not_found` unless `principal` may see `event`.
pub async fn visible_event(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    event: &event::Model,
) -> Result<()> {
    let access = crate::events::access(conn, principal, event).await?;
    if crate::events::policy::can_view(crate::events::facts(event), access) {
        Ok(())
    } else {
        Err(Error::not_found("event"))
    }
}

/// A comment that starts a thread, and the thread's replies in the order they were written.
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    pub root: comment::Model,
    pub replies: Vec<comment::Model>,
}

impl Thread {
    /// Replies still standing (tombstones are not counted).
    pub fn total_replies(&self) -> usize {
        self.replies
            .iter()
            .filter(|r| r.deleted_at.is_none())
            .count()
    }
}

/// The threads of an event, oldest first, in one query, without what suspended actors wrote. A deleted comment stays as a
/// tombstone while replies still stand under it, and goes from the list when none does.
pub async fn threads_of(conn: &impl ConnectionTrait, event_id: i64) -> Result<Vec<Thread>> {
    let all = comment::Entity::find()
        .filter(comment::Column::EventId.eq(event_id))
        .filter(comment::Column::ActorId.not_in_subquery(crate::events::suspended_actors()))
        .order_by_asc(comment::Column::PublishedAt)
        .order_by_asc(comment::Column::Id)
        .limit(MAX_LISTED)
        .all(conn)
        .await?;
    Ok(assemble(all))
}

fn assemble(all: Vec<comment::Model>) -> Vec<Thread> {
    let mut threads: Vec<Thread> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut replies = Vec::new();
    for c in all {
        match c.origin_id {
            None => {
                index.insert(c.id, threads.len());
                threads.push(Thread {
                    root: c,
                    replies: Vec::new(),
                });
            }
            Some(_) => replies.push(c),
        }
    }
    for reply in replies {
        if let Some(&i) = reply.origin_id.and_then(|o| index.get(&o)) {
            threads[i].replies.push(reply);
        }
    }
    threads.retain(|t| t.root.deleted_at.is_none() || t.total_replies() > 0);
    threads
}

/// The replies of the thread started by `root_id` (Mobilizon's `thread`), oldest first.
pub async fn thread(conn: &impl ConnectionTrait, root_id: i64) -> Result<Vec<comment::Model>> {
    Ok(comment::Entity::find()
        .filter(comment::Column::OriginId.eq(root_id))
        .filter(comment::Column::ActorId.not_in_subquery(crate::events::suspended_actors()))
        .order_by_asc(comment::Column::PublishedAt)
        .order_by_asc(comment::Column::Id)
        .limit(MAX_LISTED)
        .all(conn)
        .await?)
}

/// Where a comment goes, besides the public: the instances of those who follow the event's
/// organizer or group and of its remote participants, the remote authors of the thread it
/// answers, the people it mentions, and the instance of a remote event's owner. Shared
/// inboxes once per host.
pub async fn audience(
    conn: &impl ConnectionTrait,
    comment: &comment::Model,
) -> Result<Vec<String>> {
    let event = crate::events::find(conn, comment.event_id).await?;
    let owners: Vec<i64> = [Some(event.organizer_actor_id), event.attributed_to_id]
        .into_iter()
        .flatten()
        .collect();
    let mut inboxes = crate::groups::followers::follower_inboxes_elsewhere(conn, &owners).await?;
    let mut actor_ids: Vec<i64> = participant::Entity::find()
        .select_only()
        .column(participant::Column::ActorId)
        .filter(participant::Column::EventId.eq(event.id))
        .filter(participant::Column::Role.is_in(ParticipantRole::GOING))
        .into_tuple()
        .all(conn)
        .await?;
    let thread_ids: Vec<i64> = [comment.in_reply_to_id, comment.origin_id]
        .into_iter()
        .flatten()
        .collect();
    if !thread_ids.is_empty() {
        let authors: Vec<i64> = comment::Entity::find()
            .select_only()
            .column(comment::Column::ActorId)
            .filter(comment::Column::Id.is_in(thread_ids))
            .into_tuple()
            .all(conn)
            .await?;
        actor_ids.extend(authors);
    }
    if !event.local {
        actor_ids.extend(owners);
    }
    let actors = crate::actors::find_many(conn, &actor_ids).await?;
    // The people it mentions elsewhere hear of it, as Mastodon and Mobilizon tell them.
    let mentioned = mentions::mentioned(conn, &comment.text).await?;
    inboxes.extend(
        actors
            .into_values()
            .chain(mentioned)
            .filter(|a| !a.is_local() && !a.suspended && a.id != comment.actor_id)
            .filter_map(|a| a.shared_inbox_url.or(a.inbox_url)),
    );
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

#[cfg(test)]
mod mention_tests;
#[cfg(test)]
mod tests;
