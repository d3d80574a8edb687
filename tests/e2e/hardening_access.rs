//! Issue 11, access hardening: rate limits on the API and sign-in (local and shared through
//! Redis, falling back to local when Redis fails), staff login limits, sign-in codes bound
//! to their requester, and token revocation.

use krafto_testkit::{
    AppOptions, STAFF_EMAIL, STAFF_PASSWORD, TenantBuilder, TestApp, UserBuilder,
};
use krafto_web::ratelimit::{Limiter, Quota, RateLimitConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const LYON: &str = "lyon.krafto.test";
const PARIS: &str = "paris.krafto.test";

fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

fn quota(text: &str) -> Option<Quota> {
    Quota::parse(text).unwrap()
}

/// Limits for a test: everything out of reach except what `set` changes, under Redis keys
/// of this test alone.
fn limits(set: impl FnOnce(&mut RateLimitConfig)) -> RateLimitConfig {
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
    // The console's home (a page, not limited) tells the operator, in French.
    let mut console = krafto_testkit::WebSession::storefront(&app, LYON, Some(&operator.token));
    let home = console.get("/admin").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.text.contains(
            "Requêtes refusées pour excès de débit (24&nbsp;h)&nbsp;: <strong>2</strong>"
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
    let r = get_from(&app, 1, LYON, "/api/v1/store/tenant", "10.5.0.1").await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "instance 1 knows what instance 0 let through"
    );
}

/// A TCP relay to Redis that can be frozen: once frozen it forwards nothing more, like a
/// Redis that stopped answering without closing its connections.
async fn freezable_redis() -> (String, Arc<AtomicBool>) {
    let upstream = redis_url()
        .trim_start_matches("redis://")
        .trim_end_matches('/')
        .to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let frozen = Arc::new(AtomicBool::new(false));
    let flag = frozen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let upstream = tokio::net::TcpStream::connect(&upstream).await.unwrap();
            let (cr, cw) = client.into_split();
            let (ur, uw) = upstream.into_split();
            for (mut from, mut to) in [(cr, uw), (ur, cw)] {
                let flag = flag.clone();
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
                        if to.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        }
    });
    (format!("redis://{addr}"), frozen)
}

#[tokio::test]
async fn when_redis_stops_answering_limits_fall_back_to_the_instance_without_hanging() {
    let (url, frozen) = freezable_redis().await;
    let prefix = format!("t{}", uuid::Uuid::new_v4().simple());
    let limiter = Limiter::connect(Some(&url), &prefix).await.unwrap();
    let bucket = limiter.bucket("client", quota("3/m")).unwrap();
    assert!(bucket.check("10.6.0.1").await.allowed, "through Redis");
    frozen.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let decisions: Vec<bool> = {
        let mut v = Vec::new();
        for _ in 0..4 {
            v.push(bucket.check("10.6.0.1").await.allowed);
        }
        v
    };
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "checks waited {:?} for a frozen Redis",
        started.elapsed()
    );
    // The local limiter enforces the same quota: not an open door.
    assert_eq!(decisions, [true, true, true, false]);
    frozen.store(false, Ordering::SeqCst);
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

/// Asks for a sign-in code for `email` on `host`; the challenge of the answer.
async fn start_code(app: &TestApp, host: &str, email: &str, ip: &str) -> (StatusCode, Value) {
    let r = app
        .store_with(
            Method::POST,
            host,
            "/api/v1/auth/otp/start",
            None,
            &[("x-forwarded-for", ip)],
            Some(json!({ "email": email })),
        )
        .await;
    (r.status, r.body["challenge"].clone())
}

async fn verify_code(
    app: &TestApp,
    email: &str,
    code: &str,
    challenge: &Value,
) -> krafto_testkit::Reply {
    app.store(
        Method::POST,
        LYON,
        "/api/v1/auth/otp/verify",
        None,
        Some(json!({ "email": email, "code": code, "challenge": challenge })),
    )
    .await
}

#[tokio::test]
async fn nobody_can_burn_or_replace_the_code_someone_else_asked_for() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let (status, mine) = start_code(&app, LYON, "ana@example.com", "10.7.0.1").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let my_code = app.latest_code("ana@example.com").unwrap();
    // Someone else asks for a code for the same address and spends its attempts.
    let (_, theirs) = start_code(&app, LYON, "ana@example.com", "10.7.0.2").await;
    let wrong = if my_code == "000000" {
        "111111"
    } else {
        "000000"
    };
    for _ in 0..5 {
        let r = verify_code(&app, "ana@example.com", wrong, &theirs).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = verify_code(&app, "ana@example.com", wrong, &theirs).await;
    assert_eq!(r.code(), "too_many_attempts", "their code is dead");
    // Guesses without a code's challenge reach no code at all.
    let r = verify_code(&app, "ana@example.com", wrong, &json!(uuid::Uuid::now_v7())).await;
    assert_eq!(r.code(), "invalid_code");
    // Mine still works, though a newer code was sent since.
    let r = verify_code(&app, "ana@example.com", &my_code, &mine).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn a_code_ended_by_wrong_guesses_is_dead_and_a_new_one_has_fresh_attempts() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let (_, first) = start_code(&app, LYON, "ana@example.com", "10.8.0.1").await;
    let code = app.latest_code("ana@example.com").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        verify_code(&app, "ana@example.com", wrong, &first).await;
    }
    let r = verify_code(&app, "ana@example.com", &code, &first).await;
    assert_eq!(r.code(), "too_many_attempts");
    let (_, second) = start_code(&app, LYON, "ana@example.com", "10.8.0.1").await;
    let code = app.latest_code("ana@example.com").unwrap();
    for _ in 0..4 {
        let r = verify_code(&app, "ana@example.com", wrong, &second).await;
        assert_eq!(r.code(), "invalid_code");
    }
    let r = verify_code(&app, "ana@example.com", &code, &second).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn code_requests_for_one_address_are_limited_across_marketplaces() {
    let app = TestApp::spawn_with(AppOptions {
        otp: Some(platform::OtpPolicy {
            max_per_email: 2,
            ..platform::OtpPolicy::default()
        }),
        ..AppOptions::default()
    })
    .await;
    app.create_tenant("lyon").await;
    app.create_tenant("paris").await;
    let (s, _) = start_code(&app, LYON, "ana@example.com", "10.9.0.1").await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (s, _) = start_code(&app, PARIS, "ana@example.com", "10.9.0.2").await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let (s, _) = start_code(&app, LYON, "Ana@Example.com", "10.9.0.3").await;
    assert_eq!(
        s,
        StatusCode::TOO_MANY_REQUESTS,
        "a third marketplace's worth"
    );
    let (s, _) = start_code(&app, PARIS, "bob@example.com", "10.9.0.3").await;
    assert_eq!(s, StatusCode::ACCEPTED, "other addresses are not limited");
    // The control-plane counter holds no address, only its keyed hash.
    let mut conn = app.db.superuser().await;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT count(*) AS n FROM otp_address_requests WHERE address_hash LIKE '%@%' OR address_hash LIKE '%ana%'",
    )
    .load(&mut conn)
    .await
    .unwrap();
    assert_eq!(rows[0].n, 0);
}

async fn me(app: &TestApp, i: usize, token: &str) -> StatusCode {
    app.store_on(i, Method::GET, LYON, "/api/v1/me", Some(token), None)
        .await
        .status
}

/// Waits (up to 3 s) until `check` holds.
async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < Duration::from_secs(3), "{what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn a_token_signed_out_of_is_refused_from_then_on_even_after_a_restart() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let (token, _) = app.sign_in(LYON, "ana@example.com").await;
    let (other, _) = app.sign_in(LYON, "ana@example.com").await;
    assert_eq!(me(&app, 0, &token).await, StatusCode::OK);
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/sign-out",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(me(&app, 0, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        me(&app, 0, &other).await,
        StatusCode::OK,
        "only that session ended"
    );
    // A new instance (a restart) reads the revocation from the database.
    let restarted = platform::AppState::from_settings(&app.settings)
        .await
        .unwrap();
    let tenant = t["id"].as_str().unwrap().parse().unwrap();
    assert!(restarted.verifier.verify(&token, tenant).is_err());
    assert!(restarted.verifier.verify(&other, tenant).is_ok());
}

#[tokio::test]
async fn signing_out_of_the_storefront_ends_the_cookies_token_and_cookies_live_as_long_as_tokens() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let mut web = krafto_testkit::WebSession::storefront(&app, LYON, None);
    let sent = web.post("/sign-in", &[("email", "ana@example.com")]).await;
    let challenge = sent
        .text
        .split("name=\"challenge\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let code = app.latest_code("ana@example.com").unwrap();
    let signed_in = web
        .post(
            "/sign-in/code",
            &[
                ("email", "ana@example.com"),
                ("code", &code),
                ("challenge", &challenge),
            ],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    let cookie = signed_in.set_cookies().pop().unwrap();
    let max_age: i64 = cookie
        .split("Max-Age=")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .parse()
        .unwrap();
    let token_ttl = krafto_auth::USER_TOKEN_TTL.num_seconds();
    assert!(
        (token_ttl - 60..=token_ttl).contains(&max_age),
        "the cookie lives {max_age} s, its token {token_ttl} s: {cookie}"
    );
    assert!(cookie.contains("Expires="), "{cookie}");
    let old_cookie = web.cookie.clone().unwrap();
    assert_eq!(web.get("/my/orders").await.status, StatusCode::OK);
    let out = web.post("/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    // The old cookie, replayed, is signed out too.
    let mut replay = krafto_testkit::WebSession::storefront(&app, LYON, None);
    replay.cookie = Some(old_cookie.clone());
    let r = replay.get("/my/orders").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/sign-in"), "{}", r.location());
    let token = old_cookie.trim_start_matches("krafto_session=");
    assert_eq!(me(&app, 0, token).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn removing_an_operator_ends_their_sessions_on_the_api_and_the_console() {
    // The control plane tells the platform through Redis (without it, within 5 s).
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(redis_url()),
        rate_limits: Some(limits(|_| {})),
        ..AppOptions::default()
    })
    .await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let token = app.operator_token(id, "lyon", "op@example.com").await;
    let user = app
        .store(Method::GET, LYON, "/api/v1/me", Some(&token), None)
        .await;
    let user_id = user.body["user"]["id"].as_str().unwrap().to_owned();
    let mut console = krafto_testkit::WebSession::storefront(&app, LYON, Some(&token));
    assert_eq!(console.get("/admin").await.status, StatusCode::OK);
    let r = app
        .store(Method::GET, LYON, "/api/v1/admin/audit", Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .control(
            Method::DELETE,
            &format!("/tenants/{id}/operators/{user_id}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    eventually("the removed operator's token still works", || async {
        app.store(Method::GET, LYON, "/api/v1/admin/audit", Some(&token), None)
            .await
            .status
            == StatusCode::UNAUTHORIZED
    })
    .await;
    let page = console.get("/admin").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(
        page.location().starts_with("/sign-in"),
        "{}",
        page.location()
    );
    // Signing in again gives a buyer's session; the removal is in the audit log.
    let (again, body) = app.sign_in(LYON, "op@example.com").await;
    assert_eq!(body["user"]["role"], "buyer");
    assert_eq!(me(&app, 0, &again).await, StatusCode::OK);
    let audit = app
        .control(Method::GET, &format!("/tenants/{id}/audit"), None)
        .await;
    assert!(audit.text.contains("operator.removed"), "{}", audit.text);
    // Removing them again: they are no operator any more.
    let r = app
        .control(
            Method::DELETE,
            &format!("/tenants/{id}/operators/{user_id}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn removing_a_staff_member_or_changing_a_password_ends_their_sessions_everywhere() {
    let config = limits(|_| {});
    let prefix = config.redis_prefix.clone();
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(redis_url()),
        rate_limits: Some(config),
        ..AppOptions::default()
    })
    .await;
    let db = app.db.pool(krafto_db::DbRole::Control, 2);
    tenant_admin::demo::set_staff_password(
        &db,
        "second@krafto.test",
        &secrecy::SecretString::from("second password"),
    )
    .await
    .unwrap();
    let login = app
        .control_as(
            None,
            Method::POST,
            "/auth/login",
            Some(json!({ "email": "second@krafto.test", "password": "second password" })),
        )
        .await;
    let second = login.body["token"].as_str().unwrap().to_owned();
    let tenants = |token: String| {
        let app = &app;
        async move {
            app.control_as(Some(&token), Method::GET, "/tenants", None)
                .await
                .status
        }
    };
    assert_eq!(tenants(second.clone()).await, StatusCode::OK);
    let mut console = krafto_testkit::WebSession::control(&app);
    console.cookie = Some(format!("krafto_staff={second}"));
    assert_eq!(console.get("/").await.status, StatusCode::OK);
    // `tenant-admin staff remove`, run as a command apart from the server.
    let revoked = tenant_admin::remove_staff(&db, "second@krafto.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(revoked.len(), 1);
    krafto_auth::revocation::publish(&redis_url(), &prefix, &revoked)
        .await
        .unwrap();
    eventually("the removed staff member's token still works", || async {
        tenants(second.clone()).await == StatusCode::UNAUTHORIZED
    })
    .await;
    let page = console.get("/").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/sign-in");
    // A password change (`tenant-admin staff add` for an existing member) likewise.
    let first = app.staff_token.clone();
    assert_eq!(tenants(first.clone()).await, StatusCode::OK);
    let saved = tenant_admin::demo::set_staff_password(
        &db,
        STAFF_EMAIL,
        &secrecy::SecretString::from("a brand new password"),
    )
    .await
    .unwrap();
    assert!(!saved.created);
    krafto_auth::revocation::publish(&redis_url(), &prefix, &saved.revoked)
        .await
        .unwrap();
    eventually("the old password's token still works", || async {
        tenants(first.clone()).await == StatusCode::UNAUTHORIZED
    })
    .await;
    let login = app
        .control_as(
            None,
            Method::POST,
            "/auth/login",
            Some(json!({ "email": STAFF_EMAIL, "password": "a brand new password" })),
        )
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let fresh = login.body["token"].as_str().unwrap().to_owned();
    assert_eq!(tenants(fresh).await, StatusCode::OK);
}

#[tokio::test]
async fn a_token_signed_out_on_one_instance_is_refused_by_the_other_through_redis() {
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(redis_url()),
        platform_instances: 2,
        rate_limits: Some(limits(|_| {})),
        ..AppOptions::default()
    })
    .await;
    app.create_tenant("lyon").await;
    let (token, _) = app.sign_in(LYON, "ana@example.com").await;
    // Both instances have verified (and cached) the token.
    assert_eq!(me(&app, 0, &token).await, StatusCode::OK);
    assert_eq!(me(&app, 1, &token).await, StatusCode::OK);
    let r = app
        .store_on(
            0,
            Method::POST,
            LYON,
            "/api/v1/auth/sign-out",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    eventually(
        "instance 1 still accepts a token signed out on instance 0",
        || async { me(&app, 1, &token).await == StatusCode::UNAUTHORIZED },
    )
    .await;
}

#[tokio::test]
async fn a_staff_console_sign_out_ends_the_token_too() {
    let app = TestApp::spawn().await;
    let mut console = krafto_testkit::WebSession::control(&app);
    let r = console
        .post(
            "/sign-in",
            &[("email", STAFF_EMAIL), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = console.cookie.clone().unwrap();
    let token = cookie.trim_start_matches("krafto_staff=").to_owned();
    assert_eq!(
        app.control_as(Some(&token), Method::GET, "/tenants", None)
            .await
            .status,
        StatusCode::OK
    );
    console.post("/sign-out", &[]).await;
    assert_eq!(
        app.control_as(Some(&token), Method::GET, "/tenants", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn without_redis_an_operator_removal_reaches_the_platform_through_the_database() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let token = app.operator_token(id, "lyon", "op@example.com").await;
    let user = app
        .store(Method::GET, LYON, "/api/v1/me", Some(&token), None)
        .await;
    let user_id = user.body["user"]["id"].as_str().unwrap().to_owned();
    let r = app
        .control(
            Method::DELETE,
            &format!("/tenants/{id}/operators/{user_id}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    // The platform re-reads recent revocations every few seconds.
    let started = Instant::now();
    while me(&app, 0, &token).await != StatusCode::UNAUTHORIZED {
        assert!(
            started.elapsed()
                < krafto_auth::revocation::REFRESH_WITHOUT_REDIS + Duration::from_secs(3),
            "the platform still accepts a revoked token after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
