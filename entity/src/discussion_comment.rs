use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A comment in a group's discussion, written here or by a member on another instance
/// (`ap_id` its `Note`). A deleted comment keeps its row, with an empty text and `deleted_at`
/// set, as a tombstone in the discussion.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "discussion_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub discussion_id: i64,
    pub actor_id: i64,
    /// Sanitized HTML.
    pub text: String,
    pub language: Option<String>,
    pub local: bool,
    pub published_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
