//! The schema's object types as Rust values, and the small pieces every context shares
//! (paging, `DeletedObject`, role lists as Mobilizon sends them). Each context's module
//! implements the fields of its own types (`#[Object] impl Event` lives in `events.rs`); they
//! all import from here and never from each other, so that no two modules of the schema import
//! each other in a loop while the types of the graph refer to one another freely.

use async_graphql::{
    ID, InputValueError, InputValueResult, Interface, Scalar, ScalarType, SimpleObject, Value,
};
use backend::pagination::{Page, Paginated};
use entity::member::MemberRole;
use entity::participant::{self, ParticipantRole};
use entity::{ActorKind, actor, event, feed_token, follow, media, member, tag, user};
use sea_orm::ActiveEnum;

use super::errors::{GqlResult, IntoGql, invalid};

/// An identity of a user, local or on another instance (fields in `persons.rs`).
pub struct Person(pub actor::Model);

/// A group: a collective that organizes events (fields in `groups.rs`).
pub struct Group(pub actor::Model);

/// Mobilizon's `Actor` interface: what people and groups share. Each type resolves these
/// fields itself (`persons.rs`, `groups.rs`); the instance's own actors show as persons.
// Clippy reads the fields' repeated `ty = …` as duplicated attributes.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface)]
#[graphql(
    field(name = "id", ty = "ID"),
    field(name = "url", ty = "&str"),
    field(name = "type", method = "actor_type", ty = "ActorKind"),
    field(name = "name", ty = "Option<&str>"),
    field(name = "domain", ty = "Option<&str>"),
    field(name = "local", ty = "bool"),
    field(name = "summary", ty = "Option<&str>"),
    field(name = "preferred_username", ty = "&str"),
    field(name = "manually_approves_followers", ty = "bool"),
    field(name = "suspended", ty = "bool"),
    field(name = "avatar", ty = "Option<Media>"),
    field(name = "banner", ty = "Option<Media>")
)]
pub enum Actor {
    Person(Person),
    Group(Group),
}

impl From<actor::Model> for Actor {
    fn from(model: actor::Model) -> Self {
        match model.kind {
            ActorKind::Group => Actor::Group(Group(model)),
            ActorKind::Person | ActorKind::Application => Actor::Person(Person(model)),
        }
    }
}

/// A tag of events (fields in `tags.rs`).
pub struct Tag(pub tag::Model);

/// A stored picture (fields in `media.rs`).
pub struct Media(pub media::Model);

/// A group's post (fields in `posts.rs`).
pub struct Post(pub entity::post::Model);

/// An event (fields in `events.rs`).
pub struct Event(pub event::Model);

/// A comment under an event (fields in `comments.rs`). A thread's first comment read with
/// its event's threads carries its replies, so that a page of threads is one query.
pub struct Comment {
    pub row: entity::comment::Model,
    pub replies: Option<Vec<entity::comment::Model>>,
    /// The event, when it was read along with the comment.
    pub event: Option<std::sync::Arc<event::Model>>,
    /// Set for a message of a private conversation (`conversations.rs`): the conversation's
    /// id. Its `row` then holds the message (its own table's ids: `id` answers its uuid).
    pub conversation: Option<i64>,
    /// Set for a comment of a group's discussion (`discussions.rs`): the group's id. Its `row`
    /// then holds the comment (its own table's ids: `id` answers its uuid).
    pub discussion_group: Option<i64>,
}

impl Comment {
    pub fn new(row: entity::comment::Model) -> Self {
        Self {
            row,
            replies: None,
            event: None,
            conversation: None,
            discussion_group: None,
        }
    }
}

/// A local account; only its owner (and instance admins) see it (fields in `users.rs`).
pub struct User {
    pub model: user::Model,
    /// Set in `createUser`'s answer only.
    pub registration_token: Option<String>,
}

impl From<user::Model> for User {
    fn from(model: user::Model) -> Self {
        Self {
            model,
            registration_token: None,
        }
    }
}

/// Someone's membership in a group (fields in `groups.rs`).
pub struct Member(pub member::Model);

/// An actor following a group (fields in `groups.rs`).
pub struct Follower(pub follow::Model);

/// Someone's participation in an event (fields in `participations.rs`). Anonymous
/// participants show as the instance's anonymous actor; their email is never shown.
pub struct Participant {
    pub row: participant::Model,
    /// The event when it was read along with the participation.
    pub event: Option<event::Model>,
}

impl Participant {
    pub fn new(row: participant::Model) -> Self {
        Self { row, event: None }
    }
}

/// A token opening a private feed of a user's participations: all their identities', or
/// one's (fields in `feeds.rs`).
pub struct FeedToken(pub feed_token::Model);

#[derive(SimpleObject)]
pub struct PaginatedEventList {
    pub total: u64,
    pub elements: Vec<Event>,
}

impl From<Paginated<event::Model>> for PaginatedEventList {
    fn from(list: Paginated<event::Model>) -> Self {
        Self {
            total: list.total,
            elements: list.elements.into_iter().map(Event).collect(),
        }
    }
}

#[derive(SimpleObject)]
pub struct PaginatedMemberList {
    pub total: u64,
    pub elements: Vec<Member>,
}

impl From<Paginated<member::Model>> for PaginatedMemberList {
    fn from(list: Paginated<member::Model>) -> Self {
        Self {
            total: list.total,
            elements: list.elements.into_iter().map(Member).collect(),
        }
    }
}

#[derive(SimpleObject)]
pub struct PaginatedFollowerList {
    pub total: u64,
    pub elements: Vec<Follower>,
}

#[derive(SimpleObject)]
pub struct PaginatedGroupList {
    pub total: u64,
    pub elements: Vec<Group>,
}

#[derive(SimpleObject)]
pub struct PaginatedParticipantList {
    pub total: u64,
    pub elements: Vec<Participant>,
}

/// What a deletion answers: the id of what is gone.
#[derive(SimpleObject)]
pub struct DeletedObject {
    pub id: Option<ID>,
}

impl DeletedObject {
    pub fn new(id: i64) -> Self {
        Self {
            id: Some(ID::from(id.to_string())),
        }
    }
}

/// A page of a list from Mobilizon's `page` and `limit`.
pub fn page(page: Option<i64>, limit: Option<i64>) -> GqlResult<Page> {
    Page::new(page, limit).gql()
}

/// Mobilizon passes roles as one comma-separated string ("participant,moderator").
fn parse_roles<R: ActiveEnum<Value = String>>(raw: Option<&str>, what: &str) -> GqlResult<Vec<R>> {
    let mut roles = Vec::new();
    for name in raw
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let Ok(role) = R::try_from_value(&name.to_ascii_lowercase()) else {
            return Err(invalid("roles", &format!("\"{name}\" is not a {what}")));
        };
        roles.push(role);
    }
    Ok(roles)
}

pub fn participant_roles(raw: Option<&str>) -> GqlResult<Vec<ParticipantRole>> {
    parse_roles(raw, "participant role")
}

pub fn member_roles(raw: Option<&str>) -> GqlResult<Vec<MemberRole>> {
    parse_roles(raw, "member role")
}

/// Mobilizon's `Timezone` scalar: an IANA time zone name ("Europe/Paris"), checked when read.
/// An empty string is accepted as "none" (the account's zone is cleared).
pub struct Timezone(pub String);

#[Scalar(name = "Timezone")]
impl ScalarType for Timezone {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(name) = value else {
            return Err(InputValueError::expected_type(value));
        };
        let trimmed = name.trim();
        if trimmed.is_empty() || trimmed.parse::<chrono_tz::Tz>().is_ok() {
            Ok(Timezone(trimmed.to_owned()))
        } else {
            Err(InputValueError::custom(format!(
                "\"{trimmed}\" is not a time zone name (such as Europe/Paris)"
            )))
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}
