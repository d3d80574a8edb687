//! Test support: one fresh database per test cloned from a migrated template, both servers
//! spawned on loopback against it, and helpers to drive them like a client would.
//!
//! Nothing here is used by the servers themselves.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use krafto_auth::TokenKeys;
use krafto_db::{Db, DbRole};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::sync::oneshot;
use uuid::Uuid;

pub mod browser;
pub mod builders;
pub mod proxy;
pub mod raw;
mod reply;
mod session;
mod text;
pub use browser::Browser;
pub use builders::{
    ListingBuilder, OrderBuilder, ShopBuilder, TenantBuilder, TestMarket, TestOrder, TestShop,
    TestUser, UserBuilder,
};
pub use reply::Reply;
pub use session::{PageToken, PostedFrom, WebSession, page_form_token};
pub use text::visible_text;

/// The base domain test marketplaces live under.
pub const BASE_DOMAIN: &str = "krafto.test";
pub const STAFF_EMAIL: &str = "staff@krafto.test";
pub const STAFF_PASSWORD: &str = "correct horse battery";

/// A superuser URL to the maintenance database of the test cluster.
pub fn maintenance_url() -> String {
    std::env::var("KRAFTO_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn with_database(url: &str, db: &str) -> String {
    let (base, _) = url.rsplit_once('/').unwrap_or((url, ""));
    format!("{base}/{db}")
}

async fn connect(url: &str) -> AsyncPgConnection {
    AsyncPgConnection::establish(url).await.unwrap_or_else(|e| {
        panic!("cannot reach the test Postgres at {url}: {e}\nrun the suite with `scripts/test`, or set KRAFTO_TEST_DATABASE_URL to a superuser URL")
    })
}

/// How per-test databases are named: `KRAFTO_TEST_DB_PREFIX` followed by a UUID. `scripts/test`
/// sets a prefix naming its clone, so that its cleanup of an interrupted run's databases
/// never drops those of another clone's tests on the same cluster; `krafto_t_` without it.
fn test_db_prefix() -> String {
    match std::env::var("KRAFTO_TEST_DB_PREFIX") {
        Ok(prefix) if !prefix.is_empty() => {
            // Spliced into SQL unquoted, and a name has at most 63 bytes (32 for the UUID).
            assert!(
                prefix.len() <= 31
                    && prefix
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "KRAFTO_TEST_DB_PREFIX must be at most 31 characters among a-z, 0-9 and _, not {prefix:?}"
            );
            prefix
        }
        _ => "krafto_t_".to_owned(),
    }
}

/// A database of its own, dropped when the test ends.
#[derive(Debug)]
pub struct TestDb {
    pub name: String,
    /// Superuser URL of this database (migrations' rights; use [`TestDb::pool`] for roles).
    pub url: String,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let admin_url = maintenance_url();
        let template = format!("krafto_tpl_{}", krafto_db::MIGRATIONS_FINGERPRINT);
        let name = format!("{}{}", test_db_prefix(), Uuid::new_v4().simple());
        let mut admin = connect(&admin_url).await;
        // One process at a time builds the template and clones from it.
        admin
            .batch_execute("SELECT pg_advisory_lock(72731)")
            .await
            .expect("advisory lock");
        let exists: bool = {
            use diesel_async::RunQueryDsl;
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                "EXISTS (SELECT 1 FROM pg_database WHERE datname = '{template}')"
            )))
            .get_result(&mut admin)
            .await
            .expect("query pg_database")
        };
        if !exists {
            let building = format!("{template}_building");
            // Separate statements: several in one batch would run as one transaction.
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {building}"))
                .await
                .expect("drop a stale template");
            admin
                .batch_execute(&format!("CREATE DATABASE {building}"))
                .await
                .expect("create template database");
            krafto_db::migrate(&with_database(&admin_url, &building))
                .await
                .expect("migrate the template");
            admin
                .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {template}"))
                .await
                .expect("publish the template");
        }
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .await
            .expect("clone the template");
        admin
            .batch_execute("SELECT pg_advisory_unlock(72731)")
            .await
            .expect("advisory unlock");
        TestDb {
            url: with_database(&admin_url, &name),
            name,
        }
    }

    /// A pool acting as `role` on this database.
    pub fn pool(&self, role: DbRole, size: usize) -> Db {
        Db::connect(&self.url, role, size).expect("pool")
    }

    /// A raw superuser connection (schema inspection only).
    pub async fn superuser(&self) -> AsyncPgConnection {
        connect(&self.url).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        let admin_url = maintenance_url();
        // Drop from a thread with its own runtime: Drop cannot await.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut c) = AsyncPgConnection::establish(&admin_url).await {
                    let _ = c
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                }
            });
        })
        .join();
    }
}

/// How to start a [`TestApp`].
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    pub redis_url: Option<String>,
    /// Platform instances to start (default 1).
    pub platform_instances: usize,
    pub otp: Option<platform::OtpPolicy>,
    /// Search with OpenSearch (a real cluster or a test double) at this URL.
    pub opensearch_url: Option<String>,
    /// Index prefix with `opensearch_url` (default `krafto-`).
    pub opensearch_index_prefix: Option<String>,
    /// Payments (the test gateway by default).
    pub payments: krafto_payments::PaymentSettings,
    /// How long checkouts hold stock (30 minutes by default).
    pub checkout_hold: Option<std::time::Duration>,
    /// Rate limits of both servers (by default so high that no test reaches them).
    pub rate_limits: Option<krafto_web::ratelimit::RateLimitConfig>,
    /// Picture storage (by default a fresh local directory per app; see [`s3_media`]).
    pub media: Option<krafto_media::MediaConfig>,
    /// Lets the worker fetch imported photos from loopback addresses (a test's own HTTP
    /// server). Test-only: no configuration of a deployment can do this.
    pub fetch_from_loopback: bool,
}

/// The environment variable naming the S3-compatible server of the tests (moto, started by
/// `scripts/test`).
pub const S3_URL_VAR: &str = "KRAFTO_TEST_S3_URL";

/// Media storage in a fresh bucket of the tests' S3-compatible server. Panics, saying how to
/// start one, when `KRAFTO_TEST_S3_URL` is unset: a test that needs S3 never passes without.
pub async fn s3_media() -> krafto_media::MediaConfig {
    let Ok(url) = std::env::var(S3_URL_VAR) else {
        panic!(
            "{S3_URL_VAR} is not set: this test needs an S3-compatible server. Run the tests \
             with scripts/test (it starts moto's server), or start one yourself:\n    \
             python3 -m venv .krafto/moto && .krafto/moto/bin/pip install 'moto[server]' && \
             .krafto/moto/bin/moto_server -p 5099 &\n    export {S3_URL_VAR}=http://127.0.0.1:5099"
        )
    };
    let bucket = format!("krafto-test-{}", Uuid::new_v4().simple());
    // moto creates a bucket on `PUT /{bucket}` without signature checks.
    let created = reqwest::Client::new()
        .put(format!("{}/{bucket}", url.trim_end_matches('/')))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{S3_URL_VAR}={url} does not answer: {e}"));
    assert!(
        created.status().is_success(),
        "creating bucket {bucket} on {url}: {}",
        created.status()
    );
    krafto_media::MediaConfig {
        storage: krafto_media::StorageConfig::S3(krafto_media::S3Config {
            bucket,
            endpoint: Some(url),
            region: "us-east-1".to_owned(),
            access_key_id: Some("testing".to_owned()),
            secret_access_key: Some(SecretString::from("testing")),
            allow_http: true,
        }),
        ..krafto_media::MediaConfig::local("unused")
    }
}

/// A running Krafto: its database, one or more platform instances, the control plane.
#[derive(Debug)]
pub struct TestApp {
    pub db: TestDb,
    pub platforms: Vec<SocketAddr>,
    /// Each platform instance's rate limiter (to sync it with Redis now).
    pub limiters: Vec<krafto_web::ratelimit::Limiter>,
    pub admin: SocketAddr,
    pub keys: TokenKeys,
    pub mail_dir: PathBuf,
    pub http: reqwest::Client,
    pub staff_token: String,
    /// The settings the platform instances run with (to build a worker like theirs).
    pub settings: platform::Settings,
    /// See [`AppOptions::fetch_from_loopback`].
    pub fetch_from_loopback: bool,
    /// The settings the control plane runs with (to run its commands, e.g. `demo-seed`).
    pub control_settings: tenant_admin::Settings,
    shutdowns: Vec<oneshot::Sender<()>>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(AppOptions::default()).await
    }

    pub async fn spawn_with(opts: AppOptions) -> TestApp {
        let db = TestDb::new().await;
        let keys = TokenKeys::generate();
        let mail_dir =
            std::env::temp_dir().join(format!("krafto-test-mail-{}", Uuid::new_v4().simple()));
        let mut shutdowns = Vec::new();
        let mut platforms = Vec::new();
        let mut limiters = Vec::new();
        let site = krafto_web::config::SiteConfig {
            base_domain: BASE_DOMAIN.to_owned(),
            storefront_url: "http://{host}".to_owned(),
        };
        let redis = opts
            .redis_url
            .clone()
            .map(|url| krafto_web::config::RedisConfig {
                url: SecretString::from(url),
            });
        let auth = krafto_web::config::AuthConfig {
            root_key: keys.private_hex(),
        };
        let settings = platform::Settings {
            http: platform::config::HttpConfig {
                listen_addr: "127.0.0.1:0".to_owned(),
                proxy: krafto_web::config::ProxyConfig {
                    trust_forwarded_for: true,
                    hops: 1,
                },
            },
            site: site.clone(),
            database: krafto_web::config::DatabaseConfig {
                url: SecretString::from(db.url.clone()),
                pool_size: 8,
                timeouts: krafto_db::DbTimeouts::default(),
            },
            redis: redis.clone(),
            auth: auth.clone(),
            search: platform::config::SearchConfig {
                opensearch_url: opts.opensearch_url.clone().map(SecretString::from),
                index_prefix: opts
                    .opensearch_index_prefix
                    .clone()
                    .unwrap_or_else(|| "krafto-".to_owned()),
            },
            mail: platform::config::MailConfig {
                dir: Some(mail_dir.clone()),
                smtp_url: None,
                from: "Krafto <no-reply@krafto.test>".to_owned(),
            },
            payments: opts.payments.clone(),
            checkout: platform::config::CheckoutConfig {
                hold: opts
                    .checkout_hold
                    .unwrap_or(std::time::Duration::from_secs(30 * 60)),
            },
            // Redis keys of this app apart from every other test's.
            rate_limits: opts.rate_limits.clone().unwrap_or_else(|| {
                krafto_web::ratelimit::RateLimitConfig::unlimited_for_tests(&db.name)
            }),
            limits: krafto_web::config::LimitsConfig::default(),
            metrics: krafto_web::config::MetricsConfig::default(),
            media: opts.media.clone().unwrap_or_else(|| {
                krafto_media::MediaConfig::local(
                    std::env::temp_dir()
                        .join(format!("krafto-test-media-{}", Uuid::new_v4().simple())),
                )
            }),
        };
        for _ in 0..opts.platform_instances.max(1) {
            let mut state = platform::AppState::from_settings(&settings)
                .await
                .expect("platform state");
            if opts.fetch_from_loopback {
                state.media.fetcher = state.media.fetcher.clone().allowing_loopback_for_tests();
            }
            if let Some(otp) = opts.otp {
                state.otp = otp;
            }
            limiters.push(state.limits.limiter.clone());
            platforms.push(
                spawn_server(&mut shutdowns, |bound, stop| {
                    platform::serve(state, "127.0.0.1:0", Some(bound), stop)
                })
                .await,
            );
        }
        let control_settings = tenant_admin::Settings {
            listen_addr: "127.0.0.1:0".to_owned(),
            site,
            database: krafto_web::config::DatabaseConfig {
                url: SecretString::from(db.url.clone()),
                pool_size: 4,
                timeouts: krafto_db::DbTimeouts::default(),
            },
            redis,
            auth,
            payments: opts.payments.clone(),
            rate_limits: settings.rate_limits.clone(),
            limits: krafto_web::config::LimitsConfig::default(),
            metrics: krafto_web::config::MetricsConfig::default(),
            proxy: krafto_web::config::ProxyConfig {
                trust_forwarded_for: true,
                hops: 1,
            },
        };
        let control = tenant_admin::ControlState::from_settings(&control_settings)
            .await
            .expect("control state");
        tenant_admin::demo::ensure_staff(
            &control.db,
            STAFF_EMAIL,
            &SecretString::from(STAFF_PASSWORD),
        )
        .await
        .expect("staff account");
        let admin = spawn_server(&mut shutdowns, |bound, stop| {
            tenant_admin::serve(control, "127.0.0.1:0", Some(bound), stop)
        })
        .await;
        let mut app = TestApp {
            db,
            platforms,
            limiters,
            admin,
            keys,
            mail_dir,
            http: reqwest::Client::builder().build().expect("http client"),
            staff_token: String::new(),
            settings,
            fetch_from_loopback: opts.fetch_from_loopback,
            control_settings,
            shutdowns,
        };
        let login = app
            .control(
                Method::POST,
                "/auth/login",
                Some(json!({ "email": STAFF_EMAIL, "password": STAFF_PASSWORD })),
            )
            .await;
        assert_eq!(login.status, StatusCode::OK, "staff login: {}", login.text);
        app.staff_token = login.body["token"].as_str().expect("token").to_owned();
        app
    }

    /// Opens a page of marketplace `host` with `cookie` (the `Cookie` header a test sends,
    /// if any) and returns what its forms carry, for form posts built by hand
    /// (`.posted_from(&page)`).
    pub async fn page_token(&self, host: &str, cookie: Option<&str>) -> PageToken {
        let mut page = WebSession::storefront(self, host, None);
        page.cookie = cookie.map(str::to_owned);
        let token = page
            .form_token()
            .await
            .expect("the page carries a form token");
        PageToken {
            cookie: page.anonymous,
            token,
        }
    }

    /// `{slug}.krafto.test`
    pub fn host(slug: &str) -> String {
        format!("{slug}.{BASE_DOMAIN}")
    }

    /// The URL a browser opens for `path` on marketplace `host` (`lyon.krafto.test`):
    /// `http://lyon.krafto.test:PORT/path`, reaching platform instance 0 (see [`Browser`]).
    pub fn storefront_url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.platforms[0].port())
    }

    /// The URL of `path` on the control plane server (`http://127.0.0.1:PORT/path`).
    pub fn admin_url(&self, path: &str) -> String {
        format!("http://{}{path}", self.admin)
    }

    async fn send(
        &self,
        addr: SocketAddr,
        method: Method,
        host: Option<&str>,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.http.request(method, format!("http://{addr}{path}"));
        if let Some(h) = host {
            req = req.header("host", h);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Reply::from_response(req.send().await.expect("request")).await
    }

    /// A request to platform instance 0 for `host`.
    pub async fn store(
        &self,
        method: Method,
        host: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.send(self.platforms[0], method, Some(host), path, token, body)
            .await
    }

    /// A request to platform instance `i`.
    pub async fn store_on(
        &self,
        i: usize,
        method: Method,
        host: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.send(self.platforms[i], method, Some(host), path, token, body)
            .await
    }

    /// A staff request to `/control/v1{path}`.
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let token = (!self.staff_token.is_empty()).then_some(self.staff_token.as_str());
        self.send(
            self.admin,
            method,
            None,
            &format!("/control/v1{path}"),
            token,
            body,
        )
        .await
    }

    /// A control-plane request with an explicit token (or none).
    pub async fn control_as(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        self.send(
            self.admin,
            method,
            None,
            &format!("/control/v1{path}"),
            token,
            body,
        )
        .await
    }

    /// A request to any path of the control plane server.
    pub async fn admin_raw(&self, method: Method, path: &str) -> Reply {
        self.send(self.admin, method, None, path, None, None).await
    }

    /// A request to any path of platform instance 0 without a host header override.
    pub async fn platform_raw(&self, method: Method, path: &str) -> Reply {
        self.send(self.platforms[0], method, None, path, None, None)
            .await
    }

    /// A request to platform instance 0 on `host` with extra headers (cart tokens,
    /// idempotency keys).
    pub async fn store_with(
        &self,
        method: Method,
        host: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        let mut req = self
            .http
            .request(method, format!("http://{}{path}", self.platforms[0]))
            .header("host", host);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Reply::from_response(req.send().await.expect("request")).await
    }

    /// A worker like the deployment's (`platform worker`), retrying at once.
    pub async fn worker(&self) -> krafto_jobs::Worker {
        let mut state = platform::AppState::from_settings(&self.settings)
            .await
            .expect("worker state");
        if self.fetch_from_loopback {
            state.media.fetcher = state.media.fetcher.clone().allowing_loopback_for_tests();
        }
        platform::worker::build_with(
            &self.settings,
            state,
            krafto_jobs::WorkerConfig {
                backoff_base: std::time::Duration::ZERO,
                poll_interval: std::time::Duration::from_millis(20),
                ..krafto_jobs::WorkerConfig::default()
            },
        )
        .await
        .expect("worker")
    }

    /// Runs the outbox worker until nothing is due; returns the messages it delivered.
    pub async fn drain_outbox(&self) -> usize {
        let worker = self.worker().await;
        let mut done = 0;
        for _ in 0..50 {
            let report = worker.run_once().await.expect("worker round");
            done += report.done;
            if report.claimed == 0 {
                break;
            }
        }
        done
    }

    /// Provisions the demo marketplaces (`lyon`, `ferme`) and their operators as
    /// `scripts/run` does (`tenant-admin demo-seed`); returns its report. Demo-seed sets the
    /// staff password again, which ends staff sessions: `staff_token` is renewed.
    pub async fn demo_seed(&mut self) -> Vec<String> {
        let control = tenant_admin::ControlState::from_settings(&self.control_settings)
            .await
            .expect("control state");
        let report =
            tenant_admin::demo::seed(&control, STAFF_EMAIL, &SecretString::from(STAFF_PASSWORD))
                .await
                .expect("demo-seed");
        let login = self
            .control(
                Method::POST,
                "/auth/login",
                Some(json!({ "email": STAFF_EMAIL, "password": STAFF_PASSWORD })),
            )
            .await;
        assert_eq!(login.status, StatusCode::OK, "staff login: {}", login.text);
        self.staff_token = login.body["token"].as_str().expect("token").to_owned();
        report
    }

    /// Runs `platform demo-catalog` with small pictures (the catalogue's data exactly, its
    /// pictures as thumbnails: full-size ones take a good part of a minute to draw).
    pub async fn demo_catalog(&self) -> platform::demo::Seeded {
        platform::demo::seed_catalog(&self.settings, platform::demo::PictureSizes::SMALL, |_| {})
            .await
            .expect("demo catalogue")
    }

    /// Provisions a handmade marketplace and returns its view.
    pub async fn create_tenant(&self, slug: &str) -> Value {
        self.create_tenant_with(
            json!({ "slug": slug, "name": format!("Market {slug}"), "template": "handmade" }),
        )
        .await
    }

    pub async fn create_tenant_with(&self, body: Value) -> Value {
        let r = self.control(Method::POST, "/tenants", Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "create tenant: {}", r.text);
        r.body
    }

    /// Every mail file's text, oldest first.
    pub fn mails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else {
            return vec![];
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect()
    }

    /// The code of the newest sign-in mail to `email`.
    pub fn latest_code(&self, email: &str) -> Option<String> {
        let to = format!("To: {}\n", email.trim().to_lowercase());
        self.mails()
            .into_iter()
            .rev()
            .find(|m| m.contains(&to))
            .and_then(|m| {
                let subject = m.lines().find(|l| l.starts_with("Subject: "))?;
                Some(
                    subject
                        .trim_start_matches("Subject: ")
                        .split_whitespace()
                        .next()?
                        .to_owned(),
                )
            })
    }

    /// Signs `email` in on `host` through the real code flow; returns the token and body.
    pub async fn sign_in(&self, host: &str, email: &str) -> (String, Value) {
        let r = self
            .store(
                Method::POST,
                host,
                "/api/v1/auth/otp/start",
                None,
                Some(json!({ "email": email })),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "otp start: {}", r.text);
        let challenge = r.body["challenge"].clone();
        let code = self.latest_code(email).expect("a code was mailed");
        let r = self
            .store(
                Method::POST,
                host,
                "/api/v1/auth/otp/verify",
                None,
                Some(json!({ "email": email, "code": code, "challenge": challenge })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "otp verify: {}", r.text);
        (r.body["token"].as_str().expect("token").to_owned(), r.body)
    }

    /// Creates an operator for `tenant_id` through the control plane and signs them in.
    pub async fn operator_token(&self, tenant_id: &str, slug: &str, email: &str) -> String {
        let r = self
            .control(
                Method::POST,
                &format!("/tenants/{tenant_id}/operators"),
                Some(json!({ "email": email })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "add operator: {}", r.text);
        self.sign_in(&Self::host(slug), email).await.0
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        for s in self.shutdowns.drain(..) {
            let _ = s.send(());
        }
        let _ = std::fs::remove_dir_all(&self.mail_dir);
    }
}

async fn spawn_server<F, Fut>(shutdowns: &mut Vec<oneshot::Sender<()>>, start: F) -> SocketAddr
where
    F: FnOnce(
        oneshot::Sender<SocketAddr>,
        std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
    ) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send + 'static,
{
    let (bound_tx, bound_rx) = oneshot::channel();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let stop = Box::pin(async move {
        let _ = stop_rx.await;
    });
    let fut = start(bound_tx, stop);
    tokio::spawn(async move {
        if let Err(e) = fut.await {
            panic!("server failed: {e:#}");
        }
    });
    shutdowns.push(stop_tx);
    bound_rx.await.expect("server bound")
}

/// The tenant scope of marketplace `id`, made the way a staff path makes it: the row is
/// loaded first (a bare id opens nothing). For tests that read or write tables directly.
pub async fn scope(db: &Db, id: Uuid) -> krafto_db::TenantScope {
    let mut tx = db.control().await.expect("control transaction");
    let tenant = krafto_db::models::Tenant::find(&mut tx, id)
        .await
        .expect("the marketplace exists");
    tx.commit().await.expect("commit");
    krafto_db::TenantScope::staff(&tenant)
}

/// A tenant scope for `id` without loading the marketplace: tests only, for what no request
/// can reach — an engine double with no database behind it, or a marketplace that does not
/// exist. (Production code has no such door: a scope comes from a loaded row.)
pub fn scope_of(id: Uuid) -> krafto_db::TenantScope {
    let now = chrono::Utc::now();
    krafto_db::TenantScope::resolved(&krafto_db::models::Tenant {
        id,
        slug: String::new(),
        name: String::new(),
        status: krafto_core::TenantStatus::Active,
        suspended_reason: None,
        template: "handmade".to_owned(),
        currency: "EUR".to_owned(),
        locale: "fr-FR".to_owned(),
        display_name: String::new(),
        logo_url: None,
        primary_color: String::new(),
        accent_color: String::new(),
        tagline: None,
        seller_commission_bps: 0,
        platform_fee_bps: 0,
        minimum_order_minor: 0,
        features: serde_json::Value::Null,
        created_at: now,
        updated_at: now,
        buyer_fee_bps: 0,
        stripe_account_id: None,
        stripe_charges_enabled: false,
        stripe_payouts_enabled: false,
        stripe_requirements: Vec::new(),
        stripe_state_at: 0,
        logo_image: None,
        powered_by: false,
        public_api: false,
        support_email: None,
        refund_platform_fee: false,
    })
}
