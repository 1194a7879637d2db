use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A private calendar feed of one user's participations: of all their identities, or of
/// `actor_id` alone. Whoever holds the token reads the feed; deleting the row revokes it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "feed_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Shown to its owner again (the settings page lists their feed addresses).
    #[serde(skip_serializing)]
    pub token: String,
    /// What requests are matched on.
    #[sea_orm(unique)]
    #[serde(skip_serializing)]
    pub token_hash: String,
    pub user_id: i64,
    pub actor_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
