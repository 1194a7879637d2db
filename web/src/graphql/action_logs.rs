//! The action log, with Mobilizon's names: `actionLogs`, `ActionLog`, `ActionLogObject`
//! (what was acted on: a report, a note, an event, a comment, a profile or an account). To
//! moderators only (enforced in `backend::action_log`).

use async_graphql::{Context, ID, Interface, Object, SimpleObject};
use backend::pagination::Page;
use chrono::{DateTime, Utc};
use entity::action_log::{self, ActionLogAction, ObjectKind};

use super::errors::{GqlResult, IntoGql};
use super::loaders;
use super::objects::{Actor, Comment, Event, Group, Person, User};
use super::reports::{Report, ReportNote};
use super::{app, principal};

/// What an action was done on; none when it is gone.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum ActionLogObject {
    Report(Report),
    ReportNote(ReportNote),
    Event(Event),
    Comment(Comment),
    Person(Person),
    Group(Group),
    User(User),
}

pub struct ActionLog(action_log::Model);

#[derive(SimpleObject)]
pub struct PaginatedActionLogList {
    elements: Vec<ActionLog>,
    total: i64,
}

#[Object]
impl ActionLog {
    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    /// The moderator who acted; none for the instance itself.
    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        match self.0.actor_id {
            Some(id) => Ok(loaders::actor(ctx, id).await?.map(Actor::from)),
            None => Ok(None),
        }
    }

    async fn action(&self) -> ActionLogAction {
        self.0.action
    }

    async fn object(&self, ctx: &Context<'_>) -> GqlResult<Option<ActionLogObject>> {
        let Some(id) = self.0.object_id else {
            return Ok(None);
        };
        let db = &app(ctx)?.db;
        let found = match self.0.object_kind {
            ObjectKind::Report => backend::reports::find(db, id)
                .await
                .ok()
                .map(|r| ActionLogObject::Report(Report(r))),
            ObjectKind::ReportNote => backend::reports::find_note(db, id)
                .await
                .gql()?
                .map(|n| ActionLogObject::ReportNote(ReportNote(n))),
            ObjectKind::Event => backend::events::find(db, id)
                .await
                .ok()
                .map(|e| ActionLogObject::Event(Event(e))),
            ObjectKind::Comment => backend::comments::find(db, id)
                .await
                .ok()
                .map(|c| ActionLogObject::Comment(Comment::new(c))),
            ObjectKind::Actor => loaders::actor(ctx, id)
                .await?
                .map(|a| match Actor::from(a) {
                    Actor::Person(p) => ActionLogObject::Person(p),
                    Actor::Group(g) => ActionLogObject::Group(g),
                }),
            ObjectKind::User => backend::users::service::find(db, id)
                .await
                .ok()
                .map(|u| ActionLogObject::User(User::from(u))),
            // Convive's own objects (an invitation, the instance's registration rules, a job)
            // are none of Mobilizon's: `objectLabel` says what they were.
            ObjectKind::Invitation | ObjectKind::Instance | ObjectKind::Job => None,
        };
        Ok(found)
    }

    /// Convive: what the object was when the action was done (kept when it is gone).
    async fn object_label(&self) -> &str {
        &self.0.object_label
    }

    /// Convive: why, as the moderator said.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(Default)]
pub struct ActionLogQuery;

#[Object]
impl ActionLogQuery {
    /// Moderation and administration actions, newest first; to moderators.
    async fn action_logs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1)] page: i64,
        #[graphql(default = 10)] limit: i64,
    ) -> GqlResult<PaginatedActionLogList> {
        let page = Page::new(Some(page), Some(limit)).gql()?;
        let list = backend::action_log::list(&app(ctx)?.db, &principal(ctx), page)
            .await
            .gql()?;
        Ok(PaginatedActionLogList {
            total: i64::try_from(list.total).unwrap_or(i64::MAX),
            elements: list.elements.into_iter().map(ActionLog).collect(),
        })
    }
}
