//! Refunds per order line: buyers ask (guests by their order's link), sellers and operators
//! decide; executed refunds go through the gateway once, reverse the seller's and the
//! marketplace's transfers in proportion, and leave a debt (netted from the next transfer)
//! when a connected account cannot cover its part. Against the Stripe double, the exact
//! requests are asserted.

use crate::catalog::{LYON, listing_body, live_listing, live_seller, market};
use crate::commerce::count;
use crate::payments::{SECRET_NEW, account_event, deliver, now, payment_event, with_webhooks};
use diesel::prelude::*;
use diesel::sql_query;
use diesel_async::RunQueryDsl;
use krafto_db::schema;
use krafto_payments::PaymentSettings;
use krafto_payments::testing::{RecordedRequest, StripeDouble};
use krafto_testkit::builders::{
    ListingBuilder, OrderBuilder, ShopBuilder, TenantBuilder, UserBuilder,
};
use krafto_testkit::{Reply, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A Lyon marketplace paying through the Stripe double: a ready seller (returns its token,
/// shop id and connected account) and the marketplace's own account `acct_1Market`.
pub(crate) struct StripeMarket {
    pub(crate) market: crate::catalog::Market,
    pub(crate) seller: String,
    pub(crate) shop_id: String,
    pub(crate) account: String,
}

pub(crate) async fn stripe_market(app: &TestApp, stripe: &StripeDouble) -> StripeMarket {
    let m = market(app, "lyon", false).await;
    let (seller, shop) = live_seller(app, LYON, &m, "s@lyon.example", "Atelier").await;
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
    let account = link.body["account_id"].as_str().unwrap().to_owned();
    assert!(stripe.complete_onboarding(&account));
    let ready = deliver(
        app,
        "/webhooks/stripe/connect",
        &account_event("evt_ready", now(), &account, true),
        SECRET_NEW,
        now(),
    )
    .await;
    assert_eq!(ready.body["outcome"], "applied", "{}", ready.text);
    let r = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/seller/shipping-options",
            Some(&seller),
            Some(json!([{ "name": "Post", "base_minor": 500, "days_min": 1, "days_max": 3 }])),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let mut conn = app.db.superuser().await;
    sql_query(format!(
        "UPDATE tenants SET stripe_account_id = 'acct_1Market', stripe_charges_enabled = true, stripe_payouts_enabled = true WHERE id = '{}'",
        m.id
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    sql_query(format!("INSERT INTO payment_accounts (account_id, tenant_id, holder) VALUES ('acct_1Market', '{}', 'tenant')", m.id)).execute(&mut conn).await.unwrap();
    StripeMarket {
        market: m,
        seller,
        shop_id: shop["id"].as_str().unwrap().to_owned(),
        account,
    }
}

/// A guest buys `quantity` of `listing`; Stripe reports the payment; the worker sends the
/// transfers. Returns the order's number.
pub(crate) async fn paid_order(
    app: &TestApp,
    sm: &StripeMarket,
    listing: &str,
    quantity: i64,
    key: &str,
) -> String {
    let cart = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/store/cart/lines",
            None,
            Some(json!({ "listing_id": listing, "quantity": quantity })),
        )
        .await;
    assert_eq!(cart.status, StatusCode::OK, "{}", cart.text);
    let token = cart.body["cart_token"].as_str().unwrap();
    let co = app
        .store_with(
            Method::POST,
            LYON,
            "/api/v1/store/checkout",
            None,
            &[("x-cart-token", token), ("idempotency-key", key)],
            Some(json!({ "email": "ada@example.com", "phone": "+33612345678",
                         "address": { "name": "Ada", "line1": "1 rue", "postal_code": "69001", "city": "Lyon", "country": "FR" } })),
        )
        .await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    let checkout = co.body["id"].as_str().unwrap();
    let paid = deliver(
        app,
        "/webhooks/stripe",
        &payment_event(
            &format!("evt_{key}"),
            "payment_intent.succeeded",
            now(),
            &sm.market.id,
            checkout,
        ),
        SECRET_NEW,
        now(),
    )
    .await;
    assert_eq!(paid.body["outcome"], "applied", "{}", paid.text);
    app.drain_outbox().await;
    let orders = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/orders",
            Some(&sm.seller),
            None,
        )
        .await;
    orders.body["items"][0]["number"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub(crate) async fn admin_order(app: &TestApp, sm: &StripeMarket, number: &str) -> Value {
    let o = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/admin/orders/{number}"),
            Some(&sm.market.operator),
            None,
        )
        .await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.text);
    o.body
}

pub(crate) fn amount(r: &RecordedRequest) -> i64 {
    r.field("amount").unwrap().parse().unwrap()
}

pub(crate) fn reversal_requests(stripe: &StripeDouble) -> Vec<RecordedRequest> {
    stripe
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/reversals"))
        .collect()
}

/// The gateway id of the transfer the double made to `destination`.
pub(crate) fn transfer_to(stripe: &StripeDouble, destination: &str) -> String {
    stripe
        .objects("/v1/transfers")
        .iter()
        .find(|t| t["destination"] == destination)
        .unwrap_or_else(|| panic!("a transfer to {destination}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// What the seller and the marketplace give back for one of two units of the order's first
/// line (Krafto keeps its fee: the marketplace returns it), from the line's frozen split.
fn one_unit_parts(order: &Value) -> (i64, i64, i64) {
    let line = &order["lines"][0];
    let fees = &line["fees"];
    let q = line["quantity"].as_i64().unwrap();
    assert_eq!(q, 2);
    let amount = line["unit_price_minor"].as_i64().unwrap();
    let fee = fees["platform_fee_minor"].as_i64().unwrap() / 2;
    let share = fees["marketplace_share_minor"].as_i64().unwrap() / 2;
    (amount, amount - fee - share, share + fee)
}

pub(crate) async fn operator_refund(
    app: &TestApp,
    sm: &StripeMarket,
    number: &str,
    body: Value,
) -> Reply {
    app.store(
        Method::POST,
        LYON,
        &format!("/api/v1/admin/orders/{number}/refunds"),
        Some(&sm.market.operator),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn a_partial_refund_after_transfers_makes_one_refund_and_two_reversals_in_proportion() {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let sm = stripe_market(&app, &stripe).await;
    let listing = live_listing(&app, LYON, &sm.seller, listing_body("Bol", 3000)).await;
    let number = paid_order(&app, &sm, &listing, 2, "pay-1").await;
    assert_eq!(
        stripe.created("/v1/transfers"),
        2,
        "seller and marketplace paid"
    );
    let order = admin_order(&app, &sm, &number).await;
    let (item, seller_part, market_part) = one_unit_parts(&order);
    let line_id = order["lines"][0]["id"].as_str().unwrap().to_owned();

    // Bad asks change nothing.
    let too_many = operator_refund(
        &app,
        &sm,
        &number,
        json!({ "lines": [{ "line_id": line_id, "quantity": 3 }], "reason": "cassé" }),
    )
    .await;
    assert_eq!(
        too_many.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        too_many.text
    );
    let no_reason = operator_refund(
        &app,
        &sm,
        &number,
        json!({ "lines": [{ "line_id": line_id, "quantity": 1 }] }),
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM refunds").await, 0);

    let r = operator_refund(
        &app,
        &sm,
        &number,
        json!({ "lines": [{ "line_id": line_id, "quantity": 1 }], "reason": "arrived broken" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        r.body["amount_minor"], item,
        "one unit, no shipping: {}",
        r.text
    );
    assert_eq!(r.body["shipping_minor"], 0);
    assert_eq!(r.body["seller_minor"], seller_part);
    assert_eq!(r.body["marketplace_minor"], market_part);
    let refund_id = r.body["id"].as_str().unwrap().to_owned();
    app.drain_outbox().await;

    // One refund at the gateway, keyed by our refund.
    let refunds = stripe.requests_to("/v1/refunds");
    assert_eq!(refunds.len(), 1);
    assert_eq!(amount(&refunds[0]), item);
    assert_eq!(
        refunds[0].header("idempotency-key"),
        Some(format!("refund:{refund_id}").as_str())
    );
    assert!(
        refunds[0]
            .field("payment_intent")
            .unwrap()
            .starts_with("pi_")
    );
    // Two reversals: the seller's transfer and the marketplace's, each by its part.
    let reversals = reversal_requests(&stripe);
    assert_eq!(reversals.len(), 2, "{reversals:?}");
    let seller_tr = transfer_to(&stripe, &sm.account);
    let market_tr = transfer_to(&stripe, "acct_1Market");
    for (tr, part) in [(&seller_tr, seller_part), (&market_tr, market_part)] {
        let req = reversals
            .iter()
            .find(|r| r.path == format!("/v1/transfers/{tr}/reversals"))
            .unwrap_or_else(|| panic!("a reversal of {tr}"));
        assert_eq!(amount(req), part);
        let key = req.header("idempotency-key").unwrap();
        assert!(key.starts_with(&format!("reversal:{refund_id}:")), "{key}");
        assert_eq!(req.header("stripe-account"), None);
    }
    // The order follows: partly refunded, the timeline says who, how much and why.
    let order = admin_order(&app, &sm, &number).await;
    assert_eq!(order["payment_status"], "partially_refunded");
    assert_eq!(order["status"], "placed", "fulfilment is untouched");
    assert_eq!(order["lines"][0]["refunded_quantity"], 1);
    let last = order["timeline"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["kind"], "refund");
    assert_eq!(last["actor"], "operator");
    assert_eq!(last["amount_minor"], item);
    assert_eq!(last["reason"], "arrived broken");
    assert_eq!(order["refunds"][0]["status"], "sent");
    // Every journal balances, and the seller's ledger equals what they still keep.
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM (SELECT journal_id FROM ledger_entries GROUP BY journal_id HAVING sum(amount_minor) <> 0) j").await,
        0
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries WHERE account = 'seller:{}'",
                sm.shop_id
            )
        )
        .await,
        0,
        "paid, refunded, reversed: the seller's account is square"
    );
    // Buyer and seller are told.
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: ada@example.com") && m.contains("refund"))
    );
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: s@lyon.example") && m.contains("refund"))
    );

    // The rest of the order: the other unit and the shipping, and the order ends refunded.
    let rest = operator_refund(&app, &sm, &number, json!({ "reason": "lost in transit" })).await;
    assert_eq!(rest.status, StatusCode::OK, "{}", rest.text);
    assert_eq!(rest.body["amount_minor"], item + 500);
    assert_eq!(rest.body["shipping_minor"], 500);
    let again = operator_refund(&app, &sm, &number, json!({ "reason": "again" })).await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "nothing is refunded twice: {}",
        again.text
    );
    app.drain_outbox().await;
    let order = admin_order(&app, &sm, &number).await;
    assert_eq!(order["payment_status"], "refunded");
    assert_eq!(order["status"], "cancelled");
    assert_eq!(order["refunded_minor"], order["total_minor"]);
    assert_eq!(stripe.created("/v1/refunds"), 2);
    let refunded: i64 = stripe.requests_to("/v1/refunds").iter().map(amount).sum();
    assert_eq!(refunded, order["total_minor"].as_i64().unwrap());
}

#[tokio::test]
async fn a_reversal_refused_for_balance_becomes_a_debt_that_the_next_transfer_nets() {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let sm = stripe_market(&app, &stripe).await;
    let listing = live_listing(&app, LYON, &sm.seller, listing_body("Bol", 3000)).await;
    let number = paid_order(&app, &sm, &listing, 2, "pay-1").await;
    let order = admin_order(&app, &sm, &number).await;
    let (_, seller_part, _) = one_unit_parts(&order);
    let line_id = order["lines"][0]["id"].as_str().unwrap().to_owned();
    // The seller was paid out to their bank: nothing left on their Stripe balance.
    stripe.set_balance(&sm.account, 0);
    let r = operator_refund(
        &app,
        &sm,
        &number,
        json!({ "lines": [{ "line_id": line_id, "quantity": 1 }], "reason": "arrived broken" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.drain_outbox().await;
    assert_eq!(
        stripe.created("/v1/refunds"),
        1,
        "the buyer is refunded anyway"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfer_reversals WHERE status = 'failed'"
        )
        .await,
        1
    );
    // The seller sees what they owe, and so does the operator.
    let debts = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/debts",
            Some(&sm.seller),
            None,
        )
        .await;
    assert_eq!(debts.status, StatusCode::OK, "{}", debts.text);
    assert_eq!(debts.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(debts.body["items"][0]["amount_minor"], seller_part);
    assert_eq!(debts.body["items"][0]["recovered_minor"], 0);
    assert_eq!(debts.body["items"][0]["order_number"], number.as_str());
    let balance = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/balance",
            Some(&sm.seller),
            None,
        )
        .await;
    assert_eq!(balance.body["owed_minor"], seller_part, "{}", balance.text);
    let all = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/debts",
            Some(&sm.market.operator),
            None,
        )
        .await;
    assert_eq!(
        all.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        all.text
    );

    // The next sale's transfer nets the debt.
    let before = stripe.requests_to("/v1/transfers").len();
    let next = paid_order(&app, &sm, &listing, 1, "pay-2").await;
    let next_order = admin_order(&app, &sm, &next).await;
    let payout = next_order["fees"]["seller_payout_minor"].as_i64().unwrap();
    let sent: Vec<RecordedRequest> = stripe.requests_to("/v1/transfers")[before..]
        .iter()
        .filter(|r| r.field("destination") == Some(sm.account.as_str()))
        .cloned()
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        amount(&sent[0]),
        payout - seller_part,
        "the debt comes out of the transfer"
    );
    let debts = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/debts",
            Some(&sm.seller),
            None,
        )
        .await;
    assert_eq!(debts.body["items"][0]["recovered_minor"], seller_part);
    assert!(debts.body["items"][0]["settled_at"].is_string());
    let balance = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/balance",
            Some(&sm.seller),
            None,
        )
        .await;
    assert_eq!(balance.body["owed_minor"], 0);
    assert_eq!(balance.body["pending_minor"], 0, "{}", balance.text);
    assert_eq!(
        count(
            &app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_crash_between_the_refund_and_its_reversals_finishes_once_on_restart() {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let sm = stripe_market(&app, &stripe).await;
    let listing = live_listing(&app, LYON, &sm.seller, listing_body("Bol", 3000)).await;
    let number = paid_order(&app, &sm, &listing, 2, "pay-1").await;
    let order = admin_order(&app, &sm, &number).await;
    let line_id = order["lines"][0]["id"].as_str().unwrap().to_owned();
    let r = operator_refund(
        &app,
        &sm,
        &number,
        json!({ "lines": [{ "line_id": line_id, "quantity": 1 }], "reason": "arrived broken" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Stripe makes the refund, but the answer is lost: the worker "dies" before recording it.
    stripe.fail_first_response("/v1/refunds");
    let first = app.worker().await;
    first.run_once().await.unwrap();
    drop(first);
    assert_eq!(stripe.created("/v1/refunds"), 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM refunds WHERE status = 'pending'"
        )
        .await,
        1
    );
    assert!(
        reversal_requests(&stripe).is_empty(),
        "nothing reversed before the refund is known"
    );
    // A restarted worker asks again with the same key, records it once, and reverses once.
    app.drain_outbox().await;
    app.drain_outbox().await;
    assert_eq!(
        stripe.requests_to("/v1/refunds").len(),
        2,
        "one retried call"
    );
    assert_eq!(stripe.created("/v1/refunds"), 1, "one refund at Stripe");
    assert_eq!(reversal_requests(&stripe).len(), 2);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfer_reversals WHERE status = 'sent'"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(DISTINCT journal_id) AS n FROM ledger_entries WHERE kind = 'refund'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn buyers_ask_sellers_and_operators_decide_one_open_request_per_line() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let other = ShopBuilder::new(&lyon, "Autre")
        .shipping(500, 0)
        .build(&app)
        .await;
    let bowl = ListingBuilder::new(&s, "Bol")
        .price(3000)
        .stock(10)
        .build(&app)
        .await;
    let cup = ListingBuilder::new(&s, "Tasse")
        .price(1200)
        .stock(10)
        .build(&app)
        .await;
    let number = OrderBuilder::new(&lyon)
        .line(&bowl, 2)
        .line(&cup, 1)
        .build(&app)
        .await
        .number()
        .to_owned();
    app.drain_outbox().await;
    // The guest's link, from the confirmation e-mail.
    let mail = app
        .mails()
        .into_iter()
        .find(|m| m.contains("To: ada@example.com") && m.contains(&number))
        .unwrap();
    let token = mail
        .split(&format!("/orders/{number}?token="))
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let guest = |path: String| format!("/api/v1/store/orders/{number}{path}?token={token}");
    let view = app
        .store(Method::GET, LYON, &guest(String::new()), None, None)
        .await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.text);
    let bowl_line = view.body["lines"][0]["id"].as_str().unwrap().to_owned();
    let cup_line = view.body["lines"][1]["id"].as_str().unwrap().to_owned();

    // Without the link, or with a wrong one: the order does not exist.
    let ask =
        json!({ "lines": [{ "line_id": bowl_line, "quantity": 1 }], "reason": "un bol est fêlé" });
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/store/orders/{number}/refund-requests?token=nope"),
            None,
            Some(ask.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .store(
            Method::POST,
            LYON,
            &guest("/refund-requests".into()),
            None,
            Some(json!({ "lines": [{ "line_id": bowl_line, "quantity": 1 }], "reason": " " })),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    let asked = app
        .store(
            Method::POST,
            LYON,
            &guest("/refund-requests".into()),
            None,
            Some(ask.clone()),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.text);
    assert_eq!(asked.body["status"], "open");
    let first = asked.body["id"].as_str().unwrap().to_owned();
    let twice = app
        .store(
            Method::POST,
            LYON,
            &guest("/refund-requests".into()),
            None,
            Some(ask.clone()),
        )
        .await;
    assert_eq!(
        twice.status,
        StatusCode::CONFLICT,
        "one open request per line: {}",
        twice.text
    );
    app.drain_outbox().await;
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains(&format!("To: {}", s.owner.user.email)) && m.contains("refund"))
    );

    // The seller sees it; another shop does not and cannot decide it.
    let list = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/refund-requests",
            Some(&s.owner.token),
            None,
        )
        .await;
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        list.text
    );
    let none = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/refund-requests",
            Some(&other.owner.token),
            None,
        )
        .await;
    assert!(none.body["items"].as_array().unwrap().is_empty());
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/refund-requests/{first}/accept"),
            Some(&other.owner.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Declining needs a reason; then the buyer is told, and may ask again.
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/refund-requests/{first}/decline"),
            Some(&s.owner.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let declined = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/refund-requests/{first}/decline"),
            Some(&s.owner.token),
            Some(json!({ "reason": "photo needed" })),
        )
        .await;
    assert_eq!(declined.status, StatusCode::OK, "{}", declined.text);
    assert_eq!(declined.body["status"], "declined");
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/refund-requests/{first}/accept"),
            Some(&s.owner.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "decided already");
    let again = app
        .store(Method::POST, LYON, &guest("/refund-requests".into()), None, Some(json!({ "lines": [{ "line_id": bowl_line, "quantity": 1 }, { "line_id": cup_line, "quantity": 1 }], "reason": "voici la photo" })))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    let second = again.body["id"].as_str().unwrap().to_owned();
    // The operator decides instead of the seller: the units asked are refunded.
    let accepted = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/refund-requests/{second}/accept"),
            Some(&operator.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);
    assert_eq!(accepted.body["status"], "accepted");
    assert_eq!(accepted.body["decided_by"], "operator");
    app.drain_outbox().await;
    let view = app
        .store(Method::GET, LYON, &guest(String::new()), None, None)
        .await;
    assert_eq!(
        view.body["payment_status"], "partially_refunded",
        "{}",
        view.text
    );
    assert_eq!(view.body["refunded_minor"], 3000 + 1200);
    assert_eq!(view.body["lines"][0]["refunded_quantity"], 1);
    assert_eq!(view.body["lines"][1]["refunded_quantity"], 1);
    assert!(
        view.body["refunds"][0].get("seller_minor").is_none(),
        "buyers do not see the split"
    );
    let kinds: Vec<&str> = view.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "status",
            "refund_requested",
            "refund_declined",
            "refund_requested",
            "refund"
        ]
    );
    assert!(
        app.mails()
            .iter()
            .any(|m| m.contains("To: ada@example.com") && m.contains("photo needed"))
    );
    // The cup is refunded in full now: asking for it again is refused, in words.
    let r = app
        .store(
            Method::POST,
            LYON,
            &guest("/refund-requests".into()),
            None,
            Some(json!({ "lines": [{ "line_id": cup_line, "quantity": 1 }], "reason": "encore" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.body["errors"][0]["field"], "lines");
    // The buyer withdraws a last request.
    let last = app
        .store(
            Method::POST,
            LYON,
            &guest("/refund-requests".into()),
            None,
            Some(ask),
        )
        .await;
    let last_id = last.body["id"].as_str().unwrap().to_owned();
    let w = app
        .store(
            Method::POST,
            LYON,
            &guest(format!("/refund-requests/{last_id}/withdraw")),
            None,
            None,
        )
        .await;
    assert_eq!(w.status, StatusCode::NO_CONTENT, "{}", w.text);
    let list = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/refund-requests",
            Some(&operator.token),
            None,
        )
        .await;
    assert!(
        list.body["items"].as_array().unwrap().is_empty(),
        "{}",
        list.text
    );
}

#[tokio::test]
async fn refunds_requests_reversals_and_debts_of_one_marketplace_are_invisible_to_another() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let paris = TenantBuilder::new("paris").build(&app).await;
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let bowl = ListingBuilder::new(&s, "Bol")
        .price(3000)
        .stock(10)
        .build(&app)
        .await;
    let buyer = UserBuilder::new(&lyon, "ada@lyon.example")
        .buyer()
        .build(&app)
        .await;
    let number = OrderBuilder::new(&lyon)
        .buyer(&buyer)
        .line(&bowl, 2)
        .build(&app)
        .await
        .number()
        .to_owned();
    app.drain_outbox().await;
    let view = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/orders/{number}"),
            Some(&buyer.token),
            None,
        )
        .await;
    let line = view.body["lines"][0]["id"].as_str().unwrap().to_owned();
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/store/orders/{number}/refund-requests"),
            Some(&buyer.token),
            Some(json!({ "lines": [{ "line_id": line, "quantity": 1 }], "reason": "fêlé" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/orders/{number}/refunds"),
            Some(&s.owner.token),
            Some(json!({ "lines": [{ "line_id": line, "quantity": 1 }], "reason": "rupture" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    app.drain_outbox().await;
    // A debt and a reversal row of Lyon, written directly (as the worker would).
    let mut conn = app.db.superuser().await;
    sql_query(format!(
        "INSERT INTO debts (tenant_id, id, recipient, currency, amount_minor, reason) VALUES ('{}', gen_random_uuid(), 'seller:{}', 'EUR', 100, 'refund')",
        lyon.id(),
        s.id()
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    let pool = app.db.pool(krafto_db::DbRole::App, 1);
    let mut seen = Vec::new();
    for scope in [lyon.scope(), paris.scope()] {
        let mut tx = pool.tenant(&scope).await.unwrap();
        let n: [i64; 6] = [
            tx.fetch_one(schema::refunds::table.count()).await.unwrap(),
            tx.fetch_one(schema::refund_lines::table.count())
                .await
                .unwrap(),
            tx.fetch_one(schema::refund_requests::table.count())
                .await
                .unwrap(),
            tx.fetch_one(schema::refund_request_lines::table.count())
                .await
                .unwrap(),
            tx.fetch_one(schema::transfer_reversals::table.count())
                .await
                .unwrap(),
            tx.fetch_one(schema::debts::table.count()).await.unwrap(),
        ];
        seen.push(n);
    }
    // Lyon sees its refund, its lines, the request, the reversal of its transfer, the debt.
    assert_eq!(seen[0], [1, 1, 1, 1, 1, 1], "Lyon sees its own rows");
    assert_eq!(seen[1], [0; 6], "Paris sees none of Lyon's rows");
    // Paris's operator cannot reach Lyon's requests or debts through its own host.
    let paris_op = UserBuilder::new(&paris, "op@paris.example")
        .operator()
        .build(&app)
        .await;
    let r = app
        .store(
            Method::GET,
            &paris.host,
            "/api/v1/admin/debts",
            Some(&paris_op.token),
            None,
        )
        .await;
    assert!(r.body["items"].as_array().unwrap().is_empty(), "{}", r.text);
    let r = app
        .store(
            Method::GET,
            &paris.host,
            "/api/v1/admin/refund-requests",
            Some(&paris_op.token),
            None,
        )
        .await;
    assert!(r.body["items"].as_array().unwrap().is_empty());
    // And Lyon's operator token is refused on Paris's host.
    let lyon_op = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let r = app
        .store(
            Method::GET,
            &paris.host,
            "/api/v1/admin/debts",
            Some(&lyon_op.token),
            None,
        )
        .await;
    assert!(
        r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::FORBIDDEN,
        "{}",
        r.status
    );
}

#[tokio::test]
async fn cancelling_an_order_whose_payout_is_held_empties_the_hold_and_frees_the_marketplaces_share()
 {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let r = app
        .store(
            Method::PATCH,
            &lyon.host,
            "/api/v1/admin/settings",
            Some(&operator.token),
            Some(json!({ "payout_timing": "at_shipping" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let bowl = ListingBuilder::new(&s, "Bol")
        .price(3000)
        .stock(10)
        .build(&app)
        .await;
    let number = OrderBuilder::new(&lyon)
        .line(&bowl, 1)
        .build(&app)
        .await
        .number()
        .to_owned();
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE status = 'held'"
        )
        .await,
        1
    );
    let r = app
        .store(
            Method::POST,
            &lyon.host,
            &format!("/api/v1/seller/orders/{number}/cancel"),
            Some(&s.owner.token),
            Some(json!({ "reason": "plus en stock" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["payment_status"], "refunded");
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE status = 'held'"
        )
        .await,
        0,
        "nothing stays held"
    );
    assert_eq!(
        count(&app, "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM transfers WHERE recipient LIKE 'seller:%'").await,
        0,
        "the seller is paid nothing for a cancelled order"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM refunds WHERE status = 'sent'"
        )
        .await,
        1
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
        count(&app, &format!("SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries WHERE account = 'seller:{}'", s.id())).await,
        0
    );
}

fn charge_event(id: &str, payment_intent: &str, txn: &str) -> Value {
    json!({
        "id": id, "object": "event", "type": "charge.succeeded", "created": now(), "livemode": false,
        "data": { "object": {
            "id": "ch_3Fee", "object": "charge", "amount": 6500, "currency": "eur",
            "payment_intent": payment_intent, "balance_transaction": txn, "status": "succeeded"
        } }
    })
}

#[tokio::test]
async fn stripes_fee_is_posted_once_and_borne_by_the_marketplace_from_its_next_transfer() {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let sm = stripe_market(&app, &stripe).await;
    let listing = live_listing(&app, LYON, &sm.seller, listing_body("Bol", 3000)).await;
    paid_order(&app, &sm, &listing, 2, "pay-1").await;
    let pi = stripe.objects("/v1/payment_intents")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    stripe.set_balance_transaction("txn_1Fee", 6500, 127);
    // Delivered twice (and a later `charge.updated` for the same charge): posted once.
    for id in ["evt_c1", "evt_c1", "evt_c2"] {
        let r = deliver(
            &app,
            "/webhooks/stripe",
            &charge_event(id, &pi, "txn_1Fee"),
            SECRET_NEW,
            now(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["outcome"], "applied");
        app.drain_outbox().await;
    }
    assert_eq!(
        stripe
            .requests_to("/v1/balance_transactions/txn_1Fee")
            .len(),
        1,
        "read once"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(DISTINCT journal_id) AS n FROM ledger_entries WHERE kind = 'stripe_fee'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries WHERE kind = 'stripe_fee' AND account = 'tenant'").await,
        127
    );
    assert_eq!(
        count(
            &app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries"
        )
        .await,
        0
    );
    // The marketplace's transfer had gone: it owes the fee, netted from its next transfer.
    let debts = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/debts",
            Some(&sm.market.operator),
            None,
        )
        .await;
    assert_eq!(
        debts.body["items"][0]["recipient"], "tenant",
        "{}",
        debts.text
    );
    assert_eq!(debts.body["items"][0]["reason"], "fee");
    assert_eq!(debts.body["items"][0]["amount_minor"], 127);
    let before = stripe.requests_to("/v1/transfers").len();
    let next = paid_order(&app, &sm, &listing, 1, "pay-2").await;
    let order = admin_order(&app, &sm, &next).await;
    let share = order["fees"]["commission_minor"].as_i64().unwrap()
        - order["fees"]["platform_fee_minor"].as_i64().unwrap()
        + order["buyer_fee_minor"].as_i64().unwrap();
    let to_market: Vec<RecordedRequest> = stripe.requests_to("/v1/transfers")[before..]
        .iter()
        .filter(|r| r.field("destination") == Some("acct_1Market"))
        .cloned()
        .collect();
    assert_eq!(to_market.len(), 1);
    assert_eq!(amount(&to_market[0]), share - 127);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM debts WHERE settled_at IS NULL"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn krafto_staff_refund_an_order_from_the_control_plane_once_through_the_marketplaces_worker()
{
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let bowl = ListingBuilder::new(&s, "Bol")
        .price(3000)
        .stock(10)
        .build(&app)
        .await;
    let number = OrderBuilder::new(&lyon)
        .line(&bowl, 2)
        .build(&app)
        .await
        .number()
        .to_owned();
    app.drain_outbox().await;
    let path = format!("/tenants/{}/orders/{number}/refunds", lyon.id());
    let r = app
        .control(Method::POST, &path, Some(json!({ "reason": "  " })))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{}/orders/NOPE-1/refunds", lyon.id()),
            Some(json!({ "reason": "support" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM outbox WHERE kind = 'refund.staff'"
        )
        .await,
        0
    );
    let r = app
        .control(
            Method::POST,
            &path,
            Some(json!({ "reason": "colis perdu, vu avec le support" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    app.drain_outbox().await;
    let view = app
        .store(
            Method::GET,
            &lyon.host,
            &format!("/api/v1/admin/orders/{number}"),
            Some(
                &UserBuilder::new(&lyon, "op@lyon.example")
                    .operator()
                    .build(&app)
                    .await
                    .token,
            ),
            None,
        )
        .await;
    assert_eq!(view.body["payment_status"], "refunded", "{}", view.text);
    assert_eq!(view.body["refunds"][0]["by"], "staff");
    assert_eq!(view.body["refunded_minor"], view.body["total_minor"]);
    // Asked twice: the second finds nothing left and changes nothing.
    let r = app
        .control(Method::POST, &path, Some(json!({ "reason": "encore" })))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    app.drain_outbox().await;
    assert_eq!(count(&app, "SELECT count(*) AS n FROM refunds").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM audit_log WHERE action = 'order.refund_requested'"
        )
        .await,
        2
    );
}
