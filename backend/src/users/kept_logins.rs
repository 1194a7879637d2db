//! Who is behind a session, kept by each node under the database's generation
//! ([`crate::changes`]), as anonymous pages are: while nothing changed in the database since a
//! session was read, a request with it is answered without reading the session and its account
//! again (two statements of each logged-in request). Any change on any node (a logout, a
//! suspension, a changed role or language) makes a new generation and the next request reads
//! them afresh; a session that expires meanwhile is not served past its end.

use chrono::{DateTime, Utc};

use super::CurrentUser;
use super::browser::BrowserSession;
use crate::kept::Kept;

/// Bytes of kept logins: ~4 000 sessions.
const BUDGET: usize = 1024 * 1024;

#[derive(Clone, Debug)]
pub struct KeptLogins {
    browsers: Kept<(BrowserSession, DateTime<Utc>)>,
    api: Kept<(CurrentUser, DateTime<Utc>)>,
}

impl Default for KeptLogins {
    fn default() -> Self {
        Self {
            browsers: Kept::new(BUDGET / 2, |(session, _)| 256 + session.csrf_token.len()),
            api: Kept::new(BUDGET / 2, |_| 256),
        }
    }
}

impl KeptLogins {
    /// The browser session behind a token's hash, read under `generation`.
    pub(crate) fn browser(
        &self,
        generation: Option<u64>,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Option<BrowserSession> {
        let (session, expires_at) = self.browsers.get(&key(generation?, token_hash))?;
        (now < expires_at).then_some(session)
    }

    pub(crate) fn keep_browser(
        &self,
        generation: Option<u64>,
        token_hash: &str,
        session: &BrowserSession,
        expires_at: DateTime<Utc>,
    ) {
        if let Some(generation) = generation {
            self.browsers
                .put(&key(generation, token_hash), (session.clone(), expires_at));
        }
    }

    /// The user of an API session, read under `generation`.
    pub(crate) fn api(
        &self,
        generation: Option<u64>,
        session_id: i64,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Option<CurrentUser> {
        let (user, expires_at) = self
            .api
            .get(&key(generation?, &format!("{session_id}|{user_id}")))?;
        (now < expires_at).then_some(user)
    }

    pub(crate) fn keep_api(
        &self,
        generation: Option<u64>,
        user: &CurrentUser,
        expires_at: DateTime<Utc>,
    ) {
        if let Some(generation) = generation {
            let id = format!("{}|{}", user.session_id, user.id);
            self.api
                .put(&key(generation, &id), (user.clone(), expires_at));
        }
    }
}

fn key(generation: u64, id: &str) -> String {
    format!("{generation}|{id}")
}
