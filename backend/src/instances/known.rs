//! Other instances as administrators list them (Mobilizon's `instances` and `instance`): with
//! where the follows between our instance actors stand, and what this instance stored from
//! each (profiles, groups, events, follows with our people and groups, pictures), counted from
//! our own tables.

use entity::actor::{self, ActorKind};
use entity::follow::{self, FollowStatus};
use entity::{event, media};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
};

use super::{Instance, check_manager, instance_actor, list};
use crate::error::Result;
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// What this instance stored from another one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InstanceStats {
    pub event_count: u64,
    pub person_count: u64,
    pub group_count: u64,
    /// Its profiles that follow our groups.
    pub followers_count: u64,
    /// Our profiles that follow its groups.
    pub followings_count: u64,
    /// Bytes of the pictures of its profiles, groups and events copied here.
    pub media_size: u64,
}

/// Which instances a list shows, by the follows of our instance actor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FollowFilter {
    #[default]
    All,
    /// Those ours follows (or asked to).
    Following,
    /// Those that follow ours (or asked to).
    Followed,
}

/// What instances are sorted by, the largest first unless `ascending`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum InstanceOrder {
    #[default]
    EventCount,
    PersonCount,
    GroupCount,
    FollowersCount,
    FollowingsCount,
    MediaSize,
}

#[derive(Debug, Clone, Default)]
pub struct InstanceQuery {
    /// Part of the domain.
    pub domain: Option<String>,
    pub follow: FollowFilter,
    /// Only the instances blocked here.
    pub blocked_only: bool,
    pub order: InstanceOrder,
    pub ascending: bool,
}

/// A page of the instances our instance actor follows or is followed by, with their counts.
pub async fn page(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    query: &InstanceQuery,
    page: Page,
) -> Result<Paginated<(Instance, InstanceStats)>> {
    let wanted = query
        .domain
        .as_deref()
        .map(|d| d.trim().to_lowercase())
        .filter(|d| !d.is_empty());
    let mut rows = Vec::new();
    for instance in list(conn, principal).await? {
        let domain = instance.actor.domain.clone().unwrap_or_default();
        if wanted.as_deref().is_some_and(|w| !domain.contains(w)) {
            continue;
        }
        let keep = match query.follow {
            FollowFilter::All => true,
            FollowFilter::Following => instance.followed != FollowStatus::None,
            FollowFilter::Followed => instance.follower != FollowStatus::None,
        };
        if !keep || (query.blocked_only && !crate::domain_blocks::is_blocked(conn, &domain).await?)
        {
            continue;
        }
        let stats = stats(conn, &domain).await?;
        rows.push((instance, stats));
    }
    let key = |stats: &InstanceStats| match query.order {
        InstanceOrder::EventCount => stats.event_count,
        InstanceOrder::PersonCount => stats.person_count,
        InstanceOrder::GroupCount => stats.group_count,
        InstanceOrder::FollowersCount => stats.followers_count,
        InstanceOrder::FollowingsCount => stats.followings_count,
        InstanceOrder::MediaSize => stats.media_size,
    };
    rows.sort_by(|(a, a_stats), (b, b_stats)| {
        let by_key = key(a_stats).cmp(&key(b_stats));
        let by_key = if query.ascending {
            by_key
        } else {
            by_key.reverse()
        };
        by_key.then_with(|| a.actor.domain.cmp(&b.actor.domain))
    });
    let total = rows.len() as u64;
    let elements = rows
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit).unwrap_or(usize::MAX))
        .collect();
    Ok(Paginated { total, elements })
}

/// The instance at `domain`, known by its instance actor, whether or not follows link us.
pub async fn find(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    domain: &str,
) -> Result<(Instance, InstanceStats)> {
    check_manager(principal)?;
    let actor = instance_actor(conn, domain).await?;
    let listed = list(conn, principal)
        .await?
        .into_iter()
        .find(|i| i.actor.id == actor.id);
    let instance = listed.unwrap_or(Instance {
        actor,
        followed: FollowStatus::None,
        follower: FollowStatus::None,
    });
    let stats = stats(conn, instance.actor.domain.as_deref().unwrap_or_default()).await?;
    Ok((instance, stats))
}

/// What this instance stored from the instance at `domain`.
pub async fn stats(conn: &impl ConnectionTrait, domain: &str) -> Result<InstanceStats> {
    let of_domain = || {
        actor::Entity::find()
            .select_only()
            .column(actor::Column::Id)
            .filter(actor::Column::Domain.eq(domain))
            .into_query()
    };
    // People and groups, without the instance actors whose follows join the instances.
    let people_of = |domain: Option<&str>| {
        let select = actor::Entity::find()
            .select_only()
            .column(actor::Column::Id)
            .filter(actor::Column::Kind.ne(ActorKind::Application));
        match domain {
            Some(domain) => select.filter(actor::Column::Domain.eq(domain)),
            None => select.filter(actor::Column::Domain.is_null()),
        }
        .into_query()
    };
    let count_kind = |kind: ActorKind| {
        actor::Entity::find()
            .filter(actor::Column::Domain.eq(domain))
            .filter(actor::Column::Kind.eq(kind))
            .count(conn)
    };
    let person_count = count_kind(ActorKind::Person).await?;
    let group_count = count_kind(ActorKind::Group).await?;
    let event_count = event::Entity::find()
        .filter(event::Column::Local.eq(false))
        .filter(event::Column::OrganizerActorId.in_subquery(of_domain()))
        .count(conn)
        .await?;
    let followers_count = follow::Entity::find()
        .filter(follow::Column::FollowerId.in_subquery(people_of(Some(domain))))
        .filter(follow::Column::TargetId.in_subquery(people_of(None)))
        .count(conn)
        .await?;
    let followings_count = follow::Entity::find()
        .filter(follow::Column::FollowerId.in_subquery(people_of(None)))
        .filter(follow::Column::TargetId.in_subquery(people_of(Some(domain))))
        .count(conn)
        .await?;
    let media_size: Option<i64> = media::Entity::find()
        .select_only()
        // PostgreSQL sums big integers as numerics.
        .column_as(
            Expr::expr(Func::sum(Expr::col(media::Column::StoredBytes)))
                .cast_as(Alias::new("BIGINT")),
            "size",
        )
        .filter(media::Column::OwnerActorId.in_subquery(of_domain()))
        .into_tuple()
        .one(conn)
        .await?
        .flatten();
    Ok(InstanceStats {
        event_count,
        person_count,
        group_count,
        followers_count,
        followings_count,
        media_size: u64::try_from(media_size.unwrap_or(0)).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use entity::actor::ActorKind;
    use entity::user::UserRole;

    use super::*;
    use crate::groups::follows;
    use crate::testing::TestContext;

    #[tokio::test]
    async fn an_instance_is_listed_with_what_we_stored_from_it_for_administrators_only() {
        let t = TestContext::new().await;
        let admin = t.person_with("rosa", UserRole::Administrator, |_| {}).await;
        let sam = t.person("sam").await;
        let relay = t.remote_actor("relay", ActorKind::Application).await;
        t.remote_actor("far_person", ActorKind::Person).await;
        let garden = t.remote_actor("garden", ActorKind::Group).await;
        let request = super::super::follow_request(&t.ctx.db, &relay)
            .await
            .unwrap();
        follows::follow(&t.ctx, &admin.principal(), request)
            .await
            .expect("follow the instance");
        // Sam follows the far group.
        follows::follow(
            &t.ctx,
            &sam.principal(),
            follows::FollowRequest {
                target_id: garden.id,
                actor_id: None,
                notify: false,
            },
        )
        .await
        .expect("follow the group");

        let listed = page(
            &t.ctx.db,
            &admin.principal(),
            &InstanceQuery::default(),
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(listed.total, 1);
        let (instance, stats) = &listed.elements[0];
        assert_eq!(instance.actor.id, relay.id);
        assert_eq!(stats.person_count, 1);
        assert_eq!(stats.group_count, 1);
        assert_eq!(stats.followings_count, 1, "sam follows its group");
        assert_eq!(stats.followers_count, 0);
        assert_eq!(stats.event_count, 0);

        let none = page(
            &t.ctx.db,
            &admin.principal(),
            &InstanceQuery {
                follow: FollowFilter::Followed,
                ..InstanceQuery::default()
            },
            Page::default(),
        )
        .await
        .unwrap();
        assert_eq!(none.total, 0, "it does not follow us");
        let by_domain = find(&t.ctx.db, &admin.principal(), "far.example")
            .await
            .unwrap();
        assert_eq!(by_domain.1, *stats);
        let refused = page(
            &t.ctx.db,
            &sam.principal(),
            &InstanceQuery::default(),
            Page::default(),
        )
        .await
        .expect_err("not an administrator");
        assert_eq!(refused.code(), "forbidden");
    }
}
