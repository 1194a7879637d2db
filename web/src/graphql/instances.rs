//! Admin controls over other instances: instance follows (Mobilizon's relays) and domain
//! blocks.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use backend::groups::follows::{self, Unfollowed};
use backend::instances::{self, InstanceStats, RelaySide};
use chrono::{DateTime, Utc};
use entity::domain_block;
use entity::follow::FollowStatus;

use super::errors::{GqlResult, IntoGql, invalid};
use super::objects::{self, Follower, PaginatedFollowerList};
use super::{app, principal};

pub struct DomainBlock(pub domain_block::Model);

#[Object]
impl DomainBlock {
    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    /// Host name, with its port when it is not the default.
    async fn domain(&self) -> &str {
        &self.0.domain
    }

    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Another instance, as administrators see it, with what we stored from it.
pub struct Instance(pub instances::Instance, pub InstanceStats);

/// A page of instances (Mobilizon's `PaginatedInstanceList`).
#[derive(SimpleObject)]
#[graphql(name = "PaginatedInstanceList")]
pub struct PaginatedInstanceList {
    total: u64,
    elements: Vec<Instance>,
}

/// What instances are sorted by (Mobilizon's `InstancesSortFields`).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum InstancesSortFields {
    EventCount,
    PersonCount,
    GroupCount,
    FollowersCount,
    FollowingsCount,
    /// No reports are made here: refused.
    ReportsCount,
    MediaSize,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum InstanceFilterFollowStatus {
    All,
    /// Those ours follows.
    Following,
    /// Those that follow ours.
    Followed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum InstanceFilterSuspendStatus {
    All,
    /// Those blocked here.
    Suspended,
}

impl Instance {
    async fn nodeinfo(&self, ctx: &Context<'_>) -> federation::NodeInfo {
        let (Ok(app), Some(domain)) = (app(ctx), self.0.actor.domain.as_deref()) else {
            return federation::NodeInfo::default();
        };
        federation::nodeinfo(app, domain)
            .await
            .unwrap_or_else(|err| {
                tracing::debug!(error = %err, "instance: no NodeInfo");
                federation::NodeInfo::default()
            })
    }
}

#[Object]
impl Instance {
    async fn domain(&self) -> Option<&str> {
        self.0.actor.domain.as_deref()
    }

    /// The name its instance actor gives.
    async fn instance_name(&self) -> Option<String> {
        self.0.actor.name.clone()
    }

    /// Whether we follow it.
    async fn followed_status(&self) -> FollowStatus {
        self.0.followed
    }

    /// Whether it follows us.
    async fn follower_status(&self) -> FollowStatus {
        self.0.follower
    }

    /// Every instance listed here is one we know through its instance actor, which is what
    /// Mobilizon calls its relay.
    async fn has_relay(&self) -> bool {
        true
    }

    /// The software it runs, from its NodeInfo (read when asked; none when it does not answer).
    async fn software(&self, ctx: &Context<'_>) -> Option<String> {
        self.nodeinfo(ctx).await.software
    }

    async fn software_version(&self, ctx: &Context<'_>) -> Option<String> {
        self.nodeinfo(ctx).await.version
    }

    /// What its NodeInfo says of it.
    async fn instance_description(&self, ctx: &Context<'_>) -> Option<String> {
        self.nodeinfo(ctx).await.description
    }

    /// Its instance actor's handle, which is what instances follow each other through.
    async fn relay_address(&self) -> Option<String> {
        self.0
            .actor
            .domain
            .as_ref()
            .map(|domain| format!("{}@{domain}", self.0.actor.preferred_username))
    }

    /// Its events stored here.
    async fn event_count(&self) -> u64 {
        self.1.event_count
    }

    /// Its profiles known here.
    async fn person_count(&self) -> u64 {
        self.1.person_count
    }

    async fn group_count(&self) -> u64 {
        self.1.group_count
    }

    /// Its profiles that follow our groups.
    async fn followers_count(&self) -> u64 {
        self.1.followers_count
    }

    /// Our profiles that follow its groups.
    async fn followings_count(&self) -> u64 {
        self.1.followings_count
    }

    /// No reports are made on this instance yet: null, not a count.
    async fn reports_count(&self) -> Option<u64> {
        None
    }

    /// Bytes of its pictures copied here.
    async fn media_size(&self) -> u64 {
        self.1.media_size
    }
}

/// `relay@domain`, a domain or a URL: the domain.
fn domain_of_address(address: &str) -> &str {
    address
        .trim()
        .trim_start_matches('@')
        .trim_start_matches("relay@")
}

#[derive(Default)]
pub struct InstanceQuery;

#[Object]
impl InstanceQuery {
    /// Instances we follow or that follow us, the most events first unless asked otherwise
    /// (administrators only).
    #[allow(clippy::too_many_arguments)]
    async fn instances(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        order_by: Option<InstancesSortFields>,
        #[graphql(desc = "`asc` or `desc` (the default).")] direction: Option<String>,
        filter_domain: Option<String>,
        filter_follow_status: Option<InstanceFilterFollowStatus>,
        filter_suspend_status: Option<InstanceFilterSuspendStatus>,
    ) -> GqlResult<PaginatedInstanceList> {
        use instances::InstanceOrder as Order;
        let order = match order_by.unwrap_or(InstancesSortFields::EventCount) {
            InstancesSortFields::EventCount => Order::EventCount,
            InstancesSortFields::PersonCount => Order::PersonCount,
            InstancesSortFields::GroupCount => Order::GroupCount,
            InstancesSortFields::FollowersCount => Order::FollowersCount,
            InstancesSortFields::FollowingsCount => Order::FollowingsCount,
            InstancesSortFields::MediaSize => Order::MediaSize,
            InstancesSortFields::ReportsCount => {
                return Err(invalid("orderBy", "no reports are made on this instance"));
            }
        };
        let ascending = match direction.as_deref().map(str::trim) {
            None | Some("") => false,
            Some(d) if d.eq_ignore_ascii_case("desc") => false,
            Some(d) if d.eq_ignore_ascii_case("asc") => true,
            Some(_) => return Err(invalid("direction", "expected asc or desc")),
        };
        let query = instances::InstanceQuery {
            domain: filter_domain,
            follow: match filter_follow_status.unwrap_or(InstanceFilterFollowStatus::All) {
                InstanceFilterFollowStatus::All => instances::FollowFilter::All,
                InstanceFilterFollowStatus::Following => instances::FollowFilter::Following,
                InstanceFilterFollowStatus::Followed => instances::FollowFilter::Followed,
            },
            blocked_only: filter_suspend_status == Some(InstanceFilterSuspendStatus::Suspended),
            order,
            ascending,
        };
        let list = instances::known(
            &app(ctx)?.db,
            &principal(ctx),
            &query,
            objects::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedInstanceList {
            total: list.total,
            elements: list
                .elements
                .into_iter()
                .map(|(instance, stats)| Instance(instance, stats))
                .collect(),
        })
    }

    /// One instance we know, by its domain (administrators only).
    async fn instance(&self, ctx: &Context<'_>, domain: ID) -> GqlResult<Instance> {
        let (instance, stats) = instances::find(&app(ctx)?.db, &principal(ctx), &domain)
            .await
            .gql()?;
        Ok(Instance(instance, stats))
    }

    /// Instances following ours or asking to, the most recently changed first
    /// (administrators only).
    async fn relay_followers(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedFollowerList> {
        relay_list(ctx, RelaySide::Followers, page, limit).await
    }

    /// Instances ours follows or asked to (administrators only).
    async fn relay_followings(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedFollowerList> {
        relay_list(ctx, RelaySide::Followings, page, limit).await
    }

    /// Blocked instances, newest first (administrators only).
    async fn domain_blocks(&self, ctx: &Context<'_>) -> GqlResult<Vec<DomainBlock>> {
        let blocks = backend::domain_blocks::list(&app(ctx)?.db, &principal(ctx))
            .await
            .gql()?;
        Ok(blocks.into_iter().map(DomainBlock).collect())
    }
}

async fn relay_list(
    ctx: &Context<'_>,
    side: RelaySide,
    page: Option<i64>,
    limit: Option<i64>,
) -> GqlResult<PaginatedFollowerList> {
    let list = instances::relay_follows(
        &app(ctx)?.db,
        &principal(ctx),
        side,
        objects::page(page, limit)?,
    )
    .await
    .gql()?;
    Ok(PaginatedFollowerList {
        total: list.total,
        elements: list.elements.into_iter().map(Follower).collect(),
    })
}

/// An administrator answers the instance at `address`, which asked to follow ours: the
/// follow as it now stands, as Mobilizon answers.
async fn answer_relay(ctx: &Context<'_>, address: &str, accept: bool) -> GqlResult<Follower> {
    let app = app(ctx)?;
    let principal = principal(ctx);
    let request = instances::request_from(&app.db, &principal, domain_of_address(address))
        .await
        .gql()?;
    let follow = follows::decide(app, &principal, request.id, accept)
        .await
        .gql()?;
    Ok(Follower(follow))
}

#[derive(Default)]
pub struct InstanceMutation;

#[Object]
impl InstanceMutation {
    /// Our instance follows another one (found by NodeInfo's instance actor or `relay@`).
    async fn add_instance(&self, ctx: &Context<'_>, domain: String) -> GqlResult<Instance> {
        let app = app(ctx)?;
        let principal = principal(ctx);
        // Finding the other instance's actor asks it: not on behalf of just anyone.
        instances::check_manager(&principal).gql()?;
        let fetcher = ctx.data::<federation::Federation>()?;
        let remote = match federation::resolve_instance(fetcher, app, &domain).await {
            Ok(remote) => remote,
            Err(err) => {
                tracing::debug!(error = %err, "addInstance: no instance actor found");
                return Err(backend::Error::invalid(
                    "domain",
                    "no Convive or Mobilizon instance answers at this domain",
                ))
                .gql();
            }
        };
        let request = instances::follow_request(&app.db, &remote).await.gql()?;
        let follow = follows::follow(app, &principal, request).await.gql()?;
        let stats = instances::stats(&app.db, remote.domain.as_deref().unwrap_or_default())
            .await
            .gql()?;
        let follower = instances::find(
            &app.db,
            &principal,
            remote.domain.as_deref().unwrap_or_default(),
        )
        .await
        .map_or(FollowStatus::None, |(known, _)| known.follower);
        Ok(Instance(
            instances::Instance {
                actor: remote,
                followed: FollowStatus::of(Some(&follow)),
                follower,
            },
            stats,
        ))
    }

    /// Stops following an instance: the follow that went, as Mobilizon answers.
    async fn remove_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<Follower> {
        let app = app(ctx)?;
        let principal = principal(ctx);
        let request = instances::unfollow_request(&app.db, &principal, domain_of_address(&address))
            .await
            .gql()?;
        match follows::unfollow(app, &principal, request).await.gql()? {
            Unfollowed::Unfollowed(follow) => Ok(Follower(follow)),
            Unfollowed::NotFollowing => Err(backend::Error::not_found("instance follow")).gql(),
        }
    }

    /// Lets an instance that asked follow ours.
    async fn accept_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<Follower> {
        answer_relay(ctx, &address, true).await
    }

    /// Refuses an instance that asked to follow ours.
    async fn reject_relay(&self, ctx: &Context<'_>, address: String) -> GqlResult<Follower> {
        answer_relay(ctx, &address, false).await
    }

    /// Blocks an instance: its posts are refused, nothing is sent or fetched there, and what
    /// came from it is hidden.
    async fn block_domain(
        &self,
        ctx: &Context<'_>,
        domain: String,
        reason: Option<String>,
    ) -> GqlResult<DomainBlock> {
        let block =
            backend::domain_blocks::block(app(ctx)?, &principal(ctx), &domain, reason.as_deref())
                .await
                .gql()?;
        Ok(DomainBlock(block))
    }

    async fn unblock_domain(&self, ctx: &Context<'_>, domain: String) -> GqlResult<bool> {
        backend::domain_blocks::unblock(app(ctx)?, &principal(ctx), &domain)
            .await
            .gql()?;
        Ok(true)
    }
}
