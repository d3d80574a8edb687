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
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
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
    }
    Ok(())
}
