//! `platform`: the tenant-facing server.

use clap::{Parser, Subcommand};
use krafto_core::env::Env;
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
        /// Listen address (default: PLATFORM_ADDR, else 0.0.0.0:8080).
        #[arg(long)]
        addr: Option<String>,
    },
    /// Print the OpenAPI document of the platform API.
    Openapi,
    /// Deliver outbox messages (the search index sync when OPENSEARCH_URL is set) until
    /// Ctrl-C or SIGTERM. Run as many as you like: they share the work.
    Worker {
        /// Pause between polls of an empty outbox, in milliseconds (default:
        /// KRAFTO_WORKER_POLL_MS, else 1000).
        #[arg(long)]
        poll_ms: Option<u64>,
        /// Messages claimed and handled concurrently per round, 1-1000 (default:
        /// KRAFTO_WORKER_BATCH, else 32).
        #[arg(long)]
        batch: Option<i64>,
        /// Attempts before a message is parked as `dead` (default:
        /// KRAFTO_WORKER_MAX_ATTEMPTS, else 8).
        #[arg(long)]
        max_attempts: Option<i32>,
    },
    /// Give the demo marketplaces (`lyon`, `ferme`) live, payable shops and listings with
    /// pictures drawn in code (after `tenant-admin demo-seed`). Does nothing for a
    /// marketplace that has shops.
    DemoCatalog,
    /// Queue a full reindex of the OpenSearch index (all tenants, or one); `platform worker`
    /// does the work.
    SearchReindex {
        /// Only the tenant with this slug.
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Compare, per marketplace, a UTC day of the ledger and our records with what the
    /// payment provider reports, store the result for the consoles and print every
    /// difference. Exits with status 1 when any marketplace has differences.
    Reconcile {
        /// The UTC day, YYYY-MM-DD (default: yesterday).
        #[arg(long)]
        day: Option<chrono::NaiveDate>,
        /// Only the marketplace with this slug.
        #[arg(long)]
        marketplace: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let env = Env::process();
    match cli.command {
        Command::DemoCatalog => {
            let settings = platform::Settings::from_env(&env)?;
            let started = std::time::Instant::now();
            // Progress goes to stderr (scripts/run reads stdout): one line per marketplace
            // rewritten in place on a terminal; in a log, a line every tenth of the way.
            let mut err = std::io::stderr();
            let terminal = std::io::IsTerminal::is_terminal(&err);
            let sizes = platform::demo::PictureSizes::default();
            let seeded = platform::demo::seed_catalog(&settings, sizes, |p| {
                let step = (p.total / 10).max(1);
                if terminal {
                    let _ = write!(
                        err,
                        "\r  drawing and storing the pictures of {}: {}/{}",
                        p.marketplace, p.done, p.total
                    );
                    if p.done == p.total {
                        let _ = writeln!(err);
                    }
                } else if p.done % step == 0 || p.done == p.total {
                    let _ = writeln!(
                        err,
                        "  drawing and storing the pictures of {}: {}/{}",
                        p.marketplace, p.done, p.total
                    );
                }
            })
            .await?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "demo catalogue: {} shop(s), {} listing(s) and {} picture(s) created in {:.1} s",
                seeded.shops,
                seeded.listings,
                seeded.pictures,
                started.elapsed().as_secs_f64()
            )?;
            for (marketplace, shop, email) in platform::demo::sellers() {
                writeln!(out, "seller: {marketplace} {email} ({shop})")?;
            }
        }
        Command::Openapi => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", platform::openapi_json())?;
        }
        Command::Serve { addr } => {
            krafto_web::init_telemetry(krafto_web::LogFormat::from_env(&env)?);
            let settings = platform::Settings::from_env(&env)?;
            let addr = addr.unwrap_or_else(|| settings.http.listen_addr.clone());
            let state = platform::AppState::from_settings(&settings).await?;
            tokio::try_join!(
                platform::serve(state, &addr, None, krafto_web::shutdown_signal()),
                krafto_web::serve_configured_metrics(
                    &settings.metrics,
                    krafto_web::shutdown_signal()
                ),
            )?;
        }
        Command::Worker {
            poll_ms,
            batch,
            max_attempts,
        } => {
            krafto_web::init_telemetry(krafto_web::LogFormat::from_env(&env)?);
            let settings = platform::Settings::from_env(&env)?;
            let mut worker = platform::config::WorkerSettings::from_env(&env)?;
            if let Some(ms) = poll_ms {
                worker.poll_interval = std::time::Duration::from_millis(ms);
            }
            worker.batch_size = batch.unwrap_or(worker.batch_size);
            worker.max_attempts = max_attempts.unwrap_or(worker.max_attempts);
            let config = worker.worker_config();
            platform::worker::run(&settings, config, krafto_web::shutdown_signal()).await?;
        }
        Command::SearchReindex { tenant } => {
            krafto_web::init_telemetry(krafto_web::LogFormat::from_env(&env)?);
            let settings = platform::Settings::from_env(&env)?;
            let n = platform::worker::queue_reindex(&settings, tenant.as_deref()).await?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "queued a reindex of {n} tenant(s); `platform worker` carries it out"
            )?;
        }
        Command::Reconcile { day, marketplace } => {
            krafto_web::init_telemetry(krafto_web::LogFormat::from_env(&env)?);
            let settings = platform::Settings::from_env(&env)?;
            let state = platform::AppState::from_settings(&settings).await?;
            let day = day.unwrap_or_else(platform::reconcile::yesterday);
            let mut err = std::io::stderr();
            let _ = writeln!(err, "reconciling {day} (UTC)");
            let reports =
                platform::reconcile::reconcile_day(&state, day, marketplace.as_deref(), |r| {
                    let _ = writeln!(
                        err,
                        "  {}: {} ({} recorded, {} at the provider, {} difference(s))",
                        r.slug,
                        r.status(),
                        r.our_movements,
                        r.gateway_movements,
                        r.differences.len()
                    );
                })
                .await?;
            let mut out = std::io::stdout().lock();
            let mut dirty = 0;
            for r in &reports {
                let checked = if r.gateway_checked {
                    ""
                } else {
                    " (ledger only: the payment provider keeps no books in test mode)"
                };
                writeln!(out, "{} {}: {}{checked}", r.slug, r.day, r.status())?;
                if let Some(e) = &r.error {
                    writeln!(out, "  the payment provider could not be read: {e}")?;
                }
                for d in &r.differences {
                    writeln!(out, "  - {}", d.detail)?;
                }
                if r.status() != "clean" {
                    dirty += 1;
                }
            }
            writeln!(
                out,
                "{} marketplace(s) reconciled, {dirty} with differences",
                reports.len()
            )?;
            if dirty > 0 {
                out.flush()?;
                std::process::exit(1);
            }
        }
    }
    Ok(())
}
