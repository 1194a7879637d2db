//! `Update` of a group or person by itself: its cached profile (name, summary, keys, inboxes)
//! is refreshed here.

use activitypub_federation::config::Data;
use activitypub_federation::kinds::activity::UpdateType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::protocol::actor::Actor;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct UpdateActor {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UpdateType,
    pub actor: Url,
    pub object: Box<Actor>,
}

#[async_trait::async_trait]
impl Activity for UpdateActor {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        if self.object.id != self.actor {
            return Err(Error::Rejected(
                "an actor updates only its own profile".to_owned(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        let remote = crate::objects::actor::to_remote(&self.object)?;
        let actor = backend::actors::remote::upsert(&data.db, remote, data.now()).await?;
        tracing::info!(ap_id = %actor.ap_id, "remote actor updated");
        Ok(())
    }
}
