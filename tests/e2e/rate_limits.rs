//! Issue 11, rate limits: on the API and sign-in, per client and per marketplace, local and
//! shared through Redis (exact or batched), falling back to local when Redis fails; staff
//! login limits on the control plane.

use krafto_testkit::{
    AppOptions, STAFF_EMAIL, STAFF_PASSWORD, TenantBuilder, TestApp, UserBuilder,
};
use krafto_web::ratelimit::{Limiter, Quota, RateLimitConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const LYON: &str = "lyon.krafto.test";
const PARIS: &str = "paris.krafto.test";
pub(crate) fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

pub(crate) fn quota(text: &str) -> Option<Quota> {
    Quota::parse(text).unwrap()
}

/// Limits for a test: everything out of reach except what `set` changes, under Redis keys
/// of this test alone.
pub(crate) fn limits(set: impl FnOnce(&mut RateLimitConfig)) -> RateLimitConfig {
    let mut config =
        RateLimitConfig::unlimited_for_tests(&format!("t{}", uuid::Uuid::new_v4().simple()));
    set(&mut config);
    config
}

async fn spawn_limited(set: impl FnOnce(&mut RateLimitConfig)) -> TestApp {
    TestApp::spawn_with(AppOptions {
        rate_limits: Some(limits(set)),
        ..AppOptions::default()
    })
    .await
}

/// `GET path` on `host` from client address `ip`.
async fn get_from(app: &TestApp, i: usize, host: &str, path: &str, ip: &str) -> reqwest::Response {
    app.http
        .get(format!("http://{}{path}", app.platforms[i]))
        .header("host", host)
        .header("x-forwarded-for", ip)
        .send()
        .await
        .unwrap()
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_client_over_its_api_quota_gets_a_429_saying_when_to_retry_and_others_do_not() {
    let app = spawn_limited(|c| c.client = quota("3/m")).await;
    app.create_tenant("lyon").await;
    for left in ["2", "1", "0"] {
        let r = get_from(&app, 0, LYON, "/api/v1/store/tenant", "10.1.0.1").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(header(&r, "ratelimit-limit"), "3");
        assert_eq!(header(&r, "ratelimit-remaining"), left);
        assert!(header(&r, "ratelimit-reset").parse::<u64>().unwrap() <= 60);
    }
    let r = get_from(&app, 0, LYON, "/api/v1/store/tenant", "10.1.0.1").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = header(&r, "retry-after").parse().unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    assert_eq!(header(&r, "ratelimit-remaining"), "0");
    assert_eq!(header(&r, "content-type"), "application/problem+json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("retry in {retry} second")),
        "{body}"
    );
    // Another client is not limited, nor are the storefront's pages.
    let other = get_from(&app, 0, LYON, "/api/v1/store/tenant", "10.1.0.2").await;
    assert_eq!(other.status(), StatusCode::OK);
    let page = get_from(&app, 0, LYON, "/", "10.1.0.1").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers().get("ratelimit-limit").is_none());
    // Prometheus counts the refusal by marketplace and limit.
    let metrics = krafto_web::metrics_handle().render();
    assert!(
        metrics
            .lines()
            .any(|l| l.starts_with("rate_limited_requests_total{")
                && l.contains("marketplace=\"lyon\"")
                && l.contains("limit=\"client\"")),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_marketplace_quota_is_shared_by_its_clients_and_its_operators_see_the_refusals() {
    let app = spawn_limited(|c| c.marketplace = quota("4/m")).await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    app.create_tenant("paris").await;
    let operator = UserBuilder::new(&lyon, "op@example.com")
        .operator()
        .build(&app)
        .await;
    for i in 0..4 {
        let r = get_from(
            &app,
            0,
            LYON,
            "/api/v1/store/tenant",
            &format!("10.2.0.{i}"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    for i in 4..6 {
        let r = get_from(
            &app,
            0,
            LYON,
            "/api/v1/store/tenant",
            &format!("10.2.0.{i}"),
        )
        .await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "client {i}");
    }
    let paris = get_from(&app, 0, PARIS, "/api/v1/store/tenant", "10.2.0.9").await;
    assert_eq!(
        paris.status(),
        StatusCode::OK,
        "another marketplace has its own quota"
    );
    // The console's home (a page, not limited) tells the operator, in the marketplace's language.
    let mut console = krafto_testkit::WebSession::storefront(&app, LYON, Some(&operator.token));
    let home = console.get("/admin").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.text.contains(
            r#"id="rate-limited">Requests refused for going over the rate limits (24 h): <strong>2</strong>"#
        ),
        "{}",
        home.text
    );
}

#[tokio::test]
async fn operators_read_the_refusals_of_each_limit_from_the_api() {
    let app = spawn_limited(|c| c.client = quota("2/m")).await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@example.com")
        .operator()
        .build(&app)
        .await;
    for _ in 0..5 {
        get_from(&app, 0, LYON, "/api/v1/store/tenant", "10.3.0.1").await;
    }
    let r = app
        .store_with(
            Method::GET,
            LYON,
            "/api/v1/admin/rate-limits",
            Some(&operator.token),
            &[("x-forwarded-for", "10.3.0.2")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["window_hours"], 24);
    assert_eq!(r.body["refused_total"], 3);
    let limits = r.body["limits"].as_array().unwrap();
    let client = limits.iter().find(|l| l["limit"] == "client").unwrap();
    assert_eq!(client["refused"], 3);
    assert_eq!(client["quota"], "2/m");
    // A buyer may not read them.
    let (buyer, _) = app.sign_in(LYON, "buyer@example.com").await;
    let r = app
        .store_with(
            Method::GET,
            LYON,
            "/api/v1/admin/rate-limits",
            Some(&buyer),
            &[("x-forwarded-for", "10.3.0.3")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sign_in_has_its_own_tighter_quota_on_the_api_and_the_forms() {
    let app = spawn_limited(|c| c.sign_in = quota("2/m")).await;
    app.create_tenant("lyon").await;
    let start = |ip: &'static str| {
        let app = &app;
        async move {
            app.http
                .post(format!("http://{}/api/v1/auth/otp/start", app.platforms[0]))
                .header("host", LYON)
                .header("x-forwarded-for", ip)
                .json(&json!({ "email": "ana@example.com" }))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(start("10.4.0.1").await.status(), StatusCode::ACCEPTED);
    assert_eq!(start("10.4.0.1").await.status(), StatusCode::ACCEPTED);
    let refused = start("10.4.0.1").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!header(&refused, "retry-after").is_empty());
    // Other API calls of that client are still within their quota.
    let r = get_from(&app, 0, LYON, "/api/v1/store/tenant", "10.4.0.1").await;
    assert_eq!(r.status(), StatusCode::OK);
    // The sign-in form answers with a page saying when to retry.
    let page = app
        .http
        .post(format!("http://{}/sign-in", app.platforms[0]))
        .header("host", LYON)
        .header("x-forwarded-for", "10.4.0.1")
        .form(&[("email", "ana@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let text = page.text().await.unwrap();
    assert!(text.contains("Try again in "), "{text}");
    assert_eq!(app.mails().len(), 2, "refused requests send nothing");
}

#[tokio::test]
async fn with_redis_a_clients_quota_is_shared_by_every_instance() {
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(redis_url()),
        platform_instances: 2,
        rate_limits: Some(limits(|c| c.client = quota("3/m"))),
        ..AppOptions::default()
    })
    .await;
    app.create_tenant("lyon").await;
    for i in [0, 1, 0] {
        let r = get_from(&app, i, LYON, "/api/v1/store/tenant", "10.5.0.1").await;
        assert_eq!(r.status(), StatusCode::OK, "instance {i}");
    }
    // Once instance 0 has synced (every 50 ms) and instance 1 has not heard about the client
    // for a while, instance 1 asks Redis.
    app.limiters[0].sync_now().await;
    tokio::time::sleep(krafto_web::ratelimit::WARM).await;
    let r = get_from(&app, 1, LYON, "/api/v1/store/tenant", "10.5.0.1").await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "instance 1 knows what instance 0 let through"
    );
}

/// A TCP relay to Redis that counts the scripts it forwards and can be frozen: once frozen
/// it forwards nothing more, like a Redis that stopped answering without closing its
/// connections.
struct Relay {
    url: String,
    frozen: Arc<AtomicBool>,
    scripts: Arc<AtomicUsize>,
}

async fn relay_to_redis() -> Relay {
    let upstream = redis_url()
        .trim_start_matches("redis://")
        .trim_end_matches('/')
        .to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let frozen = Arc::new(AtomicBool::new(false));
    let scripts = Arc::new(AtomicUsize::new(0));
    let (flag, count) = (frozen.clone(), scripts.clone());
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let upstream = tokio::net::TcpStream::connect(&upstream).await.unwrap();
            let (cr, cw) = client.into_split();
            let (ur, uw) = upstream.into_split();
            for (mut from, mut to, asks) in [(cr, uw, true), (ur, cw, false)] {
                let (flag, count) = (flag.clone(), count.clone());
                tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let mut buf = vec![0u8; 16 * 1024];
                    while let Ok(n) = from.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        while flag.load(Ordering::SeqCst) {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        if asks {
                            let evals = buf[..n].windows(6).filter(|w| w == b"\r\nEVAL").count();
                            count.fetch_add(evals, Ordering::SeqCst);
                        }
                        if to.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        }
    });
    Relay {
        url: format!("redis://{addr}"),
        frozen,
        scripts,
    }
}

#[tokio::test]
async fn when_redis_stops_answering_limits_fall_back_to_the_instance_without_hanging() {
    let relay = relay_to_redis().await;
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let limiter = Limiter::connect(Some(&relay.url), &prefix).await.unwrap();
    let exact = limiter.bucket("client", quota("3/m")).unwrap();
    let batched = limiter.batched_bucket("flood", quota("3/m")).unwrap();
    assert!(exact.check("10.6.0.1").await.allowed, "through Redis");
    relay.frozen.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let mut decisions = Vec::new();
    for bucket in [&exact, &batched] {
        let mut d = Vec::new();
        for _ in 0..4 {
            d.push(bucket.check("10.6.0.1").await.allowed);
        }
        decisions.push(d);
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "checks waited {:?} for a frozen Redis",
        started.elapsed()
    );
    // The local limiter enforces the same quota: not an open door. (The exact bucket's
    // first request, answered by Redis, is remembered here too.)
    assert_eq!(decisions[0], [true, true, false, false]);
    assert_eq!(decisions[1], [true, true, true, false]);
    relay.frozen.store(false, Ordering::SeqCst);
}

#[tokio::test]
async fn a_batched_bucket_asks_redis_about_a_hot_key_once_per_sync_not_once_per_request() {
    let relay = relay_to_redis().await;
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let here = Limiter::connect(Some(&relay.url), &prefix).await.unwrap();
    let elsewhere = Limiter::connect(Some(&redis_url()), &prefix).await.unwrap();
    let flood = here.batched_bucket("client", quota("1000/m")).unwrap();
    let asked = relay.scripts.load(Ordering::SeqCst);
    for _ in 0..200 {
        assert!(flood.check("10.7.0.1").await.allowed);
    }
    let scripts = relay.scripts.load(Ordering::SeqCst) - asked;
    assert!(
        scripts <= 10,
        "200 checks of one key sent {scripts} scripts to Redis"
    );
    // What was decided here reaches Redis at the next sync: another instance sees it.
    here.sync_now().await;
    let seen = elsewhere
        .batched_bucket("client", quota("1000/m"))
        .unwrap()
        .check("10.7.0.1")
        .await;
    assert!(
        (795..=810).contains(&seen.remaining),
        "the other instance sees {} left of 1000",
        seen.remaining
    );
    // An exact bucket asks Redis every time.
    let exact = here.bucket("sign_in", quota("1000/m")).unwrap();
    let asked = relay.scripts.load(Ordering::SeqCst);
    for _ in 0..20 {
        assert!(exact.check("10.7.0.1").await.allowed);
    }
    assert!(relay.scripts.load(Ordering::SeqCst) - asked >= 20);
    // Refusals are counted here at once and reach every instance's report at the sync.
    let marketplace = uuid::Uuid::new_v4();
    here.record_limited(marketplace, "lyon", "client");
    here.record_limited(marketplace, "lyon", "client");
    here.sync_now().await;
    let counts = elsewhere.limited_last_day(marketplace, &["client"]).await;
    assert_eq!(counts["client"], 2);
}

#[tokio::test]
async fn staff_login_locks_an_address_after_its_attempts_even_for_the_right_password() {
    let app = spawn_limited(|c| c.staff_login_address = quota("3/15m")).await;
    // Spawning signed staff in once: one attempt of their address is spent.
    let login = |email: &str, password: &str| {
        app.control_as(
            None,
            Method::POST,
            "/auth/login",
            Some(json!({ "email": email, "password": password })),
        )
    };
    for _ in 0..2 {
        let r = login(STAFF_EMAIL, "wrong password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.code(), "invalid_credentials");
    }
    let r = login(STAFF_EMAIL, STAFF_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert_eq!(r.code(), "rate_limited");
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((60..=300).contains(&retry), "{retry}");
    assert!(r.body["detail"].as_str().unwrap().contains("locked"));
    // An unknown address is limited the same way: the limit tells nothing about accounts.
    for _ in 0..3 {
        let r = login("nobody@krafto.test", "wrong password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = login("nobody@krafto.test", "wrong password").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // The console's form says so too.
    let mut console = krafto_testkit::WebSession::control(&app);
    let page = console
        .post(
            "/sign-in",
            &[("email", STAFF_EMAIL), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.text.contains("locked"), "{}", page.text);
}

#[tokio::test]
async fn staff_login_is_limited_per_client_whatever_the_address() {
    let app = spawn_limited(|c| c.staff_login_client = quota("3/15m")).await;
    for email in ["a@krafto.test", "b@krafto.test"] {
        let r = app
            .control_as(
                None,
                Method::POST,
                "/auth/login",
                Some(json!({ "email": email, "password": "wrong password" })),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = app
        .control_as(
            None,
            Method::POST,
            "/auth/login",
            Some(json!({ "email": STAFF_EMAIL, "password": STAFF_PASSWORD })),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn behind_the_trusted_proxy_staff_login_counts_the_address_the_proxy_saw() {
    // The test control plane trusts one proxy hop: the client is the rightmost entry.
    let app = spawn_limited(|c| c.staff_login_client = quota("2/15m")).await;
    let login = |forwarded: &'static str| {
        app.http
            .post(format!("http://{}/control/v1/auth/login", app.admin))
            .header("x-forwarded-for", forwarded)
            .json(&json!({ "email": "a@krafto.test", "password": "wrong password" }))
            .send()
    };
    for _ in 0..2 {
        assert_eq!(
            login("10.8.0.1").await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Entries the client wrote itself, left of the proxy's, change nothing.
    let r = login("203.0.113.9, 10.8.0.1").await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy has its own attempts.
    let r = login("10.8.0.2").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
