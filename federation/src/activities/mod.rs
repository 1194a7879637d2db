//! Activities we receive, one file per verb, and the untagged enum the inbox parses into (the
//! catch-all goes last: unknown types are accepted and ignored). A handler builds the
//! sender's `Principal::Remote` and calls the same backend function a GraphQL resolver or a
//! page calls for the same use case, then translates its outcome; no rule is decided here.

pub mod accept;
pub mod announce;
pub mod article;
pub mod create_or_update;
pub mod delete;
pub(crate) mod discussion;
pub mod flag;
pub mod follow;
pub mod join;
pub mod note;
mod remote_events;
mod senders;
pub mod undo;
pub mod update_actor;

use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use serde::{Deserialize, Serialize};
use url::Url;

pub(crate) use remote_events::store_asked_for;

use crate::error::{Error, Result};

#[derive(Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum InboxActivity {
    Follow(follow::Follow),
    Undo(undo::Undo),
    Accept(accept::Accept),
    CreateOrUpdate(Box<create_or_update::CreateOrUpdate>),
    Article(Box<article::CreateOrUpdateArticle>),
    Note(Box<note::CreateOrUpdateNote>),
    Announce(announce::Announce),
    Join(join::Join),
    UpdateActor(update_actor::UpdateActor),
    Delete(delete::Delete),
    Flag(flag::Flag),
    Other(Other),
}

/// Anything else with an id and an actor: signature checked, then ignored.
#[derive(Debug, Deserialize, Serialize)]
pub struct Other {
    pub id: Url,
    pub actor: Url,
    #[serde(rename = "type")]
    pub kind: String,
}

macro_rules! each {
    ($self:expr, $a:ident => $body:expr) => {
        match $self {
            InboxActivity::Follow($a) => $body,
            InboxActivity::Undo($a) => $body,
            InboxActivity::Accept($a) => $body,
            InboxActivity::CreateOrUpdate($a) => $body,
            InboxActivity::Article($a) => $body,
            InboxActivity::Note($a) => $body,
            InboxActivity::Announce($a) => $body,
            InboxActivity::Join($a) => $body,
            InboxActivity::UpdateActor($a) => $body,
            InboxActivity::Delete($a) => $body,
            InboxActivity::Flag($a) => $body,
            InboxActivity::Other($a) => $body,
        }
    };
}

#[async_trait::async_trait]
impl Activity for InboxActivity {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        each!(self, a => a.id())
    }

    fn actor(&self) -> &Url {
        each!(self, a => a.actor())
    }

    async fn verify(&self, data: &Data<AppContext>) -> Result<()> {
        each!(self, a => a.verify(data).await)
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        each!(self, a => a.receive(data).await)
    }
}

#[async_trait::async_trait]
impl Activity for Other {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        Ok(())
    }

    async fn receive(self, _data: &Data<AppContext>) -> Result<()> {
        tracing::debug!(id = %self.id, kind = %self.kind, "ignoring an activity we do not handle");
        Ok(())
    }
}

/// An outgoing activity built as JSON by the delivery jobs, signed and sent as it is.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Outgoing {
    pub json: serde_json::Value,
    #[serde(skip)]
    id: Url,
    #[serde(skip)]
    actor: Url,
}

impl Outgoing {
    pub fn new(json: serde_json::Value) -> Result<Self> {
        let url = |key: &str| {
            json.get(key)
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| Error::Malformed(format!("outgoing activity without {key}")))
                .and_then(|s| Url::parse(s).map_err(Error::from))
        };
        let id = url("id")?;
        let actor = url("actor")?;
        Ok(Self { json, id, actor })
    }
}

#[async_trait::async_trait]
impl Activity for Outgoing {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        Ok(())
    }

    async fn receive(self, _data: &Data<AppContext>) -> Result<()> {
        Err(Error::Internal(
            "outgoing activities are not received".to_owned(),
        ))
    }
}

#[cfg(test)]
mod fixture_tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    fn parse(name: &str) -> InboxActivity {
        let path = format!("{}/fixtures/activitypub/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("fixture");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn variant(activity: &InboxActivity) -> &'static str {
        match activity {
            InboxActivity::Follow(_) => "Follow",
            InboxActivity::Undo(_) => "Undo",
            InboxActivity::Accept(a) if a.kind == accept::Answer::Reject => "Reject",
            InboxActivity::Accept(_) => "Accept",
            InboxActivity::CreateOrUpdate(_) => "CreateOrUpdate",
            InboxActivity::Article(_) => "Article",
            InboxActivity::Note(_) => "Note",
            InboxActivity::Announce(_) => "Announce",
            InboxActivity::Join(j) if j.kind == join::JoinOrLeave::Leave => "Leave",
            InboxActivity::Join(_) => "Join",
            InboxActivity::UpdateActor(_) => "UpdateActor",
            InboxActivity::Delete(_) => "Delete",
            InboxActivity::Flag(_) => "Flag",
            InboxActivity::Other(_) => "Other",
        }
    }

    #[test]
    fn every_activity_other_servers_send_reaches_the_handler_meant_for_it() {
        let expected = [
            ("gancio-event-activity.json", "CreateOrUpdate"),
            // Captured from a real Gancio 1.21 (its instance actor follows and sends).
            ("gancio-1.21/gancio-create-event.json", "CreateOrUpdate"),
            ("gancio-1.21/gancio-update-event.json", "CreateOrUpdate"),
            ("gancio-1.21/gancio-delete-event.json", "Delete"),
            ("mobilizon-post-activity.json", "CreateOrUpdate"),
            ("mobilizon-post-activity-group.json", "CreateOrUpdate"),
            ("mobilizon-post-activity-media.json", "CreateOrUpdate"),
            ("mobilizon5-event-create.synthesized.json", "CreateOrUpdate"),
            ("mastodon-follow-activity.json", "Follow"),
            ("mastodon-unfollow-activity.json", "Undo"),
            ("mastodon-accept-activity.json", "Accept"),
            ("mastodon-reject-activity.json", "Reject"),
            ("mastodon-announce.json", "Announce"),
            ("mastodon-update.json", "UpdateActor"),
            ("mastodon-delete.json", "Delete"),
            ("mastodon-delete-user.json", "Delete"),
            // Undo of a boost: parsed as an undo, whose handler ignores anything but follows.
            ("mastodon-undo-announce.json", "Undo"),
            // Notes: comments when they answer an event or a comment here, else ignored.
            ("mastodon-post-activity.json", "Note"),
            // Cross-instance group invitations are not supported: accepted and ignored.
            ("mobilizon-invite-activity.json", "Other"),
            // A group's post, as Mobilizon sends it.
            ("mobilizon-post-article.synthesized.json", "Article"),
            ("mobilizon-join-activity.json", "Join"),
            ("mobilizon-leave-activity.json", "Leave"),
        ];
        for (name, variant_name) in expected {
            assert_eq!(variant(&parse(name)), variant_name, "{name}");
        }
        // Everything Gancio 1.21 sent to a Convive instance during a real run.
        let path = format!(
            "{}/fixtures/activitypub/gancio-1.21/gancio-outgoing.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let sent: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for entry in sent {
            let activity = &entry["activity"];
            let parsed: InboxActivity = serde_json::from_value(activity.clone())
                .unwrap_or_else(|e| panic!("{}: {e}", activity["id"]));
            let expected = match activity["type"].as_str().unwrap() {
                "Create" | "Update" => "CreateOrUpdate",
                other => other,
            };
            assert_eq!(variant(&parsed), expected, "{}", activity["id"]);
        }
        // Not activities, so never posted to an inbox: gancio-actor.json and mastodon-actor.json
        // (read by protocol::actor's tests), mobilizon-members-collection.json (a collection we
        // only serve), pleroma-comment-object.json (a bare Note).
    }

    #[test]
    fn an_announce_names_the_event_it_relays_or_nothing_we_keep() {
        let boost = parse("mastodon-announce.json");
        let InboxActivity::Announce(boost) = boost else {
            panic!("an announce");
        };
        assert!(matches!(boost.announced(), announce::Announced::Address(_)));
        let relayed: announce::Announce = serde_json::from_value(serde_json::json!({
            "id": "https://mobilizon.example/@repair/announces/1",
            "type": "Announce",
            "actor": "https://mobilizon.example/@repair",
            "object": crate::protocol::event::tests::fixture("mobilizon5-event-create.synthesized.json"),
        }))
        .unwrap();
        assert!(matches!(relayed.announced(), announce::Announced::Event(_)));
        let note: announce::Announce = serde_json::from_value(serde_json::json!({
            "id": "https://mastodon.example/users/a/statuses/1/activity",
            "type": "Announce",
            "actor": "https://mastodon.example/users/a",
            "object": { "id": "https://mastodon.example/users/a/statuses/1", "type": "Note" },
        }))
        .unwrap();
        assert!(matches!(note.announced(), announce::Announced::Other));
    }
}
