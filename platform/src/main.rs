//! `platform`: the tenant-facing server.

use clap::{Parser, Subcommand};
use std::io::Write;

#[derive(Parser)]
#[command(
    name = "platform",
    about = "Krafto platform: every marketplace, routed by host",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the marketplaces.
    Serve {
        #[arg(long, env = "PLATFORM_ADDR", default_value = "0.0.0.0:8080")]
        addr: String,
    },
    /// Print the OpenAPI document of the platform API.
    Openapi,
    /// Deliver outbox messages (the search index sync when OPENSEARCH_URL is set) until
    /// Ctrl-C or SIGTERM. Run as many as you like: they share the work.
    Worker {
        /// Pause between polls of an empty outbox, in milliseconds.
        #[arg(long, env = "KRAFTO_WORKER_POLL_MS", default_value_t = 1000)]
        poll_ms: u64,
        /// Messages claimed and handled concurrently per round (1-1000).
        #[arg(long, env = "KRAFTO_WORKER_BATCH", default_value_t = 32)]
        batch: i64,
        /// Attempts before a message is parked as `dead`.
        #[arg(long, env = "KRAFTO_WORKER_MAX_ATTEMPTS", default_value_t = 8)]
        max_attempts: i32,
    },
    /// Give the demo marketplaces (`lyon`, `ferme`) live, payable shops and listings (after
    /// `tenant-admin demo-seed`). Does nothing for a marketplace that has shops.
    DemoCatalog,
    /// Queue a full reindex of the OpenSearch index (all tenants, or one); `platform worker`
    /// does the work.
    SearchReindex {
        /// Only the tenant with this slug.
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::DemoCatalog => {
            let settings = platform::Settings::from_env()?;
            let n = platform::demo::seed_catalog(&settings).await?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "demo catalogue: {n} shop(s) created")?;
        }
        Command::Openapi => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", platform::openapi_json())?;
        }
        Command::Serve { addr } => {
            krafto_web::init_telemetry(krafto_web::LogFormat::from_env());
            let settings = platform::Settings::from_env()?;
            let state = platform::AppState::from_settings(&settings).await?;
            platform::serve(state, &addr, None, krafto_web::shutdown_signal()).await?;
        }
        Command::Worker {
            poll_ms,
            batch,
            max_attempts,
        } => {
            krafto_web::init_telemetry(krafto_web::LogFormat::from_env());
            let settings = platform::Settings::from_env()?;
            let config = krafto_jobs::WorkerConfig {
                poll_interval: std::time::Duration::from_millis(poll_ms),
                batch_size: batch,
                max_attempts,
                ..krafto_jobs::WorkerConfig::default()
            };
            platform::worker::run(&settings, config, krafto_web::shutdown_signal()).await?;
        }
        Command::SearchReindex { tenant } => {
            krafto_web::init_telemetry(krafto_web::LogFormat::from_env());
            let settings = platform::Settings::from_env()?;
            let n = platform::worker::queue_reindex(&settings, tenant.as_deref()).await?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "queued a reindex of {n} tenant(s); `platform worker` carries it out"
            )?;
        }
    }
    Ok(())
}
