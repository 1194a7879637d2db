//! What blocking an instance would take away, for the page that asks an administrator to
//! confirm it: checked as the block itself is checked (so a refusal is said before, not
//! after), and counted from what [`super::forget_domain`] deletes or hides.

use entity::{actor, event, follow};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{ALREADY_BLOCKED, actors_of, checked, is_blocked};
use crate::context::AppContext;
use crate::error::{Error, Result};
use crate::principal::Principal;

/// A block not made yet, and what it would reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockPreview {
    /// The domain as it would be stored.
    pub domain: String,
    pub reason: Option<String>,
    /// People, groups and instance actors of that domain known here: hidden everywhere.
    pub actors: u64,
    /// Their events stored here: deleted.
    pub events: u64,
    /// Their follows of people, groups and this instance here: ended.
    pub follows: u64,
}

/// What blocking `domain` would do, or why it would be refused (administrators only; not
/// this instance, not a domain blocked already). Nothing is changed.
pub async fn preview(
    ctx: &AppContext,
    principal: &Principal,
    domain: &str,
    reason: Option<&str>,
) -> Result<BlockPreview> {
    let (domain, reason) = checked(ctx, principal, domain, reason)?;
    let conn = &ctx.db;
    if is_blocked(conn, &domain).await? {
        return Err(Error::conflict("domain", ALREADY_BLOCKED));
    }
    Ok(BlockPreview {
        actors: actor::Entity::find()
            .filter(actor::Column::Domain.eq(domain.as_str()))
            .count(conn)
            .await?,
        events: events_of(conn, &domain).await?,
        follows: follow::Entity::find()
            .filter(follow::Column::FollowerId.in_subquery(actors_of(&domain)))
            .count(conn)
            .await?,
        domain,
        reason,
    })
}

/// Their events stored here (the block deletes those; ours stay, hidden, when one of their
/// groups holds them).
async fn events_of(conn: &impl ConnectionTrait, domain: &str) -> Result<u64> {
    Ok(event::Entity::find()
        .filter(event::Column::Local.eq(false))
        .filter(
            sea_orm::Condition::any()
                .add(event::Column::OrganizerActorId.in_subquery(actors_of(domain)))
                .add(event::Column::AttributedToId.in_subquery(actors_of(domain))),
        )
        .count(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use entity::actor::ActorKind;
    use entity::user::UserRole;

    use super::*;
    use crate::testing::TestContext;

    /// An event of `organizer`'s, stored here as its `Create` would store it.
    async fn remote_event(t: &TestContext, organizer: &entity::actor::Model) {
        let remote = crate::events::federated::RemoteEvent {
            ap_id: "https://far.example/events/1".to_owned(),
            url: "https://far.example/events/1".to_owned(),
            title: "Troll night".to_owned(),
            description: String::new(),
            begins_on: t.ctx.now() + chrono::Duration::days(3),
            ends_on: None,
            timezone: None,
            status: entity::event::EventStatus::Confirmed,
            visibility: entity::event::EventVisibility::Public,
            join_options: entity::event::JoinOptions::Free,
            external_participation_url: None,
            category: None,
            language: None,
            online_address: None,
            place: None,
            maximum_attendee_capacity: None,
            anonymous_participation: false,
            is_online: false,
            organizer_actor_id: organizer.id,
            attributed_to_id: None,
            tags: Vec::new(),
            published_at: None,
            updated_at: None,
            picture: None,
            series_url: None,
        };
        crate::events::federated::upsert_remote(&t.ctx, remote)
            .await
            .expect("stored")
            .expect("kept");
    }

    #[tokio::test]
    async fn the_preview_counts_what_a_block_takes_and_refuses_what_the_block_would() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let member = t.person("sam").await;
        let far = t.remote_actor("troll", ActorKind::Person).await;
        t.remote_actor("far-group", ActorKind::Group).await;
        remote_event(&t, &far).await;
        crate::groups::follows::follow(
            &t.ctx,
            &Principal::Remote {
                actor_id: far.id,
                activity_id: format!("{}#follows/1", far.ap_id),
            },
            crate::groups::follows::FollowRequest {
                target_id: member.actor.id,
                ..Default::default()
            },
        )
        .await
        .expect("followed");

        let err = preview(&t.ctx, &member.principal(), "far.example", None)
            .await
            .expect_err("not an administrator");
        assert_eq!(err.code(), "forbidden");
        let own = t.ctx.settings.public_url.host();
        let err = preview(&t.ctx, &admin.principal(), &own, None)
            .await
            .expect_err("ourselves");
        assert_eq!(err.code(), "invalid");

        let seen = preview(
            &t.ctx,
            &admin.principal(),
            " Far.Example ",
            Some(" Trolls "),
        )
        .await
        .expect("previewed");
        assert_eq!(
            seen,
            BlockPreview {
                domain: "far.example".to_owned(),
                reason: Some("Trolls".to_owned()),
                actors: 2,
                events: 1,
                follows: 1,
            }
        );
        assert!(
            !is_blocked(&t.ctx.db, "far.example").await.unwrap(),
            "nothing is done"
        );
        super::super::block(&t.ctx, &admin.principal(), "far.example", None)
            .await
            .expect("blocked");
        let err = preview(&t.ctx, &admin.principal(), "far.example", None)
            .await
            .expect_err("blocked already");
        assert_eq!(err.code(), "conflict");
    }
}
