//! Long events (Mobilizon's "activities"): events lasting more whole days than the instance's
//! `instance.duration_of_long_event`, which lists may then show apart. With that setting at 0
//! (the default) the mode is off and no event is long.

use chrono::{DateTime, Utc};
use entity::event;

/// Whether an event from `begins_on` to `ends_on` is long on an instance whose long events
/// last more than `duration_days` whole days: never without an end, or when the mode is off
/// (0), as Mobilizon counts.
pub fn lasts_long(
    begins_on: DateTime<Utc>,
    ends_on: Option<DateTime<Utc>>,
    duration_days: u32,
) -> bool {
    let Some(ends_on) = ends_on else {
        return false;
    };
    duration_days > 0 && (ends_on - begins_on).num_days() > i64::from(duration_days)
}

/// Whether `event` is long (see [`lasts_long`]).
pub fn is_long(event: &event::Model, duration_days: u32) -> bool {
    lasts_long(event.begins_on, event.ends_on, duration_days)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn long_at_30(days: Option<i64>, duration: u32) -> bool {
        let begins_on = Utc
            .with_ymd_and_hms(2026, 6, 1, 10, 0, 0)
            .single()
            .unwrap_or_default();
        lasts_long(
            begins_on,
            days.map(|d| begins_on + Duration::days(d)),
            duration,
        )
    }

    #[test]
    fn an_event_is_long_only_past_the_instances_duration_and_only_when_the_mode_is_on() {
        assert!(long_at_30(Some(31), 30));
        assert!(
            !long_at_30(Some(30), 30),
            "30 whole days is not more than 30"
        );
        assert!(!long_at_30(None, 30), "no end, never long");
        assert!(!long_at_30(Some(400), 0), "the mode is off");
    }
}
