//! The GraphQL shapes of what Mobilizon's events carry beside their core fields (offers,
//! participation conditions, attendees, program, metadata, contacts, a phone number and
//! display choices), translated to and from `backend::events::details`.

use async_graphql::{Context, Enum, InputObject, SimpleObject};
use backend::events::details::{
    self, CommentModeration as DomainModeration, DetailsChanges, MetadataKind,
};

use super::errors::{GqlResult, IntoGql, invalid};
use super::objects::{Actor, Event};
use super::{app, loaders, principal};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "EventCommentModeration")]
pub enum EventCommentModeration {
    AllowAll,
    Moderated,
    Closed,
}

impl From<EventCommentModeration> for DomainModeration {
    fn from(m: EventCommentModeration) -> Self {
        match m {
            EventCommentModeration::AllowAll => DomainModeration::AllowAll,
            EventCommentModeration::Moderated => DomainModeration::Moderated,
            EventCommentModeration::Closed => DomainModeration::Closed,
        }
    }
}

impl From<DomainModeration> for EventCommentModeration {
    fn from(m: DomainModeration) -> Self {
        match m {
            DomainModeration::AllowAll => EventCommentModeration::AllowAll,
            DomainModeration::Moderated => EventCommentModeration::Moderated,
            DomainModeration::Closed => EventCommentModeration::Closed,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "EventMetadataType")]
pub enum EventMetadataType {
    String,
    Integer,
    Boolean,
}

impl From<EventMetadataType> for MetadataKind {
    fn from(t: EventMetadataType) -> Self {
        match t {
            EventMetadataType::String => MetadataKind::String,
            EventMetadataType::Integer => MetadataKind::Integer,
            EventMetadataType::Boolean => MetadataKind::Boolean,
        }
    }
}

impl From<MetadataKind> for EventMetadataType {
    fn from(k: MetadataKind) -> Self {
        match k {
            MetadataKind::String => EventMetadataType::String,
            MetadataKind::Integer => EventMetadataType::Integer,
            MetadataKind::Boolean => EventMetadataType::Boolean,
        }
    }
}

#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "EventOfferInput")]
pub struct EventOffer {
    price: Option<f64>,
    price_currency: Option<String>,
    url: Option<String>,
}

#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "EventParticipationConditionInput")]
pub struct EventParticipationCondition {
    title: Option<String>,
    content: Option<String>,
    url: Option<String>,
}

#[derive(SimpleObject)]
pub struct EventMetadata {
    key: String,
    title: Option<String>,
    value: String,
    #[graphql(name = "type")]
    kind: EventMetadataType,
}

#[derive(InputObject, Clone)]
pub struct EventMetadataInput {
    key: String,
    title: Option<String>,
    value: String,
    #[graphql(name = "type")]
    kind: Option<EventMetadataType>,
}

/// An actor to ask about the event, by id.
#[derive(InputObject, Clone)]
pub struct Contact {
    id: Option<String>,
}

/// The parts of `EventOptionsInput` kept as details.
#[derive(Default, Clone)]
pub struct OptionDetails {
    pub offers: Option<Vec<EventOffer>>,
    pub participation_conditions: Option<Vec<EventParticipationCondition>>,
    pub attendees: Option<Vec<String>>,
    pub program: Option<String>,
    pub comment_moderation: Option<EventCommentModeration>,
    pub show_participation_price: Option<bool>,
    pub hide_organizer_when_group_event: Option<bool>,
    pub is_online: Option<bool>,
}

/// The details a create or update asked for.
pub fn changes(
    options: OptionDetails,
    phone_address: Option<String>,
    contacts: Option<Vec<Contact>>,
    metadata: Option<Vec<EventMetadataInput>>,
) -> GqlResult<DetailsChanges> {
    let contact_ids = contacts
        .map(|contacts| {
            contacts
                .into_iter()
                .filter_map(|c| c.id)
                .map(|id| {
                    id.trim()
                        .parse::<i64>()
                        .map_err(|_| invalid("contacts", "not a valid id"))
                })
                .collect::<GqlResult<Vec<i64>>>()
        })
        .transpose()?;
    Ok(DetailsChanges {
        phone_address,
        offers: options.offers.map(|offers| {
            offers
                .into_iter()
                .map(|o| details::Offer {
                    price: o.price,
                    price_currency: o.price_currency,
                    url: o.url,
                })
                .collect()
        }),
        participation_conditions: options.participation_conditions.map(|conditions| {
            conditions
                .into_iter()
                .map(|c| details::ParticipationCondition {
                    title: c.title,
                    content: c.content,
                    url: c.url,
                })
                .collect()
        }),
        attendees: options.attendees,
        program: options.program,
        comment_moderation: options.comment_moderation.map(Into::into),
        show_participation_price: options.show_participation_price,
        hide_organizer_when_group_event: options.hide_organizer_when_group_event,
        is_online: options.is_online,
        metadata: metadata.map(|metadata| {
            metadata
                .into_iter()
                .map(|m| details::Metadata {
                    key: m.key,
                    title: m.title,
                    value: m.value,
                    kind: m.kind.map(Into::into).unwrap_or_default(),
                })
                .collect()
        }),
        contact_ids,
    })
}

/// Stores the details of a saved event; details that cannot be kept are an error beside the
/// answer, and the event stays saved without them.
pub async fn store(ctx: &Context<'_>, event: Event, changes: DetailsChanges) -> GqlResult<Event> {
    if changes.is_empty() {
        return Ok(event);
    }
    let outcome = details::set(app(ctx)?, &principal(ctx), event.0.id, changes)
        .await
        .gql();
    match outcome {
        Ok(saved) => Ok(Event(saved)),
        Err(err) => {
            ctx.add_error(err.into_server_error(ctx.item.pos));
            Ok(event)
        }
    }
}

/// What the options of an event keep beside the core ones.
pub fn offers(event: &Event) -> Vec<EventOffer> {
    details::of(&event.0)
        .offers
        .into_iter()
        .map(|o| EventOffer {
            price: o.price,
            price_currency: o.price_currency,
            url: o.url,
        })
        .collect()
}

pub fn participation_conditions(event: &Event) -> Vec<EventParticipationCondition> {
    details::of(&event.0)
        .participation_conditions
        .into_iter()
        .map(|c| EventParticipationCondition {
            title: c.title,
            content: c.content,
            url: c.url,
        })
        .collect()
}

pub fn metadata(event: &Event) -> Vec<EventMetadata> {
    details::of(&event.0)
        .metadata
        .into_iter()
        .map(|m| EventMetadata {
            key: m.key,
            title: m.title,
            value: m.value,
            kind: m.kind.into(),
        })
        .collect()
}

/// The event's contacts that still exist.
pub async fn contacts(ctx: &Context<'_>, event: &Event) -> GqlResult<Vec<Actor>> {
    let mut found = Vec::new();
    for id in details::of(&event.0).contact_ids {
        if let Some(actor) = loaders::actor(ctx, id).await? {
            found.push(Actor::from(actor));
        }
    }
    Ok(found)
}
