//! Password hashing with argon2id, off the async runtime's threads.

use std::sync::Arc;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::error::{Error, Result};

/// A hashing or checking job for the password threads.
type HashJob = Box<dyn FnOnce() + Send>;

/// The threads that hash passwords: one per core, started with the context, living as long as
/// it does. Each hash holds about 19 MiB for tens of milliseconds. On tokio's blocking pool a
/// burst of logins spread those over dozens of short-lived threads, and glibc kept 19 MiB or
/// more in each thread's arena afterwards: the process grew past a gigabyte after a few hundred
/// logins while none was served faster. A fixed set of threads keeps the cost bounded (one
/// hash per core at a time, the memory of one hash per thread) and makes extra logins wait
/// their turn. A per-process limit, not shared state: each node bounds its own machine.
#[derive(Clone, Debug)]
pub struct PasswordSlots(std::sync::mpsc::SyncSender<HashJob>);

impl PasswordSlots {
    pub fn new(threads: usize) -> Self {
        // Jobs beyond what the threads run at once wait in this queue (their futures wait too).
        let (sender, receiver) = std::sync::mpsc::sync_channel::<HashJob>(1024);
        let receiver = Arc::new(std::sync::Mutex::new(receiver));
        for i in 0..threads.max(1) {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match receiver.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            // Every sender (every clone of the context) is gone.
                            Err(_) => return,
                        }
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "cannot start a password thread");
            }
        }
        Self(sender)
    }

    /// One thread per core of this machine.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: HashJob = Box::new(move || {
            let _ = done.send(work());
        });
        match self.0.try_send(job) {
            Ok(()) => {}
            Err(std::sync::mpsc::TrySendError::Full(job)) => {
                // 1024 jobs already wait: wait for room off the async threads.
                let sender = self.0.clone();
                tokio::task::spawn_blocking(move || sender.send(job))
                    .await
                    .map_err(Error::internal)?
                    .map_err(|_| Error::internal("the password threads stopped"))?;
            }
            Err(std::sync::mpsc::TrySendError::Disconnected(_)) => {
                return Err(Error::internal("the password threads stopped"));
            }
        }
        result
            .await
            .map_err(|_| Error::internal("a password thread dropped its job"))
    }
}

/// Longer inputs are refused before hashing: argon2 time grows with input and nobody types more.
pub const MAX_LENGTH: usize = 256;

/// Checks a new password against the length rules.
pub fn validate_new(password: &str, min_length: usize, field: &str) -> Result<()> {
    let length = password.chars().count();
    if length < min_length {
        return Err(Error::invalid(
            field,
            format!("the password must have at least {min_length} characters"),
        ));
    }
    if password.len() > MAX_LENGTH {
        return Err(Error::invalid(
            field,
            format!("the password must have at most {MAX_LENGTH} bytes"),
        ));
    }
    if password.trim().is_empty() {
        return Err(Error::invalid(field, "the password cannot be only spaces"));
    }
    Ok(())
}

pub async fn hash(slots: &PasswordSlots, password: &str) -> Result<String> {
    let password = password.to_owned();
    slots
        .run(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| Error::internal(format!("hashing password: {e}")))
        })
        .await?
}

/// Whether `password` matches `stored`. An unparsable hash counts as no match.
pub async fn verify(slots: &PasswordSlots, password: &str, stored: &str) -> Result<bool> {
    if password.len() > MAX_LENGTH {
        return Ok(false);
    }
    let password = password.to_owned();
    let stored = stored.to_owned();
    slots
        .run(move || {
            Argon2::default()
                .verify_password(password.as_bytes(), stored.as_str())
                .is_ok()
        })
        .await
}

/// A valid hash of a random password: verifying against it costs as much as a real check, so
/// a login for an unknown email takes as long as one with a wrong password.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$O9VvI1fLUOJ5Zal4oDJQ6RnCGyMz2LVL0ZyHK8bTwwE";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_another_does_not() {
        let slots = PasswordSlots::new(1);
        let stored = hash(&slots, "correct horse").await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify(&slots, "correct horse", &stored)
                .await
                .expect("verify")
        );
        assert!(
            !verify(&slots, "wrong horse", &stored)
                .await
                .expect("verify")
        );
    }

    #[tokio::test]
    async fn the_dummy_hash_is_a_real_argon2_hash() {
        assert!(argon2::PasswordHash::new(DUMMY_HASH).is_ok());
        let slots = PasswordSlots::new(1);
        assert!(
            !verify(&slots, "anything", DUMMY_HASH)
                .await
                .expect("verify")
        );
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert!(validate_new("short", 8, "password").is_err());
        assert!(validate_new(&"x".repeat(300), 8, "password").is_err());
        assert!(validate_new("        ", 8, "password").is_err());
        assert!(validate_new("long enough", 8, "password").is_ok());
    }
}
