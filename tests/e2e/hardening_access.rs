//! Issue 11, access hardening: sign-in codes bound to their requester and limited per
//! address across marketplaces, and token revocation (sign-out, operator and staff removal,
//! password changes) on every instance.

use crate::rate_limits::{limits, redis_url};
use krafto_testkit::{AppOptions, STAFF_EMAIL, STAFF_PASSWORD, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const LYON: &str = "lyon.krafto.test";
const PARIS: &str = "paris.krafto.test";

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
async fn a_staff_token_signed_out_through_the_api_is_refused_from_then_on() {
    let app = TestApp::spawn().await;
    let login = app
        .control_as(
            None,
            Method::POST,
            "/auth/login",
            Some(json!({ "email": STAFF_EMAIL, "password": STAFF_PASSWORD })),
        )
        .await;
    let token = login.body["token"].as_str().unwrap().to_owned();
    let tenants = |t: String| {
        let app = &app;
        async move {
            app.control_as(Some(&t), Method::GET, "/tenants", None)
                .await
                .status
        }
    };
    assert_eq!(tenants(token.clone()).await, StatusCode::OK);
    let out = app
        .control_as(Some(&token), Method::POST, "/auth/sign-out", None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.text);
    assert_eq!(tenants(token.clone()).await, StatusCode::UNAUTHORIZED);
    let again = app
        .control_as(Some(&token), Method::POST, "/auth/sign-out", None)
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    // Other staff sessions are untouched.
    assert_eq!(tenants(app.staff_token.clone()).await, StatusCode::OK);
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
