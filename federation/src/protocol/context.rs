//! Mobilizon 5's JSON-LD context, so that Mobilizon reads our extensions as its own, and the
//! wrapper that puts it on every document and activity we write.

use serde::Serialize;

const ACTIVITY_STREAMS: &str = "https://www.w3.org/ns/activitystreams";
/// The namespace of Convive's own terms.
pub const CONVIVE_NS: &str = "https://w3id.org/convive/ns#";
const SECURITY: &str = "https://w3id.org/security/v1";

/// One term of the context: an IRI, or a definition with a type or without a language.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Term {
    Iri(&'static str),
    Typed {
        #[serde(rename = "@id")]
        id: &'static str,
        #[serde(rename = "@type")]
        kind: &'static str,
    },
    NotText {
        #[serde(rename = "@id")]
        id: &'static str,
        #[serde(rename = "@language")]
        language: Option<&'static str>,
    },
}

const fn typed(id: &'static str, kind: &'static str) -> Term {
    Term::Typed { id, kind }
}

const TERMS: &[(&str, Term)] = &[
    ("@language", Term::Iri("und")),
    ("sc", Term::Iri("http://schema.org#")),
    ("ical", Term::Iri("http://www.w3.org/2002/12/cal/ical#")),
    ("pt", Term::Iri("https://joinpeertube.org/ns#")),
    ("toot", Term::Iri("http://joinmastodon.org/ns#")),
    ("mz", Term::Iri("https://joinmobilizon.org/ns#")),
    ("discoverable", Term::Iri("toot:discoverable")),
    (
        "manuallyApprovesFollowers",
        Term::Iri("as:manuallyApprovesFollowers"),
    ),
    ("Hashtag", Term::Iri("as:Hashtag")),
    ("category", Term::Iri("sc:category")),
    ("uuid", Term::Iri("sc:identifier")),
    (
        "maximumAttendeeCapacity",
        Term::Iri("sc:maximumAttendeeCapacity"),
    ),
    (
        "remainingAttendeeCapacity",
        Term::Iri("sc:remainingAttendeeCapacity"),
    ),
    ("location", typed("sc:location", "sc:Place")),
    ("PostalAddress", Term::Iri("sc:PostalAddress")),
    ("address", typed("sc:address", "sc:PostalAddress")),
    ("addressCountry", Term::Iri("sc:addressCountry")),
    ("addressRegion", Term::Iri("sc:addressRegion")),
    ("postalCode", Term::Iri("sc:postalCode")),
    ("addressLocality", Term::Iri("sc:addressLocality")),
    ("streetAddress", Term::Iri("sc:streetAddress")),
    ("eventStatus", Term::Iri("sc:eventStatus")),
    ("VirtualLocation", Term::Iri("sc:VirtualLocation")),
    (
        "repliesModerationOptionType",
        typed("mz:repliesModerationOptionType", "rdfs:Class"),
    ),
    (
        "repliesModerationOption",
        typed(
            "mz:repliesModerationOption",
            "mz:repliesModerationOptionType",
        ),
    ),
    ("commentsEnabled", typed("pt:commentsEnabled", "sc:Boolean")),
    ("joinModeType", typed("mz:joinModeType", "rdfs:Class")),
    ("joinMode", typed("mz:joinMode", "mz:joinModeType")),
    (
        "anonymousParticipationEnabled",
        typed("mz:anonymousParticipationEnabled", "sc:Boolean"),
    ),
    (
        "participationMessage",
        typed("mz:participationMessage", "sc:Text"),
    ),
    (
        "participantCount",
        typed("mz:participantCount", "sc:Integer"),
    ),
    ("memberCount", typed("mz:memberCount", "sc:Integer")),
    ("isOnline", typed("mz:isOnline", "sc:Boolean")),
    (
        "externalParticipationUrl",
        typed("mz:externalParticipationUrl", "sc:URL"),
    ),
    ("inLanguage", Term::Iri("sc:inLanguage")),
    ("timezone", typed("mz:timezone", "sc:Text")),
    ("events", typed("mz:events", "@id")),
    ("members", typed("mz:members", "@id")),
    ("openness", typed("mz:openness", "@id")),
    ("status", typed("ical:status", "ical:status")),
    // FEP-8a8e's, which Mobilizon's context lacks.
    (
        "organizers",
        typed("https://w3id.org/fep/8a8e/organizers", "@id"),
    ),
    (
        "attendees",
        typed("https://w3id.org/fep/8a8e/attendees", "@id"),
    ),
    (
        "displayEndTime",
        typed("https://w3id.org/fep/8a8e/displayEndTime", "sc:Boolean"),
    ),
    // Not Mobilizon's: without these, the `@language` above tags the key's PEM and owner as
    // natural-language text for JSON-LD processors (and for ones that cannot fetch the
    // security context), and bovine then cannot read the key.
    (
        "publicKeyPem",
        Term::NotText {
            id: "https://w3id.org/security#publicKeyPem",
            language: None,
        },
    ),
    ("owner", typed("https://w3id.org/security#owner", "@id")),
    // Convive's own: the series an event is a date of.
    ("convive", Term::Iri(CONVIVE_NS)),
    ("series", typed("convive:series", "@id")),
];

struct Terms;

impl Serialize for Terms {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(TERMS.iter().map(|(name, term)| (name, term)))
    }
}

/// The `@context` of everything we write.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context;

impl Serialize for Context {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (ACTIVITY_STREAMS, SECURITY, Terms).serialize(serializer)
    }
}

/// A document or activity with our `@context` beside its own fields.
#[derive(Debug, Clone, Serialize)]
pub struct WithContext<T> {
    #[serde(rename = "@context")]
    context: Context,
    #[serde(flatten)]
    pub inner: T,
}

impl<T> WithContext<T> {
    pub fn new(inner: T) -> Self {
        Self {
            context: Context,
            inner,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn the_context_is_mobilizons_with_fep_8a8e_terms_convives_series_and_the_key_terms_kept_out_of_natural_language()
     {
        let expected = json!([
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
                "organizers": {"@id": "https://w3id.org/fep/8a8e/organizers", "@type": "@id"},
                "attendees": {"@id": "https://w3id.org/fep/8a8e/attendees", "@type": "@id"},
                "displayEndTime": {"@id": "https://w3id.org/fep/8a8e/displayEndTime", "@type": "sc:Boolean"},
                "publicKeyPem": {"@id": "https://w3id.org/security#publicKeyPem", "@language": null},
                "owner": {"@id": "https://w3id.org/security#owner", "@type": "@id"},
                "convive": "https://w3id.org/convive/ns#",
                "series": {"@id": "convive:series", "@type": "@id"}
            }
        ]);
        assert_eq!(serde_json::to_value(Context).unwrap(), expected);
    }
}
