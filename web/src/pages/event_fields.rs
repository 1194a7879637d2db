//! The event form's fields as typed, and what they mean: a new event or changes (with the
//! form's local times read in the event's zone), or the fields of an event being edited.

use backend::events::{self, EventOptions, NewEvent};
use chrono::{NaiveDateTime, TimeZone, Utc};
use entity::event::{self, EventStatus, EventVisibility, JoinOptions};
use serde::Deserialize;

use super::place_fields::PlaceFields;

/// The event form's fields, as typed (so a refused form comes back as it was).
#[derive(Deserialize, Default, Clone)]
pub struct EventFields {
    #[serde(default)]
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) begins: String,
    #[serde(default)]
    pub(super) ends: String,
    #[serde(default)]
    pub(super) timezone: String,
    #[serde(default)]
    pub(super) group: String,
    /// Where: the place's name and its address, looked up (`place_fields`).
    #[serde(flatten)]
    pub(super) at: PlaceFields,
    #[serde(default)]
    pub(super) online: String,
    #[serde(default)]
    pub(super) join: String,
    #[serde(default)]
    pub(super) external: String,
    #[serde(default)]
    pub(super) capacity: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub(super) anonymous: bool,
    #[serde(default, deserialize_with = "checkbox")]
    pub(super) show_remaining: bool,
    #[serde(default, deserialize_with = "checkbox")]
    pub(super) hide_count: bool,
    /// A full event puts newcomers on its waitlist (ticked on a blank form).
    #[serde(default, deserialize_with = "checkbox")]
    pub(super) waitlist: bool,
    #[serde(default)]
    pub(super) visibility: String,
    #[serde(default)]
    pub(super) status: String,
    #[serde(default)]
    pub(super) category: String,
    #[serde(default)]
    pub(super) tags: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub(super) draft: bool,
    /// The description of the picture chosen in the file input `picture`.
    #[serde(default)]
    pub(super) picture_alt: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub(super) remove_picture: bool,
}

pub(super) fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let value = String::deserialize(d)?;
    Ok(value == "on" || value == "true")
}

fn none_if_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Plain text typed in the form becomes paragraphs; HTML is kept (the backend sanitizes it).
fn description_html(raw: &str) -> String {
    if raw.contains('<') {
        return raw.to_owned();
    }
    raw.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let escaped = p
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('\n', "<br>");
            format!("<p>{escaped}</p>")
        })
        .collect()
}

/// The form's local date and time in its zone, as an instant.
fn instant(raw: &str, zone: &str, field: &str) -> backend::Result<Option<chrono::DateTime<Utc>>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let tz = events::input::timezone(zone)?;
    let local = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| backend::Error::invalid(field, "expected a date and a time"))?;
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(|| backend::Error::invalid(field, "this time does not exist in this zone"))
}

pub(super) fn parsed(f: &EventFields) -> backend::Result<NewEvent> {
    let begins_on = instant(&f.begins, &f.timezone, "beginsOn")?;
    let ends_on = instant(&f.ends, &f.timezone, "endsOn")?;
    let capacity = match f.capacity.trim() {
        "" => None,
        n => Some(n.parse::<i32>().map_err(|_| {
            backend::Error::invalid("options.maximumAttendeeCapacity", "expected a number")
        })?),
    };
    Ok(NewEvent {
        organizer_actor_id: None,
        attributed_to_id: f.group.trim().parse().ok(),
        title: f.title.clone(),
        description: Some(description_html(&f.description)),
        begins_on,
        ends_on,
        status: Some(match f.status.as_str() {
            "tentative" => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        }),
        visibility: Some(match f.visibility.as_str() {
            "unlisted" => EventVisibility::Unlisted,
            "private" => EventVisibility::Private,
            _ => EventVisibility::Public,
        }),
        join_options: Some(match f.join.as_str() {
            "restricted" => JoinOptions::Restricted,
            "external" => JoinOptions::External,
            _ => JoinOptions::Free,
        }),
        external_participation_url: none_if_empty(&f.external),
        draft: Some(f.draft),
        category: none_if_empty(&f.category),
        tags: Some(
            f.tags
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        language: None,
        online_address: Some(f.online.trim().to_owned()),
        physical_address: f.at.address_input(),
        options: EventOptions {
            maximum_attendee_capacity: capacity.or(Some(0)),
            show_remaining_attendee_capacity: Some(f.show_remaining),
            anonymous_participation: Some(f.anonymous),
            hide_number_of_participants: Some(f.hide_count),
            timezone: Some(f.timezone.clone()),
            waitlist: Some(f.waitlist),
        },
    })
}

pub(super) fn fields_of(
    event: &event::Model,
    address: Option<&entity::address::Model>,
    tags: Vec<String>,
) -> EventFields {
    let tz = events::timezone(event);
    let local =
        |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%dT%H:%M").to_string();
    EventFields {
        title: event.title.clone(),
        description: event.description.clone(),
        begins: local(event.begins_on),
        ends: event.ends_on.map(local).unwrap_or_default(),
        timezone: event.timezone.clone(),
        group: event
            .attributed_to_id
            .map(|g| g.to_string())
            .unwrap_or_default(),
        at: PlaceFields::of(address),
        online: event.online_address.clone().unwrap_or_default(),
        join: match event.join_options {
            JoinOptions::Free => "free",
            JoinOptions::Restricted => "restricted",
            JoinOptions::External => "external",
        }
        .to_owned(),
        external: event.external_participation_url.clone().unwrap_or_default(),
        capacity: event
            .maximum_attendee_capacity
            .map(|c| c.to_string())
            .unwrap_or_default(),
        anonymous: event.anonymous_participation,
        show_remaining: event.show_remaining_attendee_capacity,
        hide_count: event.hide_number_of_participants,
        waitlist: event.waitlist,
        visibility: match event.visibility {
            EventVisibility::Public => "public",
            EventVisibility::Unlisted => "unlisted",
            EventVisibility::Private => "private",
        }
        .to_owned(),
        status: match event.status {
            EventStatus::Tentative => "tentative",
            _ => "confirmed",
        }
        .to_owned(),
        category: event.category.clone().unwrap_or_default(),
        tags: tags.join(", "),
        draft: event.draft,
        ..EventFields::default()
    }
}
