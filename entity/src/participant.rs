use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An actor's participation in an event (RSVP). Anonymous participants act as the instance's
/// anonymous actor and are told apart by their email.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "participants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub actor_id: i64,
    pub role: ParticipantRole,
    pub message: Option<String>,
    pub ap_id: Option<String>,
    #[serde(skip_serializing)]
    pub email: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<String>,
    #[serde(skip_serializing)]
    pub confirmation_token_hash: Option<String>,
    #[serde(skip_serializing)]
    pub cancellation_token_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// While `Waitlisted`: the place in the event's line, increasing (gaps are left by those
    /// who went ahead; the position shown counts the ranks before).
    pub waitlist_rank: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "ParticipantRoleEnum")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ParticipantRole {
    #[sea_orm(string_value = "creator")]
    Creator,
    #[sea_orm(string_value = "administrator")]
    Administrator,
    #[sea_orm(string_value = "moderator")]
    Moderator,
    #[sea_orm(string_value = "participant")]
    Participant,
    #[sea_orm(string_value = "not_approved")]
    NotApproved,
    // Anonymous, before following the link in the confirmation mail.
    #[sea_orm(string_value = "not_confirmed")]
    NotConfirmed,
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// In line for a seat of a full event (Convive's addition to Mobilizon's roles).
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
}

impl ParticipantRole {
    /// Roles of people who will be there.
    pub const GOING: [ParticipantRole; 4] = [
        ParticipantRole::Creator,
        ParticipantRole::Administrator,
        ParticipantRole::Moderator,
        ParticipantRole::Participant,
    ];

    pub fn is_going(self) -> bool {
        Self::GOING.contains(&self)
    }

    /// Whether this participant helps run the event.
    pub fn is_organizing(self) -> bool {
        matches!(
            self,
            ParticipantRole::Creator | ParticipantRole::Administrator | ParticipantRole::Moderator
        )
    }
}
