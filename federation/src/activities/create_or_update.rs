//! `Create` / `Update` of an `Event` from another instance: when its sender owns it, handed to
//! `backend::events::federated::receive`, which keeps it when someone here follows the sender
//! or the event's group. And our own, of our events, to their followers and in outboxes.

use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::remote_events::{store_remote_event, verify_owner};
use crate::error::{Error, Result};
use crate::protocol::event::Event;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum CreateOrUpdateType {
    Create,
    Update,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CreateOrUpdate {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    pub object: Event,
}

impl CreateOrUpdate {
    /// `sender`'s (the event's group or organizer) `Create` or `Update` of one of our events,
    /// for the event's audience, sent at `now`.
    pub fn new(
        kind: CreateOrUpdateType,
        sender: &entity::actor::Model,
        object: Event,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!("{}/activity/{}", object.id, uuid::Uuid::new_v4()))?,
            kind,
            actor: Url::parse(&sender.ap_id)?,
            to: object.to.clone(),
            cc: object.cc.clone(),
            published: Some(now),
            object,
        })
    }

    /// Our instance actor's `Create` or `Update` of one of our public events, for the
    /// instances that follow it and take events only from the actors they follow (Gancio).
    pub fn by_relay(
        kind: CreateOrUpdateType,
        relay: &entity::actor::Model,
        object: Event,
        now: DateTime<Utc>,
    ) -> Result<Self> {
        let followers = relay
            .followers_url
            .as_deref()
            .ok_or_else(|| Error::Internal("the relay has no followers collection".to_owned()))?;
        Ok(Self {
            id: Url::parse(&format!("{}/relayed/{}", relay.ap_id, uuid::Uuid::new_v4()))?,
            kind,
            actor: Url::parse(&relay.ap_id)?,
            to: vec![Url::parse(followers)?],
            cc: vec![Url::parse(crate::protocol::PUBLIC)?],
            published: Some(now),
            object,
        })
    }

    /// The `Create` an event was published with, as an outbox lists it.
    pub fn published(sender: Url, object: Event) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!("{}/activity", object.id))?,
            kind: CreateOrUpdateType::Create,
            actor: sender,
            to: object.to.clone(),
            cc: object.cc.clone(),
            published: object.published.map(|p| p.to_utc()),
            object,
        })
    }
}

#[async_trait::async_trait]
impl Activity for CreateOrUpdate {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        verify_owner(&self.object, &self.actor)
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        store_remote_event(data, &self.actor, &self.object, &self.id).await
    }
}
