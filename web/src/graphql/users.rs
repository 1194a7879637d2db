//! Accounts: registration, confirmation, login, tokens, passwords, deletion.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use backend::users::service as users;
use chrono::{DateTime, Utc};
use entity::user::{self, PendingNotification, UserRole};

use super::errors::{GqlResult, IntoGql};
use super::loaders;
use super::objects::{
    self, DeletedObject, Event, FeedToken, Group, PaginatedEventList, PaginatedMemberList,
    PaginatedParticipantList, Person, Timezone, User,
};
use super::{app, current_user};

#[Object]
impl User {
    /// In `createUser`'s answer only: give it to `registerPerson(token:)` to create the
    /// account's first identity before it is confirmed. Convive's own field; Mobilizon's
    /// clients call `registerPerson` once logged in, which needs no token.
    async fn registration_token(&self) -> Option<&str> {
        self.registration_token.as_deref()
    }

    pub(super) async fn id(&self) -> ID {
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

    /// When the account last logged in.
    async fn current_sign_in_at(&self) -> Option<DateTime<Utc>> {
        self.model.last_login_at
    }

    /// Always null: no address of a connection is kept.
    async fn current_sign_in_ip(&self) -> Option<String> {
        None
    }

    /// Always null: no address of a connection is kept.
    async fn last_sign_in_ip(&self) -> Option<String> {
        None
    }

    /// Whether administrators disabled the account, or deleted it (its address stays taken).
    async fn disabled(&self) -> bool {
        self.model.disabled_at.is_some()
    }

    /// Convive: the registration waits for a moderator's approval.
    async fn awaiting_approval(&self) -> bool {
        self.model.awaiting_approval
    }

    /// The conversations of all the account's identities and of the groups they moderate,
    /// unread first (to the account itself).
    async fn conversations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1)] page: i64,
        #[graphql(default = 10)] limit: i64,
    ) -> GqlResult<super::conversations::PaginatedConversationList> {
        super::conversations::of_user(ctx, self.model.id, page, limit).await
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
        UserSettings(self.model.clone())
    }

    /// Memberships of all the account's identities (invitations and requests included), in
    /// groups whose name or username contains `name` when given.
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        name: Option<String>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedMemberList> {
        let list = backend::actors::profile::memberships_of_user(
            &app(ctx)?.db,
            self.model.id,
            name.as_deref(),
            objects::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(list.into())
    }

    /// Events of the account's identities not published yet, soonest first.
    async fn drafts(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedEventList> {
        Ok(backend::actors::profile::drafts_of_user(
            &app(ctx)?.db,
            self.model.id,
            objects::page(page, limit)?,
        )
        .await
        .gql()?
        .into())
    }

    /// Events of the groups the account's identities follow or belong to, not over at
    /// `afterDatetime` (now when absent), soonest first.
    async fn followed_group_events(
        &self,
        ctx: &Context<'_>,
        after_datetime: Option<DateTime<Utc>>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> GqlResult<PaginatedFollowedGroupEvents> {
        let app = app(ctx)?;
        let list = backend::actors::profile::followed_group_events(
            &app.db,
            self.model.id,
            after_datetime.unwrap_or_else(|| app.now()),
            objects::page(page, limit)?,
        )
        .await
        .gql()?;
        Ok(PaginatedFollowedGroupEvents {
            total: list.total,
            elements: list.elements.into_iter().map(FollowedGroupEvent).collect(),
        })
    }

    /// Mobilizon's per-activity notification choices: there are none here (what is mailed
    /// is in `settings`).
    async fn activity_settings(&self) -> Vec<ActivitySetting> {
        Vec::new()
    }

    /// How the account logs in: `null` for a password (no other way exists here).
    async fn provider(&self) -> Option<&str> {
        None
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
            objects::page(page, limit)?,
        )
        .await
    }

    /// Bytes the account's pictures take, all sizes counted.
    async fn media_size(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        super::media::used_bytes(ctx, self.model.id).await
    }

    /// The account's private feed tokens (only to the account itself).
    async fn feed_tokens(&self, ctx: &Context<'_>) -> GqlResult<Vec<FeedToken>> {
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

/// An event of a group one follows or belongs to, with the identity that does.
pub struct FollowedGroupEvent(backend::actors::profile::FollowedGroupEvent);

#[Object]
impl FollowedGroupEvent {
    async fn profile(&self, ctx: &Context<'_>) -> GqlResult<Person> {
        Ok(Person(
            loaders::actor_required(ctx, self.0.profile_id).await?,
        ))
    }

    async fn group(&self, ctx: &Context<'_>) -> GqlResult<Group> {
        Ok(Group(loaders::actor_required(ctx, self.0.group_id).await?))
    }

    async fn event(&self) -> Event {
        Event(self.0.event.clone())
    }
}

#[derive(SimpleObject)]
pub struct PaginatedFollowedGroupEvents {
    total: u64,
    elements: Vec<FollowedGroupEvent>,
}

/// Mobilizon's choice of how one hears of one kind of activity.
#[derive(SimpleObject)]
pub struct ActivitySetting {
    key: String,
    method: String,
    enabled: bool,
}

/// Mobilizon's `UserSettings`.
pub struct UserSettings(user::Model);

/// Where the user looks for events.
#[derive(SimpleObject)]
pub struct Location {
    geohash: Option<String>,
    name: Option<String>,
    /// Kilometres around the place.
    range: Option<i32>,
}

#[derive(InputObject)]
pub struct LocationInput {
    geohash: Option<String>,
    name: Option<String>,
    range: Option<i32>,
}

#[Object]
impl UserSettings {
    async fn timezone(&self) -> Option<&str> {
        self.0.timezone.as_deref()
    }

    /// A mail at 08:00 on the day of one's events.
    async fn notification_on_day(&self) -> bool {
        self.0.notification_on_day
    }

    /// A mail one hour before each event.
    async fn notification_before_event(&self) -> bool {
        self.0.notification_before_event
    }

    /// When organizers hear of participations waiting for approval.
    async fn notification_pending_participation(&self) -> PendingNotification {
        self.0.notification_pending_participation
    }

    /// No weekly summary of one's events is sent here.
    async fn notification_each_week(&self) -> bool {
        false
    }

    /// No mail tells a group's moderators of membership requests here.
    async fn notification_pending_membership(&self) -> PendingNotification {
        PendingNotification::None
    }

    /// News of one's groups (their new public events) is mailed as it comes, 30 minutes
    /// after publication; there is no other choice here.
    async fn group_notifications(&self) -> PendingNotification {
        PendingNotification::Direct
    }

    /// Convive: whether a moderator or administrator is mailed for each new report (null
    /// for other accounts, who are not).
    async fn notification_reports(&self) -> Option<bool> {
        matches!(self.0.role, UserRole::Moderator | UserRole::Administrator)
            .then_some(self.0.notification_new_report)
    }

    async fn location(&self) -> Option<Location> {
        self.0.location_geohash.as_ref().map(|geohash| Location {
            geohash: Some(geohash.clone()),
            name: self.0.location_name.clone(),
            range: self.0.location_range,
        })
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
                timezone: None,
                invitation: None,
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

    /// Asks to change the caller's address: a link goes to the new one, a notice to the
    /// current one, which stays the account's until the link is followed.
    async fn change_email(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> GqlResult<User> {
        let current = current_user(ctx)?;
        let user = backend::users::email_change::request(app(ctx)?, current, &email, &password)
            .await
            .gql()?;
        Ok(User::from(user))
    }

    /// Follows the link mailed by `changeEmail`: the new address becomes the account's.
    async fn validate_email(&self, ctx: &Context<'_>, token: String) -> GqlResult<User> {
        let user = backend::users::email_change::confirm(app(ctx)?, &token)
            .await
            .gql()?;
        Ok(User::from(user))
    }

    /// Deletes the caller's account and identities, with their `password`; or, for a
    /// moderator, the account `userId`: its identities are deleted and the account stays
    /// disabled, its address taken (as Mobilizon does).
    async fn delete_account(
        &self,
        ctx: &Context<'_>,
        password: Option<String>,
        user_id: Option<ID>,
    ) -> GqlResult<DeletedObject> {
        if let Some(user_id) = user_id {
            let id = super::parse_id(&user_id, "userId")?;
            backend::users::administration::delete(app(ctx)?, &super::principal(ctx), id)
                .await
                .gql()?;
            return Ok(DeletedObject {
                id: Some(ID::from(id.to_string())),
            });
        }
        let current = current_user(ctx)?;
        users::delete_account(app(ctx)?, current, password.as_deref().unwrap_or(""))
            .await
            .gql()?;
        Ok(DeletedObject {
            id: Some(ID::from(current.id.to_string())),
        })
    }

    /// Time zone, notification choices and place; reminders already planned follow them.
    /// Mobilizon's weekly summary and membership notifications do not exist here: asking
    /// for them is refused rather than ignored.
    #[allow(clippy::too_many_arguments)]
    async fn set_user_settings(
        &self,
        ctx: &Context<'_>,
        timezone: Option<Timezone>,
        notification_on_day: Option<bool>,
        notification_before_event: Option<bool>,
        notification_pending_participation: Option<PendingNotification>,
        notification_each_week: Option<bool>,
        notification_pending_membership: Option<PendingNotification>,
        group_notifications: Option<PendingNotification>,
        location: Option<LocationInput>,
        #[graphql(desc = "Convive: a mail for each new report (moderators and administrators).")]
        notification_reports: Option<bool>,
    ) -> GqlResult<UserSettings> {
        let current = current_user(ctx)?;
        let user = backend::users::settings::set(
            app(ctx)?,
            current,
            backend::users::settings::SettingsChanges {
                timezone: timezone.map(|t| t.0),
                notification_on_day,
                notification_before_event,
                notification_pending_participation,
                location: location.map(|l| backend::users::settings::Location {
                    geohash: l.geohash,
                    name: l.name,
                    range: l.range,
                }),
                notification_each_week,
                notification_pending_membership,
                group_notifications,
                notification_new_report: notification_reports,
            },
        )
        .await
        .gql()?;
        Ok(UserSettings(user))
    }

    /// Changes the language of the caller's account (`en` or `fr`).
    async fn update_locale(&self, ctx: &Context<'_>, locale: String) -> GqlResult<User> {
        let current = current_user(ctx)?;
        Ok(User::from(
            users::set_locale(app(ctx)?, current, &locale).await.gql()?,
        ))
    }
}
