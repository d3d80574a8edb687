//! `krafto-bench`: how lean is the request path? Starts the release `platform` binary against
//! a fresh database with 100 provisioned marketplaces, loads it over loopback, and prints
//! requests per second and latency percentiles next to `pgbench -S` measured in the same
//! run on the same machine.

use anyhow::{Context, bail};
use chrono::Utc;
use clap::Parser;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use krafto_auth::{TokenKeys, UserClaims};
use krafto_core::Role;
use krafto_db::models::User;
use krafto_db::{Db, DbRole};
use serde_json::json;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(
    name = "krafto-bench",
    about = "Platform request path versus pgbench -S, in one run"
)]
struct Args {
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

fn with_database(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
    format!("{base}/{db}")
}

fn progress(msg: &str) {
    eprintln!("==> {msg}");
}

struct Stats {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies_us: Vec<u32>,
    /// p50, p95, p99 when the load generator computed them itself.
    percentiles_ms: Option<[f64; 3]>,
}

impl Stats {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    fn pct(&self, p: f64) -> f64 {
        if let Some([p50, p95, p99]) = self.percentiles_ms {
            return if p <= 0.5 {
                p50
            } else if p <= 0.95 {
                p95
            } else {
                p99
            };
        }
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies_us[i]) / 1000.0
    }
}

/// Drives `connections` keep-alive clients for `seconds`, each request for a random tenant.
async fn load(
    addr: &str,
    path: &'static str,
    targets: Arc<Vec<(String, String)>>,
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Stats> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for worker in 0..connections {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()?;
        let url = format!("http://{addr}{path}");
        let targets = targets.clone();
        let stop = stop.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(100_000);
            let mut errors = 0usize;
            let mut i = worker * 7919;
            while !stop.load(Ordering::Relaxed) {
                let (host, token) = &targets[i % targets.len()];
                i += 1;
                let started = Instant::now();
                let resp = client
                    .get(&url)
                    .header("host", host)
                    .bearer_auth(token)
                    .send()
                    .await;
                match resp {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX));
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies_us = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        latencies_us.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    latencies_us.sort_unstable();
    Ok(Stats {
        requests: latencies_us.len(),
        errors,
        elapsed,
        latencies_us,
        percentiles_ms: None,
    })
}

/// Runs `wrk` (a C load generator, like pgbench's client) with a Lua script that spreads
/// requests over every marketplace and prints its figures on one line.
async fn wrk(
    wrk: &str,
    addr: &str,
    path: &str,
    targets: &[(String, String)],
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Stats> {
    let mut lua = String::from("local targets = {\n");
    for (host, token) in targets {
        lua.push_str(&format!("  {{ \"{host}\", \"Bearer {token}\" }},\n"));
    }
    lua.push_str(&format!(
        r#"}}
local i = math.random(1, #targets)
request = function()
  i = i % #targets + 1
  local t = targets[i]
  return wrk.format("GET", "{path}", {{ ["Host"] = t[1], ["Authorization"] = t[2] }})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("KRAFTO %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"#
    ));
    let script = std::env::temp_dir().join(format!("krafto-bench-{}.lua", std::process::id()));
    std::fs::write(&script, lua)?;
    let threads = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(connections);
    let out = tokio::process::Command::new(wrk)
        .args([
            "-t",
            &threads.to_string(),
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "-s",
        ])
        .arg(&script)
        .arg(format!("http://{addr}{path}"))
        .output()
        .await
        .with_context(|| format!("cannot run {wrk}"))?;
    let _ = std::fs::remove_file(&script);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("KRAFTO "))
        .with_context(|| {
            format!(
                "no figures in wrk output:\n{text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    let n: Vec<u64> = line
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    let [requests, duration_us, errors, p50, p95, p99] = n[..] else {
        bail!("unexpected wrk figures: {line}")
    };
    Ok(Stats {
        requests: usize::try_from(requests)?,
        errors: usize::try_from(errors)?,
        elapsed: Duration::from_micros(duration_us),
        latencies_us: Vec::new(),
        percentiles_ms: Some([
            p50 as f64 / 1000.0,
            p95 as f64 / 1000.0,
            p99 as f64 / 1000.0,
        ]),
    })
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
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
        database_url: url.clone(),
        base_domain: "bench.test".to_owned(),
        root_key: keys.private_hex(),
        redis_url: args.redis_url.clone(),
        db_pool_size: 4,
        storefront_url: "http://{host}".to_owned(),
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
        let mut tx = app_db.tenant(tenant_id).await?;
        let (user, _) = User::sign_in(&mut tx, tenant_id, &format!("buyer{i}@example.com")).await?;
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

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let exe = std::env::current_exe()?;
    let platform_bin = exe.with_file_name("platform");
    progress(&format!("starting {} on {addr}", platform_bin.display()));
    let mail_dir = std::env::temp_dir().join(format!("{run}-mail"));
    let mut child = tokio::process::Command::new(&platform_bin)
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env(
            "KRAFTO_ROOT_KEY",
            secrecy::ExposeSecret::expose_secret(&keys.private_hex()),
        )
        .env("KRAFTO_BASE_DOMAIN", "bench.test")
        .env("KRAFTO_MAIL_DIR", &mail_dir)
        .env("PLATFORM_ADDR", &addr)
        .env("KRAFTO_DB_POOL_SIZE", args.connections.to_string())
        .env("RUST_LOG", "warn")
        .env("KRAFTO_LOG_FORMAT", "json")
        .envs(args.redis_url.as_ref().map(|u| ("REDIS_URL", u.clone())))
        .kill_on_drop(true)
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} (build it: cargo build --release -p platform)",
                platform_bin.display()
            )
        })?;
    let started = Instant::now();
    while http
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .is_err()
    {
        if started.elapsed() > Duration::from_secs(20) {
            bail!("the platform did not come up on {addr}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

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
                wrk(&wrk_bin, &addr, path, &targets, connections, seconds).await
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
