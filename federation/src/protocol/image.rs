//! Pictures on the wire: Mobilizon's `Document` in an event's `attachment` (its banner named
//! `"Banner"`), and the `Image` of an actor's `icon` (avatar) and `image` (banner), as
//! Mobilizon and Mastodon write them.

use serde::{Deserialize, Serialize};
use url::Url;

use super::lenient;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageType {
    Document,
    Image,
}

/// A picture at an address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    #[serde(rename = "type")]
    pub kind: ImageType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub url: Url,
    /// Mobilizon names an event's banner `"Banner"`; Mastodon reads it as the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub blurhash: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub width: Option<u32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub height: Option<u32>,
}

impl Image {
    /// Whether it claims to be a picture (a `Document` may be anything; no type says nothing).
    pub fn is_picture(&self) -> bool {
        self.media_type
            .as_deref()
            .is_none_or(|t| t.trim().to_ascii_lowercase().starts_with("image/"))
    }
}

/// One entry of an object's `attachment`: a picture, a link, or anything else kept as sent
/// (Mobilizon's `PropertyValue`s, Gancio's and Mastodon's fields).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Attachment {
    Image(Image),
    Link(Link),
    Other(serde_json::Value),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkType {
    Link,
}

/// A link among an object's attachments: Mobilizon reads an event's online address from the
/// one named [`ONLINE_ADDRESS_NAME`] with the type `text/html`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    #[serde(rename = "type")]
    pub kind: LinkType,
    pub href: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Link {
    /// An event's online address, as Mobilizon writes and reads it.
    pub fn online_address(href: Url) -> Self {
        Self {
            kind: LinkType::Link,
            href,
            media_type: Some("text/html".to_owned()),
            name: Some(ONLINE_ADDRESS_NAME.to_owned()),
        }
    }

    pub fn is_online_address(&self) -> bool {
        self.name.as_deref() == Some(ONLINE_ADDRESS_NAME)
    }
}

/// The name Mobilizon gives an event's online address among its attachments.
pub const ONLINE_ADDRESS_NAME: &str = "Website";

/// The name Mobilizon gives an event's banner among its attachments.
pub const BANNER_NAME: &str = "Banner";
