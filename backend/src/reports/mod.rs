//! Reports: someone tells the instance's moderators about a person or group, and maybe some
//! of its events and comments; moderators annotate, resolve or close them. Each use case is
//! one function taking a `Principal`, whoever asks: [`create`] (a local person, a visitor
//! with an email address when the instance allows it, or another instance through a `Flag`),
//! [`update_status`], [`create_note`], [`delete_note`]. Reading, for moderators: [`list`],
//! [`find_reviewable`], [`events_of`], [`comments_of`], [`notes_of`]. Rules in [`policy`].

mod filing;
pub mod notices;
pub mod policy;
mod review;

use entity::report::{self, ReportStatus};
use entity::{actor, comment, event, report_comment, report_event, report_note};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

pub use filing::{Filed, MAX_COMMENTS, MAX_CONTENT_CHARS, MAX_EVENTS, NewReport, create};
pub use review::{MAX_NOTE_CHARS, create_note, delete_note, require_reviewer, update_status};

use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<report::Model> {
    report::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("report"))
}

pub async fn find_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<report::Model>> {
    Ok(report::Entity::find()
        .filter(report::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

/// A note, if it is still there.
pub async fn find_note(conn: &impl ConnectionTrait, id: i64) -> Result<Option<report_note::Model>> {
    Ok(report_note::Entity::find_by_id(id).one(conn).await?)
}

/// A report, for a moderator.
pub async fn find_reviewable(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> Result<report::Model> {
    require_reviewer(principal)?;
    find(conn, id).await
}

/// Which reports a moderator lists.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    /// Open ones when absent (as Mobilizon's `reports`).
    pub status: Option<ReportStatus>,
    /// Only about actors of this instance (`domain` of the reported actor).
    pub domain: Option<String>,
}

/// Reports, newest first, for moderators.
pub async fn list(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    filter: ReportFilter,
    page: Page,
) -> Result<Paginated<report::Model>> {
    require_reviewer(principal)?;
    let mut query = report::Entity::find()
        .filter(report::Column::Status.eq(filter.status.unwrap_or(ReportStatus::Open)));
    if let Some(domain) = filter
        .domain
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        let actors = actor::Entity::find()
            .select_only()
            .column(actor::Column::Id)
            .filter(actor::Column::Domain.eq(domain.to_ascii_lowercase()))
            .into_query();
        query = query.filter(report::Column::ReportedActorId.in_subquery(actors));
    }
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(report::Column::CreatedAt)
        .order_by_desc(report::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// Reports about one actor still open, for moderators.
pub async fn open_about(conn: &impl ConnectionTrait, actor_id: i64) -> Result<u64> {
    Ok(report::Entity::find()
        .filter(report::Column::ReportedActorId.eq(actor_id))
        .filter(report::Column::Status.eq(ReportStatus::Open))
        .count(conn)
        .await?)
}

/// The events a report names.
pub async fn events_of(conn: &impl ConnectionTrait, report_id: i64) -> Result<Vec<event::Model>> {
    let ids = report_event::Entity::find()
        .select_only()
        .column(report_event::Column::EventId)
        .filter(report_event::Column::ReportId.eq(report_id))
        .into_query();
    Ok(event::Entity::find()
        .filter(event::Column::Id.in_subquery(ids))
        .order_by_asc(event::Column::Id)
        .all(conn)
        .await?)
}

/// The comments a report names.
pub async fn comments_of(
    conn: &impl ConnectionTrait,
    report_id: i64,
) -> Result<Vec<comment::Model>> {
    let ids = report_comment::Entity::find()
        .select_only()
        .column(report_comment::Column::CommentId)
        .filter(report_comment::Column::ReportId.eq(report_id))
        .into_query();
    Ok(comment::Entity::find()
        .filter(comment::Column::Id.in_subquery(ids))
        .order_by_asc(comment::Column::Id)
        .all(conn)
        .await?)
}

/// The notes moderators wrote on a report, oldest first.
pub async fn notes_of(
    conn: &impl ConnectionTrait,
    report_id: i64,
) -> Result<Vec<report_note::Model>> {
    Ok(report_note::Entity::find()
        .filter(report_note::Column::ReportId.eq(report_id))
        .order_by_asc(report_note::Column::CreatedAt)
        .order_by_asc(report_note::Column::Id)
        .all(conn)
        .await?)
}

#[cfg(test)]
mod tests;
