//! Reports, with Mobilizon's names: `createReport`, `reports`, `report`,
//! `updateReportStatus`, `createReportNote`, `deleteReportNote`, the `Report` and
//! `ReportNote` types. Only moderators read reports (enforced in `backend::reports`); a
//! reporter gets back the report they made, without the moderators' notes.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use backend::pagination::Page;
use backend::reports::{self, NewReport, ReportFilter};
use chrono::{DateTime, Utc};
use entity::report::ReportStatus;
use entity::{report, report_note};

use super::errors::{GqlResult, IntoGql};
use super::loaders;
use super::objects::{Actor, Comment, DeletedObject, Event};
use super::{app, client, parse_id, principal};

/// A report (fields below).
pub struct Report(pub report::Model);

/// A moderator's note on a report.
pub struct ReportNote(pub report_note::Model);

/// Mobilizon's answer for an anti-spam service; Convive has none, so it is not used.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AntiSpamFeedback {
    Ham,
    Spam,
}

#[derive(SimpleObject)]
pub struct PaginatedReportList {
    elements: Vec<Report>,
    total: i64,
}

#[Object]
impl Report {
    pub(super) async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    async fn content(&self) -> Option<&str> {
        self.0.content.as_deref()
    }

    async fn status(&self) -> ReportStatus {
        self.0.status
    }

    async fn uri(&self) -> &str {
        &self.0.ap_id
    }

    async fn reported(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        Ok(loaders::actor(ctx, self.0.reported_actor_id)
            .await?
            .map(Actor::from))
    }

    async fn reporter(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        Ok(loaders::actor(ctx, self.0.reporter_actor_id)
            .await?
            .map(Actor::from))
    }

    async fn events(&self, ctx: &Context<'_>) -> GqlResult<Vec<Event>> {
        let rows = reports::events_of(&app(ctx)?.db, self.0.id).await.gql()?;
        Ok(rows.into_iter().map(Event).collect())
    }

    async fn comments(&self, ctx: &Context<'_>) -> GqlResult<Vec<Comment>> {
        let rows = reports::comments_of(&app(ctx)?.db, self.0.id).await.gql()?;
        Ok(rows.into_iter().map(Comment::new).collect())
    }

    /// The moderators' notes (to moderators only).
    async fn notes(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReportNote>> {
        reports::require_reviewer(&principal(ctx)).gql()?;
        let rows = reports::notes_of(&app(ctx)?.db, self.0.id).await.gql()?;
        Ok(rows.into_iter().map(ReportNote).collect())
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[Object]
impl ReportNote {
    pub(super) async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    async fn content(&self) -> &str {
        &self.0.content
    }

    async fn moderator(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        Ok(loaders::actor(ctx, self.0.moderator_actor_id)
            .await?
            .map(Actor::from))
    }

    async fn report(&self, ctx: &Context<'_>) -> GqlResult<Report> {
        let row = reports::find_reviewable(&app(ctx)?.db, &principal(ctx), self.0.report_id)
            .await
            .gql()?;
        Ok(Report(row))
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// Reports with this status (open ones by default), newest first; to moderators.
    async fn reports(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1)] page: i64,
        #[graphql(default = 10)] limit: i64,
        #[graphql(default_with = "Some(ReportStatus::Open)")] status: Option<ReportStatus>,
        domain: Option<String>,
    ) -> GqlResult<PaginatedReportList> {
        let page = Page::new(Some(page), Some(limit)).gql()?;
        let filter = ReportFilter { status, domain };
        let list = reports::list(&app(ctx)?.db, &principal(ctx), filter, page)
            .await
            .gql()?;
        Ok(PaginatedReportList {
            total: i64::try_from(list.total).unwrap_or(i64::MAX),
            elements: list.elements.into_iter().map(Report).collect(),
        })
    }

    async fn report(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Report> {
        let id = parse_id(&id, "id")?;
        let row = reports::find_reviewable(&app(ctx)?.db, &principal(ctx), id)
            .await
            .gql()?;
        Ok(Report(row))
    }
}

#[derive(Default)]
pub struct ReportMutation;

fn parse_ids(ids: Option<Vec<Option<ID>>>, field: &str) -> GqlResult<Vec<i64>> {
    ids.unwrap_or_default()
        .into_iter()
        .flatten()
        .map(|id| parse_id(&id, field))
        .collect()
}

#[Object]
impl ReportMutation {
    /// Reports a person or group, and maybe some of its events and comments. Without an
    /// account (when the instance allows it), `email` says where the outcome goes.
    #[allow(clippy::too_many_arguments)]
    async fn create_report(
        &self,
        ctx: &Context<'_>,
        content: Option<String>,
        reported_id: ID,
        events_ids: Option<Vec<Option<ID>>>,
        comments_ids: Option<Vec<Option<ID>>>,
        forward: Option<bool>,
        #[graphql(desc = "Convive: where a reporter without an account hears the outcome.")]
        email: Option<String>,
    ) -> GqlResult<Report> {
        let new = NewReport {
            reported_actor_id: parse_id(&reported_id, "reportedId")?,
            event_ids: parse_ids(events_ids, "eventsIds")?,
            comment_ids: parse_ids(comments_ids, "commentsIds")?,
            content,
            forward: forward.unwrap_or(false),
            identity: None,
            email,
            flag_id: None,
        };
        let filed = reports::create(app(ctx)?, &principal(ctx), &client(ctx), new)
            .await
            .gql()?;
        Ok(Report(filed.report().clone()))
    }

    async fn update_report_status(
        &self,
        ctx: &Context<'_>,
        report_id: ID,
        status: ReportStatus,
        #[graphql(desc = "Ignored: Convive sends reports to no anti-spam service.")]
        antispam_feedback: Option<AntiSpamFeedback>,
    ) -> GqlResult<Report> {
        let _ = antispam_feedback;
        let id = parse_id(&report_id, "reportId")?;
        let row = reports::update_status(app(ctx)?, &principal(ctx), id, status)
            .await
            .gql()?;
        Ok(Report(row))
    }

    async fn create_report_note(
        &self,
        ctx: &Context<'_>,
        content: Option<String>,
        report_id: ID,
    ) -> GqlResult<ReportNote> {
        let id = parse_id(&report_id, "reportId")?;
        let note = reports::create_note(
            app(ctx)?,
            &principal(ctx),
            id,
            content.as_deref().unwrap_or_default(),
        )
        .await
        .gql()?;
        Ok(ReportNote(note))
    }

    async fn delete_report_note(&self, ctx: &Context<'_>, note_id: ID) -> GqlResult<DeletedObject> {
        let id = parse_id(&note_id, "noteId")?;
        let note = reports::delete_note(app(ctx)?, &principal(ctx), id)
            .await
            .gql()?;
        Ok(DeletedObject::new(note.id))
    }
}
