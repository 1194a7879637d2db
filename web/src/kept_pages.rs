//! Pages kept in this node's memory under the database's generation (`backend::changes`):
//! those built for people without a session, the same for all of them but for the token of
//! their forms (`pages::event`, `pages::listings`), and those of logged-in members, each kept
//! for its own session, so that a member asking again while nothing changed is answered
//! without a query.

use std::sync::Arc;

use chrono::Utc;

use crate::pages::Visitor;

/// Event pages and home pages built for people without a session, members' pages, and the
/// home page's listing that both share.
#[derive(Clone)]
pub struct KeptPages {
    /// By version of what they show, checked against the database.
    pub built: crate::built::Built,
    /// By generation of the database (`backend::changes`): served without a query while
    /// nothing changed since they were read.
    current: backend::kept::Kept<Arc<CurrentPage>>,
    /// Members' pages, by generation and session: each holds its session's token and what
    /// only that member sees (their RSVP, their comments' buttons, their header).
    members: backend::kept::Kept<Arc<CurrentPage>>,
    /// The home page's events and cards, by generation, language and page: the same for
    /// everyone, whose header alone differs.
    pub(crate) home: backend::kept::Kept<Arc<crate::pages::listings::HomeListing>>,
    /// Stands for the visitor's token in built pages; random per process, so that no text
    /// written in an event can contain it and receive a visitor's token.
    placeholder: String,
}

/// A page as of a generation, and what time alone would change in it.
struct CurrentPage {
    html: axum::body::Bytes,
    /// When the event is over (the page then says so and offers no RSVP), or the first of
    /// the listed upcoming events is, and whether that moment had passed when the page
    /// was built.
    over_at: chrono::DateTime<Utc>,
    over: bool,
}

impl CurrentPage {
    fn new(
        html: &axum::body::Bytes,
        over_at: chrono::DateTime<Utc>,
        now: chrono::DateTime<Utc>,
    ) -> Self {
        Self {
            html: html.clone(),
            over_at,
            over: over_at < now,
        }
    }

    /// Unless time has changed the page since it was built.
    fn still(&self, now: chrono::DateTime<Utc>) -> bool {
        (self.over_at < now) == self.over
    }
}

impl Default for KeptPages {
    fn default() -> Self {
        Self {
            // ~1 000 pages of ~5 KB
            built: crate::built::built(8 * 1024 * 1024),
            // The same pages (their bytes are shared with `built`) under each generation they
            // were read at; older generations' go first.
            current: backend::kept::Kept::new(2 * 1024 * 1024, |page: &Arc<CurrentPage>| {
                page.html.len()
            }),
            // ~800 members' pages of ~10 KB.
            members: backend::kept::Kept::new(8 * 1024 * 1024, |page: &Arc<CurrentPage>| {
                page.html.len()
            }),
            // A listing is ~20 cards of ~300 bytes.
            home: backend::kept::Kept::new(1024 * 1024, |listing| listing.size()),
            placeholder: backend::users::tokens::random_token().0,
        }
    }
}

impl KeptPages {
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
        page.still(now)
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
            self.current
                .replace(key, Arc::new(CurrentPage::new(html, over_at, now)));
        }
    }

    /// The page `what` of the visitor's session as of `generation` (read before the
    /// database is), unless time has changed it since.
    pub fn member(
        &self,
        key: Option<&str>,
        now: chrono::DateTime<Utc>,
    ) -> Option<axum::body::Bytes> {
        let page = self.members.get(key?)?;
        page.still(now).then(|| page.html.clone())
    }

    /// Keeps a member's page under `key` ([`member_key`]) until `over_at` passes.
    pub fn keep_member(
        &self,
        key: Option<&str>,
        html: &axum::body::Bytes,
        over_at: chrono::DateTime<Utc>,
        now: chrono::DateTime<Utc>,
    ) {
        if let Some(key) = key {
            self.members
                .replace(key, Arc::new(CurrentPage::new(html, over_at, now)));
        }
    }
}

/// Where a logged-in visitor's page `what` is kept as of `generation`: none without a
/// session or a generation. The session (not only the person) is in the key, since the page
/// holds the session's token.
pub fn member_key(generation: Option<u64>, visitor: &Visitor, what: &str) -> Option<String> {
    let session = visitor.session.as_ref()?;
    Some(format!(
        "{}|{}|{}|{what}",
        generation?,
        session.session_id,
        visitor.locale.code()
    ))
}
