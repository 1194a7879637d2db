use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A picture as stored: re-encoded variants of an upload (`backend::media`), never the
/// uploaded bytes themselves.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "media")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The public id (Mobilizon's `Media.id`).
    #[sea_orm(unique)]
    pub uuid: String,
    pub owner_actor_id: i64,
    pub purpose: MediaPurpose,
    pub name: String,
    pub alt: Option<String>,
    pub content_type: String,
    /// Of the largest variant.
    pub width: i32,
    pub height: i32,
    pub blurhash: String,
    /// Bytes of the largest variant, the file at the picture's URL.
    pub size: i64,
    /// Bytes of all variants together, counted against the owner's quota.
    pub stored_bytes: i64,
    /// The variants as JSON: `[{name, key, width, height, bytes}]`.
    #[sea_orm(column_type = "Text")]
    pub variants: String,
    pub created_at: DateTimeUtc,
    /// Since when nothing points at it; `None` while attached.
    pub detached_at: Option<DateTimeUtc>,
    /// For a copy of another instance's picture: the address it was fetched from. `None`
    /// for uploads.
    pub remote_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a picture is for, which sets its size limit and its variants.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MediaPurpose {
    /// An event's picture, or a picture uploaded without saying (Mobilizon's `uploadMedia`).
    #[sea_orm(string_value = "picture")]
    Picture,
    #[sea_orm(string_value = "avatar")]
    Avatar,
    #[sea_orm(string_value = "banner")]
    Banner,
}
