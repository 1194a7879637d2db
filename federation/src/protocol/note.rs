//! The `Note` of a comment, as Mobilizon writes it (`inReplyTo` the event or the parent
//! comment, `uuid`, `isAnnouncement`) and as Mastodon, Pleroma and others send replies. Read
//! leniently: only `id` and `attributedTo` are required.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use url::Url;

use super::event::Tag;
use super::{each_readable, first_of, lenient, one_or_many};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteType {
    Note,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    #[serde(rename = "type")]
    pub kind: NoteType,
    pub id: Url,
    /// The author (Mastodon names it only here).
    #[serde(deserialize_with = "first_of")]
    pub attributed_to: Option<Url>,
    /// The author again, as Mobilizon writes it.
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// HTML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// The event or the comment this one answers; none for a toot that answers nothing.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub in_reply_to: Option<Url>,
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
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub is_announcement: Option<bool>,
    /// Mastodon's content warning; shown before the text when there is one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub summary: Option<String>,
    /// The group discussion a comment belongs to, as Mobilizon names it (its comments are
    /// then `attributedTo` the group and their author is `actor`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub context: Option<Url>,
    /// The title of a group's discussion, on the `Note` that starts it (Mobilizon's shape:
    /// that `Note`'s `id` is the discussion's address, as its `context`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub name: Option<String>,
    /// The people the text mentions (`Mention`, `href` their actor), as Mastodon and
    /// Mobilizon send them; other kinds (hashtags, emoji) are read and not used.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "each_readable"
    )]
    pub tag: Vec<Tag>,
}

impl Note {
    /// The author: `attributedTo`, else `actor`; `actor` first for a comment of a group's
    /// discussion, which Mobilizon attributes to the group.
    pub fn author(&self) -> Option<&Url> {
        if self.context.is_some() && self.actor.is_some() {
            return self.actor.as_ref();
        }
        self.attributed_to.as_ref().or(self.actor.as_ref())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_pleroma_note_and_a_mastodon_toot_parse_with_their_author() {
        let path = format!(
            "{}/fixtures/activitypub/pleroma-comment-object.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let note: Note = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(
            note.author().map(Url::as_str),
            Some("https://fedi.absturztau.be/users/dqn")
        );
        assert_eq!(note.in_reply_to, None);
        let path = format!(
            "{}/fixtures/activitypub/mastodon-post-activity.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let activity: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let toot: Note = serde_json::from_value(activity["object"].clone()).unwrap();
        assert_eq!(toot.summary.as_deref(), Some("cw"));
        assert!(toot.in_reply_to.is_none(), "inReplyTo: null reads as none");
        assert_eq!(toot.tag.len(), 1);
        assert_eq!(toot.tag[0].kind.as_deref(), Some("Mention"));
        assert_eq!(
            toot.tag[0].href.as_deref(),
            Some("https://framapiaf.org/users/tcit")
        );
    }
}
