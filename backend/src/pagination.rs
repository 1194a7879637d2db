//! Pages of results, as Mobilizon's lists: `page` from 1, `limit` per page, `{ total elements }`.

use crate::error::{Error, Result};

pub const DEFAULT_LIMIT: u64 = 10;
pub const MAX_LIMIT: u64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: u64,
    pub limit: u64,
}

impl Default for Page {
    fn default() -> Self {
        Self {
            page: 1,
            limit: DEFAULT_LIMIT,
        }
    }
}

impl Page {
    /// Reads client-given values as Mobilizon does: `page` from 1; `limit` 0 asks for no
    /// elements (only the `total`), and a limit past [`MAX_LIMIT`] (or below 0) is clamped to
    /// it (to 0), not refused.
    pub fn new(page: Option<i64>, limit: Option<i64>) -> Result<Self> {
        let page = page.unwrap_or(1);
        let limit = limit.unwrap_or(DEFAULT_LIMIT as i64);
        if page < 1 {
            return Err(Error::invalid("page", "pages are numbered from 1"));
        }
        Ok(Self {
            page: page.unsigned_abs(),
            limit: limit.clamp(0, MAX_LIMIT as i64).unsigned_abs(),
        })
    }

    /// Everything, for internal uses bounded by their nature (one user's upcoming events).
    pub fn all() -> Self {
        Self {
            page: 1,
            limit: 100_000,
        }
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.limit)
    }
}

/// One page of a list and the size of the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Paginated<T> {
    pub total: u64,
    pub elements: Vec<T>,
}

impl<T> Paginated<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paginated<U> {
        Paginated {
            total: self.total,
            elements: self.elements.into_iter().map(f).collect(),
        }
    }

    pub fn empty() -> Self {
        Self {
            total: 0,
            elements: Vec::new(),
        }
    }
}
