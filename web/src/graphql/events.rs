//! Events, with Mobilizon's names: `event`, `events`, `searchEvents`, `createEvent`,
//! `updateEvent`, `deleteEvent`.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use backend::events::{self, EventChanges, EventOptions as DomainOptions, NewEvent, SearchQuery};
use backend::pagination::Paginated;
use chrono::{DateTime, Utc};
use entity::event::{self, EventStatus, EventVisibility, JoinOptions};

use super::addresses::{Address, AddressInput};
use super::errors::{GqlResult, IntoGql, invalid};
use super::groups::{Group, page};
use super::loaders;
use super::participations::{PaginatedParticipantList, Participant, parse_participant_roles};
use super::persons::Person;
use super::users::DeletedObject;
use super::{app, parse_id, principal};

/// Mobilizon's event categories.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "EventCategory")]
pub enum EventCategory {
    Arts,
    BookClubs,
    Business,
    Causes,
    Comedy,
    Crafts,
    FoodDrink,
    Health,
    Music,
    AutoBoatAir,
    Community,
    FamilyEducation,
    FashionBeauty,
    FilmMedia,
    Games,
    LanguageCulture,
    Learning,
    Lgbtq,
    MovementsPolitics,
    Networking,
    Party,
    PerformingVisualArts,
    Pets,
    Photography,
    OutdoorsAdventure,
    SpiritualityReligionBeliefs,
    ScienceTech,
    Sports,
    Theatre,
    Meeting,
}

impl EventCategory {
    pub fn code(self) -> &'static str {
        match self {
            EventCategory::Arts => "ARTS",
            EventCategory::BookClubs => "BOOK_CLUBS",
            EventCategory::Business => "BUSINESS",
            EventCategory::Causes => "CAUSES",
            EventCategory::Comedy => "COMEDY",
            EventCategory::Crafts => "CRAFTS",
            EventCategory::FoodDrink => "FOOD_DRINK",
            EventCategory::Health => "HEALTH",
            EventCategory::Music => "MUSIC",
            EventCategory::AutoBoatAir => "AUTO_BOAT_AIR",
            EventCategory::Community => "COMMUNITY",
            EventCategory::FamilyEducation => "FAMILY_EDUCATION",
            EventCategory::FashionBeauty => "FASHION_BEAUTY",
            EventCategory::FilmMedia => "FILM_MEDIA",
            EventCategory::Games => "GAMES",
            EventCategory::LanguageCulture => "LANGUAGE_CULTURE",
            EventCategory::Learning => "LEARNING",
            EventCategory::Lgbtq => "LGBTQ",
            EventCategory::MovementsPolitics => "MOVEMENTS_POLITICS",
            EventCategory::Networking => "NETWORKING",
            EventCategory::Party => "PARTY",
            EventCategory::PerformingVisualArts => "PERFORMING_VISUAL_ARTS",
            EventCategory::Pets => "PETS",
            EventCategory::Photography => "PHOTOGRAPHY",
            EventCategory::OutdoorsAdventure => "OUTDOORS_ADVENTURE",
            EventCategory::SpiritualityReligionBeliefs => "SPIRITUALITY_RELIGION_BELIEFS",
            EventCategory::ScienceTech => "SCIENCE_TECH",
            EventCategory::Sports => "SPORTS",
            EventCategory::Theatre => "THEATRE",
            EventCategory::Meeting => "MEETING",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "ARTS" => Some(EventCategory::Arts),
            "BOOK_CLUBS" => Some(EventCategory::BookClubs),
            "BUSINESS" => Some(EventCategory::Business),
            "CAUSES" => Some(EventCategory::Causes),
            "COMEDY" => Some(EventCategory::Comedy),
            "CRAFTS" => Some(EventCategory::Crafts),
            "FOOD_DRINK" => Some(EventCategory::FoodDrink),
            "HEALTH" => Some(EventCategory::Health),
            "MUSIC" => Some(EventCategory::Music),
            "AUTO_BOAT_AIR" => Some(EventCategory::AutoBoatAir),
            "COMMUNITY" => Some(EventCategory::Community),
            "FAMILY_EDUCATION" => Some(EventCategory::FamilyEducation),
            "FASHION_BEAUTY" => Some(EventCategory::FashionBeauty),
            "FILM_MEDIA" => Some(EventCategory::FilmMedia),
            "GAMES" => Some(EventCategory::Games),
            "LANGUAGE_CULTURE" => Some(EventCategory::LanguageCulture),
            "LEARNING" => Some(EventCategory::Learning),
            "LGBTQ" => Some(EventCategory::Lgbtq),
            "MOVEMENTS_POLITICS" => Some(EventCategory::MovementsPolitics),
            "NETWORKING" => Some(EventCategory::Networking),
            "PARTY" => Some(EventCategory::Party),
            "PERFORMING_VISUAL_ARTS" => Some(EventCategory::PerformingVisualArts),
            "PETS" => Some(EventCategory::Pets),
            "PHOTOGRAPHY" => Some(EventCategory::Photography),
            "OUTDOORS_ADVENTURE" => Some(EventCategory::OutdoorsAdventure),
            "SPIRITUALITY_RELIGION_BELIEFS" => Some(EventCategory::SpiritualityReligionBeliefs),
            "SCIENCE_TECH" => Some(EventCategory::ScienceTech),
            "SPORTS" => Some(EventCategory::Sports),
            "THEATRE" => Some(EventCategory::Theatre),
            "MEETING" => Some(EventCategory::Meeting),
            _ => None,
        }
    }
}

/// Participation settings and the event's time zone.
#[derive(InputObject, Default, Clone)]
#[graphql(name = "EventOptionsInput")]
pub struct EventOptionsInput {
    /// 0 means no limit.
    pub maximum_attendee_capacity: Option<i32>,
    pub show_remaining_attendee_capacity: Option<bool>,
    pub anonymous_participation: Option<bool>,
    pub hide_number_of_participants: Option<bool>,
    /// IANA zone name, such as Europe/Paris.
    pub timezone: Option<String>,
    /// Accepted for compatibility; Convive always shows start and end times.
    pub show_start_time: Option<bool>,
    pub show_end_time: Option<bool>,
}

impl From<EventOptionsInput> for DomainOptions {
    fn from(o: EventOptionsInput) -> Self {
        DomainOptions {
            maximum_attendee_capacity: o.maximum_attendee_capacity,
            show_remaining_attendee_capacity: o.show_remaining_attendee_capacity,
            anonymous_participation: o.anonymous_participation,
            hide_number_of_participants: o.hide_number_of_participants,
            timezone: o.timezone,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "EventOptions")]
pub struct EventOptionsObject {
    maximum_attendee_capacity: i32,
    remaining_attendee_capacity: Option<i32>,
    show_remaining_attendee_capacity: bool,
    anonymous_participation: bool,
    hide_number_of_participants: bool,
    timezone: String,
    show_start_time: bool,
    show_end_time: bool,
}

#[derive(SimpleObject, Default)]
#[graphql(name = "ParticipantStats")]
pub struct ParticipantStatsObject {
    /// Everyone who will be there (organizers included).
    going: u64,
    participant: u64,
    not_approved: u64,
    not_confirmed: u64,
    rejected: u64,
    moderator: u64,
    administrator: u64,
    creator: u64,
}

#[derive(SimpleObject)]
pub struct Tag {
    id: ID,
    slug: String,
    title: String,
}

/// An event.
pub struct Event(pub event::Model);

impl Event {
    /// Whether the caller runs this event (checked only when an answer depends on it).
    async fn caller_runs_it(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let access = events::access(&app(ctx)?.db, &principal(ctx), &self.0)
            .await
            .gql()?;
        Ok(events::policy::can_manage_participants(
            events::facts(&self.0),
            access,
        ))
    }

    async fn stats(&self, ctx: &Context<'_>) -> GqlResult<events::ParticipantStats> {
        Ok(loaders::loaders(ctx)?
            .stats
            .load_one(self.0.id)
            .await?
            .unwrap_or_default())
    }
}

#[Object]
impl Event {
    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    async fn uuid(&self) -> &str {
        &self.0.uuid
    }

    async fn url(&self) -> &str {
        &self.0.url
    }

    async fn local(&self) -> bool {
        self.0.local
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Sanitized HTML.
    async fn description(&self) -> &str {
        &self.0.description
    }

    async fn begins_on(&self) -> DateTime<Utc> {
        self.0.begins_on
    }

    async fn ends_on(&self) -> Option<DateTime<Utc>> {
        self.0.ends_on
    }

    async fn status(&self) -> EventStatus {
        self.0.status
    }

    async fn visibility(&self) -> EventVisibility {
        self.0.visibility
    }

    async fn join_options(&self) -> JoinOptions {
        self.0.join_options
    }

    async fn external_participation_url(&self) -> Option<&str> {
        self.0.external_participation_url.as_deref()
    }

    async fn draft(&self) -> bool {
        self.0.draft
    }

    async fn category(&self) -> Option<EventCategory> {
        self.0.category.as_deref().and_then(EventCategory::parse)
    }

    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }

    async fn online_address(&self) -> Option<&str> {
        self.0.online_address.as_deref()
    }

    /// Bumped on every change that matters to attendees (iCalendar SEQUENCE).
    async fn sequence(&self) -> i32 {
        self.0.sequence
    }

    async fn tags(&self, ctx: &Context<'_>) -> GqlResult<Vec<Tag>> {
        Ok(loaders::loaders(ctx)?
            .tags
            .load_one(self.0.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|t| Tag {
                id: ID::from(t.id.to_string()),
                slug: t.slug,
                title: t.title,
            })
            .collect())
    }

    async fn physical_address(&self, ctx: &Context<'_>) -> GqlResult<Option<Address>> {
        match self.0.physical_address_id {
            Some(id) => Ok(loaders::loaders(ctx)?
                .addresses
                .load_one(id)
                .await?
                .map(Address)),
            None => Ok(None),
        }
    }

    async fn options(&self, ctx: &Context<'_>) -> GqlResult<EventOptionsObject> {
        let remaining = if self.0.show_remaining_attendee_capacity
            || self.caller_runs_it(ctx).await?
        {
            let stats = self.stats(ctx).await?;
            events::remaining_seats(&self.0, &stats).map(|n| i32::try_from(n).unwrap_or(i32::MAX))
        } else {
            None
        };
        Ok(EventOptionsObject {
            maximum_attendee_capacity: self.0.maximum_attendee_capacity.unwrap_or(0),
            remaining_attendee_capacity: remaining,
            show_remaining_attendee_capacity: self.0.show_remaining_attendee_capacity,
            anonymous_participation: self.0.anonymous_participation,
            hide_number_of_participants: self.0.hide_number_of_participants,
            timezone: self.0.timezone.clone(),
            show_start_time: true,
            show_end_time: self.0.ends_on.is_some(),
        })
    }

    /// Counts by role; hidden (zero) when the organizer hides them, except from organizers.
    async fn participant_stats(&self, ctx: &Context<'_>) -> GqlResult<ParticipantStatsObject> {
        if self.0.hide_number_of_participants && !self.caller_runs_it(ctx).await? {
            return Ok(ParticipantStatsObject::default());
        }
        let s = self.stats(ctx).await?;
        Ok(ParticipantStatsObject {
            going: s.going,
            participant: s.participant,
            not_approved: s.not_approved,
            not_confirmed: s.not_confirmed,
            rejected: s.rejected,
            moderator: s.moderator,
            administrator: s.administrator,
            creator: s.creator,
        })
    }

    /// The participants, for those who run the event.
    async fn participants(
        &self,
        ctx: &Context<'_>,
        roles: Option<String>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedParticipantList> {
        let roles: Vec<_> = parse_participant_roles(roles.as_deref())?;
        let list = backend::participations::list(
            &app(ctx)?.db,
            &principal(ctx),
            &self.0,
            &roles,
            self::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedParticipantList {
            total: list.total,
            elements: list.elements.into_iter().map(Participant::new).collect(),
        })
    }

    async fn organizer_actor(&self, ctx: &Context<'_>) -> GqlResult<Person> {
        Ok(Person(
            loaders::actor_required(ctx, self.0.organizer_actor_id).await?,
        ))
    }

    async fn attributed_to(&self, ctx: &Context<'_>) -> GqlResult<Option<Group>> {
        match self.0.attributed_to_id {
            Some(id) => Ok(loaders::actor(ctx, id).await?.map(Group)),
            None => Ok(None),
        }
    }

    async fn publish_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Shown as the event's banner.
    async fn picture(&self, ctx: &Context<'_>) -> GqlResult<Option<super::media::Media>> {
        super::media::by_id(ctx, self.0.picture_media_id).await
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(SimpleObject)]
pub struct PaginatedEventList {
    pub total: u64,
    pub elements: Vec<Event>,
}

impl From<Paginated<event::Model>> for PaginatedEventList {
    fn from(list: Paginated<event::Model>) -> Self {
        Self {
            total: list.total,
            elements: list.elements.into_iter().map(Event).collect(),
        }
    }
}

/// Mobilizon sends tags as one comma-separated string.
fn split_list(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// One event, if the caller may see it.
    async fn event(&self, ctx: &Context<'_>, uuid: String) -> GqlResult<Event> {
        Ok(Event(
            events::find_visible(&app(ctx)?.db, &principal(ctx), &uuid)
                .await
                .gql()?,
        ))
    }

    /// Upcoming public events, soonest first.
    async fn events(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedEventList> {
        let app = app(ctx)?;
        Ok(
            events::upcoming(&app.db, app.now(), self::page(page, limit)?)
                .await
                .gql()?
                .into(),
        )
    }

    /// Public events by words, tags, category, place (a geohash and a radius in km) and dates.
    #[allow(clippy::too_many_arguments)]
    async fn search_events(
        &self,
        ctx: &Context<'_>,
        term: Option<String>,
        tags: Option<String>,
        category: Option<String>,
        #[graphql(desc = "A geohash of the center, as Mobilizon clients send it.")]
        location: Option<String>,
        #[graphql(desc = "Kilometers around `location` (default 50).")] radius: Option<f64>,
        begins_on: Option<DateTime<Utc>>,
        ends_on: Option<DateTime<Utc>>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedEventList> {
        let app = app(ctx)?;
        let near = match location.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            Some(hash) => {
                let center = backend::search::decode_geohash(hash)
                    .ok_or_else(|| invalid("location", "not a geohash"))?;
                Some((center, radius.unwrap_or(50.0)))
            }
            None => None,
        };
        let query = SearchQuery {
            term: term.filter(|t| !t.trim().is_empty()),
            tags: split_list(tags.as_deref()),
            category: category.filter(|c| !c.trim().is_empty()),
            near,
            begins_on,
            ends_on,
        };
        Ok(
            events::search(&app.searches, app.now(), &query, self::page(page, limit)?)
                .await
                .gql()?
                .into(),
        )
    }
}

#[derive(Default)]
pub struct EventMutation;

#[Object]
impl EventMutation {
    #[allow(clippy::too_many_arguments)]
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        organizer_actor_id: Option<ID>,
        attributed_to_id: Option<ID>,
        title: String,
        description: Option<String>,
        begins_on: DateTime<Utc>,
        ends_on: Option<DateTime<Utc>>,
        status: Option<EventStatus>,
        visibility: Option<EventVisibility>,
        join_options: Option<JoinOptions>,
        external_participation_url: Option<String>,
        draft: Option<bool>,
        category: Option<EventCategory>,
        tags: Option<Vec<String>>,
        language: Option<String>,
        online_address: Option<String>,
        physical_address: Option<AddressInput>,
        options: Option<EventOptionsInput>,
        picture: Option<super::media::MediaInput>,
    ) -> GqlResult<Event> {
        let new = NewEvent {
            organizer_actor_id: organizer_actor_id
                .map(|id| parse_id(&id, "organizerActorId"))
                .transpose()?,
            attributed_to_id: attributed_to_id
                .map(|id| parse_id(&id, "attributedToId"))
                .transpose()?,
            title,
            description,
            begins_on: Some(begins_on),
            ends_on,
            status,
            visibility,
            join_options,
            external_participation_url,
            draft,
            category: category.map(|c| c.code().to_owned()),
            tags,
            language,
            online_address,
            physical_address: physical_address.map(Into::into),
            options: options.unwrap_or_default().into(),
        };
        let event = events::service::create(app(ctx)?, &principal(ctx), new)
            .await
            .gql()?;
        with_picture(ctx, event, picture).await
    }

    /// Changes an event; cancelling is `status: CANCELLED`.
    #[allow(clippy::too_many_arguments)]
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        event_id: ID,
        attributed_to_id: Option<ID>,
        title: Option<String>,
        description: Option<String>,
        begins_on: Option<DateTime<Utc>>,
        ends_on: Option<DateTime<Utc>>,
        status: Option<EventStatus>,
        visibility: Option<EventVisibility>,
        join_options: Option<JoinOptions>,
        external_participation_url: Option<String>,
        draft: Option<bool>,
        category: Option<EventCategory>,
        tags: Option<Vec<String>>,
        language: Option<String>,
        online_address: Option<String>,
        physical_address: Option<AddressInput>,
        options: Option<EventOptionsInput>,
        picture: Option<super::media::MediaInput>,
    ) -> GqlResult<Event> {
        let id = parse_id(&event_id, "eventId")?;
        let changes = EventChanges {
            attributed_to_id: attributed_to_id
                .map(|id| parse_id(&id, "attributedToId"))
                .transpose()?,
            title,
            description,
            begins_on,
            ends_on,
            status,
            visibility,
            join_options,
            external_participation_url,
            draft,
            category: category.map(|c| c.code().to_owned()),
            tags,
            language,
            online_address,
            physical_address: physical_address.map(Into::into),
            options: options.unwrap_or_default().into(),
        };
        let event = events::service::update(app(ctx)?, &principal(ctx), id, changes)
            .await
            .gql()?;
        with_picture(ctx, event, picture).await
    }

    /// Deletes an event; its participants are told.
    async fn delete_event(&self, ctx: &Context<'_>, event_id: ID) -> GqlResult<DeletedObject> {
        let id = parse_id(&event_id, "eventId")?;
        let event = events::service::delete(app(ctx)?, &principal(ctx), id)
            .await
            .gql()?;
        Ok(DeletedObject::new(event.id))
    }
}

/// The saved event with its picture set, or without it and an error beside the answer.
async fn with_picture(
    ctx: &Context<'_>,
    event: event::Model,
    picture: Option<super::media::MediaInput>,
) -> GqlResult<Event> {
    if picture.is_none() {
        return Ok(Event(event));
    }
    super::media::attach_to_event(ctx, event.id, picture).await;
    Ok(Event(events::find(&app(ctx)?.db, event.id).await.gql()?))
}
