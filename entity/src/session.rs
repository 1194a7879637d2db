use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A logged-in device: an API refresh token or a browser session. Only hashes of the secrets
/// are stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub kind: SessionKind,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The token this one replaced at its last rotation: presenting it again means it leaked.
    pub previous_token_hash: Option<String>,
    pub csrf_token: Option<String>,
    pub created_at: DateTimeUtc,
    pub last_used_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum SessionKind {
    #[sea_orm(string_value = "api")]
    Api,
    #[sea_orm(string_value = "browser")]
    Browser,
}
