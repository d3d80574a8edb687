//! Shared by both benchmarks: load generation (wrk, or an in-process client), figures.

use anyhow::{Context, bail};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub(crate) fn with_database(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
    format!("{base}/{db}")
}

pub(crate) fn progress(msg: &str) {
    eprintln!("==> {msg}");
}

pub(crate) struct Stats {
    pub(crate) requests: usize,
    pub(crate) errors: usize,
    pub(crate) elapsed: Duration,
    pub(crate) latencies_us: Vec<u32>,
    /// p50, p95, p99 when the load generator computed them itself.
    pub(crate) percentiles_ms: Option<[f64; 3]>,
}

impl Stats {
    pub(crate) fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    pub(crate) fn pct(&self, p: f64) -> f64 {
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
pub(crate) async fn load(
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
                let mut req = client.get(&url).header("host", host);
                // Anonymous targets send no credentials at all: an empty bearer is a
                // malformed `Authorization`, refused with a 401.
                if !token.is_empty() {
                    req = req.bearer_auth(token);
                }
                let resp = req.send().await;
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
pub(crate) async fn wrk(
    wrk: &str,
    addr: &str,
    targets: &[(String, String, String)],
    connections: usize,
    seconds: u64,
) -> anyhow::Result<Stats> {
    // Each target: host, bearer token (empty for none), path.
    let mut lua = String::from("local targets = {\n");
    for (host, token, path) in targets {
        let auth = if token.is_empty() {
            String::new()
        } else {
            format!("Bearer {token}")
        };
        lua.push_str(&format!("  {{ \"{host}\", \"{auth}\", \"{path}\" }},\n"));
    }
    lua.push_str(
        r#"}
local i = math.random(1, #targets)
request = function()
  i = i % #targets + 1
  local t = targets[i]
  local headers = { ["Host"] = t[1] }
  if t[2] ~= "" then headers["Authorization"] = t[2] end
  return wrk.format("GET", t[3], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("KRAFTO %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"#,
    );
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
        .arg(format!("http://{addr}/"))
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

/// Starts the release `platform` binary (next to this one) on a free loopback port against
/// `url`, and waits until it answers. Returns the child (killed on drop), its address and
/// its mail folder.
pub(crate) async fn start_platform(
    url: &str,
    keys: &krafto_auth::TokenKeys,
    base_domain: &str,
    pool_size: usize,
    redis_url: Option<&str>,
) -> anyhow::Result<(tokio::process::Child, String, std::path::PathBuf)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let exe = std::env::current_exe()?;
    let platform_bin = exe.with_file_name("platform");
    progress(&format!("starting {} on {addr}", platform_bin.display()));
    let mail_dir = std::env::temp_dir().join(format!("krafto-bench-{}-mail", std::process::id()));
    let child = tokio::process::Command::new(&platform_bin)
        .arg("serve")
        .env("DATABASE_URL", url)
        .env(
            "KRAFTO_ROOT_KEY",
            secrecy::ExposeSecret::expose_secret(&keys.private_hex()),
        )
        .env("KRAFTO_BASE_DOMAIN", base_domain)
        .env("KRAFTO_MAIL_DIR", &mail_dir)
        .env("PLATFORM_ADDR", &addr)
        .env("KRAFTO_DB_POOL_SIZE", pool_size.to_string())
        .env("RUST_LOG", "warn")
        .env("KRAFTO_LOG_FORMAT", "json")
        // wrk -c32 from one address at full speed: limits far above what it reaches, so the
        // bench measures the limiter's cost without being refused.
        .env("KRAFTO_RATE_LIMIT_CLIENT", "10000000/s")
        .env("KRAFTO_RATE_LIMIT_MARKETPLACE", "10000000/s")
        .env_remove("STRIPE_SECRET_KEY")
        .envs(redis_url.map(|u| ("REDIS_URL", u.to_owned())))
        .kill_on_drop(true)
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} (build it: cargo build --release -p platform)",
                platform_bin.display()
            )
        })?;
    let http = reqwest::Client::new();
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
    Ok((child, addr, mail_dir))
}
