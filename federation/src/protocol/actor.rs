//! Persons, groups and the instance actor, in Mobilizon's shape (groups with `openness`,
//! `members`, `events`, `memberCount`).

use activitypub_federation::protocol::public_key::PublicKey;
use serde::{Deserialize, Serialize};
use url::Url;

use super::image::Image;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActorType {
    Person,
    Group,
    Application,
    Service,
    Organization,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    #[serde(rename = "type")]
    pub kind: ActorType,
    pub id: Url,
    /// Optional in ActivityPub, and some servers omit it: `to_remote` then names the actor
    /// after the last segment of its id.
    #[serde(default)]
    pub preferred_username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::lenient"
    )]
    pub url: Option<Url>,
    pub inbox: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::lenient"
    )]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default)]
    pub manually_approves_followers: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    /// Groups: `open`, `moderated` or `invite_only` (Mobilizon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openness: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Url>,
    /// FEP-8a8e's collection of upcoming events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upcoming_events: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::lenient"
    )]
    pub member_count: Option<u64>,
    /// The avatar.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::lenient"
    )]
    pub icon: Option<Image>,
    /// The banner.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::lenient"
    )]
    pub image: Option<Image>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    fn fixture(name: &str) -> serde_json::Value {
        let path = format!("{}/fixtures/activitypub/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
    }

    #[test]
    fn mastodon_and_gancio_actors_parse() {
        let mastodon: Actor = serde_json::from_value(fixture("mastodon-actor.json")).unwrap();
        assert_eq!(mastodon.kind, ActorType::Person);
        assert!(mastodon.endpoints.and_then(|e| e.shared_inbox).is_some());
        let gancio: Actor = serde_json::from_value(fixture("gancio-actor.json")).unwrap();
        assert!(!gancio.preferred_username.is_empty());
    }
}
