use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A comment under an event, written here or on another instance. A reply names its parent
/// (`in_reply_to_id`) and the first comment of its thread (`origin_id`). A deleted comment
/// keeps its row, with an empty text and `deleted_at` set, as a tombstone in its thread.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub event_id: i64,
    pub actor_id: i64,
    pub in_reply_to_id: Option<i64>,
    pub origin_id: Option<i64>,
    /// Sanitized HTML.
    pub text: String,
    pub is_announcement: bool,
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
