//! The `Article` of a group's post, as Mobilizon writes it: `name` the title, `content` the
//! HTML body, `actor` the author, `attributedTo` the group, `draft`, the picture in
//! `attachment` (named `"Banner"`). Mastodon shows an `Article` as a status with its title
//! and link. Read leniently: `id` and `attributedTo` are required.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use url::Url;

use super::image::Image;
use super::{first_of, lenient, one_or_many};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArticleType {
    Article,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    #[serde(rename = "type")]
    pub kind: ArticleType,
    pub id: Url,
    /// The group it is published by.
    #[serde(deserialize_with = "first_of")]
    pub attributed_to: Option<Url>,
    /// The author, a member of the group.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "first_of"
    )]
    pub actor: Option<Url>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub url: Option<Url>,
    /// The title.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub name: Option<String>,
    /// HTML.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
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
    #[serde(default, deserialize_with = "lenient")]
    pub draft: Option<bool>,
    /// The picture (written as Mobilizon does; others' are not copied here yet).
    #[serde(default, skip_deserializing)]
    pub attachment: Vec<Image>,
}

impl Article {
    /// Whether it is addressed to everyone (`to` or `cc` the public collection).
    pub fn is_public(&self) -> bool {
        self.to
            .iter()
            .chain(&self.cc)
            .any(|u| u.as_str() == super::PUBLIC || u.as_str() == "as:Public")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_mobilizon_article_parses_with_its_group_author_and_audience() {
        let article: Article = serde_json::from_value(serde_json::json!({
            "type": "Article",
            "actor": "https://mobilizon.example/@tcit",
            "id": "https://mobilizon.example/p/news-4Jfzb9Vb5rgtcQBiYPjBpa",
            "name": "News",
            "content": "<p>Room 4</p>",
            "attributedTo": "https://mobilizon.example/@club",
            "published": "2026-12-01T10:00:00Z",
            "attachment": [],
            "draft": false,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": ["https://mobilizon.example/@club/followers"],
        }))
        .unwrap();
        assert_eq!(
            article.attributed_to.as_ref().map(Url::as_str),
            Some("https://mobilizon.example/@club")
        );
        assert_eq!(
            article.actor.as_ref().map(Url::as_str),
            Some("https://mobilizon.example/@tcit")
        );
        assert_eq!(article.draft, Some(false));
        assert!(article.is_public());
    }
}
