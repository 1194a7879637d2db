//! `exportEventParticipants`, as Mobilizon: the organizer gets `{ path, format }` and
//! downloads the file from `/exports/{format}/{path}` on our own origin (see `crate::exports`).

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use backend::participations::export::{self, ExportFormat};
use entity::participant::ParticipantRole;

use super::errors::{GqlResult, IntoGql, invalid};
use super::{app, parse_id, principal};

/// Mobilizon's formats; only those of `config.exportFormats` are made here.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ExportFormatEnum")]
pub enum ExportFormatEnum {
    Csv,
    /// Not made here: refused.
    Pdf,
    /// Not made here: refused.
    Ods,
}

#[derive(SimpleObject)]
pub struct ParticipantExport {
    /// The file's name under `/exports/{format}/`, downloadable for an hour.
    path: String,
    format: ExportFormatEnum,
}

#[derive(Default)]
pub struct ExportMutation;

#[Object]
impl ExportMutation {
    /// The participants of an event with `roles` (all when none), as a file for those who
    /// run it.
    async fn export_event_participants(
        &self,
        ctx: &Context<'_>,
        event_id: ID,
        roles: Option<Vec<Option<ParticipantRole>>>,
        format: Option<ExportFormatEnum>,
    ) -> GqlResult<ParticipantExport> {
        let format = match format.unwrap_or(ExportFormatEnum::Csv) {
            ExportFormatEnum::Csv => ExportFormat::Csv,
            ExportFormatEnum::Pdf | ExportFormatEnum::Ods => {
                return Err(invalid(
                    "format",
                    "this instance exports participants as CSV only (config.exportFormats)",
                ));
            }
        };
        let roles: Vec<ParticipantRole> = roles.unwrap_or_default().into_iter().flatten().collect();
        let exported = export::export(
            app(ctx)?,
            &principal(ctx),
            parse_id(&event_id, "eventId")?,
            &roles,
            format,
        )
        .await
        .gql()?;
        Ok(ParticipantExport {
            path: exported.path,
            format: match exported.format {
                ExportFormat::Csv => ExportFormatEnum::Csv,
            },
        })
    }
}
