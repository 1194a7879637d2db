//! A user's own settings (Mobilizon's `setUserSettings`): time zone and notification choices.
//! Changing them re-plans the user's reminders.

use entity::user::{self, PendingNotification};
use sea_orm::{ActiveModelTrait, Set};

use super::CurrentUser;
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};

/// Fields left `None` stay as they are.
#[derive(Debug, Clone, Default)]
pub struct SettingsChanges {
    /// An IANA zone name; an empty string clears it.
    pub timezone: Option<String>,
    pub notification_on_day: Option<bool>,
    pub notification_before_event: Option<bool>,
    pub notification_pending_participation: Option<PendingNotification>,
}

pub fn parse_timezone(raw: &str) -> Result<Option<String>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<chrono_tz::Tz>()
        .map(|tz| Some(tz.name().to_owned()))
        .map_err(|_| {
            Error::invalid(
                "timezone",
                format!("\"{raw}\" is not a time zone name (such as Europe/Paris)"),
            )
        })
}

pub async fn set(
    ctx: &AppContext,
    current: &CurrentUser,
    changes: SettingsChanges,
) -> Result<user::Model> {
    let timezone = changes
        .timezone
        .as_deref()
        .map(parse_timezone)
        .transpose()?;
    let tx = begin_write(ctx).await?;
    let user = super::service::find(&tx, current.id).await?;
    let mut active: user::ActiveModel = user.clone().into();
    let mut reminders_change = false;
    if let Some(tz) = timezone
        && tz != user.timezone
    {
        active.timezone = Set(tz);
        reminders_change = true;
    }
    if let Some(on) = changes.notification_on_day
        && on != user.notification_on_day
    {
        active.notification_on_day = Set(on);
        reminders_change = true;
    }
    if let Some(on) = changes.notification_before_event
        && on != user.notification_before_event
    {
        active.notification_before_event = Set(on);
        reminders_change = true;
    }
    if let Some(pending) = changes.notification_pending_participation {
        active.notification_pending_participation = Set(pending);
    }
    active.updated_at = Set(ctx.now());
    let user = active.update(&tx).await?;
    if reminders_change {
        crate::participations::reminders::replan_user(ctx, &tx, user.id).await?;
    }
    tx.commit().await?;
    Ok(user)
}
