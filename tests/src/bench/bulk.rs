//! Events written straight into the database, many rows per statement, for the search over a
//! million events (`search-1m`): through the services, a million events would take hours to
//! seed. The rows are what `backend::events::service::create` writes for a public event, with
//! the same search columns (`backend::events::search_columns`), minus what searches never read
//! (the creator's participation, the place's own row, tags' rows, federation jobs).

use std::time::{Duration, Instant};

use backend::AppContext;
use backend::addresses::Place;
use backend::events::NewEvent;
use backend::events::search_columns::{search_columns, set_position, set_times};
use chrono::{Duration as Span, Utc};
use entity::event::{self, EventStatus, EventVisibility, JoinOptions};
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, EntityTrait, Set, TransactionTrait};

use super::seed::{self, CITIES, Lcg};

/// Rows per `INSERT`: under SQLite's and PostgreSQL's limits on bound values (~50 columns).
const ROWS_PER_STATEMENT: usize = 400;
/// Statements per transaction.
const STATEMENTS_PER_TRANSACTION: usize = 25;

/// Writes `count` public events of `organizer_actor_id` spread over the next year and the
/// bench's cities, and returns how long it took.
pub async fn events(
    ctx: &AppContext,
    count: usize,
    organizer_actor_id: i64,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut written = 0;
    while written < count {
        let tx = ctx.db.begin().await?;
        for _ in 0..STATEMENTS_PER_TRANSACTION {
            let rows: Vec<event::ActiveModel> = (written..count.min(written + ROWS_PER_STATEMENT))
                .map(|i| row(ctx, i, count, organizer_actor_id))
                .collect();
            if rows.is_empty() {
                break;
            }
            written += rows.len();
            event::Entity::insert_many(rows).exec(&tx).await?;
        }
        tx.commit().await?;
        if written % 100_000 < ROWS_PER_STATEMENT * STATEMENTS_PER_TRANSACTION {
            eprintln!(
                "  bulk events: {written}/{count} ({:.0}s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    // What autovacuum would have done by the time a real instance held that many events: the
    // planner needs the new table sizes.
    if ctx.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        ctx.db.execute_unprepared("ANALYZE events").await?;
    }
    Ok(started.elapsed())
}

/// Event number `i` of `count`, as the services would be given it: its own words, city, place
/// and time.
fn planned(i: usize, count: usize, organizer_actor_id: i64) -> NewEvent {
    let mut rng = Lcg::new(5_000_000 + i as u64);
    let year = Span::days(365).num_seconds();
    let begins_on = Utc::now()
        + Span::hours(3)
        + Span::seconds(year * i as i64 / count.max(1) as i64)
        + Span::minutes(rng.below(120) as i64);
    let city = rng.below(CITIES.len());
    seed::new_event(&mut rng, organizer_actor_id, None, begins_on, city)
}

/// The row of [`planned`] event number `i`.
fn row(ctx: &AppContext, i: usize, count: usize, organizer_actor_id: i64) -> event::ActiveModel {
    let now = Utc::now();
    let new = planned(i, count, organizer_actor_id);
    let begins_on = new.begins_on.unwrap_or(now);
    let address = new.physical_address.unwrap_or_default();
    let (latitude, longitude) = address
        .geom
        .as_deref()
        .and_then(|geom| geom.split_once(';'))
        .and_then(|(lon, lat)| Some((lat.parse().ok()?, lon.parse().ok()?)))
        .unzip();
    let place = Place {
        description: address.description,
        street: address.street,
        postal_code: address.postal_code,
        locality: address.locality,
        region: address.region,
        country: address.country,
        latitude,
        longitude,
    };
    let description = new.description.unwrap_or_default();
    let tags = new.tags.unwrap_or_default();
    let (words, more_words) = search_columns(&new.title, &tags, &description, Some(&place));
    let uuid = uuid::Uuid::new_v4().to_string();
    let url = ctx.url(&format!("/events/{uuid}"));
    let mut row = event::ActiveModel {
        id: NotSet,
        uuid: Set(uuid),
        ap_id: Set(url.clone()),
        url: Set(url),
        search_text: Set(words),
        search_text_more: Set(more_words),
        title: Set(new.title),
        description: Set(description),
        description_source: Set(None),
        begins_on: NotSet,
        ends_on: NotSet,
        lasts_seconds: NotSet,
        is_online: Set(false),
        timezone: Set("Europe/Paris".to_owned()),
        status: Set(EventStatus::Confirmed),
        visibility: Set(EventVisibility::Public),
        join_options: Set(JoinOptions::Free),
        external_participation_url: Set(None),
        draft: Set(false),
        category: Set(new.category),
        language: Set(new.language),
        online_address: Set(None),
        physical_address_id: Set(None),
        latitude: NotSet,
        longitude: NotSet,
        geo_cell: NotSet,
        maximum_attendee_capacity: Set(None),
        show_remaining_attendee_capacity: Set(false),
        anonymous_participation: Set(false),
        hide_number_of_participants: Set(false),
        organizer_actor_id: Set(organizer_actor_id),
        attributed_to_id: Set(None),
        local: Set(true),
        sequence: Set(0),
        published_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        remote_updated_at: Set(None),
        picture_media_id: Set(None),
        details: Set(None),
        waitlist: Set(true),
        series_id: Set(None),
        recurrence_id: Set(None),
        recurrence_overridden: Set(false),
        remote_series_url: Set(None),
        hidden: Set(false),
    };
    set_position(&mut row, Some(&place));
    set_times(&mut row, begins_on, new.ends_on);
    row
}

#[cfg(test)]
mod tests {
    use backend::principal::Principal;
    use backend::testing::TestContext;
    use sea_orm::{ColumnTrait, QueryFilter};

    use super::*;

    #[tokio::test]
    async fn a_bulk_event_is_searched_by_the_same_columns_the_services_write_for_it() {
        let t = TestContext::new().await;
        let organizer = seed::person(&t.ctx, "organizer", |_| {}).await.unwrap();
        events(&t.ctx, 3, organizer.actor_id).await.unwrap();
        let by_service = backend::events::service::create(
            &t.ctx,
            &Principal::User(organizer.user.clone()),
            planned(1, 3, organizer.actor_id),
        )
        .await
        .unwrap();
        let bulk = event::Entity::find()
            .filter(event::Column::Title.eq(by_service.title.clone()))
            .filter(event::Column::Id.ne(by_service.id))
            .all(&t.ctx.db)
            .await
            .unwrap();
        assert_eq!(bulk.len(), 1, "one bulk event has that title");
        let bulk = &bulk[0];
        assert_eq!(bulk.search_text, by_service.search_text);
        assert_eq!(bulk.search_text_more, by_service.search_text_more);
        assert_eq!(bulk.geo_cell, by_service.geo_cell);
        assert_eq!(bulk.latitude, by_service.latitude);
        assert_eq!(bulk.longitude, by_service.longitude);
        assert_eq!(bulk.lasts_seconds, by_service.lasts_seconds);
        assert_eq!(bulk.visibility, by_service.visibility);
        assert_eq!(bulk.hidden, by_service.hidden);
        assert_eq!(bulk.ap_id, t.ctx.url(&format!("/events/{}", bulk.uuid)));
    }
}
