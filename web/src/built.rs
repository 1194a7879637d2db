//! Responses this node built, kept by a key that hashes everything their bytes are made of.
//!
//! The key is computed from the database on every request (a feed's ETag, an event page's
//! version), and building is deterministic, so bytes found under the key computed now are
//! exactly what building now would give: no invalidation to miss, and nothing for several
//! nodes to share. The oldest entries go when over budget (`backend::kept`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use tokio::sync::OnceCell;

/// Responses kept by a key that hashes everything their bytes are made of.
pub type Built = backend::kept::Kept<Bytes>;

/// Keeps up to `budget` bytes of responses.
pub fn built(budget: usize) -> Built {
    backend::kept::Kept::new(budget, Bytes::len)
}

/// Builds in progress on this node, by key: requests that miss the same response at the same
/// time wait for one build of it. Calendar apps poll a feed that just changed all at once, and
/// 64 of them each building a 1 MB feed cost seconds of CPU and tens of MB of peak memory.
pub struct Flights<T>(Arc<Mutex<HashMap<String, Arc<OnceCell<T>>>>>);

impl<T> Clone for Flights<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> Default for Flights<T> {
    fn default() -> Self {
        Self(Arc::default())
    }
}

impl<T: Clone> Flights<T> {
    /// What `build` gives, built once for everyone asking for `key` meanwhile. If the build
    /// fails (or its request goes away), the next one waiting builds in turn.
    pub async fn once<E, Fut>(&self, key: &str, build: impl FnOnce() -> Fut) -> Result<T, E>
    where
        Fut: Future<Output = Result<T, E>>,
    {
        let flight = {
            let mut flights = self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            flights.entry(key.to_owned()).or_default().clone()
        };
        let _landing = Landing {
            flights: self,
            key,
            flight: &flight,
        };
        flight.get_or_try_init(build).await.cloned()
    }
}

/// Forgets a flight when a request that took part in it is done (or dropped), so later
/// requests look in [`Built`] or start a new one.
struct Landing<'a, T> {
    flights: &'a Flights<T>,
    key: &'a str,
    flight: &'a Arc<OnceCell<T>>,
}

impl<T> Drop for Landing<'_, T> {
    fn drop(&mut self) {
        let mut flights = self
            .flights
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if flights
            .get(self.key)
            .is_some_and(|current| Arc::ptr_eq(current, self.flight))
        {
            flights.remove(self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn requests_missing_the_same_response_at_once_build_it_once() {
        let flights: Flights<Bytes> = Flights::default();
        let builds = std::sync::atomic::AtomicUsize::new(0);
        let (open, opened) = tokio::sync::watch::channel(false);
        let build = || async {
            builds.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            // Everyone has asked before the first build ends.
            let mut opened = opened.clone();
            let _ = opened.wait_for(|open| *open).await;
            Ok::<_, ()>(Bytes::from_static(b"feed"))
        };
        let waiting = futures::future::join_all((0..8).map(|_| flights.once("\"v1\"", build)));
        let release = async {
            tokio::task::yield_now().await;
            let _ = open.send(true);
        };
        let (answers, ()) = tokio::join!(waiting, release);
        assert_eq!(builds.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(answers.iter().all(|a| a.as_deref() == Ok(&b"feed"[..])));
        assert!(
            flights.0.lock().expect("lock").is_empty(),
            "nothing left in flight"
        );

        flights.once("\"v1\"", build).await.expect("built again");
        assert_eq!(
            builds.load(std::sync::atomic::Ordering::SeqCst),
            2,
            "a landed flight is not a cache"
        );
    }

    #[tokio::test]
    async fn when_a_build_fails_the_next_request_waiting_builds_in_turn() {
        let flights: Flights<Bytes> = Flights::default();
        let (first, second) = tokio::join!(
            flights.once("\"v1\"", || async {
                // The second request arrives while this build is under way.
                tokio::task::yield_now().await;
                Err("database went away")
            }),
            flights.once("\"v1\"", || async {
                Ok::<_, &str>(Bytes::from_static(b"feed"))
            }),
        );
        assert_eq!(first, Err("database went away"));
        assert_eq!(second.as_deref(), Ok(&b"feed"[..]));
    }
}
