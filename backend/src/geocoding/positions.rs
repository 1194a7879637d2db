//! Positions for addresses stored without one (typed before address lookup existed, kept "as
//! typed", or come from another instance): a recurring job looks a few of them up each time,
//! so they show near their town in searches by place. Bounded: [`PER_RUN`] lookups every
//! [`EVERY`], one at a time with a pause, an address that found nothing tried again after
//! [`RETRY_AFTER_DAYS`].

use std::time::Duration;

use async_trait::async_trait;
use entity::{address, event};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::AddressQuery;
use crate::context::AppContext;
use crate::error::Result;
use crate::jobs::{Job, JobError, JobHandler};
use crate::principal::Principal;

/// Addresses looked up per run.
pub const PER_RUN: u64 = 30;
/// How often the job runs.
pub const EVERY: Duration = Duration::from_secs(600);
/// The pause between two lookups, for the administrator's geocoding server.
const PAUSE: Duration = Duration::from_millis(200);
/// An address that found nothing is tried again this long after.
pub const RETRY_AFTER_DAYS: i64 = 7;

pub struct FindPositionsJob;

#[async_trait]
impl JobHandler for FindPositionsJob {
    fn kind(&self) -> &'static str {
        "places.find_positions"
    }

    fn every(&self) -> Option<Duration> {
        Some(EVERY)
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        let found = find_positions(ctx, PER_RUN).await?;
        if found > 0 {
            tracing::info!(count = found, "positions found for stored addresses");
        }
        Ok(())
    }
}

/// Looks up to `limit` addresses without a position up, never tried first; gives the position
/// found to the address and to its events. Returns how many were found.
pub async fn find_positions(ctx: &AppContext, limit: u64) -> Result<usize> {
    let now = ctx.now();
    let retry_before = now - chrono::Duration::days(RETRY_AFTER_DAYS);
    let waiting = address::Entity::find()
        .filter(address::Column::Latitude.is_null())
        .filter(
            Condition::any()
                .add(address::Column::Street.is_not_null())
                .add(address::Column::PostalCode.is_not_null())
                .add(address::Column::Locality.is_not_null()),
        )
        .filter(
            Condition::any()
                .add(address::Column::PositionTriedAt.is_null())
                .add(address::Column::PositionTriedAt.lt(retry_before)),
        )
        // Never tried first (NULLs sort differently on SQLite and PostgreSQL), then oldest.
        .order_by_asc(Expr::col(address::Column::PositionTriedAt).is_not_null())
        .order_by_asc(address::Column::PositionTriedAt)
        .order_by_asc(address::Column::Id)
        .limit(limit)
        .all(&ctx.db)
        .await?;
    let language = ctx.default_locale().await?.code().to_owned();
    let mut found = 0;
    for (i, row) in waiting.into_iter().enumerate() {
        if i > 0 {
            tokio::time::sleep(PAUSE).await;
        }
        let town = [row.postal_code.as_deref(), row.locality.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let text = [
            row.street.as_deref(),
            Some(town.as_str()),
            row.country.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        let query = AddressQuery {
            text,
            language: language.clone(),
            towns_only: false,
            limit: 1,
        };
        let position = match ctx
            .geocoder
            .search_address(&Principal::System, &query)
            .await
        {
            Ok(places) => places.first().and_then(|p| p.place.position()),
            // Too long or otherwise unreadable: no position, tried again later.
            Err(err) if !err.is_internal() => None,
            Err(err) => return Err(err),
        };
        let mut update = address::Entity::update_many()
            .col_expr(address::Column::PositionTriedAt, Expr::value(Some(now)))
            .filter(address::Column::Id.eq(row.id))
            // Changed since it was read (an organizer picked a place): left as they made it.
            .filter(address::Column::Latitude.is_null());
        if let Some((lat, lon)) = position {
            update = update
                .col_expr(address::Column::Latitude, Expr::value(Some(lat)))
                .col_expr(address::Column::Longitude, Expr::value(Some(lon)));
        }
        let changed = update.exec(&ctx.db).await?.rows_affected;
        if let (Some((lat, lon)), 1) = (position, changed) {
            event::Entity::update_many()
                .col_expr(event::Column::Latitude, Expr::value(Some(lat)))
                .col_expr(event::Column::Longitude, Expr::value(Some(lon)))
                .col_expr(
                    event::Column::GeoCell,
                    Expr::value(crate::search::geo_cell(Some(lat), Some(lon))),
                )
                .filter(event::Column::PhysicalAddressId.eq(row.id))
                .filter(event::Column::Latitude.is_null())
                .exec(&ctx.db)
                .await?;
            found += 1;
        }
    }
    Ok(found)
}
