use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A remote actor its instance deleted (or suspended), by its address, kept a few minutes: a
/// document of it fetched just before the deletion arrived is not stored again after it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "remote_actor_deletions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub deleted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
