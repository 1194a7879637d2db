//! `Join` and `Leave` of a local event by a remote person (Mobilizon's RSVP shape: `object` is
//! the event, `participationMessage` the note to the organizers). They run the same rules as a
//! local RSVP (`backend::participations::remote`), which records the answer to send.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::participations::remote::{self, RemoteJoin};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::error::{Error, Result};
use crate::objects::actor::ApActor;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum JoinOrLeave {
    Join,
    Leave,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Join {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: JoinOrLeave,
    pub actor: Url,
    /// The event, by id or embedded.
    pub object: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation_message: Option<String>,
}

/// The id of an object given by id or embedded.
pub(crate) fn object_id(object: &Value) -> Option<Url> {
    let id = match object {
        Value::String(id) => Some(id.as_str()),
        other => other.get("id").and_then(Value::as_str),
    };
    id.and_then(|id| Url::parse(id).ok())
}

/// The local event a `Join` or `Leave` is about, when it is one of ours.
async fn local_event(data: &Data<AppContext>, object: &Value) -> Result<entity::event::Model> {
    let id =
        object_id(object).ok_or_else(|| Error::Malformed("a join without its event".to_owned()))?;
    match backend::events::federated::find_by_ap_id(&data.db, id.as_str()).await? {
        Some(event) if event.local => Ok(event),
        _ => Err(Error::NotFound),
    }
}

#[async_trait::async_trait]
impl Activity for Join {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, data: &Data<AppContext>) -> Result<()> {
        local_event(data, &self.object).await.map(|_| ())
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        let event = local_event(data, &self.object).await?;
        let person = ObjectId::<ApActor>::from(self.actor.clone())
            .dereference(data)
            .await?;
        match self.kind {
            JoinOrLeave::Join => {
                let outcome = remote::join(
                    data.app_data(),
                    &person.model,
                    event.id,
                    self.participation_message.as_deref(),
                    self.id.as_str(),
                )
                .await?;
                if let RemoteJoin::Refused { code, .. } = outcome {
                    tracing::info!(id = %self.id, %code, "join refused; the answer is on its way");
                }
            }
            JoinOrLeave::Leave => {
                remote::leave(data.app_data(), &person.model, event.id).await?;
            }
        }
        Ok(())
    }
}
