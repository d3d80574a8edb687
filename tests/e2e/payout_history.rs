//! Sellers' payout history (issue 13): `payout.*` events of sellers' connected accounts on
//! the Connect endpoint keep one row per Stripe payout, in any order and any number of
//! deliveries; the seller reads each payout with the orders, refunds, debts and commissions
//! it contains (API, CSV, page), operators read a shop's; nothing crosses marketplaces.

use crate::catalog::{LYON, Market, PARIS, listing_body, live_listing, live_seller, market};
use crate::commerce::count;
use crate::payments::{SECRET_NEW, account_event, deliver, now, with_webhooks};
use crate::refunds::{StripeMarket, paid_order};
use diesel::prelude::*;
use diesel::sql_query;
use diesel_async::RunQueryDsl;
use krafto_db::DbRole;
use krafto_db::schema::seller_payouts;
use krafto_payments::PaymentSettings;
use krafto_payments::testing::StripeDouble;
use krafto_testkit::{Reply, TestApp, WebSession};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const CONNECT: &str = "/webhooks/stripe/connect";

/// A `payout.*` event of `account` about payout `po` (created by Stripe at `po_created`).
#[expect(
    clippy::too_many_arguments,
    reason = "each is a field of Stripe's event"
)]
fn payout_event(
    id: &str,
    kind: &str,
    created: i64,
    account: &str,
    po: &str,
    status: &str,
    amount: i64,
    po_created: i64,
) -> Value {
    let failed = status == "failed";
    json!({
        "id": id, "object": "event", "type": kind, "created": created, "account": account,
        "data": { "object": {
            "id": po, "object": "payout", "amount": amount, "currency": "eur", "status": status,
            "created": po_created, "arrival_date": po_created + 86_400,
            "failure_code": if failed { json!("account_closed") } else { Value::Null },
            "failure_message": if failed { json!("The bank account has been closed.") } else { Value::Null },
        } }
    })
}

async fn send(app: &TestApp, event: &Value) -> Reply {
    let r = deliver(app, CONNECT, event, SECRET_NEW, now()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r
}

/// A French-speaking Lyon marketplace paying through the Stripe double: a ready seller and
/// the marketplace's own account `acct_1Market` (as `refunds::stripe_market`, in French).
async fn stripe_market(app: &TestApp, stripe: &StripeDouble) -> StripeMarket {
    let t = app
        .create_tenant_with(json!({
            "slug": "lyon", "name": "Marché de Lyon", "template": "handmade", "locale": "fr-FR"
        }))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let operator = app.operator_token(&id, "lyon", "op@lyon.example").await;
    let r = app
        .store(
            Method::PATCH,
            LYON,
            "/api/v1/admin/settings",
            Some(&operator),
            Some(json!({ "shop_review_required": false })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let m = Market { id, operator };
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
    let ready = send(app, &account_event("evt_ready", now(), &account, true)).await;
    assert_eq!(ready.body["outcome"], "applied", "{}", ready.text);
    let r = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/seller/shipping-options",
            Some(&seller),
            Some(json!([{ "name": "Poste", "base_minor": 500, "days_min": 1, "days_max": 3 }])),
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
    sql_query(format!(
        "INSERT INTO payment_accounts (account_id, tenant_id, holder) VALUES ('acct_1Market', '{}', 'tenant')",
        m.id
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    StripeMarket {
        market: m,
        seller,
        shop_id: shop["id"].as_str().unwrap().to_owned(),
        account,
    }
}

/// A Lyon seller paid through the Stripe double, after two sales (transfers sent).
/// Returns the market, the two order numbers and what the seller's transfers came to.
async fn two_sales(app: &TestApp, stripe: &StripeDouble) -> (StripeMarket, Vec<String>, i64) {
    let sm = stripe_market(app, stripe).await;
    let listing = live_listing(app, LYON, &sm.seller, listing_body("Bol", 3000)).await;
    let first = paid_order(app, &sm, &listing, 1, "pay-1").await;
    let second = paid_order(app, &sm, &listing, 2, "pay-2").await;
    let transferred: i64 = stripe
        .objects("/v1/transfers")
        .iter()
        .filter(|t| t["destination"] == sm.account.as_str())
        .map(|t| t["amount"].as_i64().unwrap())
        .sum();
    assert!(transferred > 0);
    (sm, vec![first, second], transferred)
}

async fn spawn() -> (StripeDouble, TestApp) {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    (stripe, app)
}

async fn history(app: &TestApp, host: &str, token: &str) -> Value {
    let h = app
        .store(
            Method::GET,
            host,
            "/api/v1/seller/payouts/history",
            Some(token),
            None,
        )
        .await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.text);
    h.body
}

#[tokio::test]
async fn a_paid_payout_after_two_sales_lists_both_orders_with_their_commissions() {
    let (stripe, app) = spawn().await;
    let (sm, numbers, transferred) = two_sales(&app, &stripe).await;
    let at = now() + 2;
    let r = send(
        &app,
        &payout_event(
            "evt_po1",
            "payout.paid",
            at,
            &sm.account,
            "po_1",
            "paid",
            transferred,
            at,
        ),
    )
    .await;
    assert_eq!(r.body["outcome"], "applied", "{}", r.text);

    let h = history(&app, LYON, &sm.seller).await;
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{h}");
    let p = &items[0];
    assert_eq!(p["id"], "po_1");
    assert_eq!(p["status"], "paid");
    assert_eq!(p["amount_minor"], transferred);
    assert_eq!(p["shop_id"], sm.shop_id.as_str());
    let moves = p["movements"].as_array().unwrap();
    for n in &numbers {
        assert!(
            moves
                .iter()
                .any(|m| m["kind"] == "sale" && m["order_number"] == n.as_str()),
            "a sale for {n}: {h}"
        );
        assert!(
            moves
                .iter()
                .any(|m| m["kind"] == "commission" && m["order_number"] == n.as_str()),
            "a commission for {n}: {h}"
        );
    }
    // What it contains adds up to what was transferred to the seller's account.
    let sum: i64 = moves
        .iter()
        .map(|m| m["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, transferred, "{h}");

    // A second payout later contains only what came after the first one.
    let later = now() + 4;
    send(
        &app,
        &payout_event(
            "evt_po2",
            "payout.paid",
            later,
            &sm.account,
            "po_2",
            "paid",
            0,
            later,
        ),
    )
    .await;
    let h = history(&app, LYON, &sm.seller).await;
    assert_eq!(h["items"][0]["id"], "po_2", "newest first: {h}");
    assert_eq!(h["items"][0]["movements"], json!([]), "{h}");
    assert_eq!(h["items"][1]["id"], "po_1");
    // Paged.
    let page = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/history?per_page=1&page=2",
            Some(&sm.seller),
            None,
        )
        .await;
    assert_eq!(page.body["items"][0]["id"], "po_1", "{}", page.text);
    assert!(page.body.get("next_page").is_none(), "{}", page.text);

    // The operator reads the shop's history too.
    let op = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/admin/payouts?shop={}", sm.shop_id),
            Some(&sm.market.operator),
            None,
        )
        .await;
    assert_eq!(op.status, StatusCode::OK, "{}", op.text);
    assert_eq!(op.body["items"].as_array().unwrap().len(), 2, "{}", op.text);
    // Sellers may not use the operators' view.
    let refused = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/payouts",
            Some(&sm.seller),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
}

#[tokio::test]
async fn a_failed_payout_delivered_before_its_older_paid_event_stays_failed_and_mails_once() {
    let (stripe, app) = spawn().await;
    let (sm, _, transferred) = two_sales(&app, &stripe).await;
    let po_at = now() + 2;
    let failed = payout_event(
        "evt_fail",
        "payout.failed",
        po_at + 60,
        &sm.account,
        "po_9",
        "failed",
        transferred,
        po_at,
    );
    let paid = payout_event(
        "evt_paid",
        "payout.paid",
        po_at + 30,
        &sm.account,
        "po_9",
        "paid",
        transferred,
        po_at,
    );
    // The newer event first, then the older one, each delivered twice.
    assert_eq!(send(&app, &failed).await.body["outcome"], "applied");
    let stale = send(&app, &paid).await;
    assert_eq!(
        stale.body["outcome"], "duplicate_or_stale",
        "{}",
        stale.text
    );
    send(&app, &failed).await;
    send(&app, &paid).await;
    app.drain_outbox().await;

    let h = history(&app, LYON, &sm.seller).await;
    assert_eq!(h["items"].as_array().unwrap().len(), 1, "{h}");
    assert_eq!(h["items"][0]["status"], "failed", "{h}");
    assert_eq!(h["items"][0]["failure_code"], "account_closed");
    let mails: Vec<String> = app
        .mails()
        .into_iter()
        .filter(|m| m.contains("s@lyon.example") && m.contains("a échoué"))
        .collect();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains("le compte bancaire a été clôturé"),
        "the reason in words: {}",
        mails[0]
    );
}

#[tokio::test]
async fn payout_events_delivered_five_times_in_any_order_apply_once() {
    let (stripe, app) = spawn().await;
    let (sm, _, transferred) = two_sales(&app, &stripe).await;
    let po_at = now() + 2;
    let events = [
        payout_event(
            "evt_c",
            "payout.created",
            po_at,
            &sm.account,
            "po_5",
            "pending",
            transferred,
            po_at,
        ),
        payout_event(
            "evt_u",
            "payout.updated",
            po_at + 10,
            &sm.account,
            "po_5",
            "in_transit",
            transferred,
            po_at,
        ),
        payout_event(
            "evt_p",
            "payout.paid",
            po_at + 20,
            &sm.account,
            "po_5",
            "paid",
            transferred,
            po_at,
        ),
    ];
    let mut outcomes = Vec::new();
    for round in 0..5 {
        // Newest first on even rounds, oldest first on odd ones.
        let order: Vec<&Value> = if round % 2 == 0 {
            events.iter().rev().collect()
        } else {
            events.iter().collect()
        };
        for e in order {
            outcomes.push(
                send(&app, e).await.body["outcome"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
    }
    assert_eq!(
        outcomes.iter().filter(|o| *o == "applied").count(),
        1,
        "{outcomes:?}"
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM seller_payouts").await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM webhook_events WHERE event_id IN ('evt_c', 'evt_u', 'evt_p')"
        )
        .await,
        3
    );
    let h = history(&app, LYON, &sm.seller).await;
    assert_eq!(h["items"][0]["status"], "paid", "{h}");
    assert_eq!(h["items"][0]["amount_minor"], transferred);
}

#[tokio::test]
async fn other_accounts_are_ignored_and_no_marketplace_sees_another_ones_payouts() {
    let (stripe, app) = spawn().await;
    let (sm, _, transferred) = two_sales(&app, &stripe).await;
    let at = now() + 2;
    send(
        &app,
        &payout_event(
            "evt_l",
            "payout.paid",
            at,
            &sm.account,
            "po_l",
            "paid",
            transferred,
            at,
        ),
    )
    .await;
    // An account no marketplace knows, and the marketplace's own Connect account.
    for (id, account) in [("evt_x", "acct_1Unknown"), ("evt_m", "acct_1Market")] {
        let r = send(
            &app,
            &payout_event(
                id,
                "payout.paid",
                at,
                account,
                &format!("po_{id}"),
                "paid",
                100,
                at,
            ),
        )
        .await;
        assert_eq!(r.body["outcome"], "ignored", "{}", r.text);
    }
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM seller_payouts").await,
        1
    );

    // Paris: its seller and its operator see nothing of Lyon's payouts.
    let paris = market(&app, "paris", false).await;
    let (paris_seller, _) = live_seller(&app, PARIS, &paris, "s@paris.example", "Paris").await;
    assert_eq!(
        history(&app, PARIS, &paris_seller).await["items"],
        json!([])
    );
    let op = app
        .store(
            Method::GET,
            PARIS,
            &format!("/api/v1/admin/payouts?shop={}", sm.shop_id),
            Some(&paris.operator),
            None,
        )
        .await;
    assert_eq!(op.status, StatusCode::OK, "{}", op.text);
    assert_eq!(op.body["items"], json!([]), "{}", op.text);
    // Lyon's seller token is refused on Paris's host.
    let crossed = app
        .store(
            Method::GET,
            PARIS,
            "/api/v1/seller/payouts/history",
            Some(&sm.seller),
            None,
        )
        .await;
    assert!(crossed.status.is_client_error(), "{}", crossed.text);

    // Underneath, row-level security alone hides and protects Lyon's row from Paris.
    let pool = app.db.pool(DbRole::App, 1);
    let paris_id: Uuid = paris.id.parse().unwrap();
    let mut tx = pool
        .tenant(&krafto_testkit::scope(&pool, paris_id).await)
        .await
        .unwrap();
    let visible: i64 = tx.fetch_one(seller_payouts::table.count()).await.unwrap();
    assert_eq!(visible, 0);
    let touched = tx
        .run(diesel::update(seller_payouts::table).set(seller_payouts::status.eq("failed")))
        .await
        .unwrap();
    assert_eq!(touched, 0);
    tx.commit().await.unwrap();
    let h = history(&app, LYON, &sm.seller).await;
    assert_eq!(h["items"][0]["status"], "paid", "{h}");
}

#[tokio::test]
async fn the_csv_has_french_headers_and_one_row_per_movement() {
    let (stripe, app) = spawn().await;
    let (sm, numbers, transferred) = two_sales(&app, &stripe).await;
    let at = now() + 2;
    send(
        &app,
        &payout_event(
            "evt_csv",
            "payout.paid",
            at,
            &sm.account,
            "po_c",
            "paid",
            transferred,
            at,
        ),
    )
    .await;
    let r = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/history.csv",
            Some(&sm.seller),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .starts_with("text/csv"),
        "{:?}",
        r.headers.get("content-type")
    );
    let mut reader = csv::Reader::from_reader(r.text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "date",
            "versement",
            "nature",
            "commande",
            "montant",
            "devise"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let h = history(&app, LYON, &sm.seller).await;
    assert_eq!(
        rows.len(),
        h["items"][0]["movements"].as_array().unwrap().len()
    );
    for n in &numbers {
        assert!(
            rows.iter().any(|r| &r[2] == "vente" && &r[3] == n.as_str()),
            "{rows:?}"
        );
        assert!(
            rows.iter()
                .any(|r| &r[2] == "commission" && &r[3] == n.as_str()),
            "{rows:?}"
        );
    }
    let cents: i64 = rows
        .iter()
        .map(|r| {
            assert_eq!(&r[1], "po_c");
            assert_eq!(&r[5], "EUR");
            let amount: f64 = r[4].parse().unwrap();
            (amount * 100.0).round() as i64
        })
        .sum();
    assert_eq!(cents, transferred);
}

#[tokio::test]
async fn the_history_page_speaks_french_without_machinery() {
    let (stripe, app) = spawn().await;
    let (sm, numbers, transferred) = two_sales(&app, &stripe).await;
    let at = now() + 2;
    send(
        &app,
        &payout_event(
            "evt_page",
            "payout.paid",
            at,
            &sm.account,
            "po_page",
            "paid",
            transferred,
            at,
        ),
    )
    .await;
    let mut web = WebSession::storefront(&app, LYON, Some(&sm.seller));
    let payouts = web.get("/sell/payouts").await;
    assert_eq!(payouts.status, StatusCode::OK, "{}", payouts.text);
    assert!(
        payouts.text.contains(r#"href="/sell/payouts/history""#),
        "linked from the payouts page"
    );
    let page = web.get("/sell/payouts/history").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let text = krafto_testkit::visible_text(&page.text);
    assert!(text.contains("Historique des versements"), "{text}");
    assert!(text.contains("Versé"), "{text}");
    assert!(text.contains("Télécharger (CSV)"), "{text}");
    for n in &numbers {
        assert!(text.contains(&format!("vente, commande {n}")), "{text}");
    }
    assert!(!text.contains("po_page"), "{text}");
    let english = krafto_i18n::english_words_in(&text);
    assert!(
        english.is_empty(),
        "English on a French page: {english:?}\n{text}"
    );
    for word in text.split(|c: char| c.is_whitespace() || "()[]«»,.;:!?\"'’".contains(c)) {
        let is_uuid = word.len() == 36 && word.chars().filter(|c| *c == '-').count() == 4;
        let is_code = word.contains('_')
            && !word.contains('@')
            && word.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        assert!(
            !is_uuid && !is_code && !word.starts_with("/api/") && !word.starts_with('{'),
            "machinery shows: {word:?}\n{text}"
        );
    }
    // 390 px: the page's own blocks are lists, not wide tables.
    assert!(!page.text.contains("<table"), "{}", page.text);
    let csv = web.get("/sell/payouts/history.csv").await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
    assert!(
        csv.text.starts_with("date,versement,nature"),
        "{}",
        csv.text
    );
}
