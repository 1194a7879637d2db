//! Identities (Mobilizon's persons).

use async_graphql::{Context, ID, Object};
use backend::actors::persons::{self, NewPerson, PersonChanges};
use backend::actors::profile;
use chrono::{DateTime, Utc};
use entity::actor::ActorKind;

use super::directory::PaginatedPersonList;
use super::errors::{GqlResult, IntoGql};
use super::media::{self, MediaInput, with_pictures};
use super::objects::{
    self, FeedToken, Follower, Media, PaginatedEventList, PaginatedFollowerList,
    PaginatedMemberList, PaginatedParticipantList, Participant, Person, User,
};
use super::{app, current_user, parse_id, principal};

#[Object]
impl Person {
    pub(super) async fn avatar(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Media>> {
        media::by_id(ctx, self.0.avatar_media_id).await
    }

    pub(super) async fn banner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Media>> {
        media::by_id(ctx, self.0.banner_media_id).await
    }

    pub(super) async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    /// The actor's address (also its ActivityPub id).
    pub(super) async fn url(&self) -> &str {
        self.0.url.as_deref().unwrap_or(&self.0.ap_id)
    }

    pub(super) async fn preferred_username(&self) -> &str {
        &self.0.preferred_username
    }

    pub(super) async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    pub(super) async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// `None` for local identities.
    pub(super) async fn domain(&self) -> Option<&str> {
        self.0.domain.as_deref()
    }

    pub(super) async fn local(&self) -> bool {
        self.0.is_local()
    }

    #[graphql(name = "type")]
    pub(super) async fn actor_type(&self) -> ActorKind {
        self.0.kind
    }

    pub(super) async fn suspended(&self) -> bool {
        self.0.suspended
    }

    pub(super) async fn manually_approves_followers(&self) -> bool {
        self.0.manually_approves_followers
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Events the identity organizes, as far as the caller may see them.
    async fn organized_events(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedEventList> {
        let list = backend::events::organized_by(
            &app(ctx)?.db,
            &principal(ctx),
            &self.0,
            None,
            None,
            objects::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(list.into())
    }

    /// The identity's participations, soonest first, or the one in `eventId` (to its own
    /// account and moderators).
    async fn participations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the participation in this event.")] event_id: Option<ID>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<Option<PaginatedParticipantList>> {
        let list = profile::participations(
            &app(ctx)?.db,
            &principal(ctx),
            &self.0,
            event_id.map(|id| parse_id(&id, "eventId")).transpose()?,
            objects::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(Some(PaginatedParticipantList {
            total: list.total,
            elements: list
                .elements
                .into_iter()
                .map(|(row, event)| Participant {
                    row,
                    event: Some(event),
                })
                .collect(),
        }))
    }

    /// The identity's memberships, in the group named by username (`group`) or id
    /// (`groupId`) when given (to its own account and moderators).
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        group: Option<String>,
        group_id: Option<ID>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<Option<PaginatedMemberList>> {
        let filter = group_filter(group.as_deref(), group_id.as_ref())?;
        let list = profile::memberships(
            &app(ctx)?.db,
            &principal(ctx),
            &self.0,
            filter,
            objects::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(Some(list.into()))
    }

    /// What the identity follows, the group named by username (`group`) or id (`groupId`)
    /// only when given (to its own account and moderators).
    async fn follows(
        &self,
        ctx: &Context<'_>,
        group: Option<String>,
        group_id: Option<ID>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<Option<PaginatedFollowerList>> {
        let filter = group_filter(group.as_deref(), group_id.as_ref())?;
        let list = profile::follows(
            &app(ctx)?.db,
            &principal(ctx),
            &self.0,
            filter,
            objects::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(Some(PaginatedFollowerList {
            total: list.total,
            elements: list.elements.into_iter().map(Follower).collect(),
        }))
    }

    /// The account the identity belongs to (to that account and moderators).
    async fn user(&self, ctx: &Context<'_>) -> GqlResult<Option<User>> {
        Ok(profile::account(&app(ctx)?.db, &principal(ctx), &self.0)
            .await
            .gql()?
            .map(User::from))
    }

    /// Bytes the identity's pictures take, all sizes counted (to its own account and
    /// moderators).
    async fn media_size(&self, ctx: &Context<'_>) -> GqlResult<Option<i64>> {
        let bytes = profile::media_bytes(&app(ctx)?.db, &principal(ctx), &self.0)
            .await
            .gql()?;
        Ok(Some(i64::try_from(bytes).unwrap_or(i64::MAX)))
    }

    /// The identity's conversations and those of the groups it moderates, unread first
    /// (to its own account).
    async fn conversations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1)] page: i64,
        #[graphql(default = 10)] limit: i64,
    ) -> GqlResult<super::conversations::PaginatedConversationList> {
        super::conversations::of_person(ctx, &self.0, page, limit).await
    }

    /// How many of those are unread (to its own account).
    async fn unread_conversations_count(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        super::conversations::unread_count(ctx, &self.0).await
    }

    /// Private feed tokens limited to this identity (only to its owner).
    async fn feed_tokens(&self, ctx: &Context<'_>) -> GqlResult<Vec<FeedToken>> {
        super::feeds::of_actor(ctx, self.0.id).await
    }
}

#[derive(Default)]
pub struct PersonQuery;

#[Object]
impl PersonQuery {
    /// People of this instance and others by name or username: for moderators.
    async fn search_persons(
        &self,
        ctx: &Context<'_>,
        term: Option<String>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedPersonList> {
        let list = profile::search_persons(
            &app(ctx)?.db,
            &principal(ctx),
            term.as_deref().unwrap_or(""),
            objects::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedPersonList {
            total: list.total,
            elements: list.elements.into_iter().map(Person).collect(),
        })
    }

    /// The caller's identities.
    async fn identities(&self, ctx: &Context<'_>) -> GqlResult<Vec<Person>> {
        let current = current_user(ctx)?;
        let app = app(ctx)?;
        Ok(persons::identities(&app.db, current.id)
            .await
            .gql()?
            .into_iter()
            .map(Person)
            .collect())
    }

    /// The caller's default identity.
    async fn logged_person(&self, ctx: &Context<'_>) -> GqlResult<Person> {
        let current = current_user(ctx)?;
        Ok(Person(
            persons::acting_as(&app(ctx)?.db, current, None)
                .await
                .gql()?,
        ))
    }

    /// One of the caller's identities by id.
    async fn person(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Person> {
        let current = current_user(ctx)?;
        let id = parse_id(&id, "id")?;
        Ok(Person(
            persons::own(&app(ctx)?.db, current, id).await.gql()?,
        ))
    }

    /// A local identity's public profile by username.
    async fn fetch_person(
        &self,
        ctx: &Context<'_>,
        preferred_username: String,
    ) -> GqlResult<Person> {
        Ok(Person(
            backend::actors::find_local(&app(ctx)?.db, &preferred_username, ActorKind::Person)
                .await
                .gql()?,
        ))
    }
}

#[derive(Default)]
pub struct PersonMutation;

#[Object]
impl PersonMutation {
    /// Fetches an actor of another instance again, in the background (administrators); a
    /// local actor is given back as it is.
    async fn refresh_profile(&self, ctx: &Context<'_>, id: ID) -> GqlResult<objects::Actor> {
        let actor = backend::actors::refresh::ask(app(ctx)?, &principal(ctx), parse_id(&id, "id")?)
            .await
            .gql()?;
        Ok(actor.into())
    }

    /// Adds an identity to the caller's account.
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        preferred_username: String,
        name: Option<String>,
        summary: Option<String>,
        avatar: Option<MediaInput>,
        banner: Option<MediaInput>,
    ) -> GqlResult<Person> {
        let current = current_user(ctx)?;
        let person = persons::create(
            app(ctx)?,
            current,
            NewPerson {
                preferred_username,
                name,
                summary,
            },
        )
        .await
        .gql()?;
        with_pictures(ctx, person, avatar, banner).await.map(Person)
    }

    /// Creates the first identity of a freshly registered account: logged in as it (after
    /// `validateUser`), or with `token`, the `registrationToken` of `createUser`'s answer (or
    /// the confirmation mail's token). Without either the answer is `unauthenticated`,
    /// whatever the address.
    async fn register_person(
        &self,
        ctx: &Context<'_>,
        email: String,
        preferred_username: String,
        name: Option<String>,
        summary: Option<String>,
        token: Option<String>,
    ) -> GqlResult<Person> {
        let person = persons::register(
            app(ctx)?,
            &super::principal(ctx),
            &email,
            token.as_deref(),
            NewPerson {
                preferred_username,
                name,
                summary,
            },
        )
        .await
        .gql()?;
        Ok(Person(person))
    }

    async fn update_person(
        &self,
        ctx: &Context<'_>,
        id: ID,
        name: Option<String>,
        summary: Option<String>,
        avatar: Option<MediaInput>,
        banner: Option<MediaInput>,
    ) -> GqlResult<Person> {
        let current = current_user(ctx)?;
        let id = parse_id(&id, "id")?;
        let person = persons::update(app(ctx)?, current, id, PersonChanges { name, summary })
            .await
            .gql()?;
        with_pictures(ctx, person, avatar, banner).await.map(Person)
    }

    /// Makes the caller's identity of this username the one used when none is chosen.
    async fn change_default_actor(
        &self,
        ctx: &Context<'_>,
        preferred_username: String,
    ) -> GqlResult<User> {
        let current = current_user(ctx)?;
        let app = app(ctx)?;
        let identity = persons::identities(&app.db, current.id)
            .await
            .gql()?
            .into_iter()
            .find(|identity| identity.preferred_username == preferred_username)
            .ok_or_else(|| backend::Error::not_found("identity"))
            .gql()?;
        Ok(User::from(
            persons::set_default(app, current, identity.id)
                .await
                .gql()?,
        ))
    }

    async fn delete_person(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Person> {
        let current = current_user(ctx)?;
        let id = parse_id(&id, "id")?;
        Ok(Person(persons::delete(app(ctx)?, current, id).await.gql()?))
    }
}

fn group_filter<'a>(
    username: Option<&'a str>,
    id: Option<&ID>,
) -> GqlResult<profile::GroupFilter<'a>> {
    Ok(profile::GroupFilter {
        username,
        id: id.map(|id| parse_id(id, "groupId")).transpose()?,
    })
}
