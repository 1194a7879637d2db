use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Organizers writing to one participant of their event: the sender is the organizer's
/// identity or the event's group, the recipient the participant's actor (the instance's
/// anonymous actor for someone who took part by email, whose participation then says who).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    pub event_id: i64,
    pub sender_actor_id: i64,
    pub recipient_actor_id: i64,
    /// The participation written to; gone if it is.
    pub participant_id: Option<i64>,
    /// For an anonymous participant: the SHA-256 (hex) of the token their mail's answer link
    /// carries.
    #[serde(skip_serializing)]
    pub answer_token_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
