//! Messages written as `.eml` files, each whole or not at all: written under a temporary name,
//! flushed to disk, then renamed to `<key>.eml`. A process killed mid-write leaves no empty or
//! cut `.eml` behind, and a message written again (its job ran again after a crash) replaces
//! its first file instead of adding a second one.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{MailError, MessageKey};

/// Temporary files end so, never in `.eml`: readers of the outbox take only finished messages.
const TEMPORARY_SUFFIX: &str = ".tmp";

/// Temporary files older than this were left by a process that died; a write takes
/// milliseconds, and another process may be writing into the same directory.
const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

#[derive(Debug)]
pub(super) struct OutboxDir {
    dir: PathBuf,
}

impl OutboxDir {
    /// Creates the directory if needed and clears what crashed writers left there long ago.
    pub(super) fn open(dir: &Path) -> Result<Self, MailError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            MailError::Config(format!(
                "mail.outbox_dir {}: cannot create it: {e}",
                dir.display()
            ))
        })?;
        let removed = remove_abandoned(dir);
        if removed > 0 {
            tracing::info!(removed, "removed unfinished mail files left by a crash");
        }
        Ok(Self {
            dir: dir.to_owned(),
        })
    }

    pub(super) async fn write(&self, key: &MessageKey, message: Vec<u8>) -> Result<(), MailError> {
        let dir = self.dir.clone();
        let key = key.clone();
        tokio::task::spawn_blocking(move || write_whole(&dir, &key, &message))
            .await
            .map_err(|e| MailError::File(format!("the writing task failed: {e}")))?
            .map_err(|e| MailError::File(e.to_string()))
    }
}

fn write_whole(dir: &Path, key: &MessageKey, message: &[u8]) -> io::Result<()> {
    // A name of its own per write: two runs of one job (its lease ran out during a slow write)
    // never write into the same temporary file, and the last rename leaves one whole message.
    let temporary = dir.join(format!(
        ".{key}.{:016x}{TEMPORARY_SUFFIX}",
        rand::random::<u64>()
    ));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(message)?;
        // On disk before it takes its name: after a power cut, no `.eml` without its content.
        file.sync_all()?;
        std::fs::rename(&temporary, dir.join(format!("{key}.eml")))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
        return written;
    }
    // The new name on disk before the job is marked done. Best effort: not every platform or
    // file system can sync a directory, and the message is whole either way.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Removes temporary files older than [`ABANDONED_AFTER`]; returns how many.
fn remove_abandoned(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with('.') && name.ends_with(TEMPORARY_SUFFIX)
        })
        .filter(|entry| {
            entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|modified| {
                    now.duration_since(modified)
                        .is_ok_and(|age| age > ABANDONED_AFTER)
                })
        })
        .filter(|entry| std::fs::remove_file(entry.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn writing_a_message_again_replaces_its_file() {
        let dir = tempfile::tempdir().expect("dir");
        let outbox = OutboxDir::open(dir.path()).expect("outbox");
        let key = MessageKey::random();
        outbox.write(&key, b"first".to_vec()).await.expect("write");
        outbox.write(&key, b"again".to_vec()).await.expect("write");
        outbox
            .write(&MessageKey::random(), b"other".to_vec())
            .await
            .expect("write");

        let names = names(dir.path());
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.iter().all(|n| n.ends_with(".eml")), "{names:?}");
        let again = std::fs::read(dir.path().join(format!("{key}.eml"))).expect("read");
        assert_eq!(again, b"again");
    }

    #[tokio::test]
    async fn a_temporary_file_left_by_a_crash_is_removed_once_it_is_old() {
        let dir = tempfile::tempdir().expect("dir");
        let abandoned = dir.path().join(".old.0000000000000001.tmp");
        let recent = dir.path().join(".new.0000000000000002.tmp");
        for path in [&abandoned, &recent] {
            std::fs::write(path, b"Subject: cut sh").expect("write");
        }
        let long_ago = SystemTime::now() - 2 * ABANDONED_AFTER;
        File::options()
            .write(true)
            .open(&abandoned)
            .and_then(|f| f.set_modified(long_ago))
            .expect("set mtime");
        std::fs::write(dir.path().join("kept.eml"), b"whole").expect("write");

        OutboxDir::open(dir.path()).expect("outbox");

        assert_eq!(
            names(dir.path()),
            [".new.0000000000000002.tmp", "kept.eml"],
            "a recent one may be another process's write in progress"
        );
    }
}
