//! Our comments as `Note` objects, in Mobilizon's shape: `inReplyTo` the parent comment or the
//! event (so Mastodon shows them as replies), addressed to the public and the event's owner
//! (and `cc` the people it mentions, with a `Mention` tag each), `uuid` and `isAnnouncement`
//! beside.

use entity::comment;
use entity::event::EventVisibility;
use sea_orm::ConnectionTrait;
use url::Url;

use crate::error::Result;
use crate::protocol::PUBLIC;
use crate::protocol::note::{Note, NoteType};

/// The `Note` of a comment written here.
pub async fn to_note(conn: &impl ConnectionTrait, comment: &comment::Model) -> Result<Note> {
    let event = backend::events::find(conn, comment.event_id).await?;
    let author = backend::actors::find(conn, comment.actor_id).await?;
    let in_reply_to = match comment.in_reply_to_id {
        Some(parent) => backend::comments::find(conn, parent).await?.ap_id,
        None => event.ap_id.clone(),
    };
    let owner_id = event.attributed_to_id.unwrap_or(event.organizer_actor_id);
    let owner = backend::actors::find(conn, owner_id).await?;
    let public = Url::parse(PUBLIC)?;
    let followers = author
        .followers_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok());
    let owner_url = Url::parse(&owner.ap_id)?;
    let (to, mut cc): (Vec<Url>, Vec<Url>) = match event.visibility {
        EventVisibility::Public => (vec![public], vec![owner_url]),
        EventVisibility::Unlisted | EventVisibility::Restricted | EventVisibility::Private => {
            (vec![owner_url], vec![public])
        }
    };
    cc.extend(followers);
    // The people it mentions, as Mastodon addresses them.
    let (tag, mentioned) = super::mention::of_text(conn, &comment.text).await?;
    for url in mentioned {
        if !to.contains(&url) && !cc.contains(&url) {
            cc.push(url);
        }
    }
    let author_url = Url::parse(&author.ap_id)?;
    Ok(Note {
        kind: NoteType::Note,
        id: Url::parse(&comment.ap_id)?,
        attributed_to: Some(author_url.clone()),
        actor: Some(author_url),
        url: Some(Url::parse(&comment.ap_id)?),
        uuid: Some(comment.uuid.clone()),
        content: Some(comment.text.clone()),
        media_type: Some("text/html".to_owned()),
        in_reply_to: Some(Url::parse(&in_reply_to)?),
        published: Some(comment.published_at.fixed_offset()),
        updated: (comment.updated_at > comment.published_at)
            .then(|| comment.updated_at.fixed_offset()),
        to,
        cc,
        is_announcement: Some(comment.is_announcement),
        summary: None,
        context: None,
        name: None,
        tag,
    })
}

/// The text a remote `Note` gives its comment: its content, after its content warning when
/// it has one (the text is cleaned by backend like any other).
pub fn text_of(note: &Note) -> String {
    let content = note.content.clone().unwrap_or_default();
    match note.summary.as_deref().map(str::trim) {
        Some(warning) if !warning.is_empty() => {
            format!("<p>{}</p>{content}", html_escape(warning))
        }
        _ => content,
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
