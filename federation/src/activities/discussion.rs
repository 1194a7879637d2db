//! Group discussions across instances, as Mobilizon carries them. The group's instance holds
//! a discussion; its members elsewhere hear of each comment: a `Create`/`Update` of the
//! `Note` from its author when written on the group's instance, an `Announce` of the `Note`
//! by the group when a member elsewhere wrote it (Mobilizon's groups relay their members'
//! activities so), a `Delete` of its `Tombstone` when it goes. Their instances keep a copy
//! (`backend::discussions::keep`, `forget`); their members' answers, edits and deletions go
//! to the group's inbox and become the group's through the functions members here use
//! (`reply`, `update_comment`, `delete_comment`).

use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use backend::AppContext;
use backend::discussions::{CommentRef, CopiedComment, DiscussionRef, RemoteComment, Reply};
use backend::outbox::Change;
use entity::actor::ActorKind;
use url::Url;

use super::announce::Announce;
use super::create_or_update::CreateOrUpdateType;
use super::delete::Delete;
use super::note::CreateOrUpdateNote;
use crate::delivery::queue_deliveries;
use crate::error::Result;
use crate::objects::actor::ApActor;
use crate::objects::comment::text_of;
use crate::objects::discussion_comment::{audience_of, to_note};
use crate::protocol::note::Note;

/// A comment of a discussion changed here (or came from a member elsewhere into one of our
/// groups' discussions): its activity, to the instances that keep the discussion.
pub(crate) async fn publish(
    ctx: &AppContext,
    comment_id: i64,
    change: Change,
    came_from: Option<i64>,
) -> Result<()> {
    let snapshot = backend::db::begin_snapshot(&ctx.db).await?;
    let Ok(comment) = backend::discussions::find_comment_by_id(&snapshot, comment_id).await else {
        // Its discussion was deleted since, and the comment with it.
        return Ok(());
    };
    let discussion = backend::discussions::find(&snapshot, comment.discussion_id).await?;
    let group = backend::actors::find(&snapshot, discussion.group_id).await?;
    let author = backend::actors::find(&snapshot, comment.actor_id).await?;
    let inboxes = backend::discussions::audience(&snapshot, &discussion, came_from).await?;
    // The author speaks for what was written here; our group relays its members' words from
    // elsewhere. A copy's comments from elsewhere are never sent on.
    let sender = if author.is_local() {
        author.clone()
    } else if group.is_local() {
        group.clone()
    } else {
        return Ok(());
    };
    if inboxes.is_empty() {
        return Ok(());
    }
    if change == Change::Deleted {
        let activity = Delete::discussion_comment(&comment.ap_id, &sender, audience_of(&group)?)?;
        snapshot.commit().await?;
        return queue_deliveries(ctx, &sender, &activity, inboxes).await;
    }
    if comment.deleted_at.is_some() {
        // Deleted since: its own record sends the `Delete`.
        return Ok(());
    }
    let note = to_note(&snapshot, &comment).await?;
    snapshot.commit().await?;
    let kind = match change {
        Change::Posted => CreateOrUpdateType::Create,
        _ => CreateOrUpdateType::Update,
    };
    if sender.id == author.id {
        let activity = CreateOrUpdateNote::new(kind, note, ctx.now())?;
        queue_deliveries(ctx, &sender, &activity, inboxes).await
    } else {
        let activity = Announce::of_note(&group, &note, ctx.now())?;
        queue_deliveries(ctx, &group, &activity, inboxes).await
    }
}

/// Who brought a discussion's `Note`: its author (a `Create` or `Update`), or the group
/// relaying it (an `Announce`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Author(CreateOrUpdateType),
    Group,
}

/// A `Note` of a group's discussion, if it is one: an answer (or an edit) of a member
/// elsewhere in one of our groups' discussions, or a comment of another instance's
/// discussion to keep a copy of. Answers whether it was one.
pub(crate) async fn receive_note(
    data: &Data<AppContext>,
    via: Via,
    actor: &Url,
    activity_id: &Url,
    note: &Note,
) -> Result<bool> {
    let Some(context) = &note.context else {
        return Ok(false);
    };
    let discussion = backend::discussions::find_by_ap_id(&data.db, context.as_str()).await?;
    let group = match &discussion {
        Some(discussion) => Some(backend::actors::find(&data.db, discussion.group_id).await?),
        None => None,
    };
    if let (Some(discussion), Some(group)) = (&discussion, &group)
        && group.is_local()
    {
        if via == Via::Group {
            tracing::debug!(id = %note.id, "ignoring a relay of one of our own discussions");
            return Ok(true);
        }
        return answer(data, via, actor, activity_id, note, discussion.id).await;
    }
    // Another instance's discussion: kept when the group is one we know (Pleroma names a
    // thread `context` too; those are not discussions).
    let group = match group {
        Some(group) => group,
        None => {
            let named = match &note.attributed_to {
                Some(url) => backend::actors::remote::find_by_ap_id(&data.db, url.as_str()).await?,
                None => None,
            };
            match named.filter(|g| g.kind == ActorKind::Group && !g.is_local()) {
                Some(group) => group,
                None => return Ok(false),
            }
        }
    };
    let Some(author) = note.author() else {
        return Ok(false);
    };
    let author = ObjectId::<ApActor>::from(author.clone())
        .dereference(data)
        .await?;
    let principal = super::senders::sender(data, actor, activity_id).await?;
    let copied = CopiedComment {
        discussion_ap_id: context.to_string(),
        group_id: group.id,
        author_id: author.model.id,
        title: note.name.clone().filter(|_| note.id == *context),
        ap_id: note.id.to_string(),
        text: text_of(note),
        published_at: note.published.map(|p| p.to_utc()),
    };
    let kept = backend::discussions::keep(data.app_data(), &principal, copied).await?;
    tracing::info!(id = %note.id, ?kept, "copy of a remote discussion's comment");
    Ok(true)
}

/// A member elsewhere answers one of our groups' discussions, or edits their answer: the
/// same functions as members here (the same `Note` twice is one answer).
async fn answer(
    data: &Data<AppContext>,
    via: Via,
    actor: &Url,
    activity_id: &Url,
    note: &Note,
    discussion_id: i64,
) -> Result<bool> {
    let principal = super::senders::sender(data, actor, activity_id).await?;
    let ctx = data.app_data();
    let known = backend::discussions::find_comment_by_ap_id(&data.db, note.id.as_str()).await?;
    if via == Via::Author(CreateOrUpdateType::Update) && known.is_some() {
        let which = CommentRef::ApId(note.id.to_string());
        let comment =
            backend::discussions::update_comment(ctx, &principal, which, &text_of(note)).await?;
        tracing::info!(
            comment_id = comment.id,
            "remote answer in a discussion edited"
        );
        return Ok(true);
    }
    let reply = Reply {
        discussion: DiscussionRef::Id(discussion_id),
        text: text_of(note),
        remote: Some(RemoteComment {
            ap_id: note.id.to_string(),
            published_at: note.published.map(|p| p.to_utc()),
        }),
    };
    let (_, comment) = backend::discussions::reply(ctx, &principal, reply).await?;
    tracing::info!(
        comment_id = comment.id,
        "remote answer in a discussion stored"
    );
    Ok(true)
}

/// A `Delete` of a discussion's comment: by its author elsewhere in one of our groups'
/// discussions (as a deletion here), or by the group's instance in a copy we keep. Answers
/// whether the object was such a comment.
pub(crate) async fn receive_delete(
    data: &Data<AppContext>,
    principal: &backend::principal::Principal,
    object: &Url,
) -> Result<bool> {
    let Some(comment) =
        backend::discussions::find_comment_by_ap_id(&data.db, object.as_str()).await?
    else {
        return Ok(false);
    };
    let discussion = backend::discussions::find(&data.db, comment.discussion_id).await?;
    let group = backend::actors::find(&data.db, discussion.group_id).await?;
    if group.is_local() {
        let which = CommentRef::ApId(object.to_string());
        backend::discussions::delete_comment(data.app_data(), principal, which).await?;
    } else {
        backend::discussions::forget(data.app_data(), principal, object.as_str()).await?;
    }
    tracing::info!(ap_id = %object, "comment of a discussion deleted");
    Ok(true)
}
