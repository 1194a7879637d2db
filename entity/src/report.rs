use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Someone tells moderators about a person or group (`reported_actor_id`), and maybe some of
/// its events and comments (`report_events`, `report_comments`). Made here (`local`, by one
/// of a user's identities, or by the anonymous actor with `reporter_email`) or received from
/// another instance as a `Flag` (the reporter is that instance's actor, `ap_id` the `Flag`'s).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    #[sea_orm(unique)]
    pub ap_id: String,
    /// Plain text, as the reporter wrote it.
    pub content: Option<String>,
    pub status: ReportStatus,
    pub reporter_actor_id: i64,
    /// Where an anonymous reporter hears the outcome; never shown.
    #[serde(skip_serializing)]
    pub reporter_email: Option<String>,
    pub reported_actor_id: i64,
    /// The reporter agreed that a report about another instance's actor goes to it.
    pub forward: bool,
    pub local: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

// Where a report stands (a plain comment: a doc comment would become the GraphQL enum's
// description).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "ReportStatus")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ReportStatus {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "closed")]
    Closed,
    #[sea_orm(string_value = "resolved")]
    Resolved,
}
