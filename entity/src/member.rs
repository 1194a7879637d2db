use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An actor's place in a group.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_id: i64,
    pub group_id: i64,
    pub role: MemberRole,
    pub invited_by_id: Option<i64>,
    pub ap_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "MemberRoleEnum")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MemberRole {
    #[sea_orm(string_value = "invited")]
    Invited,
    #[sea_orm(string_value = "not_approved")]
    NotApproved,
    #[sea_orm(string_value = "member")]
    Member,
    #[sea_orm(string_value = "moderator")]
    Moderator,
    #[sea_orm(string_value = "administrator")]
    Administrator,
    #[sea_orm(string_value = "creator")]
    Creator,
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

impl MemberRole {
    /// Roles of people who belong to the group (not invitations, requests or rejections).
    pub const BELONGING: [MemberRole; 4] = [
        MemberRole::Member,
        MemberRole::Moderator,
        MemberRole::Administrator,
        MemberRole::Creator,
    ];

    pub fn is_member(self) -> bool {
        Self::BELONGING.contains(&self)
    }

    pub fn is_moderator(self) -> bool {
        matches!(
            self,
            MemberRole::Moderator | MemberRole::Administrator | MemberRole::Creator
        )
    }

    pub fn is_administrator(self) -> bool {
        matches!(self, MemberRole::Administrator | MemberRole::Creator)
    }

    /// Orders roles by power, for "the highest role of any of my identities".
    pub fn rank(self) -> u8 {
        match self {
            MemberRole::Rejected => 0,
            MemberRole::Invited => 1,
            MemberRole::NotApproved => 2,
            MemberRole::Member => 3,
            MemberRole::Moderator => 4,
            MemberRole::Administrator => 5,
            MemberRole::Creator => 6,
        }
    }
}
