//! `krafto-bench search`: a million listings across 100 marketplaces (one with 200,000),
//! loaded with COPY; search latency over HTTP (wrk against the release platform) on the big
//! marketplace and a small one, per query class; then the same queries straight against
//! Postgres through the search engine, with row-level security on and off, so its overhead
//! is a ratio.

use crate::common::{Stats, progress, with_database, wrk};
use anyhow::{Context, bail};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use krafto_auth::TokenKeys;
use krafto_db::{Db, DbRole};
use krafto_search::{Near, PgSearch, SearchEngine, SearchQuery, Sort};
use std::collections::HashMap;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Postgres URL (superuser); the bench database `krafto_search_bench` lives next to it.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    #[arg(long, default_value_t = 1_000_000)]
    listings: usize,
    #[arg(long, default_value_t = 100)]
    tenants: usize,
    /// Listings of the big marketplace.
    #[arg(long, default_value_t = 200_000)]
    big: usize,
    /// Seconds of HTTP load per query class and marketplace.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    #[arg(long, default_value_t = 8)]
    connections: usize,
    /// Runs of each query straight against Postgres, per RLS setting.
    #[arg(long, default_value_t = 30)]
    iterations: usize,
    /// Reload even when a loaded bench database exists.
    #[arg(long)]
    fresh: bool,
    #[arg(long, env = "WRK", default_value = "wrk")]
    wrk: String,
}

const DB_NAME: &str = "krafto_search_bench";
const BASE: &str = "bench.test";

const ADJECTIVES: &[&str] = &[
    "blue",
    "rustic",
    "hand-thrown",
    "small",
    "large",
    "vintage",
    "woven",
    "carved",
    "glazed",
    "speckled",
    "minimal",
    "floral",
    "indigo",
    "golden",
    "wild",
];
const MATERIALS: &[&str] = &[
    "ceramic",
    "stoneware",
    "porcelain",
    "oak",
    "walnut",
    "linen",
    "wool",
    "silver",
    "gold",
    "glass",
    "leather",
    "cotton",
    "brass",
    "clay",
    "bamboo",
];
const NOUNS: &[&str] = &[
    "bowl", "mug", "vase", "plate", "necklace", "ring", "earrings", "scarf", "blanket", "basket",
    "candle", "print", "lamp", "spoon", "tray", "bag", "cushion", "teapot",
];
const EXTRA_TAGS: &[&str] = &[
    "gift",
    "kitchen",
    "wedding",
    "eco",
    "minimalist",
    "boho",
    "nordic",
    "kids",
    "vintage",
    "personalised",
];
const WORDS: &[&str] = &[
    "made", "by", "hand", "in", "our", "workshop", "each", "piece", "unique", "slow", "craft",
    "local", "natural", "finish", "gift", "durable", "timeless", "small", "batch", "studio",
];
const CITIES: &[(&str, &str, &str, f64, f64)] = &[
    ("Lyon", "Auvergne-Rhône-Alpes", "FR", 45.764, 4.8357),
    ("Paris", "Île-de-France", "FR", 48.8566, 2.3522),
    ("Marseille", "Provence", "FR", 43.2965, 5.3698),
    ("Bordeaux", "Nouvelle-Aquitaine", "FR", 44.8378, -0.5792),
    ("Nantes", "Pays de la Loire", "FR", 47.2184, -1.5536),
    ("Brussels", "Brussels", "BE", 50.8503, 4.3517),
    ("Geneva", "Geneva", "CH", 46.2044, 6.1432),
    ("Barcelona", "Catalonia", "ES", 41.3874, 2.1686),
];

/// A small deterministic generator (the data set is the same on every load).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n as u64)).unwrap_or(0)
    }

    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn pg_array(items: &[&str]) -> String {
    format!(
        "{{{}}}",
        items
            .iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// Streams CSV rows into `table` through psql's `\copy` (COPY FROM STDIN).
async fn copy(
    url: &str,
    table_and_columns: &str,
    rows: impl Iterator<Item = String>,
    label: &str,
    every: usize,
) -> anyhow::Result<()> {
    let mut child = tokio::process::Command::new("psql")
        .args([
            url,
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-c",
            &format!("\\copy {table_and_columns} FROM STDIN WITH (FORMAT csv)"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .context("cannot run psql (install postgresql-client)")?;
    let mut stdin = child.stdin.take().context("psql stdin")?;
    let mut buf = Vec::with_capacity(1 << 20);
    let started = Instant::now();
    for (i, row) in rows.enumerate() {
        buf.extend_from_slice(row.as_bytes());
        buf.push(b'\n');
        if buf.len() > (1 << 20) {
            stdin.write_all(&buf).await?;
            buf.clear();
        }
        if every > 0 && (i + 1) % every == 0 {
            progress(&format!(
                "  {label}: {} rows ({:.0} s)",
                i + 1,
                started.elapsed().as_secs_f64()
            ));
        }
    }
    stdin.write_all(&buf).await?;
    drop(stdin);
    let status = child.wait().await?;
    if !status.success() {
        bail!("COPY into {table_and_columns} failed");
    }
    Ok(())
}

struct Tenant {
    id: Uuid,
    slug: String,
    listings: usize,
    shops: Vec<Uuid>,
    leaf_categories: Vec<Uuid>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn load(args: &Args, url: &str) -> anyhow::Result<()> {
    krafto_db::migrate(url).await?;
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut tenants = Vec::new();
    let small = (args.listings - args.big) / (args.tenants - 1).max(1);
    for i in 0..args.tenants {
        let listings = if i == 0 { args.big } else { small };
        let shops = if i == 0 { 2000 } else { 40 };
        tenants.push(Tenant {
            id: Uuid::now_v7(),
            slug: format!("t{i:03}"),
            listings,
            shops: (0..shops).map(|_| Uuid::now_v7()).collect(),
            leaf_categories: Vec::new(),
        });
    }
    progress(&format!("loading {} marketplaces", tenants.len()));
    copy(
        url,
        "tenants(id, slug, name, template, currency, locale, display_name, primary_color, accent_color, seller_commission_bps, platform_fee_bps, features)",
        tenants.iter().map(|t| format!("{},{},{},handmade,EUR,fr-FR,{},#8a4b2a,#ac914e,1000,200,{{}}", t.id, t.slug, t.slug, t.slug)),
        "tenants",
        0,
    )
    .await?;
    let mut category_rows = Vec::new();
    for t in &mut tenants {
        for (i, top) in krafto_core::Template::Handmade
            .starter_categories()
            .iter()
            .enumerate()
        {
            let top_id = Uuid::now_v7();
            category_rows.push(format!(
                "{},{},,{},{},{i}",
                t.id,
                top_id,
                top.slug,
                csv_field(top.name.en)
            ));
            for (j, (slug, name)) in top.children.iter().enumerate() {
                let id = Uuid::now_v7();
                t.leaf_categories.push(id);
                category_rows.push(format!(
                    "{},{},{},{},{},{j}",
                    t.id,
                    id,
                    top_id,
                    slug,
                    csv_field(name.en)
                ));
            }
        }
    }
    copy(
        url,
        "categories(tenant_id, id, parent_id, slug, name, position)",
        category_rows.into_iter(),
        "categories",
        0,
    )
    .await?;
    let mut users = Vec::new();
    let mut shops = Vec::new();
    for t in &tenants {
        for (i, shop) in t.shops.iter().enumerate() {
            let owner = Uuid::now_v7();
            users.push(format!(
                "{},{},seller{i}@{}.example,seller",
                t.id, owner, t.slug
            ));
            let (city, region, country, lat, lon) = CITIES[rng.below(CITIES.len())];
            let status = if rng.below(100) < 97 {
                "active"
            } else {
                "suspended"
            };
            let verified = rng.below(100) < 30;
            shops.push(format!(
                "{},{shop},{owner},shop-{i},{},{},{},{},{},{:.4},{:.4},{status},{verified},{{}},{{}}",
                t.id,
                csv_field(&format!("{} {} studio {i}", rng.pick(ADJECTIVES), rng.pick(MATERIALS))),
                csv_field("A small studio making things by hand."),
                csv_field(city),
                csv_field(region),
                country,
                lat + (rng.below(1000) as f64 - 500.0) / 10_000.0,
                lon + (rng.below(1000) as f64 - 500.0) / 10_000.0,
            ));
        }
    }
    copy(
        url,
        "users(tenant_id, id, email, role)",
        users.into_iter(),
        "users",
        0,
    )
    .await?;
    copy(
        url,
        "shops(tenant_id, id, owner_id, slug, name, story, city, region, country, latitude, longitude, status, verified, social_links, languages)",
        shops.into_iter(),
        "shops",
        0,
    )
    .await?;
    progress(&format!(
        "loading {} listings with COPY (the search trigger fills the index fields)",
        args.listings
    ));
    let now = chrono::Utc::now();
    let rows = tenants
        .iter()
        .flat_map(|t| (0..t.listings).map(move |_| t))
        .scan(Rng(0x9E37_79B9_7F4A_7C15), move |rng, t| {
            let (adj, mat, noun) = (rng.pick(ADJECTIVES), rng.pick(MATERIALS), rng.pick(NOUNS));
            let title = format!("{adj} {mat} {noun}");
            let tags = [noun, adj, rng.pick(EXTRA_TAGS)];
            let description: Vec<&str> = (0..14).map(|_| rng.pick(WORDS)).collect();
            let quantity = if rng.below(10) == 0 {
                0
            } else {
                1 + rng.below(20)
            };
            let status = match rng.below(100) {
                0..=9 => "draft",
                10..=13 => "archived",
                _ if quantity == 0 => "out_of_stock",
                _ => "active",
            };
            let created =
                now - chrono::Duration::minutes(i64::try_from(rng.below(525_600)).unwrap_or(0));
            let id = Uuid::new_v7(uuid::Timestamp::from_unix(
                uuid::NoContext,
                u64::try_from(created.timestamp()).unwrap_or(0),
                created.timestamp_subsec_nanos(),
            ));
            let rating = if rng.below(10) < 6 {
                format!("{:.2}", 3.0 + rng.below(200) as f64 / 100.0)
            } else {
                String::new()
            };
            let photos =
                format!("[{{\"url\": \"https://img.example/{id}.jpg\", \"alt\": \"{title}\"}}]");
            Some(format!(
                "{},{id},{},{},{},{},EUR,{quantity},{},{},{},{},{status},{},{rating},{},{},{},{}",
                t.id,
                t.shops[rng.below(t.shops.len())],
                csv_field(&title),
                csv_field(&description.join(" ")),
                500 + rng.below(60_000),
                t.leaf_categories[rng.below(t.leaf_categories.len())],
                csv_field(&pg_array(&tags)),
                csv_field(&pg_array(&[mat])),
                csv_field(&photos),
                rng.below(10_000) as f64 / 100.0,
                rng.below(200),
                created.to_rfc3339(),
                created.to_rfc3339(),
                if status == "draft" {
                    String::new()
                } else {
                    created.to_rfc3339()
                },
            ))
        });
    copy(
        url,
        "listings(tenant_id, id, shop_id, title, description, price_minor, currency, quantity, category_id, tags, materials, photos, status, trending_score, rating_avg, rating_count, created_at, updated_at, published_at)",
        rows,
        "listings",
        100_000,
    )
    .await?;
    progress("ANALYZE");
    let mut conn = AsyncPgConnection::establish(url).await?;
    conn.batch_execute("ANALYZE; CREATE TABLE bench_meta (listings bigint NOT NULL)")
        .await?;
    conn.batch_execute(&format!(
        "INSERT INTO bench_meta VALUES ({})",
        args.listings
    ))
    .await?;
    Ok(())
}

/// The query mix: class name and query string.
const MIX: &[(&str, &[&str])] = &[
    (
        "text",
        &[
            "q=bowl",
            "q=silver+necklace",
            "q=indigo+linen",
            "q=ceramik",
            "q=walnut+tray",
            "q=vintage",
        ],
    ),
    (
        "text+filters",
        &[
            "q=bowl&max_price=5000&in_stock=true",
            "q=silver&category=jewellery",
            "q=mug&country=FR&sort=price_asc",
            "q=scarf&min_price=2000&max_price=8000&verified=true",
        ],
    ),
    (
        "filters",
        &[
            "category=ceramics",
            "category=home-living&min_price=1000&max_price=5000",
            "country=FR&verified=true",
            "tags=gift&in_stock=true",
            "city=lyon&lat=45.76&lon=4.84&radius_km=30",
        ],
    ),
    (
        "sorts",
        &[
            "sort=newest",
            "sort=price_asc",
            "sort=price_desc",
            "sort=top_rated",
            "sort=trending",
            "category=jewellery&sort=price_asc",
            "q=bowl&sort=newest",
        ],
    ),
];

/// The engine query a query string stands for (the subset of parameters the mix uses).
fn to_query(qs: &str, categories: &HashMap<String, Uuid>) -> SearchQuery {
    let mut q = SearchQuery {
        limit: 24,
        ..SearchQuery::default()
    };
    let (mut lat, mut lon, mut radius) = (None, None, None);
    for pair in qs.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = v.replace('+', " ");
        match k {
            "q" => q.text = Some(v),
            "category" => q.category = categories.get(&v).copied(),
            "min_price" => q.price_min = v.parse().ok(),
            "max_price" => q.price_max = v.parse().ok(),
            "in_stock" => q.in_stock_only = true,
            "verified" => q.verified_only = true,
            "country" => q.country = Some(v),
            "city" => q.city = Some(v),
            "tags" => q.tags = vec![v],
            "sort" => q.sort = Sort::parse(&v).unwrap_or_default(),
            "lat" => lat = v.parse().ok(),
            "lon" => lon = v.parse().ok(),
            "radius_km" => radius = v.parse().ok(),
            _ => {}
        }
    }
    if let (Some(latitude), Some(longitude), Some(radius_km)) = (lat, lon, radius) {
        q.near = Some(Near {
            latitude,
            longitude,
            radius_km,
        });
    }
    q
}

#[derive(QueryableByName)]
struct IdSlug {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    slug: String,
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Runs every query of the mix `iterations` times straight through the engine; per class,
/// the sorted latencies in ms.
async fn direct(
    engine: &PgSearch,
    tenant: Uuid,
    categories: &HashMap<String, Uuid>,
    iterations: usize,
) -> anyhow::Result<Vec<(&'static str, Vec<f64>)>> {
    // The bench seeded this marketplace itself; the scope stands for the host gate's.
    let scope = krafto_testkit::scope_of(tenant);
    let mut out = Vec::new();
    for (class, queries) in MIX {
        let mut lat = Vec::new();
        for qs in *queries {
            let q = to_query(qs, categories);
            engine.search(&scope, &q, 100).await?; // warm
            for _ in 0..iterations {
                let started = Instant::now();
                engine.search(&scope, &q, 100).await?;
                lat.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        lat.sort_by(f64::total_cmp);
        out.push((*class, lat));
    }
    Ok(out)
}

pub(crate) async fn run(args: Args) -> anyhow::Result<()> {
    let maintenance = with_database(&args.database_url, "postgres");
    let url = with_database(&args.database_url, DB_NAME);
    let mut admin = AsyncPgConnection::establish(&maintenance)
        .await
        .context("connect to the maintenance database")?;
    let exists = {
        let rows: Vec<Count> = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_database WHERE datname = '{DB_NAME}'"
        ))
        .load(&mut admin)
        .await?;
        rows.into_iter().next().is_some_and(|c| c.n > 0)
    };
    let loaded = if exists && !args.fresh {
        let mut c = AsyncPgConnection::establish(&url).await?;
        let rows: Result<Vec<Count>, _> = diesel::sql_query("SELECT listings AS n FROM bench_meta")
            .load(&mut c)
            .await;
        rows.ok().and_then(|r| r.into_iter().next().map(|c| c.n))
            == Some(i64::try_from(args.listings)?)
    } else {
        false
    };
    if loaded {
        progress(&format!(
            "reusing {DB_NAME} ({} listings); --fresh reloads",
            args.listings
        ));
        krafto_db::migrate(&url).await?;
    } else {
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))
            .await?;
        admin
            .batch_execute(&format!("CREATE DATABASE {DB_NAME}"))
            .await?;
        let started = Instant::now();
        load(&args, &url).await?;
        progress(&format!(
            "loaded in {:.0} s",
            started.elapsed().as_secs_f64()
        ));
    }

    let mut conn = AsyncPgConnection::establish(&url).await?;
    // A run stopped during the RLS-off phase must not leave the tables open.
    for t in ["listings", "shops", "categories"] {
        conn.batch_execute(&format!(
            "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY; ALTER TABLE {t} FORCE ROW LEVEL SECURITY"
        ))
        .await?;
    }
    conn.batch_execute("VACUUM ANALYZE listings").await?;
    let tenants: Vec<IdSlug> = diesel::sql_query(
        "SELECT id, slug FROM tenants WHERE slug IN ('t000', 't050') ORDER BY slug",
    )
    .load(&mut conn)
    .await?;
    if tenants.len() != 2 {
        bail!("the bench database lacks t000/t050; run with --fresh");
    }
    let counts: Vec<Count> = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM listings WHERE tenant_id = '{}' UNION ALL SELECT count(*) FROM listings WHERE tenant_id = '{}'",
        tenants[0].id, tenants[1].id
    ))
    .load(&mut conn)
    .await?;

    // HTTP, through the release platform.
    let keys = TokenKeys::generate();
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let platform_bin = std::env::current_exe()?.with_file_name("platform");
    let mail = std::env::temp_dir().join("krafto-search-bench-mail");
    let mut child = tokio::process::Command::new(&platform_bin)
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env(
            "KRAFTO_ROOT_KEY",
            secrecy::ExposeSecret::expose_secret(&keys.private_hex()),
        )
        .env("KRAFTO_BASE_DOMAIN", BASE)
        .env("KRAFTO_MAIL_DIR", &mail)
        .env("PLATFORM_ADDR", &addr)
        .env("KRAFTO_DB_POOL_SIZE", args.connections.to_string())
        .env("RUST_LOG", "warn")
        .env("KRAFTO_LOG_FORMAT", "json")
        .env_remove("REDIS_URL")
        .env_remove("OPENSEARCH_URL")
        .kill_on_drop(true)
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} (cargo build --release -p platform)",
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
    let mut http_rows: Vec<(String, &str, Stats)> = Vec::new();
    for t in &tenants {
        let host = format!("{}.{BASE}", t.slug);
        for (class, queries) in MIX {
            let targets: Vec<(String, String, String)> = queries
                .iter()
                .map(|q| {
                    (
                        host.clone(),
                        String::new(),
                        format!("/api/v1/store/search?{q}"),
                    )
                })
                .collect();
            progress(&format!(
                "HTTP {host} {class}: {} connections, {} s",
                args.connections, args.seconds
            ));
            let stats = wrk(&args.wrk, &addr, &targets, args.connections, args.seconds).await?;
            http_rows.push((t.slug.clone(), class, stats));
        }
    }
    child.kill().await.ok();

    // Straight against Postgres, same engine and SQL, RLS on then off.
    let app = Db::connect(&url, DbRole::App, 2)?;
    // Facet counts are cached in the server; here every run counts, to measure the database.
    let engine = PgSearch::without_facet_cache(app);
    let big = tenants[0].id;
    let cats: Vec<IdSlug> = diesel::sql_query(format!(
        "SELECT id, slug FROM categories WHERE tenant_id = '{big}'"
    ))
    .load(&mut conn)
    .await?;
    let categories: HashMap<String, Uuid> = cats.into_iter().map(|c| (c.slug, c.id)).collect();
    progress(&format!(
        "direct, RLS on: {} runs of each query on t000",
        args.iterations
    ));
    let with_rls = direct(&engine, big, &categories, args.iterations).await?;
    const TABLES: &[&str] = &["listings", "shops", "categories"];
    for t in TABLES {
        conn.batch_execute(&format!("ALTER TABLE {t} NO FORCE ROW LEVEL SECURITY; ALTER TABLE {t} DISABLE ROW LEVEL SECURITY")).await?;
    }
    progress("direct, RLS off (explicit tenant filter only)");
    let without = direct(&engine, big, &categories, args.iterations).await;
    for t in TABLES {
        conn.batch_execute(&format!(
            "ALTER TABLE {t} ENABLE ROW LEVEL SECURITY; ALTER TABLE {t} FORCE ROW LEVEL SECURITY"
        ))
        .await?;
    }
    let without = without?;

    let mut out = String::new();
    out.push_str(&format!(
        "\nkrafto-bench search: {} listings in {} marketplaces; t000 has {}, t050 has {}; {} cores\n\n",
        args.listings,
        args.tenants,
        counts.get(..1).and_then(|c| c.iter().map(|c| c.n).next()).unwrap_or(0),
        counts.get(1).map_or(0, |c| c.n),
        std::thread::available_parallelism().map_or(0, usize::from)
    ));
    out.push_str(&format!(
        "HTTP (wrk, {} connections, {} s per class)\n",
        args.connections, args.seconds
    ));
    out.push_str(&format!(
        "{:<6} {:<14} {:>9} {:>9} {:>9} {:>9} {:>7}\n",
        "tenant", "class", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"
    ));
    for (slug, class, s) in &http_rows {
        out.push_str(&format!(
            "{:<6} {:<14} {:>9.0} {:>9.2} {:>9.2} {:>9.2} {:>7}\n",
            slug,
            class,
            s.rps(),
            s.pct(0.5),
            s.pct(0.95),
            s.pct(0.99),
            s.errors
        ));
    }
    out.push_str(&format!(
        "\nDirect on t000 ({} runs per query, one connection), RLS on vs off\n",
        args.iterations
    ));
    out.push_str(&format!(
        "{:<14} {:>10} {:>10} {:>10} {:>10} {:>9}\n",
        "class", "on p50", "off p50", "on p95", "off p95", "p50 ratio"
    ));
    let (mut on_all, mut off_all) = (Vec::new(), Vec::new());
    for ((class, on), (_, off)) in with_rls.iter().zip(&without) {
        out.push_str(&format!(
            "{:<14} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>9.3}\n",
            class,
            pct(on, 0.5),
            pct(off, 0.5),
            pct(on, 0.95),
            pct(off, 0.95),
            pct(on, 0.5) / pct(off, 0.5)
        ));
        on_all.extend(on.iter().copied());
        off_all.extend(off.iter().copied());
    }
    on_all.sort_by(f64::total_cmp);
    off_all.sort_by(f64::total_cmp);
    let on_total: f64 = on_all.iter().sum();
    let off_total: f64 = off_all.iter().sum();
    out.push_str(&format!(
        "{:<14} {:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>9.3}\nRLS overhead (total time on / off): {:+.1}%\n",
        "all",
        pct(&on_all, 0.5),
        pct(&off_all, 0.5),
        pct(&on_all, 0.95),
        pct(&off_all, 0.95),
        pct(&on_all, 0.5) / pct(&off_all, 0.5),
        (on_total / off_total - 1.0) * 100.0
    ));
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(())
}
