use sea_orm::entity::prelude::*;

/// The version a list feed shows now, and since when (`backend::feeds::dates`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feed_versions")]
pub struct Model {
    /// A hash of the feed's address and format: never a private feed's token in clear.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// The entity tag of the version shown.
    pub etag: String,
    /// Since when it is shown, in whole seconds since 1970 (HTTP dates have no fraction).
    pub since: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
