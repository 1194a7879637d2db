//! Where picture files live: one interface, two real backends. A directory on disk (the
//! zero-configuration default, for one node) and an S3-compatible object store (for several
//! nodes sharing pictures). Keys are flat names made by [`super::service`]: `[a-z0-9.-]+`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::{ObjectStoreExt, PutPayload};

use super::kept_files::KeptFiles;
use crate::error::{Error, Result};
use crate::settings::{MediaSettings, MediaStorageKind};

#[derive(Clone, Debug)]
pub struct MediaStorage {
    store: Store,
    kept: KeptFiles,
}

#[derive(Clone, Debug)]
pub enum Store {
    Disk(DiskStorage),
    S3(S3Storage),
}

impl MediaStorage {
    /// The storage the settings name. Nothing is contacted yet: a store that is down shows
    /// at the first upload, not at start-up.
    pub fn from_settings(settings: &MediaSettings) -> Result<Self> {
        let store = match settings.storage {
            MediaStorageKind::Disk => Store::Disk(DiskStorage::new(&settings.dir)),
            MediaStorageKind::S3 => Store::S3(S3Storage::from_settings(settings)?),
        };
        let budget = usize::try_from(settings.cache_bytes).unwrap_or(usize::MAX);
        Ok(Self::new(store, KeptFiles::new(budget)))
    }

    pub fn new(store: Store, kept: KeptFiles) -> Self {
        Self { store, kept }
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        check_key(key)?;
        match &self.store {
            Store::Disk(disk) => disk.put(key, bytes).await,
            Store::S3(s3) => s3.put(key, bytes).await,
        }
    }

    /// The file, or `None` when no file has this key. Small files come from this node's
    /// memory once read ([`KeptFiles`]).
    pub async fn get(&self, key: &str) -> Result<Option<Bytes>> {
        if check_key(key).is_err() {
            return Ok(None);
        }
        if let Some(bytes) = self.kept.get(key) {
            return Ok(Some(bytes));
        }
        let found = match &self.store {
            Store::Disk(disk) => disk.get(key).await?,
            Store::S3(s3) => s3.get(key).await?,
        };
        if let Some(bytes) = &found {
            self.kept.keep(key, bytes);
        }
        Ok(found)
    }

    /// Deletes a file; deleting one that is already gone succeeds (a retried cleanup).
    pub async fn delete(&self, key: &str) -> Result<()> {
        check_key(key)?;
        self.kept.forget(key);
        match &self.store {
            Store::Disk(disk) => disk.delete(key).await,
            Store::S3(s3) => s3.delete(key).await,
        }
    }
}

/// Keys never come from outside unchecked: no separators, no `..`, nothing a path or a URL
/// would read differently.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 128
        && !key.starts_with('.')
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

fn check_key(key: &str) -> Result<()> {
    if is_valid_key(key) {
        Ok(())
    } else {
        Err(Error::internal(format!("malformed media key {key:?}")))
    }
}

#[derive(Clone, Debug)]
pub struct DiskStorage {
    dir: PathBuf,
}

impl DiskStorage {
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
        }
    }

    /// Written under a hidden temporary name, then renamed: a reader never sees half a file,
    /// and a crash leaves at worst a temporary file, never a truncated picture.
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        let dir = self.dir.clone();
        let key = key.to_owned();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            use std::io::Write;
            std::fs::create_dir_all(&dir)?;
            let mut temp = tempfile::Builder::new()
                .prefix(".upload-")
                .tempfile_in(&dir)?;
            temp.write_all(&bytes)?;
            temp.as_file().sync_all()?;
            temp.persist(dir.join(&key)).map_err(|e| e.error)?;
            Ok(())
        })
        .await
        .map_err(Error::internal)?
        .map_err(Error::internal)
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>> {
        match tokio::fs::read(self.dir.join(key)).await {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(Error::internal(err)),
        }
    }

    async fn delete(&self, key: &str) -> Result<()> {
        match tokio::fs::remove_file(self.dir.join(key)).await {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(Error::internal(err)),
        }
    }
}

#[derive(Clone, Debug)]
pub struct S3Storage {
    store: Arc<AmazonS3>,
}

impl S3Storage {
    pub fn from_settings(settings: &MediaSettings) -> Result<Self> {
        let s3 = &settings.s3;
        // Credentials left unset come from the usual AWS_* variables.
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&s3.bucket)
            .with_region(&s3.region)
            .with_allow_http(s3.allow_http);
        if let Some(endpoint) = &s3.endpoint {
            // Self-hosted stores (Garage, MinIO) answer on one host for every bucket.
            builder = builder
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false);
        }
        if let (Some(id), Some(secret)) = (&s3.access_key_id, &s3.secret_access_key) {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
        }
        let store = builder.build().map_err(Error::internal)?;
        Ok(Self {
            store: Arc::new(store),
        })
    }

    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        self.store
            .put(
                &object_store::path::Path::from(key),
                PutPayload::from(bytes),
            )
            .await
            .map_err(Error::internal)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>> {
        match self.store.get(&object_store::path::Path::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(Error::internal)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(Error::internal(err)),
        }
    }

    async fn delete(&self, key: &str) -> Result<()> {
        match self
            .store
            .delete(&object_store::path::Path::from(key))
            .await
        {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(Error::internal(err)),
        }
    }
}

#[cfg(test)]
#[path = "storage_tests.rs"]
mod tests;
