//! Events, with Mobilizon's names: the `Event` type, `createEvent`, `updateEvent`,
//! `deleteEvent` (the queries are in `event_queries`).

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use backend::events::{self, EventChanges, EventOptions as DomainOptions, NewEvent};
use chrono::{DateTime, Utc};
use entity::event::{self, EventCategory, EventStatus, EventVisibility, JoinOptions};
use sea_orm::ActiveEnum;

use super::addresses::{Address, AddressInput};
use super::errors::{GqlResult, IntoGql, invalid};
use super::event_details::{
    self, Contact, EventCommentModeration, EventMetadata, EventMetadataInput, EventOffer,
    EventParticipationCondition, OptionDetails,
};
use super::loaders;
use super::media::{self, MediaInput};
use super::objects::{
    Actor, DeletedObject, Event, Media, PaginatedParticipantList, Participant, Tag, page,
    participant_roles,
};
use super::recurrence::{self, ApplyToValue, RecurrenceInput, RecurrenceObject};
use super::{app, parse_id, principal};

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
    /// Accepted for compatibility: the seats left are counted, not set.
    pub remaining_attendee_capacity: Option<i32>,
    pub offers: Option<Vec<EventOffer>>,
    pub participation_conditions: Option<Vec<EventParticipationCondition>>,
    /// Named people, such as speakers.
    pub attendees: Option<Vec<String>>,
    /// HTML, sanitized as descriptions are.
    pub program: Option<String>,
    pub comment_moderation: Option<EventCommentModeration>,
    pub show_participation_price: Option<bool>,
    pub hide_organizer_when_group_event: Option<bool>,
    pub is_online: Option<bool>,
    /// Convive's own: whether a full event puts newcomers on a waitlist (on when absent at
    /// creation; it only matters with a capacity).
    pub waitlist_enabled: Option<bool>,
}

impl EventOptionsInput {
    /// The options kept as the event's details, apart from the core ones.
    fn details(&self) -> OptionDetails {
        OptionDetails {
            offers: self.offers.clone(),
            participation_conditions: self.participation_conditions.clone(),
            attendees: self.attendees.clone(),
            program: self.program.clone(),
            comment_moderation: self.comment_moderation,
            show_participation_price: self.show_participation_price,
            hide_organizer_when_group_event: self.hide_organizer_when_group_event,
            is_online: self.is_online,
        }
    }
}

impl From<EventOptionsInput> for DomainOptions {
    fn from(o: EventOptionsInput) -> Self {
        DomainOptions {
            maximum_attendee_capacity: o.maximum_attendee_capacity,
            show_remaining_attendee_capacity: o.show_remaining_attendee_capacity,
            anonymous_participation: o.anonymous_participation,
            hide_number_of_participants: o.hide_number_of_participants,
            timezone: o.timezone,
            waitlist: o.waitlist_enabled,
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
    offers: Vec<EventOffer>,
    participation_conditions: Vec<EventParticipationCondition>,
    attendees: Vec<String>,
    program: Option<String>,
    comment_moderation: Option<EventCommentModeration>,
    show_participation_price: bool,
    hide_organizer_when_group_event: bool,
    is_online: bool,
    /// Convive's own: whether a full event puts newcomers on a waitlist.
    waitlist_enabled: bool,
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
    /// Convive's own: how many wait in line for a seat.
    waitlisted: u64,
}

impl Event {
    /// Whether the caller runs this event (checked only when an answer depends on it).
    async fn caller_runs_it(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let batched = match ctx.data_opt::<std::sync::Arc<DataLoader<loaders::AccessLoader>>>() {
            Some(loader) => loader.load_one(self.0.id).await?,
            None => None,
        };
        let access = match batched {
            Some(access) => access,
            None => events::access(&app(ctx)?.db, &principal(ctx), &self.0)
                .await
                .gql()?,
        };
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
    pub(super) async fn id(&self) -> ID {
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

    /// Whether it lasts longer than the instance's long events (`config.durationOfLongEvent`).
    async fn long_event(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let duration = app(ctx)?.settings.instance.duration_of_long_event;
        Ok(backend::events::length::is_long(&self.0, duration))
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
        self.0
            .category
            .as_deref()
            .and_then(|c| EventCategory::try_from_value(&c.to_owned()).ok())
    }

    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }

    async fn online_address(&self) -> Option<&str> {
        self.0.online_address.as_deref()
    }

    async fn phone_address(&self) -> Option<String> {
        backend::events::details::of(&self.0).phone_address
    }

    /// Actors to ask about the event.
    async fn contacts(&self, ctx: &Context<'_>) -> GqlResult<Vec<Actor>> {
        event_details::contacts(ctx, self).await
    }

    /// Key/value pairs apps attach to the event.
    async fn metadata(&self) -> Vec<EventMetadata> {
        event_details::metadata(self)
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
            .map(Tag)
            .collect())
    }

    async fn physical_address(&self, ctx: &Context<'_>) -> GqlResult<Option<Address>> {
        match self.0.physical_address_id {
            Some(id) => Ok(loaders::loaders(ctx)?
                .addresses
                .load_one(id)
                .await?
                .map(Address::Stored)),
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
        let details = backend::events::details::of(&self.0);
        Ok(EventOptionsObject {
            offers: event_details::offers(self),
            participation_conditions: event_details::participation_conditions(self),
            attendees: details.attendees,
            program: details.program,
            comment_moderation: details.comment_moderation.map(Into::into),
            show_participation_price: details.show_participation_price,
            hide_organizer_when_group_event: details.hide_organizer_when_group_event,
            is_online: details.is_online,
            maximum_attendee_capacity: self.0.maximum_attendee_capacity.unwrap_or(0),
            remaining_attendee_capacity: remaining,
            show_remaining_attendee_capacity: self.0.show_remaining_attendee_capacity,
            anonymous_participation: self.0.anonymous_participation,
            hide_number_of_participants: self.0.hide_number_of_participants,
            timezone: self.0.timezone.clone(),
            show_start_time: true,
            show_end_time: self.0.ends_on.is_some(),
            waitlist_enabled: self.0.waitlist,
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
            waitlisted: s.waitlisted,
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
        let roles: Vec<_> = participant_roles(roles.as_deref())?;
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

    async fn organizer_actor(&self, ctx: &Context<'_>) -> GqlResult<Actor> {
        Ok(loaders::actor_required(ctx, self.0.organizer_actor_id)
            .await?
            .into())
    }

    /// The group the event is organized in the name of.
    async fn attributed_to(&self, ctx: &Context<'_>) -> GqlResult<Option<Actor>> {
        match self.0.attributed_to_id {
            Some(id) => Ok(loaders::actor(ctx, id).await?.map(Actor::from)),
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
    async fn picture(&self, ctx: &Context<'_>) -> GqlResult<Option<Media>> {
        media::by_id(ctx, self.0.picture_media_id).await
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Convive's own: the series of a recurring event's date.
    async fn series_id(&self, ctx: &Context<'_>) -> GqlResult<Option<ID>> {
        recurrence::series_id(ctx, self).await
    }

    /// Convive's own: what the series of this date repeats by.
    async fn recurrence(&self, ctx: &Context<'_>) -> GqlResult<Option<RecurrenceObject>> {
        recurrence::of_event(ctx, self).await
    }

    /// Convive's own: this date's original start in its series' rule.
    async fn recurrence_id(&self) -> Option<DateTime<Utc>> {
        self.0.recurrence_id
    }

    /// Convive's own: the next dates of its series not over yet (none if it does not repeat).
    async fn occurrences(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] limit: i32,
    ) -> GqlResult<Vec<Event>> {
        recurrence::occurrences(ctx, self, limit).await
    }

    /// Its comment threads (fields and rules in `comments.rs`).
    async fn comments(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::objects::Comment>> {
        super::comments::of_event(ctx, &self.0).await
    }

    /// The conversations its organizers started with participants (to them alone; empty
    /// for others, as Mobilizon answers).
    async fn conversations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1)] page: i64,
        #[graphql(default = 10)] limit: i64,
    ) -> GqlResult<super::conversations::PaginatedConversationList> {
        super::conversations::of_event(ctx, &self.0, page, limit).await
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
        tags: Option<Vec<Option<String>>>,
        language: Option<String>,
        online_address: Option<String>,
        physical_address: Option<AddressInput>,
        options: Option<EventOptionsInput>,
        picture: Option<MediaInput>,
        phone_address: Option<String>,
        contacts: Option<Vec<Option<Contact>>>,
        metadata: Option<Vec<Option<EventMetadataInput>>>,
        #[graphql(
            desc = "Convive's own: makes it a recurring event; the answer is its first date."
        )]
        recurrence: Option<RecurrenceInput>,
    ) -> GqlResult<Event> {
        let options = options.unwrap_or_default();
        let details = event_details::changes(
            options.details(),
            phone_address,
            contacts.map(|c| c.into_iter().flatten().collect()),
            metadata.map(|m| m.into_iter().flatten().collect()),
        )?;
        let new = NewEvent {
            organizer_actor_id: organizer_actor_id
                .map(|id| parse_id(&id, "organizerActorId"))
                .transpose()?,
            attributed_to_id: attributed_to_id
                .map(|id| parse_id(&id, "attributedToId"))
                .transpose()?,
            title,
            // Mobilizon's clients send HTML.
            description,
            description_source: None,
            begins_on: Some(begins_on),
            ends_on,
            status,
            visibility,
            join_options,
            external_participation_url,
            draft,
            category: category.map(|c| c.to_value()),
            tags: tags.map(|tags| tags.into_iter().flatten().collect()),
            language,
            online_address,
            physical_address: physical_address.map(Into::into),
            options: options.into(),
        };
        let event = match &recurrence {
            Some(recurrence) => recurrence::create(ctx, new, recurrence).await?,
            None => events::service::create(app(ctx)?, &principal(ctx), new)
                .await
                .gql()?,
        };
        let event = with_picture(ctx, event, picture).await?;
        let event = event_details::store(ctx, event, details).await?;
        recurrence::share_extras(ctx, &event).await?;
        Ok(event)
    }

    /// Changes an event; cancelling is `status: CANCELLED`.
    #[allow(clippy::too_many_arguments)]
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        event_id: ID,
        #[graphql(desc = "Mobilizon's clients send the organizer again: it must be the \
                          event's, since an event keeps its organizer.")]
        organizer_actor_id: Option<ID>,
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
        tags: Option<Vec<Option<String>>>,
        language: Option<String>,
        online_address: Option<String>,
        physical_address: Option<AddressInput>,
        options: Option<EventOptionsInput>,
        picture: Option<MediaInput>,
        phone_address: Option<String>,
        contacts: Option<Vec<Option<Contact>>>,
        metadata: Option<Vec<Option<EventMetadataInput>>>,
        #[graphql(
            desc = "Convive's own: which dates of a recurring event change (this one \
                          when absent)."
        )]
        apply_to: Option<ApplyToValue>,
    ) -> GqlResult<Event> {
        let options = options.unwrap_or_default();
        let details = event_details::changes(
            options.details(),
            phone_address,
            contacts.map(|c| c.into_iter().flatten().collect()),
            metadata.map(|m| m.into_iter().flatten().collect()),
        )?;
        let id = parse_id(&event_id, "eventId")?;
        if let Some(organizer) = organizer_actor_id {
            let organizer = parse_id(&organizer, "organizerActorId")?;
            let current = events::find(&app(ctx)?.db, id).await.gql()?;
            if current.organizer_actor_id != organizer {
                return Err(invalid(
                    "organizerActorId",
                    "an event keeps its organizer; change attributedToId to give it to a group",
                ));
            }
        }
        let changes = EventChanges {
            attributed_to_id: attributed_to_id
                .map(|id| parse_id(&id, "attributedToId"))
                .transpose()?,
            title,
            description,
            description_source: None,
            begins_on,
            ends_on,
            status,
            visibility,
            join_options,
            external_participation_url,
            draft,
            category: category.map(|c| c.to_value()),
            tags: tags.map(|tags| tags.into_iter().flatten().collect()),
            language,
            online_address,
            physical_address: physical_address.map(Into::into),
            options: options.into(),
        };
        let apply_to = apply_to.unwrap_or_default();
        let event =
            backend::series::change(app(ctx)?, &principal(ctx), id, changes, apply_to.into())
                .await
                .gql()?;
        let event = with_picture(ctx, event, picture).await?;
        let event = event_details::store(ctx, event, details).await?;
        if apply_to != ApplyToValue::This {
            recurrence::share_extras(ctx, &event).await?;
        }
        Ok(event)
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
    picture: Option<MediaInput>,
) -> GqlResult<Event> {
    if picture.is_none() {
        return Ok(Event(event));
    }
    media::attach_to_event(ctx, event.id, picture).await;
    Ok(Event(events::find(&app(ctx)?.db, event.id).await.gql()?))
}
