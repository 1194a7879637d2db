//! `Follow` of a local group, person or instance actor by a remote actor: the same
//! `backend::groups::follows::follow` as a follow here, which records the `Accept` when the
//! follow is approved at once. And our own `Follow` of another instance's group.

use activitypub_federation::config::Data;
use activitypub_federation::kinds::activity::FollowType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::groups::follows::{self, FollowRequest};
use entity::{actor, follow};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Follow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    #[serde(deserialize_with = "crate::protocol::first_of")]
    pub object: Option<Url>,
}

impl Follow {
    /// `follower`'s follow of `target`, as it is named inside an answer or an undo.
    pub fn of(id: &str, follower: &actor::Model, target: &actor::Model) -> Result<Self> {
        Ok(Self {
            id: Url::parse(id)?,
            kind: FollowType::Follow,
            actor: Url::parse(&follower.ap_id)?,
            to: Vec::new(),
            object: Some(Url::parse(&target.ap_id)?),
        })
    }

    /// The `Follow` a local actor sends to the remote actor it follows.
    pub fn request(
        follow: &follow::Model,
        follower: &actor::Model,
        target: &actor::Model,
    ) -> Result<Self> {
        let id = follow
            .ap_id
            .as_deref()
            .ok_or_else(|| Error::Internal(format!("follow {} has no id", follow.id)))?;
        let mut request = Self::of(id, follower, target)?;
        request.to = vec![Url::parse(&target.ap_id)?];
        Ok(request)
    }
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
        let target = super::senders::local_actor(data, object)
            .await?
            .ok_or(Error::NotFound)?;
        let follower = super::senders::sender(data, &self.actor, &self.id).await?;
        let request = FollowRequest {
            target_id: target.id,
            ..FollowRequest::default()
        };
        let follow = follows::follow(data.app_data(), &follower, request).await?;
        tracing::info!(
            follower = %self.actor,
            target = %object,
            approved = follow.approved,
            "remote follow"
        );
        Ok(())
    }
}
