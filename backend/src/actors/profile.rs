//! What an identity's profile holds beyond its public face (its account, its memberships, its
//! participations, the bytes its pictures take) and who sees it: the user the identity belongs
//! to and the instance's moderators, as in Mobilizon; nobody else. Moderators also search
//! people here.

use entity::{actor, event, follow, media, member, participant, user};
use sea_orm::QueryTrait as _;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// Whether `principal` sees what is private to the identity `actor`.
pub fn may_see_private(principal: &Principal, actor: &actor::Model) -> bool {
    match principal {
        Principal::User(user) => actor.user_id == Some(user.id) || user.is_moderator(),
        Principal::System => true,
        Principal::Anonymous | Principal::Remote { .. } => false,
    }
}

fn require(principal: &Principal, actor: &actor::Model) -> Result<()> {
    if may_see_private(principal, actor) {
        Ok(())
    } else if *principal == Principal::Anonymous {
        Err(Error::Unauthenticated)
    } else {
        Err(Error::forbidden(
            "only the identity's own account sees its memberships, participations and account",
        ))
    }
}

/// The account an identity belongs to; `None` for remote identities and groups.
pub async fn account(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor: &actor::Model,
) -> Result<Option<user::Model>> {
    require(principal, actor)?;
    let Some(user_id) = actor.user_id else {
        return Ok(None);
    };
    Ok(user::Entity::find_by_id(user_id).one(conn).await?)
}

/// A group named by its username or its id, to narrow a list to it.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupFilter<'a> {
    pub username: Option<&'a str>,
    pub id: Option<i64>,
}

impl GroupFilter<'_> {
    /// The ids of the groups it names, as a subquery; `None` when it names none.
    fn ids(&self) -> Option<sea_orm::sea_query::SelectStatement> {
        let username = self.username.map(str::trim).filter(|g| !g.is_empty());
        if username.is_none() && self.id.is_none() {
            return None;
        }
        let mut groups = actor::Entity::find()
            .select_only()
            .column(actor::Column::Id)
            .filter(actor::Column::Kind.eq(entity::ActorKind::Group));
        if let Some(username) = username {
            groups = groups.filter(actor::Column::PreferredUsername.eq(username));
        }
        if let Some(id) = self.id {
            groups = groups.filter(actor::Column::Id.eq(id));
        }
        Some(groups.into_query())
    }
}

/// The identity's memberships (invitations and requests included, refusals not), most
/// recently changed first; only in the group `group` names, when it names one.
pub async fn memberships(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor: &actor::Model,
    group: GroupFilter<'_>,
    page: Page,
) -> Result<Paginated<member::Model>> {
    require(principal, actor)?;
    let mut query = member::Entity::find()
        .filter(member::Column::ActorId.eq(actor.id))
        .filter(member::Column::Role.ne(entity::MemberRole::Rejected));
    if let Some(groups) = group.ids() {
        query = query.filter(Expr::col(member::Column::GroupId).in_subquery(groups));
    }
    paginate_members(conn, query, page).await
}

/// What the identity follows (pending follows included), most recent first; only the group
/// `group` names, when it names one.
pub async fn follows(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor: &actor::Model,
    group: GroupFilter<'_>,
    page: Page,
) -> Result<Paginated<follow::Model>> {
    use sea_orm::PaginatorTrait;
    require(principal, actor)?;
    let mut query = follow::Entity::find().filter(follow::Column::FollowerId.eq(actor.id));
    if let Some(groups) = group.ids() {
        query = query.filter(Expr::col(follow::Column::TargetId).in_subquery(groups));
    }
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(follow::Column::CreatedAt)
        .order_by_desc(follow::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// The drafts organized by a user's identities, the ones starting soonest first.
pub async fn drafts_of_user(
    conn: &impl ConnectionTrait,
    user_id: i64,
    page: Page,
) -> Result<Paginated<event::Model>> {
    use sea_orm::PaginatorTrait;
    let query = event::Entity::find()
        .filter(Expr::col(event::Column::OrganizerActorId).in_subquery(identities_of(user_id)))
        .filter(event::Column::Draft.eq(true));
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// A published event of a group a user's identity follows (with approval) or is a member of.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowedGroupEvent {
    /// The identity that follows the group or belongs to it.
    pub profile_id: i64,
    pub group_id: i64,
    pub event: event::Model,
}

/// Events of the groups a user follows or belongs to, not over at `after` (soonest first), as
/// far as the user may see them: Mobilizon's `loggedUser.followedGroupEvents`.
pub async fn followed_group_events(
    conn: &impl ConnectionTrait,
    user_id: i64,
    after: chrono::DateTime<chrono::Utc>,
    page: Page,
) -> Result<Paginated<FollowedGroupEvent>> {
    use std::collections::HashMap;
    let mut profile_of: HashMap<i64, i64> = HashMap::new();
    let follows: Vec<(i64, i64)> = follow::Entity::find()
        .select_only()
        .column(follow::Column::TargetId)
        .column(follow::Column::FollowerId)
        .filter(Expr::col(follow::Column::FollowerId).in_subquery(identities_of(user_id)))
        .filter(follow::Column::Approved.eq(true))
        .into_tuple()
        .all(conn)
        .await?;
    let memberships: Vec<(i64, i64)> = member::Entity::find()
        .select_only()
        .column(member::Column::GroupId)
        .column(member::Column::ActorId)
        .filter(Expr::col(member::Column::ActorId).in_subquery(identities_of(user_id)))
        .filter(member::Column::Role.is_in(entity::MemberRole::BELONGING.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    // Members see all the group's events; followers its public ones.
    let member_of: Vec<i64> = memberships.iter().map(|(group_id, _)| *group_id).collect();
    for (group_id, profile_id) in memberships.into_iter().chain(follows) {
        profile_of.entry(group_id).or_insert(profile_id);
    }
    if profile_of.is_empty() {
        return Ok(Paginated::empty());
    }
    let group_ids: Vec<i64> = profile_of.keys().copied().collect();
    let query = event::Entity::find()
        .filter(event::Column::AttributedToId.is_in(group_ids))
        .filter(event::Column::Draft.eq(false))
        .filter(
            sea_orm::Condition::any()
                .add(event::Column::Visibility.eq(entity::EventVisibility::Public))
                .add(event::Column::AttributedToId.is_in(member_of)),
        )
        .filter(crate::events::not_over(after));
    use sea_orm::PaginatorTrait;
    let total = query.clone().count(conn).await?;
    let events = query
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    let elements = events
        .into_iter()
        .filter_map(|event| {
            let group_id = event.attributed_to_id?;
            Some(FollowedGroupEvent {
                profile_id: *profile_of.get(&group_id)?,
                group_id,
                event,
            })
        })
        .collect();
    Ok(Paginated { total, elements })
}

fn identities_of(user_id: i64) -> sea_orm::sea_query::SelectStatement {
    actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::UserId.eq(user_id))
        .into_query()
}

/// A user's memberships through all their identities, in groups whose name or username
/// contains `name` (any case) when given: Mobilizon's `loggedUser.memberships(name:)`.
pub async fn memberships_of_user(
    conn: &impl ConnectionTrait,
    user_id: i64,
    name: Option<&str>,
    page: Page,
) -> Result<Paginated<member::Model>> {
    let identities = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::UserId.eq(user_id))
        .into_query();
    let mut query = member::Entity::find()
        .filter(Expr::col(member::Column::ActorId).in_subquery(identities))
        .filter(member::Column::Role.ne(entity::MemberRole::Rejected));
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        let pattern = format!("%{}%", crate::search::like_escape(&name.to_lowercase()));
        let lower = |column: actor::Column| -> SimpleExpr { Func::lower(Expr::col(column)).into() };
        let groups = actor::Entity::find()
            .select_only()
            .column(actor::Column::Id)
            .filter(actor::Column::Kind.eq(entity::ActorKind::Group))
            .filter(
                Expr::expr(lower(actor::Column::PreferredUsername))
                    .like(LikeExpr::new(pattern.clone()).escape('\\'))
                    .or(Expr::expr(lower(actor::Column::Name))
                        .like(LikeExpr::new(pattern).escape('\\'))),
            )
            .into_query();
        query = query.filter(Expr::col(member::Column::GroupId).in_subquery(groups));
    }
    paginate_members(conn, query, page).await
}

async fn paginate_members(
    conn: &impl ConnectionTrait,
    query: sea_orm::Select<member::Entity>,
    page: Page,
) -> Result<Paginated<member::Model>> {
    use sea_orm::PaginatorTrait;
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(member::Column::UpdatedAt)
        .order_by_desc(member::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// Persons (of this instance and others) whose name or username contains every word of
/// `term`: for the instance's moderators only, as in Mobilizon.
pub async fn search_persons(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    term: &str,
    page: Page,
) -> Result<Paginated<actor::Model>> {
    use sea_orm::PaginatorTrait;
    if *principal == Principal::Anonymous {
        return Err(Error::Unauthenticated);
    }
    if !principal.is_instance_moderator() {
        return Err(Error::forbidden("only moderators search people"));
    }
    let mut query = actor::Entity::find().filter(actor::Column::Kind.eq(entity::ActorKind::Person));
    for word in term.split_whitespace().take(10) {
        let pattern = format!("%{}%", crate::search::like_escape(&word.to_lowercase()));
        let lower = |column: actor::Column| Expr::expr(Func::lower(Expr::col(column)));
        query = query.filter(
            lower(actor::Column::PreferredUsername)
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
                .or(lower(actor::Column::Name).like(LikeExpr::new(pattern).escape('\\'))),
        );
    }
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_asc(actor::Column::PreferredUsername)
        .order_by_asc(actor::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// The identity's participations (not anonymous ones), soonest event first; only the one in
/// `event_id` when given.
pub async fn participations(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor: &actor::Model,
    event_id: Option<i64>,
    page: Page,
) -> Result<Paginated<(participant::Model, event::Model)>> {
    require(principal, actor)?;
    if let Some(event_id) = event_id {
        let found = crate::participations::of_actor(conn, event_id, actor.id).await?;
        let mut elements = Vec::new();
        if let Some(participation) = found {
            elements.push((participation, crate::events::find(conn, event_id).await?));
        }
        return Ok(Paginated {
            total: elements.len() as u64,
            elements: elements.into_iter().take(page.limit as usize).collect(),
        });
    }
    let Some(user_id) = actor.user_id else {
        return Ok(Paginated::empty());
    };
    crate::participations::of_user(conn, user_id, Some(actor.id), None, None, page).await
}

/// Bytes the identity's pictures take, all sizes counted.
pub async fn media_bytes(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    actor: &actor::Model,
) -> Result<u64> {
    require(principal, actor)?;
    let sizes: Vec<i64> = media::Entity::find()
        .select_only()
        .column(media::Column::StoredBytes)
        .filter(media::Column::OwnerActorId.eq(actor.id))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(sizes
        .into_iter()
        .map(|s| u64::try_from(s).unwrap_or(0))
        .sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;
    use crate::users::CurrentUser;
    use entity::UserRole;

    fn identity_of(user_id: Option<i64>) -> actor::Model {
        let now = chrono::Utc::now();
        actor::Model {
            id: 7,
            ap_id: "http://localhost/@ana".to_owned(),
            preferred_username: "ana".to_owned(),
            domain: None,
            kind: entity::ActorKind::Person,
            name: None,
            summary: None,
            user_id,
            url: None,
            inbox_url: None,
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            public_key_pem: None,
            private_key_pem: None,
            visibility: entity::ActorVisibility::Public,
            openness: entity::Openness::Open,
            manually_approves_followers: false,
            suspended: false,
            physical_address_id: None,
            last_refreshed_at: None,
            created_at: now,
            updated_at: now,
            avatar_media_id: None,
            banner_media_id: None,
        }
    }

    fn user(id: i64, role: UserRole) -> Principal {
        Principal::User(CurrentUser {
            id,
            role,
            session_id: 1,
            locale: Locale::En,
        })
    }

    #[test]
    fn only_the_owner_and_moderators_see_an_identitys_private_side() {
        let ana = identity_of(Some(1));
        let cases = [
            (user(1, UserRole::User), true),
            (user(2, UserRole::User), false),
            (user(2, UserRole::Moderator), true),
            (user(2, UserRole::Administrator), true),
            (Principal::Anonymous, false),
            (
                Principal::Remote {
                    actor_id: 7,
                    activity_id: "x".to_owned(),
                },
                false,
            ),
            (Principal::System, true),
        ];
        for (principal, expected) in cases {
            assert_eq!(may_see_private(&principal, &ana), expected, "{principal:?}");
        }
        assert!(!may_see_private(
            &user(1, UserRole::User),
            &identity_of(None)
        ));
    }
}
