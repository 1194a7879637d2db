//! Wire shapes: what we write and what we accept from others. Reading is lenient (missing
//! optional fields, one value where a list is expected and the reverse); unknown fields are
//! ignored.

pub mod actor;
pub mod event;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Mobilizon 5's JSON-LD context, so that Mobilizon reads our extensions as its own.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "@language": "und",
            "sc": "http://schema.org#",
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "pt": "https://joinpeertube.org/ns#",
            "toot": "http://joinmastodon.org/ns#",
            "mz": "https://joinmobilizon.org/ns#",
            "discoverable": "toot:discoverable",
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "Hashtag": "as:Hashtag",
            "category": "sc:category",
            "uuid": "sc:identifier",
            "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
            "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
            "location": {"@id": "sc:location", "@type": "sc:Place"},
            "PostalAddress": "sc:PostalAddress",
            "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
            "addressCountry": "sc:addressCountry",
            "addressRegion": "sc:addressRegion",
            "postalCode": "sc:postalCode",
            "addressLocality": "sc:addressLocality",
            "streetAddress": "sc:streetAddress",
            "eventStatus": "sc:eventStatus",
            "VirtualLocation": "sc:VirtualLocation",
            "repliesModerationOptionType": {"@id": "mz:repliesModerationOptionType", "@type": "rdfs:Class"},
            "repliesModerationOption": {"@id": "mz:repliesModerationOption", "@type": "mz:repliesModerationOptionType"},
            "commentsEnabled": {"@type": "sc:Boolean", "@id": "pt:commentsEnabled"},
            "joinModeType": {"@id": "mz:joinModeType", "@type": "rdfs:Class"},
            "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
            "anonymousParticipationEnabled": {"@id": "mz:anonymousParticipationEnabled", "@type": "sc:Boolean"},
            "participationMessage": {"@id": "mz:participationMessage", "@type": "sc:Text"},
            "participantCount": {"@id": "mz:participantCount", "@type": "sc:Integer"},
            "memberCount": {"@id": "mz:memberCount", "@type": "sc:Integer"},
            "isOnline": {"@type": "sc:Boolean", "@id": "mz:isOnline"},
            "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "sc:URL"},
            "inLanguage": "sc:inLanguage",
            "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
            "events": {"@id": "mz:events", "@type": "@id"},
            "members": {"@id": "mz:members", "@type": "@id"},
            "openness": {"@id": "mz:openness", "@type": "@id"},
            "status": {"@id": "ical:status", "@type": "ical:status"},
            // Not Mobilizon's: without these, the `@language` above tags the key's PEM and owner
            // as natural-language text for JSON-LD processors (and for ones that cannot fetch
            // the security context), and bovine then cannot read the key.
            "publicKeyPem": {"@id": "https://w3id.org/security#publicKeyPem", "@language": null},
            "owner": {"@id": "https://w3id.org/security#owner", "@type": "@id"}
        }
    ])
}

/// A list that others may send as a single value, or `null`.
pub fn one_or_many<'de, T, D>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .into_iter()
            .map(|item| serde_json::from_value(item).map_err(D::Error::custom))
            .collect(),
        other => serde_json::from_value(other)
            .map(|item| vec![item])
            .map_err(D::Error::custom),
    }
}

/// One value that others may send as a list (the first counts), or `null`.
pub fn first_of<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    Ok(one_or_many(deserializer)?.into_iter().next())
}

/// An optional value that is dropped, rather than failing the document, when malformed.
pub fn lenient<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    Ok(serde_json::from_value(Value::deserialize(deserializer)?).ok())
}

/// Writes one item as itself and several as a list, as Mobilizon writes `location`.
pub fn single_or_array<T, S>(items: &[T], serializer: S) -> Result<S::Ok, S::Error>
where
    T: serde::Serialize,
    S: serde::Serializer,
{
    use serde::Serialize as _;
    match items {
        [one] => one.serialize(serializer),
        many => many.serialize(serializer),
    }
}
