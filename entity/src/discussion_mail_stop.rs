use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A member who asked for no mail about their group's discussions. Most members want them,
/// so a row says no; it goes with the membership.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "discussion_mail_stops")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
