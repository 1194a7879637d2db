//! What Mobilizon's events carry beside their core fields, kept as the organizers give it and
//! given back: a phone number, offers (prices), participation conditions, attendees (named
//! people such as speakers), a program, metadata (key/value pairs apps use), contacts (actors
//! to ask), and display choices (`isOnline`, `showParticipationPrice`,
//! `hideOrganizerWhenGroupEvent`, `commentModeration`). One JSON document per event
//! (`events.details`), checked and bounded before it is stored; whoever may edit the event may
//! change it.

use entity::event;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result, Validation};
use crate::principal::Principal;

/// Entries of each list.
const MAX_ITEMS: usize = 20;
/// Characters of a short text (a title, a key, a currency, a phone number).
const MAX_SHORT: usize = 255;
/// Characters of a long text (the program, a condition, a metadata value).
const MAX_LONG: usize = 20_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    pub phone_address: Option<String>,
    pub offers: Vec<Offer>,
    pub participation_conditions: Vec<ParticipationCondition>,
    pub attendees: Vec<String>,
    /// Sanitized HTML.
    pub program: Option<String>,
    pub comment_moderation: Option<CommentModeration>,
    pub show_participation_price: bool,
    pub hide_organizer_when_group_event: bool,
    pub is_online: bool,
    pub metadata: Vec<Metadata>,
    /// Actors to ask about the event.
    pub contact_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    pub price: Option<f64>,
    pub price_currency: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParticipationCondition {
    pub title: Option<String>,
    pub content: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub key: String,
    pub title: Option<String>,
    pub value: String,
    /// Mobilizon's `EventMetadataType`: `STRING`, `INTEGER` or `BOOLEAN`.
    pub kind: MetadataKind,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetadataKind {
    #[default]
    String,
    Integer,
    Boolean,
}

/// Who may comment an event, as Mobilizon's organizers choose it (comments are another
/// issue's: the choice is kept for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommentModeration {
    AllowAll,
    Moderated,
    Closed,
}

/// Changes to an event's details; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct DetailsChanges {
    pub phone_address: Option<String>,
    pub offers: Option<Vec<Offer>>,
    pub participation_conditions: Option<Vec<ParticipationCondition>>,
    pub attendees: Option<Vec<String>>,
    pub program: Option<String>,
    pub comment_moderation: Option<CommentModeration>,
    pub show_participation_price: Option<bool>,
    pub hide_organizer_when_group_event: Option<bool>,
    pub is_online: Option<bool>,
    pub metadata: Option<Vec<Metadata>>,
    pub contact_ids: Option<Vec<i64>>,
}

impl DetailsChanges {
    pub fn is_empty(&self) -> bool {
        self.phone_address.is_none()
            && self.offers.is_none()
            && self.participation_conditions.is_none()
            && self.attendees.is_none()
            && self.program.is_none()
            && self.comment_moderation.is_none()
            && self.show_participation_price.is_none()
            && self.hide_organizer_when_group_event.is_none()
            && self.is_online.is_none()
            && self.metadata.is_none()
            && self.contact_ids.is_none()
    }
}

/// The details of an event (all defaults when it has none, or when what is stored cannot be
/// read, which is logged).
pub fn of(event: &event::Model) -> Details {
    let Some(json) = event.details.as_deref() else {
        return Details::default();
    };
    serde_json::from_str(json).unwrap_or_else(|err| {
        tracing::error!(event_id = event.id, error = %err, "unreadable event details");
        Details::default()
    })
}

/// Applies `changes` to the details of an event the principal may edit.
pub async fn set(
    ctx: &AppContext,
    principal: &Principal,
    event_id: i64,
    changes: DetailsChanges,
) -> Result<event::Model> {
    let tx = begin_write(ctx).await?;
    let event = super::find(&tx, event_id).await?;
    let access = super::access(&tx, principal, &event).await?;
    super::check_editable(&event, access)?;
    if changes.is_empty() {
        return Ok(event);
    }
    let mut details = of(&event);
    let mut validation = Validation::new();
    apply(&mut details, changes, &mut validation);
    validation.finish()?;
    if !details.contact_ids.is_empty() {
        let known = entity::actor::Entity::find()
            .filter(entity::actor::Column::Id.is_in(details.contact_ids.clone()))
            .count(&tx)
            .await?;
        if known != details.contact_ids.len() as u64 {
            return Err(Error::invalid(
                "contacts",
                "names an actor that does not exist",
            ));
        }
    }
    let json = serde_json::to_string(&details).map_err(Error::internal)?;
    let mut active: event::ActiveModel = event.into();
    active.is_online = Set(details.is_online);
    active.details = Set(Some(json));
    active.updated_at = Set(ctx.now());
    let event = active.update(&tx).await?;
    tx.commit().await?;
    Ok(event)
}

fn apply(details: &mut Details, changes: DetailsChanges, validation: &mut Validation) {
    if let Some(phone) = changes.phone_address {
        details.phone_address = short(Some(&phone), "phoneAddress", validation);
    }
    if let Some(offers) = changes.offers {
        details.offers = bounded(offers, "options.offers", validation)
            .into_iter()
            .map(|offer| Offer {
                price: offer.price.filter(|p| p.is_finite() && *p >= 0.0),
                price_currency: short(
                    offer.price_currency.as_deref(),
                    "options.offers.priceCurrency",
                    validation,
                ),
                url: short(offer.url.as_deref(), "options.offers.url", validation),
            })
            .collect();
    }
    if let Some(conditions) = changes.participation_conditions {
        details.participation_conditions =
            bounded(conditions, "options.participationConditions", validation)
                .into_iter()
                .map(|c| ParticipationCondition {
                    title: short(
                        c.title.as_deref(),
                        "options.participationConditions.title",
                        validation,
                    ),
                    content: long(
                        c.content.as_deref(),
                        "options.participationConditions.content",
                        validation,
                    )
                    .map(|html| super::sanitize::description(&html)),
                    url: short(
                        c.url.as_deref(),
                        "options.participationConditions.url",
                        validation,
                    ),
                })
                .collect();
    }
    if let Some(attendees) = changes.attendees {
        details.attendees = bounded(attendees, "options.attendees", validation)
            .into_iter()
            .filter_map(|a| short(Some(&a), "options.attendees", validation))
            .collect();
    }
    if let Some(program) = changes.program {
        details.program = long(Some(&program), "options.program", validation)
            .map(|html| super::sanitize::description(&html));
    }
    if let Some(moderation) = changes.comment_moderation {
        details.comment_moderation = Some(moderation);
    }
    if let Some(on) = changes.show_participation_price {
        details.show_participation_price = on;
    }
    if let Some(on) = changes.hide_organizer_when_group_event {
        details.hide_organizer_when_group_event = on;
    }
    if let Some(on) = changes.is_online {
        details.is_online = on;
    }
    if let Some(metadata) = changes.metadata {
        details.metadata = bounded(metadata, "metadata", validation)
            .into_iter()
            .filter_map(|m| {
                let key = short(Some(&m.key), "metadata.key", validation)?;
                let value = long(Some(&m.value), "metadata.value", validation).unwrap_or_default();
                Some(Metadata {
                    key,
                    title: short(m.title.as_deref(), "metadata.title", validation),
                    value,
                    kind: m.kind,
                })
            })
            .collect();
    }
    if let Some(contacts) = changes.contact_ids {
        let mut contacts = bounded(contacts, "contacts", validation);
        contacts.dedup();
        details.contact_ids = contacts;
    }
}

fn bounded<T>(mut items: Vec<T>, field: &str, validation: &mut Validation) -> Vec<T> {
    if items.len() > MAX_ITEMS {
        validation.add(field, format!("at most {MAX_ITEMS} entries"));
        items.truncate(MAX_ITEMS);
    }
    items
}

fn text(
    value: Option<&str>,
    field: &str,
    max: usize,
    validation: &mut Validation,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        validation.add(field, format!("at most {max} characters"));
        return None;
    }
    Some(value.to_owned())
}

fn short(value: Option<&str>, field: &str, validation: &mut Validation) -> Option<String> {
    let value = text(value, field, MAX_SHORT, validation)?;
    if value.chars().any(char::is_control) {
        validation.add(field, "control characters are not allowed");
        return None;
    }
    Some(value)
}

fn long(value: Option<&str>, field: &str, validation: &mut Validation) -> Option<String> {
    text(value, field, MAX_LONG, validation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_checked_bounded_and_sanitized() {
        let mut details = Details::default();
        let mut validation = Validation::new();
        apply(
            &mut details,
            DetailsChanges {
                phone_address: Some(" +33 1 23 45 67 89 ".to_owned()),
                program: Some("<p>Talks</p><script>x()</script>".to_owned()),
                attendees: Some(vec!["Ada".to_owned(), " ".to_owned()]),
                is_online: Some(true),
                ..DetailsChanges::default()
            },
            &mut validation,
        );
        assert!(validation.finish().is_ok());
        assert_eq!(details.phone_address.as_deref(), Some("+33 1 23 45 67 89"));
        assert!(!details.program.as_deref().unwrap_or("").contains("script"));
        assert_eq!(details.attendees, vec!["Ada".to_owned()]);
        assert!(details.is_online);

        let mut validation = Validation::new();
        apply(
            &mut details,
            DetailsChanges {
                attendees: Some(vec!["x".to_owned(); MAX_ITEMS + 1]),
                ..DetailsChanges::default()
            },
            &mut validation,
        );
        assert!(validation.finish().is_err());
    }

    #[test]
    fn stored_details_survive_a_round_trip() {
        let details = Details {
            comment_moderation: Some(CommentModeration::Closed),
            metadata: vec![Metadata {
                key: "mz:live".to_owned(),
                title: None,
                value: "true".to_owned(),
                kind: MetadataKind::Boolean,
            }],
            ..Details::default()
        };
        let json = serde_json::to_string(&details).unwrap();
        assert_eq!(serde_json::from_str::<Details>(&json).unwrap(), details);
    }
}
