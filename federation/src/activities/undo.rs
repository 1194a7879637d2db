//! `Undo{Follow}`: a remote actor stops following (`backend::groups::follows::unfollow`, as a
//! person here does); `Undo{Join}` is a `Leave`. Other undos are ignored.

use activitypub_federation::config::Data;
use activitypub_federation::kinds::activity::UndoType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::groups::follows::{self, UnfollowRequest};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Undo {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub actor: Url,
    pub object: serde_json::Value,
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
        let Some(target) = super::local_actor(data, &target).await? else {
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
        let principal = super::remote_principal(&follower, &self.id);
        follows::unfollow(data.app_data(), &principal, request).await?;
        tracing::info!(follower = %self.actor, "remote unfollow");
        Ok(())
    }
}
