//! `Join` and `Leave` of a local event by a remote person (Mobilizon's RSVP shape: `object` is
//! the event, `participationMessage` the note to the organizers). They run the very functions
//! of a local RSVP (`backend::participations::join` and `leave`), which record the answer to
//! send (`Accept`, `Reject` or `Ignore`). And our own, to remote events.

use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::participations::{self, JoinRequest, Joined, LeaveRequest};
use backend::rate_limits::Client;
use entity::{actor, participant};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use crate::error::{Error, Result};

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
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    /// The event, by id or embedded.
    pub object: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation_message: Option<String>,
}

impl Join {
    /// `person`'s join `id` of the event `event_id`, as an answer names it.
    pub fn named(id: &str, person: &actor::Model, event_id: &str) -> Result<Self> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: JoinOrLeave::Join,
            actor: Url::parse(&person.ap_id)?,
            to: Vec::new(),
            object: Value::String(event_id.to_owned()),
            participation_message: None,
        })
    }

    /// The `Join` a local person sends to the remote event's `owner`, with their message.
    pub fn request(
        participation: &participant::Model,
        person: &actor::Model,
        owner: &actor::Model,
        event_id: &str,
    ) -> Result<Self> {
        let id = participation.ap_id.as_deref().ok_or_else(|| {
            Error::Internal(format!("participation {} has no id", participation.id))
        })?;
        let mut join = Self::named(id, person, event_id)?;
        join.to = vec![Url::parse(&owner.ap_id)?];
        join.participation_message = participation.message.clone();
        Ok(join)
    }

    /// The `Leave` a local person sends to the remote event's `owner`.
    pub fn leave(person: &actor::Model, owner: &actor::Model, event_id: &str) -> Result<Self> {
        let id = format!("{}#leaves/{}", person.ap_id, uuid::Uuid::new_v4());
        let mut leave = Self::named(&id, person, event_id)?;
        leave.kind = JoinOrLeave::Leave;
        leave.to = vec![Url::parse(&owner.ap_id)?];
        Ok(leave)
    }
}

/// The event's instance answered our person's `Join` `join_id` with a 4xx (Gancio: 404
/// "Unknown message type"): a refusal by the event's owner, recorded by the function an
/// incoming `Reject` runs (`participations::decide`), so that the person sees it instead of
/// waiting for an answer that will never come. Nothing when the participation is gone or was
/// answered already.
pub(crate) async fn refused_by_origin(ctx: &AppContext, join_id: &str) -> Result<()> {
    let Some(participation) = participations::find_by_join_id(&ctx.db, join_id).await? else {
        return Ok(());
    };
    if participation.role != entity::participant::ParticipantRole::NotApproved {
        return Ok(());
    }
    let event = backend::events::find(&ctx.db, participation.event_id).await?;
    let owner_id = event.attributed_to_id.unwrap_or(event.organizer_actor_id);
    let owner = backend::actors::find(&ctx.db, owner_id).await?;
    let answer = Url::parse(&format!("{join_id}#refused-by-its-instance"))?;
    let principal = super::senders::remote_principal(&owner, &answer);
    participations::decide(
        ctx,
        &principal,
        participation.id,
        entity::participant::ParticipantRole::Rejected,
    )
    .await?;
    tracing::info!(join = %join_id, "join refused by the event's instance");
    Ok(())
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
        let sender = super::senders::sender(data, &self.actor, &self.id).await?;
        match self.kind {
            JoinOrLeave::Join => {
                let request = JoinRequest {
                    event_id: event.id,
                    message: self.participation_message.clone(),
                    ..JoinRequest::default()
                };
                // The inbox counted this peer's requests already; no client budget applies.
                let joined =
                    participations::join(data.app_data(), &sender, &Client::Local, request).await?;
                if let Joined::Refused(refusal) = joined {
                    tracing::info!(id = %self.id, code = refusal.code(), "join refused; the answer is on its way");
                }
            }
            JoinOrLeave::Leave => {
                let request = LeaveRequest {
                    event_id: event.id,
                    ..LeaveRequest::default()
                };
                participations::leave(data.app_data(), &sender, request).await?;
            }
        }
        Ok(())
    }
}
