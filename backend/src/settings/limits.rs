//! What a client, an account or an address may ask for in a while, and how the HTTP server
//! holds its connections.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// At most `max` times in `per_secs` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub max: u32,
    pub per_secs: u64,
}

impl Budget {
    pub const fn new(max: u32, per_secs: u64) -> Self {
        Self { max, per_secs }
    }
}

/// Budgets, counted in the database so that every node of an instance shares them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitSettings {
    /// Failed logins from one client on one account. Only that client waits: the owner
    /// logging in from elsewhere is not locked out.
    pub login_per_client_and_account: Budget,
    /// Failed logins from one client, whatever the accounts (unknown addresses included).
    pub login_per_client: Budget,
    /// Failed logins on one account from anywhere. Past it, clients that already failed on
    /// this account wait; a client that has not may still try.
    pub login_per_account: Budget,
    /// Accounts created from one client.
    pub registrations_per_client: Budget,
    /// Password reset and confirmation mails asked for from one client.
    pub account_mails_per_client: Budget,
    /// Participations without an account asked for from one client.
    pub anonymous_participations_per_client: Budget,
    /// Mail sent to one address because someone asked (confirmations, resets, anonymous
    /// participations): a caller cannot make us flood somebody else's mailbox.
    pub mails_per_address: Budget,
    /// Activities posted to the inboxes from one client address.
    pub inbox_per_client: Budget,
    /// Comments written by one account (whatever its identities) or one remote actor.
    pub comments_per_actor: Budget,
    /// Private messages (to an event's participants, or answers) written by one account or
    /// one remote actor.
    pub messages_per_actor: Budget,
    /// Reports made by one account, remote actor or email address (and, without an
    /// account, from one client).
    pub reports_per_reporter: Budget,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            login_per_client_and_account: Budget::new(10, 15 * 60),
            login_per_client: Budget::new(50, 15 * 60),
            login_per_account: Budget::new(100, 60 * 60),
            registrations_per_client: Budget::new(20, 60 * 60),
            account_mails_per_client: Budget::new(20, 60 * 60),
            anonymous_participations_per_client: Budget::new(30, 60 * 60),
            mails_per_address: Budget::new(5, 60 * 60),
            inbox_per_client: Budget::new(3000, 60),
            comments_per_actor: Budget::new(30, 60 * 60),
            messages_per_actor: Budget::new(30, 60 * 60),
            reports_per_reporter: Budget::new(10, 60 * 60),
        }
    }
}

/// The longest window a budget may have: counters older than this are purged.
pub const MAX_WINDOW_SECS: u64 = 24 * 60 * 60;

impl RateLimitSettings {
    pub(super) fn problems(&self) -> Vec<String> {
        let budgets = [
            (
                "login_per_client_and_account",
                self.login_per_client_and_account,
            ),
            ("login_per_client", self.login_per_client),
            ("login_per_account", self.login_per_account),
            ("registrations_per_client", self.registrations_per_client),
            ("account_mails_per_client", self.account_mails_per_client),
            (
                "anonymous_participations_per_client",
                self.anonymous_participations_per_client,
            ),
            ("mails_per_address", self.mails_per_address),
            ("inbox_per_client", self.inbox_per_client),
            ("comments_per_actor", self.comments_per_actor),
            ("messages_per_actor", self.messages_per_actor),
            ("reports_per_reporter", self.reports_per_reporter),
        ];
        budgets
            .into_iter()
            .filter(|(_, budget)| budget.max == 0 || !(1..=MAX_WINDOW_SECS).contains(&budget.per_secs))
            .map(|(name, _)| {
                format!(
                    "key \"rate_limits.{name}\": max must be at least 1 and per_secs between 1 and {MAX_WINDOW_SECS}"
                )
            })
            .collect()
    }
}

/// How the HTTP server treats connections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// A connection must send a request's headers within this time, counted from when the
    /// server waits for them: a kept-alive connection waits this long for its next request.
    pub header_read_timeout_secs: u64,
    /// A connection on which no byte moves either way for this long is closed (a body sent
    /// slowly, an answer nobody reads).
    pub idle_timeout_secs: u64,
    /// Connections open at once from one client address (a trusted proxy is not counted);
    /// more are closed as they come.
    pub max_connections_per_client: usize,
    /// Reverse proxies in front of the instance, whose `X-Forwarded-For` names the client.
    /// Empty: the client is the address the connection comes from.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            header_read_timeout_secs: 10,
            idle_timeout_secs: 60,
            max_connections_per_client: 256,
            trusted_proxies: Vec::new(),
        }
    }
}

impl HttpSettings {
    pub(super) fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(1..=3600).contains(&self.header_read_timeout_secs) {
            problems.push(
                "key \"http.header_read_timeout_secs\": expected between 1 and 3600".to_owned(),
            );
        }
        if !(1..=86_400).contains(&self.idle_timeout_secs) {
            problems
                .push("key \"http.idle_timeout_secs\": expected between 1 and 86400".to_owned());
        }
        if self.max_connections_per_client == 0 {
            problems.push("key \"http.max_connections_per_client\": must be at least 1".to_owned());
        }
        problems
    }
}
