//! `Delete` of a remote event by its owner (a `Tombstone` or a bare id), of a comment by its
//! author or the event's organizers, of a discussion's comment (see [`super::discussion`]), of a group's post by its instance, or of an actor by
//! itself. Deletions of things not kept here are remembered like an event's, in case the
//! thing is an event still on its way. And our own: of an event (a `Tombstone`), of an actor
//! by itself (deleted, or suspended by our moderators).

use activitypub_federation::config::Data;
use activitypub_federation::kinds::activity::DeleteType;
use activitypub_federation::kinds::object::TombstoneType;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use entity::actor;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use crate::protocol::PUBLIC;

/// A deletion; the object is read as sent, and written as a `Tombstone` or an id.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Delete<O = serde_json::Value> {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    pub object: O,
}

/// What remains of a deleted object.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: TombstoneType,
    /// What it was (`Event`, `Note`): Gancio 1.21 picks its handler by it, and answers a
    /// `Delete` of a `Tombstone` without it with a 500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_type: Option<String>,
}

impl Tombstone {
    pub fn of(id: Url, former_type: &str) -> Self {
        Self {
            id,
            kind: TombstoneType::Tombstone,
            former_type: Some(former_type.to_owned()),
        }
    }
}

impl Delete<Tombstone> {
    /// `sender`'s (the event's group or organizer) deletion of the event `event_id`.
    pub fn event(event_id: &str, sender: &actor::Model) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!("{event_id}/delete/{}", uuid::Uuid::new_v4()))?,
            kind: DeleteType::Delete,
            actor: Url::parse(&sender.ap_id)?,
            to: vec![Url::parse(PUBLIC)?],
            object: Tombstone::of(Url::parse(event_id)?, "Event"),
        })
    }
}

impl Delete<Tombstone> {
    /// The deletion of a comment written here, by its author (whose instance speaks for it).
    pub fn comment(comment_id: &str, author: &actor::Model) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!("{comment_id}/delete"))?,
            kind: DeleteType::Delete,
            actor: Url::parse(&author.ap_id)?,
            to: vec![Url::parse(PUBLIC)?],
            object: Tombstone::of(Url::parse(comment_id)?, "Note"),
        })
    }
}

impl Delete<Tombstone> {
    /// The deletion of a comment of a group's discussion, to the group's members (or, for
    /// another instance's group, to the group): never to the public.
    /// Its id is the sender's: a group relays the deletion of a member's words from elsewhere.
    pub fn discussion_comment(comment_id: &str, sender: &actor::Model, to: Url) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!(
                "{}/deletes/{}",
                sender.ap_id,
                uuid::Uuid::new_v4()
            ))?,
            kind: DeleteType::Delete,
            actor: Url::parse(&sender.ap_id)?,
            to: vec![to],
            object: Tombstone::of(Url::parse(comment_id)?, "Note"),
        })
    }
}

impl Delete<Tombstone> {
    /// A group's deletion of its post (Mobilizon's shape: a `Tombstone` that was an
    /// `Article`).
    pub fn post(post_id: &str, group: &actor::Model) -> Result<Self> {
        Ok(Self {
            id: Url::parse(&format!("{post_id}/delete/{}", uuid::Uuid::new_v4()))?,
            kind: DeleteType::Delete,
            actor: Url::parse(&group.ap_id)?,
            to: vec![Url::parse(PUBLIC)?],
            object: Tombstone::of(Url::parse(post_id)?, "Article"),
        })
    }
}

impl Delete<Url> {
    /// A local actor's deletion of itself.
    pub fn actor(actor: &actor::Model) -> Result<Self> {
        let id = Url::parse(&actor.ap_id)?;
        Ok(Self {
            id: Url::parse(&format!("{}#delete", actor.ap_id))?,
            kind: DeleteType::Delete,
            actor: id.clone(),
            to: vec![Url::parse(PUBLIC)?],
            object: id,
        })
    }
}

impl Delete<Url> {
    /// A local actor's suspension, told as its deletion (Mastodon and Mobilizon do the same).
    /// An id of its own each time: a second suspension must not read as a replay of the first.
    pub fn suspension(actor: &actor::Model) -> Result<Self> {
        let mut delete = Self::actor(actor)?;
        delete.id = Url::parse(&format!(
            "{}#suspension-{}",
            actor.ap_id,
            uuid::Uuid::new_v4()
        ))?;
        Ok(delete)
    }
}

impl Delete {
    fn object_id(&self) -> Result<Url> {
        let id = match &self.object {
            serde_json::Value::String(id) => Some(id.as_str()),
            other => other.get("id").and_then(|i| i.as_str()),
        };
        Ok(Url::parse(id.ok_or_else(|| {
            Error::Malformed("Delete without object id".to_owned())
        })?)?)
    }
}

#[async_trait::async_trait]
impl Activity for Delete {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, data: &Data<AppContext>) -> Result<()> {
        let object = self.object_id()?;
        if crate::origin::verify_same_origin(&object, &self.actor).is_err() {
            // A group's instance deletes its members' words in its discussions, wherever
            // they were written: backend says whether this sender speaks for the group.
            let of_discussion =
                backend::discussions::find_comment_by_ap_id(&data.db, object.as_str()).await?;
            if of_discussion.is_none() {
                return crate::origin::verify_same_origin(&object, &self.actor);
            }
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        let object = self.object_id()?;
        if object == self.actor {
            // An actor deleting itself (Mastodon's and Mobilizon's account deletion).
            if backend::actors::remote::forget(data.app_data(), object.as_str()).await? {
                tracing::info!(ap_id = %object, "remote actor deleted");
            }
            return Ok(());
        }
        // Something not kept here may still be on its way (a `Create` whose first delivery
        // failed): backend remembers it as deleted. `verify` made sure the sender is of the
        // object's instance; whether it owns the event is backend's to say.
        let sender = backend::actors::remote::find_by_ap_id(&data.db, self.actor.as_str())
            .await?
            .ok_or(Error::NotFound)?;
        let principal = super::senders::remote_principal(&sender, &self.id);
        if super::discussion::receive_delete(data, &principal, &object).await? {
            return Ok(());
        }
        if backend::comments::find_by_ap_id(&data.db, object.as_str())
            .await?
            .is_some()
        {
            // The same function as a deletion here: its author or the event's organizers.
            let which = backend::comments::CommentRef::ApId(object.to_string());
            backend::comments::delete(data.app_data(), &principal, which).await?;
            tracing::info!(ap_id = %object, "remote comment deleted");
            return Ok(());
        }
        if backend::posts::find_by_ap_id(&data.db, object.as_str())
            .await?
            .is_some()
        {
            // The same function as a deletion here: its group's instance speaks for it.
            let which = backend::posts::PostRef::ApId(object.to_string());
            backend::posts::delete(data.app_data(), &principal, which).await?;
            tracing::info!(ap_id = %object, "remote post deleted");
            return Ok(());
        }
        let deleted = backend::events::federated::delete_by_owner(
            data.app_data(),
            &principal,
            object.as_str(),
        )
        .await?;
        tracing::info!(ap_id = %object, deleted, "remote event deleted");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    fn sender() -> actor::Model {
        let now = chrono::Utc::now();
        actor::Model {
            id: 1,
            ap_id: "https://convive.example/@repair".to_owned(),
            preferred_username: "repair".to_owned(),
            domain: None,
            kind: entity::ActorKind::Group,
            name: None,
            summary: None,
            user_id: None,
            url: None,
            inbox_url: None,
            shared_inbox_url: None,
            outbox_url: None,
            followers_url: None,
            public_key_pem: None,
            private_key_pem: None,
            visibility: entity::ActorVisibility::Public,
            openness: entity::Openness::Open,
            manually_approves_followers: false,
            suspended: false,
            physical_address_id: None,
            last_refreshed_at: None,
            created_at: now,
            updated_at: now,
            avatar_media_id: None,
            banner_media_id: None,
        }
    }

    #[test]
    fn our_tombstones_say_what_they_were_as_gancio_needs_to_delete_them() {
        let delete = Delete::event("https://convive.example/events/1", &sender()).unwrap();
        let written = serde_json::to_value(&delete).unwrap();
        assert_eq!(written["object"]["type"], "Tombstone");
        assert_eq!(written["object"]["formerType"], "Event");
        let delete = Delete::comment("https://convive.example/comments/1", &sender()).unwrap();
        let written = serde_json::to_value(&delete).unwrap();
        assert_eq!(written["object"]["formerType"], "Note");
        // Gancio's own `Delete` carries the whole event, and reads as a deletion of its id.
        let path = format!(
            "{}/fixtures/activitypub/gancio-1.21/gancio-delete-event.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let theirs: Delete = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(
            theirs.object_id().unwrap().as_str(),
            "http://localhost:13131/federation/m/2"
        );
    }
}
