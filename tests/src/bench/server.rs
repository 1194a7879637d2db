//! The processes under load: `convive serve` on the seeded database, and the bare axum handler
//! that stands for the machine's limit. Both run as child processes of the benchmark (this same
//! executable, started with a hidden flag), so that their memory and CPU are theirs alone and
//! the load generator does not share their runtime.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Hidden first argument that makes this executable serve Convive (as `convive serve`).
pub const SERVE_FLAG: &str = "--internal-serve";
/// Hidden first argument that makes this executable serve the bare handler.
pub const BARE_FLAG: &str = "--internal-bare";

/// A free loopback port (bound and released; the child binds it again at once).
pub fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

pub struct ChildServer {
    pub child: Child,
    pub address: SocketAddr,
}

impl ChildServer {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn host(&self) -> String {
        self.address.to_string()
    }

    /// Starts `convive serve` with these `CONVIVE_*` settings and waits until it answers.
    pub async fn convive(port: u16, env: &[(String, String)], log: &Path) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let log_file = std::fs::File::create(log)?;
        let child = Command::new(exe)
            .arg(SERVE_FLAG)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("CONVIVE_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::from(log_file.try_clone()?))
            .stderr(Stdio::from(log_file))
            .spawn()?;
        let server = Self {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        server.wait_ready("/api/health").await?;
        Ok(server)
    }

    /// Starts the bare handler returning `size` bytes of HTML.
    pub async fn bare(port: u16, size: usize) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let child = Command::new(exe)
            .arg(BARE_FLAG)
            .arg(format!("127.0.0.1:{port}"))
            .arg(size.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let server = Self {
            child,
            address: SocketAddr::from(([127, 0, 0, 1], port)),
        };
        server.wait_ready("/").await?;
        Ok(server)
    }

    async fn wait_ready(&self, path: &str) -> anyhow::Result<()> {
        let client = reqwest::Client::new();
        let url = format!("http://{}{path}", self.address);
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(response) = client.get(&url).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "the server on {} did not answer within two minutes",
                self.address
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn rss_mb(&self) -> f64 {
        rss_mb(self.pid())
    }

    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(self.pid())
    }

    /// Stops the child with SIGTERM (a graceful stop), then waits for it.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Resident memory of a process, in MB (`VmRSS` of `/proc/PID/status`).
pub fn rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// CPU time (user + system, all threads) of a process, in seconds. `/proc/PID/stat` counts in
/// clock ticks of 1/100 s on Linux.
pub fn cpu_seconds(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // Fields after the command name, which may hold spaces, end with ')'.
            let rest = &stat[stat.rfind(')')? + 2..];
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = fields.get(11)?.parse().ok()?;
            let stime: f64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

/// CPU time (user + system, all threads, exited ones included) of this process, in seconds,
/// to the nanosecond: what a few milliseconds of work in this process cost, where `/proc`'s
/// 10 ms ticks would only sample it.
pub fn own_cpu_seconds() -> f64 {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    now.tv_sec as f64 + now.tv_nsec as f64 / 1e9
}

/// Body of the child started with [`SERVE_FLAG`]: exactly what `convive serve` runs.
pub fn serve_convive() -> std::process::ExitCode {
    web::cli::run(web::cli::Cli {
        config: None,
        command: Some(web::cli::Command::Serve),
    })
}

/// Body of the child started with [`BARE_FLAG`]: one axum route answering a static page of the
/// given size, on a runtime built as `convive serve` builds its own.
pub fn serve_bare(address: &str, size: usize) -> anyhow::Result<()> {
    let address: SocketAddr = address.parse()?;
    let page = bare_page(size);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let page: &'static str = Box::leak(page.into_boxed_str());
        let router = axum::Router::new().route(
            "/",
            axum::routing::get(move || async move { axum::response::Html(page) }),
        );
        let listener = tokio::net::TcpListener::bind(address).await?;
        axum::serve(listener, router).await?;
        Ok(())
    })
}

/// An HTML page of exactly `size` bytes.
pub fn bare_page(size: usize) -> String {
    let head = "<!doctype html><html><head><title>bare</title></head><body><p>";
    let tail = "</p></body></html>";
    let filler = size.saturating_sub(head.len() + tail.len());
    let mut page = String::with_capacity(size);
    page.push_str(head);
    page.extend(std::iter::repeat_n('x', filler));
    page.push_str(tail);
    page
}

/// A fresh, empty database for one run: a SQLite file in `dir`, or a new schema in the
/// PostgreSQL database at `CONVIVE_BENCH_DATABASE_URL`.
pub struct BenchDatabase {
    pub url: String,
    pub label: &'static str,
    postgres: Option<(String, String)>,
}

pub const BENCH_DATABASE_ENV: &str = "CONVIVE_BENCH_DATABASE_URL";
/// Set to keep the PostgreSQL schema (or the SQLite files) after the run, to study its
/// queries (`EXPLAIN`, `pgbench`) or serve it again without seeding.
pub const BENCH_KEEP_ENV: &str = "CONVIVE_BENCH_KEEP_SCHEMA";

impl BenchDatabase {
    pub async fn create(dir: &Path, name: &str) -> anyhow::Result<Self> {
        use sea_orm::{ConnectionTrait, Statement};
        match std::env::var(BENCH_DATABASE_ENV) {
            Ok(admin_url) if !admin_url.trim().is_empty() => {
                let schema = format!("bench_{name}_{}", uuid::Uuid::new_v4().simple());
                let admin = backend::db::connect(&admin_url, 1).await?;
                admin
                    .execute_raw(Statement::from_string(
                        admin.get_database_backend(),
                        format!("CREATE SCHEMA {schema}"),
                    ))
                    .await?;
                let _ = admin.close().await;
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
                Ok(Self {
                    url,
                    label: "PostgreSQL",
                    postgres: Some((admin_url, schema)),
                })
            }
            _ => Ok(Self {
                url: format!(
                    "sqlite://{}?mode=rwc",
                    dir.join(format!("{name}.db")).display()
                ),
                label: "SQLite",
                postgres: None,
            }),
        }
    }

    /// Drops the PostgreSQL schema (a SQLite file goes with its directory), unless
    /// `CONVIVE_BENCH_KEEP_SCHEMA` is set.
    pub async fn drop_schema(&self) {
        use sea_orm::{ConnectionTrait, Statement};
        if let Some((_, schema)) = &self.postgres
            && std::env::var_os(BENCH_KEEP_ENV).is_some()
        {
            eprintln!("kept PostgreSQL schema {schema}");
            return;
        }
        if let Some((admin_url, schema)) = &self.postgres
            && let Ok(admin) = backend::db::connect(admin_url, 1).await
        {
            let _ = admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                ))
                .await;
            let _ = admin.close().await;
        }
    }
}
