//! Things this node made, kept by a key that names everything they are made of.
//!
//! Keys are computed from the database when asked (a feed's ETag, an event's version), and
//! making is deterministic, so what is found under the key computed now is exactly what making
//! it now would give: no invalidation to miss, and nothing for several nodes to share. The
//! oldest entries go when over budget.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

pub struct Kept<V>(Arc<Mutex<Inner<V>>>);

impl<V> std::fmt::Debug for Kept<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut kept = f.debug_struct("Kept");
        if let Ok(inner) = self.0.lock() {
            kept.field("entries", &inner.by_key.len())
                .field("bytes", &inner.bytes)
                .field("budget", &inner.budget);
        }
        kept.finish()
    }
}

impl<V> Clone for Kept<V> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

struct Inner<V> {
    budget: usize,
    size: fn(&V) -> usize,
    by_key: HashMap<String, V>,
    order: VecDeque<String>,
    bytes: usize,
}

impl<V: Clone> Kept<V> {
    /// Keeps up to `budget` bytes, each value weighing what `size` says.
    pub fn new(budget: usize, size: fn(&V) -> usize) -> Self {
        Self(Arc::new(Mutex::new(Inner {
            budget,
            size,
            by_key: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
        })))
    }

    pub fn get(&self, key: &str) -> Option<V> {
        let inner = self.0.lock().ok()?;
        inner.by_key.get(key).cloned()
    }

    /// What is kept under each key, in order, for one lock taken instead of one per key.
    pub fn get_many<'k>(&self, keys: impl Iterator<Item = &'k str>) -> Vec<Option<V>> {
        match self.0.lock() {
            Ok(inner) => keys.map(|key| inner.by_key.get(key).cloned()).collect(),
            Err(_) => keys.map(|_| None).collect(),
        }
    }

    /// Keeps `value` under `key` in place of what was there: for values that stop holding
    /// with time (what a key names is the same; it was made at another moment).
    pub fn replace(&self, key: &str, value: V) {
        self.remove(key);
        self.put(key, value);
    }

    /// Forgets what is kept under `key`: for values whose source is gone.
    pub fn remove(&self, key: &str) {
        if let Ok(mut inner) = self.0.lock()
            && let Some(gone) = inner.by_key.remove(key)
        {
            inner.bytes -= (inner.size)(&gone);
            inner.order.retain(|kept| kept != key);
        }
    }

    pub fn put(&self, key: &str, value: V) {
        let Ok(mut inner) = self.0.lock() else { return };
        let size = (inner.size)(&value);
        if size > inner.budget / 4 {
            return; // one huge value would push out every other
        }
        if inner.by_key.contains_key(key) {
            return;
        }
        inner.bytes += size;
        inner.by_key.insert(key.to_owned(), value);
        inner.order.push_back(key.to_owned());
        while inner.bytes > inner.budget {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(gone) = inner.by_key.remove(&oldest) {
                inner.bytes -= (inner.size)(&gone);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_by_key_and_the_oldest_go_when_over_budget() {
        let budget = 4096;
        let kept: Kept<Arc<[u8]>> = Kept::new(budget, |v| v.len());
        let quarter = budget / 4;
        for n in 0..4 {
            kept.put(&format!("\"{n}\""), vec![b'x'; quarter].into());
        }
        assert!(
            kept.get("\"0\"").is_some(),
            "exactly at the budget, all are kept"
        );
        kept.put("\"4\"", vec![b'y'; 10].into());
        assert!(kept.get("\"0\"").is_none(), "the oldest went");
        assert!(kept.get("\"1\"").is_some());
        assert_eq!(kept.get("\"4\"").as_deref(), Some(&[b'y'; 10][..]));
        let found: Vec<bool> = kept
            .get_many(["\"0\"", "\"4\"", "\"1\""].into_iter())
            .iter()
            .map(Option::is_some)
            .collect();
        assert_eq!(
            found,
            [false, true, true],
            "many at once, in the order asked"
        );
        kept.put("\"huge\"", vec![b'z'; quarter + 1].into());
        assert!(kept.get("\"huge\"").is_none(), "too big to keep");
        assert!(kept.get("\"1\"").is_some(), "and it pushed nothing out");
    }

    #[test]
    fn a_replaced_value_is_found_in_place_of_the_old_and_weighs_once() {
        let kept: Kept<Arc<[u8]>> = Kept::new(100, |v| v.len());
        kept.put("a", vec![b'x'; 20].into());
        kept.put("a", vec![b'y'; 20].into());
        assert_eq!(
            kept.get("a").as_deref(),
            Some(&[b'x'; 20][..]),
            "put keeps the first"
        );
        kept.replace("a", vec![b'z'; 25].into());
        assert_eq!(kept.get("a").as_deref(), Some(&[b'z'; 25][..]));
        for key in ["b", "c", "d"] {
            kept.put(key, vec![b'w'; 25].into());
        }
        assert!(
            kept.get("a").is_some(),
            "100 bytes: the old value no longer counts"
        );
    }
}
