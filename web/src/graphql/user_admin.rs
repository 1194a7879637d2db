//! Administering accounts with Mobilizon's names (`adminUpdateUser`, `dashboard`; the lists
//! are `users` and `user` in `directory`, and deletion is `deleteAccount(userId)` in `users`),
//! and Convive's own beside them: `approveRegistration`, `createInvitation`, and the
//! `RegistrationMode` of `config` and the admin settings. Rules live in `backend::users`.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use backend::users::administration::{self, AccountChanges};
use backend::users::registration::{self, RegistrationMode as Mode};
use chrono::{DateTime, Utc};
use entity::user::UserRole;

use super::errors::{GqlResult, IntoGql};
use super::objects::{Event, Group, User};
use super::{app, parse_id, principal};

/// Who may register (Convive's).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "RegistrationMode")]
pub enum RegistrationMode {
    /// Anyone.
    Open,
    /// Anyone, each new account approved by a moderator before it may log in.
    Approval,
    /// Only addresses of the allowlist's domains, or its addresses.
    Allowlist,
    /// Only with an invitation link from a moderator.
    Invitation,
    /// Nobody.
    Closed,
}

impl From<Mode> for RegistrationMode {
    fn from(mode: Mode) -> Self {
        match mode {
            Mode::Open => Self::Open,
            Mode::Approval => Self::Approval,
            Mode::Allowlist => Self::Allowlist,
            Mode::Invitation => Self::Invitation,
            Mode::Closed => Self::Closed,
        }
    }
}

impl From<RegistrationMode> for Mode {
    fn from(mode: RegistrationMode) -> Self {
        match mode {
            RegistrationMode::Open => Mode::Open,
            RegistrationMode::Approval => Mode::Approval,
            RegistrationMode::Allowlist => Mode::Allowlist,
            RegistrationMode::Invitation => Mode::Invitation,
            RegistrationMode::Closed => Mode::Closed,
        }
    }
}

#[derive(SimpleObject)]
pub struct Dashboard {
    last_public_event_published: Option<Event>,
    last_group_created: Option<Group>,
    number_of_users: u64,
    number_of_events: u64,
    number_of_comments: u64,
    number_of_groups: u64,
    /// Open reports.
    number_of_reports: u64,
    number_of_followers: u64,
    number_of_followings: u64,
    number_of_confirmed_participations_to_local_events: u64,
}

/// A link that lets one person register (Convive's).
#[derive(SimpleObject)]
pub struct Invitation {
    id: ID,
    /// The sign-up page with the invitation: shown once, only its hash is kept.
    url: String,
    expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct UserAdminQuery;

#[Object]
impl UserAdminQuery {
    /// The instance at a glance: for administrators.
    async fn dashboard(&self, ctx: &Context<'_>) -> GqlResult<Dashboard> {
        let d = backend::instance_dashboard::get(&app(ctx)?.db, &principal(ctx))
            .await
            .gql()?;
        Ok(Dashboard {
            last_public_event_published: d.last_public_event.map(Event),
            last_group_created: d.last_group.map(Group),
            number_of_users: d.users,
            number_of_events: d.events,
            number_of_comments: d.comments,
            number_of_groups: d.groups,
            number_of_reports: d.open_reports,
            number_of_followers: d.instance_followers,
            number_of_followings: d.instance_followings,
            number_of_confirmed_participations_to_local_events: d
                .confirmed_participations_to_local_events,
        })
    }
}

#[derive(Default)]
pub struct UserAdminMutation;

#[Object]
impl UserAdminMutation {
    /// An administrator changes another account: its address, role or confirmation (and,
    /// Convive's, whether it is disabled), telling it by mail when `notify`. Several changes
    /// at once are made together or not at all.
    #[allow(clippy::too_many_arguments)]
    async fn admin_update_user(
        &self,
        ctx: &Context<'_>,
        id: ID,
        email: Option<String>,
        role: Option<UserRole>,
        confirmed: Option<bool>,
        #[graphql(default = false)] notify: bool,
        #[graphql(desc = "Convive: a disabled account cannot log in; `false` enables it again.")]
        disabled: Option<bool>,
    ) -> GqlResult<User> {
        let id = parse_id(&id, "id")?;
        let changes = AccountChanges {
            email,
            role,
            confirmed,
            disabled,
            notify,
        };
        let user = administration::update(app(ctx)?, &principal(ctx), id, changes)
            .await
            .gql()?;
        Ok(User::from(user))
    }

    /// Convive: a moderator approves a registration that waits for it; the account is told.
    async fn approve_registration(&self, ctx: &Context<'_>, id: ID) -> GqlResult<User> {
        let id = parse_id(&id, "id")?;
        let user = administration::approve(app(ctx)?, &principal(ctx), id)
            .await
            .gql()?;
        Ok(User::from(user))
    }

    /// Convive: a moderator makes a link that lets one person register, whatever the mode
    /// but closed.
    async fn create_invitation(&self, ctx: &Context<'_>) -> GqlResult<Invitation> {
        let app = app(ctx)?;
        let made = registration::invite(app, &principal(ctx)).await.gql()?;
        Ok(Invitation {
            id: ID::from(made.invitation.id.to_string()),
            url: made.link(app),
            expires_at: made.invitation.expires_at,
        })
    }
}
