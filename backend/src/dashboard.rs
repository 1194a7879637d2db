//! What the administration's first page counts for moderators: what the instance holds (its
//! own and what it knows of others), and what waits for someone (open reports, dead jobs,
//! instances asking to follow ours). Counting is read-only; each count links to the page
//! where the work is done, through that work's own use case.

use entity::actor::{self, ActorKind};
use entity::job::JobState;
use entity::report::{self, ReportStatus};
use entity::{event, follow, job};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::error::{Error, Result};
use crate::principal::Principal;

/// This instance's own, and what it knows of others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LocalAndRemote {
    pub local: u64,
    pub remote: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// Events, drafts and hidden ones included: moderators see what is held.
    pub events: LocalAndRemote,
    pub people: LocalAndRemote,
    pub groups: LocalAndRemote,
    pub open_reports: u64,
    /// Jobs that used their last attempt (mail not sent, activities not delivered).
    pub dead_jobs: u64,
    /// Other instances asking to follow ours, not answered yet.
    pub instance_follows_waiting: u64,
    /// Profiles suspended by a moderator or hidden with their blocked instance.
    pub suspended_profiles: u64,
}

/// The dashboard, for the instance's moderators and administrators.
pub async fn dashboard(conn: &impl ConnectionTrait, principal: &Principal) -> Result<Dashboard> {
    principal.require_known()?;
    if !principal.is_instance_moderator() {
        return Err(Error::forbidden("only moderators see the dashboard"));
    }
    let events = LocalAndRemote {
        local: event::Entity::find()
            .filter(event::Column::Local.eq(true))
            .count(conn)
            .await?,
        remote: event::Entity::find()
            .filter(event::Column::Local.eq(false))
            .count(conn)
            .await?,
    };
    let relay = crate::actors::system::relay(conn).await?;
    Ok(Dashboard {
        events,
        people: actors(conn, ActorKind::Person).await?,
        groups: actors(conn, ActorKind::Group).await?,
        open_reports: report::Entity::find()
            .filter(report::Column::Status.eq(ReportStatus::Open))
            .count(conn)
            .await?,
        dead_jobs: job::Entity::find()
            .filter(job::Column::State.eq(JobState::Dead))
            .count(conn)
            .await?,
        instance_follows_waiting: follow::Entity::find()
            .filter(follow::Column::TargetId.eq(relay.id))
            .filter(follow::Column::Approved.eq(false))
            .count(conn)
            .await?,
        suspended_profiles: actor::Entity::find()
            .filter(actor::Column::Suspended.eq(true))
            .filter(actor::Column::Kind.ne(ActorKind::Application))
            .count(conn)
            .await?,
    })
}

async fn actors(conn: &impl ConnectionTrait, kind: ActorKind) -> Result<LocalAndRemote> {
    let of_kind = || actor::Entity::find().filter(actor::Column::Kind.eq(kind));
    Ok(LocalAndRemote {
        local: of_kind()
            .filter(actor::Column::Domain.is_null())
            .count(conn)
            .await?,
        remote: of_kind()
            .filter(actor::Column::Domain.is_not_null())
            .count(conn)
            .await?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use crate::testing::{TestContext, new_event};
    use entity::user::UserRole;

    #[tokio::test]
    async fn moderators_see_the_counts_and_nobody_else_does() {
        let t = TestContext::new().await;
        let member = t.person("member").await;
        let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
        t.remote_actor("far", ActorKind::Person).await;
        t.remote_actor("club", ActorKind::Group).await;
        let starts = t.ctx.now() + chrono::Duration::days(3);
        crate::events::service::create(&t.ctx, &member.principal(), new_event("Picnic", starts))
            .await
            .unwrap();

        let refused = dashboard(&t.ctx.db, &member.principal()).await.unwrap_err();
        assert_eq!(refused.code(), "forbidden");
        let refused = dashboard(&t.ctx.db, &Principal::Anonymous)
            .await
            .unwrap_err();
        assert_eq!(refused.code(), "unauthenticated");

        let seen = dashboard(&t.ctx.db, &modo.principal()).await.unwrap();
        assert_eq!(
            seen.events,
            LocalAndRemote {
                local: 1,
                remote: 0
            }
        );
        assert_eq!(seen.people.remote, 1);
        assert!(seen.people.local >= 2, "{:?}", seen.people);
        assert_eq!(
            seen.groups,
            LocalAndRemote {
                local: 0,
                remote: 1
            }
        );
        assert_eq!(seen.open_reports, 0);
        assert_eq!(seen.dead_jobs, 0);
        assert_eq!(seen.instance_follows_waiting, 0);
    }
}
