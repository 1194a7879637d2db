//! `Accept` / `Reject` of a local person's `Join` of a remote event, or of a local actor's
//! `Follow`: the same decisions as organizers and moderators here make
//! (`backend::participations::decide`, `backend::groups::follows::decide`), whose policy says
//! who may answer. The follow is named by its id (Mobilizon) or embedded (Mastodon).

use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::groups::follows;
use backend::participations;
use entity::participant::ParticipantRole;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Answer {
    Accept,
    Reject,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Accept {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: Answer,
    pub actor: Url,
    pub object: serde_json::Value,
}

impl Accept {
    /// The follow answered, as (local follower, remote target), when we know it.
    async fn follow(&self, data: &Data<AppContext>) -> Result<Option<entity::follow::Model>> {
        let follow_id = match &self.object {
            serde_json::Value::String(id) => Some(id.as_str()),
            object => object.get("id").and_then(|i| i.as_str()),
        };
        if let Some(id) = follow_id
            && let Some(follow) =
                backend::groups::follows::find_local_by_ap_id(&data.db, id).await?
        {
            return Ok(Some(follow));
        }
        let follower = self
            .object
            .get("actor")
            .and_then(|a| a.as_str())
            .and_then(|a| Url::parse(a).ok());
        let Some(follower) = follower else {
            return Ok(None);
        };
        let Some(follower) = super::local_actor(data, &follower).await? else {
            return Ok(None);
        };
        let Some(target) =
            backend::actors::remote::find_by_ap_id(&data.db, self.actor.as_str()).await?
        else {
            return Ok(None);
        };
        Ok(backend::groups::follows::find_follow(&data.db, follower.id, target.id).await?)
    }
}

#[async_trait::async_trait]
impl Activity for Accept {
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
        let accepted = self.kind == Answer::Accept;
        // An answer to one of our people's `Join`s of a remote event?
        if let Some(join_id) = super::join::object_id(&self.object)
            && let Some(participation) =
                participations::find_by_join_id(&data.db, join_id.as_str()).await?
        {
            let sender = super::sender(data, &self.actor, &self.id).await?;
            let role = if accepted {
                ParticipantRole::Participant
            } else {
                ParticipantRole::Rejected
            };
            participations::decide(data.app_data(), &sender, participation.id, role).await?;
            tracing::info!(id = %self.id, accepted, "join answered");
            return Ok(());
        }
        let Some(follow) = self.follow(data).await? else {
            tracing::debug!(id = %self.id, "ignoring an answer to a follow we do not know");
            return Ok(());
        };
        let sender = super::sender(data, &self.actor, &self.id).await?;
        follows::decide(data.app_data(), &sender, follow.id, accepted).await?;
        tracing::info!(target = %self.actor, accepted, "follow answered");
        Ok(())
    }
}
