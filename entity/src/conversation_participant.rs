use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An actor taking part in a conversation, and whether they have read its last message
/// (Mobilizon's `ConversationParticipant`, whose id its API names a conversation by).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "conversation_participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub conversation_id: i64,
    pub actor_id: i64,
    pub unread: bool,
    /// Messages of the other side written since the reader last read (0 when read).
    pub unread_messages: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
