//! Pictures: uploads made safe (format by content, bounded decoding, metadata stripped by
//! re-encoding) and light (a few JPEG sizes and a blurhash), kept in one storage with two
//! real backends, attached to events and actors, and cleaned up when nothing uses them.
//! Pictures of other instances are copied here the same way (`remote`).

mod cleanup;
pub mod kept_files;
pub mod placeholder;
pub mod process;
pub mod remote;
mod service;
pub mod storage;

pub use cleanup::{CleanOrphanMediaJob, DeleteStoredMediaJob};
pub use process::{PictureRefusal, VariantName};
pub use remote::RemotePicture;
pub use service::{
    ActorPicture, StoredVariant, Upload, detach, find_by_id, find_by_uuid, find_many, limit_for,
    remove, set_actor_picture, set_event_picture, set_post_picture, upload, used_bytes,
    used_bytes_of_user, variants_of,
};
pub use storage::MediaStorage;

/// The path a stored file is served at, on our own origin.
pub fn path_of(key: &str) -> String {
    format!("/media/{key}")
}

/// The variant to show where `name` is wanted: the smallest at least that large, else the
/// largest (a small upload keeps one variant, whatever its name).
pub fn variant(variants: &[StoredVariant], name: VariantName) -> Option<&StoredVariant> {
    let wanted = name.max_side();
    variants
        .iter()
        .filter(|v| v.width.max(v.height) >= wanted)
        .min_by_key(|v| v.width.max(v.height))
        .or_else(|| variants.iter().max_by_key(|v| v.width.max(v.height)))
}

#[cfg(test)]
mod tests;
