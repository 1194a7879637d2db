use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A message in a conversation, written here or on another instance (`ap_id` its `Note`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "conversation_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub conversation_id: i64,
    pub actor_id: i64,
    /// Sanitized HTML.
    pub text: String,
    pub language: Option<String>,
    pub local: bool,
    pub published_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
