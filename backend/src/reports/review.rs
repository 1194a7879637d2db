//! Moderators at work on reports: settling them (resolved or closed, which tells a reporter
//! here the outcome by mail) and annotating them with notes for one another.

use entity::action_log::ActionLogAction;
use entity::report::{self, ReportStatus};
use entity::report_note;
use sea_orm::{ActiveModelTrait, EntityTrait, ModelTrait, NotSet, Set};

use super::policy;
use crate::action_log::{self, Object};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::principal::Principal;

/// Characters of a note.
pub const MAX_NOTE_CHARS: usize = 5_000;

/// Refuses anyone but the instance's moderators and administrators.
pub fn require_reviewer(principal: &Principal) -> Result<()> {
    principal.require_known()?;
    if policy::can_review(principal.is_instance_moderator()) {
        Ok(())
    } else {
        Err(Error::forbidden("only moderators review reports"))
    }
}

/// A moderator settles a report (or opens it again). The reporter of a report made here
/// hears the outcome by mail once, when it leaves the open state.
pub async fn update_status(
    ctx: &AppContext,
    principal: &Principal,
    report_id: i64,
    status: ReportStatus,
) -> Result<report::Model> {
    require_reviewer(principal)?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "reports", report_id).await?;
    let report = super::find(&tx, report_id).await?;
    let before = report.status;
    if before == status {
        return Ok(report);
    }
    let mut row: report::ActiveModel = report.into();
    row.status = Set(status);
    row.updated_at = Set(now);
    let report = row.update(&tx).await?;
    let action = match status {
        ReportStatus::Open => ActionLogAction::ReportUpdateOpened,
        ReportStatus::Closed => ActionLogAction::ReportUpdateClosed,
        ReportStatus::Resolved => ActionLogAction::ReportUpdateResolved,
    };
    let moderator = action_log::moderator_of(&tx, principal).await?;
    action_log::record(&tx, now, moderator, action, Object::report(&report), None).await?;
    if policy::tells_reporter(report.local, before, status) {
        super::notices::queue_outcome(ctx, &tx, &report, now).await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// A moderator notes something on a report for the others.
pub async fn create_note(
    ctx: &AppContext,
    principal: &Principal,
    report_id: i64,
    content: &str,
) -> Result<report_note::Model> {
    require_reviewer(principal)?;
    let content = content.trim();
    if content.is_empty() {
        return Err(Error::invalid("content", "a note needs some text"));
    }
    if content.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::invalid(
            "content",
            format!("at most {MAX_NOTE_CHARS} characters"),
        ));
    }
    if content.contains('\0') {
        return Err(Error::invalid("content", "text may not contain U+0000"));
    }
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let report = super::find(&tx, report_id).await?;
    let moderator = principal.acting_actor(&tx, None).await?;
    let note = report_note::ActiveModel {
        id: NotSet,
        report_id: Set(report.id),
        moderator_actor_id: Set(moderator.id),
        content: Set(content.to_owned()),
        created_at: Set(now),
    }
    .insert(&tx)
    .await?;
    let object = Object::report_note(&note);
    let action = ActionLogAction::NoteCreation;
    action_log::record(&tx, now, Some(moderator.id), action, object, None).await?;
    tx.commit().await?;
    Ok(note)
}

/// The moderator who wrote a note removes it.
pub async fn delete_note(
    ctx: &AppContext,
    principal: &Principal,
    note_id: i64,
) -> Result<report_note::Model> {
    require_reviewer(principal)?;
    let tx = begin_write(ctx).await?;
    let note = report_note::Entity::find_by_id(note_id)
        .one(&tx)
        .await?
        .ok_or(Error::not_found("report note"))?;
    let mine = principal.actor_ids(&tx).await?;
    if !policy::can_delete_note(mine.contains(&note.moderator_actor_id)) {
        return Err(Error::forbidden("only its author removes a note"));
    }
    note.clone().delete(&tx).await?;
    let moderator = action_log::moderator_of(&tx, principal).await?;
    let object = Object::report_note(&note);
    let action = ActionLogAction::NoteDeletion;
    action_log::record(&tx, ctx.now(), moderator, action, object, None).await?;
    tx.commit().await?;
    Ok(note)
}
