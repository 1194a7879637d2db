//! Creating, changing, cancelling and deleting events.

use chrono::{DateTime, Utc};
use entity::actor;
use entity::event::{self, EventStatus, EventVisibility, JoinOptions};
use entity::participant::{self, ParticipantRole};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    Set,
};

use super::input::{self, CheckedFields, EventChanges, NewEvent};
use super::search_columns::{search_columns, set_position, set_search_words, set_times};
use super::{facts, federated, notices, policy, tags};
use crate::addresses::{self, Place};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::outbox::{self, Happened};
use crate::principal::Principal;

/// The organizer identity for a new event: one of the caller's.
async fn organizer_for(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    organizer_actor_id: Option<i64>,
) -> Result<actor::Model> {
    match principal {
        Principal::User(user) => {
            crate::actors::persons::of_user::acting_as(conn, user, organizer_actor_id).await
        }
        Principal::Anonymous => Err(Error::Unauthenticated),
        _ => Err(Error::forbidden("only local users organize events here")),
    }
}

/// Checks that `organizer` may publish in the group's name.
async fn check_group(
    conn: &impl ConnectionTrait,
    organizer: &actor::Model,
    group_id: i64,
) -> Result<()> {
    let group = crate::groups::find(conn, group_id).await?;
    let role = crate::groups::role_of_actor(conn, organizer.id, group.id).await?;
    if !policy::can_organize_for_group(role) {
        return Err(Error::forbidden(
            "only the group's moderators and administrators organize events in its name",
        ));
    }
    Ok(())
}

/// Publishes (or drafts) a new event; its organizer becomes its creator participant.
pub async fn create(
    ctx: &AppContext,
    principal: &Principal,
    new: NewEvent,
) -> Result<event::Model> {
    let tx = begin_write(ctx).await?;
    let event = create_in(ctx, &tx, principal, new).await?;
    tx.commit().await?;
    tracing::info!(event_id = event.id, "event created");
    Ok(event)
}

/// The zone a new event happens in: the one asked for, or its organizer's, or the instance's.
pub(crate) async fn zone_for(
    ctx: &AppContext,
    conn: &impl ConnectionTrait,
    principal: &Principal,
    requested: Option<&str>,
) -> Result<chrono_tz::Tz> {
    if let Some(raw) = requested {
        return input::timezone(raw);
    }
    let user_timezone = match principal {
        Principal::User(user) => crate::users::service::find(conn, user.id).await?.timezone,
        _ => None,
    };
    match user_timezone.as_deref().and_then(|tz| tz.parse().ok()) {
        Some(zone) => Ok(zone),
        None => Ok(ctx.instance_in(conn).await?.default_timezone),
    }
}

/// [`create`] within the caller's transaction (a recurring event's first date).
pub(crate) async fn create_in(
    ctx: &AppContext,
    tx: &crate::db::WriteTx,
    principal: &Principal,
    new: NewEvent,
) -> Result<event::Model> {
    let description = super::description::given(
        new.description.as_deref(),
        new.description_source.as_deref(),
    )?;
    let checked = input::check_fields(
        Some(&new.title),
        Some(description.html.as_deref().unwrap_or("")),
        new.options.timezone.as_deref(),
        new.category.as_deref(),
        Some(new.tags.as_deref().unwrap_or(&[])),
        new.language.as_deref(),
        new.online_address.as_deref(),
        new.external_participation_url.as_deref(),
        new.physical_address.as_ref(),
        new.options.maximum_attendee_capacity,
    )?;
    let Some(begins_on) = new.begins_on else {
        return Err(Error::invalid("beginsOn", "an event needs a beginning"));
    };
    input::dates(begins_on, new.ends_on)?;
    let join_options = new.join_options.unwrap_or(JoinOptions::Free);
    let external_url = checked.external_participation_url.clone().flatten();
    if join_options == JoinOptions::External && external_url.is_none() {
        return Err(Error::invalid(
            "externalParticipationUrl",
            "an event with external participation needs the address where people register",
        ));
    }

    let now = ctx.now();
    let organizer = organizer_for(tx, principal, new.organizer_actor_id).await?;
    if let Some(group_id) = new.attributed_to_id {
        check_group(tx, &organizer, group_id).await?;
    }
    let timezone = match checked.timezone {
        Some(tz) => tz,
        None => zone_for(ctx, tx, principal, None).await?,
    };
    let place = checked.place.clone().flatten();
    let address = match &place {
        Some(place) => Some(addresses::insert(tx, place, now).await?),
        None => None,
    };
    let title = checked.title.clone().unwrap_or_default();
    let description_source = description.source.flatten();
    let description = checked.description.clone().unwrap_or_default();
    let tag_titles = checked.tags.clone().unwrap_or_default();
    let uuid = uuid::Uuid::new_v4().to_string();
    let url = ctx.url(&format!("/events/{uuid}"));
    let draft = new.draft.unwrap_or(false);
    let (words, more_words) = search_columns(&title, &tag_titles, &description, place.as_ref());
    let mut row = event::ActiveModel {
        id: NotSet,
        uuid: Set(uuid),
        ap_id: Set(url.clone()),
        url: Set(url),
        search_text: Set(words),
        search_text_more: Set(more_words),
        title: Set(title),
        description: Set(description),
        description_source: Set(description_source),
        begins_on: NotSet,
        ends_on: NotSet,
        lasts_seconds: NotSet,
        // Set with the other options Mobilizon's clients send (`details::set`).
        is_online: Set(false),
        timezone: Set(timezone.name().to_owned()),
        status: Set(new.status.unwrap_or(EventStatus::Confirmed)),
        visibility: Set(new.visibility.unwrap_or(EventVisibility::Public)),
        join_options: Set(join_options),
        external_participation_url: Set(external_url),
        draft: Set(draft),
        category: Set(checked.category.clone().flatten()),
        language: Set(checked.language.clone().flatten()),
        online_address: Set(checked.online_address.clone().flatten()),
        physical_address_id: Set(address.as_ref().map(|a| a.id)),
        latitude: NotSet,
        longitude: NotSet,
        geo_cell: NotSet,
        maximum_attendee_capacity: Set(checked.capacity.flatten()),
        show_remaining_attendee_capacity: Set(new
            .options
            .show_remaining_attendee_capacity
            .unwrap_or(false)),
        anonymous_participation: Set(new.options.anonymous_participation.unwrap_or(false)),
        hide_number_of_participants: Set(new.options.hide_number_of_participants.unwrap_or(false)),
        organizer_actor_id: Set(organizer.id),
        attributed_to_id: Set(new.attributed_to_id),
        local: Set(true),
        sequence: Set(0),
        published_at: Set((!draft).then_some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        remote_updated_at: Set(None),
        picture_media_id: Set(None),
        details: Set(None),
        waitlist: Set(new.options.waitlist.unwrap_or(true)),
        series_id: Set(None),
        recurrence_id: Set(None),
        recurrence_overridden: Set(false),
        remote_series_url: Set(None),
        hidden: Set(super::hidden::of_owners(tx, organizer.id, new.attributed_to_id).await?),
    };
    set_position(&mut row, place.as_ref());
    set_times(&mut row, begins_on, new.ends_on);
    let event = event::Entity::insert(row).exec_with_returning(tx).await?;
    tags::set_for_event(tx, event.id, &tag_titles).await?;
    add_creator(ctx, tx, &event, now).await?;
    if !event.draft {
        notices::queue_announcement(ctx, tx, &event, now).await?;
    }
    Ok(event)
}

/// Makes the organizer of a new `event` its creator participant (with their reminders) and
/// records it for federation.
pub(crate) async fn add_creator(
    ctx: &AppContext,
    tx: &crate::db::WriteTx,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    let creator = participant::Entity::insert(participant::ActiveModel {
        id: NotSet,
        event_id: Set(event.id),
        actor_id: Set(event.organizer_actor_id),
        role: Set(ParticipantRole::Creator),
        message: Set(None),
        ap_id: Set(None),
        email: Set(None),
        locale: Set(None),
        timezone: Set(None),
        confirmation_token_hash: Set(None),
        cancellation_token_hash: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        waitlist_rank: Set(None),
    })
    .exec_with_returning(tx)
    .await?;
    crate::participations::reminders::plan(ctx, tx, event, &creator).await?;
    if policy::federates(event) {
        outbox::record(ctx, tx, now, Happened::EventCreated { event_id: event.id }).await?;
    }
    Ok(())
}

/// What changed, in the terms attendees care about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changed {
    pub title: bool,
    pub time: bool,
    pub place: bool,
    pub status: bool,
    pub description: bool,
}

impl Changed {
    /// Worth a new iCalendar SEQUENCE.
    pub fn matters_to_calendars(&self) -> bool {
        self.title || self.time || self.place || self.status || self.description
    }

    /// Worth a mail to participants.
    pub fn matters_to_attendees(&self) -> bool {
        self.title || self.time || self.place || self.status
    }
}

/// Applies changes to an event. Attendees hear about changes of time, place, status or title
/// (grouped when several edits come within 30 minutes); cancelling tells them at once.
pub async fn update(
    ctx: &AppContext,
    principal: &Principal,
    event_id: i64,
    changes: EventChanges,
) -> Result<event::Model> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "events", event_id).await?;
    let before = super::find(&tx, event_id).await?;
    let access = super::access(&tx, principal, &before).await?;
    super::check_editable(&before, access)?;
    let (event, _) = apply_changes(ctx, &tx, before, changes, Told::Alone).await?;
    tx.commit().await?;
    Ok(event)
}

/// Who hears of a change, and how it counts for a recurring event's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Told {
    /// One event changed alone: its participants are told about it, and a date of a series
    /// changed this way stands apart from its series from then on.
    Alone,
    /// One of several dates changed together: the caller tells each person once.
    WithOthers,
}

/// Applies `changes` to `before` (locked, checked editable by the caller) within `tx`.
pub(crate) async fn apply_changes(
    ctx: &AppContext,
    tx: &crate::db::WriteTx,
    before: event::Model,
    changes: EventChanges,
    told: Told,
) -> Result<(event::Model, Changed)> {
    let description = super::description::given(
        changes.description.as_deref(),
        changes.description_source.as_deref(),
    )?;
    let checked: CheckedFields = input::check_fields(
        changes.title.as_deref(),
        description.html.as_deref(),
        changes.options.timezone.as_deref(),
        changes.category.as_deref(),
        changes.tags.as_deref(),
        changes.language.as_deref(),
        changes.online_address.as_deref(),
        changes.external_participation_url.as_deref(),
        changes.physical_address.as_ref(),
        changes.options.maximum_attendee_capacity,
    )?;
    let begins_on = changes.begins_on.unwrap_or(before.begins_on);
    let ends_on = changes.ends_on.or(before.ends_on);
    input::dates(begins_on, ends_on)?;
    if let Some(group_id) = changes.attributed_to_id
        && Some(group_id) != before.attributed_to_id
    {
        let organizer = crate::actors::find(tx, before.organizer_actor_id).await?;
        check_group(tx, &organizer, group_id).await?;
    }

    let now = ctx.now();
    let mut changed = Changed::default();
    let mut active: event::ActiveModel = before.clone().into();
    if let Some(title) = &checked.title
        && *title != before.title
    {
        changed.title = true;
        active.title = Set(title.clone());
    }
    if let Some(description) = &checked.description
        && *description != before.description
    {
        changed.description = true;
        active.description = Set(description.clone());
    }
    if let Some(source) = description.source
        && source != before.description_source
    {
        active.description_source = Set(source);
    }
    if begins_on != before.begins_on || ends_on != before.ends_on {
        changed.time = true;
        set_times(&mut active, begins_on, ends_on);
    }
    if let Some(tz) = checked.timezone
        && tz.name() != before.timezone
    {
        changed.time = true;
        active.timezone = Set(tz.name().to_owned());
    }
    if let Some(status) = changes.status
        && status != before.status
    {
        changed.status = true;
        active.status = Set(status);
    }
    if let Some(visibility) = changes.visibility {
        active.visibility = Set(visibility);
    }
    if let Some(join) = changes.join_options {
        active.join_options = Set(join);
    }
    if let Some(external) = checked.external_participation_url.clone() {
        active.external_participation_url = Set(external);
    }
    if let Some(category) = checked.category.clone() {
        active.category = Set(category);
    }
    if let Some(language) = checked.language.clone() {
        active.language = Set(language);
    }
    if let Some(online) = checked.online_address.clone()
        && online != before.online_address
    {
        changed.place = true;
        active.online_address = Set(online);
    }
    if let Some(capacity) = checked.capacity {
        active.maximum_attendee_capacity = Set(capacity);
    }
    if let Some(show) = changes.options.show_remaining_attendee_capacity {
        active.show_remaining_attendee_capacity = Set(show);
    }
    if let Some(anonymous) = changes.options.anonymous_participation {
        active.anonymous_participation = Set(anonymous);
    }
    if let Some(hide) = changes.options.hide_number_of_participants {
        active.hide_number_of_participants = Set(hide);
    }
    if let Some(waitlist) = changes.options.waitlist {
        active.waitlist = Set(waitlist);
    }
    if let Some(group_id) = changes.attributed_to_id {
        active.attributed_to_id = Set(Some(group_id));
    }
    let mut place_now = match before.physical_address_id {
        Some(id) => {
            let a = addresses::find(tx, id).await?;
            Some(Place {
                description: a.description,
                street: a.street,
                postal_code: a.postal_code,
                locality: a.locality,
                region: a.region,
                country: a.country,
                latitude: a.latitude,
                longitude: a.longitude,
            })
        }
        None => None,
    };
    if let Some(place) = checked.place.clone()
        && place != place_now
    {
        changed.place = true;
        let stored =
            addresses::replace(tx, before.physical_address_id, place.as_ref(), now).await?;
        active.physical_address_id = Set(stored.as_ref().map(|a| a.id));
        set_position(&mut active, place.as_ref());
        place_now = place;
    }
    let join_options = changes.join_options.unwrap_or(before.join_options);
    let external = checked
        .external_participation_url
        .clone()
        .unwrap_or(before.external_participation_url.clone());
    if join_options == JoinOptions::External && external.is_none() {
        return Err(Error::invalid(
            "externalParticipationUrl",
            "an event with external participation needs the address where people register",
        ));
    }
    let tag_titles = match &checked.tags {
        Some(tags) => {
            tags::set_for_event(tx, before.id, tags).await?;
            tags.clone()
        }
        None => tags::for_events(tx, &[before.id])
            .await?
            .remove(&before.id)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.title)
            .collect(),
    };
    let publishing = before.draft && changes.draft == Some(false);
    if let Some(draft) = changes.draft {
        active.draft = Set(draft);
    }
    if publishing && before.published_at.is_none() {
        active.published_at = Set(Some(now));
    }
    let title_now = checked.title.clone().unwrap_or(before.title.clone());
    let description_now = checked
        .description
        .clone()
        .unwrap_or(before.description.clone());
    set_search_words(
        &mut active,
        &title_now,
        &tag_titles,
        &description_now,
        place_now.as_ref(),
    );
    if changed.matters_to_calendars() {
        active.sequence = Set(before.sequence + 1);
        if told == Told::Alone && before.series_id.is_some() {
            active.recurrence_overridden = Set(true);
        }
    }
    active.updated_at = Set(now);
    let event = active.update(tx).await?;

    let cancelled_now =
        event.status == EventStatus::Cancelled && before.status != EventStatus::Cancelled;
    if cancelled_now {
        if told == Told::Alone {
            notices::queue_cancelled(ctx, tx, &event, now).await?;
        }
        crate::participations::reminders::cancel_for_event(tx, event.id, now).await?;
        notices::cancel_update_notice(tx, event.id, now).await?;
    } else if changed.matters_to_attendees() && !event.draft {
        if told == Told::Alone {
            notices::queue_update_notice(ctx, tx, &before, now).await?;
        }
        if changed.time || changed.status {
            crate::participations::reminders::replan_event(ctx, tx, &event).await?;
        }
    }
    if publishing {
        notices::queue_announcement(ctx, tx, &event, now).await?;
    }
    // More seats (or none counted any more): those waiting move up, first come first.
    crate::participations::waitlist::fill_free_seats(ctx, tx, &event, now).await?;
    // Followers elsewhere see the event appear, change, or go away when it stops being public.
    let happened = match (policy::federates(&before), policy::federates(&event)) {
        (false, true) => Some(Happened::EventCreated { event_id: event.id }),
        (true, true) if changed.place || federated::looks_different(&before, &event) => {
            Some(Happened::EventUpdated { event_id: event.id })
        }
        (true, true) => None,
        (true, false) => Some(federated::deleted(&event)),
        (false, false) => None,
    };
    if let Some(happened) = happened {
        outbox::record(ctx, tx, now, happened).await?;
    }
    Ok((event, changed))
}

/// Deletes an event; its participants are told.
pub async fn delete(
    ctx: &AppContext,
    principal: &Principal,
    event_id: i64,
) -> Result<event::Model> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "events", event_id).await?;
    let event = super::find(&tx, event_id).await?;
    let access = super::access(&tx, principal, &event).await?;
    if !policy::can_view(facts(&event), access) {
        return Err(Error::not_found("event"));
    }
    if !policy::can_delete(facts(&event), access) {
        return Err(Error::forbidden(
            "only the organizer or the group's moderators can delete this event",
        ));
    }
    let without_moderation = policy::Access {
        instance_moderator: false,
        ..access
    };
    if !policy::can_delete(facts(&event), without_moderation) {
        // Only the instance's moderation reached it: on the record.
        let moderator = crate::action_log::moderator_of(&tx, principal).await?;
        let object = crate::action_log::Object::event(&event);
        let action = entity::action_log::ActionLogAction::EventDeletion;
        crate::action_log::record(&tx, ctx.now(), moderator, action, object, None).await?;
    }
    remove(ctx, &tx, &event, ctx.now()).await?;
    tx.commit().await?;
    tracing::info!(event_id = event.id, "event deleted");
    Ok(event)
}

/// Deletes every event of a group (inside the group's deletion).
pub async fn delete_all_of_group(
    ctx: &AppContext,
    tx: &crate::db::WriteTx,
    group_id: i64,
) -> Result<()> {
    let now = ctx.now();
    let events = event::Entity::find()
        .filter(event::Column::AttributedToId.eq(group_id))
        .all(tx)
        .await?;
    for event in events {
        remove(ctx, tx, &event, now).await?;
    }
    Ok(())
}

async fn remove(
    ctx: &AppContext,
    tx: &crate::db::WriteTx,
    event: &event::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    if !event.draft && !super::is_over(event, now) {
        notices::queue_deleted(ctx, tx, event, now).await?;
    }
    if policy::federates(event) {
        outbox::record(ctx, tx, now, federated::deleted(event)).await?;
    }
    crate::participations::reminders::cancel_for_event(tx, event.id, now).await?;
    notices::cancel_update_notice(tx, event.id, now).await?;
    notices::cancel_announcement(tx, event.id, now).await?;
    if let (Some(series_id), Some(recurrence_id)) = (event.series_id, event.recurrence_id) {
        // Calendars expand the rule: a deleted date must be left out of it.
        crate::series::exclude(tx, series_id, recurrence_id, now).await?;
    }
    event::Entity::delete_by_id(event.id).exec(tx).await?;
    if let Some(address_id) = event.physical_address_id {
        addresses::replace(tx, Some(address_id), None, now).await?;
    }
    Ok(())
}
