//! The use cases of pictures, each one function taking a [`Principal`].

use entity::actor;
use entity::event;
use entity::media::{self, MediaPurpose};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::process::{DecodeBounds, PictureRefusal, process_in_background};
use crate::context::AppContext;
use crate::db::{begin_write, lock_row};
use crate::error::{Error, Result};
use crate::principal::Principal;
use crate::settings::MediaSettings;

const MAX_NAME_CHARS: usize = 255;
const MAX_ALT_CHARS: usize = 1500;

/// An uploaded file and what the uploader said of it.
#[derive(Debug, Clone)]
pub struct Upload {
    pub bytes: Vec<u8>,
    pub name: String,
    pub alt: Option<String>,
    pub purpose: MediaPurpose,
    /// The identity uploading (one of the user's); their default one when unset.
    pub identity: Option<i64>,
}

/// One stored size, as kept in `media.variants`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredVariant {
    pub name: String,
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// The variants of a stored picture, largest first.
pub fn variants_of(media: &media::Model) -> Vec<StoredVariant> {
    serde_json::from_str(&media.variants).unwrap_or_default()
}

/// The largest upload accepted for `purpose` (Mobilizon's three limits).
pub fn limit_for(settings: &MediaSettings, purpose: MediaPurpose) -> u64 {
    match purpose {
        MediaPurpose::Picture => settings.upload_limit_bytes,
        MediaPurpose::Avatar => settings.avatar_limit_bytes,
        MediaPurpose::Banner => settings.banner_limit_bytes,
    }
}

/// Bytes stored for all identities of the account behind `principal` (Mobilizon's
/// `loggedUser.mediaSize`).
pub async fn used_bytes(conn: &impl ConnectionTrait, principal: &Principal) -> Result<u64> {
    let owners = principal.actor_ids(conn).await?;
    used_by(conn, owners).await
}

/// Bytes stored for all identities of an account.
pub async fn used_bytes_of_user(conn: &impl ConnectionTrait, user_id: i64) -> Result<u64> {
    let owners: Vec<i64> = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .filter(actor::Column::UserId.eq(user_id))
        .into_tuple()
        .all(conn)
        .await?;
    used_by(conn, owners).await
}

async fn used_by(conn: &impl ConnectionTrait, owners: Vec<i64>) -> Result<u64> {
    if owners.is_empty() {
        return Ok(0);
    }
    let sizes: Vec<i64> = media::Entity::find()
        .select_only()
        .column(media::Column::StoredBytes)
        .filter(media::Column::OwnerActorId.is_in(owners))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(sizes
        .into_iter()
        .map(|s| u64::try_from(s).unwrap_or(0))
        .sum())
}

pub async fn find_by_uuid(conn: &impl ConnectionTrait, uuid: &str) -> Result<media::Model> {
    media::Entity::find()
        .filter(media::Column::Uuid.eq(uuid.trim().to_ascii_lowercase()))
        .one(conn)
        .await?
        .ok_or(Error::not_found("media"))
}

/// Pictures by row id (a page of events with their pictures, in one query).
pub async fn find_many(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, media::Model>> {
    let rows = media::Entity::find()
        .filter(media::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|m| (m.id, m)).collect())
}

pub async fn find_by_id(conn: &impl ConnectionTrait, id: i64) -> Result<Option<media::Model>> {
    Ok(media::Entity::find_by_id(id).one(conn).await?)
}

/// Checks, processes and stores an upload, and records it as not attached yet (the orphan
/// cleanup deletes it if nothing uses it within the grace period).
pub async fn upload(
    ctx: &AppContext,
    principal: &Principal,
    upload: Upload,
) -> Result<media::Model> {
    let owner = principal.acting_actor(&ctx.db, upload.identity).await?;
    let name = upload.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "name",
            format!("give the picture a name of 1 to {MAX_NAME_CHARS} characters"),
        ));
    }
    let alt = upload
        .alt
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty());
    if alt
        .as_ref()
        .is_some_and(|a| a.chars().count() > MAX_ALT_CHARS)
    {
        return Err(Error::invalid(
            "alt",
            format!("a description of at most {MAX_ALT_CHARS} characters"),
        ));
    }
    let settings = &ctx.settings.media;
    let size = upload.bytes.len() as u64;
    let limit = limit_for(settings, upload.purpose);
    if size > limit {
        return Err(PictureRefusal::TooLarge { size, limit }.into());
    }
    let quota = settings.quota_bytes_per_user;
    let used = used_bytes(&ctx.db, principal).await?;
    if used >= quota {
        return Err(PictureRefusal::QuotaExceeded { quota }.into());
    }
    let bounds = DecodeBounds {
        max_dimension: settings.max_dimension,
        max_decode_bytes: settings.max_decode_bytes,
    };
    let processed = process_in_background(upload.bytes, bounds).await??;
    let stored_bytes: u64 = processed.variants.iter().map(|v| v.jpeg.len() as u64).sum();
    if used + stored_bytes > quota {
        return Err(PictureRefusal::QuotaExceeded { quota }.into());
    }

    let uuid = uuid::Uuid::new_v4().to_string();
    let mut stored = Vec::new();
    let mut first = None;
    for variant in processed.variants {
        // The uuid is unguessable: a key names one picture and is never reused, so its URL
        // may be cached forever.
        let key = format!("{uuid}-{}.jpg", variant.name.as_str());
        let bytes = variant.jpeg.len() as u64;
        if let Err(err) = ctx.media.put(&key, variant.jpeg).await {
            forget(ctx, &stored).await;
            return Err(err);
        }
        let entry = StoredVariant {
            name: variant.name.as_str().to_owned(),
            key,
            width: variant.width,
            height: variant.height,
            bytes,
        };
        first.get_or_insert_with(|| entry.clone());
        stored.push(entry);
    }
    let Some(main) = first else {
        return Err(Error::internal("a processed picture had no variant"));
    };
    let now = ctx.now();
    let row = media::ActiveModel {
        uuid: Set(uuid),
        owner_actor_id: Set(owner.id),
        purpose: Set(upload.purpose),
        name: Set(name),
        alt: Set(alt),
        content_type: Set("image/jpeg".to_owned()),
        width: Set(i32::try_from(main.width).unwrap_or(i32::MAX)),
        height: Set(i32::try_from(main.height).unwrap_or(i32::MAX)),
        blurhash: Set(processed.blurhash),
        size: Set(i64::try_from(main.bytes).unwrap_or(i64::MAX)),
        stored_bytes: Set(i64::try_from(stored_bytes).unwrap_or(i64::MAX)),
        variants: Set(serde_json::to_string(&stored).map_err(Error::internal)?),
        created_at: Set(now),
        detached_at: Set(Some(now)),
        ..Default::default()
    };
    match row.insert(&ctx.db).await {
        Ok(model) => Ok(model),
        Err(err) => {
            forget(ctx, &stored).await;
            Err(err.into())
        }
    }
}

/// Files stored for an upload that was not recorded: deleted at once, best effort (the
/// database never knew them, so no job could find them later).
async fn forget(ctx: &AppContext, stored: &[StoredVariant]) {
    for variant in stored {
        if let Err(err) = ctx.media.delete(&variant.key).await {
            tracing::warn!(error = %err, "could not delete an unrecorded picture file");
        }
    }
}

/// The picture `uuid` if one of `principal`'s identities uploaded it. Someone else's picture
/// is refused, not found: its id may have been seen on a page.
async fn owned(
    conn: &impl ConnectionTrait,
    principal: &Principal,
    uuid: &str,
) -> Result<media::Model> {
    principal.require_known()?;
    let media = find_by_uuid(conn, uuid).await?;
    let owners = principal.actor_ids(conn).await?;
    if owners.contains(&media.owner_actor_id) {
        Ok(media)
    } else {
        Err(Error::forbidden(
            "this picture was uploaded by someone else",
        ))
    }
}

/// Deletes one of the caller's pictures: whatever showed it shows none, and its files are
/// deleted by a job recorded in the same transaction.
pub async fn remove(ctx: &AppContext, principal: &Principal, uuid: &str) -> Result<media::Model> {
    let tx = begin_write(ctx).await?;
    let media = owned(&tx, principal, uuid).await?;
    lock_row(&tx, "media", media.id).await?;
    delete_in(&tx, ctx.now(), &media).await?;
    tx.commit().await?;
    ctx.wake_workers();
    Ok(media)
}

/// Deletes a picture within the caller's transaction: whatever showed it shows none, and a
/// job recorded in the same transaction deletes its files.
pub(super) async fn delete_in(
    conn: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    media: &media::Model,
) -> Result<()> {
    event::Entity::update_many()
        .col_expr(
            event::Column::PictureMediaId,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(event::Column::UpdatedAt, Expr::value(now))
        .filter(event::Column::PictureMediaId.eq(media.id))
        .exec(conn)
        .await?;
    entity::post::Entity::update_many()
        .col_expr(
            entity::post::Column::PictureMediaId,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(entity::post::Column::UpdatedAt, Expr::value(now))
        .filter(entity::post::Column::PictureMediaId.eq(media.id))
        .exec(conn)
        .await?;
    for column in [actor::Column::AvatarMediaId, actor::Column::BannerMediaId] {
        actor::Entity::update_many()
            .col_expr(column, Expr::value(Option::<i64>::None))
            .col_expr(actor::Column::UpdatedAt, Expr::value(now))
            .filter(column.eq(media.id))
            .exec(conn)
            .await?;
    }
    media::Entity::delete_by_id(media.id).exec(conn).await?;
    super::cleanup::delete_files_later(conn, now, media).await
}

/// Sets (or with `None` takes off) an event's picture. The picture must be the caller's;
/// the one it replaces becomes an orphan.
pub async fn set_event_picture(
    ctx: &AppContext,
    principal: &Principal,
    event_id: i64,
    media_uuid: Option<&str>,
) -> Result<Option<media::Model>> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "events", event_id).await?;
    let event = crate::events::find(&tx, event_id).await?;
    let access = crate::events::access(&tx, principal, &event).await?;
    crate::events::check_editable(&event, access)?;
    let chosen = match media_uuid {
        Some(uuid) => Some(owned(&tx, principal, uuid).await?),
        None => None,
    };
    let now = ctx.now();
    let chosen_id = chosen.as_ref().map(|m| m.id);
    if event.picture_media_id != chosen_id {
        let mut active: event::ActiveModel = event.clone().into();
        active.picture_media_id = Set(chosen_id);
        active.updated_at = Set(now);
        let updated = active.update(&tx).await?;
        swap_attachment(&tx, now, event.picture_media_id, chosen_id).await?;
        // Instances that follow it copy the new picture, or drop the old one.
        if crate::events::policy::federates(&updated) {
            crate::outbox::record(
                ctx,
                &tx,
                now,
                crate::outbox::Happened::EventUpdated {
                    event_id: updated.id,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(chosen)
}

/// Sets (or with `None` takes off) a post's picture, by those who may change the post. The
/// picture must be the caller's; the one it replaces becomes an orphan.
pub async fn set_post_picture(
    ctx: &AppContext,
    principal: &Principal,
    post_uuid: &str,
    media_uuid: Option<&str>,
) -> Result<Option<media::Model>> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    let post = crate::posts::find_by_uuid(&tx, post_uuid).await?;
    lock_row(&tx, "posts", post.id).await?;
    crate::posts::check_writer(&tx, principal, &post).await?;
    let chosen = match media_uuid {
        Some(uuid) => Some(owned(&tx, principal, uuid).await?),
        None => None,
    };
    let now = ctx.now();
    let chosen_id = chosen.as_ref().map(|m| m.id);
    if post.picture_media_id != chosen_id {
        let mut active: entity::post::ActiveModel = post.clone().into();
        active.picture_media_id = Set(chosen_id);
        active.updated_at = Set(now);
        let updated = active.update(&tx).await?;
        swap_attachment(&tx, now, post.picture_media_id, chosen_id).await?;
        // Its group's followers elsewhere see the new picture.
        if updated.local && crate::posts::policy::federates(crate::posts::facts(&updated)) {
            crate::outbox::record(
                ctx,
                &tx,
                now,
                crate::outbox::Happened::PostUpdated {
                    post_id: updated.id,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(chosen)
}

/// A picture whose user went (a deleted post's) starts its grace period as an orphan.
pub async fn detach(
    conn: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    media_id: i64,
) -> Result<()> {
    swap_attachment(conn, now, Some(media_id), None).await
}

/// Which picture of an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorPicture {
    Avatar,
    Banner,
}

/// Sets (or takes off) a person's or a group's avatar or banner: a person's by the user who
/// has that identity, a group's by those who may update the group.
pub async fn set_actor_picture(
    ctx: &AppContext,
    principal: &Principal,
    actor_id: i64,
    which: ActorPicture,
    media_uuid: Option<&str>,
) -> Result<Option<media::Model>> {
    principal.require_known()?;
    let tx = begin_write(ctx).await?;
    lock_row(&tx, "actors", actor_id).await?;
    let target = crate::actors::find(&tx, actor_id).await?;
    let allowed = match target.kind {
        entity::ActorKind::Group => {
            let role = crate::groups::membership_of(&tx, principal, target.id)
                .await?
                .map(|m| m.role);
            crate::groups::policy::can_update_group(role)
        }
        _ => principal.actor_ids(&tx).await?.contains(&target.id),
    };
    if !allowed || !target.is_local() {
        return Err(Error::forbidden(
            "you cannot change this profile's pictures",
        ));
    }
    let chosen = match media_uuid {
        Some(uuid) => Some(owned(&tx, principal, uuid).await?),
        None => None,
    };
    let chosen_id = chosen.as_ref().map(|m| m.id);
    let before = match which {
        ActorPicture::Avatar => target.avatar_media_id,
        ActorPicture::Banner => target.banner_media_id,
    };
    if before != chosen_id {
        let now = ctx.now();
        let mut active: actor::ActiveModel = target.into();
        match which {
            ActorPicture::Avatar => active.avatar_media_id = Set(chosen_id),
            ActorPicture::Banner => active.banner_media_id = Set(chosen_id),
        }
        active.updated_at = Set(now);
        let updated = active.update(&tx).await?;
        swap_attachment(&tx, now, before, chosen_id).await?;
        // Their followers elsewhere see the new avatar or banner.
        if matches!(
            updated.kind,
            entity::ActorKind::Person | entity::ActorKind::Group
        ) {
            crate::outbox::record(
                ctx,
                &tx,
                now,
                crate::outbox::Happened::ActorUpdated {
                    actor_id: updated.id,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(chosen)
}

/// The replaced picture starts its grace period; the chosen one is attached.
async fn swap_attachment(
    conn: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
    replaced: Option<i64>,
    chosen: Option<i64>,
) -> Result<()> {
    if let Some(id) = replaced {
        media::Entity::update_many()
            .col_expr(media::Column::DetachedAt, Expr::value(Some(now)))
            .filter(media::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    if let Some(id) = chosen {
        media::Entity::update_many()
            .col_expr(
                media::Column::DetachedAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .filter(media::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    Ok(())
}
