//! `Create` / `Update` of an `Event` from another instance: when its sender owns it, handed to
//! `backend::events::federated::receive`, which keeps it when someone here follows the sender
//! or the event's group. And our own, of our events, to their followers and in outboxes.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::events::federated::{self, Arrival};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::objects::actor::ApActor;
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

/// Hands `event`, sent (or announced) by `sender`, which the caller checked owns it, to the
/// backend, which keeps it when someone here follows its organizer or its group. Shared by
/// `Create`, `Update` and `Announce`.
pub(crate) async fn store_remote_event(
    data: &Data<AppContext>,
    sender_url: &Url,
    object: &Event,
    activity_id: &Url,
) -> Result<()> {
    store(data, sender_url, object, activity_id, Arrival::Sent)
        .await
        .map(|_| ())
}

/// Stores an event someone here asked for by its address (`interact`), followed or not.
pub(crate) async fn store_asked_for(
    data: &Data<AppContext>,
    object: &Event,
) -> Result<Option<entity::event::Model>> {
    let owner = object
        .attributed_to
        .clone()
        .or_else(|| object.actor.clone())
        .ok_or_else(|| Error::Malformed("an event without organizer".to_owned()))?;
    verify_owner(object, &owner)?;
    store(data, &owner, object, &object.id, Arrival::AskedFor).await
}

async fn store(
    data: &Data<AppContext>,
    sender_url: &Url,
    object: &Event,
    activity_id: &Url,
    arrival: Arrival,
) -> Result<Option<entity::event::Model>> {
    let sender = ObjectId::<ApActor>::from(sender_url.clone())
        .dereference(data)
        .await?;
    let organizer = match &object.actor {
        Some(url) if url != sender_url => {
            ObjectId::<ApActor>::from(url.clone())
                .dereference(data)
                .await?
                .model
        }
        _ => sender.model.clone(),
    };
    let group = match &object.attributed_to {
        Some(url) if url == sender_url => Some(sender.model.clone()),
        Some(url) if Some(url) != object.actor.as_ref() => Some(
            ObjectId::<ApActor>::from(url.clone())
                .dereference(data)
                .await?
                .model,
        ),
        _ => None,
    };
    let remote =
        crate::objects::event::to_remote(object, organizer.id, group.as_ref().map(|g| g.id))?;
    let Some(event) = federated::receive(data.app_data(), remote, arrival).await? else {
        tracing::debug!(id = %activity_id, "remote event not kept");
        return Ok(None);
    };
    tracing::info!(ap_id = %event.ap_id, activity = %activity_id, "remote event stored");
    Ok(Some(event))
}

/// Whether `sender` may speak for `event`: same host, and it is its organizer or its group.
pub(crate) fn verify_owner(event: &Event, sender: &Url) -> Result<()> {
    super::verify_same_origin(&event.id, sender)?;
    let owners = [&event.actor, &event.attributed_to];
    if !owners.iter().any(|o| o.as_ref() == Some(sender)) {
        return Err(Error::Rejected(
            "the sender is neither the event's organizer nor its group".to_owned(),
        ));
    }
    Ok(())
}
