//! Our events as `Event` objects, and `Event` objects of others as backend's `RemoteEvent`.

use backend::AppContext;
use backend::addresses::Place;
use backend::events::details::CommentModeration;
use backend::events::federated::RemoteEvent;
use chrono::{DateTime, FixedOffset, Utc};
use entity::address;
use entity::event::{self, EventStatus, EventVisibility, JoinOptions};
use sea_orm::ConnectionTrait;
use url::Url;

use crate::error::Result;
use crate::protocol::PUBLIC;
use crate::protocol::event::{
    ActorsCollection, ActorsCollectionType, Address, Event, EventType, Location, PostalAddress, Tag,
};
use crate::protocol::image::{Attachment, BANNER_NAME, ImageType, Link};

fn status_name(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Tentative => "TENTATIVE",
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
    }
}

/// What Mastodon shows under the title, since it ignores the event fields: when (with the
/// zone), where, and the status when it is not simply confirmed.
pub fn summary(ctx: &AppContext, event: &event::Model, place: Option<&address::Model>) -> String {
    let locale = ctx.file_default_locale();
    let mut parts = vec![format!(
        "🗓️ {}",
        backend::events::notices::format_when(locale, event)
    )];
    if let Some(place) = place {
        parts.push(format!("📍 {}", backend::addresses::one_line(place)));
    }
    if let Some(online) = &event.online_address {
        parts.push(format!("🌐 {online}"));
    }
    match event.status {
        EventStatus::Cancelled => parts.push("❌ Cancelled".to_owned()),
        EventStatus::Tentative => parts.push("❔ Tentative".to_owned()),
        EventStatus::Confirmed => {}
    }
    parts.join("\n")
}

fn in_zone(at: DateTime<Utc>, tz: chrono_tz::Tz) -> DateTime<FixedOffset> {
    at.with_timezone(&tz).fixed_offset()
}

/// The followers collections that see an event: its organizer's and its group's.
pub fn audience(
    organizer: &entity::actor::Model,
    group: Option<&entity::actor::Model>,
) -> Vec<Url> {
    [Some(organizer), group]
        .into_iter()
        .flatten()
        .filter_map(|a| a.followers_url.as_deref())
        .filter_map(|u| Url::parse(u).ok())
        .collect()
}

/// `to` and `cc` of an event's document. Restricted and private events never leave the
/// instance (`backend::events::policy::federates`; Mobilizon too serves and sends only public
/// and unlisted ones): should one be written, it names no public collection, and so reads back
/// as private, which no instance keeps.
fn addressing(
    visibility: EventVisibility,
    public: Url,
    followers: Vec<Url>,
) -> (Vec<Url>, Vec<Url>) {
    match visibility {
        EventVisibility::Public => (vec![public], followers),
        EventVisibility::Unlisted => (followers, vec![public]),
        EventVisibility::Restricted | EventVisibility::Private => (followers, Vec::new()),
    }
}

/// Mobilizon's `joinMode`, its join options' names.
fn join_mode(join_options: JoinOptions) -> &'static str {
    match join_options {
        JoinOptions::Free => "free",
        JoinOptions::Restricted => "restricted",
        JoinOptions::Invite => "invite",
        JoinOptions::External => "external",
    }
}

/// The join options a `joinMode` names; free when it names none we know (Gancio sends none).
fn join_options_of(join_mode: Option<&str>) -> JoinOptions {
    match join_mode {
        Some("restricted") => JoinOptions::Restricted,
        Some("invite") => JoinOptions::Invite,
        Some("external") => JoinOptions::External,
        _ => JoinOptions::Free,
    }
}

/// The `Event` document of a local event, read through `conn`: give it the snapshot the event
/// was read from (`backend::db::begin_snapshot`), or a change committed between the reads (a
/// place removed, say) makes the document fail or mix two versions of the event.
pub async fn to_json(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<Event> {
    let organizer = backend::actors::find(conn, event.organizer_actor_id).await?;
    let group = match event.attributed_to_id {
        Some(id) => Some(backend::actors::find(conn, id).await?),
        None => None,
    };
    let place = match event.physical_address_id {
        Some(id) => Some(backend::addresses::find(conn, id).await?),
        None => None,
    };
    let tags = backend::events::tags::for_events(conn, &[event.id])
        .await?
        .remove(&event.id)
        .unwrap_or_default();
    let stats = backend::events::participant_stats(conn, &[event.id])
        .await?
        .remove(&event.id)
        .unwrap_or_default();
    let tz = backend::events::timezone(event);
    let id = Url::parse(&event.ap_id)?;
    let organizer_id = Url::parse(&organizer.ap_id)?;
    let attributed_to = match &group {
        Some(group) => Url::parse(&group.ap_id)?,
        None => organizer_id.clone(),
    };
    let followers = audience(&organizer, group.as_ref());
    let (to, cc) = addressing(event.visibility, Url::parse(PUBLIC)?, followers);
    let mut location = Vec::new();
    if let Some(place) = &place {
        location.push(Location {
            kind: Some("Place".to_owned()),
            id: None,
            name: place.description.clone(),
            address: Some(Address::Postal(PostalAddress {
                kind: Some("PostalAddress".to_owned()),
                street_address: place.street.clone(),
                postal_code: place.postal_code.clone(),
                address_locality: place.locality.clone(),
                address_region: place.region.clone(),
                address_country: place.country.clone(),
            })),
            latitude: place.latitude,
            longitude: place.longitude,
            url: None,
        });
    }
    let online = event
        .online_address
        .as_deref()
        .and_then(|u| Url::parse(u).ok());
    if let Some(online) = &online {
        location.push(Location::online(online.clone()));
    }
    let details = backend::events::details::of(event);
    let moderation = details.comment_moderation;
    // FEP-8a8e's organizers: the group, and the person unless the group hides them.
    let organizers: Vec<Url> = match &group {
        Some(group) if details.hide_organizer_when_group_event => {
            vec![Url::parse(&group.ap_id)?]
        }
        Some(group) => vec![Url::parse(&group.ap_id)?, organizer_id.clone()],
        None => vec![organizer_id.clone()],
    };
    let tag_base = ctx.url("/tags/");
    let remaining = if event.show_remaining_attendee_capacity {
        backend::events::remaining_seats(event, &stats).and_then(|n| i64::try_from(n).ok())
    } else {
        None
    };
    Ok(Event {
        kind: EventType::Event,
        url: Some(Url::parse(&event.url)?),
        uuid: Some(event.uuid.clone()),
        name: event.title.clone(),
        content: Some(event.description.clone()),
        media_type: Some("text/html".to_owned()),
        summary: Some(summary(ctx, event, place.as_ref())),
        start_time: in_zone(event.begins_on, tz),
        end_time: event.ends_on.map(|e| in_zone(e, tz)),
        timezone: Some(tz.name().to_owned()),
        published: event.published_at.map(|p| p.fixed_offset()),
        updated: Some(event.updated_at.fixed_offset()),
        actor: Some(organizer_id),
        attributed_to: Some(attributed_to),
        to,
        cc,
        category: event.category.clone(),
        tag: tags
            .into_iter()
            .map(|t| Tag {
                kind: Some("Hashtag".to_owned()),
                href: Some(format!("{tag_base}{}", t.slug)),
                name: format!("#{}", t.title),
            })
            .collect(),
        join_mode: Some(join_mode(event.join_options).to_owned()),
        external_participation_url: event
            .external_participation_url
            .as_deref()
            .and_then(|u| Url::parse(u).ok()),
        maximum_attendee_capacity: event.maximum_attendee_capacity.map(i64::from),
        remaining_attendee_capacity: remaining,
        participant_count: if event.hide_number_of_participants {
            None
        } else {
            i64::try_from(stats.participant).ok()
        },
        organizers: Some(ActorsCollection {
            kind: ActorsCollectionType::Collection,
            total_items: Some(organizers.len() as u64),
            items: organizers,
        }),
        attendees: (!event.hide_number_of_participants).then(|| ActorsCollection {
            kind: ActorsCollectionType::Collection,
            total_items: Some(stats.going),
            items: Vec::new(),
        }),
        display_end_time: Some(event.ends_on.is_some()),
        replies_moderation_option: Some(
            match moderation {
                None | Some(CommentModeration::AllowAll) => "allow_all",
                Some(CommentModeration::Moderated) => "moderated",
                Some(CommentModeration::Closed) => "closed",
            }
            .to_owned(),
        ),
        comments_enabled: Some(
            !backend::events::is_cancelled(event)
                && backend::comments::policy::open_to_everyone(moderation),
        ),
        replies: Some(Url::parse(&format!("{}/replies", event.ap_id))?),
        anonymous_participation_enabled: Some(event.anonymous_participation),
        draft: Some(event.draft),
        status: Some(status_name(event.status).to_owned()),
        ical_status: Some(status_name(event.status).to_owned()),
        event_status: Some(
            match event.status {
                EventStatus::Cancelled => "https://schema.org/EventCancelled",
                _ => "https://schema.org/EventScheduled",
            }
            .to_owned(),
        ),
        in_language: event.language.clone(),
        // What the organizer said (`options.isOnline`), or what the event shows: an online
        // address and no place.
        is_online: Some(event.is_online || (online.is_some() && place.is_none())),
        location,
        attachment: crate::objects::image::ours(
            ctx,
            conn,
            event.picture_media_id,
            ImageType::Document,
            Some(BANNER_NAME),
        )
        .await?
        .map(Attachment::Image)
        .into_iter()
        // Where Mobilizon reads the online address (it ignores `VirtualLocation`).
        .chain(
            online
                .clone()
                .map(|u| Attachment::Link(Link::online_address(u))),
        )
        .collect(),
        image: None,
        series: match event.series_id {
            Some(series_id) => Some(series_url(ctx, conn, series_id).await?),
            None => None,
        },
        id,
    })
}

/// The address of a local series (`/series/{uuid}`, which leads to its next date).
async fn series_url(ctx: &AppContext, conn: &impl ConnectionTrait, series_id: i64) -> Result<Url> {
    let series = backend::series::find(conn, series_id).await?;
    Ok(Url::parse(&ctx.url(&format!("/series/{}", series.uuid)))?)
}

fn place_of(location: &Location) -> Place {
    let mut place = Place {
        description: location.name.clone(),
        latitude: location.latitude,
        longitude: location.longitude,
        ..Place::default()
    };
    match &location.address {
        Some(Address::Postal(a)) => {
            place.street = a.street_address.clone();
            place.postal_code = a.postal_code.clone();
            place.locality = a.address_locality.clone();
            place.region = a.address_region.clone();
            place.country = a.address_country.clone();
        }
        Some(Address::Text(text)) => {
            if place.description.is_none() {
                place.description = Some(text.clone());
            } else {
                place.street = Some(text.clone());
            }
        }
        // An online place is not a place (`to_remote` reads it as the online address).
        Some(Address::Virtual(_)) | None => {}
    }
    place.street = place
        .street
        .and_then(|street| beyond_name(place.description.as_deref(), street));
    place
}

/// `street` without the place's name when it starts by repeating it (Gancio writes the
/// address "Piazza Castello, Torino" beside the name "Piazza Castello", which pages would show
/// as "Piazza Castello, Piazza Castello, Torino"): what follows, or nothing when it was all.
/// A name followed by more of the same part ("Via Roma 12") is kept whole.
fn beyond_name(name: Option<&str>, street: String) -> Option<String> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Some(street);
    };
    let trimmed = street.trim();
    let head = trimmed.get(..name.len()).unwrap_or_default();
    if head.to_lowercase() != name.to_lowercase() {
        return Some(street);
    }
    let rest = trimmed[name.len()..].trim_start();
    match rest.strip_prefix([',', ';']) {
        Some(after) => Some(after.trim().to_owned()).filter(|a| !a.is_empty()),
        None if rest.is_empty() => None,
        None => Some(street),
    }
}

/// What an event's addressing says of its visibility (Mobilizon reads `to` alone: public or
/// unlisted, as it sends nothing else).
fn visibility_of(to: &[Url], cc: &[Url]) -> EventVisibility {
    if to.iter().any(|u| u.as_str() == PUBLIC) {
        EventVisibility::Public
    } else if cc.iter().any(|u| u.as_str() == PUBLIC) {
        EventVisibility::Unlisted
    } else {
        EventVisibility::Private
    }
}

/// An `Event` from another instance, for backend to store. The caller resolved its organizer
/// and group to actor rows, and read the zone its instance declares (for events without one).
pub fn to_remote(
    json: &Event,
    organizer_actor_id: i64,
    attributed_to_id: Option<i64>,
    instance_zone: Option<&str>,
) -> Result<RemoteEvent> {
    // Whether a private one is kept is backend's to say (`federated::receive`).
    let visibility = visibility_of(&json.to, &json.cc);
    let status = match json.status().as_deref() {
        Some("CANCELLED") => EventStatus::Cancelled,
        Some("TENTATIVE") => EventStatus::Tentative,
        _ if json
            .event_status
            .as_deref()
            .is_some_and(|s| s.ends_with("EventCancelled")) =>
        {
            EventStatus::Cancelled
        }
        _ => EventStatus::Confirmed,
    };
    let physical = json.location.iter().find(|l| !l.is_virtual());
    // FEP-8a8e's `VirtualLocation` (Gancio's `address.url` too), else Mobilizon's link.
    let online = json
        .location
        .iter()
        .find_map(Location::online_url)
        .or_else(|| {
            json.attachment.iter().find_map(|a| match a {
                Attachment::Link(link) if link.is_online_address() => Some(&link.href),
                _ => None,
            })
        })
        .map(Url::to_string);
    Ok(RemoteEvent {
        ap_id: json.id.to_string(),
        url: json.url.as_ref().unwrap_or(&json.id).to_string(),
        title: json.name.clone(),
        description: json.content.clone().unwrap_or_default(),
        begins_on: json.start_time.with_timezone(&Utc),
        ends_on: json.end_time.map(|e| e.with_timezone(&Utc)),
        timezone: backend::events::federated::zone_for(
            json.timezone.as_deref(),
            instance_zone,
            json.start_time,
        ),
        status,
        visibility,
        join_options: join_options_of(json.join_mode.as_deref()),
        external_participation_url: json.external_participation_url.as_ref().map(Url::to_string),
        category: json.category.clone(),
        language: json.in_language.clone(),
        online_address: online,
        place: physical.map(place_of),
        maximum_attendee_capacity: json
            .maximum_attendee_capacity
            .and_then(|c| i32::try_from(c).ok()),
        anonymous_participation: json.anonymous_participation_enabled.unwrap_or(false),
        is_online: json.is_online.unwrap_or(false),
        organizer_actor_id,
        attributed_to_id,
        tags: json.tag.iter().map(|t| t.name.clone()).collect(),
        published_at: json.published.map(|p| p.with_timezone(&Utc)),
        updated_at: json.updated.map(|u| u.with_timezone(&Utc)),
        picture: crate::objects::image::theirs(json.banner()),
        series_url: json.series.as_ref().map(Url::to_string),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]
    use super::*;

    fn fixture(name: &str) -> serde_json::Value {
        let path = format!("{}/fixtures/activitypub/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
    }

    #[test]
    fn a_mobilizon_5_event_becomes_a_public_remote_event_with_its_place_and_tags() {
        let json: Event = serde_json::from_value(
            fixture("mobilizon5-event-create.synthesized.json")["object"].clone(),
        )
        .unwrap();
        let remote = to_remote(&json, 7, Some(8), None).unwrap();
        assert_eq!(remote.visibility, EventVisibility::Public);
        assert_eq!(remote.status, EventStatus::Confirmed);
        assert_eq!(remote.join_options, JoinOptions::Restricted);
        assert_eq!(remote.begins_on.to_rfc3339(), "2025-04-12T12:00:00+00:00");
        assert_eq!(remote.timezone.as_deref(), Some("Europe/Paris"));
        let place = remote.place.unwrap();
        assert_eq!(place.locality.as_deref(), Some("Lyon"));
        assert_eq!(place.description.as_deref(), Some("Locaux de Framasoft"));
        assert_eq!(remote.tags, vec!["#repair".to_owned()]);
        assert_eq!(remote.maximum_attendee_capacity, Some(40));
        assert_eq!(remote.attributed_to_id, Some(8));
    }

    fn gancio_1_21(name: &str) -> Event {
        serde_json::from_value(fixture(&format!("gancio-1.21/{name}"))["object"].clone()).unwrap()
    }

    #[test]
    fn a_gancio_event_keeps_its_wall_time_in_its_instances_zone_or_at_its_offset() {
        // "2027-03-20T19:00:00.000+01:00", and no `timezone`.
        let json = gancio_1_21("gancio-create-event.json");
        let local = |remote: &RemoteEvent| {
            let tz: chrono_tz::Tz = remote.timezone.as_deref().unwrap().parse().unwrap();
            remote
                .begins_on
                .with_timezone(&tz)
                .format("%H:%M")
                .to_string()
        };
        let remote = to_remote(&json, 1, None, Some("Europe/Rome")).unwrap();
        assert_eq!(remote.timezone.as_deref(), Some("Europe/Rome"));
        assert_eq!(remote.begins_on.to_rfc3339(), "2027-03-20T18:00:00+00:00");
        assert_eq!(local(&remote), "19:00");
        // Without NodeInfo's zone, the offset it was written with.
        let remote = to_remote(&json, 1, None, None).unwrap();
        assert_eq!(remote.timezone.as_deref(), Some("Etc/GMT-1"));
        assert_eq!(local(&remote), "19:00");
        assert_eq!(
            remote.ends_on.map(|e| e.to_rfc3339()).as_deref(),
            Some("2027-03-20T21:00:00+00:00")
        );
        // Its place: a text address beside the name (which it repeats), and coordinates.
        let place = remote.place.unwrap();
        assert_eq!(place.description.as_deref(), Some("Piazza Castello"));
        assert_eq!(place.street.as_deref(), Some("Torino"));
        assert_eq!(place.latitude, Some(45.0712));
        assert_eq!(
            remote.tags,
            vec!["#bike".to_owned(), "#criticalmass".to_owned()]
        );
    }

    #[test]
    fn an_address_repeating_its_places_name_first_loses_only_the_repetition() {
        let name = Some("Piazza Castello");
        for (street, kept) in [
            ("Piazza Castello, Torino", Some("Torino")),
            ("piazza castello ; Torino", Some("Torino")),
            ("Piazza Castello", None),
            ("Piazza Castello, ", None),
            (
                "Piazza Castello 12, Torino",
                Some("Piazza Castello 12, Torino"),
            ),
            ("Via Roma 1, Torino", Some("Via Roma 1, Torino")),
            ("Piazza", Some("Piazza")),
        ] {
            assert_eq!(
                beyond_name(name, street.to_owned()).as_deref(),
                kept,
                "{street}"
            );
        }
        assert_eq!(
            beyond_name(None, "Torino".to_owned()).as_deref(),
            Some("Torino")
        );
        // Names that are not cut at a character's boundary are compared safely.
        assert_eq!(
            beyond_name(Some("Café"), "Caf, Lyon".to_owned()).as_deref(),
            Some("Caf, Lyon")
        );
    }

    #[test]
    fn a_gancio_online_event_has_its_online_address_and_no_place() {
        let json = gancio_1_21("gancio-delete-event.json");
        let remote = to_remote(&json, 1, None, None).unwrap();
        assert_eq!(
            remote.online_address.as_deref(),
            Some("https://meet.example.org/bikemap")
        );
        assert!(remote.place.is_none());
        assert_eq!(remote.timezone.as_deref(), Some("Etc/GMT-2"));
    }

    #[test]
    fn an_online_address_is_read_where_gancio_and_mobilizon_write_it() {
        let mut json = gancio_1_21("gancio-delete-event.json");
        // Gancio reads (and so may write) it in `location.address.url`.
        json.location = vec![Location {
            kind: Some("Place".to_owned()),
            address: Some(Address::Virtual(crate::protocol::event::VirtualAddress {
                kind: crate::protocol::event::VirtualLocationType::VirtualLocation,
                url: Url::parse("https://meet.example.org/other").unwrap(),
            })),
            ..Location::online(Url::parse("https://unused.example").unwrap())
        }];
        json.location[0].url = None;
        let remote = to_remote(&json, 1, None, None).unwrap();
        assert_eq!(
            remote.online_address.as_deref(),
            Some("https://meet.example.org/other")
        );
        assert!(remote.place.is_none());
        // Mobilizon: a link named "Website" among the attachments.
        json.location.clear();
        json.attachment = vec![Attachment::Link(Link::online_address(
            Url::parse("https://meet.example.org/mobilizon").unwrap(),
        ))];
        let remote = to_remote(&json, 1, None, None).unwrap();
        assert_eq!(
            remote.online_address.as_deref(),
            Some("https://meet.example.org/mobilizon")
        );
    }

    #[test]
    fn a_gancio_event_without_status_or_join_mode_is_a_free_confirmed_event() {
        let json: Event =
            serde_json::from_value(fixture("gancio-event-activity.json")["object"].clone())
                .unwrap();
        let remote = to_remote(&json, 1, None, None).unwrap();
        assert_eq!(remote.status, EventStatus::Confirmed);
        assert_eq!(remote.join_options, JoinOptions::Free);
        assert_eq!(remote.url, "https://demo.gancio.org/event/demo-event");
        assert_eq!(
            remote.place.unwrap().description.as_deref(),
            Some("Colosseo")
        );
    }

    #[test]
    fn every_join_option_travels_as_mobilizons_join_mode_and_back() {
        use sea_orm::Iterable;
        for options in JoinOptions::iter() {
            assert_eq!(join_options_of(Some(join_mode(options))), options);
        }
        assert_eq!(join_mode(JoinOptions::Invite), "invite");
        assert_eq!(join_options_of(Some("invite")), JoinOptions::Invite);
        assert_eq!(join_options_of(Some("something else")), JoinOptions::Free);
    }

    #[test]
    fn restricted_and_private_events_are_addressed_without_the_public_and_read_back_as_private() {
        let public = Url::parse(PUBLIC).unwrap();
        let followers = vec![Url::parse("https://a.example/@club/followers").unwrap()];
        let cases = [
            (EventVisibility::Public, EventVisibility::Public),
            (EventVisibility::Unlisted, EventVisibility::Unlisted),
            (EventVisibility::Restricted, EventVisibility::Private),
            (EventVisibility::Private, EventVisibility::Private),
        ];
        for (sent, read) in cases {
            let (to, cc) = addressing(sent, public.clone(), followers.clone());
            assert_eq!(visibility_of(&to, &cc), read, "{sent:?}");
            assert_eq!(
                backend::events::policy::keeps_remote(read),
                backend::events::policy::keeps_remote(sent),
                "{sent:?} is kept elsewhere as it is sent"
            );
        }
    }
}
