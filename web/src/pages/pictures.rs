//! Pictures on pages and from forms. Pages show the stored sizes of a picture through
//! `srcset`, with its width and height (no layout shift) and its blurhash as a placeholder
//! that needs no JavaScript. Forms hand a chosen file to the same media service as GraphQL's
//! `uploadMedia`, then set it with the same function as a `MediaInput`.

use std::collections::HashMap;

use backend::AppContext;
use backend::media::{self, ActorPicture, VariantName};
use backend::principal::Principal;
use entity::media::{MediaPurpose, Model as Media};

use super::form::FormFile;

/// Where a picture is shown, which sets the size it is fetched at.
#[derive(Clone, Copy)]
pub enum Shown {
    /// Across the page: an event's or a group's banner.
    Banner,
    /// An event's card in a list.
    Card,
    /// A small round picture beside a name.
    Avatar,
}

impl Shown {
    /// The variant in `src`, for browsers that do not read `srcset`.
    fn default_variant(self) -> VariantName {
        match self {
            Shown::Banner => VariantName::Banner,
            Shown::Card => VariantName::Card,
            Shown::Avatar => VariantName::Thumbnail,
        }
    }

    /// How wide it is drawn (web/assets/convive.css), so the browser picks the variant.
    fn sizes(self) -> &'static str {
        match self {
            Shown::Banner => "(min-width: 60rem) 58rem, 100vw",
            Shown::Card => "(min-width: 40rem) 19rem, 100vw",
            Shown::Avatar => "4rem",
        }
    }
}

/// A picture as a page draws it.
#[derive(Clone)]
pub struct Picture {
    pub src: String,
    pub srcset: String,
    pub sizes: &'static str,
    pub width: u32,
    pub height: u32,
    /// What it shows, for people who cannot see it; empty when it only decorates what is
    /// written beside it.
    pub alt: String,
    /// Its blurhash as a few pixels, drawn under it while it loads.
    pub placeholder: Option<String>,
}

impl Picture {
    /// A stored picture shown `shown`; `described` says whether its own description is its
    /// `alt` (an event's banner) or it only decorates a name written beside it (`alt=""`).
    pub fn of(media: &Media, shown: Shown, described: bool) -> Option<Self> {
        let variants = media::variants_of(media);
        let main = media::variant(&variants, shown.default_variant())?;
        let srcset = variants
            .iter()
            .map(|v| format!("{} {}w", media::path_of(&v.key), v.width))
            .collect::<Vec<_>>()
            .join(", ");
        Some(Self {
            src: media::path_of(&main.key),
            srcset,
            sizes: shown.sizes(),
            width: main.width,
            height: main.height,
            alt: if described {
                media.alt.clone().unwrap_or_default()
            } else {
                String::new()
            },
            placeholder: media::placeholder::data_url(&media.blurhash, media.width, media.height),
        })
    }

    /// The picture of a row, if it has one and it is loaded.
    pub fn of_id(
        loaded: &HashMap<i64, Media>,
        id: Option<i64>,
        shown: Shown,
        described: bool,
    ) -> Option<Self> {
        id.and_then(|id| loaded.get(&id))
            .and_then(|m| Self::of(m, shown, described))
    }
}

/// The picture a shared link's preview shows (OpenGraph and Twitter cards): the banner size,
/// at an absolute URL of our own origin.
pub struct SharedImage {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

impl SharedImage {
    pub fn of(ctx: &AppContext, media: &Media) -> Option<Self> {
        let variants = media::variants_of(media);
        let shown = media::variant(&variants, VariantName::Banner)?;
        Some(Self {
            url: ctx.url(&media::path_of(&shown.key)),
            width: shown.width,
            height: shown.height,
            alt: media.alt.clone().unwrap_or_default(),
        })
    }
}

/// What the picture fields of a form ask for.
pub enum Asked {
    Keep,
    Remove,
    Replace { file: FormFile, alt: String },
}

/// Reads a file input, its description and its "remove" box. A picture must be described:
/// without one the form comes back, before anything is saved.
pub fn asked(
    file: Option<FormFile>,
    alt: &str,
    remove: bool,
    alt_field: &str,
    message: String,
) -> backend::Result<Asked> {
    match file {
        Some(_) if alt.trim().is_empty() => Err(backend::Error::invalid(alt_field, message)),
        Some(file) => Ok(Asked::Replace {
            file,
            alt: alt.trim().to_owned(),
        }),
        None if remove => Ok(Asked::Remove),
        None => Ok(Asked::Keep),
    }
}

/// Sets what the form asked for on an event, through `backend::media` as GraphQL does.
pub async fn apply_to_event(
    ctx: &AppContext,
    principal: &Principal,
    event_id: i64,
    asked: Asked,
) -> backend::Result<()> {
    let uuid = match asked {
        Asked::Keep => return Ok(()),
        Asked::Remove => None,
        Asked::Replace { file, alt } => {
            Some(upload(ctx, principal, file, alt, MediaPurpose::Picture).await?)
        }
    };
    media::set_event_picture(ctx, principal, event_id, uuid.as_deref()).await?;
    Ok(())
}

/// Sets what the form asked for as a group's or a person's avatar or banner.
pub async fn apply_to_actor(
    ctx: &AppContext,
    principal: &Principal,
    actor_id: i64,
    which: ActorPicture,
    asked: Asked,
) -> backend::Result<()> {
    let purpose = match which {
        ActorPicture::Avatar => MediaPurpose::Avatar,
        ActorPicture::Banner => MediaPurpose::Banner,
    };
    let uuid = match asked {
        Asked::Keep => return Ok(()),
        Asked::Remove => None,
        Asked::Replace { file, alt } => Some(upload(ctx, principal, file, alt, purpose).await?),
    };
    media::set_actor_picture(ctx, principal, actor_id, which, uuid.as_deref()).await?;
    Ok(())
}

/// The file's name names the picture (as Mobilizon's web client does), cut to what the media
/// service keeps.
pub(super) async fn upload(
    ctx: &AppContext,
    principal: &Principal,
    file: FormFile,
    alt: String,
    purpose: MediaPurpose,
) -> backend::Result<String> {
    let name: String = file.file_name.trim().chars().take(255).collect();
    let name = if name.is_empty() {
        "picture".to_owned()
    } else {
        name
    };
    let stored = media::upload(
        ctx,
        principal,
        media::Upload {
            bytes: file.bytes,
            name,
            alt: Some(alt),
            purpose,
            identity: None,
        },
    )
    .await?;
    Ok(stored.uuid)
}

/// Why a picture was refused, in the visitor's words (the backend's own words are English).
pub fn refusal(locale: backend::i18n::Locale, err: &backend::Error) -> String {
    let key = match err.code() {
        "picture_unsupported" => "picture-refused-unsupported",
        "picture_unreadable" => "picture-refused-unreadable",
        "picture_too_big" | "payload_too_large" => "picture-refused-too-big",
        "quota_exceeded" => "picture-refused-quota",
        _ => "picture-refused-other",
    };
    super::i18n::t(locale, key)
}
