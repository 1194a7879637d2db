use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A group's discussion (Mobilizon's): a title and its comments, seen by the group's members
/// alone. `updated_at` moves with each new comment, so the group's list shows the latest first.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "discussions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    #[sea_orm(unique)]
    pub slug: String,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub group_id: i64,
    pub creator_id: i64,
    pub title: String,
    pub local: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
