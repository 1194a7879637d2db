//! A comment of a group's discussion as a `Note`, in the shape Mobilizon gives them: its
//! author is `actor`, the group `attributedTo`, the discussion `context`; the first comment is
//! the discussion's own `Note` (its `id` the discussion's address, its `name` the title).
//! Addressed to the group's members (their collection), never to the public.

use entity::discussion_comment;
use sea_orm::ConnectionTrait;
use url::Url;

use crate::error::Result;
use crate::protocol::note::{Note, NoteType};

/// Who a discussion's notes are addressed to: the members of one of our groups (Mobilizon's
/// `members` collection), or another instance's group itself.
pub fn audience_of(group: &entity::actor::Model) -> Result<Url> {
    if group.is_local() {
        Ok(Url::parse(&format!("{}/members", group.ap_id))?)
    } else {
        Ok(Url::parse(&group.ap_id)?)
    }
}

/// The `Note` of a comment of a discussion (ours, or of a copy we keep).
pub async fn to_note(
    conn: &impl ConnectionTrait,
    comment: &discussion_comment::Model,
) -> Result<Note> {
    let discussion = backend::discussions::find(conn, comment.discussion_id).await?;
    let group = backend::actors::find(conn, discussion.group_id).await?;
    let author = backend::actors::find(conn, comment.actor_id).await?;
    let discussion_url = Url::parse(&discussion.ap_id)?;
    let starts = comment.ap_id == discussion.ap_id;
    let author_url = Url::parse(&author.ap_id)?;
    // Tags only: a discussion stays among the group's members, whoever it mentions.
    let (tag, _) = super::mention::of_text(conn, &comment.text).await?;
    Ok(Note {
        kind: NoteType::Note,
        id: Url::parse(&comment.ap_id)?,
        attributed_to: Some(Url::parse(&group.ap_id)?),
        actor: Some(author_url),
        url: None,
        uuid: Some(comment.uuid.clone()),
        content: Some(comment.text.clone()),
        media_type: Some("text/html".to_owned()),
        in_reply_to: (!starts).then(|| discussion_url.clone()),
        published: Some(comment.published_at.fixed_offset()),
        updated: (comment.updated_at > comment.published_at)
            .then(|| comment.updated_at.fixed_offset()),
        to: vec![audience_of(&group)?],
        cc: Vec::new(),
        is_announcement: None,
        summary: None,
        context: Some(discussion_url),
        name: starts.then(|| discussion.title.clone()),
        tag,
    })
}
