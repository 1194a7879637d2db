//! `Create` / `Update` of a `Note`: a comment. One that answers one of our events or comments
//! (or a copy we keep) becomes a comment here through `backend::comments::create`, the same
//! function people here use, as the sender's `Principal::Remote`; its `Update` goes to
//! `backend::comments::update`. A `Note` that answers nothing is a toot: ignored. One that
//! answers something we do not have is refused (404) and logged. And our own, of the comments
//! written here, to the event's audience. A `Note` answering one of the messages organizers
//! here wrote to a participant becomes an answer in that conversation
//! (`backend::conversations::answer`). One whose `context` is a group's discussion goes to
//! [`super::discussion`].

use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use backend::AppContext;
use backend::comments::{CommentChanges, CommentRef, NewComment, RemoteNote, Target};
use backend::conversations::{Answer, ConversationRef};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::create_or_update::CreateOrUpdateType;
use crate::error::{Error, Result};
use crate::objects::comment::text_of;
use crate::protocol::note::Note;

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CreateOrUpdateNote {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    pub actor: Url,
    /// Written, not read: who receives it is the sender's business.
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Vec::is_empty")]
    pub cc: Vec<Url>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
    pub object: Note,
}

impl CreateOrUpdateNote {
    /// The author's `Create` or `Update` of a comment written here, sent at `now`.
    pub fn new(kind: CreateOrUpdateType, object: Note, now: DateTime<Utc>) -> Result<Self> {
        let actor = object
            .author()
            .cloned()
            .ok_or_else(|| Error::Internal("a comment without author".to_owned()))?;
        Ok(Self {
            id: Url::parse(&format!("{}/activity/{}", object.id, uuid::Uuid::new_v4()))?,
            kind,
            actor,
            to: object.to.clone(),
            cc: object.cc.clone(),
            published: Some(now),
            object,
        })
    }
}

/// What a `Note` answers here.
async fn target(data: &Data<AppContext>, in_reply_to: &Url) -> Result<Option<Target>> {
    if let Some(parent) = backend::comments::find_by_ap_id(&data.db, in_reply_to.as_str()).await? {
        return Ok(Some(Target::Reply(parent.id)));
    }
    let event = backend::events::federated::find_by_ap_id(&data.db, in_reply_to.as_str()).await?;
    Ok(event.map(|e| Target::Event(e.id)))
}

#[async_trait::async_trait]
impl Activity for CreateOrUpdateNote {
    type DataType = AppContext;
    type Error = Error;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<AppContext>) -> Result<()> {
        // Only its author speaks for a note, from the note's own instance.
        if self.object.author() != Some(&self.actor) {
            return Err(Error::Rejected(format!(
                "{} is not the author of {}",
                self.actor, self.object.id
            )));
        }
        crate::origin::verify_same_origin(&self.object.id, &self.actor)
    }

    async fn receive(self, data: &Data<AppContext>) -> Result<()> {
        let note = &self.object;
        let via = super::discussion::Via::Author(self.kind);
        if super::discussion::receive_note(data, via, &self.actor, &self.id, note).await? {
            return Ok(());
        }
        let Some(in_reply_to) = &note.in_reply_to else {
            tracing::debug!(id = %note.id, "ignoring a note that answers nothing");
            return Ok(());
        };
        let principal = super::senders::sender(data, &self.actor, &self.id).await?;
        let ctx = data.app_data();
        if backend::conversations::find_message_by_ap_id(&data.db, in_reply_to.as_str())
            .await?
            .is_some()
        {
            // An answer in a conversation with the organizers here, not a comment. Edits of
            // it are not kept: the same `Note` again is the same answer.
            let answer = Answer {
                conversation: ConversationRef::InReplyTo(in_reply_to.to_string()),
                text: text_of(note),
                language: None,
                identity: None,
                remote: Some(backend::conversations::RemoteNote {
                    ap_id: note.id.to_string(),
                    published_at: note.published.map(|p| p.to_utc()),
                }),
            };
            let answered = backend::conversations::answer(ctx, &principal, answer).await?;
            tracing::info!(message_id = answered.message.id, "remote answer stored");
            return Ok(());
        }
        let existing = backend::comments::find_by_ap_id(&data.db, note.id.as_str()).await?;
        if self.kind == CreateOrUpdateType::Update && existing.is_some() {
            let changes = CommentChanges {
                comment: CommentRef::ApId(note.id.to_string()),
                text: text_of(note),
                is_announcement: note.is_announcement,
            };
            backend::comments::update(ctx, &principal, changes).await?;
            tracing::info!(ap_id = %note.id, "remote comment updated");
            return Ok(());
        }
        // A `Create`, or the `Update` of a comment whose `Create` never reached us.
        let Some(target) = target(data, in_reply_to).await? else {
            tracing::info!(
                ap_id = %note.id,
                in_reply_to = %in_reply_to,
                "refusing a note that answers nothing we have"
            );
            return Err(Error::NotFound);
        };
        let new = NewComment {
            target,
            text: text_of(note),
            is_announcement: note.is_announcement.unwrap_or(false),
            language: None,
            identity: None,
            remote: Some(RemoteNote {
                ap_id: note.id.to_string(),
                published_at: note.published.map(|p| p.to_utc()),
            }),
        };
        let posted = backend::comments::create(ctx, &principal, new).await?;
        tracing::info!(ap_id = %note.id, comment_id = posted.comment().id, "remote comment stored");
        Ok(())
    }
}
