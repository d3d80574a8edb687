//! `tenant-admin`: the control plane's server and operations commands.

use clap::{Parser, Subcommand};
use krafto_core::env::Env;
use krafto_web::config::DatabaseConfig;
use secrecy::{ExposeSecret, SecretString};
use std::io::Write;

#[derive(Parser)]
#[command(
    name = "tenant-admin",
    about = "Krafto control plane: provision and run marketplaces",
    version
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending database migrations (DATABASE_URL must be an owner or superuser).
    Migrate,
    /// Print a new root key for KRAFTO_ROOT_KEY.
    Keygen,
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Create the demo staff account and marketplaces (idempotent).
    DemoSeed {
        #[arg(long)]
        staff_email: String,
        #[arg(long, env = "KRAFTO_DEMO_STAFF_PASSWORD", hide_env_values = true)]
        staff_password: String,
    },
    /// Serve the control plane API.
    Serve {
        /// Listen address (default: TENANT_ADMIN_ADDR, else 0.0.0.0:8081).
        #[arg(long)]
        addr: Option<String>,
    },
    /// Print the OpenAPI document of the control plane API.
    Openapi,
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff member (or set a new password for an existing one).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, env = "KRAFTO_STAFF_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Remove a staff member: the account is disabled and every session it holds ends.
    Remove {
        #[arg(long)]
        email: String,
    },
}

/// Tells running servers about revoked sessions through Redis when `REDIS_URL` is set
/// (they also read them from the database within 30 seconds).
async fn announce(env: &Env, revoked: &[(String, chrono::DateTime<chrono::Utc>)]) {
    let (Ok(Some(redis)), Ok(limits)) = (
        krafto_web::config::RedisConfig::from_env(env),
        krafto_web::ratelimit::RateLimitConfig::from_env(env),
    ) else {
        return;
    };
    if let Err(e) =
        krafto_auth::revocation::publish(redis.url.expose_secret(), &limits.redis_prefix, revoked)
            .await
    {
        tracing::warn!(error = %e, "could not announce the ended sessions; servers find them within 30 s");
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let env = Env::process();
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Openapi => writeln!(out, "{}", tenant_admin::openapi_json())?,
        Command::Keygen => {
            writeln!(
                out,
                "{}",
                krafto_auth::TokenKeys::generate()
                    .private_hex()
                    .expose_secret()
            )?;
        }
        Command::Migrate => {
            let url = DatabaseConfig::url_from_env(&env)?;
            let applied = krafto_db::migrate(url.expose_secret()).await?;
            if applied.is_empty() {
                writeln!(out, "migrations: up to date")?;
            }
            for v in applied {
                writeln!(out, "migrations: applied {v}")?;
            }
        }
        Command::Staff {
            command: StaffCommand::Add { email, password },
        } => {
            if password.chars().count() < 10 {
                anyhow::bail!("--password must be at least 10 characters");
            }
            let url = DatabaseConfig::url_from_env(&env)?;
            let db = krafto_db::Db::connect(url.expose_secret(), krafto_db::DbRole::Control, 1)?;
            let saved =
                tenant_admin::demo::set_staff_password(&db, &email, &SecretString::from(password))
                    .await?;
            announce(&env, &saved.revoked).await;
            writeln!(
                out,
                "staff {email}: {}",
                if saved.created {
                    "created".to_owned()
                } else {
                    format!("password updated, {} session(s) ended", saved.revoked.len())
                }
            )?;
        }
        Command::Staff {
            command: StaffCommand::Remove { email },
        } => {
            let url = DatabaseConfig::url_from_env(&env)?;
            let db = krafto_db::Db::connect(url.expose_secret(), krafto_db::DbRole::Control, 1)?;
            match tenant_admin::remove_staff(&db, &email).await? {
                Some(revoked) => {
                    announce(&env, &revoked).await;
                    writeln!(
                        out,
                        "staff {email}: removed, {} session(s) ended",
                        revoked.len()
                    )?;
                }
                None => anyhow::bail!("no staff member has the e-mail {email}"),
            }
        }
        Command::DemoSeed {
            staff_email,
            staff_password,
        } => {
            let settings = tenant_admin::Settings::from_env(&env)?;
            let state = tenant_admin::ControlState::from_settings(&settings).await?;
            for line in
                tenant_admin::demo::seed(&state, &staff_email, &SecretString::from(staff_password))
                    .await?
            {
                writeln!(out, "{line}")?;
            }
        }
        Command::Serve { addr } => {
            drop(out);
            krafto_web::init_telemetry(krafto_web::LogFormat::from_env(&env)?);
            let settings = tenant_admin::Settings::from_env(&env)?;
            let addr = addr.unwrap_or_else(|| settings.listen_addr.clone());
            let state = tenant_admin::ControlState::from_settings(&settings).await?;
            tokio::try_join!(
                tenant_admin::serve(state, &addr, None, krafto_web::shutdown_signal()),
                krafto_web::serve_configured_metrics(
                    &settings.metrics,
                    krafto_web::shutdown_signal()
                ),
            )?;
        }
    }
    Ok(())
}
