//! Password hashing with argon2id, off the async runtime's threads.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};

use crate::error::{Error, Result};

/// A hashing or checking job for the password threads.
type HashJob = Box<dyn FnOnce() + Send>;

/// The threads that hash passwords: one per core, started with the context, living as long as
/// it does. Each hash holds about 19 MiB for tens of milliseconds. On tokio's blocking pool a
/// burst of logins spread those over dozens of short-lived threads, and glibc kept 19 MiB or
/// more in each thread's arena afterwards: the process grew past a gigabyte after a few hundred
/// logins while none was served faster. A fixed set of threads keeps the cost bounded (one
/// hash per core at a time, the memory of one hash per thread while logins keep coming, none
/// once they stop) and makes extra logins wait their turn. A per-process limit, not shared
/// state: each node bounds its own machine.
#[derive(Clone, Debug)]
pub struct PasswordSlots {
    jobs: std::sync::mpsc::SyncSender<HashJob>,
    /// Bytes of argon2 work areas these threads hold right now.
    held: Arc<AtomicUsize>,
}

impl PasswordSlots {
    pub fn new(threads: usize) -> Self {
        // Jobs beyond what the threads run at once wait in this queue (their futures wait too).
        let (jobs, receiver) = std::sync::mpsc::sync_channel::<HashJob>(1024);
        let receiver = Arc::new(std::sync::Mutex::new(receiver));
        let held = Arc::new(AtomicUsize::new(0));
        for i in 0..threads.max(1) {
            let receiver = receiver.clone();
            let held = held.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-{i}"))
                .spawn(move || {
                    let mut mine = 0;
                    loop {
                        let waiting = match receiver.try_lock() {
                            Ok(queue) => match queue.try_recv() {
                                Ok(job) => Some(job),
                                Err(std::sync::mpsc::TryRecvError::Empty) => None,
                                Err(std::sync::mpsc::TryRecvError::Disconnected) => return,
                            },
                            // Another thread holds the queue: almost always waiting for a job,
                            // so none is queued (or taking one, and this one finds out later).
                            Err(std::sync::TryLockError::WouldBlock) => None,
                            Err(std::sync::TryLockError::Poisoned(_)) => return,
                        };
                        let job = match waiting {
                            Some(job) => job,
                            None => {
                                // No login waits: a burst is over, give its memory back
                                // before waiting (behind the lock, or for the next job).
                                release_memory();
                                held.fetch_sub(std::mem::take(&mut mine), Ordering::Relaxed);
                                let Ok(queue) = receiver.lock() else { return };
                                match queue.recv() {
                                    Ok(job) => job,
                                    // Every sender (every clone of the context) is gone.
                                    Err(_) => return,
                                }
                            }
                        };
                        job();
                        let now = memory_held_by_this_thread();
                        held.fetch_add(now, Ordering::Relaxed);
                        held.fetch_sub(std::mem::replace(&mut mine, now), Ordering::Relaxed);
                    }
                });
            if let Err(err) = spawned {
                tracing::error!(error = %err, "cannot start a password thread");
            }
        }
        Self { jobs, held }
    }

    /// One thread per core of this machine.
    pub fn per_core() -> Self {
        Self::new(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// Bytes of argon2 work areas these threads hold right now: one per thread during a burst
    /// of logins, none once no login waits.
    pub fn held_memory(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: HashJob = Box::new(move || {
            let _ = done.send(work());
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(std::sync::mpsc::TrySendError::Full(job)) => {
                // 1024 jobs already wait: wait for room off the async threads.
                let sender = self.jobs.clone();
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
            let params = Params::default();
            let salt = Salt::generate();
            let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
            with_memory(params.block_count(), |memory| {
                Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
                    .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
            })
            .map_err(|e| Error::internal(format!("hashing password: {e}")))?;
            let hash = PasswordHash {
                algorithm: Algorithm::Argon2id.ident(),
                version: Some(Version::V0x13.into()),
                params: ParamsString::try_from(&params)
                    .map_err(|e| Error::internal(format!("hashing password: {e}")))?,
                salt: Some(salt),
                hash: Some(
                    Output::new(&out)
                        .map_err(|e| Error::internal(format!("hashing password: {e}")))?,
                ),
            };
            Ok(hash.to_string())
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
        .run(move || matches(password.as_bytes(), &stored).unwrap_or(false))
        .await
}

/// Recomputes the stored hash's output with its own algorithm, version, parameters and salt.
fn matches(password: &[u8], stored: &str) -> Option<bool> {
    let stored = PasswordHash::new(stored).ok()?;
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return Some(false);
    };
    let algorithm = Algorithm::try_from(stored.algorithm.as_str()).ok()?;
    let version = match stored.version {
        Some(version) => Version::try_from(version).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(&stored).ok()?;
    let mut out = vec![0u8; expected.len()];
    with_memory(params.block_count(), |memory| {
        Argon2::new(algorithm, version, params.clone())
            .hash_password_into_with_memory(password, salt, &mut out, memory)
    })
    .ok()?;
    // `Output`'s equality takes constant time.
    Some(Output::new(&out).ok()? == *expected)
}

thread_local! {
    /// The blocks argon2 works in (19 MiB with the default parameters), kept by each password
    /// thread while logins keep coming and given back when none waits (`release_memory`).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Work areas are allocated with at least this capacity. glibc serves a request this large
/// with a mapping of its own and unmaps it on free; smaller ones (19 MiB) it served from the
/// thread's arena once the first free had raised its threshold for mapping (a threshold that
/// never rises past 32 MiB: mallopt(3)), and kept there after the burst: 38 MiB for good with
/// two threads, 170 MB when allocated per hash. Only the pages argon2 writes become memory.
const MAPPED_CAPACITY: usize = 33 << 20;

fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() != blocks {
            *memory = Vec::new();
            let capacity = blocks.max(MAPPED_CAPACITY / std::mem::size_of::<Block>());
            let mut fresh = Vec::with_capacity(capacity);
            fresh.resize(blocks, Block::default());
            *memory = fresh;
        }
        work(memory)
    })
}

/// Gives this thread's work area back to the system.
fn release_memory() {
    MEMORY.set(Vec::new());
}

fn memory_held_by_this_thread() -> usize {
    MEMORY.with_borrow(|memory| memory.len() * std::mem::size_of::<Block>())
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

    #[tokio::test]
    async fn hashes_agree_with_the_argon2_crate_both_ways_whatever_their_parameters() {
        use argon2::{PasswordHasher as _, PasswordVerifier as _};
        let slots = PasswordSlots::new(1);
        let ours = hash(&slots, "correct horse").await.expect("hash");
        assert!(
            Argon2::default()
                .verify_password(b"correct horse", ours.as_str())
                .is_ok()
        );
        let theirs = Argon2::default()
            .hash_password(b"correct horse")
            .expect("hash")
            .to_string();
        assert!(
            verify(&slots, "correct horse", &theirs)
                .await
                .expect("verify")
        );
        let lighter = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(8192, 1, 1, None).expect("params"),
        )
        .hash_password(b"correct horse")
        .expect("hash")
        .to_string();
        assert!(
            verify(&slots, "correct horse", &lighter)
                .await
                .expect("verify")
        );
        assert!(
            !verify(&slots, "wrong horse", &lighter)
                .await
                .expect("verify")
        );
        assert!(
            verify(&slots, "correct horse", &ours)
                .await
                .expect("verify"),
            "and again at the default size"
        );
    }

    /// Waits until the threads hold no work area; an error if they still do after `seconds`.
    async fn held_nothing_within_seconds(
        slots: &PasswordSlots,
        seconds: u64,
    ) -> std::result::Result<(), tokio::time::error::Elapsed> {
        let released = async {
            while slots.held_memory() != 0 {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(seconds), released).await
    }

    #[tokio::test]
    async fn a_password_thread_keeps_its_memory_while_logins_wait_and_gives_it_back_after() {
        let slots = PasswordSlots::new(1);
        let probe = slots.clone();
        // The check is queued behind the login, so the thread still has work when it ends.
        let (login, held_during_burst) = tokio::join!(
            verify(&slots, "anything", DUMMY_HASH),
            slots.run(move || probe.held_memory())
        );
        assert!(!login.expect("verify"));
        assert_eq!(
            held_during_burst.expect("probe"),
            Params::default().block_count() * std::mem::size_of::<Block>()
        );
        held_nothing_within_seconds(&slots, 5)
            .await
            .expect("the work area is given back once no login waits");
    }

    #[tokio::test]
    async fn every_password_thread_gives_its_memory_back_after_a_burst_of_logins() {
        let slots = PasswordSlots::new(2);
        let burst = (0..6).map(|_| verify(&slots, "anything", DUMMY_HASH));
        for login in futures::future::join_all(burst).await {
            assert!(!login.expect("verify"));
        }
        held_nothing_within_seconds(&slots, 5)
            .await
            .expect("both threads give their work areas back");
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert!(validate_new("short", 8, "password").is_err());
        assert!(validate_new(&"x".repeat(300), 8, "password").is_err());
        assert!(validate_new("        ", 8, "password").is_err());
        assert!(validate_new("long enough", 8, "password").is_ok());
    }
}
