//! The command line: `convive [serve]`, `convive migrate`, account and job administration.

use std::path::PathBuf;
use std::process::ExitCode;

use backend::users::service::{self as users, AdminAccountOptions, NewAccount};
use backend::{AppContext, Settings};
use clap::{Args, Parser, Subcommand};
use entity::user::UserRole;

#[derive(Debug, Parser)]
#[command(
    name = "convive",
    version,
    about = "Convive: events of local collectives, federated.",
    long_about = "Convive: events of local collectives, federated.\n\n\
        Without a command, serves the instance. Configuration comes from built-in defaults, \
        then convive.toml (or --config), then CONVIVE_* environment variables."
)]
pub struct Cli {
    /// Configuration file (default: ./convive.toml when it exists).
    #[arg(long, global = true, env = "CONVIVE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web interface, the API, feeds and federation, and run background workers.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Inspect and re-run background jobs.
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Other instances: block and unblock them.
    #[command(subcommand)]
    Instances(InstancesCommand),
}

#[derive(Debug, Subcommand)]
pub enum InstancesCommand {
    /// Follow another instance (its public events come here once it accepts).
    Follow { domain: String },
    /// Block an instance (host name, with its port when it is not the default).
    Block {
        domain: String,
        /// Why, for the other administrators.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Lift a block.
    Unblock { domain: String },
    /// List blocked instances.
    Blocks,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create an account.
    Create(CreateUser),
    /// List accounts.
    List,
}

#[derive(Debug, Args)]
pub struct CreateUser {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub password: String,
    /// Make the account an instance administrator.
    #[arg(long, conflicts_with = "moderator")]
    pub admin: bool,
    /// Make the account an instance moderator.
    #[arg(long)]
    pub moderator: bool,
    /// Mark the account as confirmed (no confirmation mail is sent).
    #[arg(long)]
    pub confirmed: bool,
    /// Language of the account: en or fr.
    #[arg(long)]
    pub locale: Option<String>,
    /// Also create the account's first identity with this username.
    #[arg(long)]
    pub username: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Count jobs by state and list the dead ones.
    List {
        /// pending, running, done, dead or cancelled.
        #[arg(long, default_value = "dead")]
        state: String,
    },
    /// Give a dead job a fresh set of attempts.
    Retry { id: i64 },
}

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let (settings, report) = match Settings::load(cli.config.as_deref()) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("convive: {err}");
            return ExitCode::from(2);
        }
    };
    crate::startup::init_tracing(&settings);
    if let Some(file) = &report.config_file {
        tracing::info!(file = %file.display(), "configuration file loaded");
    }
    for name in &report.ignored_env {
        tracing::warn!(variable = %name, "environment variable matches no setting; ignored");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("convive: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => crate::startup::serve(settings).await,
            Command::Migrate => migrate(settings).await,
            Command::Users(UsersCommand::Create(args)) => create_user(settings, args).await,
            Command::Users(UsersCommand::List) => list_users(settings).await,
            Command::Jobs(command) => jobs(settings, command).await,
            Command::Instances(command) => instances(settings, command).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("convive: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(settings: Settings) -> anyhow::Result<()> {
    let db = backend::db::connect(&settings.database_url, settings.database_connections()).await?;
    backend::db::migrate(&db).await?;
    println!("migrations applied ({})", backend::db::backend_name(&db));
    Ok(())
}

async fn create_user(settings: Settings, args: CreateUser) -> anyhow::Result<()> {
    let ctx = AppContext::start(settings).await?;
    let role = if args.admin {
        UserRole::Administrator
    } else if args.moderator {
        UserRole::Moderator
    } else {
        UserRole::User
    };
    let user = users::create_account(
        &ctx,
        NewAccount {
            email: args.email,
            password: args.password,
            locale: args.locale,
            timezone: None,
            invitation: None,
        },
        AdminAccountOptions {
            role: Some(role),
            confirmed: args.confirmed,
        },
    )
    .await
    .map_err(describe)?;
    if let Some(username) = args.username {
        backend::actors::persons::register(
            &ctx,
            &backend::principal::Principal::System,
            &user.email,
            None,
            backend::actors::persons::NewPerson {
                preferred_username: username,
                ..Default::default()
            },
        )
        .await
        .map_err(describe)?;
    }
    // A confirmation mail was queued unless --confirmed: send it now, no server is running.
    let federation = federation::Federation::start(&ctx).await?;
    backend::jobs::run_due_now(&ctx, &crate::startup::job_registry(&federation)).await;
    println!(
        "created user {} <{}> role={:?} confirmed={}",
        user.id,
        user.email,
        user.role,
        user.confirmed_at.is_some()
    );
    Ok(())
}

async fn instances(settings: Settings, command: InstancesCommand) -> anyhow::Result<()> {
    let ctx = AppContext::start(settings).await?;
    let admin = backend::principal::Principal::System;
    match command {
        InstancesCommand::Follow { domain } => {
            let federation = federation::Federation::start(&ctx).await?;
            let remote = federation::resolve_instance(&federation, &ctx, &domain)
                .await
                .map_err(|e| anyhow::anyhow!("{domain}: {e}"))?;
            let request = backend::instances::follow_request(&ctx.db, &remote)
                .await
                .map_err(describe)?;
            backend::groups::follows::follow(&ctx, &admin, request)
                .await
                .map_err(describe)?;
            println!(
                "following {} (pending until it accepts; the server sends the request)",
                remote.domain.unwrap_or_default()
            );
        }
        InstancesCommand::Block { domain, reason } => {
            let block = backend::domain_blocks::block(&ctx, &admin, &domain, reason.as_deref())
                .await
                .map_err(describe)?;
            println!("blocked {}", block.domain);
        }
        InstancesCommand::Unblock { domain } => {
            backend::domain_blocks::unblock(&ctx, &admin, &domain)
                .await
                .map_err(describe)?;
            println!(
                "unblocked {}",
                backend::domain_blocks::normalize(&domain).map_err(describe)?
            );
        }
        InstancesCommand::Blocks => {
            let blocks = backend::domain_blocks::list(&ctx.db, &admin)
                .await
                .map_err(describe)?;
            println!("{} blocked instance(s)", blocks.len());
            for block in blocks {
                println!(
                    "{}\t{}\t{}",
                    block.domain,
                    block.created_at.format("%Y-%m-%d %H:%M UTC"),
                    block.reason.unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

async fn list_users(settings: Settings) -> anyhow::Result<()> {
    let ctx = AppContext::start(settings).await?;
    let (total, rows) = users::list(&ctx.db, 1, 10_000).await.map_err(describe)?;
    println!("{total} account(s)");
    for user in rows {
        println!(
            "{}\t{}\t{:?}\t{}\t{}",
            user.id,
            user.email,
            user.role,
            if user.confirmed_at.is_some() {
                "confirmed"
            } else {
                "unconfirmed"
            },
            user.created_at.format("%Y-%m-%d %H:%M UTC")
        );
    }
    Ok(())
}

async fn jobs(settings: Settings, command: JobsCommand) -> anyhow::Result<()> {
    use backend::jobs;
    let ctx = AppContext::start(settings).await?;
    match command {
        JobsCommand::List { state } => {
            let state = parse_job_state(&state)?;
            let counts = jobs::count_by_state(&ctx.db).await.map_err(describe)?;
            println!(
                "pending {}, running {}, done {}, dead {}, cancelled {}",
                counts.pending, counts.running, counts.done, counts.dead, counts.cancelled
            );
            let (_, rows) = jobs::list(
                &ctx.db,
                &jobs::JobFilter {
                    state: Some(state),
                    kind: None,
                },
                1,
                100,
            )
            .await
            .map_err(describe)?;
            for job in rows {
                println!(
                    "{}\t{}\tattempts {}/{}\t{}\t{}",
                    job.id,
                    job.kind,
                    job.attempts,
                    job.max_attempts,
                    job.updated_at.format("%Y-%m-%d %H:%M:%S UTC"),
                    job.last_error.unwrap_or_default()
                );
            }
        }
        JobsCommand::Retry { id } => {
            let job = jobs::retry_dead(&ctx.db, id, ctx.now())
                .await
                .map_err(describe)?;
            println!("job {} is pending again ({})", job.id, job.kind);
        }
    }
    Ok(())
}

fn parse_job_state(raw: &str) -> anyhow::Result<entity::job::JobState> {
    use entity::job::JobState;
    Ok(match raw {
        "pending" => JobState::Pending,
        "running" => JobState::Running,
        "done" => JobState::Done,
        "dead" => JobState::Dead,
        "cancelled" => JobState::Cancelled,
        other => anyhow::bail!(
            "unknown state \"{other}\"; expected pending, running, done, dead or cancelled"
        ),
    })
}

/// A backend error as a command-line message (with the field for invalid input).
fn describe(err: backend::Error) -> anyhow::Error {
    anyhow::anyhow!("{err} ({})", err.code())
}
