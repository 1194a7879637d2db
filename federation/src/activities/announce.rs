//! `Announce` of an event by the group it belongs to (Mobilizon's groups relay their events
//! this way; Mastodon shows it as a boost). The announced object is an event id, an embedded
//! `Event`, or an embedded `Create`/`Update` of one. Announces of anything else (boosts of
//! notes) are accepted and ignored, but a group's relay of a comment of its discussions (see
//! [`super::discussion`]). And our own: a group's of its new events, the instance
//! actor's of public events to the instances that follow it.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::fetch_object_http;
use activitypub_federation::kinds::activity::AnnounceType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use chrono::{DateTime, Utc};
use entity::actor;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use super::create_or_update::CreateOrUpdate;
use super::remote_events::{store_asked_for, store_remote_event, verify_owner};
use crate::error::{Error, Result};
use crate::protocol::event::Event;
use crate::protocol::note::Note;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Announce {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    pub object: Value,
}

impl Announce {
    /// A group relays its new event `event` (as Mobilizon's groups do: Mastodon shows it as
    /// the group's boost, Mobilizon fetches the event from it), to the event's audience.
    pub fn by_group(group: &actor::Model, event: &Event, now: DateTime<Utc>) -> Result<Self> {
        let id = format!("{}/announces/{}", event.id, uuid::Uuid::new_v4());
        Self::new(
            &id,
            group,
            &event.id,
            event.to.clone(),
            event.cc.clone(),
            now,
        )
    }

    /// Our instance actor announces a public event's new state to the instances that follow
    /// it; they fetch it from here (and get a 404 once it is gone).
    pub fn by_relay(relay: &actor::Model, event_id: &str, now: DateTime<Utc>) -> Result<Self> {
        let id = format!("{}/announces/{}", relay.ap_id, uuid::Uuid::new_v4());
        let followers = relay
            .followers_url
            .as_deref()
            .ok_or_else(|| Error::Internal("the relay has no followers collection".to_owned()))?;
        let to = vec![Url::parse(followers)?];
        let cc = vec![Url::parse(crate::protocol::PUBLIC)?];
        Self::new(&id, relay, &Url::parse(event_id)?, to, cc, now)
    }

    /// Our instance actor relaying the `Create` of one of our public events, as its outbox
    /// lists it: Gancio imports an outbox's `Create`s and its `Announce`s of a `Create`, and
    /// files what it imports under the activity's actor, which it knows (it follows it) when
    /// that actor is the instance actor.
    pub fn relayed_create(relay: &actor::Model, create: &CreateOrUpdate) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!("{}/relayed", create.id))?,
            kind: AnnounceType::Announce,
            actor: Url::parse(&relay.ap_id)?,
            to: create.to.clone(),
            cc: create.cc.clone(),
            published: create.published,
            object: serde_json::to_value(create)?,
        })
    }

    /// A group relays a member's comment of one of its discussions to its members elsewhere,
    /// the `Note` inside (Mobilizon's groups relay their members' activities so).
    pub fn of_note(group: &actor::Model, note: &Note, now: DateTime<Utc>) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!(
                "{}/announces/{}",
                group.ap_id,
                uuid::Uuid::new_v4()
            ))?,
            kind: AnnounceType::Announce,
            actor: Url::parse(&group.ap_id)?,
            to: note.to.clone(),
            cc: Vec::new(),
            published: Some(now),
            object: serde_json::to_value(note)?,
        })
    }

    fn new(
        id: &str,
        sender: &actor::Model,
        event_id: &Url,
        to: Vec<Url>,
        cc: Vec<Url>,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: AnnounceType::Announce,
            actor: Url::parse(&sender.ap_id)?,
            to,
            cc,
            published: Some(now),
            object: Value::String(event_id.to_string()),
        })
    }
}

/// What an `Announce` carries, once unwrapped.
pub(crate) enum Announced {
    /// An embedded event, trusted only when the announcer owns it.
    Event(Box<Event>),
    /// An address to fetch the event from, at its origin.
    Address(Url),
    Other,
}

impl Announce {
    /// The announced object, out of its `Create` or `Update` if it is wrapped in one.
    fn inner(&self) -> &Value {
        match self.object.get("type").and_then(Value::as_str) {
            Some("Create" | "Update") => self.object.get("object").unwrap_or(&Value::Null),
            _ => &self.object,
        }
    }

    /// The announced `Note` of a group's discussion (it names one as its `context`), if any.
    pub(crate) fn discussion_note(&self) -> Option<Note> {
        let object = self.inner();
        let is_note = object.get("type").and_then(Value::as_str) == Some("Note");
        if !is_note || object.get("context").is_none() {
            return None;
        }
        serde_json::from_value(object.clone()).ok()
    }

    pub(crate) fn announced(&self) -> Announced {
        let object = self.inner();
        match object {
            Value::String(id) => Url::parse(id).map_or(Announced::Other, Announced::Address),
            Value::Object(map) if map.get("type").and_then(Value::as_str) == Some("Event") => {
                serde_json::from_value(object.clone())
                    .map_or(Announced::Other, |event| Announced::Event(Box::new(event)))
            }
            _ => Announced::Other,
        }
    }
}

impl Announce {
    /// An instance we follow relays one of its public events: fetched from its origin (the
    /// relay speaks for the instance, not for the event), stored, or forgotten when gone.
    async fn relayed(&self, data: &Data<AppContext>) -> Result<()> {
        let url = match self.announced() {
            Announced::Event(event) => event.id,
            Announced::Address(url) => url,
            Announced::Other => return Ok(()),
        };
        if url.origin() != self.actor.origin() {
            tracing::debug!(id = %self.id, "ignoring a relayed object of another instance");
            return Ok(());
        }
        match fetch_object_http::<AppContext, Value>(&url, data).await {
            Ok(fetched) => {
                let Ok(event) = serde_json::from_value::<Event>(fetched.object) else {
                    return Ok(());
                };
                store_asked_for(data, &event).await?;
                Ok(())
            }
            Err(activitypub_federation::error::Error::ObjectDeleted(_)) => {
                backend::events::federated::delete_remote(data.app_data(), url.as_str()).await?;
                Ok(())
            }
            Err(activitypub_federation::error::Error::NotFound) => {
                backend::events::federated::forget_remote(data.app_data(), url.as_str()).await?;
                Ok(())
            }
            Err(err) => Err(err.into()),
        }
    }
}

#[async_trait::async_trait]
impl Activity for Announce {
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

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        if let Some(note) = self.discussion_note() {
            let via = super::discussion::Via::Group;
            if super::discussion::receive_note(data, via, &self.actor, &self.id, &note).await? {
                return Ok(());
            }
        }
        if backend::instances::is_followed_instance(&data.db, self.actor.as_str()).await? {
            return self.relayed(data).await;
        }
        let event = match self.announced() {
            Announced::Event(event) => *event,
            Announced::Address(url) => {
                if url.origin() != self.actor.origin() {
                    tracing::debug!(id = %self.id, "ignoring an announce of another host's object");
                    return Ok(());
                }
                // Fetched from its origin: what the announcer says about it is not needed.
                match fetch_object_http::<AppContext, Value>(&url, data).await {
                    Ok(fetched) => match serde_json::from_value::<Event>(fetched.object) {
                        Ok(event) => event,
                        Err(_) => {
                            tracing::debug!(id = %self.id, "ignoring an announce of a non-event");
                            return Ok(());
                        }
                    },
                    Err(err) => return Err(err.into()),
                }
            }
            Announced::Other => {
                tracing::debug!(id = %self.id, "ignoring an announce of something not an event");
                return Ok(());
            }
        };
        verify_owner(&event, &self.actor)?;
        store_remote_event(data, &self.actor, &event, &self.id).await
    }
}
