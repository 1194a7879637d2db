//! An event as iCalendar data, for mail attachments and feeds: the data is gathered here, the
//! format is written by `crate::feeds`.

use entity::event;
use sea_orm::ConnectionTrait;

use crate::context::AppContext;
use crate::error::Result;
use crate::feeds::{CalendarEvent, CalendarMeta, FeedPicture};
use crate::mail::Attachment;

/// `{uuid}@{host}`: stable for the life of the event, whatever else changes.
pub fn uid(ctx: &AppContext, event: &event::Model) -> String {
    format!("{}@{}", event.uuid, ctx.settings.public_url.host())
}

/// The calendar facts of several events, loading their places, tags and organizers in bulk.
pub async fn calendar_events(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    events: &[event::Model],
) -> Result<Vec<CalendarEvent>> {
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    let address_ids: Vec<i64> = events
        .iter()
        .filter_map(|e| e.physical_address_id)
        .collect();
    let addresses = crate::addresses::find_many(conn, &address_ids).await?;
    let mut tags = super::tags::for_events(conn, &ids).await?;
    let organizer_ids: Vec<i64> = events
        .iter()
        .map(|e| e.attributed_to_id.unwrap_or(e.organizer_actor_id))
        .collect();
    let organizers = crate::actors::find_many(conn, &organizer_ids).await?;
    let picture_ids: Vec<i64> = events.iter().filter_map(|e| e.picture_media_id).collect();
    let pictures = crate::media::find_many(conn, &picture_ids).await?;
    Ok(events
        .iter()
        .map(|event| {
            let address = event.physical_address_id.and_then(|id| addresses.get(&id));
            let mut categories: Vec<String> = event
                .category
                .iter()
                .map(|c| super::categories::label(c))
                .collect();
            categories.extend(
                tags.remove(&event.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| t.title),
            );
            let organizer = organizers
                .get(&event.attributed_to_id.unwrap_or(event.organizer_actor_id))
                .map(|a| {
                    (
                        crate::actors::display_name(a),
                        a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
                    )
                });
            CalendarEvent {
                uid: uid(ctx, event),
                url: event.url.clone(),
                title: event.title.clone(),
                description_html: event.description.clone(),
                begins_on: event.begins_on,
                ends_on: event.ends_on,
                timezone: event.timezone.clone(),
                created: Some(event.created_at),
                last_modified: event.updated_at,
                sequence: event.sequence,
                status: event.status,
                visibility: event.visibility,
                location: address.map(crate::addresses::one_line),
                geo: match (event.latitude, event.longitude) {
                    (Some(lat), Some(lon)) => Some((lat, lon)),
                    _ => None,
                },
                categories,
                organizer,
                online_address: event.online_address.clone(),
                picture: event
                    .picture_media_id
                    .and_then(|id| pictures.get(&id))
                    .and_then(|media| feed_picture(ctx, media)),
                repeats: None,
            }
        })
        .collect())
}

/// The banner size of an event's picture, as feeds link it.
fn feed_picture(ctx: &AppContext, media: &entity::media::Model) -> Option<FeedPicture> {
    let variants = crate::media::variants_of(media);
    let shown = crate::media::variant(&variants, crate::media::VariantName::Banner)?;
    Some(FeedPicture {
        url: ctx.url(&crate::media::path_of(&shown.key)),
        content_type: media.content_type.clone(),
        bytes: shown.bytes,
    })
}

/// The `.ics` of one event.
pub async fn single(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<Vec<u8>> {
    let events = calendar_events(ctx, conn, std::slice::from_ref(event)).await?;
    let meta = CalendarMeta {
        name: event.title.clone(),
        description: None,
        url: Some(event.url.clone()),
        refresh: chrono::Duration::hours(1),
        method_publish: true,
    };
    Ok(crate::feeds::calendar(&meta, &events))
}

/// The `.ics` file attached to mail about an event.
pub async fn attachment(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    event: &event::Model,
) -> Result<Attachment> {
    let bytes = single(ctx, conn, event).await?;
    Ok(Attachment {
        filename: "event.ics".to_owned(),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
        content: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
