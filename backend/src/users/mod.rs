//! Local accounts: registration, confirmation, login sessions and tokens, passwords, deletion,
//! and the mail these send.

mod admin_notices;
pub mod administration;
pub mod browser;
pub mod email;
pub mod email_change;
mod jobs;
pub mod kept_logins;
pub mod notices;
pub mod password;
pub mod policy;
pub mod registration;
pub mod service;
pub mod sessions;
pub mod settings;
pub mod tokens;

use entity::user::{self, UserRole};

pub use jobs::{PurgeSessionsJob, PurgeUnconfirmedJob};
pub use service::{AdminAccountOptions, Login, NewAccount};

use crate::context::AppContext;
use crate::i18n::Locale;

/// The user a request speaks for, once authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentUser {
    pub id: i64,
    pub role: UserRole,
    pub session_id: i64,
    pub locale: Locale,
}

impl CurrentUser {
    pub fn from_model(user: &user::Model, session_id: i64, locale: Locale) -> Self {
        Self {
            id: user.id,
            role: user.role,
            session_id,
            locale,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == UserRole::Administrator
    }

    pub fn is_moderator(&self) -> bool {
        matches!(self.role, UserRole::Administrator | UserRole::Moderator)
    }
}

/// The language the account chose, or the instance's when it is no longer offered.
pub fn user_locale(ctx: &AppContext, user: &user::Model) -> Locale {
    Locale::parse(&user.locale).unwrap_or_else(|| ctx.file_default_locale())
}

#[cfg(test)]
mod tests;

/// Of these accounts, those a notification may be mailed to: confirmed and not disabled.
pub async fn reachable_by_mail(
    conn: &impl sea_orm::ConnectionTrait,
    ids: Vec<i64>,
) -> crate::error::Result<Vec<user::Model>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::DisabledAt.is_null())
        .filter(user::Column::ConfirmedAt.is_not_null())
        .all(conn)
        .await?)
}
