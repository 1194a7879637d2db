//! Events as other instances see them: what a change of a local event tells them (which events
//! federate at all is [`super::policy::federates`]), the lists the federation layer serves
//! (outbox, upcoming events of an actor), and events of other instances stored here (read-only
//! copies, marked `local = false`, linking to their origin).

use chrono::{DateTime, Utc};
use entity::event::{self, EventStatus, EventVisibility, JoinOptions};
use entity::remote_event_tombstone;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use sea_orm::TryIntoModel as _;

use crate::addresses::{self, Place};
use crate::context::AppContext;
use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::outbox::Happened;
use crate::pagination::{Page, Paginated};
use crate::principal::Principal;

/// The record of a deleted (or no longer federated) event, with the audience it had.
pub fn deleted(event: &event::Model) -> Happened {
    Happened::EventDeleted {
        ap_id: event.ap_id.clone(),
        organizer_id: event.organizer_actor_id,
        group_id: event.attributed_to_id,
    }
}

/// Whether other instances would see a difference between two versions of a local event: an
/// edit that changes nothing they see (the same title saved again) sends no `Update`.
/// Tags are part of the searched words; the place's details are the caller's to compare.
pub fn looks_different(before: &event::Model, after: &event::Model) -> bool {
    let unchanged = event::Model {
        updated_at: before.updated_at,
        ..after.clone()
    };
    unchanged != *before
}

fn of_actor(actor_id: i64) -> sea_orm::Select<event::Entity> {
    event::Entity::find()
        .filter(event::Column::Local.eq(true))
        .filter(event::Column::Draft.eq(false))
        .filter(event::Column::Visibility.eq(EventVisibility::Public))
        .filter(event::Column::Hidden.eq(false))
        .filter(
            Condition::any()
                .add(event::Column::OrganizerActorId.eq(actor_id))
                .add(event::Column::AttributedToId.eq(actor_id)),
        )
}

/// Public events an actor organized or that belong to the group, newest first (its outbox).
pub async fn published_by(
    conn: &impl ConnectionTrait,
    actor_id: i64,
    page: Page,
) -> Result<Paginated<event::Model>> {
    let query = of_actor(actor_id);
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(event::Column::PublishedAt)
        .order_by_desc(event::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// Public events published here, by anyone, newest first: what our instance actor's outbox
/// lists for the instances that follow it (Gancio imports them when it starts following).
pub async fn published_here(
    conn: &impl ConnectionTrait,
    page: Page,
) -> Result<Paginated<event::Model>> {
    let query = event::Entity::find()
        .filter(event::Column::Local.eq(true))
        .filter(event::Column::Draft.eq(false))
        .filter(event::Column::Visibility.eq(EventVisibility::Public))
        .filter(event::Column::Hidden.eq(false));
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_desc(event::Column::PublishedAt)
        .order_by_desc(event::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

/// Public events of an actor not over at `now`, soonest first.
pub async fn upcoming_of(
    conn: &impl ConnectionTrait,
    actor_id: i64,
    now: DateTime<Utc>,
    page: Page,
) -> Result<Paginated<event::Model>> {
    let query = of_actor(actor_id).filter(
        Condition::any().add(event::Column::EndsOn.gte(now)).add(
            Condition::all()
                .add(event::Column::EndsOn.is_null())
                .add(event::Column::BeginsOn.gte(now)),
        ),
    );
    let total = query.clone().count(conn).await?;
    let elements = query
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Paginated { total, elements })
}

pub async fn find_by_ap_id(
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<Option<event::Model>> {
    Ok(event::Entity::find()
        .filter(event::Column::ApId.eq(ap_id))
        .one(conn)
        .await?)
}

/// The time zone of an event from another instance: the one it names; else the one its
/// instance declares for itself (Gancio's `nodeTimezone`) when that zone has the offset the
/// event's start was written with; else that offset as a fixed zone (`Etc/GMT-1` for
/// `+01:00`), so that "19:00+01:00" still shows 19:00. An offset of a fraction of an hour has
/// no fixed zone in the IANA database: the event is then shown in UTC.
pub fn zone_for(
    declared: Option<&str>,
    instance_zone: Option<&str>,
    start: DateTime<chrono::FixedOffset>,
) -> Option<String> {
    use chrono::Offset as _;
    let parse = |tz: &str| tz.trim().parse::<chrono_tz::Tz>().ok();
    if let Some(tz) = declared.and_then(parse) {
        return Some(tz.name().to_owned());
    }
    let offset = start.offset().local_minus_utc();
    if let Some(tz) = instance_zone.and_then(parse)
        && start.with_timezone(&tz).offset().fix().local_minus_utc() == offset
    {
        return Some(tz.name().to_owned());
    }
    if offset % 3600 != 0 {
        return None;
    }
    // POSIX's sign, inverted: `Etc/GMT-1` is one hour east of Greenwich.
    let name = match -offset / 3600 {
        0 => "Etc/UTC".to_owned(),
        hours => format!("Etc/GMT{hours:+}"),
    };
    parse(&name).map(|tz| tz.name().to_owned())
}

/// An event of another instance, as its origin describes it. The federation layer has already
/// checked that the sender owns it.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteEvent {
    pub ap_id: String,
    pub url: String,
    pub title: String,
    /// HTML from the origin; sanitized here.
    pub description: String,
    pub begins_on: DateTime<Utc>,
    pub ends_on: Option<DateTime<Utc>>,
    pub timezone: Option<String>,
    pub status: EventStatus,
    pub visibility: EventVisibility,
    pub join_options: JoinOptions,
    pub external_participation_url: Option<String>,
    pub category: Option<String>,
    pub language: Option<String>,
    pub online_address: Option<String>,
    pub place: Option<Place>,
    pub maximum_attendee_capacity: Option<i32>,
    pub anonymous_participation: bool,
    /// Mobilizon's `isOnline`: it happens online only.
    pub is_online: bool,
    pub organizer_actor_id: i64,
    pub attributed_to_id: Option<i64>,
    pub tags: Vec<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The origin's `updated`: which version this is.
    pub updated_at: Option<DateTime<Utc>>,
    /// Its banner there, copied here by a job (`media::remote`).
    pub picture: Option<crate::media::remote::RemotePicture>,
    /// The series it is a date of on its instance (Convive's `convive:series`), kept when
    /// [`super::policy::keeps_series_link`] allows.
    pub series_url: Option<String>,
}

/// How an event of another instance reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Its organizer or group sent it (`Create`, `Update`, `Announce`): kept only when
    /// someone here follows one of them.
    Sent,
    /// Someone here asked for it by its address (`interact`), or an instance we follow
    /// relayed it: kept whoever follows it.
    AskedFor,
}

/// Stores or refreshes an event of another instance when it is welcome here (see
/// [`Arrival`]). `None` when it is not kept: nobody here follows its owners, or its origin
/// deleted it. An event naming one of our actors as its owner is refused: only we speak
/// for them; so is a private one ([`super::policy::keeps_remote`]).
pub async fn receive(
    ctx: &AppContext,
    remote: RemoteEvent,
    arrival: Arrival,
) -> Result<Option<event::Model>> {
    if !super::policy::keeps_remote(remote.visibility) {
        return Err(Error::forbidden(
            "only public and unlisted events are stored from other instances",
        ));
    }
    let mut owners = vec![remote.organizer_actor_id];
    owners.extend(remote.attributed_to_id);
    let known = crate::actors::find_many(&ctx.db, &owners).await?;
    if known.values().any(|owner| owner.is_local()) {
        return Err(Error::forbidden("a remote event cannot name local owners"));
    }
    if arrival == Arrival::Sent
        && !crate::groups::followers::has_local_followers(&ctx.db, &owners).await?
    {
        tracing::debug!(ap_id = %remote.ap_id, "ignoring an event nobody here follows");
        return Ok(None);
    }
    upsert_remote(ctx, remote).await
}

/// Whether the event's instance, or its owners', is blocked: it may have been blocked since
/// the activity was let in, while the event was fetched. Checked under the block's lock, so
/// that a block and a copy arriving meanwhile cannot miss each other (the copy stored after the
/// block deleted that instance's events).
async fn blocked_meanwhile(tx: &crate::db::WriteTx, remote: &RemoteEvent) -> Result<bool> {
    let mut domains: std::collections::BTreeSet<String> =
        crate::domain_blocks::domain_of(&remote.ap_id)
            .into_iter()
            .collect();
    let owners = entity::actor::Entity::find()
        .filter(
            entity::actor::Column::Id.is_in(
                [Some(remote.organizer_actor_id), remote.attributed_to_id]
                    .into_iter()
                    .flatten(),
            ),
        )
        .all(tx)
        .await?;
    domains.extend(owners.into_iter().filter_map(|owner| owner.domain));
    // In one order everywhere (a set's), so that two of these never wait for each other.
    for domain in &domains {
        crate::domain_blocks::lock_domain(tx, domain).await?;
        if crate::domain_blocks::is_blocked(tx, domain).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Stores or refreshes a remote event; it then shows in search and on its group's page.
/// `None` when its origin deleted it: a copy arriving after the deletion is not stored.
pub async fn upsert_remote(ctx: &AppContext, remote: RemoteEvent) -> Result<Option<event::Model>> {
    super::input::dates(remote.begins_on, remote.ends_on)?;
    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    crate::db::lock_for_writing(&tx, &remote.ap_id).await?;
    if is_deleted(&tx, &remote.ap_id).await? {
        tracing::debug!(ap_id = %remote.ap_id, "ignoring a copy of a deleted remote event");
        return Ok(None);
    }
    if blocked_meanwhile(&tx, &remote).await? {
        tracing::debug!(ap_id = %remote.ap_id, "ignoring a copy from a blocked instance");
        return Ok(None);
    }
    let existing = find_by_ap_id(&tx, &remote.ap_id).await?;
    if existing.as_ref().is_some_and(|e| e.local) {
        return Err(Error::forbidden(
            "a remote document cannot replace a local event",
        ));
    }
    // Copies arrive out of order (an `Announce` makes us fetch the event, and that fetch can
    // end after a later `Update` was applied): an older version never replaces a newer one.
    if let (Some(existing), Some(incoming)) = (&existing, remote.updated_at)
        && existing
            .remote_updated_at
            .is_some_and(|held| incoming < held)
    {
        tracing::debug!(ap_id = %remote.ap_id, "ignoring an older copy of a remote event");
        return Ok(Some(existing.clone()));
    }
    let timezone = remote
        .timezone
        .as_deref()
        .and_then(|tz| tz.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(chrono_tz::UTC);
    let description = super::sanitize::description(&remote.description);
    let tags: Vec<String> = remote
        .tags
        .iter()
        .map(|t| t.trim().trim_start_matches('#').to_owned())
        .filter(|t| !t.is_empty())
        .take(20)
        .collect();
    let category = remote
        .category
        .map(|c| c.to_ascii_uppercase())
        .filter(|c| super::categories::CATEGORIES.contains(&c.as_str()));
    let place = remote.place.filter(|p| !p.is_empty());
    let address_id = match (&existing, &place) {
        (Some(existing), _) => {
            addresses::replace(&tx, existing.physical_address_id, place.as_ref(), now)
                .await?
                .map(|a| a.id)
        }
        (None, Some(place)) => Some(addresses::insert(&tx, place, now).await?.id),
        (None, None) => None,
    };
    let mut row: event::ActiveModel = match &existing {
        Some(existing) => existing.clone().into(),
        None => event::ActiveModel {
            id: NotSet,
            // Our own key: a remote uuid could collide with a local one.
            uuid: Set(uuid::Uuid::new_v4().to_string()),
            ap_id: Set(remote.ap_id.clone()),
            draft: Set(false),
            show_remaining_attendee_capacity: Set(false),
            hide_number_of_participants: Set(false),
            local: Set(false),
            sequence: Set(0),
            created_at: Set(now),
            ..Default::default()
        },
    };
    if let Some(existing) = &existing {
        row.sequence = Set(existing.sequence + 1);
    }
    super::search_columns::set_search_words(
        &mut row,
        &remote.title,
        &tags,
        &description,
        place.as_ref(),
    );
    row.url = Set(remote.url);
    row.title = Set(remote.title);
    row.description = Set(description);
    super::search_columns::set_times(&mut row, remote.begins_on, remote.ends_on);
    row.timezone = Set(timezone.name().to_owned());
    row.status = Set(remote.status);
    row.visibility = Set(remote.visibility);
    row.join_options = Set(remote.join_options);
    row.external_participation_url = Set(remote.external_participation_url);
    row.category = Set(category);
    row.language = Set(remote.language);
    row.online_address = Set(remote.online_address);
    row.physical_address_id = Set(address_id);
    super::search_columns::set_position(&mut row, place.as_ref());
    row.maximum_attendee_capacity = Set(remote.maximum_attendee_capacity);
    row.anonymous_participation = Set(remote.anonymous_participation);
    row.is_online = Set(remote.is_online);
    row.organizer_actor_id = Set(remote.organizer_actor_id);
    row.attributed_to_id = Set(remote.attributed_to_id);
    row.hidden =
        Set(
            super::hidden::of_owners(&tx, remote.organizer_actor_id, remote.attributed_to_id)
                .await?,
        );
    row.published_at = Set(remote.published_at.or(Some(now)));
    row.updated_at = Set(now);
    row.remote_updated_at = Set(remote.updated_at);
    row.remote_series_url = Set(remote
        .series_url
        .filter(|url| super::policy::keeps_series_link(&remote.ap_id, url)));
    let event = row.save(&tx).await?.try_into_model()?;
    super::tags::set_for_event(&tx, event.id, &tags).await?;
    crate::media::remote::plan(
        &tx,
        now,
        crate::media::remote::PictureOf::Event,
        event.id,
        crate::media::remote::event_version(&event),
        event.picture_media_id,
        remote.picture.as_ref(),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(event))
}

/// The other dates held here of the remote series `series_url` that `event` is a date of, not
/// over at `now`, soonest first, at most `limit`: listed on its page as its series' next
/// dates. Hidden ones and those no visitor may list are left out.
pub async fn other_dates_of_series(
    conn: &impl ConnectionTrait,
    event: &event::Model,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<event::Model>> {
    let Some(series_url) = &event.remote_series_url else {
        return Ok(Vec::new());
    };
    Ok(event::Entity::find()
        .filter(event::Column::RemoteSeriesUrl.eq(series_url.as_str()))
        .filter(event::Column::Id.ne(event.id))
        .filter(event::Column::Local.eq(false))
        .filter(event::Column::Hidden.eq(false))
        .filter(
            event::Column::Visibility.is_in([EventVisibility::Public, EventVisibility::Unlisted]),
        )
        .filter(super::not_over(now))
        .order_by_asc(event::Column::BeginsOn)
        .order_by_asc(event::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// Removes a remote event its origin deleted, and remembers that it did for
/// [`received_activities::KEEP_DAYS`](crate::received_activities::KEEP_DAYS), past any
/// sender's retries: a copy that arrives later (a retried `Create`, an `Announce` fetched
/// before the deletion) is not stored again. Also for an event not (yet) held here, which a
/// late `Create` would otherwise bring. Returns whether there was one.
pub async fn delete_remote(ctx: &AppContext, ap_id: &str) -> Result<bool> {
    let tx = begin_write(ctx).await?;
    crate::db::lock_for_writing(&tx, ap_id).await?;
    let deleted = delete_remote_in(ctx, &tx, ap_id).await?;
    let tombstone = remote_event_tombstone::ActiveModel {
        id: NotSet,
        ap_id: Set(ap_id.to_owned()),
        deleted_at: Set(ctx.now()),
    };
    remote_event_tombstone::Entity::insert(tombstone)
        .on_conflict_do_nothing_on([remote_event_tombstone::Column::ApId])
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(deleted)
}

/// Another instance deletes one of its events by a `Delete`: only the event's organizer or
/// group may, and never one of ours. An event not held here is remembered as deleted all the
/// same (see [`delete_remote`]; the sender's instance is the event's, checked by the caller).
/// Returns whether there was one.
pub async fn delete_by_owner(ctx: &AppContext, principal: &Principal, ap_id: &str) -> Result<bool> {
    if let Some(event) = find_by_ap_id(&ctx.db, ap_id).await? {
        let sender = match principal {
            Principal::Remote { actor_id, .. } => Some(*actor_id),
            _ => None,
        };
        let owners = [Some(event.organizer_actor_id), event.attributed_to_id];
        if event.local || sender.is_none() || !owners.contains(&sender) {
            return Err(Error::forbidden("only an event's owner deletes it"));
        }
    }
    delete_remote(ctx, ap_id).await
}

/// Removes a remote event its origin no longer serves (a 404 when we fetched it), without
/// remembering it as deleted: that answer may be passing, and must not keep the event away
/// for days. A `Delete` or a 410 is what [`delete_remote`] is for. Returns whether there was one.
pub async fn forget_remote(ctx: &AppContext, ap_id: &str) -> Result<bool> {
    let tx = begin_write(ctx).await?;
    crate::db::lock_for_writing(&tx, ap_id).await?;
    let removed = delete_remote_in(ctx, &tx, ap_id).await?;
    tx.commit().await?;
    Ok(removed)
}

/// Whether the origin of the remote event `ap_id` deleted it (within the days remembered: the
/// inbox's hourly purge forgets older deletions, [`crate::received_activities`]).
pub async fn is_deleted(conn: &impl ConnectionTrait, ap_id: &str) -> Result<bool> {
    Ok(remote_event_tombstone::Entity::find()
        .filter(remote_event_tombstone::Column::ApId.eq(ap_id))
        .one(conn)
        .await?
        .is_some())
}

/// Removes a remote event within the caller's transaction, without remembering it as deleted
/// by its origin (an instance blocked here: unblocked, it may send its events again).
pub async fn delete_remote_in(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    ap_id: &str,
) -> Result<bool> {
    let now = ctx.now();
    let Some(event) = find_by_ap_id(conn, ap_id).await? else {
        return Ok(false);
    };
    if event.local {
        return Err(Error::forbidden("local events are deleted here"));
    }
    super::tags::set_for_event(conn, event.id, &[]).await?;
    crate::media::remote::forget_event_picture(conn, now, &event).await?;
    entity::participant::Entity::delete_many()
        .filter(entity::participant::Column::EventId.eq(event.id))
        .exec(conn)
        .await?;
    event::Entity::delete_by_id(event.id).exec(conn).await?;
    if let Some(address_id) = event.physical_address_id {
        addresses::replace(conn, Some(address_id), None, now).await?;
    }
    Ok(true)
}

#[cfg(test)]
mod zone_tests {
    #![allow(clippy::unwrap_used)]
    use super::zone_for;
    use chrono::DateTime;

    fn at(text: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn a_named_zone_wins_then_the_instances_zone_when_it_agrees_then_the_offset() {
        // Gancio's start, without `timezone`.
        let start = at("2027-03-20T19:00:00.000+01:00");
        assert_eq!(
            zone_for(Some("America/Toronto"), Some("Europe/Rome"), start).as_deref(),
            Some("America/Toronto")
        );
        assert_eq!(
            zone_for(None, Some("Europe/Rome"), start).as_deref(),
            Some("Europe/Rome")
        );
        // A zone whose offset that day is another one is not the event's.
        assert_eq!(
            zone_for(None, Some("Europe/London"), start).as_deref(),
            Some("Etc/GMT-1")
        );
        assert_eq!(zone_for(None, None, start).as_deref(), Some("Etc/GMT-1"));
        assert_eq!(
            zone_for(
                Some("Not/AZone"),
                Some("nonsense"),
                at("2027-07-01T10:00:00-04:00")
            )
            .as_deref(),
            Some("Etc/GMT+4")
        );
        assert_eq!(
            zone_for(None, None, at("2027-07-01T10:00:00Z")).as_deref(),
            Some("Etc/UTC")
        );
        assert_eq!(zone_for(None, None, at("2027-07-01T10:00:00+05:30")), None);
    }
}
