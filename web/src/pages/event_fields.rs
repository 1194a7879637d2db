//! The event form's fields as typed, and what they mean: a new event or changes (with the
//! form's local times read in the event's zone), or the fields of an event being edited.

use backend::events::{self, EventOptions, NewEvent};
use backend::i18n::Locale;
use chrono::{NaiveDateTime, TimeZone, Utc};
use entity::event::{self, EventStatus, EventVisibility, JoinOptions};
use serde::Deserialize;

use super::form_problems::Problems;
use super::i18n::t;
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
    /// How a new event repeats (`repeats::asked`): none, daily, weekly, monthly_nth,
    /// monthly_day or yearly, every `repeat_interval` periods, ending after `repeat_count`
    /// dates or on `repeat_until`, without the days listed in `repeat_except`.
    #[serde(default)]
    pub(super) repeats: String,
    #[serde(default)]
    pub(super) repeat_interval: String,
    #[serde(default)]
    pub(super) repeat_except: String,
    #[serde(default)]
    pub(super) repeat_count: String,
    #[serde(default)]
    pub(super) repeat_until: String,
    /// Which dates of a series an edit applies to (`apply_to`): this, following or all.
    #[serde(default)]
    pub(super) apply_to: String,
    /// The "show the dates" button: the form comes back with the dates, nothing is saved.
    #[serde(default)]
    pub(super) preview: String,
    /// Whether the form should first say what the start is in the organizer's own zone when
    /// the event's is another: `ask` from the form, `seen` once it did; absent from clients
    /// that post fields without the form.
    #[serde(default)]
    pub(super) zone_check: String,
}

pub(super) fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let value = String::deserialize(d)?;
    Ok(value == "on" || value == "true")
}

fn none_if_empty(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The form's fields, in their order on the page, for the list of problems.
pub(super) const FIELD_ORDER: &[&str] = &[
    "title",
    "description",
    "begins",
    "ends",
    "timezone",
    "repeats",
    "repeat_interval",
    "repeat_count",
    "repeat_until",
    "repeat_except",
    "apply_to",
    "group",
    "picture",
    "picture_alt",
    "place",
    "address",
    "online",
    "join",
    "external",
    "capacity",
    "visibility",
    "status",
    "category",
    "tags",
];

/// The form field of a field as the backend names it (Mobilizon's API names).
pub(super) fn form_field(api: &str) -> Option<&'static str> {
    Some(match api {
        "title" => "title",
        "description" => "description",
        "beginsOn" => "begins",
        "endsOn" => "ends",
        "options.timezone" => "timezone",
        "attributedToId" => "group",
        "picture" => "picture",
        "picture_alt" => "picture_alt",
        "physicalAddress.description" => "place",
        "physicalAddress.street"
        | "physicalAddress.postalCode"
        | "physicalAddress.locality"
        | "physicalAddress.region"
        | "physicalAddress.country"
        | "physicalAddress.geom"
        | "physicalAddress" => "address",
        "onlineAddress" => "online",
        "joinOptions" => "join",
        "externalParticipationUrl" => "external",
        "options.maximumAttendeeCapacity" => "capacity",
        "visibility" => "visibility",
        "status" => "status",
        "category" => "category",
        "tags" => "tags",
        "repeats" | "recurrence" | "recurrence.monthlyOn" | "recurrence.weekdays" => "repeats",
        "repeat_interval" | "recurrence.interval" => "repeat_interval",
        "repeat_count" | "recurrence.count" => "repeat_count",
        "repeat_until" | "recurrence.until" => "repeat_until",
        "repeat_except" | "recurrence.exceptions" => "repeat_except",
        _ => return None,
    })
}

/// The form's local date and time in its zone, as an instant; a problem's key otherwise.
pub(super) fn instant(
    raw: &str,
    zone: Option<chrono_tz::Tz>,
) -> Result<Option<chrono::DateTime<Utc>>, &'static str> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let local = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| "form-error-datetime")?;
    // Without a zone the time cannot be placed; the zone's own problem says why.
    let Some(tz) = zone else { return Ok(None) };
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or("form-error-time-skipped")
}

/// The form as a new event, or every problem with it at once: those of reading the form
/// here, and those the backend's checks of the fields find (the same checks the event's
/// creation makes again), each in the visitor's words.
pub(super) fn parsed(f: &EventFields, locale: Locale) -> Result<NewEvent, Problems> {
    let mut problems = Problems::default();
    let zone = match events::input::timezone(&f.timezone) {
        Ok(zone) => Some(zone),
        Err(err) => {
            problems.add_backend(locale, &err, form_field);
            None
        }
    };
    let mut when = |raw: &str, field: &'static str| match instant(raw, zone) {
        Ok(instant) => instant,
        Err(key) => {
            problems.add(field, t(locale, key));
            None
        }
    };
    let begins_on = when(&f.begins, "begins");
    let ends_on = when(&f.ends, "ends");
    if f.begins.trim().is_empty() {
        problems.add("begins", t(locale, "form-error-begins-missing"));
    }
    let capacity = match f.capacity.trim() {
        "" => None,
        n => match n.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.add("capacity", t(locale, "form-error-capacity"));
                None
            }
        },
    };
    let mut new = new_event(f, begins_on, ends_on, capacity);
    // Which names exist is the backend's to say; an unknown one is a problem of its field,
    // never read as public or free.
    match events::input::visibility(&f.visibility) {
        Ok(visibility) => new.visibility = visibility,
        Err(err) => problems.add_backend(locale, &err, form_field),
    }
    match events::input::join_options(&f.join) {
        Ok(join_options) => new.join_options = join_options,
        Err(err) => problems.add_backend(locale, &err, form_field),
    }
    let checked = events::input::check_fields(
        Some(&new.title),
        None,
        None,
        new.category.as_deref(),
        new.tags.as_deref(),
        None,
        new.online_address.as_deref(),
        new.external_participation_url.as_deref(),
        new.physical_address.as_ref(),
        new.options.maximum_attendee_capacity,
    );
    if let Err(err) = checked {
        problems.add_backend(locale, &err, form_field);
    }
    if let Some(begins_on) = begins_on
        && let Err(err) = events::input::dates(begins_on, ends_on)
    {
        problems.add_backend(locale, &err, form_field);
    }
    if new.join_options == Some(JoinOptions::External) && new.external_participation_url.is_none() {
        problems.add("external", t(locale, "form-error-external-needed"));
    }
    if problems.is_empty() {
        Ok(new)
    } else {
        Err(problems.sorted(FIELD_ORDER))
    }
}

fn new_event(
    f: &EventFields,
    begins_on: Option<chrono::DateTime<Utc>>,
    ends_on: Option<chrono::DateTime<Utc>>,
    capacity: Option<i32>,
) -> NewEvent {
    NewEvent {
        organizer_actor_id: None,
        attributed_to_id: f.group.trim().parse().ok(),
        title: f.title.clone(),
        // Markdown, made HTML by the backend, which keeps it as typed for the next edit.
        description: None,
        description_source: Some(f.description.clone()),
        begins_on,
        ends_on,
        status: Some(match f.status.as_str() {
            "tentative" => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        }),
        // Read by `parsed`, through the backend's names.
        visibility: None,
        join_options: None,
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
    }
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
        description: event
            .description_source
            .clone()
            .unwrap_or_else(|| events::description::source_of_html(&event.description)),
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
            JoinOptions::Invite => "invite",
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
            EventVisibility::Restricted => "restricted",
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
