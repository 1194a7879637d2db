//! The table the benchmark prints (and its JSON form).

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::load::Outcome;

#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub database: String,
    pub events: usize,
    pub connections: usize,
    pub duration_secs: f64,
    pub cores: usize,
    pub load_average: String,
}

/// One line of the table. HTTP rows fill every column; background work (seeding, mail,
/// deliveries) gives its count, its time and its rate.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub scenario: String,
    /// Requests (or items of background work) per second.
    pub per_second: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub count: Option<u64>,
    pub errors: u64,
    pub seconds: Option<f64>,
    pub bytes_per_response: Option<u64>,
    /// Server CPU time (user + system) per request, in milliseconds.
    pub cpu_ms_per_request: Option<f64>,
    pub rss_before_mb: Option<f64>,
    pub rss_after_mb: Option<f64>,
    /// Requests per second as a share of the bare handler's, in the same run.
    pub ratio_to_limit: Option<f64>,
    pub note: String,
}

impl Row {
    fn empty(scenario: &str) -> Self {
        Self {
            scenario: scenario.to_owned(),
            per_second: None,
            p50_ms: None,
            p95_ms: None,
            p99_ms: None,
            count: None,
            errors: 0,
            seconds: None,
            bytes_per_response: None,
            cpu_ms_per_request: None,
            rss_before_mb: None,
            rss_after_mb: None,
            ratio_to_limit: None,
            note: String::new(),
        }
    }

    pub fn http(
        scenario: &str,
        outcome: &Outcome,
        cpu_seconds: f64,
        rss_before_mb: f64,
        rss_after_mb: f64,
        limit: Option<f64>,
    ) -> Self {
        let rps = outcome.requests_per_second();
        let requests = outcome.ok + outcome.errors;
        Self {
            per_second: Some(rps),
            p50_ms: Some(outcome.percentile_ms(50.0)),
            p95_ms: Some(outcome.percentile_ms(95.0)),
            p99_ms: Some(outcome.percentile_ms(99.0)),
            count: Some(requests),
            errors: outcome.errors,
            seconds: Some(outcome.elapsed.as_secs_f64()),
            bytes_per_response: Some(outcome.bytes_per_response()),
            cpu_ms_per_request: (requests > 0).then(|| cpu_seconds * 1000.0 / requests as f64),
            rss_before_mb: Some(rss_before_mb),
            rss_after_mb: Some(rss_after_mb),
            ratio_to_limit: limit.filter(|l| *l > 0.0).map(|l| rps / l),
            note: outcome.first_error.clone().unwrap_or_default(),
            ..Self::empty(scenario)
        }
    }

    pub fn background(
        scenario: &str,
        count: u64,
        took: Duration,
        rss_after_mb: Option<f64>,
    ) -> Self {
        Self {
            per_second: Some(count as f64 / took.as_secs_f64().max(1e-9)),
            count: Some(count),
            seconds: Some(took.as_secs_f64()),
            rss_after_mb,
            ..Self::empty(scenario)
        }
    }

    pub fn memory(scenario: &str, rss_mb: f64) -> Self {
        Self {
            rss_after_mb: Some(rss_mb),
            ..Self::empty(scenario)
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    pub fn with_errors(mut self, errors: u64) -> Self {
        self.errors = errors;
        self
    }
}

fn num(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.decimals$}"))
}

/// The table in Markdown, ready for the README.
pub fn table(header: &Header, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} events on {}, {} connections, {:.0} s per scenario, {} cores, load average before the table: {}\n",
        header.events,
        header.database,
        header.connections,
        header.duration_secs,
        header.cores,
        header.load_average
    );
    let _ = writeln!(
        out,
        "| scenario | req/s (items/s) | p50 ms | p95 ms | p99 ms | count | errors | s | bytes/resp | CPU ms/req | RSS before MB | RSS after MB | × limit |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.scenario,
            num(row.per_second, 0),
            num(row.p50_ms, 2),
            num(row.p95_ms, 2),
            num(row.p99_ms, 2),
            row.count.map_or_else(|| "-".to_owned(), |c| c.to_string()),
            row.errors,
            num(row.seconds, 1),
            row.bytes_per_response
                .map_or_else(|| "-".to_owned(), |b| b.to_string()),
            num(row.cpu_ms_per_request, 3),
            num(row.rss_before_mb, 1),
            num(row.rss_after_mb, 1),
            row.ratio_to_limit
                .map_or_else(|| "-".to_owned(), |r| format!("{:.1}%", r * 100.0)),
        );
    }
    let notes: Vec<&Row> = rows.iter().filter(|r| !r.note.is_empty()).collect();
    if !notes.is_empty() {
        let _ = writeln!(out);
        for row in notes {
            let _ = writeln!(out, "- {}: {}", row.scenario, row.note);
        }
    }
    out
}
