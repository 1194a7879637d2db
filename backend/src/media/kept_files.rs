//! Small stored pictures kept in this node's memory, so that serving a thumbnail or a card
//! again reads no storage (a disk read goes through the blocking pool, an S3 read is a round
//! trip). A key names one content forever, so what is kept is never stale; only a deletion
//! ends it. The node that deletes a file forgets it at once; another node sharing the same
//! S3 store reads it again at most [`MAX_AGE`] after it kept it, and finds it gone.

use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::kept::Kept;

/// Thumbnails (~10–20 KB) and cards (~50–80 KB) are kept; most banners are larger and are
/// read from storage each time, so that a few of them do not push out hundreds of the others.
pub const MAX_FILE_BYTES: usize = 256 * 1024;

/// How long another node may go on serving a picture deleted through this one.
pub const MAX_AGE: Duration = Duration::from_secs(10 * 60);

#[derive(Clone, Debug)]
pub struct KeptFiles {
    kept: Kept<KeptFile>,
    max_age: Duration,
}

#[derive(Clone)]
struct KeptFile {
    bytes: Bytes,
    kept_at: Instant,
}

impl KeptFiles {
    /// Keeps up to `budget` bytes of files; 0 keeps none.
    pub fn new(budget: usize) -> Self {
        Self::with_max_age(budget, MAX_AGE)
    }

    pub(super) fn with_max_age(budget: usize, max_age: Duration) -> Self {
        Self {
            kept: Kept::new(budget, |file: &KeptFile| file.bytes.len()),
            max_age,
        }
    }

    /// The file kept under `key`, unless it was kept too long ago to be sure it still exists.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        self.kept
            .get(key)
            .filter(|file| file.kept_at.elapsed() <= self.max_age)
            .map(|file| file.bytes)
    }

    /// Keeps a file just read or written, if it is small enough.
    pub fn keep(&self, key: &str, bytes: &Bytes) {
        if bytes.len() <= MAX_FILE_BYTES {
            let file = KeptFile {
                bytes: bytes.clone(),
                kept_at: Instant::now(),
            };
            // In place of one kept too long ago, read again.
            self.kept.replace(key, file);
        }
    }

    pub fn forget(&self, key: &str) {
        self.kept.remove(key);
    }
}
