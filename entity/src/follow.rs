use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An actor following another (a person following a group, a remote follower…).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "follows")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub follower_id: i64,
    pub target_id: i64,
    pub approved: bool,
    /// The follower wants mail about new events of the target.
    pub notify: bool,
    pub ap_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

// Where a follow stands, in the words of Mobilizon's `InstanceFollowStatus` (a plain comment: a
// doc comment would become the GraphQL enum's description, which Mobilizon's has not).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "InstanceFollowStatus")
)]
pub enum FollowStatus {
    Approved,
    // Asked, not answered yet.
    Pending,
    // No follow at all.
    None,
}

impl FollowStatus {
    pub fn of(follow: Option<&Model>) -> Self {
        match follow {
            Some(follow) if follow.approved => FollowStatus::Approved,
            Some(_) => FollowStatus::Pending,
            None => FollowStatus::None,
        }
    }
}
