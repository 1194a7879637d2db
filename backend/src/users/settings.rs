//! A user's own settings (Mobilizon's `setUserSettings`): time zone and notification choices.
//! Changing them re-plans the user's reminders. Mobilizon's weekly summary and mails about
//! membership requests do not exist here, and news of one's groups is always mailed as it
//! comes: asking for anything else is refused rather than stored and ignored.

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
    /// Where the user looks for events; a location without a geohash clears it.
    pub location: Option<Location>,
    /// Mobilizon's weekly summary: only `false` is accepted.
    pub notification_each_week: Option<bool>,
    /// Mobilizon's mails about membership requests: only `None` is accepted.
    pub notification_pending_membership: Option<PendingNotification>,
    /// How news of one's groups is mailed: only `Direct` is accepted.
    pub group_notifications: Option<PendingNotification>,
    /// Convive: a moderator's mail for each new report (moderators and administrators only).
    pub notification_new_report: Option<bool>,
}

/// Refuses the notification choices this instance does not act on (see the module's doc).
fn check_supported(changes: &SettingsChanges) -> Result<()> {
    if changes.notification_each_week == Some(true) {
        return Err(Error::invalid(
            "notificationEachWeek",
            "weekly summaries are not sent by this instance",
        ));
    }
    if changes
        .notification_pending_membership
        .is_some_and(|p| p != PendingNotification::None)
    {
        return Err(Error::invalid(
            "notificationPendingMembership",
            "membership requests are not notified by mail on this instance",
        ));
    }
    if changes
        .group_notifications
        .is_some_and(|g| g != PendingNotification::Direct)
    {
        return Err(Error::invalid(
            "groupNotifications",
            "news of one's groups is always mailed as it comes on this instance",
        ));
    }
    Ok(())
}

/// A place to look for events around, as the user chose it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub geohash: Option<String>,
    pub name: Option<String>,
    /// Kilometres around the place.
    pub range: Option<i32>,
}

/// The longest range, in kilometres, that means something to a search around a place.
const MAX_RANGE_KM: i32 = 1000;

/// A checked location; `None` clears it.
fn checked_location(location: Location) -> Result<Option<Location>> {
    let Some(geohash) = location
        .geohash
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty())
    else {
        return Ok(None);
    };
    if geohash.len() > 12 || crate::search::decode_geohash(&geohash).is_none() {
        return Err(Error::invalid("location.geohash", "not a geohash"));
    }
    let name = location
        .name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if name.as_ref().is_some_and(|n| n.chars().count() > 255) {
        return Err(Error::invalid("location.name", "at most 255 characters"));
    }
    if let Some(range) = location.range
        && !(1..=MAX_RANGE_KM).contains(&range)
    {
        return Err(Error::invalid(
            "location.range",
            format!("expected between 1 and {MAX_RANGE_KM} km"),
        ));
    }
    Ok(Some(Location {
        geohash: Some(geohash),
        name,
        range: location.range,
    }))
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
    check_supported(&changes)?;
    if changes.notification_new_report.is_some() && !current.is_moderator() {
        // Only moderators are mailed for reports: a choice nobody acts on is not kept.
        return Err(Error::invalid(
            "notificationReports",
            "only moderators and administrators are mailed for new reports",
        ));
    }
    let timezone = changes
        .timezone
        .as_deref()
        .map(parse_timezone)
        .transpose()?;
    let location = changes.location.map(checked_location).transpose()?;
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
    if let Some(on) = changes.notification_new_report {
        active.notification_new_report = Set(on);
    }
    if let Some(location) = location {
        let location = location.unwrap_or_default();
        active.location_geohash = Set(location.geohash);
        active.location_name = Set(location.name);
        active.location_range = Set(location.range);
    }
    active.updated_at = Set(ctx.now());
    let user = active.update(&tx).await?;
    if reminders_change {
        crate::participations::reminders::replan_user(ctx, &tx, user.id).await?;
    }
    tx.commit().await?;
    Ok(user)
}

#[cfg(test)]
mod location_tests {
    use super::*;

    #[test]
    fn notification_choices_this_instance_does_not_act_on_are_refused_and_the_others_pass() {
        let refused = [
            SettingsChanges {
                notification_each_week: Some(true),
                ..SettingsChanges::default()
            },
            SettingsChanges {
                notification_pending_membership: Some(PendingNotification::OneDay),
                ..SettingsChanges::default()
            },
            SettingsChanges {
                group_notifications: Some(PendingNotification::OneHour),
                ..SettingsChanges::default()
            },
        ];
        for (changes, field) in refused.into_iter().zip([
            "notificationEachWeek",
            "notificationPendingMembership",
            "groupNotifications",
        ]) {
            let err = check_supported(&changes).expect_err(field);
            assert_eq!(err.code(), "invalid");
            assert!(format!("{err:?}").contains(field), "{err:?}");
        }
        let accepted = SettingsChanges {
            notification_each_week: Some(false),
            notification_pending_membership: Some(PendingNotification::None),
            group_notifications: Some(PendingNotification::Direct),
            ..SettingsChanges::default()
        };
        assert!(check_supported(&accepted).is_ok());
    }

    #[test]
    fn a_location_is_checked_and_one_without_a_geohash_clears_it() {
        let paris = Location {
            geohash: Some(" u09tvw ".to_owned()),
            name: Some("Paris".to_owned()),
            range: Some(25),
        };
        assert_eq!(
            checked_location(paris).unwrap().unwrap().geohash.as_deref(),
            Some("u09tvw")
        );
        assert_eq!(checked_location(Location::default()).unwrap(), None);
        for bad in [
            Location {
                geohash: Some("not a hash!".to_owned()),
                ..Location::default()
            },
            Location {
                geohash: Some("u09tvw".to_owned()),
                range: Some(0),
                ..Location::default()
            },
        ] {
            assert!(checked_location(bad).is_err());
        }
    }
}
