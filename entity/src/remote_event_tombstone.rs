use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A remote event its origin deleted, by its address: a copy of it that arrives later (a
/// retried `Create`, an `Announce` whose fetch began before the deletion) is not stored again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "remote_event_tombstones")]
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
