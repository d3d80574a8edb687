//! Payment provider callbacks: Stripe webhooks verified, de-duplicated and order-independent;
//! the Stripe gateway driven end to end against a local double; nothing lost across a crash.

use crate::catalog::{LYON, PARIS, listing_body, live_listing, live_seller, market};
use crate::commerce::{complete_payouts, payable_seller};
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use krafto_payments::PaymentSettings;
use krafto_payments::webhook::sign;
use krafto_testkit::{AppOptions, Reply, TestApp};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};

const SECRET_NEW: &str = "whsec_new_0123456789";
const SECRET_OLD: &str = "whsec_old_9876543210";

fn with_webhooks(mut payments: PaymentSettings) -> AppOptions {
    payments.webhook_secrets = vec![
        SecretString::from(SECRET_NEW.to_owned()),
        SecretString::from(SECRET_OLD.to_owned()),
    ];
    AppOptions {
        payments,
        ..AppOptions::default()
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.db.superuser().await;
    sql_query(sql)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .n
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Delivers an event as Stripe would, signed with `secret` at `t`.
async fn deliver(app: &TestApp, path: &str, event: &Value, secret: &str, t: i64) -> Reply {
    let body = event.to_string();
    let sig = sign(body.as_bytes(), secret, t);
    let resp = app
        .http
        .post(format!("http://{}{path}", app.platforms[0]))
        .header("stripe-signature", format!("t={t},v1={sig}"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    Reply {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }
}

fn payment_event(id: &str, kind: &str, created: i64, tenant: &str, checkout: &str) -> Value {
    json!({
        "id": id, "object": "event", "type": kind, "created": created, "livemode": false,
        "data": { "object": {
            "id": "pi_x", "object": "payment_intent",
            "metadata": { "tenant_id": tenant, "checkout_id": checkout },
            "last_payment_error": if kind.ends_with("failed") { json!({ "message": "Your card has insufficient funds." }) } else { Value::Null }
        } }
    })
}

fn account_event(id: &str, created: i64, account: &str, enabled: bool) -> Value {
    json!({
        "id": id, "object": "event", "type": "account.updated", "created": created, "account": account,
        "data": { "object": {
            "id": account, "object": "account", "charges_enabled": enabled, "payouts_enabled": enabled,
            "details_submitted": true,
            "requirements": { "currently_due": if enabled { json!([]) } else { json!(["external_account"]) } }
        } }
    })
}

async fn guest_checkout(app: &TestApp, host: &str, listing: &str, key: &str) -> Value {
    let cart = app
        .store(
            Method::POST,
            host,
            "/api/v1/store/cart/lines",
            None,
            Some(json!({ "listing_id": listing, "quantity": 1 })),
        )
        .await;
    assert_eq!(cart.status, StatusCode::OK, "{}", cart.text);
    let token = cart.body["cart_token"].as_str().unwrap();
    let co = app
        .store_with(
            Method::POST,
            host,
            "/api/v1/store/checkout",
            None,
            &[("x-cart-token", token), ("idempotency-key", key)],
            Some(json!({ "email": "ada@example.com", "phone": "+33612345678",
                         "address": { "name": "Ada", "line1": "1 rue", "postal_code": "69001", "city": "Lyon", "country": "FR" } })),
        )
        .await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    co.body
}

#[tokio::test]
async fn a_payment_webhook_delivered_five_times_and_out_of_order_is_applied_once() {
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings::default())).await;
    let m = market(&app, "lyon", false).await;
    let s = payable_seller(&app, LYON, &m, "s@lyon.example", "Atelier", 500, 0).await;
    let listing = live_listing(&app, LYON, &s.token, listing_body("Bol", 3000)).await;
    let co = guest_checkout(&app, LYON, &listing, "k1").await;
    let checkout = co["id"].as_str().unwrap();
    let t = now();
    let succeeded = payment_event("evt_paid", "payment_intent.succeeded", t, &m.id, checkout);
    let deliveries = futures_util::future::join_all(
        (0..5).map(|_| deliver(&app, "/webhooks/stripe", &succeeded, SECRET_NEW, t)),
    )
    .await;
    for d in &deliveries {
        assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    }
    let applied = deliveries
        .iter()
        .filter(|d| d.body["outcome"] == "applied")
        .count();
    assert!(
        applied >= 1,
        "{:?}",
        deliveries.iter().map(|d| &d.text).collect::<Vec<_>>()
    );
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 1);
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM webhook_events").await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(DISTINCT journal_id) AS n FROM ledger_entries"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM outbox WHERE kind = 'payment.transfer'"
        )
        .await,
        1
    );
    // An older failure arriving late changes nothing: still paid, the stock still sold.
    let failed = payment_event(
        "evt_failed_earlier",
        "payment_intent.payment_failed",
        t - 60,
        &m.id,
        checkout,
    );
    let late = deliver(&app, "/webhooks/stripe", &failed, SECRET_NEW, t).await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.text);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM checkouts WHERE status = 'paid'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        2
    );
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 1);
}

#[tokio::test]
async fn a_failure_then_a_success_for_the_same_payment_ends_paid_with_the_stock_taken_again() {
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings::default())).await;
    let m = market(&app, "lyon", false).await;
    let s = payable_seller(&app, LYON, &m, "s@lyon.example", "Atelier", 500, 0).await;
    let listing = live_listing(&app, LYON, &s.token, listing_body("Bol", 3000)).await;
    let co = guest_checkout(&app, LYON, &listing, "k1").await;
    let checkout = co["id"].as_str().unwrap();
    let t = now();
    deliver(
        &app,
        "/webhooks/stripe",
        &payment_event(
            "evt_1",
            "payment_intent.payment_failed",
            t - 5,
            &m.id,
            checkout,
        ),
        SECRET_NEW,
        t,
    )
    .await;
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        3,
        "released on failure"
    );
    deliver(
        &app,
        "/webhooks/stripe",
        &payment_event("evt_2", "payment_intent.succeeded", t, &m.id, checkout),
        SECRET_NEW,
        t,
    )
    .await;
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 1);
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        2,
        "taken again on success"
    );
}

#[tokio::test]
async fn webhooks_need_a_fresh_valid_signature_under_a_current_secret() {
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings::default())).await;
    let m = market(&app, "lyon", false).await;
    let s = payable_seller(&app, LYON, &m, "s@lyon.example", "Atelier", 500, 0).await;
    let listing = live_listing(&app, LYON, &s.token, listing_body("Bol", 3000)).await;
    let co = guest_checkout(&app, LYON, &listing, "k1").await;
    let event = payment_event(
        "evt_sig",
        "payment_intent.succeeded",
        now(),
        &m.id,
        co["id"].as_str().unwrap(),
    );
    let forged = deliver(&app, "/webhooks/stripe", &event, "whsec_attacker", now()).await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert_eq!(forged.body["code"], "bad_signature");
    let stale = deliver(&app, "/webhooks/stripe", &event, SECRET_NEW, now() - 3600).await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    let unsigned = app
        .http
        .post(format!("http://{}/webhooks/stripe", app.platforms[0]))
        .body(event.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM orders").await,
        0,
        "nothing applied"
    );
    // During a rotation the old secret still signs valid deliveries.
    let rotated = deliver(&app, "/webhooks/stripe", &event, SECRET_OLD, now()).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.text);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 1);
    // Without configured secrets the endpoint refuses everything.
    let plain = TestApp::spawn().await;
    let r = deliver(&plain, "/webhooks/stripe", &event, SECRET_NEW, now()).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn account_updates_keep_seller_readiness_current_whatever_the_delivery_order() {
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings::default())).await;
    let m = market(&app, "lyon", false).await;
    let (token, _) = live_seller(&app, LYON, &m, "s@lyon.example", "Atelier").await;
    complete_payouts(&app, LYON, &token).await;
    let status = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/status",
            Some(&token),
            None,
        )
        .await;
    let account = status.body["account_id"].as_str().unwrap().to_owned();
    let t = now() + 10;
    // Stripe disables the account (newer), then an older "enabled" update arrives late.
    let newer = account_event("evt_acct_2", t, &account, false);
    let older = account_event("evt_acct_1", t - 5, &account, true);
    for _ in 0..3 {
        assert_eq!(
            deliver(&app, "/webhooks/stripe/connect", &newer, SECRET_NEW, now())
                .await
                .status,
            StatusCode::OK
        );
    }
    assert_eq!(
        deliver(&app, "/webhooks/stripe/connect", &older, SECRET_NEW, now())
            .await
            .status,
        StatusCode::OK
    );
    let status = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/status",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status.body["ready"], false, "{}", status.text);
    assert_eq!(status.body["requirements"], json!(["external_account"]));
    let listing = live_listing(&app, LYON, &token, listing_body("Bol", 3000)).await;
    let page = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{listing}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.body["purchasable"], false);
    // An account nobody here knows is acknowledged and ignored.
    let stranger = deliver(
        &app,
        "/webhooks/stripe/connect",
        &account_event("evt_x", t, "acct_unknown", true),
        SECRET_NEW,
        now(),
    )
    .await;
    assert_eq!(stranger.body["outcome"], "ignored");
}

#[tokio::test]
async fn a_webhook_naming_another_marketplace_never_touches_this_one() {
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings::default())).await;
    let lyon = market(&app, "lyon", false).await;
    let paris = market(&app, "paris", false).await;
    let s = payable_seller(&app, LYON, &lyon, "s@lyon.example", "Atelier", 500, 0).await;
    let listing = live_listing(&app, LYON, &s.token, listing_body("Bol", 3000)).await;
    let co = guest_checkout(&app, LYON, &listing, "k1").await;
    let checkout = co["id"].as_str().unwrap();
    // Paris's id with Lyon's checkout: routed to Paris, where that checkout does not exist.
    let crossed = deliver(
        &app,
        "/webhooks/stripe",
        &payment_event(
            "evt_c",
            "payment_intent.succeeded",
            now(),
            &paris.id,
            checkout,
        ),
        SECRET_NEW,
        now(),
    )
    .await;
    assert_eq!(crossed.status, StatusCode::OK);
    assert_eq!(crossed.body["outcome"], "ignored");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 0);
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM webhook_events").await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM checkouts WHERE status = 'awaiting_payment'"
        )
        .await,
        1
    );
    // The Host header plays no part: a delivery sent to Paris's host still maps by metadata.
    let body = payment_event(
        "evt_h",
        "payment_intent.succeeded",
        now(),
        &lyon.id,
        checkout,
    )
    .to_string();
    let t = now();
    let r = app
        .http
        .post(format!("http://{}/webhooks/stripe", app.platforms[0]))
        .header("host", PARIS)
        .header(
            "stripe-signature",
            format!("t={t},v1={}", sign(body.as_bytes(), SECRET_NEW, t)),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM orders WHERE tenant_id = '{}'",
                lyon.id
            )
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM webhook_events WHERE tenant_id = '{}'",
                lyon.id
            )
        )
        .await,
        1
    );
}
