use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: String,
    #[sea_orm(unique)]
    pub ap_id: String,
    pub url: String,
    pub title: String,
    /// Sanitized HTML.
    pub description: String,
    /// What the organizer typed in the event form (Markdown), `description` being made from
    /// it; `None` when the description came as HTML (the API, another instance).
    pub description_source: Option<String>,
    pub begins_on: DateTimeUtc,
    pub ends_on: Option<DateTimeUtc>,
    /// IANA zone the event happens in; times are stored in UTC.
    pub timezone: String,
    pub status: EventStatus,
    pub visibility: EventVisibility,
    pub join_options: JoinOptions,
    pub external_participation_url: Option<String>,
    pub draft: bool,
    pub category: Option<String>,
    pub language: Option<String>,
    pub online_address: Option<String>,
    pub physical_address_id: Option<i64>,
    /// Copied from the address so searches by place use one table.
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The quarter-degree cell of the position (`backend::search::geo_cell`), for searches by
    /// place.
    pub geo_cell: Option<i32>,
    pub maximum_attendee_capacity: Option<i32>,
    pub show_remaining_attendee_capacity: bool,
    pub anonymous_participation: bool,
    pub hide_number_of_participants: bool,
    pub organizer_actor_id: i64,
    pub attributed_to_id: Option<i64>,
    pub local: bool,
    /// Bumped on every change that matters to attendees (iCalendar SEQUENCE).
    pub sequence: i32,
    /// The distinct lowercased, accent-free words of the title, tags, description and place,
    /// for search: their first 2 000 bytes (they fit in an index entry)…
    pub search_text: String,
    /// …and the rest, for the few events with more words.
    pub search_text_more: Option<String>,
    pub published_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// A remote event's `updated` at its origin: the version we hold.
    pub remote_updated_at: Option<DateTimeUtc>,
    /// Its picture (`media`), shown as its banner.
    pub picture_media_id: Option<i64>,
    /// What Mobilizon's events carry beside the fields above (offers, program, contacts…), as
    /// one JSON document (`backend::events::details`).
    pub details: Option<String>,
    /// Whether it happens online (Mobilizon's `options.isOnline`), for searches by kind.
    pub is_online: bool,
    /// How long it lasts, in seconds (none without an end), for searches of long events.
    pub lasts_seconds: Option<i64>,
    /// Whether a full event puts new participants in line rather than refusing them (only
    /// events with a capacity fill up).
    pub waitlist: bool,
    /// The series it is a date of (`event_series`), if it repeats.
    pub series_id: Option<i64>,
    /// Its original start in the series' rule (iCalendar's `RECURRENCE-ID`).
    pub recurrence_id: Option<DateTimeUtc>,
    /// Whether this date was changed alone, apart from its series.
    pub recurrence_overridden: bool,
    /// For an event of another Convive: the address of the series it is a date of there
    /// (`convive:series`).
    pub remote_series_url: Option<String>,
    /// Whether its organizer or group is suspended (`backend::events::hidden`): left out of
    /// every list, search and feed.
    pub hidden: bool,
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
    graphql(name = "EventStatus")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum EventStatus {
    #[sea_orm(string_value = "tentative")]
    Tentative,
    #[sea_orm(string_value = "confirmed")]
    Confirmed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "EventVisibility")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum EventVisibility {
    /// Listed, searchable and federated.
    #[sea_orm(string_value = "public")]
    Public,
    /// Reachable by its link only.
    #[sea_orm(string_value = "unlisted")]
    Unlisted,
    /// Mobilizon's "visible only after a moderator accepted": the group's members and the
    /// participants the organizers accepted (`backend::events::policy::can_view`).
    #[sea_orm(string_value = "restricted")]
    Restricted,
    /// Only the group's members and the participants see it.
    #[sea_orm(string_value = "private")]
    Private,
}

#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "EventJoinOptions")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum JoinOptions {
    /// Anyone joins at once.
    #[sea_orm(string_value = "free")]
    Free,
    /// The organizers approve each participant.
    #[sea_orm(string_value = "restricted")]
    Restricted,
    /// On invitation: as in Mobilizon, which has no invitation objects for events, the
    /// organizers approve each participant, as for `Restricted`.
    #[sea_orm(string_value = "invite")]
    Invite,
    /// People register elsewhere (`externalParticipationUrl`).
    #[sea_orm(string_value = "external")]
    External,
}

// Mobilizon's event categories, under its GraphQL names, which are also what the `category`
// column holds.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[cfg_attr(
    feature = "graphql",
    derive(async_graphql::Enum),
    graphql(name = "EventCategory")
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EventCategory {
    #[sea_orm(string_value = "ARTS")]
    Arts,
    #[sea_orm(string_value = "BOOK_CLUBS")]
    BookClubs,
    #[sea_orm(string_value = "BUSINESS")]
    Business,
    #[sea_orm(string_value = "CAUSES")]
    Causes,
    #[sea_orm(string_value = "COMEDY")]
    Comedy,
    #[sea_orm(string_value = "CRAFTS")]
    Crafts,
    #[sea_orm(string_value = "FOOD_DRINK")]
    FoodDrink,
    #[sea_orm(string_value = "HEALTH")]
    Health,
    #[sea_orm(string_value = "MUSIC")]
    Music,
    #[sea_orm(string_value = "AUTO_BOAT_AIR")]
    AutoBoatAir,
    #[sea_orm(string_value = "COMMUNITY")]
    Community,
    #[sea_orm(string_value = "FAMILY_EDUCATION")]
    FamilyEducation,
    #[sea_orm(string_value = "FASHION_BEAUTY")]
    FashionBeauty,
    #[sea_orm(string_value = "FILM_MEDIA")]
    FilmMedia,
    #[sea_orm(string_value = "GAMES")]
    Games,
    #[sea_orm(string_value = "LANGUAGE_CULTURE")]
    LanguageCulture,
    #[sea_orm(string_value = "LEARNING")]
    Learning,
    #[sea_orm(string_value = "LGBTQ")]
    Lgbtq,
    #[sea_orm(string_value = "MOVEMENTS_POLITICS")]
    MovementsPolitics,
    #[sea_orm(string_value = "NETWORKING")]
    Networking,
    #[sea_orm(string_value = "PARTY")]
    Party,
    #[sea_orm(string_value = "PERFORMING_VISUAL_ARTS")]
    PerformingVisualArts,
    #[sea_orm(string_value = "PETS")]
    Pets,
    #[sea_orm(string_value = "PHOTOGRAPHY")]
    Photography,
    #[sea_orm(string_value = "OUTDOORS_ADVENTURE")]
    OutdoorsAdventure,
    #[sea_orm(string_value = "SPIRITUALITY_RELIGION_BELIEFS")]
    SpiritualityReligionBeliefs,
    #[sea_orm(string_value = "SCIENCE_TECH")]
    ScienceTech,
    #[sea_orm(string_value = "SPORTS")]
    Sports,
    #[sea_orm(string_value = "THEATRE")]
    Theatre,
    #[sea_orm(string_value = "MEETING")]
    Meeting,
}
