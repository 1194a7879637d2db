//! Moderators suspend and unsuspend a person or group, local or remote: [`suspend`],
//! [`unsuspend`]. A suspended actor is hidden: its events answer not found but to moderators
//! (`events::access`) and leave every list, search and feed (`events::hidden`), its comments leave their
//! threads, it writes nothing,
//! and for a local person the account behind it is logged out and cannot log in again, told
//! why ([`of_user`]). Unsuspending brings all of it back. A suspension here is kept apart
//! from a domain block's, so unblocking a domain does not lift it.
//!
//! As Mobilizon does, a suspended person also gives up their places in events to come (seats
//! go to those waiting) and their memberships (a group they were the last administrator of
//! passes to another member): unsuspending does not give those back. A local actor's
//! suspension is sent to the instances that may show it (`outbox::actor_suspended`), and its
//! lifting too. The participants of its events still to come hear by mail, once, that they
//! are no longer shown (`notices`).

use chrono::{DateTime, Utc};
use entity::action_log::ActionLogAction;
use entity::actor::{self, ActorKind};
use entity::suspension;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::action_log::{self, Object};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::principal::Principal;

/// Characters of a suspension's reason.
pub const MAX_REASON_CHARS: usize = 2_000;

/// Who a moderator may suspend.
pub fn can_suspend(
    instance_moderator: bool,
    own_identity: bool,
    instance_actor: bool,
    target_is_administrator: bool,
    acting_administrator: bool,
) -> bool {
    instance_moderator
        && !own_identity
        && !instance_actor
        && (!target_is_administrator || acting_administrator)
}

/// The suspension of an account's identity, if one is suspended: login refuses it.
pub async fn of_user(
    conn: &impl ConnectionTrait,
    user_id: i64,
) -> Result<Option<suspension::Model>> {
    Ok(suspension::Entity::find()
        .filter(suspension::Column::UserId.eq(user_id))
        .one(conn)
        .await?)
}

/// A person or group as moderators review it: whether and why it is suspended, and the
/// reports about it still open.
#[derive(Debug, Clone)]
pub struct ProfileReview {
    pub actor: actor::Model,
    pub suspension: Option<suspension::Model>,
    pub open_reports: u64,
}

/// A moderator looks at a person or group (local, or `name@domain`) before deciding.
pub async fn review(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    handle: &str,
) -> Result<ProfileReview> {
    principal.require_known()?;
    if !principal.is_instance_moderator() {
        return Err(Error::forbidden("only moderators review profiles"));
    }
    let actor = crate::actors::find_by_handle(conn, handle)
        .await?
        .filter(|a| a.kind != ActorKind::Application)
        .ok_or(Error::not_found("profile"))?;
    let suspension = suspension::Entity::find_by_id(actor.id).one(conn).await?;
    let open_reports = crate::reports::open_about(conn, actor.id).await?;
    Ok(ProfileReview {
        actor,
        suspension,
        open_reports,
    })
}

/// Whether the account owning `actor` is an administrator's.
async fn is_administrators(conn: &impl ConnectionTrait, actor: &actor::Model) -> Result<bool> {
    let Some(user_id) = actor.user_id else {
        return Ok(false);
    };
    Ok(entity::user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .is_some_and(|u| u.role == entity::user::UserRole::Administrator))
}

async fn check(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    target: &actor::Model,
) -> Result<()> {
    principal.require_known()?;
    let own = principal.actor_ids(conn).await?.contains(&target.id);
    let instance_actor = target.kind == ActorKind::Application;
    let allowed = can_suspend(
        principal.is_instance_moderator(),
        own,
        instance_actor,
        is_administrators(conn, target).await?,
        principal.is_instance_admin(),
    );
    if !allowed {
        return Err(Error::forbidden(if principal.is_instance_moderator() {
            "this profile cannot be suspended by you"
        } else {
            "only moderators suspend profiles"
        }));
    }
    Ok(())
}

/// A moderator suspends a person or group, saying why. Suspending it again changes nothing.
pub async fn suspend(
    ctx: &AppContext,
    principal: &Principal,
    actor_id: i64,
    reason: Option<&str>,
) -> Result<actor::Model> {
    principal.require_known()?;
    let reason = crate::actors::username::optional_text(reason, "reason", MAX_REASON_CHARS)?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "actors", actor_id).await?;
    let target = crate::actors::find(&tx, actor_id).await?;
    check(&tx, principal, &target).await?;
    if suspension::Entity::find_by_id(target.id)
        .one(&tx)
        .await?
        .is_some()
    {
        return Ok(target);
    }
    let moderator = action_log::moderator_of(&tx, principal).await?;
    suspension::ActiveModel {
        actor_id: Set(target.id),
        user_id: Set(target.user_id),
        moderator_actor_id: Set(moderator),
        reason: Set(reason.clone()),
        created_at: Set(now),
    }
    .insert(&tx)
    .await?;
    let shown = notices::shown_upcoming(&tx, target.id, now).await?;
    let target = set_suspended(&tx, target, true, now).await?;
    let told = notices::tell_participants(ctx, &tx, shown, now).await?;
    if let Some(user_id) = target.user_id {
        crate::users::sessions::revoke_all(&tx, user_id, None, now).await?;
    }
    if target.kind == ActorKind::Person {
        let left = crate::participations::leave::withdraw_from_upcoming(ctx, &tx, &target).await?;
        let groups = crate::groups::members::end_for_suspension(&tx, target.id, now).await?;
        tracing::info!(
            actor = target.id,
            participations = left,
            memberships = groups.ended,
            handed_over = groups.handed_over.len(),
            kept_as_last_administrator = groups.kept.len(),
            "a suspended person's places given up"
        );
    }
    tracing::info!(
        actor = target.id,
        mails = told,
        "participants of hidden events told"
    );
    crate::outbox::actor_suspended(ctx, &tx, now, &target).await?;
    let action = ActionLogAction::ActorSuspension;
    let object = Object::actor(&target);
    action_log::record(&tx, now, moderator, action, object, reason.as_deref()).await?;
    tx.commit().await?;
    tracing::info!(actor = target.id, "profile suspended");
    Ok(target)
}

/// A moderator lifts a suspension. An actor of a blocked instance stays hidden until its
/// instance is unblocked.
pub async fn unsuspend(
    ctx: &AppContext,
    principal: &Principal,
    actor_id: i64,
) -> Result<actor::Model> {
    principal.require_known()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "actors", actor_id).await?;
    let target = crate::actors::find(&tx, actor_id).await?;
    check(&tx, principal, &target).await?;
    let removed = suspension::Entity::delete_by_id(target.id)
        .exec(&tx)
        .await?;
    if removed.rows_affected == 0 {
        return Err(Error::rule(
            "not_suspended",
            "this profile is not suspended by a moderator",
        ));
    }
    let blocked =
        !target.is_local() && crate::domain_blocks::is_url_blocked(&tx, &target.ap_id).await?;
    let target = if blocked {
        target
    } else {
        set_suspended(&tx, target, false, now).await?
    };
    crate::outbox::actor_unsuspended(ctx, &tx, now, &target).await?;
    let moderator = action_log::moderator_of(&tx, principal).await?;
    let action = ActionLogAction::ActorUnsuspension;
    action_log::record(&tx, now, moderator, action, Object::actor(&target), None).await?;
    tx.commit().await?;
    tracing::info!(actor = target.id, "profile unsuspended");
    Ok(target)
}

async fn set_suspended(
    conn: &impl ConnectionTrait,
    target: actor::Model,
    suspended: bool,
    now: DateTime<Utc>,
) -> Result<actor::Model> {
    let mut row: actor::ActiveModel = target.into();
    row.suspended = Set(suspended);
    row.updated_at = Set(now);
    let target = row.update(conn).await?;
    crate::events::hidden::refresh_actor(conn, target.id).await?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use crate::comments::{NewComment, Target};
    use crate::testing::{TestContext, new_event};
    use entity::user::UserRole;

    #[tokio::test]
    async fn a_suspended_persons_events_and_comments_are_hidden_until_unsuspended() {
        let t = TestContext::new().await;
        let spammer = t.person("spammer").await;
        let organizer = t.person("organizer").await;
        let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
        let starts = t.ctx.now() + chrono::Duration::days(3);
        let theirs = crate::events::service::create(
            &t.ctx,
            &spammer.principal(),
            new_event("Cheap watches fair", starts),
        )
        .await
        .unwrap();
        let other = crate::events::service::create(
            &t.ctx,
            &organizer.principal(),
            new_event("Repair café", starts),
        )
        .await
        .unwrap();
        let new_comment = NewComment {
            target: Target::Event(other.id),
            text: "Buy watches".to_owned(),
            is_announcement: false,
            language: None,
            identity: None,
            remote: None,
        };
        crate::comments::create(&t.ctx, &spammer.principal(), new_comment)
            .await
            .unwrap();
        let err = suspend(&t.ctx, &organizer.principal(), spammer.actor.id, None)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "forbidden");
        suspend(&t.ctx, &modo.principal(), spammer.actor.id, Some("Spam"))
            .await
            .expect("suspended");

        let hidden = crate::events::find_visible(&t.ctx.db, &Principal::Anonymous, &theirs.uuid)
            .await
            .unwrap_err();
        assert_eq!(hidden.code(), "not_found");
        crate::events::find_visible(&t.ctx.db, &modo.principal(), &theirs.uuid)
            .await
            .expect("moderators still see it");
        let threads = crate::comments::threads_of(&t.ctx.db, other.id)
            .await
            .unwrap();
        assert!(threads.is_empty(), "the comment is hidden");
        let log = crate::action_log::list(&t.ctx.db, &modo.principal(), Default::default())
            .await
            .unwrap();
        assert_eq!(log.elements[0].action, ActionLogAction::ActorSuspension);
        assert_eq!(log.elements[0].reason.as_deref(), Some("Spam"));
        let why = of_user(&t.ctx.db, spammer.user.id).await.unwrap().unwrap();
        assert_eq!(why.reason.as_deref(), Some("Spam"));

        let refused = review(&t.ctx.db, &organizer.principal(), "spammer")
            .await
            .unwrap_err();
        assert_eq!(refused.code(), "forbidden");
        let seen = review(&t.ctx.db, &modo.principal(), "spammer")
            .await
            .unwrap();
        assert_eq!(
            seen.suspension.and_then(|s| s.reason).as_deref(),
            Some("Spam")
        );

        unsuspend(&t.ctx, &modo.principal(), spammer.actor.id)
            .await
            .expect("unsuspended");
        assert!(
            review(&t.ctx.db, &modo.principal(), "spammer")
                .await
                .unwrap()
                .suspension
                .is_none()
        );
        crate::events::find_visible(&t.ctx.db, &Principal::Anonymous, &theirs.uuid)
            .await
            .expect("shown again");
        assert_eq!(
            crate::comments::threads_of(&t.ctx.db, other.id)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(of_user(&t.ctx.db, spammer.user.id).await.unwrap().is_none());
    }

    /// The titles of the home page's upcoming events, a search's and the instance feed's.
    async fn listed_titles(t: &TestContext) -> [Vec<String>; 3] {
        let now = t.ctx.now();
        let home = crate::events::upcoming(&t.ctx.db, now, Default::default())
            .await
            .unwrap();
        let query = crate::events::SearchQuery {
            term: Some("fair".to_owned()),
            ..Default::default()
        };
        let found = crate::events::search(&t.ctx.searches, now, &query, Default::default())
            .await
            .unwrap();
        let source = crate::feeds::Source::Instance {
            tags: Vec::new(),
            category: None,
        };
        let feed = crate::feeds::Feed::open(&t.ctx, source).await.unwrap();
        let atom = feed
            .render(&t.ctx, crate::feeds::Format::Atom)
            .await
            .unwrap();
        let atom = String::from_utf8(atom.bytes).unwrap();
        let in_feed = ["Book fair", "Cheap watches fair"]
            .into_iter()
            .filter(|title| atom.contains(title))
            .map(str::to_owned)
            .collect();
        let titles = |events: Vec<entity::event::Model>| {
            let mut titles: Vec<String> = events.into_iter().map(|e| e.title).collect();
            titles.sort();
            titles
        };
        [titles(home.elements), titles(found.elements), in_feed]
    }

    #[tokio::test]
    async fn a_suspended_persons_events_leave_the_home_page_search_and_feed_until_unsuspended() {
        let t = TestContext::new().await;
        let spammer = t.person("spammer").await;
        let organizer = t.person("organizer").await;
        let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
        let starts = t.ctx.now() + chrono::Duration::days(3);
        for (who, title) in [(&spammer, "Cheap watches fair"), (&organizer, "Book fair")] {
            crate::events::service::create(&t.ctx, &who.principal(), new_event(title, starts))
                .await
                .unwrap();
        }
        let both = vec!["Book fair".to_owned(), "Cheap watches fair".to_owned()];
        assert_eq!(
            listed_titles(&t).await,
            [both.clone(), both.clone(), both.clone()]
        );

        suspend(&t.ctx, &modo.principal(), spammer.actor.id, Some("Spam"))
            .await
            .unwrap();
        let one = vec!["Book fair".to_owned()];
        assert_eq!(listed_titles(&t).await, [one.clone(), one.clone(), one]);

        unsuspend(&t.ctx, &modo.principal(), spammer.actor.id)
            .await
            .unwrap();
        assert_eq!(listed_titles(&t).await, [both.clone(), both.clone(), both]);
    }

    #[tokio::test]
    async fn an_event_of_a_suspended_group_stays_hidden_while_its_organizer_is_unsuspended() {
        let t = TestContext::new().await;
        let organizer = t.person("organizer").await;
        let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
        let group = t.remote_actor("club", ActorKind::Group).await;
        let starts = t.ctx.now() + chrono::Duration::days(3);
        let event = crate::events::service::create(
            &t.ctx,
            &organizer.principal(),
            new_event("Cheap watches fair", starts),
        )
        .await
        .unwrap();
        // Attributed to the group directly: publishing for a remote group needs federation.
        entity::event::Entity::update_many()
            .col_expr(
                entity::event::Column::AttributedToId,
                sea_orm::sea_query::Expr::value(group.id),
            )
            .filter(entity::event::Column::Id.eq(event.id))
            .exec(&t.ctx.db)
            .await
            .unwrap();
        suspend(&t.ctx, &modo.principal(), group.id, None)
            .await
            .unwrap();
        suspend(&t.ctx, &modo.principal(), organizer.actor.id, None)
            .await
            .unwrap();
        unsuspend(&t.ctx, &modo.principal(), organizer.actor.id)
            .await
            .unwrap();
        let held = crate::events::find(&t.ctx.db, event.id).await.unwrap();
        assert!(held.hidden, "its group is still suspended");
        unsuspend(&t.ctx, &modo.principal(), group.id)
            .await
            .unwrap();
        let held = crate::events::find(&t.ctx.db, event.id).await.unwrap();
        assert!(!held.hidden);
    }

    #[tokio::test]
    async fn unblocking_a_domain_does_not_lift_a_moderators_suspension() {
        let t = TestContext::new().await;
        let modo = t.person_with("modo", UserRole::Moderator, |_| {}).await;
        let troll = t.remote_actor("troll", ActorKind::Person).await;
        let friend = t.remote_actor("friend", ActorKind::Person).await;
        suspend(&t.ctx, &modo.principal(), troll.id, Some("Harassment"))
            .await
            .unwrap();
        crate::domain_blocks::block(&t.ctx, &Principal::System, "far.example", None)
            .await
            .unwrap();
        crate::domain_blocks::unblock(&t.ctx, &Principal::System, "far.example")
            .await
            .unwrap();
        let troll = crate::actors::find(&t.ctx.db, troll.id).await.unwrap();
        let friend = crate::actors::find(&t.ctx.db, friend.id).await.unwrap();
        assert!(troll.suspended, "suspended for another reason");
        assert!(!friend.suspended);
    }

    #[test]
    fn moderators_suspend_others_but_not_themselves_the_instance_or_administrators() {
        // (moderator, own, instance actor, target admin, acting admin) -> allowed
        let cases = [
            ((true, false, false, false, false), true),
            ((false, false, false, false, false), false),
            ((true, true, false, false, false), false),
            ((true, false, true, false, true), false),
            ((true, false, false, true, false), false),
            ((true, false, false, true, true), true),
        ];
        for ((m, o, i, ta, aa), allowed) in cases {
            assert_eq!(
                can_suspend(m, o, i, ta, aa),
                allowed,
                "{m} {o} {i} {ta} {aa}"
            );
        }
    }
}

#[cfg(test)]
mod consequences;
mod notices;
