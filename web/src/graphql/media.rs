//! Pictures in Mobilizon's shapes: `uploadMedia` (a GraphQL multipart request), `removeMedia`,
//! the `Media` type, and `MediaInput` (an upload or the id of one) taken by the mutations of
//! events, persons and groups. The rules are `backend::media`'s; this module translates.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ID, InputObject, Object, SimpleObject, Upload};
use backend::media::{self as domain, ActorPicture};
use entity::MediaPurpose;
use entity::{actor, media};
use sea_orm::DatabaseConnection;

use super::errors::{GqlResult, IntoGql, to_gql};
use super::objects::{DeletedObject, Media};
use super::{app, parse_id, principal};

#[derive(SimpleObject)]
pub struct MediaMetadata {
    width: Option<i32>,
    height: Option<i32>,
    /// A short text that draws a blurred placeholder while the picture loads.
    blurhash: Option<String>,
}

#[Object]
impl Media {
    async fn id(&self) -> ID {
        ID::from(self.0.uuid.clone())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn alt(&self) -> Option<&str> {
        self.0.alt.as_deref()
    }

    /// Its largest size, on this instance's own origin.
    async fn url(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let variants = domain::variants_of(&self.0);
        let main = variants
            .first()
            .ok_or_else(|| to_gql(backend::Error::internal("a picture without variants")))?;
        Ok(app(ctx)?.url(&domain::path_of(&main.key)))
    }

    async fn content_type(&self) -> &str {
        &self.0.content_type
    }

    /// Bytes of the file at `url`.
    async fn size(&self) -> i64 {
        self.0.size
    }

    async fn metadata(&self) -> MediaMetadata {
        MediaMetadata {
            width: Some(self.0.width),
            height: Some(self.0.height),
            blurhash: Some(self.0.blurhash.clone()),
        }
    }
}

/// A file to upload with what it shows (Mobilizon's `media` of a `MediaInput`).
#[derive(InputObject)]
#[graphql(name = "MediaUpload")]
pub struct MediaUpload {
    file: Upload,
    name: String,
    alt: Option<String>,
}

/// A picture for an event, a person or a group: a new upload, or one uploaded before with
/// `uploadMedia`. Neither takes the current one off.
#[derive(InputObject)]
pub struct MediaInput {
    media: Option<MediaUpload>,
    media_id: Option<ID>,
}

#[derive(Default)]
pub struct MediaMutation;

#[Object]
impl MediaMutation {
    /// Uploads a picture, to be used by an event, a person or a group within
    /// `media.orphan_grace_hours`; it is `actorId`'s (one of the caller's identities), by
    /// default the caller's default identity's.
    async fn upload_media(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        name: String,
        alt: Option<String>,
        actor_id: Option<ID>,
    ) -> GqlResult<Media> {
        let identity = actor_id
            .as_ref()
            .map(|id| parse_id(id, "actorId"))
            .transpose()?;
        upload(ctx, file, name, alt, MediaPurpose::Picture, identity)
            .await
            .map(Media)
    }

    /// Deletes one of the caller's pictures; what showed it shows none.
    async fn remove_media(&self, ctx: &Context<'_>, id: ID) -> GqlResult<DeletedObject> {
        let removed = domain::remove(app(ctx)?, &principal(ctx), id.as_str())
            .await
            .gql()?;
        Ok(DeletedObject::new(removed.id))
    }
}

async fn upload(
    ctx: &Context<'_>,
    file: Upload,
    name: String,
    alt: Option<String>,
    purpose: MediaPurpose,
    identity: Option<i64>,
) -> GqlResult<media::Model> {
    let app = app(ctx)?;
    let principal = principal(ctx);
    principal.require_known().gql()?;
    let value = file.value(ctx)?;
    // The multipart parser kept the file in a temporary file: read off the async threads.
    let bytes = tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut bytes = Vec::new();
        value.into_read().read_to_end(&mut bytes).map(|_| bytes)
    })
    .await
    .map_err(|e| to_gql(backend::Error::internal(e)))?
    .map_err(|e| to_gql(backend::Error::internal(e)))?;
    domain::upload(
        app,
        &principal,
        domain::Upload {
            bytes,
            name,
            alt,
            purpose,
            identity,
        },
    )
    .await
    .gql()
}

/// The picture a `MediaInput` names, uploading it first if it is a file; `None` takes the
/// current one off.
async fn chosen(
    ctx: &Context<'_>,
    input: MediaInput,
    purpose: MediaPurpose,
) -> GqlResult<Option<String>> {
    if let Some(id) = input.media_id {
        return Ok(Some(id.to_string()));
    }
    match input.media {
        Some(new) => Ok(Some(
            upload(ctx, new.file, new.name, new.alt, purpose, None)
                .await?
                .uuid,
        )),
        None => Ok(None),
    }
}

/// Sets an event's picture after the event was saved. A picture that cannot be used (refused
/// upload, someone else's id) is reported as an error beside the answer: the event stays
/// saved without it.
pub async fn attach_to_event(ctx: &Context<'_>, event_id: i64, input: Option<MediaInput>) {
    let Some(input) = input else { return };
    let outcome = async {
        let uuid = chosen(ctx, input, MediaPurpose::Picture).await?;
        domain::set_event_picture(app(ctx)?, &principal(ctx), event_id, uuid.as_deref())
            .await
            .gql()
    }
    .await;
    if let Err(err) = outcome {
        ctx.add_error(err.into_server_error(ctx.item.pos));
    }
}

/// As [`attach_to_event`], for a group's post.
pub async fn attach_to_post(ctx: &Context<'_>, post_uuid: &str, input: Option<MediaInput>) {
    let Some(input) = input else { return };
    let outcome = async {
        let uuid = chosen(ctx, input, MediaPurpose::Picture).await?;
        domain::set_post_picture(app(ctx)?, &principal(ctx), post_uuid, uuid.as_deref())
            .await
            .gql()
    }
    .await;
    if let Err(err) = outcome {
        ctx.add_error(err.into_server_error(ctx.item.pos));
    }
}

/// As [`attach_to_event`], for a person's or a group's avatar and banner.
pub async fn attach_to_actor(
    ctx: &Context<'_>,
    actor_id: i64,
    avatar: Option<MediaInput>,
    banner: Option<MediaInput>,
) {
    for (which, purpose, input) in [
        (ActorPicture::Avatar, MediaPurpose::Avatar, avatar),
        (ActorPicture::Banner, MediaPurpose::Banner, banner),
    ] {
        let Some(input) = input else { continue };
        let outcome = async {
            let uuid = chosen(ctx, input, purpose).await?;
            domain::set_actor_picture(app(ctx)?, &principal(ctx), actor_id, which, uuid.as_deref())
                .await
                .gql()
        }
        .await;
        if let Err(err) = outcome {
            ctx.add_error(err.into_server_error(ctx.item.pos));
        }
    }
}

/// Mobilizon's `config.uploadLimits`, in bytes.
#[derive(SimpleObject)]
pub struct UploadLimits {
    default: i64,
    avatar: i64,
    banner: i64,
}

pub fn upload_limits(settings: &backend::settings::MediaSettings) -> UploadLimits {
    let bytes = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    UploadLimits {
        default: bytes(settings.upload_limit_bytes),
        avatar: bytes(settings.avatar_limit_bytes),
        banner: bytes(settings.banner_limit_bytes),
    }
}

/// Bytes an account's pictures take (Mobilizon's `loggedUser.mediaSize`).
pub async fn used_bytes(ctx: &Context<'_>, user_id: i64) -> GqlResult<i64> {
    let bytes = domain::used_bytes_of_user(&app(ctx)?.db, user_id)
        .await
        .gql()?;
    Ok(i64::try_from(bytes).unwrap_or(i64::MAX))
}

pub struct MediaLoader(pub DatabaseConnection);

impl Loader<i64> for MediaLoader {
    type Value = media::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, media::Model>, Self::Error> {
        domain::find_many(&self.0, keys).await.map_err(to_gql)
    }
}

pub fn loader(db: &DatabaseConnection) -> DataLoader<MediaLoader> {
    DataLoader::new(MediaLoader(db.clone()), tokio::spawn)
}

/// A picture by its row id, through the batch loader (the picture of each event of a list).
pub async fn by_id(ctx: &Context<'_>, id: Option<i64>) -> GqlResult<Option<Media>> {
    let Some(id) = id else { return Ok(None) };
    Ok(ctx
        .data::<DataLoader<MediaLoader>>()?
        .load_one(id)
        .await?
        .map(Media))
}

/// The saved person or group with its avatar and banner set; a picture that cannot be used
/// is an error beside the answer, and the actor stays saved without it.
pub async fn with_pictures(
    ctx: &Context<'_>,
    actor: actor::Model,
    avatar: Option<MediaInput>,
    banner: Option<MediaInput>,
) -> GqlResult<actor::Model> {
    if avatar.is_none() && banner.is_none() {
        return Ok(actor);
    }
    attach_to_actor(ctx, actor.id, avatar, banner).await;
    backend::actors::find(&app(ctx)?.db, actor.id).await.gql()
}
