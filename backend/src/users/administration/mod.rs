//! Moderators and administrators look after accounts (Mobilizon's `adminUpdateUser`,
//! `deleteAccount(userId)`; they list and open accounts through `directory::users` and
//! `directory::user`): change an account's role, address, confirmation or whether it is disabled
//! ([`update`]), delete it ([`delete`]), and approve a registration that waits for it
//! ([`approve`]). Every change is written to the action log in its own transaction, and the
//! account hears of it by mail when the administrator says so (`notify`) or, for an approval,
//! always. Who may do what is in `policy`.

use entity::action_log::ActionLogAction;
use entity::actor;
use entity::user::{self, UserRole};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{admin_notices, email, policy, sessions};
use crate::action_log::{self, Object};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result, conflict_on_unique};
use crate::principal::Principal;

fn role_of(principal: &Principal) -> Option<UserRole> {
    match principal {
        Principal::User(user) => Some(user.role),
        Principal::System => Some(UserRole::Administrator),
        _ => None,
    }
}

fn own_account(principal: &Principal, id: i64) -> bool {
    principal.user().is_some_and(|u| u.id == id)
}

/// An administrator's changes to an account; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub email: Option<String>,
    pub role: Option<UserRole>,
    /// `true` confirms the address in the owner's stead; an account is never unconfirmed.
    pub confirmed: Option<bool>,
    /// Disabled, it cannot log in (its sessions end); enabled again, it can.
    pub disabled: Option<bool>,
    /// Whether the account is told by mail.
    pub notify: bool,
}

impl AccountChanges {
    fn is_empty(&self) -> bool {
        self.email.is_none()
            && self.role.is_none()
            && self.confirmed.is_none()
            && self.disabled.is_none()
    }
}

/// An administrator changes an account, all the changes or none.
pub async fn update(
    ctx: &AppContext,
    principal: &Principal,
    id: i64,
    changes: AccountChanges,
) -> Result<user::Model> {
    principal.require_known()?;
    if !policy::can_change_account(role_of(principal), own_account(principal, id)) {
        return Err(Error::forbidden(if own_account(principal, id) {
            "administrators change their own account in their settings"
        } else {
            "only administrators change accounts"
        }));
    }
    if changes.is_empty() {
        return Err(Error::invalid("id", "nothing to change"));
    }
    if changes.confirmed == Some(false) {
        return Err(Error::invalid(
            "confirmed",
            "an account cannot be unconfirmed",
        ));
    }
    let new_email = changes.email.as_deref().map(email::normalize).transpose()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "users", id).await?;
    let before = super::service::find(&tx, id).await?;
    let moderator = action_log::moderator_of(&tx, principal).await?;
    let mut row: user::ActiveModel = before.clone().into();
    let mut done: Vec<(ActionLogAction, Option<String>)> = Vec::new();
    if let Some(address) = new_email.filter(|a| *a != before.email) {
        row.email = Set(address);
        // A change the owner asked for is superseded.
        row.unconfirmed_email = Set(None);
        row.email_change_token_hash = Set(None);
        done.push((ActionLogAction::UserEmailChange, None));
    }
    if let Some(role) = changes.role.filter(|r| *r != before.role) {
        row.role = Set(role);
        // Says what the account became, the log's reason being free text.
        done.push((
            ActionLogAction::UserRoleChange,
            Some(role_code(role).to_owned()),
        ));
    }
    if changes.confirmed == Some(true) && before.confirmed_at.is_none() {
        row.confirmed_at = Set(Some(now));
        row.confirmation_token_hash = Set(None);
        done.push((ActionLogAction::UserConfirmation, None));
    }
    match changes.disabled {
        Some(true) if before.disabled_at.is_none() => {
            row.disabled_at = Set(Some(now));
            done.push((ActionLogAction::UserDisabling, None));
        }
        Some(false) if before.disabled_at.is_some() => {
            row.disabled_at = Set(None);
            done.push((ActionLogAction::UserEnabling, None));
        }
        _ => {}
    }
    if done.is_empty() {
        return Ok(before);
    }
    row.updated_at = Set(now);
    let after = row.update(&tx).await.map_err(|e| {
        conflict_on_unique(
            e,
            "email",
            "an account with this email address already exists",
        )
    })?;
    if after.disabled_at.is_some() || after.role != before.role {
        // A disabled account is logged out; a changed role applies from the next login.
        sessions::revoke_all(&tx, after.id, None, now).await?;
    }
    for (action, reason) in &done {
        let object = Object::user(&after);
        action_log::record(&tx, now, moderator, *action, object, reason.as_deref()).await?;
    }
    if changes.notify {
        let actions: Vec<ActionLogAction> = done.iter().map(|(a, _)| *a).collect();
        admin_notices::queue_changes(ctx, &tx, &before, &after, &actions, now).await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = after.id,
        changes = done.len(),
        "account changed by an administrator"
    );
    Ok(after)
}

pub fn role_code(role: UserRole) -> &'static str {
    match role {
        UserRole::User => "user",
        UserRole::Moderator => "moderator",
        UserRole::Administrator => "administrator",
    }
}

/// A moderator deletes an account (Mobilizon's `deleteAccount(userId)`): its identities are
/// deleted (other instances hear it), and the account stays disabled, so that its address
/// cannot register again. An account already deleted so is refused.
pub async fn delete(ctx: &AppContext, principal: &Principal, id: i64) -> Result<user::Model> {
    principal.require_known()?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "users", id).await?;
    let target = super::service::find(&tx, id).await?;
    if !policy::can_delete_account(role_of(principal), own_account(principal, id), target.role) {
        return Err(Error::forbidden(if own_account(principal, id) {
            "delete your own account with your password"
        } else {
            "this account cannot be deleted by you"
        }));
    }
    let identities = crate::actors::persons::of_user::identities(&tx, target.id).await?;
    if target.disabled_at.is_some() && identities.is_empty() {
        return Err(Error::rule(
            "user_already_disabled",
            "this account is already deleted",
        ));
    }
    // The moderator's own identity is looked up before anything is deleted.
    let moderator = action_log::moderator_of(&tx, principal).await?;
    for identity in &identities {
        // Their seats go to those waiting, as if they had left (see `users::delete_account`).
        crate::participations::leave::withdraw_from_upcoming(ctx, &tx, identity).await?;
        crate::outbox::actor_deleted(ctx, &tx, now, identity).await?;
    }
    actor::Entity::delete_many()
        .filter(actor::Column::UserId.eq(target.id))
        .filter(actor::Column::Kind.eq(actor::ActorKind::Person))
        .exec(&tx)
        .await?;
    let mut row: user::ActiveModel = target.into();
    row.disabled_at = Set(Some(now));
    row.default_actor_id = Set(None);
    row.awaiting_approval = Set(false);
    row.updated_at = Set(now);
    let target = row.update(&tx).await?;
    sessions::revoke_all(&tx, target.id, None, now).await?;
    let action = ActionLogAction::UserDeletion;
    action_log::record(&tx, now, moderator, action, Object::user(&target), None).await?;
    tx.commit().await?;
    tracing::info!(user_id = target.id, "account deleted by a moderator");
    Ok(target)
}

/// A moderator approves a registration that waited for it; the account is told by mail.
pub async fn approve(ctx: &AppContext, principal: &Principal, id: i64) -> Result<user::Model> {
    principal.require_known()?;
    if !policy::can_admit(role_of(principal)) {
        return Err(Error::forbidden("only moderators approve registrations"));
    }
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "users", id).await?;
    let target = super::service::find(&tx, id).await?;
    if !target.awaiting_approval {
        return Err(Error::rule(
            "not_awaiting_approval",
            "this account does not wait for an approval",
        ));
    }
    let moderator = action_log::moderator_of(&tx, principal).await?;
    let mut row: user::ActiveModel = target.into();
    row.awaiting_approval = Set(false);
    row.updated_at = Set(now);
    let target = row.update(&tx).await?;
    let action = ActionLogAction::UserApproval;
    action_log::record(&tx, now, moderator, action, Object::user(&target), None).await?;
    admin_notices::queue_approval(ctx, &tx, &target, now).await?;
    tx.commit().await?;
    tracing::info!(user_id = target.id, "registration approved");
    Ok(target)
}

#[cfg(test)]
mod tests;
