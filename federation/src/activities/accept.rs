//! `Accept{Follow}`: a remote actor accepted a local actor's follow.

use activitypub_federation::config::Data;
use activitypub_federation::kinds::activity::AcceptType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Accept {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AcceptType,
    pub actor: Url,
    pub object: serde_json::Value,
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
        // Mastodon, Mobilizon and we embed the Follow; a bare id is not enough to find it.
        let follower = self
            .object
            .get("actor")
            .and_then(|a| a.as_str())
            .and_then(|a| Url::parse(a).ok());
        let Some(follower) = follower else {
            tracing::debug!(id = %self.id, "ignoring an accept without an embedded object");
            return Ok(());
        };
        let Some(follower) = super::local_actor(data, &follower).await? else {
            return Ok(());
        };
        let Some(target) =
            backend::actors::remote::find_by_ap_id(&data.db, self.actor.as_str()).await?
        else {
            return Err(Error::NotFound);
        };
        backend::groups::follows::approve_remote(data.app_data(), follower.id, target.id).await?;
        tracing::info!(target = %self.actor, "follow accepted");
        Ok(())
    }
}
