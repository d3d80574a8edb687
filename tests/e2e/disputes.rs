//! Disputes (chargebacks): `charge.dispute.*` events delivered out of order and five times
//! each keep one record and move the money once; the disputed amount and the bank's fee are
//! charged to the seller and taken back from their transfer (the rest becomes a debt); a won
//! dispute pays the seller again through a transfer that first nets the debt; refunds wait
//! while a dispute is open; operators send evidence to Stripe.

use crate::catalog::{LYON, listing_body, live_listing};
use crate::commerce::count;
use crate::payments::{SECRET_NEW, deliver, now, with_webhooks};
use crate::refunds::{
    StripeMarket, admin_order, amount, operator_refund, paid_order, reversal_requests,
    stripe_market,
};
use krafto_payments::PaymentSettings;
use krafto_payments::testing::StripeDouble;
use krafto_testkit::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn dispute_event(
    id: &str,
    kind: &str,
    created: i64,
    dispute: &str,
    payment_intent: &str,
    status: &str,
    money: &[(i64, i64)],
) -> Value {
    json!({
        "id": id, "object": "event", "type": kind, "created": created, "livemode": false,
        "data": { "object": {
            "id": dispute, "object": "dispute", "amount": 3500, "currency": "eur",
            "charge": "ch_3Disputed", "payment_intent": payment_intent,
            "reason": "product_not_received", "status": status,
            "evidence_details": { "due_by": created + 7 * 86_400, "has_evidence": false, "past_due": false, "submission_count": 0 },
            "balance_transactions": money.iter().map(|(a, f)| json!({
                "object": "balance_transaction", "amount": a, "fee": f, "currency": "eur",
                "reporting_category": if *a < 0 { "dispute" } else { "dispute_reversal" },
            })).collect::<Vec<_>>(),
        } }
    })
}

/// Delivers every event five times, in the order given.
async fn deliver_all(app: &TestApp, events: &[&Value]) {
    for round in 0..5 {
        for e in events {
            let r = deliver(app, "/webhooks/stripe", e, SECRET_NEW, now()).await;
            assert_eq!(r.status, StatusCode::OK, "round {round}: {}", r.text);
            assert_eq!(r.body["outcome"], "applied", "{}", r.text);
        }
    }
}

async fn setup() -> (StripeDouble, TestApp, StripeMarket, String, String, i64) {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let sm = stripe_market(&app, &stripe).await;
    let listing = live_listing(&app, LYON, &sm.seller, listing_body("Bol", 3000)).await;
    let number = paid_order(&app, &sm, &listing, 1, "pay-1").await;
    let order = admin_order(&app, &sm, &number).await;
    assert_eq!(order["total_minor"], 3500);
    let payout = order["fees"]["seller_payout_minor"].as_i64().unwrap();
    let pi = stripe.objects("/v1/payment_intents")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (stripe, app, sm, number, pi, payout)
}

async fn ledger_sum(app: &TestApp, account: &str) -> i64 {
    count(
        app,
        &format!("SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries WHERE account = '{account}'"),
    )
    .await
}

#[tokio::test]
async fn a_lost_dispute_delivered_out_of_order_five_times_charges_the_seller_once() {
    let (stripe, app, sm, number, pi, payout) = setup().await;
    let t0 = now() - 100;
    let withdrawn = [(-3500, 1500)];
    let created = dispute_event(
        "evt_d1",
        "charge.dispute.created",
        t0,
        "dp_1",
        &pi,
        "needs_response",
        &withdrawn,
    );
    let funds = dispute_event(
        "evt_d2",
        "charge.dispute.funds_withdrawn",
        t0 + 1,
        "dp_1",
        &pi,
        "needs_response",
        &withdrawn,
    );
    let review = dispute_event(
        "evt_d3",
        "charge.dispute.updated",
        t0 + 2,
        "dp_1",
        &pi,
        "under_review",
        &withdrawn,
    );
    let closed = dispute_event(
        "evt_d4",
        "charge.dispute.closed",
        t0 + 3,
        "dp_1",
        &pi,
        "lost",
        &withdrawn,
    );
    deliver_all(&app, &[&closed, &funds, &review, &created]).await;
    app.drain_outbox().await;

    assert_eq!(count(&app, "SELECT count(*) AS n FROM disputes").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM disputes WHERE status = 'lost'"
        )
        .await,
        1,
        "the newest event wins"
    );
    assert_eq!(
        count(&app, "SELECT count(DISTINCT journal_id) AS n FROM ledger_entries WHERE kind IN ('dispute', 'dispute_fee')").await,
        1,
        "the withdrawal is posted once"
    );
    // The seller's transfer is reversed as far as it goes; the rest is their debt.
    let reversals = reversal_requests(&stripe);
    assert_eq!(reversals.len(), 1, "{reversals:?}");
    assert_eq!(amount(&reversals[0]), payout);
    assert!(
        reversals[0]
            .header("idempotency-key")
            .unwrap()
            .starts_with("reversal:dispute:")
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
    assert_eq!(
        debts.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        debts.text
    );
    assert_eq!(debts.body["items"][0]["amount_minor"], 3500 + 1500 - payout);
    assert_eq!(debts.body["items"][0]["reason"], "dispute");
    assert_eq!(
        ledger_sum(&app, &format!("seller:{}", sm.shop_id)).await,
        3500 + 1500 - payout,
        "the seller owes exactly their debt"
    );
    assert_eq!(
        count(
            &app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries"
        )
        .await,
        0
    );
    // A lost dispute gave the buyer their money: no refund on top.
    let r = operator_refund(&app, &sm, &number, json!({ "reason": "geste commercial" })).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    // The operator's queue shows it; evidence cannot be sent any more.
    let list = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/disputes",
            Some(&sm.market.operator),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let d = &list.body["items"][0];
    assert_eq!(d["status"], "lost");
    assert_eq!(d["orders"][0], number.as_str());
    assert_eq!(d["withdrawn_minor"], 3500);
    assert_eq!(d["fee_minor"], 1500);
    let late = app
        .store(
            Method::PUT,
            LYON,
            &format!(
                "/api/v1/admin/disputes/{}/evidence",
                d["id"].as_str().unwrap()
            ),
            Some(&sm.market.operator),
            Some(json!({ "text": "livré", "submit": true })),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.text);
    // Another marketplace sees none of it, through its API or its rows.
    let paris = crate::catalog::market(&app, "paris", false).await;
    let r = app
        .store(
            Method::GET,
            crate::catalog::PARIS,
            "/api/v1/admin/disputes",
            Some(&paris.operator),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body["items"].as_array().unwrap().is_empty());
    let r = app
        .store(
            Method::GET,
            crate::catalog::PARIS,
            &format!("/api/v1/admin/disputes/{}", d["id"].as_str().unwrap()),
            Some(&paris.operator),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    {
        use diesel::prelude::*;
        use krafto_db::schema;
        let pool = app.db.pool(krafto_db::DbRole::App, 1);
        let paris_id: uuid::Uuid = paris.id.parse().unwrap();
        let lyon_id: uuid::Uuid = sm.market.id.parse().unwrap();
        for (id, expected) in [(lyon_id, 1i64), (paris_id, 0)] {
            let mut tx = pool.tenant(&krafto_testkit::scope_of(id)).await.unwrap();
            let n: i64 = tx.fetch_one(schema::disputes::table.count()).await.unwrap();
            let shares: i64 = tx
                .fetch_one(schema::dispute_shares::table.count())
                .await
                .unwrap();
            assert_eq!((n, shares), (expected, expected), "{id}");
        }
    }
    // Operator and seller are told, once.
    let mails = app.mails();
    let lost: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("dispute lost"))
        .collect();
    assert!(
        lost.iter().any(|m| m.contains("To: op@lyon.example")),
        "{mails:?}"
    );
    assert!(lost.iter().any(|m| m.contains("To: s@lyon.example")));
    assert_eq!(lost.len(), 2, "one e-mail each");
}

#[tokio::test]
async fn a_won_dispute_freezes_refunds_takes_evidence_and_pays_the_seller_again_once() {
    let (stripe, app, sm, number, pi, payout) = setup().await;
    let t0 = now() - 100;
    let withdrawn = [(-3500, 1500)];
    let both = [(-3500, 1500), (3500, -1500)];
    let created = dispute_event(
        "evt_w1",
        "charge.dispute.created",
        t0,
        "dp_2",
        &pi,
        "needs_response",
        &withdrawn,
    );
    deliver_all(&app, &[&created]).await;
    app.drain_outbox().await;
    // While the bank decides, refunds wait.
    let r = operator_refund(&app, &sm, &number, json!({ "reason": "geste commercial" })).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains("dispute"), "{}", r.text);
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: op@lyon.example") && m.contains("disputed")),
        "{mails:?}"
    );

    // The operator sends evidence to Stripe; a bad date is refused and nothing is sent.
    let list = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/disputes",
            Some(&sm.market.operator),
            None,
        )
        .await;
    let id = list.body["items"][0]["id"].as_str().unwrap().to_owned();
    assert!(list.body["items"][0]["evidence_due_by"].is_string());
    let path = format!("/api/v1/admin/disputes/{id}/evidence");
    let bad = app
        .store(
            Method::PUT,
            LYON,
            &path,
            Some(&sm.market.operator),
            Some(json!({ "shipping_date": "01/12/2026", "submit": true })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(stripe.requests_to("/v1/disputes/dp_2").is_empty());
    let sent = app
        .store(
            Method::PUT,
            LYON,
            &path,
            Some(&sm.market.operator),
            Some(json!({ "text": "Livré le 2 décembre, signé par l’acheteur.", "shipping_carrier": "Colissimo",
                         "shipping_tracking_number": "6A12345678901", "shipping_date": "2026-12-02", "submit": true })),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.text);
    assert!(sent.body["evidence_submitted_at"].is_string());
    let req = &stripe.requests_to("/v1/disputes/dp_2")[0];
    assert_eq!(req.field("submit"), Some("true"));
    assert_eq!(
        req.field("evidence[shipping_tracking_number]"),
        Some("6A12345678901")
    );
    assert_eq!(req.field("evidence[shipping_carrier]"), Some("Colissimo"));
    assert_eq!(
        req.field("evidence[uncategorized_text]"),
        Some("Livré le 2 décembre, signé par l’acheteur.")
    );
    let again = app
        .store(
            Method::PUT,
            LYON,
            &path,
            Some(&sm.market.operator),
            Some(json!({ "text": "encore", "submit": true })),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "submitted once");

    // The bank decides for the seller: the events arrive out of order, five times each.
    let review = dispute_event(
        "evt_w2",
        "charge.dispute.updated",
        t0 + 1,
        "dp_2",
        &pi,
        "under_review",
        &withdrawn,
    );
    let back = dispute_event(
        "evt_w3",
        "charge.dispute.funds_reinstated",
        t0 + 2,
        "dp_2",
        &pi,
        "won",
        &both,
    );
    let closed = dispute_event(
        "evt_w4",
        "charge.dispute.closed",
        t0 + 3,
        "dp_2",
        &pi,
        "won",
        &both,
    );
    let transfers_before = stripe.requests_to("/v1/transfers").len();
    deliver_all(&app, &[&closed, &back, &review, &created]).await;
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM disputes WHERE status = 'won'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT count(DISTINCT journal_id) AS n FROM ledger_entries WHERE kind IN ('dispute', 'dispute_fee')").await,
        2,
        "withdrawn once, reinstated once"
    );
    // Paid again: what was reversed, the debt netted first (nothing was left to owe).
    let new: Vec<_> = stripe.requests_to("/v1/transfers")[transfers_before..].to_vec();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].field("destination"), Some(sm.account.as_str()));
    assert_eq!(amount(&new[0]), payout);
    assert!(
        new[0]
            .header("idempotency-key")
            .unwrap()
            .starts_with("transfer:dispute:")
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM debts WHERE settled_at IS NULL"
        )
        .await,
        0
    );
    assert_eq!(
        ledger_sum(&app, &format!("seller:{}", sm.shop_id)).await,
        0,
        "the seller is square"
    );
    assert_eq!(
        count(
            &app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries"
        )
        .await,
        0
    );
    let mails = app.mails();
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: s@lyon.example") && m.contains("dispute won"))
    );
    // Won: refunds are possible again.
    let order = admin_order(&app, &sm, &number).await;
    assert_eq!(order["payment_status"], "paid");
    let r = operator_refund(&app, &sm, &number, json!({ "reason": "geste commercial" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}
