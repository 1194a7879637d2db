//! `Create` / `Update` of an `Event` from another instance: stored as a remote event when its
//! sender owns it and someone here follows the sender or the event's group.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Activity;
use backend::AppContext;
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
    pub object: Event,
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
        // The sender owns the event: same host, and it is its organizer or its group.
        super::verify_same_origin(&self.object.id, &self.actor)?;
        let owners = [&self.object.actor, &self.object.attributed_to];
        if !owners.iter().any(|o| o.as_ref() == Some(&self.actor)) {
            return Err(Error::Rejected(
                "the sender is neither the event's organizer nor its group".to_owned(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        let sender = ObjectId::<ApActor>::from(self.actor.clone())
            .dereference(data)
            .await?;
        let organizer = match &self.object.actor {
            Some(url) if *url != self.actor => {
                ObjectId::<ApActor>::from(url.clone())
                    .dereference(data)
                    .await?
                    .model
            }
            _ => sender.model.clone(),
        };
        let group = match &self.object.attributed_to {
            Some(url) if *url == self.actor => Some(sender.model.clone()),
            Some(url) if Some(url) != self.object.actor.as_ref() => Some(
                ObjectId::<ApActor>::from(url.clone())
                    .dereference(data)
                    .await?
                    .model,
            ),
            _ => None,
        };
        if organizer.is_local() || group.as_ref().is_some_and(|g| g.is_local()) {
            return Err(Error::Rejected(
                "a remote event cannot name local owners".to_owned(),
            ));
        }
        let mut owners = vec![organizer.id];
        owners.extend(group.as_ref().map(|g| g.id));
        if !backend::groups::follows::has_local_followers(&data.db, &owners).await? {
            tracing::debug!(id = %self.id, "ignoring an event nobody here follows");
            return Ok(());
        }
        let remote = crate::objects::event::to_remote(
            &self.object,
            organizer.id,
            group.as_ref().map(|g| g.id),
        )?;
        let event = backend::events::federated::upsert_remote(data.app_data(), remote).await?;
        tracing::info!(ap_id = %event.ap_id, kind = ?self.kind, "remote event stored");
        Ok(())
    }
}
