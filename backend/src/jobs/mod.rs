//! Durable background work. A service that causes mail or federation writes a job row in the
//! same transaction as its change (`enqueue` takes the caller's connection or transaction), so
//! a job exists if and only if the change was committed. Workers on any number of nodes claim
//! due jobs with a lease, retry failures with exponential backoff and jitter, and park a job as
//! dead after its last attempt, where admins can see and re-run it.

mod admin;
mod handler;
mod purge;
mod queue;
pub(crate) mod worker;

pub use admin::{JobCounts, JobFilter, count_by_state, dead, find, list, retry, retry_dead};
pub use handler::{JobError, JobHandler, JobRegistry, RetryPolicy};
pub use purge::{OptimizeDatabaseJob, PurgeFinishedJob};
pub use queue::{NewJob, OnDuplicate, cancel_pending, enqueue, find_pending};
pub use worker::{WorkerConfig, WorkerPool, run_due_now};

pub type Job = entity::job::Model;

#[cfg(test)]
mod tests;
