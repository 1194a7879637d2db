use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A group's post: an announcement by its moderators, written here or received from the
/// group's instance. `publish_at` is set once it is published (a draft has none yet).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    /// Its address on the page: `/p/{slug}`.
    #[sea_orm(unique)]
    pub slug: String,
    #[sea_orm(unique)]
    pub ap_id: String,
    /// The group it is attributed to.
    pub group_id: i64,
    pub author_id: i64,
    pub title: String,
    /// Sanitized HTML.
    pub body: String,
    /// The Markdown it was typed in, when it came from the page's form.
    pub body_source: Option<String>,
    pub draft: bool,
    pub visibility: PostVisibility,
    pub language: Option<String>,
    pub picture_media_id: Option<i64>,
    pub local: bool,
    pub publish_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// Mobilizon's `PostVisibility`.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "PostVisibility")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PostVisibility {
    /// Listed on the group's page, in its feed, and federated.
    #[sea_orm(string_value = "public")]
    Public,
    /// Reachable by its link only.
    #[sea_orm(string_value = "unlisted")]
    Unlisted,
    /// The group's members only.
    #[sea_orm(string_value = "private")]
    Private,
}
