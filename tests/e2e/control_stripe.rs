//! Stripe Connect provisioning in the control plane: the marketplace's account (created
//! once, whatever the retries and races), its onboarding link, its status; against the
//! built-in test gateway and against a local stand-in for the Stripe API.

use diesel::QueryableByName;
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use krafto_payments::PaymentSettings;
use krafto_payments::testing::{Reply, StripeDouble};
use krafto_testkit::{AppOptions, PostedFrom, STAFF_EMAIL, TestApp};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn id_of(t: &Value) -> String {
    t["id"].as_str().unwrap().to_owned()
}

#[derive(QueryableByName, Debug, PartialEq)]
struct RouteRow {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    holder: String,
}

/// The `payment_accounts` rows routing events to the marketplace.
async fn routes(app: &TestApp, tenant_id: &str) -> Vec<RouteRow> {
    let mut conn = app.db.superuser().await;
    diesel::sql_query(
        "SELECT account_id, holder FROM payment_accounts WHERE tenant_id = $1::text::uuid ORDER BY account_id",
    )
    .bind::<Text, _>(tenant_id)
    .load(&mut conn)
    .await
    .unwrap()
}

async fn audit_actions(app: &TestApp, tenant_id: &str) -> Vec<Value> {
    let r = app
        .control(Method::GET, &format!("/tenants/{tenant_id}/audit"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn creating_the_stripe_account_answers_201_then_the_same_account_with_200() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let id = id_of(&t);
    assert_eq!(
        t["stripe"],
        json!({ "charges_enabled": false, "payouts_enabled": false, "requirements": [], "ready": false, "test_mode": true }),
        "no account yet: `account_id` is left out (absent, never null)"
    );

    let first = app
        .control(Method::POST, &format!("/tenants/{id}/stripe/account"), None)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let account = first.body["account_id"].as_str().unwrap().to_owned();
    assert!(account.starts_with("acct_test_"), "{account}");
    assert_eq!(first.body["test_mode"], true);
    assert_eq!(first.body["ready"], false);
    assert_eq!(
        first.body["requirements"],
        json!(["test_mode_onboarding"]),
        "what the gateway reported at creation"
    );

    let again = app
        .control(Method::POST, &format!("/tenants/{id}/stripe/account"), None)
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body, first.body);

    let status = app
        .control(Method::GET, &format!("/tenants/{id}/stripe"), None)
        .await;
    assert_eq!(status.status, StatusCode::OK);
    assert_eq!(status.body, first.body);
    let view = app
        .control(Method::GET, &format!("/tenants/{id}"), None)
        .await;
    assert_eq!(view.body["stripe"], first.body, "shown in the tenant view");

    assert_eq!(
        routes(&app, &id).await,
        [RouteRow {
            account_id: account.clone(),
            holder: "tenant".to_owned()
        }]
    );
    let audit = audit_actions(&app, &id).await;
    let created: Vec<&Value> = audit
        .iter()
        .filter(|i| i["action"] == "stripe_account.created")
        .collect();
    assert_eq!(
        created.len(),
        1,
        "one audit row, not one per call: {audit:#?}"
    );
    assert_eq!(created[0]["actor"], STAFF_EMAIL);
    assert_eq!(created[0]["target"], format!("stripe_account:{account}"));
    assert_eq!(created[0]["details"]["account_id"], account);
    assert!(
        created[0]["request_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}

#[tokio::test]
async fn concurrent_creates_end_with_one_account() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_tenant("lyon").await);
    let path = format!("/tenants/{id}/stripe/account");
    let (a, b) = tokio::join!(
        app.control(Method::POST, &path, None),
        app.control(Method::POST, &path, None)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CREATED],
        "{} / {}",
        a.text,
        b.text
    );
    assert_eq!(a.body["account_id"], b.body["account_id"]);
    let rows = routes(&app, &id).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].account_id, a.body["account_id"].as_str().unwrap());
    let audit = audit_actions(&app, &id).await;
    assert_eq!(
        audit
            .iter()
            .filter(|i| i["action"] == "stripe_account.created")
            .count(),
        1
    );
}

#[tokio::test]
async fn in_test_mode_the_account_link_leads_to_the_test_page_on_the_marketplace_host() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_tenant("lyon").await);
    let created = app
        .control(Method::POST, &format!("/tenants/{id}/stripe/account"), None)
        .await;
    let account = created.body["account_id"].as_str().unwrap();

    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/stripe/account-link"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["account_id"], account);
    assert_eq!(r.body["test_mode"], true);
    assert_eq!(
        r.body["url"],
        format!(
            "http://lyon.krafto.test/test-mode/onboarding/{account}?return_url=http%3A%2F%2Flyon.krafto.test"
        ),
        "back to the storefront by default"
    );
    let empty = app
        .http
        .post(format!(
            "http://{}/control/v1/tenants/{id}/stripe/account-link",
            app.admin
        ))
        .bearer_auth(&app.staff_token)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::OK, "the body may be left out");

    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/stripe/account-link"),
            Some(json!({ "return_url": "https://ops.krafto.example/tenants/lyon", "refresh_url": "https://ops.krafto.example/again" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["url"],
        format!(
            "http://lyon.krafto.test/test-mode/onboarding/{account}?return_url=https%3A%2F%2Fops.krafto.example%2Ftenants%2Flyon"
        ),
        "the page stays on the marketplace host; the operator returns where asked"
    );

    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/stripe/account-link"),
            Some(json!({ "return_url": "javascript:alert(1)", "refresh_url": "/relative" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let fields: Vec<&str> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["return_url", "refresh_url"]);
}

#[tokio::test]
async fn completing_test_onboarding_on_the_marketplace_host_makes_its_account_ready() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_tenant("lyon").await);
    app.control(Method::POST, &format!("/tenants/{id}/stripe/account"), None)
        .await;
    let link = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/stripe/account-link"),
            Some(json!({})),
        )
        .await;
    let on_host = link.body["url"]
        .as_str()
        .unwrap()
        .strip_prefix("http://lyon.krafto.test")
        .unwrap();
    let path = on_host.split('?').next().unwrap();
    let page = app
        .store(Method::GET, "lyon.krafto.test", on_host, None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("the marketplace"), "{}", page.text);
    // Submitted without a return URL: the page answers instead of redirecting.
    let opened = app.page_token("lyon.krafto.test", None).await;
    let done = app
        .http
        .post(format!("http://{}{path}", app.platforms[0]))
        .header("host", "lyon.krafto.test")
        .posted_from(&opened)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    let status = app
        .control(Method::GET, &format!("/tenants/{id}/stripe"), None)
        .await;
    assert_eq!(status.body["charges_enabled"], true, "{}", status.text);
    assert_eq!(status.body["payouts_enabled"], true);
    assert_eq!(status.body["requirements"], json!([]));
    assert_eq!(status.body["ready"], true);
}

#[tokio::test]
async fn an_account_link_before_the_account_exists_is_a_conflict_naming_the_create_call() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_tenant("lyon").await);
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/stripe/account-link"),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.code(), "no_stripe_account");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("POST /control/v1/tenants/{id}/stripe/account")),
        "{}",
        r.text
    );
    assert_eq!(r.headers["content-type"], "application/problem+json");
}

#[tokio::test]
async fn the_stripe_status_of_a_marketplace_without_an_account_has_no_account_id() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_tenant("lyon").await);
    let r = app
        .control(Method::GET, &format!("/tenants/{id}/stripe"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["account_id"], Value::Null);
    assert_eq!(r.body["ready"], false);
    assert_eq!(r.body["test_mode"], true);
    assert!(routes(&app, &id).await.is_empty());
}

#[tokio::test]
async fn stripe_calls_for_an_unknown_marketplace_are_404() {
    let app = TestApp::spawn().await;
    let id = uuid::Uuid::now_v7();
    for (method, path, body) in [
        (Method::POST, "stripe/account", None),
        (Method::POST, "stripe/account-link", Some(json!({}))),
        (Method::GET, "stripe", None),
    ] {
        let r = app
            .control(method, &format!("/tenants/{id}/{path}"), body)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
        assert_eq!(r.code(), "tenant_not_found", "{path}");
    }
}

#[tokio::test]
async fn stripe_calls_need_a_staff_token() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_tenant("lyon").await);
    let (user_token, _) = app.sign_in("lyon.krafto.test", "ana@example.com").await;
    for token in [None, Some("garbage"), Some(user_token.as_str())] {
        for (method, path, body) in [
            (Method::POST, "stripe/account", None),
            (Method::POST, "stripe/account-link", Some(json!({}))),
            (Method::GET, "stripe", None),
        ] {
            let r = app
                .control_as(token, method, &format!("/tenants/{id}/{path}"), body)
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.text);
            assert_eq!(r.code(), "unauthenticated", "{path}");
        }
    }
    assert!(routes(&app, &id).await.is_empty(), "nothing was created");
}

#[tokio::test]
async fn the_buyer_fee_is_set_on_creation_and_by_patch_within_0_to_10000_bps() {
    let app = TestApp::spawn().await;
    let t = app
        .create_tenant_with(json!({
            "slug": "lyon", "name": "Lyon", "template": "handmade",
            "fees": { "buyer_fee_bps": 250 }
        }))
        .await;
    assert_eq!(t["buyer_fee_bps"], 250);
    let plain = app.create_tenant("nice").await;
    assert_eq!(plain["buyer_fee_bps"], 0, "none by default");
    let id = id_of(&t);

    let r = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "fees": { "buyer_fee_bps": 300 } })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["buyer_fee_bps"], 300);
    let audit = audit_actions(&app, &id).await;
    assert_eq!(audit[0]["action"], "tenant.updated");
    assert_eq!(
        audit[0]["details"]["buyer_fee_bps"],
        json!({ "from": 250, "to": 300 })
    );

    for bad in [10_001, -1] {
        let r = app
            .control(
                Method::PATCH,
                &format!("/tenants/{id}"),
                Some(json!({ "fees": { "buyer_fee_bps": bad } })),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(r.body["field"], "fees.buyer_fee_bps");
    }
    let r = app
        .control(
            Method::POST,
            "/tenants",
            Some(json!({
                "slug": "paris", "name": "Paris", "template": "handmade",
                "fees": { "buyer_fee_bps": 20_000 }
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.body["field"], "fees.buyer_fee_bps");
    let after = app
        .control(Method::GET, &format!("/tenants/{id}"), None)
        .await;
    assert_eq!(
        after.body["buyer_fee_bps"], 300,
        "refused patches change nothing"
    );
}

// --- Against the local Stripe double (krafto_payments::testing) ---

const KEY: &str = StripeDouble::SECRET_KEY;

fn options(double: &StripeDouble) -> AppOptions {
    AppOptions {
        payments: PaymentSettings {
            stripe: Some(double.config(KEY)),
            webhook_secrets: vec![SecretString::from("whsec_control_double")],
            connect_webhook_secrets: vec![],
        },
        ..AppOptions::default()
    }
}

#[tokio::test]
async fn with_stripe_the_account_is_created_once_with_the_tenant_key_and_metadata() {
    let double = StripeDouble::start().await;
    let app = TestApp::spawn_with(options(&double)).await;
    let t = app
        .create_tenant_with(json!({
            "slug": "ferme", "name": "La Ferme", "template": "farm", "locale": "fr-FR"
        }))
        .await;
    let id = id_of(&t);
    assert_eq!(t["stripe"]["test_mode"], false);

    let r = app
        .control(Method::POST, &format!("/tenants/{id}/stripe/account"), None)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let account = r.body["account_id"].as_str().unwrap().to_owned();
    assert!(account.starts_with("acct_"), "{account}");
    assert_eq!(r.body["test_mode"], false);
    assert_eq!(r.body["ready"], false);
    assert!(
        !r.body["requirements"].as_array().unwrap().is_empty(),
        "what Stripe still needs is shown"
    );

    let requests = double.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    let req = &requests[0];
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", "/v1/accounts")
    );
    let idempotency_key = format!("tenant-account:{id}");
    assert_eq!(
        req.header("idempotency-key"),
        Some(idempotency_key.as_str())
    );
    assert_eq!(
        req.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(
        req.header("stripe-account"),
        None,
        "created by the platform account"
    );
    assert_eq!(
        req.metadata(),
        BTreeMap::from([
            ("tenant_id".to_owned(), id.clone()),
            ("tenant_slug".to_owned(), "ferme".to_owned()),
        ])
    );
    assert_eq!(req.field("type"), Some("express"));
    assert_eq!(req.field("country"), Some("FR"), "from the locale fr-FR");
    assert_eq!(req.field("email"), None);

    let again = app
        .control(Method::POST, &format!("/tenants/{id}/stripe/account"), None)
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body["account_id"], account.as_str());
    assert_eq!(double.requests().len(), 1, "Stripe is not called again");
    assert_eq!(routes(&app, &id).await.len(), 1);

    let link = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/stripe/account-link"),
            Some(json!({ "return_url": "https://ops.krafto.example/done" })),
        )
        .await;
    assert_eq!(link.status, StatusCode::OK, "{}", link.text);
    assert_eq!(link.body["account_id"], account.as_str());
    assert_eq!(link.body["test_mode"], false);
    assert!(
        link.body["url"].as_str().unwrap().starts_with("https://"),
        "{}",
        link.text
    );
    let requests = double.requests();
    let req = &requests[1];
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", "/v1/account_links")
    );
    assert_eq!(req.field("account"), Some(account.as_str()));
    assert_eq!(req.field("type"), Some("account_onboarding"));
    assert_eq!(
        req.field("return_url"),
        Some("https://ops.krafto.example/done")
    );
    assert_eq!(
        req.field("refresh_url"),
        Some("http://ferme.krafto.test"),
        "the storefront by default"
    );
}

#[tokio::test]
async fn a_stripe_refusal_is_422_and_an_outage_503_and_neither_records_an_account() {
    let double = StripeDouble::start_with(|req| match req.metadata().get("tenant_slug") {
        Some(slug) if slug == "refused" => Reply::error(
            400,
            "invalid_request_error",
            "Connect is not available in this country.",
        ),
        _ => Reply::error(500, "api_error", "Something went wrong."),
    })
    .await;
    let app = TestApp::spawn_with(options(&double)).await;
    for (slug, status, code) in [
        (
            "refused",
            StatusCode::UNPROCESSABLE_ENTITY,
            "stripe_refused",
        ),
        (
            "outage",
            StatusCode::SERVICE_UNAVAILABLE,
            "stripe_unavailable",
        ),
    ] {
        let id = id_of(&app.create_tenant(slug).await);
        let r = app
            .control(Method::POST, &format!("/tenants/{id}/stripe/account"), None)
            .await;
        assert_eq!(r.status, status, "{slug}: {}", r.text);
        assert_eq!(r.code(), code, "{slug}");
        assert_eq!(r.headers["content-type"], "application/problem+json");
        assert!(!r.text.contains(KEY), "the key never leaks");
        let s = app
            .control(Method::GET, &format!("/tenants/{id}/stripe"), None)
            .await;
        assert_eq!(s.body["account_id"], Value::Null, "{slug}");
        assert!(routes(&app, &id).await.is_empty(), "{slug}");
    }
    let refused = app.control(Method::GET, "/tenants?q=refused", None).await;
    assert_eq!(
        refused.body["items"][0]["stripe"]["account_id"],
        Value::Null
    );
}

#[tokio::test]
async fn with_stripe_the_console_list_says_which_marketplace_has_no_account_yet() {
    let double = StripeDouble::start().await;
    let app = TestApp::spawn_with(options(&double)).await;
    let t = app.create_tenant("lyon").await;
    let mut console = krafto_testkit::WebSession::control(&app);
    let r = console
        .post(
            "/sign-in",
            &[
                ("email", STAFF_EMAIL),
                ("password", krafto_testkit::STAFF_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let list = console.get("/").await;
    assert!(list.text.contains("<td>no account</td>"), "{}", list.text);
    assert!(!list.text.contains("test mode"), "{}", list.text);
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{}/stripe/account", id_of(&t)),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let list = console.get("/").await;
    assert!(list.text.contains("<td>onboarding</td>"), "{}", list.text);
}
