//! Organizers write to their event's participants, who answer (Mobilizon's conversations).
//! Each person written to gets a conversation of their own with the organizers: nobody learns
//! who else was written to or reads another's answer. One function per use case, whoever
//! writes ([`send_to_participants`], [`answer`], [`mark_read`]); reading: [`find_view`],
//! [`list`], [`of_event`], [`messages`]. Rules in [`policy`], mail in `notices`.

pub(crate) mod notices;
pub mod policy;
mod write;

use entity::member::{self, MemberRole};
use entity::participant::{self, ParticipantRole};
use entity::{actor, conversation, conversation_message, conversation_participant};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

pub use notices::ANSWER_PATH;
pub use write::{
    Answer, Answered, ConversationRef, MAX_TEXT_BYTES, NewMessage, RemoteNote, Sent, answer,
    mark_read, send_to_participants,
};

use crate::error::{Error, Result};
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// A conversation as one of its participants sees it (Mobilizon's `ConversationView`: the
/// participant's row names it, and says whether they read it).
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub participant: conversation_participant::Model,
    pub conversation: conversation::Model,
}

/// The actors `principal` speaks for in conversations: their identities, and the groups
/// where one of them moderates (a group's conversations are its moderators').
pub async fn sides(conn: &impl ConnectionTrait, principal: &Principal) -> Result<Vec<i64>> {
    let mut ids = principal.actor_ids(conn).await?;
    if ids.is_empty() {
        return Ok(ids);
    }
    let groups: Vec<i64> = member::Entity::find()
        .select_only()
        .column(member::Column::GroupId)
        .filter(member::Column::ActorId.is_in(ids.clone()))
        .filter(member::Column::Role.is_in([
            MemberRole::Moderator,
            MemberRole::Administrator,
            MemberRole::Creator,
        ]))
        .into_tuple()
        .all(conn)
        .await?;
    ids.extend(groups);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<conversation::Model> {
    conversation::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("conversation"))
}

/// A conversation as the participant `participant_id` sees it, if `principal` speaks for
/// that participant; `not_found` otherwise.
pub async fn find_view(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    participant_id: i64,
) -> Result<View> {
    let participant = conversation_participant::Entity::find_by_id(participant_id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("conversation"))?;
    if !sides(conn, principal)
        .await?
        .contains(&participant.actor_id)
    {
        return Err(Error::not_found("conversation"));
    }
    let conversation = find(conn, participant.conversation_id).await?;
    Ok(View {
        participant,
        conversation,
    })
}

/// The view of `conversation` from the side `principal` speaks for (the sender's when they
/// speak for both).
pub async fn view_of(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    conversation: conversation::Model,
) -> Result<View> {
    let sides = sides(conn, principal).await?;
    let participant = conversation_participant::Entity::find()
        .filter(conversation_participant::Column::ConversationId.eq(conversation.id))
        .filter(conversation_participant::Column::ActorId.is_in(sides))
        .order_by_asc(conversation_participant::Column::Id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("conversation"))?;
    Ok(View {
        participant,
        conversation,
    })
}

/// The conversations of one identity (and of the groups it moderates), or of all of a
/// user's identities: unread first, then the latest.
pub async fn list(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    identity: Option<i64>,
    page: Page,
) -> Result<Paginated<View>> {
    let mut sides = sides(conn, principal).await?;
    if let Some(identity) = identity {
        if !sides.contains(&identity) {
            return Err(Error::not_found("person"));
        }
        let moderated: Vec<i64> = member::Entity::find()
            .select_only()
            .column(member::Column::GroupId)
            .filter(member::Column::ActorId.eq(identity))
            .filter(member::Column::Role.is_in([
                MemberRole::Moderator,
                MemberRole::Administrator,
                MemberRole::Creator,
            ]))
            .into_tuple()
            .all(conn)
            .await?;
        sides = std::iter::once(identity).chain(moderated).collect();
    }
    views_where(
        conn,
        conversation_participant::Column::ActorId.is_in(sides),
        page,
    )
    .await
}

/// The conversations started on an event, as its organizers see them; none for others.
pub async fn of_event(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    event: &entity::event::Model,
    page: Page,
) -> Result<Paginated<View>> {
    let access = crate::events::access(conn, principal, event).await?;
    if !crate::events::policy::can_edit(crate::events::facts(event), access) {
        return Ok(Paginated {
            total: 0,
            elements: Vec::new(),
        });
    }
    let senders = conversation::Entity::find()
        .select_only()
        .column(conversation::Column::Id)
        .filter(conversation::Column::EventId.eq(event.id))
        .into_query();
    let of_sender = sea_orm::Condition::all()
        .add(conversation_participant::Column::ConversationId.in_subquery(senders))
        .add(
            conversation_participant::Column::ActorId.is_in(
                [Some(event.organizer_actor_id), event.attributed_to_id]
                    .into_iter()
                    .flatten(),
            ),
        );
    views_where(conn, of_sender, page).await
}

async fn views_where(
    conn: &impl ConnectionTrait,
    condition: impl sea_orm::sea_query::IntoCondition,
    page: Page,
) -> Result<Paginated<View>> {
    let select = conversation_participant::Entity::find().filter(condition);
    let total = select.clone().count(conn).await?;
    let rows = select
        .order_by_desc(conversation_participant::Column::Unread)
        .order_by_desc(conversation_participant::Column::UpdatedAt)
        .order_by_desc(conversation_participant::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.conversation_id).collect();
    let conversations: std::collections::HashMap<i64, conversation::Model> =
        conversation::Entity::find()
            .filter(conversation::Column::Id.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
    let elements = rows
        .into_iter()
        .filter_map(|participant| {
            let conversation = conversations.get(&participant.conversation_id)?.clone();
            Some(View {
                participant,
                conversation,
            })
        })
        .collect();
    Ok(Paginated { total, elements })
}

/// How many conversations `principal` has not read.
pub async fn unread_count(conn: &impl ConnectionTrait, principal: &Principal) -> Result<u64> {
    let sides = sides(conn, principal).await?;
    if sides.is_empty() {
        return Ok(0);
    }
    Ok(conversation_participant::Entity::find()
        .filter(conversation_participant::Column::ActorId.is_in(sides))
        .filter(conversation_participant::Column::Unread.eq(true))
        .count(conn)
        .await?)
}

/// The messages of a conversation, oldest first. Callers have checked who reads.
pub async fn messages(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    page: Page,
) -> Result<Paginated<conversation_message::Model>> {
    let select = conversation_message::Entity::find()
        .filter(conversation_message::Column::ConversationId.eq(conversation_id));
    let total = select.clone().count(conn).await?;
    let elements = select
        .order_by_asc(conversation_message::Column::PublishedAt)
        .order_by_asc(conversation_message::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// The first or the last message of a conversation.
pub async fn edge_message(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    last: bool,
) -> Result<Option<conversation_message::Model>> {
    let select = conversation_message::Entity::find()
        .filter(conversation_message::Column::ConversationId.eq(conversation_id));
    let select = if last {
        select
            .order_by_desc(conversation_message::Column::PublishedAt)
            .order_by_desc(conversation_message::Column::Id)
    } else {
        select
            .order_by_asc(conversation_message::Column::PublishedAt)
            .order_by_asc(conversation_message::Column::Id)
    };
    Ok(select.one(conn).await?)
}

pub async fn find_message_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<conversation_message::Model>> {
    Ok(conversation_message::Entity::find()
        .filter(conversation_message::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

pub async fn find_message(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<conversation_message::Model> {
    conversation_message::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::not_found("message"))
}

/// The actors taking part in a conversation (an anonymous participant, known by their
/// address alone, is not among them).
pub async fn participants(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
) -> Result<Vec<actor::Model>> {
    let ids: Vec<i64> = conversation_participant::Entity::find()
        .select_only()
        .column(conversation_participant::Column::ActorId)
        .filter(conversation_participant::Column::ConversationId.eq(conversation_id))
        .order_by_asc(conversation_participant::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let mut actors = crate::actors::find_many(conn, &ids).await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| actors.remove(&id))
        .collect())
}

/// The conversation an anonymous participant's answer link opens.
pub async fn by_answer_token(
    conn: &impl ConnectionTrait,
    token: &str,
) -> Result<conversation::Model> {
    if token.is_empty() || token.len() > 128 {
        return Err(Error::not_found("conversation"));
    }
    conversation::Entity::find()
        .filter(conversation::Column::AnswerTokenHash.eq(crate::users::tokens::hash_token(token)))
        .one(conn)
        .await?
        .ok_or(Error::not_found("conversation"))
}

/// The participations a message with `roles` picked (Mobilizon's, all when empty) goes to,
/// without the actors in `except` (whoever writes).
pub async fn recipients(
    conn: &impl ConnectionTrait,
    event_id: i64,
    roles: &[ParticipantRole],
    except: &[i64],
) -> Result<Vec<participant::Model>> {
    let roles = policy::recipient_roles(roles);
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    Ok(participant::Entity::find()
        .filter(participant::Column::EventId.eq(event_id))
        .filter(participant::Column::Role.is_in(roles))
        .filter(
            sea_orm::Condition::any()
                .add(participant::Column::ActorId.is_not_in(except.iter().copied()))
                .add(participant::Column::Email.is_not_null()),
        )
        .order_by_asc(participant::Column::Id)
        .all(conn)
        .await?)
}

/// How many people a message to the participants with `roles` would reach, for the
/// organizers' confirmation.
pub async fn count_recipients(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    event: &entity::event::Model,
    roles: &[ParticipantRole],
) -> Result<usize> {
    let access = crate::events::access(conn, principal, event).await?;
    policy::may_write_to_participants(crate::events::policy::can_edit(
        crate::events::facts(event),
        access,
    ))?;
    let except = principal.actor_ids(conn).await?;
    Ok(recipients(conn, event.id, roles, &except).await?.len())
}

#[cfg(test)]
mod tests;
