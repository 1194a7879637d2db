//! Pictures of other instances: a remote event's banner, a remote actor's avatar and banner.
//! They are never shown from their origin (no page loads anything from another site): when a
//! remote event or actor is stored, [`plan`] records, in the same transaction, a job that
//! fetches the picture once. The federation layer runs that job (it owns the HTTP client and
//! the rules for outgoing requests), then hands the bytes to [`store`], which checks and
//! re-encodes them with the upload use case itself ([`super::upload`]), as the remote owner,
//! and attaches the copy. A copy remembers its source: a picture that stays is not fetched
//! again, one that changes is replaced, one that goes is deleted, and so are the copies of a
//! deleted event or actor and of a blocked instance.

use chrono::{DateTime, Utc};
use entity::media::{self, MediaPurpose};
use entity::{actor, event};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};

use super::service::{Upload, delete_in, find_by_id, limit_for, upload};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::jobs::{NewJob, OnDuplicate, cancel_pending, enqueue, find_pending};
use crate::principal::Principal;

/// The kind of the job that fetches a remote picture (run by the federation layer).
pub const FETCH_JOB: &str = "media.fetch_remote";

/// Longest source address kept; a longer one is not fetched.
const MAX_URL_CHARS: usize = 2048;
const MAX_NAME_CHARS: usize = 255;

/// A picture another instance names for one of its events or actors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePicture {
    pub url: String,
    /// Its name there (Mobilizon's `"Banner"`, a file name, Mastodon's description).
    pub name: Option<String>,
}

/// Which picture of which remote object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PictureOf {
    Event,
    Avatar,
    Banner,
}

impl PictureOf {
    fn purpose(self) -> MediaPurpose {
        match self {
            PictureOf::Event => MediaPurpose::Picture,
            PictureOf::Avatar => MediaPurpose::Avatar,
            PictureOf::Banner => MediaPurpose::Banner,
        }
    }

    fn default_name(self) -> &'static str {
        match self {
            PictureOf::Event | PictureOf::Banner => "Banner",
            PictureOf::Avatar => "Avatar",
        }
    }

    /// The key of the pending fetch for one object's picture; the trailing `:` keeps the
    /// key of object 12 from being a prefix of object 123's.
    fn job_key(self, id: i64) -> String {
        let which = match self {
            PictureOf::Event => "event",
            PictureOf::Avatar => "avatar",
            PictureOf::Banner => "banner",
        };
        format!("picture:{which}:{id}:")
    }
}

/// What the fetch job carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FetchPicture {
    pub of: PictureOf,
    /// The event's or the actor's row.
    pub id: i64,
    pub url: String,
    pub name: Option<String>,
    /// The version of the event or actor that asked for this picture: if it was stored
    /// again since, that newer version decided (and planned its own fetch if it needs one).
    pub version: String,
}

/// What a fetch may bring, once [`prepare`] found it still wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub owner_actor_id: i64,
    /// Bytes read at most: the upload limit of this kind of picture.
    pub limit: u64,
}

/// The version of a remote event, as [`FetchPicture::version`] keeps it.
pub fn event_version(event: &event::Model) -> String {
    format!("event:{}", event.sequence)
}

/// The version of a remote actor, as [`FetchPicture::version`] keeps it.
pub fn actor_version(actor: &actor::Model) -> String {
    format!("actor:{}", actor.updated_at.timestamp_micros())
}

/// Only http(s) addresses of a bounded length are fetched; anything else is ignored.
fn fetchable(picture: &RemotePicture) -> bool {
    picture.url.len() <= MAX_URL_CHARS
        && url::Url::parse(&picture.url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// Within the transaction that stores a remote event or actor: keeps its current copy when
/// the origin names the same picture, else deletes that copy and records the fetch of the new
/// one (replacing a fetch still pending for this object). `current` is the media row the
/// object points at, `version` its [`event_version`] or [`actor_version`] as just stored.
pub async fn plan(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    of: PictureOf,
    id: i64,
    version: String,
    current: Option<i64>,
    wanted: Option<&RemotePicture>,
) -> Result<()> {
    let wanted = wanted.filter(|p| fetchable(p));
    let current = match current {
        Some(media_id) => find_by_id(conn, media_id).await?,
        None => None,
    };
    let key = of.job_key(id);
    let same = match (&current, wanted) {
        (Some(copy), Some(wanted)) => copy.remote_url.as_deref() == Some(wanted.url.as_str()),
        _ => false,
    };
    if same {
        cancel_pending(conn, now, &key).await?;
        return Ok(());
    }
    if let Some(copy) = &current {
        delete_in(conn, now, copy).await?;
    }
    match wanted {
        Some(wanted) => {
            let job = FetchPicture {
                of,
                id,
                url: wanted.url.clone(),
                name: wanted.name.clone(),
                version,
            };
            enqueue(
                conn,
                now,
                NewJob::new(FETCH_JOB, &job)?.unique(key, OnDuplicate::Replace),
            )
            .await?;
        }
        None => {
            cancel_pending(conn, now, &key).await?;
        }
    }
    Ok(())
}

/// The remote event or actor a fetch is for, if it still wants this picture.
struct Target {
    owner_actor_id: i64,
    version: String,
    current: Option<i64>,
}

async fn target(conn: &impl ConnectionTrait, job: &FetchPicture) -> Result<Option<Target>> {
    Ok(match job.of {
        PictureOf::Event => event::Entity::find_by_id(job.id)
            .one(conn)
            .await?
            .filter(|e| !e.local)
            .map(|e| Target {
                owner_actor_id: e.organizer_actor_id,
                version: event_version(&e),
                current: e.picture_media_id,
            }),
        PictureOf::Avatar | PictureOf::Banner => actor::Entity::find_by_id(job.id)
            .one(conn)
            .await?
            .filter(|a| !a.is_local())
            .map(|a| Target {
                owner_actor_id: a.id,
                version: actor_version(&a),
                current: if job.of == PictureOf::Avatar {
                    a.avatar_media_id
                } else {
                    a.banner_media_id
                },
            }),
    }
    .filter(|t| t.version == job.version))
}

/// Whether the picture of `job` is still to be fetched, and within which limit: its object
/// exists, is the version that asked, has no copy of it yet, and neither its owner nor the
/// picture's host is blocked here. `None` means there is nothing to do.
pub async fn prepare(ctx: &AppContext, job: &FetchPicture) -> Result<Option<Wanted>> {
    let Some(target) = target(&ctx.db, job).await? else {
        return Ok(None);
    };
    if let Some(current) = target.current
        && find_by_id(&ctx.db, current)
            .await?
            .is_some_and(|copy| copy.remote_url.as_deref() == Some(job.url.as_str()))
    {
        return Ok(None);
    }
    let owner = crate::actors::find(&ctx.db, target.owner_actor_id).await?;
    if owner.is_local()
        || owner.suspended
        || crate::domain_blocks::lookup::is_url_blocked(&ctx.db, &job.url).await?
    {
        return Ok(None);
    }
    Ok(Some(Wanted {
        owner_actor_id: owner.id,
        limit: limit_for(&ctx.settings.media, job.of.purpose()),
    }))
}

/// Checks, re-encodes and stores fetched bytes as the remote owner's picture, by the upload
/// use case (same formats, limits, bounded decoding and quota), and attaches the copy to its
/// event or actor. `Ok(None)` when the object changed meanwhile (the copy is then deleted).
/// A refused picture is an error with the upload's code; the object keeps no picture.
pub async fn store(
    ctx: &AppContext,
    job: &FetchPicture,
    wanted: Wanted,
    bytes: Vec<u8>,
) -> Result<Option<media::Model>> {
    let principal = Principal::Remote {
        actor_id: wanted.owner_actor_id,
        activity_id: job.url.clone(),
    };
    let name = job
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(job.of.default_name())
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    let copy = upload(
        ctx,
        &principal,
        Upload {
            bytes,
            name,
            alt: None,
            purpose: job.of.purpose(),
            identity: None,
        },
    )
    .await?;

    let now = ctx.now();
    let tx = begin_write(ctx).await?;
    let table = match job.of {
        PictureOf::Event => "events",
        PictureOf::Avatar | PictureOf::Banner => "actors",
    };
    lock_row(&tx, table, job.id).await?;
    let mut found = target(&tx, job).await?;
    if found.is_none()
        && let Some(newer) = same_fetch_pending(&tx, job).await?
    {
        // Stored again meanwhile, naming the same picture: this copy answers that fetch too.
        found = target(&tx, &newer).await?;
        if found.is_some() {
            cancel_pending(&tx, now, &job.of.job_key(job.id)).await?;
        }
    }
    let Some(target) = found else {
        delete_in(&tx, now, &copy).await?;
        tx.commit().await?;
        ctx.wake_workers();
        return Ok(None);
    };
    if let Some(replaced) = target.current
        && let Some(replaced) = find_by_id(&tx, replaced).await?
    {
        delete_in(&tx, now, &replaced).await?;
    }
    media::Entity::update_many()
        .col_expr(media::Column::RemoteUrl, Expr::value(job.url.clone()))
        .col_expr(
            media::Column::DetachedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(media::Column::Id.eq(copy.id))
        .exec(&tx)
        .await?;
    match job.of {
        PictureOf::Event => {
            event::Entity::update_many()
                .col_expr(event::Column::PictureMediaId, Expr::value(copy.id))
                .filter(event::Column::Id.eq(job.id))
                .exec(&tx)
                .await?;
        }
        PictureOf::Avatar | PictureOf::Banner => {
            let column = if job.of == PictureOf::Avatar {
                actor::Column::AvatarMediaId
            } else {
                actor::Column::BannerMediaId
            };
            actor::Entity::update_many()
                .col_expr(column, Expr::value(copy.id))
                .filter(actor::Column::Id.eq(job.id))
                .exec(&tx)
                .await?;
        }
    }
    let stored = find_by_id(&tx, copy.id).await?;
    tx.commit().await?;
    ctx.wake_workers();
    Ok(stored)
}

/// The fetch a newer version of the object planned, when it names the same picture.
async fn same_fetch_pending(
    conn: &impl ConnectionTrait,
    job: &FetchPicture,
) -> Result<Option<FetchPicture>> {
    let Some(pending) = find_pending(conn, &job.of.job_key(job.id)).await? else {
        return Ok(None);
    };
    let newer: FetchPicture = serde_json::from_value(pending.payload).map_err(Error::internal)?;
    Ok((newer.url == job.url).then_some(newer))
}

/// Deletes, in the caller's transaction, the copy of a remote event's picture (the event is
/// being deleted).
pub async fn forget_event_picture(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    event: &event::Model,
) -> Result<()> {
    if event.local {
        return Ok(());
    }
    if let Some(id) = event.picture_media_id
        && let Some(copy) = find_by_id(conn, id).await?
    {
        delete_in(conn, now, &copy).await?;
    }
    Ok(())
}

/// Deletes, in the caller's transaction, every picture copied for remote actors (deleted, or
/// of a blocked instance): their avatars, banners and their events' pictures. Local actors'
/// uploads are never touched.
pub async fn forget_pictures_of(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    actor_ids: &[i64],
) -> Result<u64> {
    if actor_ids.is_empty() {
        return Ok(0);
    }
    let remote: Vec<i64> = actor::Entity::find()
        .filter(actor::Column::Id.is_in(actor_ids.iter().copied()))
        .filter(actor::Column::Domain.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    if remote.is_empty() {
        return Ok(0);
    }
    let copies = media::Entity::find()
        .filter(media::Column::OwnerActorId.is_in(remote))
        .all(conn)
        .await?;
    for copy in &copies {
        delete_in(conn, now, copy).await?;
    }
    Ok(copies.len() as u64)
}

#[cfg(test)]
#[path = "remote_tests.rs"]
mod tests;
