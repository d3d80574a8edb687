//! Tenant changes reach every platform instance through real Redis pub/sub.

use krafto_testkit::{AppOptions, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::{Duration, Instant};

fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

/// Polls every instance until `done` holds on each; returns how long that took.
async fn until_all(
    app: &TestApp,
    host: &str,
    done: impl Fn(&krafto_testkit::Reply) -> bool,
) -> Duration {
    let started = Instant::now();
    for i in 0..app.platforms.len() {
        loop {
            let r = app
                .store_on(i, Method::GET, host, "/api/v1/store/tenant", None, None)
                .await;
            if done(&r) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "instance {i} still serves {}",
                r.text
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    started.elapsed()
}

#[tokio::test]
async fn suspension_and_branding_changes_reach_every_instance_within_a_second() {
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(redis_url()),
        platform_instances: 2,
        ..AppOptions::default()
    })
    .await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let host = "lyon.krafto.test";
    // Warm both caches: without invalidation they would keep this for minutes.
    until_all(&app, host, |r| r.status == StatusCode::OK).await;

    let r = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "branding": { "display_name": "Lyon Makers" } })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let took = until_all(&app, host, |r| {
        r.body["branding"]["display_name"] == "Lyon Makers"
    })
    .await;
    assert!(took < Duration::from_secs(1), "branding took {took:?}");

    let r = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "status": "suspended", "suspended_reason": "fraud review" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let took = until_all(&app, host, |r| {
        r.status == StatusCode::FORBIDDEN && r.code() == "tenant_suspended"
    })
    .await;
    assert!(took < Duration::from_secs(1), "suspension took {took:?}");

    app.control(
        Method::PATCH,
        &format!("/tenants/{id}"),
        Some(json!({ "status": "active" })),
    )
    .await;
    let took = until_all(&app, host, |r| r.status == StatusCode::OK).await;
    assert!(took < Duration::from_secs(1), "resumption took {took:?}");
}

#[tokio::test]
async fn a_domain_added_after_a_miss_answers_at_once_on_every_instance() {
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(redis_url()),
        platform_instances: 2,
        ..AppOptions::default()
    })
    .await;
    let t = app.create_tenant("lyon").await;
    until_all(&app, "lyon-makers.fr", |r| {
        r.status == StatusCode::NOT_FOUND
    })
    .await;
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{}/domains", t["id"].as_str().unwrap()),
            Some(json!({ "host": "lyon-makers.fr" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let took = until_all(&app, "lyon-makers.fr", |r| r.status == StatusCode::OK).await;
    assert!(took < Duration::from_secs(1), "new domain took {took:?}");
    app.control(
        Method::DELETE,
        &format!(
            "/tenants/{}/domains/lyon-makers.fr",
            t["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    let took = until_all(&app, "lyon-makers.fr", |r| {
        r.status == StatusCode::NOT_FOUND
    })
    .await;
    assert!(
        took < Duration::from_secs(1),
        "removed domain took {took:?}"
    );
}

#[tokio::test]
async fn a_promotion_to_operator_shows_in_me_on_every_instance_within_a_second() {
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(redis_url()),
        platform_instances: 2,
        ..AppOptions::default()
    })
    .await;
    let t = app.create_tenant("lyon").await;
    let host = "lyon.krafto.test";
    let (token, _) = app.sign_in(host, "ana@example.com").await;
    for i in 0..2 {
        let me = app
            .store_on(i, Method::GET, host, "/api/v1/me", Some(&token), None)
            .await;
        assert_eq!(
            me.body["user"]["role"], "buyer",
            "instance {i} caches the buyer"
        );
    }
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{}/operators", t["id"].as_str().unwrap()),
            Some(json!({ "email": "ana@example.com" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let started = Instant::now();
    for i in 0..2 {
        loop {
            let me = app
                .store_on(i, Method::GET, host, "/api/v1/me", Some(&token), None)
                .await;
            if me.body["user"]["role"] == "operator" {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "instance {i}: {}",
                me.text
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}
