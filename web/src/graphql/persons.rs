//! Identities (Mobilizon's persons).

use async_graphql::{Context, Enum, ID, Object};
use backend::actors::persons::{self, NewPerson, PersonChanges};
use chrono::{DateTime, Utc};
use entity::actor::{self, ActorKind};

use super::errors::{GqlResult, IntoGql};
use super::media::MediaInput;
use super::{app, current_user, parse_id};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "ActorType", rename_items = "PascalCase")]
pub enum ActorType {
    Person,
    Application,
    Group,
    Organization,
    Service,
}

impl From<ActorKind> for ActorType {
    fn from(kind: ActorKind) -> Self {
        match kind {
            ActorKind::Person => ActorType::Person,
            ActorKind::Group => ActorType::Group,
            ActorKind::Application => ActorType::Application,
        }
    }
}

/// An identity of a user, local or on another instance.
pub struct Person(pub actor::Model);

#[Object]
impl Person {
    async fn avatar(&self, ctx: &Context<'_>) -> GqlResult<Option<super::media::Media>> {
        super::media::by_id(ctx, self.0.avatar_media_id).await
    }

    async fn banner(&self, ctx: &Context<'_>) -> GqlResult<Option<super::media::Media>> {
        super::media::by_id(ctx, self.0.banner_media_id).await
    }

    async fn id(&self) -> ID {
        ID::from(self.0.id.to_string())
    }

    /// The actor's address (also its ActivityPub id).
    async fn url(&self) -> &str {
        self.0.url.as_deref().unwrap_or(&self.0.ap_id)
    }

    async fn preferred_username(&self) -> &str {
        &self.0.preferred_username
    }

    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// `None` for local identities.
    async fn domain(&self) -> Option<&str> {
        self.0.domain.as_deref()
    }

    async fn local(&self) -> bool {
        self.0.is_local()
    }

    #[graphql(name = "type")]
    async fn actor_type(&self) -> ActorType {
        self.0.kind.into()
    }

    async fn suspended(&self) -> bool {
        self.0.suspended
    }

    async fn manually_approves_followers(&self) -> bool {
        self.0.manually_approves_followers
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// Private feed tokens limited to this identity (only to its owner).
    async fn feed_tokens(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::feeds::FeedToken>> {
        super::feeds::of_actor(ctx, self.0.id).await
    }
}

#[derive(Default)]
pub struct PersonQuery;

#[Object]
impl PersonQuery {
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

    async fn delete_person(&self, ctx: &Context<'_>, id: ID) -> GqlResult<Person> {
        let current = current_user(ctx)?;
        let id = parse_id(&id, "id")?;
        Ok(Person(persons::delete(app(ctx)?, current, id).await.gql()?))
    }
}

/// The saved person or group with its avatar and banner set; a picture that cannot be used
/// is an error beside the answer, and the actor stays saved without it.
pub(super) async fn with_pictures(
    ctx: &Context<'_>,
    actor: actor::Model,
    avatar: Option<MediaInput>,
    banner: Option<MediaInput>,
) -> GqlResult<actor::Model> {
    if avatar.is_none() && banner.is_none() {
        return Ok(actor);
    }
    super::media::attach_to_actor(ctx, actor.id, avatar, banner).await;
    backend::actors::find(&app(ctx)?.db, actor.id).await.gql()
}
