//! Writing in conversations: the organizers write to their event's participants (one
//! conversation per person written to), either side answers, a reader marks one read. One
//! function per use case, whoever writes: a local person, an anonymous participant through
//! the link of their mail, a remote actor through the `Note` its instance sent.

use chrono::{DateTime, Utc};
use entity::participant::ParticipantRole;
use entity::{conversation, conversation_message, conversation_participant};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, Set,
};

use super::policy::{self, Refusal};
use super::{View, notices};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::rate_limits;

/// Bytes of a message as written (HTML included), before it is cleaned.
pub const MAX_TEXT_BYTES: usize = 20_000;

/// The organizers write to their event's participants.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub event_id: i64,
    /// Who writes: the event's organizer (one of the caller's identities) or its group (which
    /// the caller moderates); the group when there is one and the caller moderates it, else
    /// the organizer, when absent.
    pub sender: Option<i64>,
    /// Mobilizon's roles: every participant when empty.
    pub roles: Vec<ParticipantRole>,
    /// HTML; cleaned before it is kept.
    pub text: String,
    pub language: Option<String>,
}

/// What a message to participants became: a conversation with each person written to.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub conversations: Vec<conversation::Model>,
}

/// A message from another instance, as its `Note` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteNote {
    pub ap_id: String,
    pub published_at: Option<DateTime<Utc>>,
}

/// Which conversation an answer goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversationRef {
    /// The row of the side that answers (Mobilizon's `conversation(id)` names it so).
    Participant(i64),
    /// The conversation itself (Mobilizon's `postPrivateMessage(conversationId)`): the
    /// caller answers from the side they speak for.
    Conversation(i64),
    /// The token of an anonymous participant's answer link.
    Token(String),
    /// The message a remote `Note` answers (its `inReplyTo`).
    InReplyTo(String),
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub conversation: ConversationRef,
    pub text: String,
    pub language: Option<String>,
    /// The identity a local person answers as, when they name one: it must be theirs.
    pub identity: Option<i64>,
    /// Set for a message a remote actor sent, and only then.
    pub remote: Option<RemoteNote>,
}

/// The organizers (the event's organizer, or its group's moderators as the group) write to
/// the event's participants with the roles picked: each gets a conversation of their own,
/// by mail (local people and anonymous participants, in their language, with a link to
/// answer) and on the site (local people).
pub async fn send_to_participants(
    ctx: &AppContext,
    principal: &Principal,
    new: NewMessage,
) -> Result<Sent> {
    principal.require_known()?;
    if !matches!(principal, Principal::User(_)) {
        return Err(Refusal::NotOrganizer.into());
    }
    let text = clean_text(&new.text)?;
    spend(ctx, principal).await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let event = crate::events::find(&tx, new.event_id).await?;
    let access = crate::events::access(&tx, principal, &event).await?;
    let facts = crate::events::facts(&event);
    if !crate::events::policy::can_view(facts, access) {
        return Err(Error::not_found("event"));
    }
    policy::may_write_to_participants(crate::events::policy::can_edit(facts, access))?;
    let mine = principal.actor_ids(&tx).await?;
    let moderates_group = event.attributed_to_id.is_some()
        && access
            .group_role
            .is_some_and(entity::member::MemberRole::is_moderator);
    let organizer = mine.contains(&event.organizer_actor_id);
    let sender = match new.sender {
        Some(id) if id == event.organizer_actor_id && organizer => id,
        Some(id) if Some(id) == event.attributed_to_id && moderates_group => id,
        Some(_) => return Err(Refusal::NotASender.into()),
        None => match event.attributed_to_id {
            Some(group) if moderates_group => group,
            _ if organizer => event.organizer_actor_id,
            _ => return Err(Refusal::NotASender.into()),
        },
    };
    let sender_actor = crate::actors::find(&tx, sender).await?;
    if sender_actor.suspended {
        return Err(Error::forbidden("this account is suspended"));
    }
    let mut except = mine;
    except.push(sender);
    let recipients = super::recipients(&tx, event.id, &new.roles, &except).await?;
    if recipients.is_empty() {
        return Err(Refusal::NoRecipients.into());
    }
    let language = clean_language(new.language);
    let mut conversations = Vec::with_capacity(recipients.len());
    for participant in recipients {
        let anonymous = participant.email.is_some();
        let token = anonymous.then(crate::users::tokens::random_token);
        let conversation = conversation::ActiveModel {
            id: NotSet,
            uuid: Set(uuid::Uuid::new_v4().to_string()),
            event_id: Set(event.id),
            sender_actor_id: Set(sender),
            recipient_actor_id: Set(participant.actor_id),
            participant_id: Set(Some(participant.id)),
            answer_token_hash: Set(token.as_ref().map(|(_, hash)| hash.clone())),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&tx)
        .await?;
        add_participant(&tx, conversation.id, sender, false, now).await?;
        let recipient = if anonymous {
            None
        } else {
            Some(add_participant(&tx, conversation.id, participant.actor_id, true, now).await?)
        };
        let message = insert_message(
            ctx,
            &tx,
            &conversation,
            sender,
            &text,
            language.clone(),
            None,
            now,
        )
        .await?;
        let link = notices::Link::for_recipient(recipient.as_ref(), token.map(|(t, _)| t));
        notices::queue_to_recipient(ctx, &tx, &event, &participant, &message, link, now).await?;
        tell_remote_recipient(ctx, &tx, &conversation, &message, now).await?;
        conversations.push(conversation);
    }
    tx.commit().await?;
    Ok(Sent { conversations })
}

/// Someone answers in a conversation they take part in: the person written to (here, by the
/// link of their mail when they took part anonymously, or from their instance) or the
/// organizers. What the organizers write goes to the person by mail too.
pub async fn answer(ctx: &AppContext, principal: &Principal, answer: Answer) -> Result<Answered> {
    let text = clean_text(&answer.text)?;
    match (&answer.conversation, principal, &answer.remote) {
        (ConversationRef::Token(_), _, None) => {}
        (
            ConversationRef::Participant(_) | ConversationRef::Conversation(_),
            Principal::User(_),
            None,
        ) => {}
        (ConversationRef::InReplyTo(_), Principal::Remote { .. }, Some(_)) => {}
        (_, Principal::Anonymous, _) => return Err(Error::Unauthenticated),
        _ => {
            return Err(Error::forbidden(
                "answer as yourself here, or from your instance with the message's address",
            ));
        }
    }
    if let Some(remote) = &answer.remote
        && let Some(known) = super::find_message_by_ap_id(&ctx.db, &remote.ap_id).await?
    {
        let conversation = super::find(&ctx.db, known.conversation_id).await?;
        let participant = conversation_participant::Entity::find()
            .filter(conversation_participant::Column::ConversationId.eq(conversation.id))
            .filter(conversation_participant::Column::ActorId.eq(known.actor_id))
            .one(&ctx.db)
            .await?;
        return Ok(Answered {
            conversation,
            participant,
            message: known,
        });
    }
    // Who writes, in which conversation, and whether they may.
    let (conversation, author, participant_row) = match &answer.conversation {
        ConversationRef::Participant(id) => {
            let view = super::find_view(&ctx.db, principal, *id).await?;
            let author = view.participant.actor_id;
            (view.conversation, author, Some(view.participant.id))
        }
        ConversationRef::Conversation(id) => {
            let conversation = super::find(&ctx.db, *id).await?;
            let view = super::view_of(&ctx.db, principal, conversation).await?;
            let author = view.participant.actor_id;
            (view.conversation, author, Some(view.participant.id))
        }
        ConversationRef::Token(token) => {
            let conversation = super::by_answer_token(&ctx.db, token).await?;
            let author = conversation.recipient_actor_id;
            (conversation, author, None)
        }
        ConversationRef::InReplyTo(ap_id) => {
            let replied = super::find_message_by_ap_id(&ctx.db, ap_id)
                .await?
                .ok_or(Error::not_found("message"))?;
            let conversation = super::find(&ctx.db, replied.conversation_id).await?;
            let actor = match principal {
                Principal::Remote { actor_id, .. } => *actor_id,
                _ => return Err(Error::Unauthenticated),
            };
            policy::may_answer(
                actor == conversation.recipient_actor_id || actor == conversation.sender_actor_id,
            )?;
            (conversation, actor, None)
        }
    };
    if let Some(identity) = answer.identity
        && !principal.actor_ids(&ctx.db).await?.contains(&identity)
    {
        return Err(Error::forbidden("this identity is not yours"));
    }
    let subject = match &answer.conversation {
        ConversationRef::Token(_) => format!("conversation:{}", conversation.id),
        _ => subject_of(principal).unwrap_or_default(),
    };
    rate_limits::spend(
        ctx,
        "messages",
        &subject,
        ctx.settings.rate_limits.messages_per_actor,
    )
    .await?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let author_actor = crate::actors::find(&tx, author).await?;
    if author_actor.suspended {
        return Err(Error::forbidden("this account is suspended"));
    }
    if !author_actor.is_local()
        && crate::domain_blocks::lookup::is_url_blocked(&tx, &author_actor.ap_id).await?
    {
        return Err(Error::forbidden("this instance is blocked here"));
    }
    let message = insert_message(
        ctx,
        &tx,
        &conversation,
        author,
        &text,
        clean_language(answer.language),
        answer.remote,
        now,
    )
    .await?;
    // The other side has one more message to read; the side that wrote has read it all.
    conversation_participant::Entity::update_many()
        .col_expr(conversation_participant::Column::Unread, Expr::value(true))
        .col_expr(
            conversation_participant::Column::UnreadMessages,
            sea_orm::sea_query::ExprTrait::add(
                Expr::col(conversation_participant::Column::UnreadMessages),
                1,
            ),
        )
        .col_expr(
            conversation_participant::Column::UpdatedAt,
            Expr::value(now),
        )
        .filter(conversation_participant::Column::ConversationId.eq(conversation.id))
        .filter(conversation_participant::Column::ActorId.ne(author))
        .exec(&tx)
        .await?;
    conversation_participant::Entity::update_many()
        .col_expr(conversation_participant::Column::Unread, Expr::value(false))
        .col_expr(
            conversation_participant::Column::UnreadMessages,
            Expr::value(0),
        )
        .col_expr(
            conversation_participant::Column::UpdatedAt,
            Expr::value(now),
        )
        .filter(conversation_participant::Column::ConversationId.eq(conversation.id))
        .filter(conversation_participant::Column::ActorId.eq(author))
        .exec(&tx)
        .await?;
    let mut row: conversation::ActiveModel = conversation.clone().into();
    row.updated_at = Set(now);
    if author == conversation.sender_actor_id {
        // The organizers wrote again: the person hears of it as of the first message. An
        // anonymous participant's link is renewed (only its hash is kept).
        let token = conversation
            .answer_token_hash
            .is_some()
            .then(crate::users::tokens::random_token);
        if let Some((_, hash)) = &token {
            row.answer_token_hash = Set(Some(hash.clone()));
        }
        let recipient = conversation_participant::Entity::find()
            .filter(conversation_participant::Column::ConversationId.eq(conversation.id))
            .filter(conversation_participant::Column::ActorId.eq(conversation.recipient_actor_id))
            .one(&tx)
            .await?;
        if let Some(participant_id) = conversation.participant_id
            && let Some(participant) = entity::participant::Entity::find_by_id(participant_id)
                .one(&tx)
                .await?
        {
            let event = crate::events::find(&tx, conversation.event_id).await?;
            let link = notices::Link::for_recipient(recipient.as_ref(), token.map(|(t, _)| t));
            notices::queue_to_recipient(ctx, &tx, &event, &participant, &message, link, now)
                .await?;
        }
        tell_remote_recipient(ctx, &tx, &conversation, &message, now).await?;
    }
    let conversation = row.update(&tx).await?;
    let participant = match participant_row {
        Some(id) => {
            conversation_participant::Entity::find_by_id(id)
                .one(&tx)
                .await?
        }
        None => {
            conversation_participant::Entity::find()
                .filter(conversation_participant::Column::ConversationId.eq(conversation.id))
                .filter(conversation_participant::Column::ActorId.eq(author))
                .one(&tx)
                .await?
        }
    };
    tx.commit().await?;
    Ok(Answered {
        conversation,
        participant,
        message,
    })
}

/// An answer written, in its conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub conversation: conversation::Model,
    /// The row of the side that wrote; none for an anonymous participant, who has none and
    /// sees the conversation through their link.
    pub participant: Option<conversation_participant::Model>,
    pub message: conversation_message::Model,
}

/// A reader marks a conversation read or unread (Mobilizon's `updateConversation`): read,
/// none of its messages waits; unread again, its last one does (or those that already did).
pub async fn mark_read(
    ctx: &AppContext,
    principal: &Principal,
    participant_id: i64,
    read: bool,
) -> Result<View> {
    principal.require_known()?;
    let view = super::find_view(&ctx.db, principal, participant_id).await?;
    let unread_messages = if read {
        0
    } else {
        view.participant.unread_messages.max(1)
    };
    let mut row: conversation_participant::ActiveModel = view.participant.into();
    row.unread = Set(!read);
    row.unread_messages = Set(unread_messages);
    let participant = row.update(&ctx.db).await?;
    Ok(View {
        participant,
        conversation: view.conversation,
    })
}

/// A person of another instance hears of what the organizers wrote from their instance.
async fn tell_remote_recipient(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    conversation: &conversation::Model,
    message: &conversation_message::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let recipient = crate::actors::find(conn, conversation.recipient_actor_id).await?;
    if recipient.is_local() || recipient.suspended || !message.local {
        return Ok(());
    }
    let what = crate::outbox::Happened::PrivateMessageSent {
        message_id: message.id,
    };
    crate::outbox::record(ctx, conn, now, what).await
}

async fn add_participant(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    actor_id: i64,
    unread: bool,
    now: DateTime<Utc>,
) -> Result<conversation_participant::Model> {
    Ok(conversation_participant::ActiveModel {
        id: NotSet,
        conversation_id: Set(conversation_id),
        actor_id: Set(actor_id),
        unread: Set(unread),
        unread_messages: Set(i32::from(unread)),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?)
}

#[allow(clippy::too_many_arguments)]
async fn insert_message(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    conversation: &conversation::Model,
    author: i64,
    text: &str,
    language: Option<String>,
    remote: Option<RemoteNote>,
    now: DateTime<Utc>,
) -> Result<conversation_message::Model> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let (ap_id, published_at, local) = match remote {
        Some(remote) => (
            remote.ap_id,
            remote.published_at.filter(|p| *p <= now).unwrap_or(now),
            false,
        ),
        None => (ctx.url(&format!("/messages/notes/{uuid}")), now, true),
    };
    Ok(conversation_message::ActiveModel {
        id: NotSet,
        uuid: Set(uuid),
        ap_id: Set(ap_id),
        conversation_id: Set(conversation.id),
        actor_id: Set(author),
        text: Set(text.to_owned()),
        language: Set(language),
        local: Set(local),
        published_at: Set(published_at),
        created_at: Set(now),
    }
    .insert(conn)
    .await?)
}

fn clean_language(language: Option<String>) -> Option<String> {
    language
        .map(|l| l.trim().chars().take(16).collect::<String>())
        .filter(|l| !l.is_empty() && l != "und")
}

/// The text as kept: cleaned like descriptions, bounded, not empty.
fn clean_text(raw: &str) -> Result<String> {
    if raw.len() > MAX_TEXT_BYTES {
        return Err(Error::invalid(
            "text",
            format!("a message is at most {MAX_TEXT_BYTES} bytes long"),
        ));
    }
    let clean = crate::events::sanitize::description(raw);
    if crate::events::sanitize::plain_text(&clean)
        .trim()
        .is_empty()
    {
        return Err(Error::invalid("text", "a message needs some text"));
    }
    Ok(clean)
}

fn subject_of(principal: &Principal) -> Option<String> {
    match principal {
        Principal::User(user) => Some(format!("user:{}", user.id)),
        Principal::Remote { actor_id, .. } => Some(format!("actor:{actor_id}")),
        Principal::Anonymous | Principal::System => None,
    }
}

/// One more message from this account (`rate_limits.messages_per_actor`).
async fn spend(ctx: &AppContext, principal: &Principal) -> Result<()> {
    if let Some(subject) = subject_of(principal) {
        let budget = ctx.settings.rate_limits.messages_per_actor;
        rate_limits::spend(ctx, "messages", &subject, budget).await?;
    }
    Ok(())
}
