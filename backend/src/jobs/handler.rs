use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use rand::Rng;

use super::Job;
use crate::context::AppContext;

/// Why a job did not finish.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth another try later (peer down, SMTP timeout, database busy).
    #[error("{0}")]
    Retry(String),
    /// Will never succeed (malformed payload, peer answered 4xx): dead at once.
    #[error("{0}")]
    Permanent(String),
}

impl From<crate::Error> for JobError {
    fn from(err: crate::Error) -> Self {
        match err {
            crate::Error::Internal(source) => JobError::Retry(source.to_string()),
            other => JobError::Permanent(other.to_string()),
        }
    }
}

impl From<sea_orm::DbErr> for JobError {
    fn from(err: sea_orm::DbErr) -> Self {
        JobError::Retry(err.to_string())
    }
}

impl From<serde_json::Error> for JobError {
    fn from(err: serde_json::Error) -> Self {
        JobError::Permanent(format!("malformed payload: {err}"))
    }
}

/// Delay before the next attempt: `base × 2^(attempt−1)`, capped, with ±20 % jitter so that
/// jobs that failed together do not all come back together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            base: Duration::from_secs(15),
            cap: Duration::from_secs(6 * 3600),
        }
    }
}

impl RetryPolicy {
    /// The delay without jitter after `attempt` (1-based) failed.
    pub fn nominal_delay(&self, attempt: i32) -> Duration {
        let exponent = attempt.saturating_sub(1).clamp(0, 30) as u32;
        self.base
            .checked_mul(2u32.saturating_pow(exponent))
            .unwrap_or(self.cap)
            .min(self.cap)
    }

    pub fn delay(&self, attempt: i32) -> Duration {
        let nominal = self.nominal_delay(attempt).as_secs_f64();
        let factor = rand::rng().random_range(0.8..=1.2);
        Duration::from_secs_f64(nominal * factor)
    }

    /// Total time a job keeps being retried with `max_attempts`, without jitter.
    pub fn total_span(&self, max_attempts: i32) -> Duration {
        (1..max_attempts).map(|a| self.nominal_delay(a)).sum()
    }
}

/// Runs one kind of job.
#[async_trait]
pub trait JobHandler: Send + Sync {
    fn kind(&self) -> &'static str;

    fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy::default()
    }

    /// For recurring jobs: how long after one run the next one is due.
    fn every(&self) -> Option<Duration> {
        None
    }

    async fn run(&self, ctx: &AppContext, job: &Job) -> Result<(), JobError>;
}

/// The handlers this node knows, by kind.
#[derive(Clone, Default)]
pub struct JobRegistry {
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
}

impl JobRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn register(&mut self, handler: impl JobHandler + 'static) -> &mut Self {
        self.handlers.insert(handler.kind(), Arc::new(handler));
        self
    }

    pub fn with(mut self, handler: impl JobHandler + 'static) -> Self {
        self.register(handler);
        self
    }

    pub fn get(&self, kind: &str) -> Option<Arc<dyn JobHandler>> {
        self.handlers.get(kind).cloned()
    }

    pub fn recurring(&self) -> impl Iterator<Item = (&'static str, Duration)> + '_ {
        self.handlers
            .values()
            .filter_map(|h| h.every().map(|every| (h.kind(), every)))
    }

    pub fn merge(&mut self, other: JobRegistry) {
        self.handlers.extend(other.handlers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_the_cap() {
        let policy = RetryPolicy {
            base: Duration::from_secs(10),
            cap: Duration::from_secs(60),
        };
        let delays: Vec<u64> = (1..=5).map(|a| policy.nominal_delay(a).as_secs()).collect();
        assert_eq!(delays, vec![10, 20, 40, 60, 60]);
    }

    #[test]
    fn jitter_stays_within_a_fifth_of_the_delay() {
        let policy = RetryPolicy::default();
        for _ in 0..200 {
            let d = policy.delay(3).as_secs_f64();
            assert!((48.0..=72.0).contains(&d), "{d}");
        }
    }
}
