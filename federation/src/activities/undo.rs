//! `Undo{Follow}`: a remote actor stops following (`backend::groups::follows::unfollow`, as a
//! person here does); `Undo{Join}` is a `Leave`. Other undos are ignored. And our own
//! `Undo{Follow}` of another instance's group.

use activitypub_federation::config::Data;
use activitypub_federation::kinds::activity::UndoType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::groups::follows::{self, UnfollowRequest};
use entity::actor;
use serde::{Deserialize, Serialize};
use url::Url;

use super::follow::Follow;
use crate::error::{Error, Result};

/// An undo; the object undone is read as sent, and written as the activity it is.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Undo<O = serde_json::Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    pub object: O,
}

impl Undo<Follow> {
    /// A local actor's `Undo` of its follow `follow_id` of a remote actor.
    pub fn follow(follow_id: &str, follower: &actor::Model, target: &actor::Model) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!("{follow_id}/undo"))?,
            kind: UndoType::Undo,
            actor: Url::parse(&follower.ap_id)?,
            to: vec![Url::parse(&target.ap_id)?],
            object: Follow::of(follow_id, follower, target)?,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Undo {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        // Only the follower may undo its follow.
        if let Some(actor) = self.object.get("actor").and_then(|a| a.as_str())
            && actor != self.actor.as_str()
        {
            return Err(Error::Rejected(
                "undo of another actor's activity".to_owned(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        if self.object.get("type").and_then(|t| t.as_str()) == Some("Join") {
            // Undo{Join}: the same as a `Leave`.
            let leave = super::join::Join {
                id: self.id.clone(),
                kind: super::join::JoinOrLeave::Leave,
                actor: self.actor.clone(),
                to: Vec::new(),
                object: self.object.get("object").cloned().unwrap_or_default(),
                participation_message: None,
            };
            return leave.receive(data).await;
        }
        if self.object.get("type").and_then(|t| t.as_str()) != Some("Follow") {
            tracing::debug!(id = %self.id, "ignoring an undo of something other than a follow");
            return Ok(());
        }
        let Some(target) = self
            .object
            .get("object")
            .and_then(|o| o.as_str())
            .and_then(|o| Url::parse(o).ok())
        else {
            return Err(Error::Malformed(
                "Undo{Follow} without its object".to_owned(),
            ));
        };
        let Some(target) = super::senders::local_actor(data, &target).await? else {
            return Ok(());
        };
        let Some(follower) =
            backend::actors::remote::find_by_ap_id(&data.db, self.actor.as_str()).await?
        else {
            return Ok(());
        };
        let request = UnfollowRequest {
            target_id: target.id,
            actor_id: None,
        };
        let principal = super::senders::remote_principal(&follower, &self.id);
        follows::unfollow(data.app_data(), &principal, request).await?;
        tracing::info!(follower = %self.actor, "remote unfollow");
        Ok(())
    }
}
