use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A recurring event: the rule its dates follow. Each date is an `events` row naming it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "event_series")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    pub organizer_actor_id: i64,
    pub attributed_to_id: Option<i64>,
    /// The RFC 5545 `RRULE` value, such as `FREQ=MONTHLY;BYDAY=2TU;COUNT=12`.
    pub rule: String,
    /// The local start of its first date (`DTSTART`), `YYYY-MM-DDTHH:MM:SS` in `timezone`.
    pub starts_local: String,
    /// IANA zone its dates keep their local time in.
    pub timezone: String,
    /// How long each date lasts (none without an end).
    pub lasts_seconds: Option<i64>,
    /// Dates taken out of the rule (`EXDATE`s), local starts as in `starts_local`, separated
    /// by commas.
    pub exdates: String,
    /// The original start of the last occurrence written as an event.
    pub materialized_until: DateTimeUtc,
    /// Whether the rule has no date after `materialized_until`.
    pub finished: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
