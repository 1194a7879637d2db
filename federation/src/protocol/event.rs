//! The `Event` object: Mobilizon 5's shape and FEP-8a8e's fields in one object. Read leniently
//! (Gancio, Mobilizon 1.x and 5.x): only `id`, `name` and `startTime` are required.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use url::Url;

use super::image::{Attachment, BANNER_NAME, Image};
use super::{first_of, lenient, one_or_many};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventType {
    Event,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(rename = "type")]
    pub kind: EventType,
    pub id: Url,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub url: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    pub name: String,
    /// HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Plain text for Mastodon, which shows only name, summary and link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub start_time: DateTime<FixedOffset>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub end_time: Option<DateTime<FixedOffset>>,
    /// IANA zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub published: Option<DateTime<FixedOffset>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub updated: Option<DateTime<FixedOffset>>,
    /// The organizer.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first_of"
    )]
    pub actor: Option<Url>,
    /// The group (or the organizer when there is none).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first_of"
    )]
    pub attributed_to: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub to: Vec<Url>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub cc: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub tag: Vec<Tag>,
    /// `free`, `restricted`, `invite` or `external` (Mobilizon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_mode: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub external_participation_url: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub maximum_attendee_capacity: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub remaining_attendee_capacity: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub participant_count: Option<i64>,
    /// FEP-8a8e's organizers: who runs the event (the group and, unless hidden, the person).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub organizers: Option<ActorsCollection>,
    /// FEP-8a8e's attendees, as a count (who they are is not published).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub attendees: Option<ActorsCollection>,
    /// FEP-8a8e: whether `endTime` is meant for people (false: only for software).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub display_end_time: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies_moderation_option: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub comments_enabled: Option<bool>,
    /// The comments (ids of their notes), served at this address.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub replies: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub anonymous_participation_enabled: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub draft: Option<bool>,
    /// `TENTATIVE`, `CONFIRMED` or `CANCELLED` (Mobilizon writes it twice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(
        rename = "ical:status",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ical_status: Option<String>,
    /// schema.org's `EventScheduled`, `EventCancelled`… (FEP-8a8e).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub is_online: Option<bool>,
    /// A `Place`, a `VirtualLocation`, or both for hybrid events (then a list).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many",
        serialize_with = "super::single_or_array"
    )]
    pub location: Vec<Location>,
    /// Pictures (the banner among them), links (Mobilizon's online address), and property
    /// values kept as sent. Always written, `[]` when empty: Gancio 1.21 fails (500) on an
    /// `Update` without it.
    #[serde(default, deserialize_with = "one_or_many")]
    pub attachment: Vec<Attachment>,
    /// Another place for the banner, which Mobilizon reads when no attachment is named so.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub image: Option<Image>,
    /// Convive's own (`convive:series`): the series this event is a date of, by its address
    /// on its instance. Servers that know no recurrence see an event like any.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub series: Option<Url>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorsCollectionType {
    Collection,
    OrderedCollection,
    /// FEP-8a8e's examples name them so; read, never written.
    OrganizersCollection,
    AttendeesCollection,
}

/// FEP-8a8e's `organizers` and `attendees`: a collection of actors (their ids), or only its
/// size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorsCollection {
    #[serde(rename = "type")]
    pub kind: ActorsCollectionType,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub total_items: Option<u64>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_ids"
    )]
    pub items: Vec<Url>,
}

/// The ids among a collection's items: ids, or objects with one (others are dropped).
fn lenient_ids<'de, D>(deserializer: D) -> Result<Vec<Url>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let items: Vec<serde_json::Value> = one_or_many(deserializer)?;
    Ok(items
        .iter()
        .filter_map(|item| item.as_str().or_else(|| item.get("id")?.as_str()))
        .filter_map(|id| Url::parse(id).ok())
        .collect())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub name: String,
    /// Gancio sends a relative path here, so not a `Url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// `Place` or `VirtualLocation`; Gancio omits it.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub id: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub address: Option<Address>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub latitude: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub longitude: Option<f64>,
    /// For a `VirtualLocation`: where to join.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub url: Option<Url>,
}

impl Location {
    /// A `VirtualLocation`, or a place whose address is one (as Gancio reads them).
    pub fn is_virtual(&self) -> bool {
        self.kind.as_deref() == Some("VirtualLocation")
            || matches!(self.address, Some(Address::Virtual(_)))
    }

    /// Where to join, for an online location.
    pub fn online_url(&self) -> Option<&Url> {
        match &self.address {
            Some(Address::Virtual(address)) => Some(&address.url),
            _ => self.url.as_ref().filter(|_| self.is_virtual()),
        }
    }

    /// An online location, written so that both FEP-8a8e's readers (`url`) and Gancio's
    /// (`address.url`, without which it refuses the event with a 400) find where to join.
    pub fn online(url: Url) -> Self {
        Self {
            kind: Some("VirtualLocation".to_owned()),
            id: None,
            name: None,
            address: Some(Address::Virtual(VirtualAddress {
                kind: VirtualLocationType::VirtualLocation,
                url: url.clone(),
            })),
            latitude: None,
            longitude: None,
            url: Some(url),
        }
    }
}

/// A `PostalAddress`, the free text some servers send instead, or (Gancio's reading of an
/// online place) a `VirtualLocation` with its address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Address {
    /// First: a `PostalAddress` has only optional fields and would take anything.
    Virtual(VirtualAddress),
    Postal(PostalAddress),
    Text(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VirtualLocationType {
    VirtualLocation,
}

/// Where to join an online event, as Gancio reads it: `location.address.url`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VirtualAddress {
    #[serde(rename = "type")]
    pub kind: VirtualLocationType,
    pub url: Url,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_country: Option<String>,
}

impl Event {
    /// Its banner, found as Mobilizon finds it: the picture attachment named `"Banner"`, else
    /// `image`, else the first picture attachment.
    pub fn banner(&self) -> Option<&Image> {
        let pictures = || {
            self.attachment.iter().filter_map(|a| match a {
                Attachment::Image(image) if image.is_picture() => Some(image),
                _ => None,
            })
        };
        pictures()
            .find(|i| i.name.as_deref() == Some(BANNER_NAME))
            .or(self.image.as_ref().filter(|i| i.is_picture()))
            .or_else(|| pictures().next())
    }

    /// The status, from `status` or `ical:status`, upper case.
    pub fn status(&self) -> Option<String> {
        self.status
            .as_deref()
            .or(self.ical_status.as_deref())
            .map(str::to_ascii_uppercase)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    pub(crate) fn fixture(name: &str) -> serde_json::Value {
        let path = format!("{}/fixtures/activitypub/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
    }

    #[test]
    fn mobilizon_5_event_parses_with_its_newer_fields_and_round_trips() {
        let object = fixture("mobilizon5-event-create.synthesized.json")["object"].clone();
        let event: Event = serde_json::from_value(object.clone()).unwrap();
        assert_eq!(event.name, "Repair café");
        assert_eq!(event.timezone.as_deref(), Some("Europe/Paris"));
        assert_eq!(event.start_time.offset().local_minus_utc(), 7200);
        assert_eq!(event.participant_count, Some(12));
        assert_eq!(event.remaining_attendee_capacity, Some(28));
        assert_eq!(event.is_online, Some(false));
        assert_eq!(event.status().as_deref(), Some("CONFIRMED"));
        assert_eq!(event.tag[0].name, "#repair");
        let place = &event.location[0];
        let Some(Address::Postal(address)) = &place.address else {
            panic!("postal address expected: {place:?}");
        };
        assert_eq!(address.address_locality.as_deref(), Some("Lyon"));
        assert_eq!(event.attachment.len(), 4);

        let written = serde_json::to_value(&event).unwrap();
        let again: Event = serde_json::from_value(written.clone()).unwrap();
        assert_eq!(again, event);
        // Every field Mobilizon wrote comes back under the same name and value
        // (`externalParticipationUrl: null` and `contacts` excepted: we omit empty values).
        for (key, value) in object.as_object().unwrap() {
            if value.is_null() || key == "contacts" {
                continue;
            }
            if key == "published" || key == "updated" {
                // chrono writes UTC as `+00:00` where Mobilizon writes `Z`: same instant.
                let instant = |v: &serde_json::Value| {
                    DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap()
                };
                assert_eq!(instant(&written[key]), instant(value), "field {key}");
                continue;
            }
            assert_eq!(&written[key], value, "field {key}");
        }
    }

    #[test]
    fn gancio_event_parses_with_a_relative_tag_link_and_a_bare_place() {
        let object = fixture("gancio-event-activity.json")["object"].clone();
        let event: Event = serde_json::from_value(object).unwrap();
        assert_eq!(event.name, "Demo event");
        assert_eq!(event.tag[0].href.as_deref(), Some("/tags/test"));
        assert_eq!(event.location[0].name.as_deref(), Some("Colosseo"));
        assert!(event.location[0].kind.is_none());
        assert!(event.status().is_none());
    }

    #[test]
    fn what_gancio_1_21_needs_is_written_an_empty_attachment_list_and_an_online_address() {
        let mut event: Event = serde_json::from_value(
            fixture("gancio-1.21/gancio-create-event.json")["object"].clone(),
        )
        .unwrap();
        event.attachment.clear();
        event.location = vec![Location::online(
            Url::parse("https://meet.example.org/bikemap").unwrap(),
        )];
        let written = serde_json::to_value(&event).unwrap();
        // Without `attachment`, Gancio's `Update` handler fails (500).
        assert_eq!(written["attachment"], serde_json::json!([]));
        // Gancio takes an online place only from `location.address.url` (else 400);
        // FEP-8a8e's readers take `url`.
        assert_eq!(
            written["location"],
            serde_json::json!({
                "type": "VirtualLocation",
                "address": {"type": "VirtualLocation", "url": "https://meet.example.org/bikemap"},
                "url": "https://meet.example.org/bikemap"
            })
        );
        let again: Event = serde_json::from_value(written).unwrap();
        assert_eq!(again, event);
        assert_eq!(
            again.location[0].online_url().map(Url::as_str),
            Some("https://meet.example.org/bikemap")
        );
    }

    #[test]
    fn fep_8a8e_organizers_and_attendees_are_read_from_ids_objects_or_counts() {
        let event: Event = serde_json::from_value(serde_json::json!({
            "type": "Event",
            "id": "https://example.org/e/1",
            "name": "Party",
            "startTime": "2026-06-01T12:00:00Z",
            "organizers": {
                "type": "OrganizersCollection",
                "totalItems": 2,
                "items": ["https://example.org/@a", {"type": "Person", "id": "https://example.org/@b"}, {"type": "sc:Organization", "name": "Co"}]
            },
            "attendees": {"type": "Collection", "totalItems": 84},
            "displayEndTime": false
        }))
        .unwrap();
        let organizers = event.organizers.unwrap();
        assert_eq!(organizers.items.len(), 2);
        assert_eq!(organizers.total_items, Some(2));
        assert_eq!(event.attendees.unwrap().total_items, Some(84));
        assert_eq!(event.display_end_time, Some(false));
        // `organizers: null`, FEP-8a8e's "not disclosed", is no error.
        let hidden: Event = serde_json::from_value(serde_json::json!({
            "type": "Event", "id": "https://example.org/e/2", "name": "Quiet",
            "startTime": "2026-06-01T12:00:00Z", "organizers": null
        }))
        .unwrap();
        assert!(hidden.organizers.is_none());
    }

    #[test]
    fn lenient_reading_accepts_single_values_text_addresses_and_ical_status_only() {
        let event: Event = serde_json::from_value(serde_json::json!({
            "type": "Event",
            "id": "https://example.org/e/1",
            "name": "Picnic",
            "startTime": "2026-06-01T12:00:00Z",
            "to": "https://www.w3.org/ns/activitystreams#Public",
            "attributedTo": ["https://example.org/@g", "https://example.org/@p"],
            "tag": {"type": "Hashtag", "name": "#food"},
            "location": {"type": "Place", "name": "Park", "address": "1 Park Lane, Lyon"},
            "ical:status": "cancelled",
            "maximumAttendeeCapacity": "lots"
        }))
        .unwrap();
        assert_eq!(event.to.len(), 1);
        assert_eq!(
            event.attributed_to.as_ref().unwrap().as_str(),
            "https://example.org/@g"
        );
        assert_eq!(event.tag.len(), 1);
        assert_eq!(
            event.location[0].address,
            Some(Address::Text("1 Park Lane, Lyon".to_owned()))
        );
        assert_eq!(event.status().as_deref(), Some("CANCELLED"));
        assert_eq!(event.maximum_attendee_capacity, None);
    }
}
