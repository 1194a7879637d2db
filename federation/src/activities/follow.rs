//! `Follow` of a local group or person by a remote actor.

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::kinds::activity::FollowType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::objects::actor::ApActor;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Follow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub actor: Url,
    #[serde(deserialize_with = "crate::protocol::first_of")]
    pub object: Option<Url>,
}

#[async_trait::async_trait]
impl Activity for Follow {
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
        let object = self
            .object
            .as_ref()
            .ok_or_else(|| Error::Malformed("Follow without object".to_owned()))?;
        let target = super::local_actor(data, object)
            .await?
            .ok_or(Error::NotFound)?;
        let follower = ObjectId::<ApActor>::from(self.actor.clone())
            .dereference(data)
            .await?;
        let follow = backend::groups::follows::remote_follow(
            data.app_data(),
            &follower.model,
            target.id,
            self.id.as_str(),
        )
        .await?;
        tracing::info!(
            follower = %self.actor,
            target = %object,
            approved = follow.approved,
            "remote follow"
        );
        Ok(())
    }
}
