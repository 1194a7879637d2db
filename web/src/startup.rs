//! Bringing the instance up and down: logging, database, workers, the HTTP server, and a
//! graceful stop on SIGTERM or Ctrl-C.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use backend::jobs::{JobRegistry, WorkerConfig, WorkerPool};
use backend::settings::LogFormat;
use backend::{AppContext, Settings};
use federation::Federation;
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

use crate::state::AppState;

/// Every job handler of this binary.
pub fn job_registry(federation: &Federation) -> JobRegistry {
    let mut registry = backend::job_registry();
    registry.merge(federation::job_registry(federation));
    registry
}

pub fn init_tracing(settings: &Settings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.log.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    // A second initialisation (tests starting several servers) is harmless.
    let _ = match settings.log.format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Serves until SIGTERM or Ctrl-C.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    if settings.federation.debug {
        tracing::warn!(
            "federation.debug is on: plain http and loopback peers are allowed. Never use this in production."
        );
    }
    let ctx = AppContext::start(settings).await?;
    tracing::info!(
        database = backend::db::backend_name(&ctx.db),
        mail = ctx.mailer.kind(),
        public_url = %ctx.settings.public_url,
        "instance ready"
    );
    let listener = tokio::net::TcpListener::bind(ctx.settings.bind.0)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", ctx.settings.bind.0))?;
    let server = Server::start(ctx, listener, shutdown_signal()).await?;
    server.wait().await
}

/// A running instance: HTTP server and workers, stopped together.
pub struct Server {
    pub address: SocketAddr,
    pub ctx: AppContext,
    pub federation: Federation,
    stop: watch::Sender<bool>,
    http: tokio::task::JoinHandle<std::io::Result<()>>,
    workers: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    /// Starts serving on `listener` (workers too, when enabled) until `shutdown` completes or
    /// [`Server::stop`] is called. Federation's configuration is built first: one that cannot
    /// work stops the start, naming the setting to fix.
    pub async fn start(
        ctx: AppContext,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<Self> {
        let address = listener.local_addr()?;
        let federation = Federation::start(&ctx).await?;
        let (stop, stopped) = watch::channel(false);
        let state = AppState::new(ctx.clone(), federation.clone());
        let router = crate::app(state);

        let workers = ctx.settings.jobs.workers.then(|| {
            let pool = WorkerPool::new(
                ctx.clone(),
                job_registry(&federation),
                WorkerConfig::from_settings(&ctx.settings.jobs),
            );
            let stopped = stopped.clone();
            tokio::spawn(pool.run(wait_for_stop(stopped)))
        });

        let stop_on_signal = stop.clone();
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_on_signal.send(true);
        });
        let http_settings = ctx.settings.http.clone();
        let http = tokio::spawn(crate::serve::serve(
            listener,
            router,
            http_settings,
            wait_for_stop(stopped),
        ));
        tracing::info!(%address, "listening");
        Ok(Self {
            address,
            ctx,
            federation,
            stop,
            http,
            workers,
        })
    }

    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }

    /// Waits until the server stopped (after a signal or [`Server::stop`]).
    pub async fn wait(self) -> anyhow::Result<()> {
        let http = self.http.await;
        if let Some(workers) = self.workers {
            let grace = Duration::from_secs(self.ctx.settings.jobs.shutdown_grace_secs + 5);
            if tokio::time::timeout(grace, workers).await.is_err() {
                tracing::warn!("workers did not stop in time");
            }
        }
        self.ctx.db.clone().close().await.ok();
        tracing::info!("stopped");
        http??;
        Ok(())
    }
}

async fn wait_for_stop(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
