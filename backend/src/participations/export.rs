//! An event's participants as a file for its organizers (Mobilizon's
//! `exportEventParticipants`): a CSV of each participant's name, status, registration date and
//! message, in the organizer's language. The file is kept an hour behind an unguessable token
//! (Mobilizon's client downloads it from `/exports/{format}/{path}` with a plain link, no
//! credentials), in the database so that any node serves it, then deleted.
//!
//! Anonymous participants appear as such: their email is not in the file.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use entity::participant::{self, ParticipantRole};
use entity::participant_export;
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::context::AppContext;
use crate::error::{Error, Result};
use crate::i18n::{self, Locale};
use crate::jobs::{Job, JobError, JobHandler};
use crate::principal::Principal;
use crate::users::tokens::{hash_token, random_token};

/// How long an export can be downloaded, as Mobilizon keeps its files.
pub const KEPT_FOR: chrono::Duration = chrono::Duration::hours(1);

/// The participants one export holds at most: far more than any event here gathers, and a
/// bound on the file kept in the database.
const MAX_ROWS: u64 = 20_000;

/// The formats a list of participants is exported to (Mobilizon's `ExportFormatEnum` also has
/// PDF and ODS, which need tools this instance does not have).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
}

impl ExportFormat {
    /// The extension and the name in export addresses (`config.exportFormats`).
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        raw.eq_ignore_ascii_case("csv").then_some(ExportFormat::Csv)
    }

    pub const ALL: [ExportFormat; 1] = [ExportFormat::Csv];
}

/// What the organizer gets back: the file's name in its address, as Mobilizon's `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub path: String,
    pub format: ExportFormat,
    pub expires_at: DateTime<Utc>,
}

/// A file ready to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub file_name: String,
    pub format: ExportFormat,
    pub content: String,
}

/// Exports the participants of `event_id` with `roles` (all when empty) for someone who runs
/// the event, in their language.
pub async fn export(
    ctx: &AppContext,
    principal: &Principal,
    event_id: i64,
    roles: &[ParticipantRole],
    format: ExportFormat,
) -> Result<Exported> {
    let user = principal.user().ok_or(Error::Unauthenticated)?;
    let event = crate::events::find(&ctx.db, event_id).await?;
    let access = crate::events::access(&ctx.db, principal, &event).await?;
    if !crate::events::policy::can_view(crate::events::facts(&event), access) {
        return Err(Error::not_found("event"));
    }
    if !crate::events::policy::can_manage_participants(crate::events::facts(&event), access) {
        return Err(Error::forbidden(
            "only the organizer and the group's moderators export the participants",
        ));
    }
    let mut select = participant::Entity::find().filter(participant::Column::EventId.eq(event.id));
    if !roles.is_empty() {
        select = select.filter(participant::Column::Role.is_in(roles.iter().copied()));
    }
    let participants = select
        .order_by_asc(participant::Column::CreatedAt)
        .order_by_asc(participant::Column::Id)
        .limit(MAX_ROWS)
        .all(&ctx.db)
        .await?;
    let actor_ids: Vec<i64> = participants.iter().map(|p| p.actor_id).collect();
    let actors = crate::actors::find_many(&ctx.db, &actor_ids).await?;
    let account = crate::users::service::find(&ctx.db, user.id).await?;
    let locale = Locale::parse(&account.locale).unwrap_or(ctx.default_locale().await?);
    let zone = crate::events::timezone(&event);
    let mut csv = String::new();
    push_row(
        &mut csv,
        &[
            "export-column-name",
            "export-column-status",
            "export-column-registered",
            "export-column-message",
        ]
        .map(|key| i18n::text(locale, key)),
    );
    for participant in &participants {
        let name = match (&participant.email, actors.get(&participant.actor_id)) {
            (Some(_), _) | (None, None) => i18n::text(locale, "export-anonymous"),
            (None, Some(actor)) => format!(
                "{} (@{})",
                crate::actors::display_name(actor),
                crate::actors::handle(actor)
            ),
        };
        push_row(
            &mut csv,
            &[
                name,
                i18n::text(locale, role_key(participant.role)),
                participant
                    .created_at
                    .with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                participant.message.clone().unwrap_or_default(),
            ],
        );
    }
    let file_name = format!(
        "{}.{}",
        i18n::text_with(
            locale,
            "export-file-name",
            &i18n::args([("event", file_name_part(&event.title))]),
        ),
        format.extension()
    );
    let now = ctx.now();
    let (token, token_hash) = random_token();
    let expires_at = now + KEPT_FOR;
    participant_export::Entity::insert(participant_export::ActiveModel {
        id: NotSet,
        token_hash: Set(token_hash),
        event_id: Set(event.id),
        user_id: Set(user.id),
        format: Set(format.extension().to_owned()),
        file_name: Set(file_name),
        content: Set(csv),
        created_at: Set(now),
        expires_at: Set(expires_at),
    })
    .exec(&ctx.db)
    .await?;
    tracing::info!(
        event_id = event.id,
        rows = participants.len(),
        "participants exported"
    );
    Ok(Exported {
        path: format!("{token}.{}", format.extension()),
        format,
        expires_at,
    })
}

/// The file at `/exports/{format}/{path}`, while it is kept; `not_found` for a wrong,
/// expired or mismatched address alike.
pub async fn download(ctx: &AppContext, format: &str, path: &str) -> Result<Download> {
    let not_found = || Error::not_found("export");
    let format = ExportFormat::parse(format).ok_or_else(not_found)?;
    let token = path
        .strip_suffix(&format!(".{}", format.extension()))
        .filter(|t| !t.is_empty() && t.len() <= 64)
        .ok_or_else(not_found)?;
    let row = participant_export::Entity::find()
        .filter(participant_export::Column::TokenHash.eq(hash_token(token)))
        .one(&ctx.db)
        .await?
        .ok_or_else(not_found)?;
    if row.format != format.extension() || row.expires_at <= ctx.now() {
        return Err(not_found());
    }
    Ok(Download {
        file_name: row.file_name,
        format,
        content: row.content,
    })
}

/// Deletes the exports no longer kept.
pub async fn purge(ctx: &AppContext) -> Result<u64> {
    let deleted = participant_export::Entity::delete_many()
        .filter(participant_export::Column::ExpiresAt.lte(ctx.now()))
        .exec(&ctx.db)
        .await?;
    Ok(deleted.rows_affected)
}

pub struct PurgeExportsJob;

#[async_trait]
impl JobHandler for PurgeExportsJob {
    fn kind(&self) -> &'static str {
        "participations.purge_exports"
    }

    fn every(&self) -> Option<Duration> {
        Some(Duration::from_secs(15 * 60))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        purge(ctx).await?;
        Ok(())
    }
}

fn role_key(role: ParticipantRole) -> &'static str {
    match role {
        ParticipantRole::Creator => "export-role-creator",
        ParticipantRole::Administrator => "export-role-administrator",
        ParticipantRole::Moderator => "export-role-moderator",
        ParticipantRole::Participant => "export-role-participant",
        ParticipantRole::NotApproved => "export-role-not-approved",
        ParticipantRole::NotConfirmed => "export-role-not-confirmed",
        ParticipantRole::Rejected => "export-role-rejected",
        ParticipantRole::Waitlisted => "export-role-waitlisted",
    }
}

/// The event's title as part of a file name: letters, digits and dashes, at most 60.
fn file_name_part(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.chars().count() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "event".to_owned()
    } else {
        out
    }
}

/// One CSV record (RFC 4180). A cell a spreadsheet would take for a formula (`=`, `+`, `-`,
/// `@` first) is prefixed with `'`: names and messages come from anyone.
fn push_row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let cell = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{cell}")
        } else {
            cell.clone()
        };
        if cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_when_needed_and_never_read_as_formulas() {
        let mut out = String::new();
        push_row(
            &mut out,
            &[
                "Ada (@ada)".to_owned(),
                "say \"hi\", then\nleave".to_owned(),
                "=HYPERLINK(\"x\")".to_owned(),
                String::new(),
            ],
        );
        assert_eq!(
            out,
            "Ada (@ada),\"say \"\"hi\"\", then\nleave\",\"'=HYPERLINK(\"\"x\"\")\",\r\n"
        );
    }

    #[test]
    fn file_names_keep_letters_and_digits_of_the_title() {
        assert_eq!(file_name_part("Fête du vélo / 2027!"), "Fête-du-vélo-2027");
        assert_eq!(file_name_part("../../"), "event");
    }

    #[test]
    fn only_csv_is_offered() {
        assert_eq!(ExportFormat::parse("CSV"), Some(ExportFormat::Csv));
        assert_eq!(ExportFormat::parse("pdf"), None);
    }
}
