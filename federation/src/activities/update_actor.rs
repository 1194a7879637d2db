//! `Update` of a group or person by itself: its cached profile (name, summary, keys, inboxes)
//! is refreshed here. And our own, when a local group or person changes.

use activitypub_federation::config::Data;
use activitypub_federation::kinds::activity::UpdateType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use entity::actor;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::protocol::PUBLIC;
use crate::protocol::actor::Actor;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct UpdateActor {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UpdateType,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Url>,
    pub object: Box<Actor>,
}

impl UpdateActor {
    /// A local actor's new profile, for everyone and its followers.
    pub fn new(actor: &actor::Model, document: Actor) -> Result<Self> {
        let followers = actor
            .followers_url
            .as_deref()
            .ok_or_else(|| Error::Internal(format!("actor {} has no followers", actor.ap_id)))?;
        Ok(Self {
            id: Url::parse(&format!("{}#updates/{}", actor.ap_id, uuid::Uuid::new_v4()))?,
            kind: UpdateType::Update,
            actor: Url::parse(&actor.ap_id)?,
            to: vec![Url::parse(PUBLIC)?],
            cc: vec![Url::parse(followers)?],
            object: Box::new(document),
        })
    }
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
        let actor = backend::actors::remote::receive(data.app_data(), remote).await?;
        tracing::info!(ap_id = %actor.ap_id, "remote actor updated");
        Ok(())
    }
}
