//! A message of a conversation as a direct `Note`, in the shape Mobilizon gives its
//! conversations' comments: addressed to the person alone (`to`, nothing in `cc`, never the
//! public), `inReplyTo` the message before it in the conversation, if any.

use entity::conversation_message;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use url::Url;

use crate::error::Result;
use crate::protocol::note::{Note, NoteType};

/// The `Note` of a message written here, to `recipient`.
pub async fn to_note(
    conn: &impl ConnectionTrait,
    message: &conversation_message::Model,
    recipient: &entity::actor::Model,
) -> Result<Note> {
    let author = backend::actors::find(conn, message.actor_id).await?;
    let before = conversation_message::Entity::find()
        .filter(conversation_message::Column::ConversationId.eq(message.conversation_id))
        .filter(conversation_message::Column::Id.lt(message.id))
        .order_by_desc(conversation_message::Column::Id)
        .one(conn)
        .await?;
    let author_url = Url::parse(&author.ap_id)?;
    Ok(Note {
        kind: NoteType::Note,
        id: Url::parse(&message.ap_id)?,
        attributed_to: Some(author_url.clone()),
        actor: Some(author_url),
        url: None,
        uuid: Some(message.uuid.clone()),
        content: Some(message.text.clone()),
        media_type: Some("text/html".to_owned()),
        in_reply_to: before.map(|m| Url::parse(&m.ap_id)).transpose()?,
        published: Some(message.published_at.fixed_offset()),
        updated: None,
        to: vec![Url::parse(&recipient.ap_id)?],
        cc: Vec::new(),
        is_announcement: None,
        summary: None,
        context: None,
        name: None,
        tag: Vec::new(),
    })
}
