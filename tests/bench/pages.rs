//! `krafto-bench pages`: what does a server-rendered page cost next to the JSON API call that
//! reads the same data? Starts the release `platform` binary against a fresh marketplace
//! with three payable shops, then loads each page and its API twin for the same time, with
//! the same number of connections, and prints requests per second, p50/p95 and the page's
//! p50 as a multiple of the API's (one run, so the machine's noise hits both alike).

use crate::checkout::Market;
use crate::common::{Stats, load, progress};
use std::sync::Arc;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Postgres URL (superuser); a fresh database is created next to it for the run.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// Concurrent client connections.
    #[arg(long, default_value_t = 8)]
    connections: usize,
    /// Seconds of measured load per page.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    #[arg(long, env = "REDIS_URL")]
    redis_url: Option<String>,
}

pub(crate) async fn run(args: Args) -> anyhow::Result<()> {
    let market = Market::open(
        &args.database_url,
        "pages",
        args.connections.max(4),
        20,
        args.redis_url.as_deref(),
    )
    .await?;
    let listing = market.listings[0][0].clone();
    // `load` takes 'static paths; these few strings live for the whole run anyway.
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let pairs: [(&str, &'static str, &'static str); 4] = [
        ("home", "/", "/api/v1/store/search?sort=newest&limit=8"),
        ("search", "/search?q=bol", "/api/v1/store/search?q=bol"),
        (
            "listing",
            leak(format!("/listings/{listing}")),
            leak(format!("/api/v1/store/listings/{listing}")),
        ),
        ("shop", "/shops/atelier-0", "/api/v1/store/shops/atelier-0"),
    ];
    let targets = Arc::new(vec![(market.host.to_owned(), String::new())]);
    let mut rows = Vec::new();
    for (name, page, api) in pairs {
        let mut measured: Vec<Stats> = Vec::new();
        for path in [page, api] {
            progress(&format!("{name}: {path}, {} s", args.seconds));
            load(&market.addr, path, targets.clone(), args.connections, 1).await?;
            measured.push(
                load(
                    &market.addr,
                    path,
                    targets.clone(),
                    args.connections,
                    args.seconds,
                )
                .await?,
            );
        }
        rows.push((name, page, measured));
    }
    market.close().await;

    let mut out = format!(
        "\nkrafto-bench pages: {} connections, {} s each, {} cores\n\n{:<9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>10}\n",
        args.connections,
        args.seconds,
        std::thread::available_parallelism().map_or(0, usize::from),
        "page",
        "page r/s",
        "page p50",
        "page p95",
        "api r/s",
        "api p50",
        "api p95",
        "p50 ratio"
    );
    let mut errors = 0;
    for (name, _, m) in &rows {
        let (p, a) = (&m[0], &m[1]);
        errors += p.errors + a.errors;
        out.push_str(&format!(
            "{:<9} {:>9.0} {:>6.2} ms {:>6.2} ms {:>9.0} {:>6.2} ms {:>6.2} ms {:>9.2}x\n",
            name,
            p.rps(),
            p.pct(0.5),
            p.pct(0.95),
            a.rps(),
            a.pct(0.5),
            a.pct(0.95),
            p.pct(0.5) / a.pct(0.5)
        ));
    }
    std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes())?;
    if errors > 0 {
        anyhow::bail!("{errors} requests failed");
    }
    Ok(())
}
