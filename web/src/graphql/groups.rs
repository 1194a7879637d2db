//! Groups with Mobilizon's names: the `Group` type and the mutations on groups, their members
//! and followers (finding groups is in `group_queries`, members' fields in `group_members`).

use async_graphql::{Context, ID, Object};
use backend::groups::follows::{self, FollowRequest, UnfollowRequest, Unfollowed};
use backend::groups::service::{GroupChanges, NewGroup};
use backend::groups::{self, GroupVisibility as DomainVisibility, members};
use backend::principal::Principal;
use chrono::{DateTime, Utc};
use entity::actor::{self, ActorKind, ActorVisibility, Openness};
use entity::member::MemberRole;

use super::addresses::{Address, AddressInput};
use super::directory::{EventOrderBy, SortDirection, event_order};
use super::errors::{GqlResult, IntoGql};
use super::loaders;
use super::media::{self, MediaInput, with_pictures};
use super::objects::{
    DeletedObject, Follower, Group, Media, Member, PaginatedEventList, PaginatedFollowerList,
    PaginatedMemberList, member_roles, page,
};
use super::{app, current_user, parse_id, principal};

#[Object]
impl Group {
    pub(super) async fn avatar(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Media>> {
        media::by_id(ctx, self.0.avatar_media_id).await
    }

    pub(super) async fn banner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Media>> {
        media::by_id(ctx, self.0.banner_media_id).await
    }

    pub(super) async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    pub(super) async fn url(&self) -> &str {
        self.0.url.as_deref().unwrap_or(&self.0.ap_id)
    }

    pub(super) async fn preferred_username(&self) -> &str {
        &self.0.preferred_username
    }

    pub(super) async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    pub(super) async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    pub(super) async fn domain(&self) -> Option<&str> {
        self.0.domain.as_deref()
    }

    pub(super) async fn local(&self) -> bool {
        self.0.is_local()
    }

    pub(super) async fn suspended(&self) -> bool {
        self.0.suspended
    }

    #[graphql(name = "type")]
    pub(super) async fn actor_type(&self) -> ActorKind {
        self.0.kind
    }

    async fn visibility(&self) -> ActorVisibility {
        self.0.visibility
    }

    async fn openness(&self) -> Openness {
        self.0.openness
    }

    pub(super) async fn manually_approves_followers(&self) -> bool {
        self.0.manually_approves_followers
    }

    // Spelled `async_graphql::Result`, which `#[Object]` recognizes, so that the
    // `GroupSearchResult` interface can call it.
    pub(super) async fn physical_address(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Address>> {
        match self.0.physical_address_id {
            Some(id) => Ok(loaders::loaders(ctx)?
                .addresses
                .load_one(id)
                .await?
                .map(Address::Stored)),
            None => Ok(None),
        }
    }

    /// Members by role (all when `roles` is empty); only members see this list.
    async fn members(
        &self,
        ctx: &Context<'_>,
        roles: Option<String>,
        #[graphql(desc = "Only members whose name or username contains this.")] name: Option<
            String,
        >,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedMemberList> {
        let roles = member_roles(roles.as_deref())?;
        let list = groups::members(
            &app(ctx)?.db,
            &principal(ctx),
            self.0.id,
            &roles,
            name.as_deref(),
            self::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedMemberList {
            total: list.total,
            elements: list.elements.into_iter().map(Member).collect(),
        })
    }

    /// Who follows the group, pending ones included (`approved: false` for those only): for
    /// its moderators.
    async fn followers(
        &self,
        ctx: &Context<'_>,
        approved: Option<bool>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedFollowerList> {
        let list = follows::of_group(
            &app(ctx)?.db,
            &principal(ctx),
            self.0.id,
            approved,
            self::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedFollowerList {
            total: list.total,
            elements: list.elements.into_iter().map(Follower).collect(),
        })
    }

    pub(super) async fn members_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        groups::members_count(&app(ctx)?.db, self.0.id).await.gql()
    }

    pub(super) async fn followers_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        groups::followers_count(&app(ctx)?.db, self.0.id)
            .await
            .gql()
    }

    /// Events organized in the group's name, as far as the caller may see them.
    #[allow(clippy::too_many_arguments)]
    async fn organized_events(
        &self,
        ctx: &Context<'_>,
        after_datetime: Option<DateTime<Utc>>,
        before_datetime: Option<DateTime<Utc>>,
        order: Option<EventOrderBy>,
        order_direction: Option<SortDirection>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedEventList> {
        let list = backend::events::organized_by_in_order(
            &app(ctx)?.db,
            &principal(ctx),
            &self.0,
            after_datetime,
            before_datetime,
            event_order(order, order_direction),
            self::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedEventList::from(list))
    }

    /// The group's posts: all of them for its members, the published public ones for
    /// everyone else.
    async fn posts(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<super::posts::PaginatedPostList> {
        super::posts::of_group(ctx, self.0.id, page, limit).await
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The group's discussions, for its members (none for anyone else, as Mobilizon's).
    async fn discussions(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<super::discussions::PaginatedDiscussionList> {
        super::discussions::of_group(ctx, self.0.id, page, limit).await
    }
}

/// The identity the caller acts as.
async fn acting_actor(ctx: &Context<'_>, actor_id: Option<&ID>) -> GqlResult<actor::Model> {
    let current = current_user(ctx)?;
    let actor_id = actor_id.map(|id| parse_id(id, "actorId")).transpose()?;
    backend::actors::persons::acting_as(&app(ctx)?.db, current, actor_id)
        .await
        .gql()
}

fn membership_request(
    group_id: &ID,
    actor_id: Option<&ID>,
) -> GqlResult<members::MembershipRequest> {
    Ok(members::MembershipRequest {
        group_id: parse_id(group_id, "groupId")?,
        actor_id: actor_id.map(|id| parse_id(id, "actorId")).transpose()?,
    })
}

fn principal_required(ctx: &Context<'_>) -> GqlResult<Principal> {
    Ok(Principal::User(current_user(ctx)?.clone()))
}

#[derive(Default)]
pub struct GroupMutation;

#[Object]
impl GroupMutation {
    #[allow(clippy::too_many_arguments)]
    async fn create_group(
        &self,
        ctx: &Context<'_>,
        preferred_username: String,
        name: Option<String>,
        summary: Option<String>,
        visibility: Option<ActorVisibility>,
        openness: Option<Openness>,
        manually_approves_followers: Option<bool>,
        physical_address: Option<AddressInput>,
        #[graphql(
            desc = "The identity that creates the group (default: the caller's default one)."
        )]
        creator_actor_id: Option<ID>,
        avatar: Option<MediaInput>,
        banner: Option<MediaInput>,
    ) -> GqlResult<Group> {
        let creator = acting_actor(ctx, creator_actor_id.as_ref()).await?;
        let group = backend::groups::service::create(
            app(ctx)?,
            &creator,
            NewGroup {
                preferred_username,
                name,
                summary,
                visibility: visibility.map(group_visibility),
                openness,
                manually_approves_followers,
                physical_address: physical_address.map(Into::into),
            },
        )
        .await
        .gql()?;
        with_pictures(ctx, group, avatar, banner).await.map(Group)
    }

    #[allow(clippy::too_many_arguments)]
    async fn update_group(
        &self,
        ctx: &Context<'_>,
        id: ID,
        name: Option<String>,
        summary: Option<String>,
        visibility: Option<ActorVisibility>,
        openness: Option<Openness>,
        manually_approves_followers: Option<bool>,
        physical_address: Option<AddressInput>,
        avatar: Option<MediaInput>,
        banner: Option<MediaInput>,
    ) -> GqlResult<Group> {
        let group_id = parse_id(&id, "id")?;
        let group = backend::groups::service::update(
            app(ctx)?,
            &principal_required(ctx)?,
            group_id,
            GroupChanges {
                name,
                summary,
                visibility: visibility.map(group_visibility),
                openness,
                manually_approves_followers,
                physical_address: physical_address.map(Into::into),
            },
        )
        .await
        .gql()?;
        with_pictures(ctx, group, avatar, banner).await.map(Group)
    }

    async fn delete_group(&self, ctx: &Context<'_>, group_id: ID) -> GqlResult<DeletedObject> {
        let id = parse_id(&group_id, "groupId")?;
        let group = backend::groups::service::delete(app(ctx)?, &principal_required(ctx)?, id)
            .await
            .gql()?;
        Ok(DeletedObject::new(group.id))
    }

    async fn join_group(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        actor_id: Option<ID>,
    ) -> GqlResult<Member> {
        let request = membership_request(&group_id, actor_id.as_ref())?;
        let joined = members::join(app(ctx)?, &principal(ctx), request)
            .await
            .gql()?;
        Ok(Member(joined.into_member().gql()?))
    }

    async fn leave_group(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        actor_id: Option<ID>,
    ) -> GqlResult<DeletedObject> {
        let request = membership_request(&group_id, actor_id.as_ref())?;
        let left = members::leave(app(ctx)?, &principal(ctx), request)
            .await
            .gql()?;
        Ok(DeletedObject::new(left.into_member().gql()?.id))
    }

    async fn invite_member(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        target_actor_username: String,
    ) -> GqlResult<Member> {
        let id = parse_id(&group_id, "groupId")?;
        Ok(Member(
            members::invite(
                app(ctx)?,
                &principal_required(ctx)?,
                id,
                &target_actor_username,
            )
            .await
            .gql()?,
        ))
    }

    async fn accept_invitation(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Member> {
        let id = parse_id(&id, "id")?;
        Ok(Member(
            members::accept_invitation(app(ctx)?, &principal_required(ctx)?, id)
                .await
                .gql()?,
        ))
    }

    async fn reject_invitation(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Member> {
        let id = parse_id(&id, "id")?;
        Ok(Member(
            members::reject_invitation(app(ctx)?, &principal_required(ctx)?, id)
                .await
                .gql()?,
        ))
    }

    async fn approve_member(&self, ctx: &Context<'_>, member_id: ID) -> GqlResult<Member> {
        let id = parse_id(&member_id, "memberId")?;
        Ok(Member(
            members::approve(app(ctx)?, &principal_required(ctx)?, id)
                .await
                .gql()?,
        ))
    }

    async fn reject_member(&self, ctx: &Context<'_>, member_id: ID) -> GqlResult<Member> {
        let id = parse_id(&member_id, "memberId")?;
        Ok(Member(
            members::reject(app(ctx)?, &principal_required(ctx)?, id)
                .await
                .gql()?,
        ))
    }

    async fn update_member(
        &self,
        ctx: &Context<'_>,
        member_id: ID,
        role: MemberRole,
    ) -> GqlResult<Member> {
        let id = parse_id(&member_id, "memberId")?;
        Ok(Member(
            members::update_role(app(ctx)?, &principal_required(ctx)?, id, role)
                .await
                .gql()?,
        ))
    }

    /// Removes someone from a group (`groupId` is accepted as Mobilizon clients send it).
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        member_id: ID,
        #[graphql(name = "groupId")] _group_id: Option<ID>,
        #[graphql(
            name = "exclude",
            desc = "Accepted and ignored, as Mobilizon does: a removed member may ask again."
        )]
        _exclude: Option<bool>,
    ) -> GqlResult<Member> {
        let id = parse_id(&member_id, "memberId")?;
        Ok(Member(
            members::remove(app(ctx)?, &principal_required(ctx)?, id)
                .await
                .gql()?,
        ))
    }

    async fn follow_group(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        notify: Option<bool>,
        actor_id: Option<ID>,
    ) -> GqlResult<Follower> {
        let target_id = parse_id(&group_id, "groupId")?;
        let principal = principal_required(ctx)?;
        let request = FollowRequest {
            target_id,
            actor_id: actor_id.map(|id| parse_id(&id, "actorId")).transpose()?,
            notify: notify.unwrap_or(true),
        };
        Ok(Follower(
            follows::follow(app(ctx)?, &principal, request)
                .await
                .gql()?,
        ))
    }

    /// Whether the caller's follow brings the group's new events by mail.
    async fn update_group_follow(
        &self,
        ctx: &Context<'_>,
        follow_id: ID,
        notify: Option<bool>,
    ) -> GqlResult<Follower> {
        let id = parse_id(&follow_id, "followId")?;
        let principal = principal_required(ctx)?;
        Ok(Follower(
            follows::set_notify(app(ctx)?, &principal, id, notify)
                .await
                .gql()?,
        ))
    }

    /// A moderator approves or refuses a follower of a group that approves them by hand.
    async fn update_follower(
        &self,
        ctx: &Context<'_>,
        id: ID,
        approved: bool,
    ) -> GqlResult<Follower> {
        let id = parse_id(&id, "id")?;
        let principal = principal_required(ctx)?;
        Ok(Follower(
            follows::decide(app(ctx)?, &principal, id, approved)
                .await
                .gql()?,
        ))
    }

    async fn unfollow_group(
        &self,
        ctx: &Context<'_>,
        group_id: ID,
        actor_id: Option<ID>,
    ) -> GqlResult<Follower> {
        let target_id = parse_id(&group_id, "groupId")?;
        let principal = principal_required(ctx)?;
        let request = UnfollowRequest {
            target_id,
            actor_id: actor_id.map(|id| parse_id(&id, "actorId")).transpose()?,
        };
        Ok(Follower(
            follows::unfollow(app(ctx)?, &principal, request)
                .await
                .and_then(Unfollowed::into_follow)
                .gql()?,
        ))
    }
}

/// Mobilizon's private groups are unlisted ones (reachable by their address or an
/// invitation), which is what the backend keeps.
fn group_visibility(visibility: ActorVisibility) -> DomainVisibility {
    match visibility {
        ActorVisibility::Public => DomainVisibility::Public,
        ActorVisibility::Unlisted | ActorVisibility::Private => DomainVisibility::Unlisted,
    }
}
