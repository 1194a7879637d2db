//! The action log: services record every moderation and administration action in the
//! transaction of the action itself ([`record`]), so that nothing is done off the record and
//! nothing is recorded that was not done. Moderators read it ([`list`]).

use chrono::{DateTime, Utc};
use entity::action_log::{self, ActionLogAction, ObjectKind};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, NotSet, PaginatorTrait, QueryOrder,
    QuerySelect, Set,
};

use crate::error::Result;
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// Characters of an object's label and of a reason kept in the log.
const MAX_LABEL_CHARS: usize = 200;
const MAX_REASON_CHARS: usize = 5_000;

/// What an action was done on, and what it was (kept when it is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub kind: ObjectKind,
    pub id: i64,
    pub label: String,
}

impl Object {
    pub fn report(report: &entity::report::Model) -> Self {
        Self {
            kind: ObjectKind::Report,
            id: report.id,
            label: format!("#{}", report.id),
        }
    }

    pub fn report_note(note: &entity::report_note::Model) -> Self {
        Self {
            kind: ObjectKind::ReportNote,
            id: note.id,
            label: note.content.clone(),
        }
    }

    pub fn event(event: &entity::event::Model) -> Self {
        Self {
            kind: ObjectKind::Event,
            id: event.id,
            label: event.title.clone(),
        }
    }

    pub fn comment(comment: &entity::comment::Model) -> Self {
        Self {
            kind: ObjectKind::Comment,
            id: comment.id,
            label: crate::events::sanitize::plain_text(&comment.text),
        }
    }

    pub fn actor(actor: &entity::actor::Model) -> Self {
        Self {
            kind: ObjectKind::Actor,
            id: actor.id,
            label: crate::actors::handle(actor),
        }
    }

    /// Another instance, by its instance actor: its domain.
    pub fn instance(actor: &entity::actor::Model) -> Self {
        Self {
            kind: ObjectKind::Instance,
            id: actor.id,
            label: actor
                .domain
                .clone()
                .unwrap_or_else(|| crate::actors::handle(actor)),
        }
    }

    pub fn user(user: &entity::user::Model) -> Self {
        Self {
            kind: ObjectKind::User,
            id: user.id,
            label: user.email.clone(),
        }
    }
}

/// Who acted: the identity a moderator acts as, or nobody for the instance itself.
pub async fn moderator_of(
    conn: &impl ConnectionTrait,
    principal: &Principal,
) -> Result<Option<i64>> {
    match principal {
        Principal::User(_) => Ok(Some(principal.acting_actor(conn, None).await?.id)),
        _ => Ok(None),
    }
}

/// Records an action in the caller's transaction.
pub async fn record(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    moderator: Option<i64>,
    action: ActionLogAction,
    object: Object,
    reason: Option<&str>,
) -> Result<action_log::Model> {
    let label: String = object.label.chars().take(MAX_LABEL_CHARS).collect();
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().take(MAX_REASON_CHARS).collect::<String>());
    Ok(action_log::ActiveModel {
        id: NotSet,
        actor_id: Set(moderator),
        action: Set(action),
        object_kind: Set(object.kind),
        object_id: Set(Some(object.id)),
        object_label: Set(label),
        reason: Set(reason),
        created_at: Set(now),
    }
    .insert(conn)
    .await?)
}

/// The log, newest first, for moderators.
pub async fn list(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    page: Page,
) -> Result<Paginated<action_log::Model>> {
    crate::reports::require_reviewer(principal)?;
    let total = action_log::Entity::find().count(conn).await?;
    let elements = action_log::Entity::find()
        .order_by_desc(action_log::Column::CreatedAt)
        .order_by_desc(action_log::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

#[cfg(test)]
mod tests;
