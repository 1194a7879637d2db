//! How much a client, an account or an address may ask for in a while.
//!
//! Each budget (`settings.rate_limits`) is a counter in the database, shared by every node of
//! the instance, raised in one statement *before* the work it guards: fifty wrong passwords
//! sent at once are fifty increments of one row, and only the first ones within the budget
//! reach the password check. Windows are fixed: a counter starts again at one when its window
//! is over. Whom a counter is about (a client address, an account, a mail address) is kept
//! only as a hash keyed with the instance's secret, never in clear; counters are purged a day
//! after their window began.

use std::net::IpAddr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use sha2::{Digest, Sha256};

use crate::context::AppContext;
use crate::error::{Error, Result};
use crate::jobs::{Job, JobError, JobHandler};
use crate::settings::{Budget, MAX_WINDOW_SECS};

/// Where a request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    /// The instance itself (command line, jobs, tests of services): no client budget applies.
    Local,
    /// A request from this address (the connection's, or the one a trusted proxy names).
    Address(IpAddr),
}

impl Client {
    /// The client of a connection from `peer`. Behind trusted proxies, the client is the
    /// last address of `X-Forwarded-For` that is not one of them (each proxy appends the
    /// address it received from; anything before can be forged by the client).
    pub fn of_connection(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> Self {
        if !trusted.contains(&peer) {
            return Client::Address(peer);
        }
        let Some(forwarded) = forwarded_for else {
            return Client::Address(peer);
        };
        let mut client = peer;
        for hop in forwarded.rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(address) => {
                    client = address;
                    if !trusted.contains(&address) {
                        break;
                    }
                }
                // A hop that is no address: stop at the last one known.
                Err(_) => break,
            }
        }
        Client::Address(client)
    }

    /// Whom per-client budgets count: the address, an IPv6 one by its /64 (what one host or
    /// home is usually given, so that it cannot take a fresh address per attempt).
    pub(crate) fn subject(&self) -> Option<String> {
        match self {
            Client::Local => None,
            Client::Address(IpAddr::V4(v4)) => Some(v4.to_string()),
            Client::Address(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => Some(v4.to_string()),
                None => {
                    let s = v6.segments();
                    Some(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
                }
            },
        }
    }
}

/// What a counter stands at after one more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub hits: u32,
    pub window_ends: DateTime<Utc>,
}

impl Count {
    pub fn over(&self, budget: Budget) -> bool {
        self.hits > budget.max
    }

    /// The refusal to answer with, counting the seconds until the window ends.
    pub fn refusal(&self, now: DateTime<Utc>) -> Error {
        let seconds = (self.window_ends - now).num_seconds().max(1);
        Error::RateLimited {
            retry_after_secs: u64::try_from(seconds).unwrap_or(1),
        }
    }
}

/// Counts one more `what` for `subject` and refuses it when past `budget`.
pub async fn spend(ctx: &AppContext, what: &str, subject: &str, budget: Budget) -> Result<Count> {
    let count = count(ctx, what, subject, budget).await?;
    if count.over(budget) {
        return Err(count.refusal(ctx.now()));
    }
    Ok(count)
}

/// Counts one more `what` from `client` against `budget`; a local caller is not counted.
pub async fn spend_for_client(
    ctx: &AppContext,
    what: &str,
    client: &Client,
    budget: Budget,
) -> Result<()> {
    if let Some(subject) = client.subject() {
        spend(ctx, what, &subject, budget).await?;
    }
    Ok(())
}

/// One more mail to `address` that somebody asked for (`rate_limits.mails_per_address`).
pub async fn spend_mail_to(ctx: &AppContext, address: &str) -> Result<()> {
    spend(
        ctx,
        "mail.address",
        &address.to_lowercase(),
        ctx.settings.rate_limits.mails_per_address,
    )
    .await
    .map(|_| ())
}

/// Counts one more `what` for `subject`, whatever the budget says: the caller decides.
pub async fn count(ctx: &AppContext, what: &str, subject: &str, budget: Budget) -> Result<Count> {
    let now = ctx.now();
    let window = chrono::Duration::seconds(i64::try_from(budget.per_secs).unwrap_or(i64::MAX));
    let backend = ctx.db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => COUNT_ON_POSTGRES,
        _ => COUNT_ON_SQLITE,
    };
    let statement = Statement::from_sql_and_values(
        backend,
        sql,
        [
            key(ctx, what, subject).into(),
            now.into(),
            (now - window).into(),
        ],
    );
    let row = ctx
        .db
        .query_one_raw(statement)
        .await?
        .ok_or_else(|| Error::internal("counting a rate limit returned no row"))?;
    let hits: i32 = row.try_get("", "hits")?;
    let started: DateTime<Utc> = row.try_get("", "window_started_at")?;
    Ok(Count {
        hits: u32::try_from(hits).unwrap_or(0),
        window_ends: started + window,
    })
}

/// Takes back one count of `what` for `subject` (an attempt that turned out fine).
pub async fn refund(ctx: &AppContext, what: &str, subject: &str) -> Result<()> {
    let backend = ctx.db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            r#"UPDATE rate_limits SET hits = hits - 1 WHERE "key" = $1 AND hits > 0"#
        }
        _ => r#"UPDATE rate_limits SET hits = hits - 1 WHERE "key" = ?1 AND hits > 0"#,
    };
    ctx.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [key(ctx, what, subject).into()],
        ))
        .await?;
    Ok(())
}

/// Forgets the count of `what` for `subject` (the rightful owner proved themselves).
pub async fn forget(ctx: &AppContext, what: &str, subject: &str) -> Result<()> {
    let backend = ctx.db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => r#"DELETE FROM rate_limits WHERE "key" = $1"#,
        _ => r#"DELETE FROM rate_limits WHERE "key" = ?1"#,
    };
    ctx.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [key(ctx, what, subject).into()],
        ))
        .await?;
    Ok(())
}

/// One row per counter: a new window starts at one, an open one goes up by one, in a single
/// statement so that concurrent requests each see their own count.
const COUNT_ON_SQLITE: &str = r#"
    INSERT INTO rate_limits ("key", window_started_at, hits) VALUES (?1, ?2, 1)
    ON CONFLICT ("key") DO UPDATE SET
      hits = CASE WHEN rate_limits.window_started_at <= ?3 THEN 1 ELSE rate_limits.hits + 1 END,
      window_started_at = CASE WHEN rate_limits.window_started_at <= ?3 THEN ?2
        ELSE rate_limits.window_started_at END
    RETURNING hits, window_started_at"#;

const COUNT_ON_POSTGRES: &str = r#"
    INSERT INTO rate_limits ("key", window_started_at, hits) VALUES ($1, $2, 1)
    ON CONFLICT ("key") DO UPDATE SET
      hits = CASE WHEN rate_limits.window_started_at <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
      window_started_at = CASE WHEN rate_limits.window_started_at <= $3 THEN $2
        ELSE rate_limits.window_started_at END
    RETURNING hits, window_started_at"#;

/// `what` and a hash of `subject` keyed with the instance's secret: the table never holds an
/// address, and a copy of it tells nothing without the secret.
fn key(ctx: &AppContext, what: &str, subject: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(&ctx.secrets.token_signing_key);
    hash.update([0]);
    hash.update(what.as_bytes());
    hash.update([0]);
    hash.update(subject.as_bytes());
    let digest = hash.finalize();
    let hex: String = digest[..20].iter().map(|b| format!("{b:02x}")).collect();
    format!("{what}:{hex}")
}

/// Deletes counters whose window is over for every budget.
pub struct PurgeRateLimitsJob;

#[async_trait]
impl JobHandler for PurgeRateLimitsJob {
    fn kind(&self) -> &'static str {
        "rate_limits.purge"
    }

    fn every(&self) -> Option<Duration> {
        Some(Duration::from_secs(3600))
    }

    async fn run(&self, ctx: &AppContext, _job: &Job) -> Result<(), JobError> {
        purge(ctx).await?;
        Ok(())
    }
}

/// Deletes the counters whose window began over a day ago (no budget is longer).
pub async fn purge(ctx: &AppContext) -> Result<u64> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let cutoff =
        ctx.now() - chrono::Duration::seconds(i64::try_from(MAX_WINDOW_SECS).unwrap_or(86_400));
    let result = entity::rate_limit::Entity::delete_many()
        .filter(entity::rate_limit::Column::WindowStartedAt.lt(cutoff))
        .exec(&ctx.db)
        .await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestContext;

    const BUDGET: Budget = Budget::new(3, 60);

    #[test]
    fn an_ipv6_client_is_counted_by_its_64_and_a_mapped_ipv4_as_itself() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(
            Client::Address(one).subject(),
            Client::Address(other).subject()
        );
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(
            Client::Address(mapped).subject().as_deref(),
            Some("192.0.2.7")
        );
        assert_eq!(Client::Local.subject(), None);
    }

    #[test]
    fn a_forwarded_address_counts_only_from_a_trusted_proxy_and_only_its_last_untrusted_hop() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let outer: IpAddr = "10.0.0.1".parse().unwrap();
        let visitor: IpAddr = "192.0.2.7".parse().unwrap();
        let trusted = [proxy, outer];
        assert_eq!(
            Client::of_connection(visitor, Some("198.51.100.1"), &trusted),
            Client::Address(visitor),
            "a client cannot name itself"
        );
        assert_eq!(
            Client::of_connection(proxy, Some("203.0.113.9, 192.0.2.7, 10.0.0.1"), &trusted),
            Client::Address(visitor),
            "what the client wrote before its own address is ignored"
        );
        assert_eq!(
            Client::of_connection(proxy, None, &trusted),
            Client::Address(proxy)
        );
        assert_eq!(
            Client::of_connection(proxy, Some("garbage"), &trusted),
            Client::Address(proxy)
        );
    }

    #[tokio::test]
    async fn a_budget_refuses_past_its_max_until_its_window_is_over() {
        let t = TestContext::new().await;
        for n in 1..=3 {
            let count = spend(&t.ctx, "test", "someone", BUDGET).await.unwrap();
            assert_eq!(count.hits, n);
        }
        let refused = spend(&t.ctx, "test", "someone", BUDGET).await.unwrap_err();
        assert!(
            matches!(refused, Error::RateLimited { retry_after_secs } if retry_after_secs <= 60)
        );
        assert!(spend(&t.ctx, "test", "someone else", BUDGET).await.is_ok());
        assert!(spend(&t.ctx, "other", "someone", BUDGET).await.is_ok());
        t.clock.advance(chrono::Duration::seconds(61));
        assert_eq!(
            spend(&t.ctx, "test", "someone", BUDGET).await.unwrap().hits,
            1
        );
    }

    #[tokio::test]
    async fn concurrent_hits_are_each_counted_once() {
        let t = TestContext::new().await;
        let budget = Budget::new(10, 60);
        let tries = (0..40).map(|_| spend(&t.ctx, "test", "crowd", budget));
        let results = futures::future::join_all(tries).await;
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 10);
        let mut hits: Vec<u32> = results
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|c| c.hits))
            .collect();
        hits.sort_unstable();
        assert_eq!(hits, (1..=10).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn refunds_and_forgetting_give_back_what_was_counted() {
        let t = TestContext::new().await;
        spend(&t.ctx, "test", "a", BUDGET).await.unwrap();
        spend(&t.ctx, "test", "a", BUDGET).await.unwrap();
        refund(&t.ctx, "test", "a").await.unwrap();
        assert_eq!(spend(&t.ctx, "test", "a", BUDGET).await.unwrap().hits, 2);
        forget(&t.ctx, "test", "a").await.unwrap();
        assert_eq!(spend(&t.ctx, "test", "a", BUDGET).await.unwrap().hits, 1);
    }

    #[tokio::test]
    async fn counters_keep_no_subject_in_clear_and_are_purged_a_day_after() {
        let t = TestContext::new().await;
        spend(&t.ctx, "test", "192.0.2.7", BUDGET).await.unwrap();
        use sea_orm::EntityTrait;
        let rows = entity::rate_limit::Entity::find()
            .all(&t.ctx.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert!(!rows[0].key.contains("192.0.2.7"), "{}", rows[0].key);
        t.clock.advance(chrono::Duration::hours(25));
        assert_eq!(purge(&t.ctx).await.unwrap(), 1);
        assert!(
            entity::rate_limit::Entity::find()
                .all(&t.ctx.db)
                .await
                .unwrap()
                .is_empty()
        );
    }
}
