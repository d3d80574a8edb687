//! Hardening found by probing (issue 11): bodies limited by the bytes actually read,
//! deadlines when Postgres or Redis freeze, malformed input answered 4xx, `/metrics` kept
//! off the public listeners, guest order lookups that reveal nothing, and the client address
//! behind a proxy.

use crate::catalog::LYON;
use krafto_testkit::proxy::FreezableProxy;
use krafto_testkit::raw::{chunked_upload, raw_request};
use krafto_testkit::{
    AppOptions, ListingBuilder, OrderBuilder, ShopBuilder, TenantBuilder, TestApp, UserBuilder,
};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

const UPLOAD: usize = 64 * 1024 * 1024;

#[tokio::test]
async fn a_chunked_upload_over_the_limit_is_refused_413_on_the_platform_without_reading_it_whole() {
    let app = TestApp::spawn().await;
    TenantBuilder::new("lyon").build(&app).await;
    let (r, sent) = chunked_upload(
        app.platforms[0],
        LYON,
        "/api/v1/auth/otp/start",
        "content-type: application/json",
        br#"{"email":""#,
        UPLOAD,
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert_eq!(r.code(), "payload_too_large");
    assert!(
        sent < UPLOAD / 2,
        "the server read {sent} bytes before answering"
    );
}

#[tokio::test]
async fn a_chunked_upload_over_the_limit_is_refused_413_on_the_control_plane_without_reading_it_whole()
 {
    let app = TestApp::spawn().await;
    let (r, sent) = chunked_upload(
        app.admin,
        "localhost",
        "/control/v1/auth/login",
        "content-type: application/json",
        br#"{"email":""#,
        UPLOAD,
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert_eq!(r.code(), "payload_too_large");
    assert!(
        sent < UPLOAD / 2,
        "the server read {sent} bytes before answering"
    );
    // A console form too (pages are served by the same listener).
    let (r, sent) = chunked_upload(
        app.admin,
        "localhost",
        "/sign-in",
        "content-type: application/x-www-form-urlencoded",
        b"email=",
        UPLOAD,
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert!(sent < UPLOAD / 2, "the console read {sent} bytes");
    // A person sees a page in the console's words, not the problem.
    assert!(r.text.contains("<h1>Too large to send</h1>"), "{}", r.text);
    assert!(!r.text.contains("payload_too_large"), "{}", r.text);
}

#[tokio::test]
async fn a_page_form_over_the_limit_is_answered_with_the_marketplaces_own_page() {
    let app = TestApp::spawn().await;
    TenantBuilder::new("lyon").locale("fr-FR").build(&app).await;
    // The marketplace is cached once a page was served: the problem page wears its brand.
    let home = app.store(Method::GET, LYON, "/", None, None).await;
    assert_eq!(home.status, StatusCode::OK);
    let (r, sent) = chunked_upload(
        app.platforms[0],
        LYON,
        "/sign-in",
        "content-type: application/x-www-form-urlencoded",
        b"email=",
        UPLOAD,
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert!(sent < UPLOAD / 2, "the platform read {sent} bytes");
    assert!(r.text.contains("<html lang=\"fr\">"), "{}", r.text);
    assert!(
        r.text.contains("<h1>Envoi trop volumineux</h1>"),
        "{}",
        r.text
    );
    assert!(r.text.contains("Rien n’a été modifié"), "{}", r.text);
    // The builder names the marketplace "Market lyon"; the page wears its name.
    assert!(home.text.contains("Market lyon"));
    assert!(
        r.text.contains(r#"class="logo" href="/">Market lyon</a>"#),
        "{}",
        r.text
    );
    assert!(!r.text.contains("payload_too_large") && !r.text.contains("MiB"));
}

#[tokio::test]
async fn a_csv_import_may_be_larger_than_other_bodies_but_not_larger_than_its_own_limit() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(&app).await;
    let mut csv = String::from("title,price,description,quantity\n");
    let line = format!("Bol,12.00,{},1\n", "d".repeat(700));
    while csv.len() <= platform::MAX_BODY_BYTES + 1024 {
        csv.push_str(&line);
    }
    let r = app
        .http
        .post(format!(
            "http://{}/api/v1/seller/listings/import",
            app.platforms[0]
        ))
        .header("host", LYON)
        .header("content-type", "text/csv")
        .bearer_auth(&shop.owner.token)
        .body(csv)
        .send()
        .await
        .unwrap();
    let r = krafto_testkit::Reply::from_response(r).await;
    // Read whole and judged by the import's own rules (too many rows), not refused as a body.
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("rows"), "{}", r.text);
    // Past the import's limit, the body is refused as one.
    let (r, sent) = chunked_upload(
        app.platforms[0],
        LYON,
        "/api/v1/seller/listings/import",
        &format!(
            "content-type: text/csv\r\nauthorization: Bearer {}",
            shop.owner.token
        ),
        b"title,price\n",
        UPLOAD,
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert!(sent < UPLOAD / 2, "the server read {sent} bytes");
}

/// A platform instance like `app`'s own, but reaching the database at `database_url`; it
/// stops when the returned sender is dropped.
async fn platform_on(app: &TestApp, database_url: &str) -> (SocketAddr, oneshot::Sender<()>) {
    let mut settings = app.settings.clone();
    settings.database.url = SecretString::from(database_url.to_owned());
    platform_with(&settings).await
}

/// A platform instance with these settings.
async fn platform_with(settings: &platform::Settings) -> (SocketAddr, oneshot::Sender<()>) {
    let state = platform::AppState::from_settings(settings).await.unwrap();
    let (bound, addr) = oneshot::channel();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(platform::serve(state, "127.0.0.1:0", Some(bound), async {
        let _ = stopped.await;
    }));
    (addr.await.unwrap(), stop)
}

/// The control plane of `app`, reaching the database at `database_url`.
async fn control_on(app: &TestApp, database_url: &str) -> (SocketAddr, oneshot::Sender<()>) {
    let settings = tenant_admin::Settings {
        listen_addr: "127.0.0.1:0".to_owned(),
        site: app.settings.site.clone(),
        database: krafto_web::config::DatabaseConfig {
            url: SecretString::from(database_url.to_owned()),
            pool_size: 4,
            timeouts: krafto_db::DbTimeouts::default(),
        },
        redis: None,
        auth: app.settings.auth.clone(),
        payments: app.settings.payments.clone(),
        limits: krafto_web::config::LimitsConfig::default(),
        metrics: krafto_web::config::MetricsConfig::default(),
        rate_limits: krafto_web::ratelimit::RateLimitConfig::unlimited_for_tests(
            &app.settings.rate_limits.redis_prefix,
        ),
        proxy: krafto_web::config::ProxyConfig::default(),
    };
    let state = tenant_admin::ControlState::from_settings(&settings)
        .await
        .unwrap();
    let (bound, addr) = oneshot::channel();
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(tenant_admin::serve(
        state,
        "127.0.0.1:0",
        Some(bound),
        async {
            let _ = stopped.await;
        },
    ));
    (addr.await.unwrap(), stop)
}

/// How long a request may take in these tests before it counts as a hang.
const HANG: Duration = Duration::from_secs(20);

/// Asserts `GET path` on `addr` is answered 503 within 10 s.
async fn answered_503_quickly(
    http: &reqwest::Client,
    addr: SocketAddr,
    host: &str,
    token: Option<&str>,
    path: &str,
) -> String {
    let started = Instant::now();
    let mut req = http
        .get(format!("http://{addr}{path}"))
        .header("host", host);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path} hung with a frozen database: {e}"));
    let took = started.elapsed();
    let status = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}: {text}");
    assert!(took < Duration::from_secs(10), "{path} took {took:?}");
    text
}

#[tokio::test]
async fn a_frozen_database_is_answered_503_within_seconds_on_both_servers() {
    let app = TestApp::spawn().await;
    TenantBuilder::new("lyon").build(&app).await;
    let (proxy, url) = FreezableProxy::in_front_of(&app.db.url).await;
    let (platform, _stop_platform) = platform_on(&app, &url).await;
    let (control, _stop_control) = control_on(&app, &url).await;
    let http = reqwest::Client::builder().timeout(HANG).build().unwrap();
    let staff = app.staff_token.as_str();
    let routes = [
        (platform, LYON, None, "/readyz"),
        (platform, LYON, None, "/api/v1/store/search?q=bol"),
        (platform, LYON, None, "/search?q=bol"),
        (control, "localhost", None, "/readyz"),
        (control, "localhost", Some(staff), "/control/v1/tenants"),
    ];
    // Warm: connections open and pooled, the marketplace cached.
    for (addr, host, token, path) in routes {
        let mut req = http
            .get(format!("http://{addr}{path}"))
            .header("host", host);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "{path}: {}",
            r.text().await.unwrap()
        );
    }
    proxy.freeze();
    for (addr, host, token, path) in routes {
        let text = answered_503_quickly(&http, addr, host, token, path).await;
        if path.starts_with("/search") {
            assert!(
                text.contains("<h1>Indisponible pour un instant</h1>"),
                "{text}"
            );
        }
    }
    // Once the database answers again, so do the servers.
    proxy.thaw();
    let started = Instant::now();
    loop {
        let r = http
            .get(format!("http://{platform}/readyz"))
            .send()
            .await
            .unwrap();
        if r.status() == StatusCode::OK {
            break;
        }
        assert!(started.elapsed() < HANG, "still not ready after the thaw");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_transaction_abandoned_while_the_database_is_frozen_gives_its_connection_up() {
    let db = krafto_testkit::TestDb::new().await;
    let (proxy, url) = FreezableProxy::in_front_of(&db.url).await;
    let pool = krafto_db::Db::connect(&url, krafto_db::DbRole::Control, 2).unwrap();
    let tx = pool.control().await.unwrap();
    assert_eq!(pool.status().size, 1);
    // A request past its deadline drops its transaction while the database hangs.
    proxy.freeze();
    drop(tx);
    let started = Instant::now();
    while pool.status().size > 0 {
        assert!(
            started.elapsed() < krafto_db::ABANDONED_ROLLBACK_DEADLINE + Duration::from_secs(15),
            "the unanswered rollback still holds its connection"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Once the database answers, new transactions get a fresh connection.
    proxy.thaw();
    let mut tx = pool.control().await.unwrap();
    tx.run(diesel::sql_query("SELECT 1")).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_statement_past_the_statement_timeout_is_cancelled_and_answered_503() {
    let db = krafto_testkit::TestDb::new().await;
    let pool = krafto_db::Db::connect_with(
        &db.url,
        krafto_db::DbRole::Control,
        1,
        krafto_db::DbTimeouts {
            statement: Duration::from_millis(300),
            acquire: Duration::from_secs(5),
        },
    )
    .unwrap();
    let mut tx = pool.control().await.unwrap();
    let started = Instant::now();
    let e = tx
        .run(diesel::sql_query("SELECT pg_sleep(5)"))
        .await
        .expect_err("the statement is cancelled");
    assert!(started.elapsed() < Duration::from_secs(3), "{e}");
    assert!(e.is_timeout(), "{e}");
    let answer = krafto_web::ApiError::from(&e);
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.code, krafto_api_types::Code::DatabaseUnavailable);
}

#[tokio::test]
async fn with_redis_frozen_changes_commit_at_once_and_a_suspension_is_served_for_seconds_only() {
    let redis = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let (proxy, url) = FreezableProxy::in_front_of(&redis).await;
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(url),
        ..AppOptions::default()
    })
    .await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap().to_owned();
    let operator = app
        .operator_token(&id, "lyon", "operator@lyon.example")
        .await;
    let host = "lyon.krafto.test";
    let r = app
        .store(Method::GET, host, "/api/v1/store/tenant", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    proxy.freeze();
    // An operator's change on the platform, and a suspension on the control plane: both
    // commit and answer without waiting for Redis.
    let started = Instant::now();
    let r = tokio::time::timeout(
        HANG,
        app.store(
            Method::POST,
            host,
            "/api/v1/admin/categories",
            Some(&operator),
            Some(json!({ "name": "Céramique" })),
        ),
    )
    .await
    .expect("the platform answers while Redis is frozen");
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert!(started.elapsed() < Duration::from_secs(10));
    let started = Instant::now();
    let r = tokio::time::timeout(
        HANG,
        app.control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "status": "suspended", "suspended_reason": "fraud review" })),
        ),
    )
    .await
    .expect("the control plane answers while Redis is frozen");
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(started.elapsed() < Duration::from_secs(10));

    // The platform heard nothing, but no longer trusts its cache for long.
    let started = Instant::now();
    loop {
        let r = app
            .store(Method::GET, host, "/api/v1/store/tenant", None, None)
            .await;
        if r.status == StatusCode::FORBIDDEN && r.code() == "tenant_suspended" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the suspended marketplace is still served: {}",
            r.text
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    proxy.thaw();
}

/// The first field a 400 names.
fn field_of(r: &krafto_testkit::Reply) -> &str {
    r.body["errors"][0]["field"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_nul_byte_in_a_query_or_a_json_string_is_a_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let r = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/search?q=a%00b",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!((r.code(), field_of(&r)), ("invalid_request", "q"));
    // The search page answers the same request with a page a person can read.
    let r = app
        .store(Method::GET, LYON, "/search?q=a%00b", None, None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("<h1>Demande illisible</h1>"), "{}", r.text);
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/admin/categories",
            Some(&operator.token),
            Some(json!({ "name": "Cé\u{0}ramique" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!((r.code(), field_of(&r)), ("invalid_request", "name"));
    let r = app
        .control(
            Method::POST,
            "/tenants",
            Some(json!({
                "slug": "nul",
                "name": "Nul",
                "template": "handmade",
                "branding": { "tagline": "a\u{0}b" },
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(
        (r.code(), field_of(&r)),
        ("invalid_request", "branding.tagline")
    );
    // Nothing was made.
    let r = app.control(Method::GET, "/tenants?q=nul", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(!r.text.contains("\"slug\":\"nul\""), "{}", r.text);
}

#[tokio::test]
async fn control_characters_in_marketplace_names_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let r = app
        .control(
            Method::POST,
            "/tenants",
            Some(json!({
                "slug": "crlf",
                "name": "Lyon\r\nBcc: everyone@example.com",
                "template": "handmade",
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(field_of(&r), "name");
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    for body in [
        json!({ "name": "Lyon\nBcc: x@example.com" }),
        json!({ "branding": { "display_name": "Lyon\rMakers" } }),
    ] {
        let r = app
            .control(Method::PATCH, &format!("/tenants/{id}"), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    }
    let r = app
        .control(Method::GET, &format!("/tenants/{id}"), None)
        .await;
    assert_eq!(r.body["name"], "Market lyon", "{}", r.text);
}

#[tokio::test]
async fn a_doubled_bearer_token_is_refused_401_on_both_servers() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let token = &operator.token;
    let me = format!("GET /api/v1/me HTTP/1.1\r\nhost: {LYON}");
    let r = raw_request(
        app.platforms[0],
        &format!("{me}\r\nauthorization: Bearer {token}"),
        b"",
    )
    .await;
    assert_eq!(r.status, 200, "a single token works: {}", r.text);
    for doubled in [
        format!("authorization: Bearer {token}, Bearer {token}"),
        format!("authorization: Bearer {token}\r\nauthorization: Bearer junk"),
        format!("authorization: Bearer {token} {token}"),
    ] {
        let r = raw_request(app.platforms[0], &format!("{me}\r\n{doubled}"), b"").await;
        assert_eq!(r.status, 401, "{doubled}: {}", r.text);
        assert_eq!(r.code(), "unauthenticated");
    }
    let staff = &app.staff_token;
    let r = raw_request(
        app.admin,
        &format!(
            "GET /control/v1/tenants HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer {staff}\r\nauthorization: Bearer junk"
        ),
        b"",
    )
    .await;
    assert_eq!(r.status, 401, "{}", r.text);
}

#[tokio::test]
async fn the_host_is_one_host_with_a_real_port_or_the_request_is_refused_400() {
    let app = TestApp::spawn().await;
    TenantBuilder::new("lyon").build(&app).await;
    TenantBuilder::new("paris").build(&app).await;
    let addr = app.platforms[0];
    let get = |target: &str, hosts: &[&str]| {
        let mut head = format!("GET {target} HTTP/1.1");
        for h in hosts {
            head.push_str(&format!("\r\nhost: {h}"));
        }
        head
    };
    let path = "/api/v1/store/tenant";
    let ok = raw_request(addr, &get(path, &[LYON]), b"").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let ok = raw_request(addr, &get(path, &["lyon.krafto.test:8080"]), b"").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let ok = raw_request(addr, &get(&format!("http://{LYON}{path}"), &[LYON]), b"").await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    for (target, hosts) in [
        (path.to_owned(), vec![LYON, "paris.krafto.test"]),
        (path.to_owned(), vec![LYON, LYON]),
        (format!("http://paris.krafto.test{path}"), vec![LYON]),
        (path.to_owned(), vec!["lyon.krafto.test:99999"]),
        (path.to_owned(), vec!["lyon.krafto.test:0"]),
        (path.to_owned(), vec!["lyon.krafto.test:"]),
    ] {
        let r = raw_request(addr, &get(&target, &hosts), b"").await;
        assert_eq!(r.status, 400, "{target} {hosts:?}: {} {}", r.head, r.text);
        assert_eq!(r.code(), "bad_request", "{}", r.text);
    }
}

#[tokio::test]
async fn metrics_are_not_served_on_the_public_listeners() {
    let app = TestApp::spawn().await;
    TenantBuilder::new("lyon").build(&app).await;
    let public = [
        app.platform_raw(Method::GET, "/metrics").await,
        app.store(Method::GET, LYON, "/metrics", None, None).await,
        app.admin_raw(Method::GET, "/metrics").await,
    ];
    for r in public {
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert!(!r.text.contains("http_requests_total"));
    }
}

#[tokio::test]
async fn metrics_are_served_on_the_internal_listener_and_to_the_holder_of_the_token() {
    let app = TestApp::spawn().await;
    app.platform_raw(Method::GET, "/nowhere").await;
    let (bound, addr) = oneshot::channel();
    let (_stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(krafto_web::serve_metrics(
        "127.0.0.1:0",
        Some(bound),
        async {
            let _ = stopped.await;
        },
    ));
    let internal = addr.await.unwrap();
    let r = app
        .http
        .get(format!("http://{internal}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("status=\"404\""), "{text}");
    // The internal listener serves nothing else.
    let r = app
        .http
        .get(format!("http://{internal}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let mut settings = app.settings.clone();
    settings.metrics.token = Some(SecretString::from("scrape-token-1".to_owned()));
    let (platform, _stop_platform) = platform_with(&settings).await;
    let scrape = |token: Option<&'static str>| {
        let mut req = app.http.get(format!("http://{platform}/metrics"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let r = scrape(Some("scrape-token-1")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("http_requests_total"));
    for wrong in [None, Some("scrape-token-2"), Some("scrape-token-")] {
        let r = scrape(wrong).await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{wrong:?}");
    }
}

#[tokio::test]
async fn a_guest_order_with_a_wrong_token_is_answered_like_an_order_that_does_not_exist() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(&app).await;
    let bowl = ListingBuilder::new(&shop, "Bol").build(&app).await;
    let order = OrderBuilder::new(&lyon).line(&bowl, 1).build(&app).await;
    let number = order.number();
    let token = order.checkout["orders"][0]["access_token"]
        .as_str()
        .unwrap();
    let next = krafto_core::commerce::order_number("lyon", 2);
    assert_ne!(next, number, "the next number is not made yet");
    let app = &app;
    let get = |path: String| async move { app.store(Method::GET, LYON, &path, None, None).await };
    let open = get(format!("/api/v1/store/orders/{number}?token={token}")).await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.text);
    let wrong_token = get(format!("/api/v1/store/orders/{number}?token=x{token}")).await;
    let missing = get(format!("/api/v1/store/orders/{next}?token={token}")).await;
    assert_eq!(
        wrong_token.status,
        StatusCode::NOT_FOUND,
        "{}",
        wrong_token.text
    );
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.text);
    assert_eq!(
        wrong_token.text.replace(number, "[number]"),
        missing.text.replace(&next, "[number]"),
        "the answers tell an existing order from a missing one"
    );
    // The order page answers the same way.
    let mut page = krafto_testkit::WebSession::storefront(app, LYON, None);
    let wrong_token = page.get(&format!("/orders/{number}?token=x{token}")).await;
    let missing = page.get(&format!("/orders/{next}?token={token}")).await;
    assert_eq!(wrong_token.status, StatusCode::NOT_FOUND);
    assert_eq!(
        wrong_token.text.replace(number, "[number]"),
        missing.text.replace(&next, "[number]"),
    );
}

#[tokio::test]
async fn behind_a_proxy_the_client_is_the_address_the_proxy_saw_not_one_the_client_wrote() {
    let otp = platform::OtpPolicy {
        max_per_ip: 2,
        ..platform::OtpPolicy::default()
    };
    let app = TestApp::spawn_with(AppOptions {
        otp: Some(otp),
        ..AppOptions::default()
    })
    .await;
    app.create_tenant("lyon").await;
    // The client writes a new address on every request; the proxy (one hop, as TestApp
    // trusts) appends the one it saw, always the same.
    let start = |i: usize| {
        let app = &app;
        async move {
            app.http
                .post(format!("http://{}/api/v1/auth/otp/start", app.platforms[0]))
                .header("host", LYON)
                .header("x-forwarded-for", format!("192.0.2.{i}, 10.0.0.7"))
                .json(&json!({ "email": format!("ana{i}@example.com") }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(start(1).await, StatusCode::ACCEPTED);
    assert_eq!(start(2).await, StatusCode::ACCEPTED);
    assert_eq!(
        start(3).await,
        StatusCode::TOO_MANY_REQUESTS,
        "a third code for the client the proxy saw"
    );
}
