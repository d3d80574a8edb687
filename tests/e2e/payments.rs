//! Payment provider callbacks: Stripe webhooks verified, de-duplicated and order-independent;
//! the Stripe gateway driven end to end against a local double; nothing lost across a crash.

use crate::catalog::{LYON, PARIS, listing_body, live_listing, live_seller, market};
use crate::commerce::{complete_payouts, count, payable_seller};
use diesel::sql_query;
use diesel_async::RunQueryDsl;
use krafto_payments::PaymentSettings;
use krafto_payments::webhook::sign;
use krafto_testkit::{AppOptions, Reply, TestApp};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{Value, json};

pub(crate) const SECRET_NEW: &str = "whsec_new_0123456789";
const SECRET_OLD: &str = "whsec_old_9876543210";

pub(crate) fn with_webhooks(mut payments: PaymentSettings) -> AppOptions {
    payments.webhook_secrets = vec![
        SecretString::from(SECRET_NEW.to_owned()),
        SecretString::from(SECRET_OLD.to_owned()),
    ];
    AppOptions {
        payments,
        ..AppOptions::default()
    }
}

pub(crate) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Delivers an event as Stripe would, signed with `secret` at `t`.
pub(crate) async fn deliver(
    app: &TestApp,
    path: &str,
    event: &Value,
    secret: &str,
    t: i64,
) -> Reply {
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
    Reply::from_response(resp).await
}

pub(crate) fn payment_event(
    id: &str,
    kind: &str,
    created: i64,
    tenant: &str,
    checkout: &str,
) -> Value {
    json!({
        "id": id, "object": "event", "type": kind, "created": created, "livemode": false,
        "data": { "object": {
            "id": "pi_x", "object": "payment_intent",
            "metadata": { "tenant_id": tenant, "checkout_id": checkout },
            "last_payment_error": if kind.ends_with("failed") { json!({ "message": "Your card has insufficient funds." }) } else { Value::Null }
        } }
    })
}

pub(crate) fn account_event(id: &str, created: i64, account: &str, enabled: bool) -> Value {
    json!({
        "id": id, "object": "event", "type": "account.updated", "created": created, "account": account,
        "data": { "object": {
            "id": account, "object": "account", "charges_enabled": enabled, "payouts_enabled": enabled,
            "details_submitted": true,
            "requirements": { "currently_due": if enabled { json!([]) } else { json!(["external_account"]) } }
        } }
    })
}

pub(crate) async fn guest_checkout(app: &TestApp, host: &str, listing: &str, key: &str) -> Value {
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

/// The Stripe gateway end to end against a local double: the exact requests we send, and a
/// "crash" after Stripe made a transfer but before we recorded it, recovered by a restarted
/// worker without paying anyone twice.
#[tokio::test]
async fn with_stripe_a_crash_between_payment_and_transfers_loses_nothing_and_pays_once() {
    use krafto_payments::testing::StripeDouble;
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let m = market(&app, "lyon", false).await;
    let (seller, shop) = live_seller(&app, LYON, &m, "s@lyon.example", "Atelier").await;
    let shop_id = shop["id"].as_str().unwrap();

    // Seller onboarding creates one Express account, whatever the retries.
    let link = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/payouts/onboarding",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(link.status, StatusCode::OK, "{}", link.text);
    assert_eq!(link.body["test_mode"], false);
    let again = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/payouts/onboarding",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(again.body["account_id"], link.body["account_id"]);
    assert_eq!(stripe.created("/v1/accounts"), 1);
    let create = &stripe.requests_to("/v1/accounts")[0];
    assert_eq!(create.field("type"), Some("express"));
    assert_eq!(
        create.header("idempotency-key"),
        Some(format!("seller-account:{}:{shop_id}", m.id).as_str())
    );
    assert_eq!(
        create.metadata().get("shop_id").map(String::as_str),
        Some(shop_id)
    );
    assert_eq!(
        stripe.requests_to("/v1/account_links").len(),
        2,
        "a fresh link each time"
    );
    let account = link.body["account_id"].as_str().unwrap().to_owned();
    // Stripe reports the account ready.
    let ready = deliver(
        &app,
        "/webhooks/stripe/connect",
        &account_event("evt_ready", now(), &account, true),
        SECRET_NEW,
        now(),
    )
    .await;
    assert_eq!(ready.body["outcome"], "applied", "{}", ready.text);
    app.store(
        Method::PUT,
        LYON,
        "/api/v1/seller/shipping-options",
        Some(&seller),
        Some(json!([{ "name": "Post", "base_minor": 500, "days_min": 1, "days_max": 3 }])),
    )
    .await;
    // The marketplace has its Connect account too, ready to be paid.
    let mut conn = app.db.superuser().await;
    sql_query(format!(
        "UPDATE tenants SET stripe_account_id = 'acct_1Market', stripe_charges_enabled = true, stripe_payouts_enabled = true WHERE id = '{}'",
        m.id
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    sql_query(format!("INSERT INTO payment_accounts (account_id, tenant_id, holder) VALUES ('acct_1Market', '{}', 'tenant')", m.id)).execute(&mut conn).await.unwrap();

    let listing = live_listing(&app, LYON, &seller, listing_body("Bol", 3000)).await;
    let co = guest_checkout(&app, LYON, &listing, "pay-1").await;
    let checkout = co["id"].as_str().unwrap().to_owned();
    assert_eq!(co["gateway"], "stripe");
    assert_eq!(co["test_mode"], false);
    let pi = stripe.requests_to("/v1/payment_intents");
    assert_eq!(pi.len(), 1);
    assert_eq!(pi[0].field("amount"), Some("3500"));
    assert_eq!(pi[0].field("currency"), Some("eur"));
    assert_eq!(pi[0].field("transfer_group"), Some(checkout.as_str()));
    assert_eq!(
        pi[0].header("idempotency-key"),
        Some(format!("checkout:{checkout}").as_str())
    );
    assert_eq!(pi[0].metadata().get("tenant_id"), Some(&m.id));
    assert_eq!(pi[0].header("stripe-account"), None);
    // The test-mode confirm call does not exist with real payments.
    let refused = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/store/checkout/{checkout}/test-payment"),
            None,
            Some(json!({ "client_secret": co["payment"]["client_secret"], "outcome": "succeed" })),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    // Payment succeeds (Stripe names its charge); the process "dies" before any transfer
    // is made.
    let pi_id = co["payment"]["id"].as_str().unwrap().to_owned();
    let succeeded = stripe
        .payment_succeeded_event(&pi_id, "evt_pi_ok", now())
        .unwrap();
    let charge = succeeded["data"]["object"]["latest_charge"]
        .as_str()
        .unwrap()
        .to_owned();
    let paid = deliver(&app, "/webhooks/stripe", &succeeded, SECRET_NEW, now()).await;
    assert_eq!(paid.body["outcome"], "applied", "{}", paid.text);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE status = 'pending'"
        )
        .await,
        2
    );
    assert_eq!(stripe.requests_to("/v1/transfers").len(), 0);

    // The first worker reaches Stripe, which makes a transfer, but never hears back.
    stripe.fail_first_response("/v1/transfers");
    let first = app.worker().await;
    first.run_once().await.unwrap();
    drop(first);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE status = 'sent'"
        )
        .await,
        1
    );
    // A restarted worker finishes the job with the same idempotency key.
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE status = 'sent'"
        )
        .await,
        2
    );
    assert_eq!(
        stripe.created("/v1/transfers"),
        2,
        "one transfer per recipient"
    );
    let sent = stripe.requests_to("/v1/transfers");
    assert_eq!(sent.len(), 3, "one retried call");
    let seller_key = format!("transfer:{checkout}:seller:{shop_id}");
    let tenant_key = format!("transfer:{checkout}:tenant");
    for r in &sent {
        let key = r.header("idempotency-key").unwrap();
        assert!(key == seller_key || key == tenant_key, "{key}");
        assert_eq!(r.field("currency"), Some("eur"));
        assert_eq!(r.field("transfer_group"), Some(checkout.as_str()));
        assert_eq!(r.field("source_transaction"), Some(charge.as_str()));
        assert_eq!(r.header("stripe-account"), None);
        let expected_destination = if key == seller_key {
            account.as_str()
        } else {
            "acct_1Market"
        };
        assert_eq!(r.field("destination"), Some(expected_destination));
    }
    let seller_amount: i64 = sent
        .iter()
        .find(|r| r.header("idempotency-key") == Some(&seller_key))
        .unwrap()
        .field("amount")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(seller_amount, count(&app, &format!("SELECT -sum(amount_minor)::bigint AS n FROM ledger_entries WHERE account = 'seller:{shop_id}' AND kind IN ('sale', 'shipping')")).await);
    let tenant_amount: i64 = sent
        .iter()
        .find(|r| r.header("idempotency-key") == Some(&tenant_key))
        .unwrap()
        .field("amount")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(tenant_amount, count(&app, "SELECT -sum(amount_minor)::bigint AS n FROM ledger_entries WHERE account = 'tenant' AND kind <> 'transfer'").await);
    // Recorded once each, and the ledger still balances with nothing left in clearing but
    // Krafto's fee.
    assert_eq!(
        count(
            &app,
            "SELECT count(DISTINCT journal_id) AS n FROM ledger_entries WHERE kind = 'transfer'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT sum(amount_minor)::bigint AS n FROM ledger_entries WHERE account = 'clearing'"
        )
        .await,
        count(
            &app,
            "SELECT -sum(amount_minor)::bigint AS n FROM ledger_entries WHERE account = 'platform'"
        )
        .await
    );
}

#[tokio::test]
async fn an_unpaid_checkout_gives_its_stock_back_when_the_hold_ends() {
    let app = TestApp::spawn_with(AppOptions {
        checkout_hold: Some(std::time::Duration::from_secs(1)),
        ..with_webhooks(PaymentSettings::default())
    })
    .await;
    let m = market(&app, "lyon", false).await;
    let s = payable_seller(&app, LYON, &m, "s@lyon.example", "Atelier", 500, 0).await;
    let listing = live_listing(&app, LYON, &s.token, listing_body("Bol", 3000)).await;
    let co = guest_checkout(&app, LYON, &listing, "k1").await;
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        2
    );
    // Before the hold ends the worker leaves it alone.
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM checkouts WHERE status = 'awaiting_payment'"
        )
        .await,
        1
    );
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM checkouts WHERE status = 'failed'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        3
    );
    // The payment arrives after all, and the stock is still there: the sale goes through.
    let t = now();
    let late = deliver(
        &app,
        "/webhooks/stripe",
        &payment_event(
            "evt_late",
            "payment_intent.succeeded",
            t,
            &m.id,
            co["id"].as_str().unwrap(),
        ),
        SECRET_NEW,
        t,
    )
    .await;
    assert_eq!(late.body["outcome"], "applied");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 1);
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        2
    );
}

#[tokio::test]
async fn a_payment_arriving_after_its_stock_was_sold_is_refunded_in_full() {
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings::default())).await;
    let m = market(&app, "lyon", false).await;
    let s = payable_seller(&app, LYON, &m, "s@lyon.example", "Atelier", 500, 0).await;
    let mut body = listing_body("Pièce unique", 9000);
    body["quantity"] = json!(1);
    let listing = live_listing(&app, LYON, &s.token, body).await;
    let first = guest_checkout(&app, LYON, &listing, "k1").await;
    let t = now();
    // The first buyer's payment fails; a second buyer takes the piece and pays.
    deliver(
        &app,
        "/webhooks/stripe",
        &payment_event(
            "evt_f",
            "payment_intent.payment_failed",
            t - 10,
            &m.id,
            first["id"].as_str().unwrap(),
        ),
        SECRET_NEW,
        t,
    )
    .await;
    let second = guest_checkout(&app, LYON, &listing, "k2").await;
    deliver(
        &app,
        "/webhooks/stripe",
        &payment_event(
            "evt_s2",
            "payment_intent.succeeded",
            t - 5,
            &m.id,
            second["id"].as_str().unwrap(),
        ),
        SECRET_NEW,
        t,
    )
    .await;
    // Then the first buyer's bank succeeds after all: nothing left to sell them.
    let late = deliver(
        &app,
        "/webhooks/stripe",
        &payment_event(
            "evt_s1",
            "payment_intent.succeeded",
            t,
            &m.id,
            first["id"].as_str().unwrap(),
        ),
        SECRET_NEW,
        t,
    )
    .await;
    assert_eq!(late.body["outcome"], "applied", "{}", late.text);
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM orders").await,
        1,
        "never oversold"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM checkouts WHERE status = 'refund_due'"
        )
        .await,
        1
    );
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM refunds WHERE status = 'sent' AND amount_minor = 9500"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        0
    );
}
