//! `krafto-bench checkout`: how fast is a multi-shop checkout? Starts the release `platform`
//! binary (test payment gateway) against a fresh database with one marketplace and three
//! payable shops, then has 1, 8 and 32 concurrent guest buyers each fill a 3-shop cart and
//! check out, over and over. Prints, per concurrency, checkouts per second and p50/p95 of the
//! checkout call (re-price, hold stock, create the payment) and of checkout + payment
//! confirmation (orders, ledger, transfers and e-mails queued).

use crate::common::{progress, start_platform, with_database};
use anyhow::{Context, bail};
use chrono::Utc;
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use krafto_auth::{TokenKeys, UserClaims};
use krafto_core::Role;
use krafto_db::models::User;
use krafto_db::{Db, DbRole};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Postgres URL (superuser); a fresh database is created next to it for the run.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// Concurrent buyers, one scenario each.
    #[arg(long, value_delimiter = ',', default_values_t = [1usize, 8, 32])]
    buyers: Vec<usize>,
    /// Seconds of measured load per scenario.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Listings per shop; each cart takes one of each shop's at random (1: every buyer
    /// fights over the same three stock rows).
    #[arg(long, default_value_t = 20)]
    listings_per_shop: usize,
    #[arg(long, env = "REDIS_URL")]
    redis_url: Option<String>,
}

const HOST: &str = "bench.bench.test";

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> anyhow::Result<(u16, Value)> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("host", HOST);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let text = resp.text().await?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    async fn ok(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let (status, v) = self.call(method, path, token, &[], body).await?;
        if !(200..300).contains(&status) {
            bail!("{path}: {status} {v}");
        }
        Ok(v)
    }
}

/// Mints a token for a fresh user of the marketplace.
async fn user_token(
    db: &Db,
    keys: &TokenKeys,
    tenant: uuid::Uuid,
    email: &str,
    role: Role,
) -> anyhow::Result<String> {
    let mut tx = db.tenant(&krafto_testkit::scope(db, tenant).await).await?;
    let (user, _) = User::sign_in(&mut tx, email).await?;
    tx.commit().await?;
    Ok(keys
        .mint_user(
            UserClaims {
                tenant_id: tenant,
                user_id: user.id,
                role,
            },
            Utc::now(),
        )?
        .0)
}

/// One payable shop with `listings` listings of plenty of stock; returns their ids.
async fn shop(
    c: &Client,
    buyer_token: &str,
    n: usize,
    listings: usize,
) -> anyhow::Result<Vec<String>> {
    let opened = c
        .ok(
            reqwest::Method::POST,
            "/api/v1/seller/shop",
            Some(buyer_token),
            Some(json!({
                "name": format!("Atelier {n}"), "story": "Handmade.",
                "location": { "city": "Lyon", "country": "FR" },
                "profile_image_url": "https://img.example/p.jpg"
            })),
        )
        .await?;
    let token = opened["token"].as_str().context("seller token")?.to_owned();
    c.ok(
        reqwest::Method::POST,
        "/api/v1/seller/shop/submit",
        Some(&token),
        None,
    )
    .await?;
    let link = c
        .ok(
            reqwest::Method::POST,
            "/api/v1/seller/payouts/onboarding",
            Some(&token),
            None,
        )
        .await?;
    let url = link["url"].as_str().context("onboarding url")?;
    let path = url.split_once(HOST).context("onboarding host")?.1;
    let path = path.split('?').next().unwrap_or(path);
    // Submitted as the page's browser would: with the page's anonymous cookie and token.
    let page = c
        .http
        .get(format!("{}{path}", c.base))
        .header("host", HOST)
        .send()
        .await?;
    let cookie = page
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or_default()
        .to_owned();
    let status = page.status();
    let html = page.text().await?;
    let form_token = krafto_testkit::page_form_token(&html).with_context(|| {
        format!(
            "the onboarding page ({status}) carries no form token: {}",
            html.chars().take(300).collect::<String>()
        )
    })?;
    let done = c
        .http
        .post(format!("{}{path}", c.base))
        .header("host", HOST)
        .header("cookie", cookie)
        .form(&[("return_url", ""), ("_csrf", form_token.as_str())])
        .send()
        .await?;
    if !done.status().is_success() {
        bail!("test onboarding: {}", done.status());
    }
    c.ok(
        reqwest::Method::PUT,
        "/api/v1/seller/shipping-options",
        Some(&token),
        Some(json!([{ "name": "Colissimo", "base_minor": 490, "per_item_minor": 0, "days_min": 2, "days_max": 4 }])),
    )
    .await?;
    let mut ids = Vec::new();
    for k in 0..listings {
        let listing = c
            .ok(
                reqwest::Method::POST,
                "/api/v1/seller/listings",
                Some(&token),
                Some(json!({
                    "title": format!("Bol {n}-{k}"), "description": "Grès.",
                    "price_minor": 2500 + 100 * (n * listings + k) as i64,
                    "quantity": 1_000_000, "photos": [{ "url": "https://img.example/1.jpg", "alt": "bol" }]
                })),
            )
            .await?;
        let id = listing["id"].as_str().context("listing id")?.to_owned();
        c.ok(
            reqwest::Method::POST,
            &format!("/api/v1/seller/listings/{id}/publish"),
            Some(&token),
            None,
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

struct Figures {
    buyers: usize,
    checkouts: usize,
    errors: usize,
    elapsed: Duration,
    checkout_ms: Vec<f64>,
    total_ms: Vec<f64>,
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn scenario(
    c: Arc<Client>,
    listings: Arc<Vec<Vec<String>>>,
    buyers: usize,
    seconds: u64,
) -> Figures {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for b in 0..buyers {
        let (c, listings, stop) = (c.clone(), listings.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let (mut checkout_ms, mut total_ms, mut errors) = (Vec::new(), Vec::new(), 0usize);
            let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (b as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            while !stop.load(Ordering::Relaxed) {
                let run = async {
                    // Fill a fresh 3-shop guest cart (not measured).
                    let mut cart = String::new();
                    for shop_listings in listings.iter() {
                        rng ^= rng << 13;
                        rng ^= rng >> 7;
                        rng ^= rng << 17;
                        let l = &shop_listings[(rng % shop_listings.len() as u64) as usize];
                        let headers: Vec<(&str, &str)> = if cart.is_empty() {
                            vec![]
                        } else {
                            vec![("x-cart-token", cart.as_str())]
                        };
                        let (s, v) = c
                            .call(
                                reqwest::Method::POST,
                                "/api/v1/store/cart/lines",
                                None,
                                &headers,
                                Some(json!({ "listing_id": l, "quantity": 1 })),
                            )
                            .await?;
                        if s != 200 {
                            bail!("cart: {s} {v}");
                        }
                        if let Some(t) = v["cart_token"].as_str() {
                            cart = t.to_owned();
                        }
                    }
                    let key = uuid::Uuid::new_v4().to_string();
                    let started = Instant::now();
                    let (s, co) = c
                        .call(
                            reqwest::Method::POST,
                            "/api/v1/store/checkout",
                            None,
                            &[("x-cart-token", &cart), ("idempotency-key", &key)],
                            Some(json!({ "email": "buyer@example.com", "phone": "+33612345678",
                                "address": { "name": "Ada", "line1": "1 rue", "postal_code": "69001", "city": "Lyon", "country": "FR" } })),
                        )
                        .await?;
                    if s != 201 {
                        bail!("checkout: {s} {co}");
                    }
                    let checkout = started.elapsed();
                    let id = co["id"].as_str().unwrap_or_default();
                    let (s, paid) = c
                        .call(
                            reqwest::Method::POST,
                            &format!("/api/v1/store/checkout/{id}/test-payment"),
                            None,
                            &[],
                            Some(json!({ "client_secret": co["payment"]["client_secret"], "outcome": "succeed" })),
                        )
                        .await?;
                    if s != 200 || paid["orders"].as_array().map_or(0, Vec::len) != 3 {
                        bail!("payment: {s} {paid}");
                    }
                    Ok((checkout, started.elapsed()))
                };
                match run.await {
                    Ok((co, total)) => {
                        checkout_ms.push(co.as_secs_f64() * 1000.0);
                        total_ms.push(total.as_secs_f64() * 1000.0);
                    }
                    Err(e) => {
                        if errors == 0 {
                            progress(&format!("buyer {b}: {e}"));
                        }
                        errors += 1;
                    }
                }
            }
            (checkout_ms, total_ms, errors)
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut f = Figures {
        buyers,
        checkouts: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        checkout_ms: Vec::new(),
        total_ms: Vec::new(),
    };
    for t in tasks {
        if let Ok((a, b, e)) = t.await {
            f.checkout_ms.extend(a);
            f.total_ms.extend(b);
            f.errors += e;
        }
    }
    f.elapsed = started.elapsed();
    f.checkouts = f.total_ms.len();
    f.checkout_ms.sort_by(f64::total_cmp);
    f.total_ms.sort_by(f64::total_cmp);
    f
}

/// A fresh database with one marketplace and three payable shops of `listings_per_shop`
/// listings each, served by the release `platform` binary; [`Market::close`] drops it all.
pub(crate) struct Market {
    run: String,
    admin: AsyncPgConnection,
    child: tokio::process::Child,
    mail_dir: std::path::PathBuf,
    pub(crate) addr: String,
    pub(crate) host: &'static str,
    c: Arc<Client>,
    /// Each shop's listing ids.
    pub(crate) listings: Arc<Vec<Vec<String>>>,
}

impl Market {
    pub(crate) async fn open(
        database_url: &str,
        name: &str,
        pool: usize,
        listings_per_shop: usize,
        redis_url: Option<&str>,
    ) -> anyhow::Result<Market> {
        let run = format!("krafto_bench_{name}_{}", std::process::id());
        let maintenance = with_database(database_url, "postgres");
        let mut admin = AsyncPgConnection::establish(&maintenance)
            .await
            .context("connect to the maintenance database")?;
        for sql in [
            format!("DROP DATABASE IF EXISTS {run}"),
            format!("CREATE DATABASE {run}"),
        ] {
            admin.batch_execute(&sql).await?;
        }
        let url = with_database(database_url, &run);
        progress(&format!("migrating {run}"));
        krafto_db::migrate(&url).await?;
        let keys = TokenKeys::generate();
        let tenant = uuid::Uuid::now_v7();
        let mut conn = AsyncPgConnection::establish(&url).await?;
        conn.batch_execute(&format!(
            "INSERT INTO tenants (id, slug, name, template, currency, locale, display_name, primary_color, accent_color, seller_commission_bps, platform_fee_bps, features)
             VALUES ('{tenant}', 'bench', 'Bench', 'handmade', 'EUR', 'fr-FR', 'Bench', '#8a4b2a', '#ac914e', 1200, 200, '{{}}');
             INSERT INTO marketplace_settings (tenant_id, shop_review_required) VALUES ('{tenant}', false);"
        ))
        .await?;
        let (child, addr, mail_dir) =
            start_platform(&url, &keys, "bench.test", pool, redis_url).await?;
        let c = Arc::new(Client {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(256)
                .build()?,
            base: format!("http://{addr}"),
        });
        progress("opening three payable shops");
        let db = Db::connect(&url, DbRole::App, 2)?;
        let mut listings = Vec::new();
        for n in 0..3 {
            let token = user_token(
                &db,
                &keys,
                tenant,
                &format!("seller{n}@example.com"),
                Role::Buyer,
            )
            .await?;
            listings.push(shop(&c, &token, n, listings_per_shop.max(1)).await?);
        }
        Ok(Market {
            run,
            admin,
            child,
            mail_dir,
            addr,
            host: HOST,
            c,
            listings: Arc::new(listings),
        })
    }

    /// Stops the platform and drops the run's database.
    pub(crate) async fn close(mut self) {
        self.child.kill().await.ok();
        self.admin
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.run
            ))
            .await
            .ok();
        let _ = std::fs::remove_dir_all(&self.mail_dir);
    }
}

pub(crate) async fn run(args: Args) -> anyhow::Result<()> {
    let pool = args.buyers.iter().copied().max().unwrap_or(32).max(8);
    let market = Market::open(
        &args.database_url,
        "checkout",
        pool,
        args.listings_per_shop,
        args.redis_url.as_deref(),
    )
    .await?;
    let (c, listings) = (market.c.clone(), market.listings.clone());
    progress("warming up");
    scenario(c.clone(), listings.clone(), 4, 2).await;
    let mut results = Vec::new();
    for &buyers in &args.buyers {
        progress(&format!("{buyers} concurrent buyers, {} s", args.seconds));
        results.push(scenario(c.clone(), listings.clone(), buyers, args.seconds).await);
    }
    market.close().await;

    let mut out = format!(
        "\nkrafto-bench checkout: 3-shop guest cart ({} listings per shop), test gateway, {} s per scenario, {} cores\n\n{:<8} {:>12} {:>14} {:>14} {:>14} {:>14} {:>8}\n",
        args.listings_per_shop,
        args.seconds,
        std::thread::available_parallelism().map_or(0, usize::from),
        "buyers",
        "checkouts/s",
        "checkout p50",
        "checkout p95",
        "+pay p50",
        "+pay p95",
        "errors"
    );
    let mut errors = 0;
    for f in &results {
        errors += f.errors;
        out.push_str(&format!(
            "{:<8} {:>12.1} {:>11.2} ms {:>11.2} ms {:>11.2} ms {:>11.2} ms {:>8}\n",
            f.buyers,
            f.checkouts as f64 / f.elapsed.as_secs_f64(),
            pct(&f.checkout_ms, 0.5),
            pct(&f.checkout_ms, 0.95),
            pct(&f.total_ms, 0.5),
            pct(&f.total_ms, 0.95),
            f.errors
        ));
    }
    std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes())?;
    if errors > 0 {
        bail!("{errors} checkouts failed");
    }
    Ok(())
}
