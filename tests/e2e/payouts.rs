//! When sellers are paid: transfers funded by the checkout's charge, the marketplace's payout
//! timing (at payment, at shipping, some days after delivery) holding and releasing sellers'
//! transfers exactly once, the marketplace's share swept once per currency when its Connect
//! account becomes ready, and the timing setting itself (validation, isolation).

use crate::catalog::{LYON, Market, PARIS, listing_body, live_listing, live_seller, market};
use crate::commerce::{Seller, count, payable_seller};
use crate::payments::{
    SECRET_NEW, account_event, deliver, guest_checkout, now, payment_event, with_webhooks,
};
use diesel::sql_types::Text;
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use krafto_payments::testing::StripeDouble;
use krafto_payments::{PaymentSettings, TestGateway};
use krafto_testkit::{TestApp, WebSession};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    t: String,
}

/// One text value read as the superuser (`SELECT … AS t`).
async fn text(app: &TestApp, sql: &str) -> String {
    let mut conn = app.db.superuser().await;
    sql_query(sql).get_result::<Row>(&mut conn).await.unwrap().t
}

async fn exec(app: &TestApp, sql: &str) {
    let mut conn = app.db.superuser().await;
    sql_query(sql).execute(&mut conn).await.unwrap();
}

/// The marketplace gets a Connect account, ready or not (as the control plane records it).
async fn marketplace_account(app: &TestApp, m: &Market, account: &str, ready: bool) {
    exec(
        app,
        &format!(
            "UPDATE tenants SET stripe_account_id = '{account}', stripe_charges_enabled = {ready}, \
             stripe_payouts_enabled = {ready} WHERE id = '{}'",
            m.id
        ),
    )
    .await;
    exec(
        app,
        &format!(
            "INSERT INTO payment_accounts (account_id, tenant_id, holder) VALUES ('{account}', '{}', 'tenant')",
            m.id
        ),
    )
    .await;
}

async fn set_timing(app: &TestApp, host: &str, m: &Market, body: Value) -> krafto_testkit::Reply {
    app.store(
        Method::PATCH,
        host,
        "/api/v1/admin/settings",
        Some(&m.operator),
        Some(body),
    )
    .await
}

/// Pays a guest checkout of one `listing` through a `payment_intent.succeeded` webhook (the
/// test gateway); returns the checkout.
async fn paid_checkout(app: &TestApp, m: &Market, listing: &str, key: &str) -> Value {
    let co = guest_checkout(app, LYON, listing, key).await;
    let checkout = co["id"].as_str().unwrap();
    let paid = deliver(
        app,
        "/webhooks/stripe",
        &payment_event(
            &format!("evt_{key}"),
            "payment_intent.succeeded",
            now(),
            &m.id,
            checkout,
        ),
        SECRET_NEW,
        now(),
    )
    .await;
    assert_eq!(paid.body["outcome"], "applied", "{}", paid.text);
    co
}

async fn order_of(app: &TestApp, checkout: &str) -> String {
    text(
        app,
        &format!("SELECT number AS t FROM orders WHERE checkout_id = '{checkout}'"),
    )
    .await
}

async fn move_order(app: &TestApp, seller: &Seller, number: &str, action: &str) {
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/orders/{number}/{action}"),
            Some(&seller.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.text);
}

async fn transfers(app: &TestApp, status: &str) -> i64 {
    count(
        app,
        &format!("SELECT count(*) AS n FROM transfers WHERE status = '{status}'"),
    )
    .await
}

async fn assert_ledger_balances(app: &TestApp) {
    assert_eq!(
        count(
            app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries"
        )
        .await,
        0,
        "the ledger sums to zero"
    );
}

async fn balance(app: &TestApp, seller: &Seller) -> Value {
    let b = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/balance",
            Some(&seller.token),
            None,
        )
        .await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.text);
    b.body
}

/// A marketplace (with its ready account) and a payable seller with a listing, in test mode.
async fn lyon_selling(app: &TestApp) -> (Market, Seller, String) {
    let m = market(app, "lyon", false).await;
    marketplace_account(app, &m, "acct_1Market", true).await;
    let s = payable_seller(app, LYON, &m, "s@lyon.example", "Atelier", 500, 0).await;
    let listing = live_listing(app, LYON, &s.token, listing_body("Bol", 3000)).await;
    (m, s, listing)
}

#[tokio::test]
async fn with_stripe_every_transfer_of_a_checkout_names_its_charge_as_the_source() {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let m = market(&app, "lyon", false).await;
    let (seller, _) = live_seller(&app, LYON, &m, "s@lyon.example", "Atelier").await;
    let link = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/payouts/onboarding",
            Some(&seller),
            None,
        )
        .await;
    let account = link.body["account_id"].as_str().unwrap().to_owned();
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
    marketplace_account(&app, &m, "acct_1Market", true).await;
    let listing = live_listing(&app, LYON, &seller, listing_body("Bol", 3000)).await;
    let co = guest_checkout(&app, LYON, &listing, "pay-1").await;
    let checkout = co["id"].as_str().unwrap().to_owned();
    let event = stripe
        .payment_succeeded_event(co["payment"]["id"].as_str().unwrap(), "evt_pi", now())
        .unwrap();
    let charge = event["data"]["object"]["latest_charge"]
        .as_str()
        .unwrap()
        .to_owned();
    // Delivered twice: the charge is recorded once, with the sale.
    for _ in 0..2 {
        let r = deliver(&app, "/webhooks/stripe", &event, SECRET_NEW, now()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    assert_eq!(
        text(
            &app,
            &format!("SELECT charge_id AS t FROM checkouts WHERE id = '{checkout}'")
        )
        .await,
        charge
    );
    // Paid at payment (the default): both transfers are due at once.
    assert_eq!(transfers(&app, "pending").await, 2);
    app.drain_outbox().await;
    let sent = stripe.requests_to("/v1/transfers");
    assert_eq!(sent.len(), 2, "one transfer per recipient");
    for r in &sent {
        assert_eq!(
            r.field("source_transaction"),
            Some(charge.as_str()),
            "{r:?}"
        );
        assert_eq!(r.field("transfer_group"), Some(checkout.as_str()));
    }
    assert_eq!(transfers(&app, "sent").await, 2);
    assert_ledger_balances(&app).await;
}

#[tokio::test]
async fn paid_at_shipping_the_sellers_transfer_waits_for_the_shipment_then_is_sent_once() {
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings::default())).await;
    let (m, s, listing) = lyon_selling(&app).await;
    let r = set_timing(&app, LYON, &m, json!({ "payout_timing": "at_shipping" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payout_timing"], "at_shipping");
    let co = paid_checkout(&app, &m, &listing, "k1").await;
    let checkout = co["id"].as_str().unwrap();
    // The test gateway names a made-up charge, the same for the same payment.
    assert_eq!(
        text(
            &app,
            &format!("SELECT charge_id AS t FROM checkouts WHERE id = '{checkout}'")
        )
        .await,
        TestGateway::charge_of(co["payment"]["id"].as_str().unwrap())
    );
    // Held: the seller's and the marketplace's share with it; nothing queued, nothing sent.
    assert_eq!(transfers(&app, "held").await, 2);
    app.drain_outbox().await;
    assert_eq!(transfers(&app, "held").await, 2);
    assert_eq!(transfers(&app, "sent").await, 0);
    let b = balance(&app, &s).await;
    assert!(b["held_minor"].as_i64().unwrap() > 0, "{b}");
    assert_eq!(b["held_minor"], b["earned_minor"], "all of it held: {b}");
    assert_eq!(b["held"][0]["waiting_for"], "shipping", "{b}");
    let number = order_of(&app, checkout).await;
    assert_eq!(b["held"][0]["order_number"], number.as_str());
    let mut page = WebSession::storefront(&app, LYON, Some(&s.token));
    let shown = page.get("/sell/payouts").await;
    assert!(
        shown
            .text
            .contains(&format!("for order {number}: paid when you ship it")),
        "{}",
        shown.text
    );

    // Accepting pays nothing; shipping releases the seller, and the marketplace with it.
    move_order(&app, &s, &number, "accept").await;
    app.drain_outbox().await;
    assert_eq!(transfers(&app, "sent").await, 0);
    move_order(&app, &s, &number, "ship").await;
    assert_eq!(transfers(&app, "pending").await, 2);
    app.drain_outbox().await;
    move_order(&app, &s, &number, "deliver").await;
    app.drain_outbox().await;
    assert_eq!(transfers(&app, "sent").await, 2);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM outbox WHERE kind = 'payment.transfer'"
        )
        .await,
        2,
        "each transfer queued once"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(DISTINCT journal_id) AS n FROM ledger_entries WHERE kind = 'transfer'"
        )
        .await,
        2
    );
    let b = balance(&app, &s).await;
    assert_eq!(b["held_minor"], 0, "{b}");
    assert_eq!(
        b["transferred_minor"], b["earned_minor"],
        "all of it paid: {b}"
    );
    assert_ledger_balances(&app).await;
}

#[tokio::test]
async fn paid_after_delivery_the_transfer_waits_until_its_due_date_however_it_is_released() {
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings::default())).await;
    let (m, s, listing) = lyon_selling(&app).await;
    let r = set_timing(
        &app,
        LYON,
        &m,
        json!({ "payout_timing": "after_delivery", "payout_delay_days": 3 }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let first = paid_checkout(&app, &m, &listing, "k1").await;
    let second = paid_checkout(&app, &m, &listing, "k2").await;
    let (first, second) = (
        first["id"].as_str().unwrap().to_owned(),
        second["id"].as_str().unwrap().to_owned(),
    );
    let (n1, n2) = (order_of(&app, &first).await, order_of(&app, &second).await);
    for n in [&n1, &n2] {
        move_order(&app, &s, n, "accept").await;
        move_order(&app, &s, n, "ship").await;
    }
    // Shipped is not enough.
    app.drain_outbox().await;
    assert_eq!(transfers(&app, "held").await, 4);
    let b = balance(&app, &s).await;
    assert_eq!(b["held"][0]["waiting_for"], "delivery", "{b}");
    for n in [&n1, &n2] {
        move_order(&app, &s, n, "deliver").await;
    }
    // Delivered: due in 3 days, with a release job queued for then.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE status = 'held' AND release_at \
             BETWEEN now() + interval '3 days' - interval '5 minutes' AND now() + interval '3 days'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM outbox o JOIN transfers t ON t.id = (o.payload->>'transfer_id')::uuid \
             WHERE o.kind = 'payment.release' AND o.run_after = t.release_at"
        )
        .await,
        2
    );
    app.drain_outbox().await;
    assert_eq!(transfers(&app, "sent").await, 0, "not due yet");
    let b = balance(&app, &s).await;
    assert_eq!(b["held"][0]["waiting_for"], "due_date", "{b}");
    assert!(b["held"][0]["due_at"].is_string(), "{b}");
    let mut page = WebSession::storefront(&app, LYON, Some(&s.token));
    let shown = page.get("/sell/payouts").await;
    assert!(
        shown.text.contains(&format!("for order {n1}: paid on ")),
        "{}",
        shown.text
    );

    // The periodic pass, run as if four days had passed, releases what is due: the first
    // checkout's transfers (the second is made not due by moving its date later).
    exec(
        &app,
        &format!(
            "UPDATE transfers SET release_at = now() + interval '30 days' WHERE checkout_id = '{second}' AND status = 'held'"
        ),
    )
    .await;
    let state = platform::AppState::from_settings(&app.settings)
        .await
        .unwrap();
    let in_four_days = chrono::Utc::now() + chrono::Duration::days(4);
    let pass = platform::worker::payouts_pass(&state, in_four_days)
        .await
        .unwrap();
    assert_eq!(pass.released, 1, "the first checkout's seller");
    let again = platform::worker::payouts_pass(&state, in_four_days)
        .await
        .unwrap();
    assert_eq!(again.released, 0, "released once");
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM transfers WHERE status = 'sent' AND checkout_id = '{first}'"
            )
        )
        .await,
        2,
        "the seller and the marketplace's share"
    );
    assert_eq!(transfers(&app, "held").await, 2);

    // The second checkout's own release job, once its date has come (time driven by SQL).
    exec(
        &app,
        &format!(
            "UPDATE transfers SET release_at = now() - interval '1 minute' WHERE checkout_id = '{second}' AND release_at IS NOT NULL"
        ),
    )
    .await;
    exec(
        &app,
        "UPDATE outbox SET run_after = now() - interval '1 minute', status = 'pending' WHERE kind = 'payment.release'",
    )
    .await;
    app.drain_outbox().await;
    app.drain_outbox().await;
    assert_eq!(transfers(&app, "sent").await, 4);
    assert_eq!(transfers(&app, "held").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM outbox WHERE kind = 'payment.transfer'"
        )
        .await,
        4,
        "each transfer queued once, however often the releases ran"
    );
    assert_ledger_balances(&app).await;
}

#[tokio::test]
async fn the_marketplaces_share_owed_before_its_account_was_ready_is_swept_once_per_currency() {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let m = market(&app, "lyon", false).await;
    let (seller, _) = live_seller(&app, LYON, &m, "s@lyon.example", "Atelier").await;
    let link = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/payouts/onboarding",
            Some(&seller),
            None,
        )
        .await;
    let account = link.body["account_id"].as_str().unwrap().to_owned();
    deliver(
        &app,
        "/webhooks/stripe/connect",
        &account_event("evt_seller_ready", now(), &account, true),
        SECRET_NEW,
        now(),
    )
    .await;
    app.store(
        Method::PUT,
        LYON,
        "/api/v1/seller/shipping-options",
        Some(&seller),
        Some(json!([{ "name": "Post", "base_minor": 500, "days_min": 1, "days_max": 3 }])),
    )
    .await;
    // The marketplace has an account that is not ready yet.
    marketplace_account(&app, &m, "acct_1Market", false).await;
    let listing = live_listing(&app, LYON, &seller, listing_body("Bol", 3000)).await;
    let mut checkouts = Vec::new();
    for key in ["k1", "k2", "k3"] {
        let co = guest_checkout(&app, LYON, &listing, key).await;
        let event = stripe
            .payment_succeeded_event(
                co["payment"]["id"].as_str().unwrap(),
                &format!("evt_{key}"),
                now(),
            )
            .unwrap();
        let r = deliver(&app, "/webhooks/stripe", &event, SECRET_NEW, now()).await;
        assert_eq!(r.body["outcome"], "applied", "{}", r.text);
        checkouts.push(co["id"].as_str().unwrap().to_owned());
    }
    app.drain_outbox().await;
    // Sellers are paid; the marketplace's share stays owed in the ledger.
    assert_eq!(stripe.requests_to("/v1/transfers").len(), 3);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE recipient = 'tenant'"
        )
        .await,
        0
    );
    // One sale was in another currency (as a marketplace selling in two would have).
    exec(
        &app,
        &format!(
            "UPDATE ledger_entries SET currency = 'CHF' WHERE checkout_id = '{}'",
            checkouts[2]
        ),
    )
    .await;
    let owed = |currency: &'static str| {
        let app = &app;
        async move {
            count(
                app,
                &format!(
                    "SELECT (-sum(amount_minor))::bigint AS n FROM ledger_entries WHERE account = 'tenant' AND currency = '{currency}'"
                ),
            )
            .await
        }
    };
    let (owed_eur, owed_chf) = (owed("EUR").await, owed("CHF").await);
    assert!(owed_eur > 0 && owed_chf > 0 && owed_eur == 2 * owed_chf);

    // Stripe reports the account ready, twice (and a newer report again later).
    let ready = account_event("evt_market_ready", now(), "acct_1Market", true);
    for _ in 0..2 {
        let r = deliver(&app, "/webhooks/stripe/connect", &ready, SECRET_NEW, now()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    app.drain_outbox().await;
    let again = account_event("evt_market_ready_2", now() + 1, "acct_1Market", true);
    deliver(&app, "/webhooks/stripe/connect", &again, SECRET_NEW, now()).await;
    app.drain_outbox().await;
    let sweeps: Vec<_> = stripe
        .requests_to("/v1/transfers")
        .into_iter()
        .filter(|r| r.field("destination") == Some("acct_1Market"))
        .collect();
    assert_eq!(sweeps.len(), 2, "one per currency: {sweeps:?}");
    for (currency, amount) in [("eur", owed_eur), ("chf", owed_chf)] {
        let r = sweeps
            .iter()
            .find(|r| r.field("currency") == Some(currency))
            .unwrap();
        assert_eq!(r.field("amount"), Some(amount.to_string().as_str()));
        let key = r.header("idempotency-key").unwrap();
        assert!(
            key.starts_with(&format!(
                "sweep:{}:{}:",
                m.id,
                currency.to_ascii_uppercase()
            )),
            "{key}"
        );
        assert_eq!(
            r.metadata().get("recipient").map(String::as_str),
            Some("tenant")
        );
    }
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM marketplace_sweeps WHERE status = 'sent'"
        )
        .await,
        2
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM marketplace_sweeps").await,
        2,
        "the later report found nothing left to sweep"
    );
    // Each checkout's share recorded as a transfer, nothing owed any more, the ledger balanced.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE recipient = 'tenant' AND status = 'sent' AND sweep_id IS NOT NULL"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries WHERE account = 'tenant'"
        )
        .await,
        0
    );
    assert_ledger_balances(&app).await;
}

#[tokio::test]
async fn a_refused_payout_timing_changes_nothing_and_names_the_field() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let before = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/settings",
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(
        before.body["payout_timing"], "at_payment",
        "{}",
        before.text
    );
    assert_eq!(before.body["payout_delay_days"], 7);
    let too_long = set_timing(
        &app,
        LYON,
        &m,
        json!({ "payout_timing": "after_delivery", "payout_delay_days": 61, "min_photos": 3 }),
    )
    .await;
    assert!(too_long.status.is_client_error(), "{}", too_long.text);
    assert!(
        too_long.text.contains("payout_delay_days"),
        "{}",
        too_long.text
    );
    let unknown = set_timing(&app, LYON, &m, json!({ "payout_timing": "weekly" })).await;
    assert!(unknown.status.is_client_error(), "{}", unknown.text);
    let negative = set_timing(&app, LYON, &m, json!({ "payout_delay_days": -1 })).await;
    assert!(negative.status.is_client_error(), "{}", negative.text);
    let after = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/settings",
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(after.body, before.body, "nothing was written");
    // The console says it in words and keeps what was typed.
    let mut console = WebSession::storefront(&app, LYON, Some(&m.operator));
    let page = console.get("/admin/settings").await;
    assert!(page.text.contains("When sellers are paid"), "{}", page.text);
    assert!(
        page.text
            .contains("some days after delivery (a hold for disputes)"),
        "{}",
        page.text
    );
    let refused = console
        .post(
            "/admin/settings",
            &[
                ("min_photos", "1"),
                ("review_time_amount", "2"),
                ("review_time_unit", "days"),
                ("payout_timing", "after_delivery"),
                ("payout_delay_days", "90"),
            ],
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.text);
    assert!(refused.text.contains("value=\"90\""), "{}", refused.text);
    let saved = console
        .post(
            "/admin/settings",
            &[
                ("min_photos", "1"),
                ("review_time_amount", "2"),
                ("review_time_unit", "days"),
                ("payout_timing", "after_delivery"),
                ("payout_delay_days", "14"),
            ],
        )
        .await;
    assert!(
        saved.status.is_success() || saved.status.is_redirection(),
        "{}",
        saved.text
    );
    let now_set = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/settings",
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(now_set.body["payout_timing"], "after_delivery");
    assert_eq!(now_set.body["payout_delay_days"], 14);
}

#[tokio::test]
async fn one_marketplaces_operator_can_neither_read_nor_change_anothers_payout_timing() {
    let app = TestApp::spawn().await;
    let lyon = market(&app, "lyon", false).await;
    let paris = market(&app, "paris", false).await;
    let r = set_timing(&app, LYON, &lyon, json!({ "payout_timing": "at_shipping" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Lyon's operator on Paris's host.
    let read = app
        .store(
            Method::GET,
            PARIS,
            "/api/v1/admin/settings",
            Some(&lyon.operator),
            None,
        )
        .await;
    assert!(
        matches!(
            read.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        ),
        "{}",
        read.text
    );
    let write = set_timing(
        &app,
        PARIS,
        &lyon,
        json!({ "payout_timing": "after_delivery" }),
    )
    .await;
    assert!(
        matches!(
            write.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        ),
        "{}",
        write.text
    );
    let own = app
        .store(
            Method::GET,
            PARIS,
            "/api/v1/admin/settings",
            Some(&paris.operator),
            None,
        )
        .await;
    assert_eq!(own.body["payout_timing"], "at_payment", "{}", own.text);
    let mine = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/settings",
            Some(&lyon.operator),
            None,
        )
        .await;
    assert_eq!(mine.body["payout_timing"], "at_shipping");
}
