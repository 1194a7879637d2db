//! Since when each list feed shows what it shows: its `Last-Modified`.
//!
//! The newest change among a list's events is not enough: the list also changes when an
//! event leaves it (deleted, cancelled, made private, moved to another group, over, its
//! instance blocked), and no remaining row records that moment. The entity tag sees every such
//! change (`sources`), so the feed's date is the moment its current entity tag was first
//! served, kept in the database for every node. Each new version gets a date later than the
//! one before, in whole seconds (HTTP dates have no fraction): a client that revalidates with
//! `If-Modified-Since` and the date of an older version is always sent the new one.

use chrono::{DateTime, Utc};
use entity::feed_version;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The most feeds whose versions are kept; past it the oldest are forgotten. A forgotten feed
/// is dated anew when next served, which only makes its readers fetch it once more.
pub const MAX_KEPT: u64 = 20_000;

/// How often a version is tried again when another request wrote a newer one meanwhile.
const ATTEMPTS: usize = 4;

/// The key of a feed's row: its absolute address with its format, hashed (a private feed's
/// address holds its token).
pub fn key(address: &str) -> String {
    hex::encode(Sha256::digest(address.as_bytes()))
}

/// The date of the version `etag` of the feed `key`: when it was first served, or now if it
/// is new.
pub async fn since(
    conn: &impl ConnectionTrait,
    key: &str,
    etag: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let now_secs = now.timestamp();
    for _ in 0..ATTEMPTS {
        let held = feed_version::Entity::find_by_id(key.to_owned())
            .one(conn)
            .await?;
        let written = match held {
            Some(held) if held.etag == etag => return seconds(held.since),
            Some(held) => {
                // A later date than the version before, even within the same second.
                let since = now_secs.max(held.since + 1);
                let changed = feed_version::Entity::update_many()
                    .col_expr(feed_version::Column::Etag, etag.into())
                    .col_expr(feed_version::Column::Since, since.into())
                    .filter(feed_version::Column::Key.eq(key))
                    .filter(feed_version::Column::Etag.eq(held.etag.as_str()))
                    .filter(feed_version::Column::Since.eq(held.since))
                    .exec(conn)
                    .await?;
                (changed.rows_affected == 1).then_some(since)
            }
            None => {
                let inserted = feed_version::Entity::insert(feed_version::ActiveModel {
                    key: Set(key.to_owned()),
                    etag: Set(etag.to_owned()),
                    since: Set(now_secs),
                })
                .on_conflict(
                    OnConflict::column(feed_version::Column::Key)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(conn)
                .await?;
                if inserted == 1 {
                    keep_within_bounds(conn, MAX_KEPT).await?;
                    Some(now_secs)
                } else {
                    None
                }
            }
        };
        if let Some(since) = written {
            return seconds(since);
        }
        // Another request wrote the row between our read and our write: read it again.
    }
    Err(Error::internal(
        "a feed's version kept changing while it was dated",
    ))
}

/// Forgets the oldest tenth once more than `max` feeds are kept (instance feeds take any
/// tags in their address, so their number is the readers' choice).
async fn keep_within_bounds(conn: &impl ConnectionTrait, max: u64) -> Result<()> {
    let kept = feed_version::Entity::find().count(conn).await?;
    if kept <= max {
        return Ok(());
    }
    let oldest: Vec<String> = feed_version::Entity::find()
        .select_only()
        .column(feed_version::Column::Key)
        .order_by_asc(feed_version::Column::Since)
        .limit((max / 10).max(1))
        .into_tuple()
        .all(conn)
        .await?;
    feed_version::Entity::delete_many()
        .filter(feed_version::Column::Key.is_in(oldest))
        .exec(conn)
        .await?;
    Ok(())
}

fn seconds(since: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(since, 0)
        .ok_or_else(|| Error::internal(format!("a feed's date out of range: {since}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::testing::TestDatabase;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).single().unwrap() + Duration::seconds(secs)
    }

    #[tokio::test]
    async fn a_version_keeps_the_date_it_was_first_served_and_each_new_one_is_later() {
        let database = TestDatabase::new().await;
        let db = &database.db;
        let feed = key("https://example.org/events/feed/ics");
        assert_eq!(since(db, &feed, "\"a\"", at(0)).await.unwrap(), at(0));
        assert_eq!(
            since(db, &feed, "\"a\"", at(60)).await.unwrap(),
            at(0),
            "the same version keeps its date"
        );
        assert_eq!(since(db, &feed, "\"b\"", at(90)).await.unwrap(), at(90));
        // Two changes within one second still get two dates, one after the other.
        assert_eq!(
            since(db, &feed, "\"c\"", at(90) + Duration::milliseconds(400))
                .await
                .unwrap(),
            at(91)
        );
        assert_eq!(
            since(db, &feed, "\"a\"", at(91)).await.unwrap(),
            at(92),
            "an old version coming back is new again"
        );
        let other = key("https://example.org/@jazz/feed/ics");
        assert_eq!(since(db, &other, "\"a\"", at(100)).await.unwrap(), at(100));
        assert_eq!(since(db, &feed, "\"a\"", at(100)).await.unwrap(), at(92));
    }

    #[tokio::test]
    async fn past_the_most_kept_the_oldest_feeds_are_forgotten() {
        let database = TestDatabase::new().await;
        let db = &database.db;
        for n in 0..12 {
            since(
                db,
                &key(&format!("/events/feed/ics?tags={n}")),
                "\"a\"",
                at(n),
            )
            .await
            .unwrap();
        }
        keep_within_bounds(db, 10).await.unwrap();
        let kept: Vec<i64> = feed_version::Entity::find()
            .order_by_asc(feed_version::Column::Since)
            .all(db)
            .await
            .unwrap()
            .iter()
            .map(|row| row.since - at(0).timestamp())
            .collect();
        assert_eq!(kept, (1..12).collect::<Vec<_>>());
    }

    #[test]
    fn keys_hide_the_address() {
        let token = key("https://example.org/feed/s3cr3t/ics");
        assert_eq!(token.len(), 64);
        assert!(!token.contains("s3cr3t"));
        assert_ne!(token, key("https://example.org/feed/s3cr3t/atom"));
    }
}
