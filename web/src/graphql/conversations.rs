//! Organizers writing to their participants, with Mobilizon's names: the `Conversation` type
//! and `PaginatedConversationList`, `conversation(id)`, `sendEventPrivateMessage`,
//! `postPrivateMessage` (an answer), `updateConversation` (read or not), and the lists on
//! `Person`, `User` and `Event` (whose fields call [`of_person`], [`of_user`], [`of_event`]).
//! A conversation is named by the row of the side that reads it, as in Mobilizon; its
//! messages are `Comment`s.

use async_graphql::{Context, ID, Object, SimpleObject};
use backend::conversations::{self, Answer, ConversationRef, NewMessage, View};
use chrono::{DateTime, Utc};
use entity::participant::ParticipantRole;

use super::errors::{GqlResult, IntoGql};
use super::objects::{self, Comment, Event, Person};
use super::{app, loaders, parse_id, principal};

/// A conversation as one of its sides sees it (Mobilizon's `ConversationView`).
pub struct Conversation(pub View);

#[derive(SimpleObject)]
pub struct PaginatedConversationList {
    pub total: u64,
    pub elements: Vec<Conversation>,
}

#[derive(SimpleObject)]
pub struct PaginatedCommentList {
    pub total: u64,
    pub elements: Vec<Comment>,
}

impl From<backend::pagination::Paginated<View>> for PaginatedConversationList {
    fn from(list: backend::pagination::Paginated<View>) -> Self {
        Self {
            total: list.total,
            elements: list.elements.into_iter().map(Conversation).collect(),
        }
    }
}

/// A message as Mobilizon's clients read it: a `Comment` of the conversation.
fn message_comment(
    conversation: &entity::conversation::Model,
    message: entity::conversation_message::Model,
) -> Comment {
    Comment {
        row: entity::comment::Model {
            id: message.id,
            uuid: message.uuid,
            ap_id: message.ap_id,
            event_id: conversation.event_id,
            actor_id: message.actor_id,
            in_reply_to_id: None,
            origin_id: None,
            text: message.text,
            is_announcement: false,
            language: message.language,
            local: message.local,
            published_at: message.published_at,
            created_at: message.created_at,
            updated_at: message.created_at,
            deleted_at: None,
        },
        replies: None,
        event: None,
        conversation: Some(conversation.id),
        discussion_group: None,
    }
}

/// The conversation `id` as the caller sees it, if they take part in it.
pub async fn seen_by_caller(ctx: &Context<'_>, id: i64) -> GqlResult<Option<Conversation>> {
    let db = &app(ctx)?.db;
    let conversation = conversations::find(db, id).await.gql()?;
    match conversations::view_of(db, &principal(ctx), conversation).await {
        Ok(view) => Ok(Some(Conversation(view))),
        Err(backend::Error::NotFound { .. }) => Ok(None),
        Err(err) => Err(err).gql(),
    }
}

pub async fn of_person(
    ctx: &Context<'_>,
    person: &entity::actor::Model,
    page: i64,
    limit: i64,
) -> GqlResult<PaginatedConversationList> {
    let list = conversations::list(
        &app(ctx)?.db,
        &principal(ctx),
        Some(person.id),
        objects::page(Some(page), Some(limit))?,
    )
    .await
    .gql()?;
    Ok(list.into())
}

pub async fn of_user(
    ctx: &Context<'_>,
    user_id: i64,
    page: i64,
    limit: i64,
) -> GqlResult<PaginatedConversationList> {
    if super::viewer(ctx).map(|u| u.id) != Some(user_id) {
        return Err(super::errors::to_gql(backend::Error::forbidden(
            "only the account itself reads its conversations",
        )));
    }
    let list = conversations::list(
        &app(ctx)?.db,
        &principal(ctx),
        None,
        objects::page(Some(page), Some(limit))?,
    )
    .await
    .gql()?;
    Ok(list.into())
}

pub async fn of_event(
    ctx: &Context<'_>,
    event: &entity::event::Model,
    page: i64,
    limit: i64,
) -> GqlResult<PaginatedConversationList> {
    let list = conversations::of_event(
        &app(ctx)?.db,
        &principal(ctx),
        event,
        objects::page(Some(page), Some(limit))?,
    )
    .await
    .gql()?;
    Ok(list.into())
}

/// How many conversations of this identity (and of the groups it moderates) are unread.
pub async fn unread_count(ctx: &Context<'_>, person: &entity::actor::Model) -> GqlResult<i64> {
    let db = &app(ctx)?.db;
    let unread = conversations::list(
        db,
        &principal(ctx),
        Some(person.id),
        backend::pagination::Page::all(),
    )
    .await
    .gql()?
    .elements
    .iter()
    .filter(|v| v.participant.unread)
    .count();
    Ok(i64::try_from(unread).unwrap_or(i64::MAX))
}

#[Object]
impl Conversation {
    async fn id(&self) -> ID {
        ID::from(self.0.conversation.id.to_string())
    }

    /// The row of the side reading: `conversation(id:)` and `updateConversation` take it.
    async fn conversation_participant_id(&self) -> ID {
        ID::from(self.0.participant.id.to_string())
    }

    async fn last_comment(&self, ctx: &Context<'_>) -> GqlResult<Option<Comment>> {
        let db = &app(ctx)?.db;
        Ok(
            conversations::edge_message(db, self.0.conversation.id, true)
                .await
                .gql()?
                .map(|m| message_comment(&self.0.conversation, m)),
        )
    }

    async fn origin_comment(&self, ctx: &Context<'_>) -> GqlResult<Option<Comment>> {
        let db = &app(ctx)?.db;
        Ok(
            conversations::edge_message(db, self.0.conversation.id, false)
                .await
                .gql()?
                .map(|m| message_comment(&self.0.conversation, m)),
        )
    }

    /// Its messages, oldest first.
    async fn comments(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1)] page: i64,
        #[graphql(default = 10)] limit: i64,
    ) -> GqlResult<PaginatedCommentList> {
        let db = &app(ctx)?.db;
        let list = conversations::messages(
            db,
            self.0.conversation.id,
            objects::page(Some(page), Some(limit))?,
        )
        .await
        .gql()?;
        Ok(PaginatedCommentList {
            total: list.total,
            elements: list
                .elements
                .into_iter()
                .map(|m| message_comment(&self.0.conversation, m))
                .collect(),
        })
    }

    /// The actors taking part (someone who took part by email alone is not among them).
    async fn participants(&self, ctx: &Context<'_>) -> GqlResult<Vec<Person>> {
        let db = &app(ctx)?.db;
        Ok(conversations::participants(db, self.0.conversation.id)
            .await
            .gql()?
            .into_iter()
            .map(Person)
            .collect())
    }

    async fn event(&self, ctx: &Context<'_>) -> GqlResult<Option<Event>> {
        let db = &app(ctx)?.db;
        Ok(Some(Event(
            backend::events::find(db, self.0.conversation.event_id)
                .await
                .gql()?,
        )))
    }

    /// The side reading (Mobilizon's "actor concerned by the conversation").
    async fn actor(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        Ok(loaders::actor(ctx, self.0.participant.actor_id)
            .await?
            .map(Person))
    }

    async fn unread(&self) -> bool {
        self.0.participant.unread
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.conversation.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.conversation.updated_at
    }
}

#[derive(Default)]
pub struct ConversationQuery;

#[Object]
impl ConversationQuery {
    /// A conversation, by the row of the side reading it (`conversationParticipantId`).
    async fn conversation(&self, ctx: &Context<'_>, id: Option<ID>) -> GqlResult<Conversation> {
        let id = id.ok_or_else(|| super::errors::invalid("id", "a conversation's id"))?;
        let view = conversations::find_view(&app(ctx)?.db, &principal(ctx), parse_id(&id, "id")?)
            .await
            .gql()?;
        Ok(Conversation(view))
    }
}

#[derive(Default)]
pub struct ConversationMutation;

#[Object]
impl ConversationMutation {
    /// The organizers write to the event's participants with `roles` (all when empty): each
    /// gets a conversation of their own; the answer is the sender's view of the first.
    async fn send_event_private_message(
        &self,
        ctx: &Context<'_>,
        event_id: ID,
        #[graphql(default)] roles: Vec<Option<ParticipantRole>>,
        text: String,
        actor_id: ID,
        language: Option<String>,
    ) -> GqlResult<Conversation> {
        let new = NewMessage {
            event_id: parse_id(&event_id, "eventId")?,
            sender: Some(parse_id(&actor_id, "actorId")?),
            roles: roles.into_iter().flatten().collect(),
            text,
            language,
        };
        let app = app(ctx)?;
        let principal = principal(ctx);
        let sent = conversations::send_to_participants(app, &principal, new)
            .await
            .gql()?;
        let first = sent
            .conversations
            .into_iter()
            .next()
            .ok_or_else(|| super::errors::to_gql(backend::Error::not_found("conversation")))?;
        let view = conversations::view_of(&app.db, &principal, first)
            .await
            .gql()?;
        Ok(Conversation(view))
    }

    /// An answer in a conversation (`conversationId`). Starting a conversation with people
    /// named in `mentions` is not offered: conversations start from an event's organizers.
    #[allow(clippy::too_many_arguments)]
    async fn post_private_message(
        &self,
        ctx: &Context<'_>,
        text: String,
        actor_id: ID,
        attributed_to_id: Option<ID>,
        conversation_id: Option<ID>,
        language: Option<String>,
        mentions: Option<Vec<Option<String>>>,
    ) -> GqlResult<Conversation> {
        let _ = (attributed_to_id, mentions);
        let conversation_id = conversation_id.ok_or_else(|| {
            super::errors::invalid(
                "conversationId",
                "conversations start from an event's organizers: answer one of yours",
            )
        })?;
        let answer = Answer {
            conversation: ConversationRef::Conversation(parse_id(
                &conversation_id,
                "conversationId",
            )?),
            text,
            language,
            identity: Some(parse_id(&actor_id, "actorId")?),
            remote: None,
        };
        let app = app(ctx)?;
        let principal = principal(ctx);
        let answered = conversations::answer(app, &principal, answer).await.gql()?;
        let view = conversations::view_of(&app.db, &principal, answered.conversation)
            .await
            .gql()?;
        Ok(Conversation(view))
    }

    /// Marks a conversation (by `conversationParticipantId`) read or unread.
    async fn update_conversation(
        &self,
        ctx: &Context<'_>,
        conversation_id: ID,
        read: bool,
    ) -> GqlResult<Conversation> {
        let id = parse_id(&conversation_id, "conversationId")?;
        let view = conversations::mark_read(app(ctx)?, &principal(ctx), id, read)
            .await
            .gql()?;
        Ok(Conversation(view))
    }
}
