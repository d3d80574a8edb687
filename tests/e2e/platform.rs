//! The platform: host routing, the public face, sign-in, tokens and roles, operator tools.

use diesel_async::SimpleAsyncConnection;
use krafto_testkit::{AppOptions, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

const LYON: &str = "lyon.krafto.test";
const PARIS: &str = "paris.krafto.test";

#[tokio::test]
async fn an_unknown_host_is_a_404_problem_and_never_a_default_tenant() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    for host in [
        "nope.krafto.test",
        "krafto.test",
        "a.lyon.krafto.test",
        "127.0.0.1:8080",
        "evil.example.com",
    ] {
        let r = app
            .store(Method::GET, host, "/api/v1/store/tenant", None, None)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{host}");
        assert_eq!(r.code(), "unknown_tenant", "{host}");
        assert_eq!(r.headers["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn host_matching_ignores_case_port_and_a_trailing_dot() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    for host in [
        "LYON.Krafto.Test",
        "lyon.krafto.test:8080",
        "lyon.krafto.test.",
    ] {
        let r = app
            .store(Method::GET, host, "/api/v1/store/tenant", None, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{host}: {}", r.text);
        assert_eq!(r.body["slug"], "lyon");
    }
}

#[tokio::test]
async fn the_public_face_shows_branding_fees_features_and_the_category_tree() {
    let app = TestApp::spawn().await;
    app.create_tenant_with(json!({ "slug": "lyon", "name": "Lyon Makers", "template": "handmade", "branding": { "tagline": "Fait main" } })).await;
    let r = app
        .store(Method::GET, LYON, "/api/v1/store/tenant", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["name"], "Lyon Makers");
    assert_eq!(r.body["branding"]["tagline"], "Fait main");
    assert_eq!(r.body["fees"]["seller_commission_bps"], 1000);
    assert_eq!(r.body["currency"], "EUR");
    assert_eq!(r.body["features"]["gift_wrapping"], true);
    let jewellery = &r.body["categories"][0];
    assert_eq!(jewellery["slug"], "jewellery");
    let kids: Vec<&str> = jewellery["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(kids, ["necklaces", "earrings", "rings"]);
}

#[tokio::test]
async fn signing_in_with_a_code_creates_a_buyer_once() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let (token, body) = app.sign_in(LYON, "Ana@Example.com").await;
    assert_eq!(body["new_account"], true);
    assert_eq!(body["user"]["role"], "buyer");
    assert_eq!(body["user"]["email"], "ana@example.com");
    let me = app
        .store(Method::GET, LYON, "/api/v1/me", Some(&token), None)
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["user"]["id"], body["user"]["id"]);
    assert_eq!(me.body["tenant_slug"], "lyon");
    let (_, again) = app.sign_in(LYON, "ana@example.com").await;
    assert_eq!(again["new_account"], false);
    assert_eq!(again["user"]["id"], body["user"]["id"]);
    // The mail carries the code; the database only a keyed hash of it.
    let code = app.latest_code("ana@example.com").unwrap();
    assert_eq!(code.len(), 6);
    let mail = app.mails().pop().unwrap();
    assert!(mail.contains("expires in 10 minutes"), "{mail}");
    let mut conn = app.db.superuser().await;
    conn.batch_execute(&format!(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM one_time_codes WHERE code_hash LIKE '%{code}%' OR length(code_hash) <> 64) THEN RAISE EXCEPTION 'code stored in the clear'; END IF; END $$"
    ))
    .await
    .expect("codes are stored hashed");
}

#[tokio::test]
async fn wrong_codes_count_down_and_the_code_locks_after_five() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/start",
            None,
            Some(json!({ "email": "ana@example.com" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    let challenge = r.body["challenge"].clone();
    let code = app.latest_code("ana@example.com").unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (0..5).rev() {
        let r = app
            .store(
                Method::POST,
                LYON,
                "/api/v1/auth/otp/verify",
                None,
                Some(json!({ "email": "ana@example.com", "code": wrong, "challenge": challenge })),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.code(), "invalid_code");
        assert!(
            r.body["detail"]
                .as_str()
                .unwrap()
                .contains(&format!("{left} attempt")),
            "{}",
            r.text
        );
    }
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/verify",
            None,
            Some(json!({ "email": "ana@example.com", "code": code, "challenge": challenge })),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right code is refused now"
    );
    assert_eq!(r.code(), "too_many_attempts");
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/verify",
            None,
            Some(json!({ "email": "ana@example.com", "code": "12ab", "challenge": challenge })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["field"], "code");
}

#[tokio::test]
async fn a_code_works_once_and_not_after_it_expires() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let started = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/start",
            None,
            Some(json!({ "email": "ana@example.com" })),
        )
        .await;
    let used = app.latest_code("ana@example.com").unwrap();
    let verify =
        json!({ "email": "ana@example.com", "code": used, "challenge": started.body["challenge"] });
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/verify",
            None,
            Some(verify.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/verify",
            None,
            Some(verify),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "invalid_code");
    let started = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/start",
            None,
            Some(json!({ "email": "ana@example.com" })),
        )
        .await;
    let code = app.latest_code("ana@example.com").unwrap();
    let mut conn = app.db.superuser().await;
    conn.batch_execute("UPDATE one_time_codes SET expires_at = now() - interval '1 second' WHERE consumed_at IS NULL").await.unwrap();
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/verify",
            None,
            Some(json!({ "email": "ana@example.com", "code": code, "challenge": started.body["challenge"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "code_expired");
}

#[tokio::test]
async fn code_requests_are_rate_limited_per_address_and_per_client() {
    let otp = platform::OtpPolicy {
        max_per_email: 2,
        max_per_ip: 3,
        ..platform::OtpPolicy::default()
    };
    let app = TestApp::spawn_with(AppOptions {
        otp: Some(otp),
        ..AppOptions::default()
    })
    .await;
    app.create_tenant("lyon").await;
    let start = |email: &'static str, ip: &'static str| {
        let app = &app;
        async move {
            let mut req = app
                .http
                .post(format!("http://{}/api/v1/auth/otp/start", app.platforms[0]))
                .header("host", LYON)
                .header("x-forwarded-for", ip)
                .json(&json!({ "email": email }));
            req = req.header("accept", "application/json");
            req.send().await.unwrap()
        }
    };
    assert_eq!(
        start("a@example.com", "10.0.0.1").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        start("a@example.com", "10.0.0.2").await.status(),
        StatusCode::ACCEPTED
    );
    let limited = start("a@example.com", "10.0.0.3").await;
    assert_eq!(
        limited.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "third code for one address"
    );
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(
        start("b@example.com", "10.0.0.1").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        start("c@example.com", "10.0.0.1").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(
        start("d@example.com", "10.0.0.1").await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "fourth code from one client"
    );
    assert_eq!(
        start("d@example.com", "10.0.0.9").await.status(),
        StatusCode::ACCEPTED
    );
    assert_eq!(app.mails().len(), 5, "refused requests send nothing");
    let bad = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/start",
            None,
            Some(json!({ "email": "nope" })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "email");
}

#[tokio::test]
async fn one_address_is_two_accounts_in_two_marketplaces_and_tokens_do_not_cross() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.create_tenant("paris").await;
    let (lyon_token, lyon) = app.sign_in(LYON, "ana@example.com").await;
    let (paris_token, paris) = app.sign_in(PARIS, "ana@example.com").await;
    assert_ne!(lyon["user"]["id"], paris["user"]["id"]);
    assert_eq!(paris["new_account"], true);
    let r = app
        .store(Method::GET, PARIS, "/api/v1/me", Some(&lyon_token), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a Lyon token on Paris");
    assert_eq!(r.code(), "unauthenticated");
    let r = app
        .store(Method::GET, LYON, "/api/v1/me", Some(&paris_token), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.store(Method::GET, LYON, "/api/v1/me", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers["content-type"], "application/problem+json");
    let r = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/me",
            Some(&app.staff_token),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "a staff token is not a marketplace token"
    );
    // A code mailed for Lyon does not sign in on Paris.
    let started = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/start",
            None,
            Some(json!({ "email": "bob@example.com" })),
        )
        .await;
    let code = app.latest_code("bob@example.com").unwrap();
    let r = app
        .store(
            Method::POST,
            PARIS,
            "/api/v1/auth/otp/verify",
            None,
            Some(json!({ "email": "bob@example.com", "code": code, "challenge": started.body["challenge"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_buyer_is_refused_on_operator_routes() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let (buyer, _) = app.sign_in(LYON, "ana@example.com").await;
    for (method, path) in [
        (Method::GET, "/api/v1/admin/categories"),
        (Method::POST, "/api/v1/admin/categories"),
        (Method::GET, "/api/v1/admin/audit"),
    ] {
        let body = (method == Method::POST).then(|| json!({ "name": "Hats" }));
        let r = app.store(method, LYON, path, Some(&buyer), body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text);
        assert_eq!(r.code(), "forbidden");
    }
}

#[tokio::test]
async fn an_operator_manages_the_category_tree_and_every_change_is_audited() {
    let app = TestApp::spawn().await;
    let lyon = app.create_tenant("lyon").await;
    let paris = app.create_tenant("paris").await;
    let op = app
        .operator_token(lyon["id"].as_str().unwrap(), "lyon", "op@lyon.example")
        .await;
    let paris_op = app
        .operator_token(paris["id"].as_str().unwrap(), "paris", "op@paris.example")
        .await;
    let post = |body: serde_json::Value| {
        app.store(
            Method::POST,
            LYON,
            "/api/v1/admin/categories",
            Some(&op),
            Some(body),
        )
    };
    let hats = post(json!({ "name": "Chapeaux & Bérets", "position": 9 })).await;
    assert_eq!(hats.status, StatusCode::CREATED, "{}", hats.text);
    assert_eq!(hats.body["slug"], "chapeaux-berets");
    let hats_id = hats.body["id"].as_str().unwrap().to_owned();
    let felt = post(json!({ "name": "Felt", "parent_id": hats_id })).await;
    assert_eq!(felt.status, StatusCode::CREATED);
    let felt_id = felt.body["id"].as_str().unwrap().to_owned();
    let dup = post(json!({ "name": "Other", "slug": "chapeaux-berets" })).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.code(), "slug_taken");
    let bad = post(json!({ "name": "  ", "slug": "Bad!", "position": -1 })).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(f, ["name", "slug", "position"]);
    // Another marketplace's category is not a parent here, and not reachable at all.
    let paris_cat = app
        .store(
            Method::POST,
            PARIS,
            "/api/v1/admin/categories",
            Some(&paris_op),
            Some(json!({ "name": "Paris only" })),
        )
        .await;
    let paris_cat_id = paris_cat.body["id"].as_str().unwrap();
    let cross = post(json!({ "name": "Cross", "parent_id": paris_cat_id })).await;
    assert_eq!(cross.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(cross.body["field"], "parent_id");
    for method in [Method::GET, Method::DELETE] {
        let r = app
            .store(
                method,
                LYON,
                &format!("/api/v1/admin/categories/{paris_cat_id}"),
                Some(&op),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.code(), "category_not_found");
    }
    let cycle = app
        .store(
            Method::PATCH,
            LYON,
            &format!("/api/v1/admin/categories/{hats_id}"),
            Some(&op),
            Some(json!({ "parent_id": felt_id })),
        )
        .await;
    assert_eq!(
        cycle.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        cycle.text
    );
    assert_eq!(cycle.body["field"], "parent_id");
    let renamed = app
        .store(
            Method::PATCH,
            LYON,
            &format!("/api/v1/admin/categories/{felt_id}"),
            Some(&op),
            Some(json!({ "name": "Felt hats", "parent_id": null })),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert!(renamed.body["parent_id"].is_null());
    let moved_back = app
        .store(
            Method::PATCH,
            LYON,
            &format!("/api/v1/admin/categories/{felt_id}"),
            Some(&op),
            Some(json!({ "parent_id": hats_id })),
        )
        .await;
    assert_eq!(moved_back.status, StatusCode::OK);
    let blocked = app
        .store(
            Method::DELETE,
            LYON,
            &format!("/api/v1/admin/categories/{hats_id}"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(blocked.status, StatusCode::CONFLICT);
    assert_eq!(blocked.code(), "category_has_children");
    let tree = app
        .store(Method::GET, LYON, "/api/v1/store/tenant", None, None)
        .await;
    let hats_node = tree.body["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "chapeaux-berets")
        .unwrap()
        .clone();
    assert_eq!(hats_node["children"][0]["name"], "Felt hats");
    assert_eq!(
        app.store(
            Method::DELETE,
            LYON,
            &format!("/api/v1/admin/categories/{felt_id}"),
            Some(&op),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.store(
            Method::DELETE,
            LYON,
            &format!("/api/v1/admin/categories/{hats_id}"),
            Some(&op),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    let audit = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/audit?limit=10",
            Some(&op),
            None,
        )
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions[..6],
        [
            "category.deleted",
            "category.deleted",
            "category.updated",
            "category.updated",
            "category.created",
            "category.created"
        ]
    );
    assert!(
        !actions.iter().any(|a| a.contains("paris")),
        "no Paris entries in Lyon's log"
    );
    let paris_audit = app
        .store(
            Method::GET,
            PARIS,
            "/api/v1/admin/audit",
            Some(&paris_op),
            None,
        )
        .await;
    assert!(
        paris_audit.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["tenant_id"] == paris["id"])
    );
}

#[tokio::test]
async fn malformed_requests_get_problems_not_crashes() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let r = app
        .http
        .post(format!("http://{}/api/v1/auth/otp/start", app.platforms[0]))
        .header("host", LYON)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "invalid_request");
    let r = app
        .store(Method::GET, LYON, "/api/v1/no/such/route", None, None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
    let r = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/categories/not-a-uuid",
            Some("x"),
            None,
        )
        .await;
    assert!(r.status.is_client_error());
}

#[tokio::test]
async fn health_readiness_and_docs_answer_without_a_tenant_and_metrics_do_not() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.platform_raw(Method::GET, "/healthz").await.status,
        StatusCode::OK
    );
    let ready = app.platform_raw(Method::GET, "/readyz").await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.body["database"], "ok");
    app.store(
        Method::GET,
        "nope.krafto.test",
        "/api/v1/store/tenant",
        None,
        None,
    )
    .await;
    // Metrics are not public (see `hardening_limits` for where they are served).
    let metrics = app.platform_raw(Method::GET, "/metrics").await;
    assert_eq!(metrics.status, StatusCode::NOT_FOUND);
    let docs = app.platform_raw(Method::GET, "/docs").await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(docs.text.contains("swagger"), "swagger UI");
    let spec = app.platform_raw(Method::GET, "/openapi.json").await;
    assert!(spec.body["paths"]["/store/tenant"].is_object());
    let r = app.platform_raw(Method::GET, "/healthz").await;
    assert!(r.headers.contains_key("x-request-id"));
    assert_eq!(
        app.admin_raw(Method::GET, "/healthz").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.admin_raw(Method::GET, "/readyz").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.admin_raw(Method::GET, "/docs").await.status,
        StatusCode::OK
    );
}
