use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Anything that can act: a local identity of a user, a group, the instance itself, or a cached
/// remote actor (`domain` is set for those).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "actors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub preferred_username: String,
    /// `None` for local actors; the host (with port when not default) for remote ones.
    pub domain: Option<String>,
    pub kind: ActorKind,
    pub name: Option<String>,
    pub summary: Option<String>,
    pub user_id: Option<i64>,
    pub url: Option<String>,
    pub inbox_url: Option<String>,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub public_key_pem: Option<String>,
    #[serde(skip_serializing)]
    pub private_key_pem: Option<String>,
    pub visibility: ActorVisibility,
    pub openness: Openness,
    pub manually_approves_followers: bool,
    pub suspended: bool,
    pub physical_address_id: Option<i64>,
    pub last_refreshed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub avatar_media_id: Option<i64>,
    pub banner_media_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    pub fn is_local(&self) -> bool {
        self.domain.is_none()
    }
}

// What an actor is; Mobilizon's `ActorType` in GraphQL, under ActivityPub's names.
// ActivityPub's Organization and Service are not stored here: an actor of those types is
// not kept, so the enum does not offer them.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "ActorType", rename_items = "PascalCase")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ActorKind {
    #[sea_orm(string_value = "person")]
    Person,
    #[sea_orm(string_value = "group")]
    Group,
    #[sea_orm(string_value = "application")]
    Application,
}

// Who sees an actor; Mobilizon's `GroupVisibility` in GraphQL. Public: listed in directories
// and search; unlisted: reachable by its address, never listed; private: as unlisted (what
// Mobilizon gives it).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "GroupVisibility")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ActorVisibility {
    #[sea_orm(string_value = "public")]
    Public,
    #[sea_orm(string_value = "unlisted")]
    Unlisted,
    #[sea_orm(string_value = "private")]
    Private,
}

// How a group admits members (persons are always `Open`). A plain comment: a doc comment
// would become the GraphQL enum's description, which Mobilizon's has not.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "Openness")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Openness {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "moderated")]
    Moderated,
    #[sea_orm(string_value = "invite_only")]
    InviteOnly,
}
