use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What another instance runs, as its NodeInfo said when last read.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "peer_software")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// As in `actors.domain`: the host, and its port when not the default.
    #[sea_orm(unique)]
    pub domain: String,
    /// NodeInfo's `software.name`, lower case (`mobilizon`, `gancio`, `mastodon`…).
    pub software: Option<String>,
    pub version: Option<String>,
    /// The IANA zone it declares for itself (Gancio's `metadata.nodeTimezone`).
    pub timezone: Option<String>,
    pub read_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
