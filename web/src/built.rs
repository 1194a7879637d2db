//! Responses this node built, kept by a key that hashes everything their bytes are made of.
//!
//! The key is computed from the database on every request (a feed's ETag, an event page's
//! version), and building is deterministic, so bytes found under the key computed now are
//! exactly what building now would give: no invalidation to miss, and nothing for several
//! nodes to share. The oldest entries go when over budget.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;

#[derive(Clone)]
pub struct Built(Arc<Mutex<Inner>>);

struct Inner {
    budget: usize,
    by_key: HashMap<String, Bytes>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Built {
    /// Keeps up to `budget` bytes.
    pub fn new(budget: usize) -> Self {
        Self(Arc::new(Mutex::new(Inner {
            budget,
            by_key: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
        })))
    }

    pub fn get(&self, key: &str) -> Option<Bytes> {
        let inner = self.0.lock().ok()?;
        inner.by_key.get(key).cloned()
    }

    pub fn put(&self, key: &str, bytes: Bytes) {
        let Ok(mut inner) = self.0.lock() else { return };
        if bytes.len() > inner.budget / 4 {
            return; // one huge response would push out every other
        }
        if inner.by_key.contains_key(key) {
            return;
        }
        inner.bytes += bytes.len();
        inner.by_key.insert(key.to_owned(), bytes);
        inner.order.push_back(key.to_owned());
        while inner.bytes > inner.budget {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(gone) = inner.by_key.remove(&oldest) {
                inner.bytes -= gone.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_responses_are_found_by_key_and_the_oldest_go_when_over_budget() {
        let budget = 4096;
        let built = Built::new(budget);
        let quarter = budget / 4;
        for n in 0..4 {
            built.put(&format!("\"{n}\""), Bytes::from(vec![b'x'; quarter]));
        }
        assert!(
            built.get("\"0\"").is_some(),
            "exactly at the budget, all are kept"
        );
        built.put("\"4\"", Bytes::from(vec![b'y'; 10]));
        assert!(built.get("\"0\"").is_none(), "the oldest went");
        assert!(built.get("\"1\"").is_some());
        assert_eq!(built.get("\"4\"").as_deref(), Some(&[b'y'; 10][..]));
        built.put("\"huge\"", Bytes::from(vec![b'z'; quarter + 1]));
        assert!(built.get("\"huge\"").is_none(), "too big to keep");
        assert!(built.get("\"1\"").is_some(), "and it pushed nothing out");
    }
}
