//! Feeds built by this node, kept in its memory (`crate::feeds` serves them).

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::HeaderMap;
use backend::feeds::Validator;
use backend::kept::Kept;

use crate::built::{Built, Flights};

/// How many bytes of built feeds a node keeps (a group's feed of 500 events is ~1 MB).
const BUILT_FEEDS_BUDGET: usize = 16 * 1024 * 1024;

/// Feeds this node built, by validator, and those it is building.
#[derive(Clone)]
pub struct BuiltFeeds {
    pub built: Built,
    pub building: Flights<(Bytes, Validator)>,
    /// What each feed address answered, by generation of the database (`backend::changes`):
    /// answered again without a query while nothing changed and time did not either.
    pub current: Kept<Arc<CurrentFeed>>,
}

/// A feed's answer as of a generation, but for its bytes (in `built`, by entity tag).
pub struct CurrentFeed {
    pub validator: Validator,
    /// The caching headers of its `200` and `304`, its type and file name.
    pub headers: HeaderMap,
}

impl Default for BuiltFeeds {
    fn default() -> Self {
        Self {
            built: crate::built::built(BUILT_FEEDS_BUDGET),
            building: Flights::default(),
            // Entries are small (a validator and a few headers); older generations' go first.
            current: Kept::new(1024 * 1024, |_| 512),
        }
    }
}
