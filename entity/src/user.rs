use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A local account. Its public faces are its identities (`actor` rows of kind person).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub email: String,
    #[serde(skip_serializing)]
    pub password_hash: String,
    pub role: UserRole,
    pub locale: String,
    pub timezone: Option<String>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub confirmation_token_hash: Option<String>,
    pub confirmation_sent_at: Option<DateTimeUtc>,
    /// Proves to `registerPerson` that the caller registered the account; cleared once used.
    pub registration_token_hash: Option<String>,
    pub reset_token_hash: Option<String>,
    pub reset_sent_at: Option<DateTimeUtc>,
    pub default_actor_id: Option<i64>,
    pub last_login_at: Option<DateTimeUtc>,
    pub notification_on_day: bool,
    pub notification_before_event: bool,
    pub notification_pending_participation: PendingNotification,
    /// Where the user looks for events, as they chose it: a geohash, the place's name and a
    /// range in kilometres (Mobilizon's `UserSettings.location`).
    pub location_geohash: Option<String>,
    pub location_name: Option<String>,
    pub location_range: Option<i32>,
    /// An address the user asked to change to, until they follow the link mailed to it.
    pub unconfirmed_email: Option<String>,
    #[serde(skip_serializing)]
    pub email_change_token_hash: Option<String>,
    pub email_change_sent_at: Option<DateTimeUtc>,
    /// When an administrator disabled the account: it cannot log in, its address stays taken.
    pub disabled_at: Option<DateTimeUtc>,
    /// Registered while registrations need a moderator's approval, and not approved yet.
    pub awaiting_approval: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// A moderator or administrator is mailed for each new report (they may turn it off).
    pub notification_new_report: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "UserRole")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum UserRole {
    #[sea_orm(string_value = "user")]
    User,
    #[sea_orm(string_value = "moderator")]
    Moderator,
    #[sea_orm(string_value = "administrator")]
    Administrator,
}

// When organizers hear about participations waiting for their approval (a plain comment: a
// doc comment would become the GraphQL enum's description, which Mobilizon's has not).
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "NotificationPendingEnum")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PendingNotification {
    #[sea_orm(string_value = "none")]
    None,
    #[sea_orm(string_value = "direct")]
    Direct,
    #[sea_orm(string_value = "one_hour")]
    OneHour,
    #[sea_orm(string_value = "one_day")]
    OneDay,
    #[sea_orm(string_value = "one_week")]
    OneWeek,
}
