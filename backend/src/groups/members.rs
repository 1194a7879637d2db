//! Belonging to a group: joining, invitations, requests, roles, leaving and removal. A group
//! always keeps at least one administrator.

use entity::actor::ActorKind;
use entity::member::{self, MemberRole};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};

use super::policy::{self, JoinOutcome};
use super::service::other_administrators;
use super::{find, membership_of};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::principal::Principal;

async fn find_member(conn: &impl ConnectionTrait, member_id: i64) -> Result<member::Model> {
    member::Entity::find_by_id(member_id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("member"))
}

async fn membership(
    conn: &impl ConnectionTrait,
    actor_id: i64,
    group_id: i64,
) -> Result<Option<member::Model>> {
    Ok(member::Entity::find()
        .filter(member::Column::ActorId.eq(actor_id))
        .filter(member::Column::GroupId.eq(group_id))
        .one(conn)
        .await?)
}

async fn set_role(
    conn: &impl ConnectionTrait,
    member: member::Model,
    role: MemberRole,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<member::Model> {
    let mut active: member::ActiveModel = member.into();
    active.role = Set(role);
    active.updated_at = Set(now);
    Ok(active.update(conn).await?)
}

fn last_administrator() -> Error {
    Error::rule(
        "last_administrator",
        "a group keeps at least one administrator: name another one first",
    )
}

/// Whether this member may leave the group: a group keeps at least one administrator.
pub async fn may_leave(conn: &impl ConnectionTrait, member: &member::Model) -> Result<bool> {
    Ok(!member.role.is_administrator()
        || other_administrators(conn, member.group_id, member.id).await? > 0)
}

/// Who joins or leaves which group.
#[derive(Debug, Clone, Default)]
pub struct MembershipRequest {
    pub group_id: i64,
    /// One of the caller's identities; their default one when absent.
    pub actor_id: Option<i64>,
}

/// What became of a request to join a group.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinedGroup {
    /// A member at once: an open group, or an invitation answered by joining.
    Member(member::Model),
    /// A request that the group's moderators decide on.
    Pending(member::Model),
    /// The group does not take them.
    Refused(GroupRefusal),
}

/// Why a group does not take someone who asks to join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRefusal {
    /// The group only takes people its moderators invite.
    InviteOnly,
    /// The group's moderators declined this person before.
    Declined,
    /// They are a member already, or asked to be.
    AlreadyMember,
}

impl GroupRefusal {
    /// The refusal as the error people here are given.
    pub fn into_error(self) -> Error {
        match self {
            GroupRefusal::InviteOnly => {
                Error::forbidden("this group is on invitation only: ask one of its moderators")
            }
            GroupRefusal::Declined => {
                Error::forbidden("the group's moderators declined your membership")
            }
            GroupRefusal::AlreadyMember => Error::conflict(
                "groupId",
                "you are already a member of this group or asked to be",
            ),
        }
    }
}

impl JoinedGroup {
    /// The membership, or the refusal as the error people here are given.
    pub fn into_member(self) -> Result<member::Model> {
        match self {
            JoinedGroup::Member(member) | JoinedGroup::Pending(member) => Ok(member),
            JoinedGroup::Refused(refusal) => Err(refusal.into_error()),
        }
    }
}

/// Someone asks to join a group as one of their identities: a member at once in an open
/// group, a request in a moderated one; an invitation is accepted by joining.
pub async fn join(
    ctx: &AppContext,
    principal: &Principal,
    request: MembershipRequest,
) -> Result<JoinedGroup> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let actor = principal.acting_actor(&tx, request.actor_id).await?;
    let group = find(&tx, request.group_id).await?;
    let role = match policy::join_outcome(group.openness) {
        JoinOutcome::Member => MemberRole::Member,
        JoinOutcome::AwaitApproval => MemberRole::NotApproved,
        JoinOutcome::Refused => return Ok(JoinedGroup::Refused(GroupRefusal::InviteOnly)),
    };
    let member = match membership(&tx, actor.id, group.id).await? {
        Some(existing) if existing.role == MemberRole::Invited => {
            set_role(&tx, existing, MemberRole::Member, now).await?
        }
        Some(existing) if existing.role == MemberRole::Rejected => {
            return Ok(JoinedGroup::Refused(GroupRefusal::Declined));
        }
        Some(_) => return Ok(JoinedGroup::Refused(GroupRefusal::AlreadyMember)),
        None => {
            member::Entity::insert(member::ActiveModel {
                id: NotSet,
                actor_id: Set(actor.id),
                group_id: Set(group.id),
                role: Set(role),
                invited_by_id: Set(None),
                ap_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_with_returning(&tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(match member.role {
        MemberRole::NotApproved => JoinedGroup::Pending(member),
        _ => JoinedGroup::Member(member),
    })
}

/// What became of a request to leave a group.
#[derive(Debug, Clone, PartialEq)]
pub enum LeftGroup {
    /// The membership (or the request to join) is gone.
    Left(member::Model),
    /// There was none.
    NotMember,
}

impl LeftGroup {
    /// The membership that went, or `not_found` for people here.
    pub fn into_member(self) -> Result<member::Model> {
        match self {
            LeftGroup::Left(member) => Ok(member),
            LeftGroup::NotMember => Err(Error::not_found("member")),
        }
    }
}

/// Someone leaves a group as one of their identities (or withdraws a request). The last
/// administrator cannot.
pub async fn leave(
    ctx: &AppContext,
    principal: &Principal,
    request: MembershipRequest,
) -> Result<LeftGroup> {
    let tx = begin_write(ctx).await?;
    let actor = principal.acting_actor(&tx, request.actor_id).await?;
    lock_row(&tx, "actors", request.group_id).await?;
    let group = find(&tx, request.group_id).await?;
    let Some(member) = membership(&tx, actor.id, group.id)
        .await?
        .filter(|m| m.role != MemberRole::Rejected)
    else {
        return Ok(LeftGroup::NotMember);
    };
    if !may_leave(&tx, &member).await? {
        return Err(last_administrator());
    }
    member::Entity::delete_by_id(member.id).exec(&tx).await?;
    tx.commit().await?;
    Ok(LeftGroup::Left(member))
}

/// Invites a local person (by username) or a known remote one (`name@host`).
pub async fn invite(
    ctx: &AppContext,
    principal: &Principal,
    group_id: i64,
    target_username: &str,
) -> Result<member::Model> {
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let group = find(&tx, group_id).await?;
    let inviter = membership_of(&tx, principal, group.id).await?;
    if !policy::can_invite(inviter.as_ref().map(|m| m.role)) {
        return Err(Error::forbidden("only the group's moderators can invite"));
    }
    let target = crate::actors::find_by_handle(&tx, target_username)
        .await?
        .filter(|a| a.kind == ActorKind::Person && !a.suspended)
        .ok_or(Error::not_found("person"))?;
    let member = match membership(&tx, target.id, group.id).await? {
        Some(existing) if existing.role == MemberRole::NotApproved => {
            // Inviting someone who asked to join lets them in.
            set_role(&tx, existing, MemberRole::Member, now).await?
        }
        Some(existing) if existing.role == MemberRole::Rejected => {
            let mut active: member::ActiveModel = existing.into();
            active.role = Set(MemberRole::Invited);
            active.invited_by_id = Set(inviter.map(|m| m.actor_id));
            active.updated_at = Set(now);
            active.update(&tx).await?
        }
        Some(_) => {
            return Err(Error::conflict(
                "targetActorUsername",
                "this person is already a member or invited",
            ));
        }
        None => {
            member::Entity::insert(member::ActiveModel {
                id: NotSet,
                actor_id: Set(target.id),
                group_id: Set(group.id),
                role: Set(MemberRole::Invited),
                invited_by_id: Set(inviter.map(|m| m.actor_id)),
                ap_id: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_with_returning(&tx)
            .await?
        }
    };
    tx.commit().await?;
    Ok(member)
}

/// The invited person (one of the caller's identities) answers an invitation.
async fn answer_invitation(
    ctx: &AppContext,
    principal: &Principal,
    member_id: i64,
    accept: bool,
) -> Result<member::Model> {
    let tx = begin_write(ctx).await?;
    let member = find_member(&tx, member_id).await?;
    let mine = principal.actor_ids(&tx).await?;
    if !mine.contains(&member.actor_id) || member.role != MemberRole::Invited {
        return Err(Error::not_found("invitation"));
    }
    let member = if accept {
        set_role(&tx, member, MemberRole::Member, ctx.now()).await?
    } else {
        member::Entity::delete_by_id(member.id).exec(&tx).await?;
        member
    };
    tx.commit().await?;
    Ok(member)
}

pub async fn accept_invitation(
    ctx: &AppContext,
    principal: &Principal,
    member_id: i64,
) -> Result<member::Model> {
    answer_invitation(ctx, principal, member_id, true).await
}

pub async fn reject_invitation(
    ctx: &AppContext,
    principal: &Principal,
    member_id: i64,
) -> Result<member::Model> {
    answer_invitation(ctx, principal, member_id, false).await
}

/// A moderator decides on a request to join.
async fn decide_request(
    ctx: &AppContext,
    principal: &Principal,
    member_id: i64,
    approve: bool,
) -> Result<member::Model> {
    let tx = begin_write(ctx).await?;
    let member = find_member(&tx, member_id).await?;
    let role = membership_of(&tx, principal, member.group_id)
        .await?
        .map(|m| m.role);
    if !policy::can_decide_requests(role) {
        return Err(Error::forbidden(
            "only the group's moderators decide on requests",
        ));
    }
    if member.role != MemberRole::NotApproved {
        return Err(Error::rule(
            "not_pending",
            "this person is not waiting for approval",
        ));
    }
    let new_role = if approve {
        MemberRole::Member
    } else {
        MemberRole::Rejected
    };
    let member = set_role(&tx, member, new_role, ctx.now()).await?;
    tx.commit().await?;
    Ok(member)
}

pub async fn approve(
    ctx: &AppContext,
    principal: &Principal,
    member_id: i64,
) -> Result<member::Model> {
    decide_request(ctx, principal, member_id, true).await
}

pub async fn reject(
    ctx: &AppContext,
    principal: &Principal,
    member_id: i64,
) -> Result<member::Model> {
    decide_request(ctx, principal, member_id, false).await
}

/// An administrator gives a member another role.
pub async fn update_role(
    ctx: &AppContext,
    principal: &Principal,
    member_id: i64,
    role: MemberRole,
) -> Result<member::Model> {
    let tx = begin_write(ctx).await?;
    let member = find_member(&tx, member_id).await?;
    lock_row(&tx, "actors", member.group_id).await?;
    let mine = membership_of(&tx, principal, member.group_id)
        .await?
        .map(|m| m.role);
    if !policy::can_change_role(mine, member.role, role) {
        return Err(Error::forbidden(
            "only the group's administrators give roles, among member, moderator and administrator",
        ));
    }
    if member.role.is_administrator()
        && !role.is_administrator()
        && other_administrators(&tx, member.group_id, member.id).await? == 0
    {
        return Err(last_administrator());
    }
    // The creator stays recognisable as such when made "administrator" again.
    let role = if member.role == MemberRole::Creator && role == MemberRole::Administrator {
        MemberRole::Creator
    } else {
        role
    };
    let member = set_role(&tx, member, role, ctx.now()).await?;
    tx.commit().await?;
    Ok(member)
}

/// A moderator or administrator removes someone from the group.
pub async fn remove(
    ctx: &AppContext,
    principal: &Principal,
    member_id: i64,
) -> Result<member::Model> {
    let tx = begin_write(ctx).await?;
    let member = find_member(&tx, member_id).await?;
    lock_row(&tx, "actors", member.group_id).await?;
    let mine = membership_of(&tx, principal, member.group_id)
        .await?
        .map(|m| m.role);
    if !policy::can_remove(mine, member.role) {
        return Err(Error::forbidden(
            "you cannot remove this member from the group",
        ));
    }
    if member.role.is_administrator()
        && other_administrators(&tx, member.group_id, member.id).await? == 0
    {
        return Err(last_administrator());
    }
    member::Entity::delete_by_id(member.id).exec(&tx).await?;
    tx.commit().await?;
    Ok(member)
}

/// What became of a suspended person's places in groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MembershipsEnded {
    /// Memberships, invitations and requests that went.
    pub ended: u64,
    /// Groups where they were the last administrator and the longest-standing moderator (or
    /// else member) took over.
    pub handed_over: Vec<i64>,
    /// Groups where they were the last administrator and nobody else belongs: the membership
    /// stays, so that the group is not left without anyone to run it.
    pub kept: Vec<i64>,
}

/// A moderator suspended `actor_id`: their memberships end, as Mobilizon ends them, but a
/// group they were the last administrator of goes to its longest-standing moderator, or else
/// member, not suspended themselves. A refusal by the group stays on record.
pub(crate) async fn end_for_suspension(
    conn: &impl ConnectionTrait,
    actor_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<MembershipsEnded> {
    use sea_orm::{QueryOrder, QuerySelect};
    let memberships = member::Entity::find()
        .filter(member::Column::ActorId.eq(actor_id))
        .filter(member::Column::Role.ne(MemberRole::Rejected))
        .order_by_asc(member::Column::GroupId)
        .all(conn)
        .await?;
    let mut outcome = MembershipsEnded::default();
    for membership in memberships {
        lock_row(conn, "actors", membership.group_id).await?;
        if !may_leave(conn, &membership).await? {
            let mut successor = None;
            for role in [MemberRole::Moderator, MemberRole::Member] {
                successor = member::Entity::find()
                    .filter(member::Column::GroupId.eq(membership.group_id))
                    .filter(member::Column::Role.eq(role))
                    .filter(
                        member::Column::ActorId.not_in_subquery(crate::events::suspended_actors()),
                    )
                    .order_by_asc(member::Column::CreatedAt)
                    .order_by_asc(member::Column::Id)
                    .limit(1)
                    .one(conn)
                    .await?;
                if successor.is_some() {
                    break;
                }
            }
            let Some(successor) = successor else {
                outcome.kept.push(membership.group_id);
                continue;
            };
            set_role(conn, successor, MemberRole::Administrator, now).await?;
            outcome.handed_over.push(membership.group_id);
        }
        member::Entity::delete_by_id(membership.id)
            .exec(conn)
            .await?;
        outcome.ended += 1;
    }
    Ok(outcome)
}
