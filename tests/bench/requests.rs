//! `krafto-bench requests`: how lean is the request path? Starts the release `platform` binary against
//! a fresh database with 100 provisioned marketplaces, loads it over loopback, and prints
//! requests per second and latency percentiles next to `pgbench -S` measured in the same
//! run on the same machine.

use crate::common::{load, progress, start_platform, with_database, wrk};
use anyhow::{Context, bail};
use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use krafto_auth::{TokenKeys, UserClaims};
use krafto_core::Role;
use krafto_db::models::User;
use krafto_db::{Db, DbRole};
use serde_json::json;
use std::process::Stdio;
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Postgres URL (superuser); a fresh database is created next to it for the run.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// Marketplaces to provision.
    #[arg(long, default_value_t = 100)]
    tenants: usize,
    /// Concurrent client connections (HTTP and pgbench alike).
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Seconds of measured load per scenario.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// pgbench binary.
    #[arg(long, env = "PGBENCH", default_value = "pgbench")]
    pgbench: String,
    /// wrk binary; without it an in-process client loads the server (and competes with it
    /// for the CPU, so its figures are lower).
    #[arg(long, env = "WRK", default_value = "wrk")]
    wrk: String,
    /// Redis for the platform (optional).
    #[arg(long, env = "REDIS_URL")]
    redis_url: Option<String>,
}

async fn pgbench(args: &Args, url: &str) -> anyhow::Result<f64> {
    let init = tokio::process::Command::new(&args.pgbench)
        .args(["-i", "-s", "10", "-q", url])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .await
        .with_context(|| {
            format!(
                "cannot run {} (install postgresql-contrib, or pass --pgbench)",
                args.pgbench
            )
        })?;
    if !init.status.success() {
        bail!(
            "pgbench -i failed: {}",
            String::from_utf8_lossy(&init.stderr)
        );
    }
    let jobs = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(args.connections);
    let out = tokio::process::Command::new(&args.pgbench)
        .args([
            "-S",
            "-M",
            "prepared",
            "-c",
            &args.connections.to_string(),
            "-j",
            &jobs.to_string(),
            "-T",
            &args.seconds.to_string(),
            url,
        ])
        .output()
        .await?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| {
            l.trim_start_matches("tps = ")
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .with_context(|| {
            format!(
                "no tps in pgbench output:\n{text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
}

pub(crate) async fn run(args: Args) -> anyhow::Result<()> {
    let run = format!("krafto_bench_{}", std::process::id());
    let pg_db = format!("{run}_pgbench");
    let maintenance = with_database(&args.database_url, "postgres");
    let mut admin = AsyncPgConnection::establish(&maintenance)
        .await
        .context("connect to the maintenance database")?;
    for db in [&run, &pg_db] {
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {db}"))
            .await?;
        admin
            .batch_execute(&format!("CREATE DATABASE {db}"))
            .await?;
    }
    let url = with_database(&args.database_url, &run);
    progress(&format!("migrating {run}"));
    krafto_db::migrate(&url).await?;

    progress(&format!(
        "provisioning {} marketplaces through the control plane",
        args.tenants
    ));
    let keys = TokenKeys::generate();
    let control_settings = tenant_admin::Settings {
        listen_addr: "127.0.0.1:0".to_owned(),
        site: krafto_web::config::SiteConfig {
            base_domain: "bench.test".to_owned(),
            storefront_url: "http://{host}".to_owned(),
        },
        database: krafto_web::config::DatabaseConfig {
            url: secrecy::SecretString::from(url.clone()),
            pool_size: 4,
            timeouts: krafto_db::DbTimeouts::default(),
        },
        redis: args
            .redis_url
            .clone()
            .map(|url| krafto_web::config::RedisConfig {
                url: secrecy::SecretString::from(url),
            }),
        auth: krafto_web::config::AuthConfig {
            root_key: keys.private_hex(),
        },
        payments: krafto_payments::PaymentSettings::default(),
        rate_limits: krafto_web::ratelimit::RateLimitConfig::default(),
        limits: krafto_web::config::LimitsConfig::default(),
        metrics: krafto_web::config::MetricsConfig::default(),
        proxy: krafto_web::config::ProxyConfig::default(),
    };
    let control = tenant_admin::ControlState::from_settings(&control_settings).await?;
    tenant_admin::demo::ensure_staff(
        &control.db,
        "bench@krafto.test",
        &secrecy::SecretString::from("bench password"),
    )
    .await?;
    let (bound_tx, bound_rx) = tokio::sync::oneshot::channel();
    tokio::spawn(tenant_admin::serve(
        control,
        "127.0.0.1:0",
        Some(bound_tx),
        std::future::pending(),
    ));
    let admin_addr = bound_rx.await?;
    let http = reqwest::Client::new();
    let login: serde_json::Value = http
        .post(format!("http://{admin_addr}/control/v1/auth/login"))
        .json(&json!({ "email": "bench@krafto.test", "password": "bench password" }))
        .send()
        .await?
        .json()
        .await?;
    let staff = login["token"].as_str().context("staff login")?.to_owned();
    let app_db = Db::connect(&url, DbRole::App, 4)?;
    let mut targets = Vec::new();
    for i in 0..args.tenants {
        let template = ["handmade", "farm", "b2b"][i % 3];
        let t: serde_json::Value = http
            .post(format!("http://{admin_addr}/control/v1/tenants"))
            .bearer_auth(&staff)
            .json(&json!({ "slug": format!("m{i:03}"), "name": format!("Market {i}"), "template": template }))
            .send()
            .await?
            .json()
            .await?;
        let tenant_id: uuid::Uuid = t["id"].as_str().context("tenant id")?.parse()?;
        let mut tx = app_db
            .tenant(&krafto_testkit::scope(&app_db, tenant_id).await)
            .await?;
        let (user, _) = User::sign_in(&mut tx, &format!("buyer{i}@example.com")).await?;
        tx.commit().await?;
        let (token, _) = keys.mint_user(
            UserClaims {
                tenant_id,
                user_id: user.id,
                role: Role::Buyer,
            },
            Utc::now(),
        )?;
        targets.push((format!("m{i:03}.bench.test"), token));
    }
    let targets = Arc::new(targets);

    let (mut child, addr, mail_dir) = start_platform(
        &url,
        &keys,
        "bench.test",
        args.connections,
        args.redis_url.as_deref(),
    )
    .await?;

    let use_wrk = std::process::Command::new(&args.wrk)
        .arg("--version")
        .output()
        .is_ok();
    let client = if use_wrk { "wrk" } else { "in-process reqwest" };
    let run_load = |path: &'static str, seconds: u64| {
        let targets = targets.clone();
        let (addr, wrk_bin, connections) = (addr.clone(), args.wrk.clone(), args.connections);
        async move {
            if use_wrk {
                let with_path: Vec<(String, String, String)> = targets
                    .iter()
                    .map(|(h, t)| (h.clone(), t.clone(), path.to_owned()))
                    .collect();
                wrk(&wrk_bin, &addr, &with_path, connections, seconds).await
            } else {
                load(&addr, path, targets, connections, seconds).await
            }
        }
    };
    progress(&format!("warming up ({client})"));
    run_load("/api/v1/store/tenant", 2).await?;
    run_load("/api/v1/me", 2).await?;
    progress(&format!(
        "GET /api/v1/store/tenant: {} connections, {} s",
        args.connections, args.seconds
    ));
    let store = run_load("/api/v1/store/tenant", args.seconds).await?;
    progress(&format!(
        "GET /api/v1/me: {} connections, {} s",
        args.connections, args.seconds
    ));
    let me = run_load("/api/v1/me", args.seconds).await?;
    child.kill().await.ok();

    progress(&format!(
        "pgbench -S: {} clients, {} s",
        args.connections, args.seconds
    ));
    let tps = pgbench(&args, &with_database(&args.database_url, &pg_db)).await?;

    for db in [&run, &pg_db] {
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .await
            .ok();
    }
    let _ = std::fs::remove_dir_all(mail_dir);

    let mut out = String::new();
    out.push_str(&format!(
        "\nkrafto-bench: {} marketplaces, {} connections, {} s per scenario, {} cores, client {client}\n\n",
        args.tenants,
        args.connections,
        args.seconds,
        std::thread::available_parallelism().map_or(0, usize::from)
    ));
    out.push_str(&format!(
        "{:<28} {:>10} {:>9} {:>9} {:>9} {:>8} {:>10}\n",
        "scenario", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "vs pgbench"
    ));
    for (name, s) in [
        ("GET /api/v1/store/tenant", &store),
        ("GET /api/v1/me", &me),
    ] {
        out.push_str(&format!(
            "{:<28} {:>10.0} {:>9.2} {:>9.2} {:>9.2} {:>8} {:>10.2}\n",
            name,
            s.rps(),
            s.pct(0.50),
            s.pct(0.95),
            s.pct(0.99),
            s.errors,
            s.rps() / tps
        ));
    }
    out.push_str(&format!("{:<28} {:>10.0}\n", "pgbench -S (tps)", tps));
    std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes())?;
    if store.errors + me.errors > 0 {
        bail!("{} requests failed", store.errors + me.errors);
    }
    Ok(())
}
