//! `Accept` / `Reject` of a local person's `Join` of a remote event, or of a local actor's
//! `Follow`: the same decisions as organizers and moderators here make
//! (`backend::participations::decide`, `backend::groups::follows::decide`), whose policy says
//! who may answer. The follow is named by its id (Mobilizon) or embedded (Mastodon).
//!
//! And our own answers: to a remote actor's `Follow` of one of ours, and to a remote person's
//! `Join` of one of our events (`Ignore` is FEP-8a8e's: the event takes no RSVPs here).

use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::groups::follows;
use backend::participations;
use entity::actor;
use entity::participant::ParticipantRole;
use serde::{Deserialize, Serialize};
use url::Url;

use super::follow::Follow;
use super::join::Join;
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Answer {
    Accept,
    Reject,
    /// Sent, never read: an `Ignore` we receive is one of the activities we ignore.
    #[serde(skip_deserializing)]
    Ignore,
}

impl Answer {
    fn name(self) -> &'static str {
        match self {
            Answer::Accept => "accept",
            Answer::Reject => "reject",
            Answer::Ignore => "ignore",
        }
    }
}

/// An answer; the object answered is read as sent, and written as the `Follow` or `Join` it is.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Accept<O = serde_json::Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: Answer,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    pub object: O,
    /// Why, for a refused `Join`.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Accept<Follow> {
    /// `target`'s `Accept` of a remote actor's follow, named after the follow row (so that
    /// answering again sends the same activity).
    pub fn follow(
        follow: &entity::follow::Model,
        follower: &actor::Model,
        target: &actor::Model,
    ) -> Result<Self> {
        let id = format!("{}#accepts/follows/{}", target.ap_id, follow.id);
        let follow_id = follow
            .ap_id
            .as_deref()
            .ok_or_else(|| Error::Internal(format!("follow {} has no id", follow.id)))?;
        Self::answer_follow(Answer::Accept, &id, follow_id, follower, target)
    }

    /// `target`'s `Reject` of a remote actor's follow `follow_id`.
    pub fn reject_follow(
        follow_id: &str,
        follower: &actor::Model,
        target: &actor::Model,
    ) -> Result<Self> {
        let id = format!("{}#rejects/follows/{}", target.ap_id, uuid::Uuid::new_v4());
        Self::answer_follow(Answer::Reject, &id, follow_id, follower, target)
    }

    fn answer_follow(
        kind: Answer,
        id: &str,
        follow_id: &str,
        follower: &actor::Model,
        target: &actor::Model,
    ) -> Result<Self> {
        Ok(Self {
            id: Url::parse(id)?,
            kind,
            actor: Url::parse(&target.ap_id)?,
            to: vec![Url::parse(&follower.ap_id)?],
            object: Follow::of(follow_id, follower, target)?,
            summary: None,
        })
    }
}

impl Accept<Join> {
    /// The answer of `sender` (the event's group or organizer) to `person`'s `Join`
    /// `join_id` of the event `event_id`, with the reason of a refusal.
    pub fn join(
        kind: Answer,
        sender: &actor::Model,
        person: &actor::Model,
        join_id: &str,
        event_id: &str,
        reason: Option<&str>,
    ) -> Result<Self> {
        let id = format!("{}#{}/{}", sender.ap_id, kind.name(), uuid::Uuid::new_v4());
        Ok(Self {
            id: Url::parse(&id)?,
            kind,
            actor: Url::parse(&sender.ap_id)?,
            to: vec![Url::parse(&person.ap_id)?],
            object: Join::named(join_id, person, event_id)?,
            summary: reason.map(str::to_owned),
        })
    }
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
                backend::groups::followers::find_local_by_ap_id(&data.db, id).await?
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
        let Some(follower) = super::senders::local_actor(data, &follower).await? else {
            return Ok(None);
        };
        let Some(target) =
            backend::actors::remote::find_by_ap_id(&data.db, self.actor.as_str()).await?
        else {
            return Ok(None);
        };
        Ok(backend::groups::followers::find_follow(&data.db, follower.id, target.id).await?)
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
            let sender = super::senders::sender(data, &self.actor, &self.id).await?;
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
        let sender = super::senders::sender(data, &self.actor, &self.id).await?;
        follows::decide(data.app_data(), &sender, follow.id, accepted).await?;
        tracing::info!(target = %self.actor, accepted, "follow answered");
        Ok(())
    }
}
