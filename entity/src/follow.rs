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
