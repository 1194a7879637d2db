//! Accounts: registration, confirmation, login, tokens, passwords, deletion.

use async_graphql::{Context, ID, Object, SimpleObject};
use backend::users::service as users;
use chrono::{DateTime, Utc};
use entity::user::{self, PendingNotification, UserRole};

use super::groups::{Member, PaginatedMemberList};
use super::participations::PaginatedParticipantList;

use super::errors::{GqlResult, IntoGql};
use super::persons::Person;
use super::{app, current_user};

/// A local account. Only its owner (and instance admins) see it.
pub struct User {
    pub model: user::Model,
    /// Set in `createUser`'s answer only.
    registration_token: Option<String>,
}

impl From<user::Model> for User {
    fn from(model: user::Model) -> Self {
        Self {
            model,
            registration_token: None,
        }
    }
}

#[Object]
impl User {
    /// In `createUser`'s answer only: give it to `registerPerson(token:)` to create the
    /// account's first identity before it is confirmed. Convive's own field; Mobilizon's
    /// clients call `registerPerson` once logged in, which needs no token.
    async fn registration_token(&self) -> Option<&str> {
        self.registration_token.as_deref()
    }

    async fn id(&self) -> ID {
        ID::from(self.model.id.to_string())
    }

    async fn email(&self) -> &str {
        &self.model.email
    }

    async fn role(&self) -> UserRole {
        self.model.role
    }

    async fn locale(&self) -> &str {
        &self.model.locale
    }

    async fn confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.model.confirmed_at
    }

    async fn confirmation_sent_at(&self) -> Option<DateTime<Utc>> {
        self.model.confirmation_sent_at
    }

    async fn inserted_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }

    async fn last_sign_in_at(&self) -> Option<DateTime<Utc>> {
        self.model.last_login_at
    }

    /// Always false: disabled accounts do not exist here (suspension is per identity).
    async fn disabled(&self) -> bool {
        false
    }

    /// The identity used when none is chosen.
    async fn default_actor(&self, ctx: &Context<'_>) -> GqlResult<Option<Person>> {
        let Some(id) = self.model.default_actor_id else {
            return Ok(None);
        };
        let app = app(ctx)?;
        Ok(backend::actors::find(&app.db, id).await.ok().map(Person))
    }

    /// Time zone and notification choices.
    async fn settings(&self) -> UserSettings {
        UserSettings::from(&self.model)
    }

    /// Memberships of all the account's identities (invitations and requests included).
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedMemberList> {
        let list = backend::groups::memberships_of_user(
            &app(ctx)?.db,
            self.model.id,
            super::groups::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedMemberList {
            total: list.total,
            elements: list.elements.into_iter().map(Member).collect(),
        })
    }

    /// Participations of all the account's identities, in events not over at `afterDatetime`
    /// (and starting before `beforeDatetime`), soonest first.
    async fn participations(
        &self,
        ctx: &Context<'_>,
        after_datetime: Option<DateTime<Utc>>,
        before_datetime: Option<DateTime<Utc>>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedParticipantList> {
        super::participations::of_user(
            ctx,
            self.model.id,
            after_datetime,
            before_datetime,
            super::groups::page(page, limit)?,
        )
        .await
    }

    /// Bytes the account's pictures take, all sizes counted.
    async fn media_size(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        super::media::used_bytes(ctx, self.model.id).await
    }

    /// The account's private feed tokens (only to the account itself).
    async fn feed_tokens(&self, ctx: &Context<'_>) -> GqlResult<Vec<super::feeds::FeedToken>> {
        super::feeds::of_user(ctx, self.model.id).await
    }

    /// All identities of the account.
    async fn actors(&self, ctx: &Context<'_>) -> GqlResult<Vec<Person>> {
        let app = app(ctx)?;
        Ok(backend::actors::persons::identities(&app.db, self.model.id)
            .await
            .gql()?
            .into_iter()
            .map(Person)
            .collect())
    }
}

/// Mobilizon's `UserSettings`.
#[derive(SimpleObject)]
pub struct UserSettings {
    timezone: Option<String>,
    /// A mail at 08:00 on the day of one's events.
    notification_on_day: bool,
    /// A mail one hour before each event.
    notification_before_event: bool,
    /// When organizers hear of participations waiting for approval.
    notification_pending_participation: PendingNotification,
}

impl From<&user::Model> for UserSettings {
    fn from(u: &user::Model) -> Self {
        Self {
            timezone: u.timezone.clone(),
            notification_on_day: u.notification_on_day,
            notification_before_event: u.notification_before_event,
            notification_pending_participation: u.notification_pending_participation,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(name = "Login")]
pub struct Login {
    access_token: String,
    refresh_token: String,
    user: User,
}

impl From<backend::users::Login> for Login {
    fn from(login: backend::users::Login) -> Self {
        Self {
            access_token: login.access_token,
            refresh_token: login.refresh_token,
            user: User::from(login.user),
        }
    }
}

#[derive(SimpleObject)]
pub struct RefreshedToken {
    access_token: String,
    refresh_token: String,
}

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

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
    /// The account of the caller.
    async fn logged_user(&self, ctx: &Context<'_>) -> GqlResult<User> {
        let current = current_user(ctx)?;
        let app = app(ctx)?;
        Ok(User::from(users::find(&app.db, current.id).await.gql()?))
    }
}

#[derive(Default)]
pub struct UserMutation;

#[Object]
impl UserMutation {
    /// Registers an account and sends its confirmation mail.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
        locale: Option<String>,
    ) -> GqlResult<User> {
        let app = app(ctx)?;
        let registration = users::register(
            app,
            &super::client(ctx),
            backend::users::NewAccount {
                email,
                password,
                locale,
            },
        )
        .await
        .gql()?;
        Ok(User {
            model: registration.user,
            registration_token: Some(registration.registration_token),
        })
    }

    /// Confirms an account with the token from its confirmation mail, and logs in.
    async fn validate_user(&self, ctx: &Context<'_>, token: String) -> GqlResult<Login> {
        Ok(users::validate(app(ctx)?, &token).await.gql()?.into())
    }

    /// Sends the confirmation mail again. Answers the address whether or not it has an account.
    async fn resend_confirmation_email(
        &self,
        ctx: &Context<'_>,
        email: String,
        #[graphql(desc = "Ignored: the mail is written in the account's language.")]
        _locale: Option<String>,
    ) -> GqlResult<String> {
        users::resend_confirmation(app(ctx)?, &super::client(ctx), &email)
            .await
            .gql()?;
        Ok(email)
    }

    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> GqlResult<Login> {
        Ok(
            users::login(app(ctx)?, &super::client(ctx), &email, &password)
                .await
                .gql()?
                .into(),
        )
    }

    /// Exchanges a refresh token for new tokens (the old refresh token stops working).
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> GqlResult<RefreshedToken> {
        let login = users::refresh(app(ctx)?, &refresh_token).await.gql()?;
        Ok(RefreshedToken {
            access_token: login.access_token,
            refresh_token: login.refresh_token,
        })
    }

    /// Ends the session of this refresh token (and the access tokens issued for it).
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> GqlResult<String> {
        users::logout(app(ctx)?, &refresh_token).await.gql()?;
        Ok(refresh_token)
    }

    /// Sends a password reset link. Answers the address whether or not it has an account.
    async fn send_reset_password(
        &self,
        ctx: &Context<'_>,
        email: String,
        locale: Option<String>,
    ) -> GqlResult<String> {
        users::send_reset_password(app(ctx)?, &super::client(ctx), &email, locale.as_deref())
            .await
            .gql()?;
        Ok(email)
    }

    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
        #[graphql(desc = "Ignored: the account keeps its language.")] _locale: Option<String>,
    ) -> GqlResult<Login> {
        Ok(users::reset_password(app(ctx)?, &token, &password)
            .await
            .gql()?
            .into())
    }

    async fn change_password(
        &self,
        ctx: &Context<'_>,
        old_password: String,
        new_password: String,
    ) -> GqlResult<User> {
        let current = current_user(ctx)?;
        let user = users::change_password(app(ctx)?, current, &old_password, &new_password)
            .await
            .gql()?;
        Ok(User::from(user))
    }

    /// Deletes the caller's account and identities.
    async fn delete_account(
        &self,
        ctx: &Context<'_>,
        password: String,
    ) -> GqlResult<DeletedObject> {
        let current = current_user(ctx)?;
        users::delete_account(app(ctx)?, current, &password)
            .await
            .gql()?;
        Ok(DeletedObject {
            id: Some(ID::from(current.id.to_string())),
        })
    }

    /// Time zone and notification choices; reminders already planned follow them.
    async fn set_user_settings(
        &self,
        ctx: &Context<'_>,
        timezone: Option<String>,
        notification_on_day: Option<bool>,
        notification_before_event: Option<bool>,
        notification_pending_participation: Option<PendingNotification>,
    ) -> GqlResult<UserSettings> {
        let current = current_user(ctx)?;
        let user = backend::users::settings::set(
            app(ctx)?,
            current,
            backend::users::settings::SettingsChanges {
                timezone,
                notification_on_day,
                notification_before_event,
                notification_pending_participation,
            },
        )
        .await
        .gql()?;
        Ok(UserSettings::from(&user))
    }

    /// Changes the language of the caller's account (`en` or `fr`).
    async fn update_locale(&self, ctx: &Context<'_>, locale: String) -> GqlResult<User> {
        let current = current_user(ctx)?;
        Ok(User::from(
            users::set_locale(app(ctx)?, current, &locale).await.gql()?,
        ))
    }
}
