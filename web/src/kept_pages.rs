//! Pages built for people without a session, kept in this node's memory: the same for all of
//! them but for the token of their forms (`pages::event`, `pages::listings`).

use std::sync::Arc;

use chrono::Utc;

/// Event pages and home pages built for people without a session.
#[derive(Clone)]
pub struct AnonymousPages {
    /// By version of what they show, checked against the database.
    pub built: crate::built::Built,
    /// By generation of the database (`backend::changes`): served without a query while
    /// nothing changed since they were read.
    current: backend::kept::Kept<Arc<CurrentPage>>,
    /// Stands for the visitor's token in built pages; random per process, so that no text
    /// written in an event can contain it and receive a visitor's token.
    placeholder: String,
}

/// A page as of a generation, and what time alone would change in it.
struct CurrentPage {
    html: axum::body::Bytes,
    /// When the event is over (the page then says so and offers no RSVP), or the first of
    /// the home page's upcoming events is, and whether that moment had passed when the page
    /// was built.
    over_at: chrono::DateTime<Utc>,
    over: bool,
}

impl Default for AnonymousPages {
    fn default() -> Self {
        Self {
            // ~1 000 pages of ~5 KB
            built: crate::built::built(8 * 1024 * 1024),
            // The same pages (their bytes are shared with `built`) under each generation they
            // were read at; older generations' go first.
            current: backend::kept::Kept::new(2 * 1024 * 1024, |page: &Arc<CurrentPage>| {
                page.html.len()
            }),
            placeholder: backend::users::tokens::random_token().0,
        }
    }
}

impl AnonymousPages {
    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// The page kept under `key` (a generation's) with the visitor's token in it, unless time
    /// has changed it since it was built.
    pub fn kept(
        &self,
        key: Option<&str>,
        now: chrono::DateTime<Utc>,
        csrf: &str,
    ) -> Option<String> {
        let page = self.current.get(key?)?;
        ((page.over_at < now) == page.over)
            .then(|| String::from_utf8_lossy(&page.html).replace(self.placeholder(), csrf))
    }

    /// Keeps `html` (built with the placeholder) under `key` until `over_at` passes.
    pub fn keep(
        &self,
        key: Option<&str>,
        html: &axum::body::Bytes,
        over_at: chrono::DateTime<Utc>,
        now: chrono::DateTime<Utc>,
    ) {
        if let Some(key) = key {
            let page = CurrentPage {
                html: html.clone(),
                over_at,
                over: over_at < now,
            };
            self.current.replace(key, Arc::new(page));
        }
    }
}
