//! Reconciliation: a marketplace's day of payments, transfers, refunds and reversals, as the
//! Stripe double reports them, matches our records and ledger with no difference; a changed
//! record and a provider movement we never recorded are each found and named; one
//! marketplace's runs are invisible to another.

use crate::catalog::{LYON, listing_body, live_listing};
use crate::commerce::count;
use crate::payments::{now, with_webhooks};
use crate::refunds::{StripeMarket, admin_order, operator_refund, paid_order, stripe_market};
use diesel::sql_query;
use diesel_async::RunQueryDsl;
use krafto_db::models::ReconciliationRun;
use krafto_payments::testing::StripeDouble;
use krafto_payments::{NewRefund, PaymentGateway, PaymentSettings};
use krafto_testkit::TestApp;
use krafto_testkit::builders::TenantBuilder;
use platform::reconcile::{DayReport, reconcile_day};
use serde_json::json;
use std::collections::BTreeMap;

async fn exec(app: &TestApp, sql: &str) {
    let mut conn = app.db.superuser().await;
    sql_query(sql).execute(&mut conn).await.unwrap();
}

/// Settles every payment intent of the double that our checkouts were paid with, as the
/// card payments behind the webhooks the tests deliver.
fn settle_payments(stripe: &StripeDouble) {
    for pi in stripe.objects("/v1/payment_intents") {
        let id = pi["id"].as_str().unwrap();
        stripe
            .payment_succeeded_event(id, &format!("evt_settle_{id}"), now())
            .unwrap();
    }
}

async fn reconcile_today(app: &TestApp, slug: Option<&str>) -> Vec<DayReport> {
    let state = platform::AppState::from_settings(&app.settings)
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    reconcile_day(&state, today, slug, |_| {}).await.unwrap()
}

async fn stripe_app() -> (StripeDouble, TestApp, StripeMarket) {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let sm = stripe_market(&app, &stripe).await;
    (stripe, app, sm)
}

#[tokio::test]
async fn a_day_of_sales_refunds_and_reversals_reconciles_clean_and_each_injected_difference_is_named()
 {
    let (stripe, app, sm) = stripe_app().await;
    let bowl = live_listing(&app, LYON, &sm.seller, listing_body("Bol", 3000)).await;
    let first = paid_order(&app, &sm, &bowl, 2, "pay-1").await;
    let second = paid_order(&app, &sm, &bowl, 1, "pay-2").await;
    assert_ne!(first, second);
    settle_payments(&stripe);
    let order = admin_order(&app, &sm, &first).await;
    let line = order["lines"][0]["id"].as_str().unwrap().to_owned();
    let r = operator_refund(
        &app,
        &sm,
        &first,
        json!({ "lines": [{ "line_id": line, "quantity": 1 }], "reason": "arrived broken" }),
    )
    .await;
    assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.text);
    app.drain_outbox().await;
    assert_eq!(stripe.created("/v1/refunds"), 1);
    assert!(
        stripe
            .requests()
            .iter()
            .any(|r| r.path.ends_with("/reversals")),
        "the refund reversed transfers"
    );

    // Two payments, four transfers, one refund, two reversals: all match.
    let reports = reconcile_today(&app, Some("lyon")).await;
    assert_eq!(reports.len(), 1);
    let clean = &reports[0];
    assert!(clean.gateway_checked);
    assert_eq!(clean.differences, vec![], "no difference expected");
    assert_eq!(clean.our_movements, 9, "{clean:?}");
    assert_eq!(clean.gateway_movements, 9, "{clean:?}");
    assert_eq!(clean.status(), "clean");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM reconciliation_runs WHERE status = 'clean' AND gateway_checked"
        )
        .await,
        1
    );

    // A transfer's amount changed behind the application's back is named, with the order.
    let seller_transfer = stripe
        .objects("/v1/transfers")
        .iter()
        .find(|t| t["destination"] == sm.account.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    exec(
        &app,
        &format!(
            "UPDATE transfers SET amount_minor = amount_minor + 7 WHERE gateway_id = '{seller_transfer}'"
        ),
    )
    .await;
    // And a refund made at the provider that we never recorded.
    let pi = stripe.objects("/v1/payment_intents")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stray = stripe
        .gateway()
        .create_refund(&NewRefund {
            payment_id: pi,
            amount_minor: 100,
            metadata: BTreeMap::from([("tenant_id".to_owned(), sm.market.id.clone())]),
            idempotency_key: "stray-refund".to_owned(),
        })
        .await
        .unwrap();

    let reports = reconcile_today(&app, Some("lyon")).await;
    let dirty = &reports[0];
    assert_eq!(dirty.status(), "differences");
    let changed = dirty
        .differences
        .iter()
        .find(|d| d.what == "amount_differs")
        .unwrap_or_else(|| panic!("the changed transfer: {:?}", dirty.differences));
    assert_eq!(
        changed.gateway_id.as_deref(),
        Some(seller_transfer.as_str())
    );
    assert_eq!(changed.ours.unwrap() - changed.theirs.unwrap(), 7);
    let number = changed.our_ref.clone().unwrap();
    assert!(
        number == first || number == second,
        "names the order: {number}"
    );
    assert!(
        changed.detail.contains(&seller_transfer),
        "{}",
        changed.detail
    );
    let unknown = dirty
        .differences
        .iter()
        .find(|d| d.what == "unknown_at_gateway")
        .unwrap_or_else(|| panic!("the stray refund: {:?}", dirty.differences));
    assert_eq!(unknown.gateway_id.as_deref(), Some(stray.as_str()));
    assert_eq!(unknown.theirs, Some(100));
    // The ledger no longer agrees with the changed record either: clearing and the seller.
    for what in ["clearing_transfer", "seller_transfer"] {
        assert!(
            dirty.differences.iter().any(|d| d.what == what),
            "{what}: {:?}",
            dirty.differences
        );
    }
    // The operator console shows both runs, the differences in words: the order, not ids
    // or codes.
    let page = krafto_testkit::WebSession::storefront(&app, LYON, Some(&sm.market.operator))
        .get("/admin/reconciliation")
        .await;
    assert_eq!(page.status, reqwest::StatusCode::OK, "{}", page.text);
    assert_eq!(
        page.text.matches("class=\"audit-entry\"").count(),
        2,
        "{}",
        page.text
    );
    assert!(page.text.contains(&number), "{}", page.text);
    for machinery in [
        seller_transfer.as_str(),
        stray.as_str(),
        "amount_differs",
        "seller:",
        "clearing_",
    ] {
        assert!(!page.text.contains(machinery), "{machinery}: {}", page.text);
    }
    // Stored with the run, for the consoles.
    let run_id = dirty.run_id;
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT count(*) AS n FROM reconciliation_differences WHERE run_id = '{run_id}'"
            )
        )
        .await,
        i64::try_from(dirty.differences.len()).unwrap()
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT differences::bigint AS n FROM reconciliation_runs WHERE id = '{run_id}' AND status = 'differences'"
            )
        )
        .await,
        i64::try_from(dirty.differences.len()).unwrap()
    );
}

#[tokio::test]
async fn one_marketplaces_reconciliation_runs_and_differences_are_invisible_to_another() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let paris = TenantBuilder::new("paris").build(&app).await;
    // The test gateway keeps no books: the ledger alone is checked, and it is clean.
    let reports = reconcile_today(&app, None).await;
    assert_eq!(reports.len(), 2);
    assert!(
        reports
            .iter()
            .all(|r| !r.gateway_checked && r.status() == "clean")
    );
    // A difference stored for Lyon only.
    let lyon_run = reports.iter().find(|r| r.slug == "lyon").unwrap().run_id;
    exec(
        &app,
        &format!(
            "INSERT INTO reconciliation_differences (tenant_id, run_id, position, what, detail) VALUES ('{}', '{lyon_run}', 0, 'amount_differs', 'x')",
            lyon.id()
        ),
    )
    .await;
    // The control plane shows each marketplace's last run and its count of differences,
    // never another marketplace's.
    let mut staff = krafto_testkit::WebSession::control(&app);
    let signed = staff
        .post(
            "/sign-in",
            &[
                ("email", krafto_testkit::STAFF_EMAIL),
                ("password", krafto_testkit::STAFF_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        signed.status,
        reqwest::StatusCode::SEE_OTHER,
        "{}",
        signed.text
    );
    let before = staff.get(&format!("/marketplaces/{}", paris.id())).await;
    assert_eq!(before.status, reqwest::StatusCode::OK, "{}", before.text);
    assert!(
        before
            .text
            .contains(r#"<dd id="reconciliation-result">no differences</dd>"#),
        "{}",
        before.text
    );
    exec(
        &app,
        &format!(
            "UPDATE reconciliation_runs SET status = 'differences', differences = 1 WHERE id = '{lyon_run}'"
        ),
    )
    .await;
    let lyon_page = staff.get(&format!("/marketplaces/{}", lyon.id())).await;
    assert!(
        lyon_page
            .text
            .contains(r#"<dd id="reconciliation-differences">1</dd>"#),
        "{}",
        lyon_page.text
    );
    let paris_page = staff.get(&format!("/marketplaces/{}", paris.id())).await;
    assert!(
        paris_page
            .text
            .contains(r#"<dd id="reconciliation-differences">0</dd>"#),
        "{}",
        paris_page.text
    );
    let state = platform::AppState::from_settings(&app.settings)
        .await
        .unwrap();
    for (market, other) in [(&lyon, paris.id()), (&paris, lyon.id())] {
        let slug = market.tenant.slug.as_str();
        let tenant = &market.tenant;
        let mut tx = state.db.tenant(&market.scope()).await.unwrap();
        let runs = ReconciliationRun::latest(&mut tx, 10).await.unwrap();
        assert_eq!(runs.len(), 1, "{slug} sees its own run only");
        assert!(
            runs.iter()
                .all(|r| r.tenant_id == tenant.id && r.tenant_id != other)
        );
        let diffs = ReconciliationRun::differences(&mut tx, lyon_run)
            .await
            .unwrap();
        assert_eq!(diffs.len(), usize::from(slug == "lyon"), "{slug}");
        tx.commit().await.unwrap();
    }
}

/// A small deterministic generator (xorshift): the property test's sequence is the same on
/// every run, and the seed in a failure message reproduces it.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(n).unwrap()).unwrap()
    }
}

#[derive(diesel::QueryableByName, Debug)]
struct Line {
    #[diesel(sql_type = diesel::sql_types::Text)]
    number: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    line_id: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    quantity: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    refunded: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    payment_id: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    total_minor: i64,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    disputed: bool,
}

/// Every order line with what was refunded of it, and its checkout's payment.
async fn lines(app: &TestApp) -> Vec<Line> {
    let mut conn = app.db.superuser().await;
    sql_query(
        "SELECT o.number, l.id::text AS line_id, l.quantity::bigint AS quantity,
                coalesce((SELECT sum(rl.quantity) FROM refund_lines rl WHERE rl.order_line_id = l.id), 0)::bigint AS refunded,
                c.payment_id, c.total_minor,
                EXISTS (SELECT 1 FROM disputes d WHERE d.checkout_id = c.id) AS disputed
           FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN checkouts c ON c.id = o.checkout_id
          ORDER BY o.number, l.position",
    )
    .load(&mut conn)
    .await
    .unwrap()
}

/// Another ready seller in the Stripe market: its token and a listing of it.
async fn another_seller(
    app: &TestApp,
    stripe: &StripeDouble,
    sm: &StripeMarket,
    n: usize,
) -> (String, String) {
    use crate::payments::{SECRET_NEW, account_event, deliver};
    let (seller, _shop) = crate::catalog::live_seller(
        app,
        LYON,
        &sm.market,
        &format!("s{n}@lyon.example"),
        &format!("Atelier {n}"),
    )
    .await;
    let link = app
        .store(
            reqwest::Method::POST,
            LYON,
            "/api/v1/seller/payouts/onboarding",
            Some(&seller),
            None,
        )
        .await;
    let account = link.body["account_id"].as_str().unwrap().to_owned();
    assert!(stripe.complete_onboarding(&account));
    let ready = deliver(
        app,
        "/webhooks/stripe/connect",
        &account_event(&format!("evt_ready{n}"), now(), &account, true),
        SECRET_NEW,
        now(),
    )
    .await;
    assert_eq!(ready.body["outcome"], "applied", "{}", ready.text);
    let r = app
        .store(
            reqwest::Method::PUT,
            LYON,
            "/api/v1/seller/shipping-options",
            Some(&seller),
            Some(json!([{ "name": "Post", "base_minor": 400, "days_min": 1, "days_max": 3 }])),
        )
        .await;
    assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.text);
    let mut body = listing_body(&format!("Vase {n}"), 1700 + 300 * i64::try_from(n).unwrap());
    body["quantity"] = json!(200);
    let listing = live_listing(app, LYON, &seller, body).await;
    (seller, listing)
}

/// A guest buys some of each listing in one checkout; Stripe reports the payment (the double
/// settles it); the worker sends the transfers.
async fn buy(
    app: &TestApp,
    stripe: &StripeDouble,
    sm: &StripeMarket,
    items: &[(&str, i64)],
    key: &str,
) {
    use crate::commerce::{add, checkout, guest_checkout_body};
    use crate::payments::{SECRET_NEW, deliver, payment_event};
    let mut cart: Option<String> = None;
    for (listing, qty) in items {
        let r = add(app, LYON, cart.as_deref(), None, listing, *qty).await;
        assert_eq!(r.status, reqwest::StatusCode::OK, "{}", r.text);
        cart = r.body["cart_token"].as_str().map(str::to_owned).or(cart);
    }
    let co = checkout(app, LYON, cart.as_deref(), None, key, guest_checkout_body()).await;
    assert_eq!(co.status, reqwest::StatusCode::CREATED, "{}", co.text);
    let id = co.body["id"].as_str().unwrap();
    let paid = deliver(
        app,
        "/webhooks/stripe",
        &payment_event(
            &format!("evt_{key}"),
            "payment_intent.succeeded",
            now(),
            &sm.market.id,
            id,
        ),
        SECRET_NEW,
        now(),
    )
    .await;
    assert_eq!(paid.body["outcome"], "applied", "{}", paid.text);
    settle_payments(stripe);
}

fn dispute_event(
    id: &str,
    kind: &str,
    dispute: &str,
    pi: &str,
    amount: i64,
    money: &[(i64, i64)],
) -> serde_json::Value {
    json!({
        "id": id, "object": "event", "type": kind, "created": now(), "livemode": false,
        "data": { "object": {
            "id": dispute, "object": "dispute", "amount": amount, "currency": "eur",
            "charge": "ch_3Disputed", "payment_intent": pi,
            "reason": "product_not_received", "status": "needs_response",
            "evidence_details": { "due_by": now() + 7 * 86_400, "has_evidence": false, "past_due": false, "submission_count": 0 },
            "balance_transactions": money.iter().map(|(a, f)| json!({
                "object": "balance_transaction", "amount": a, "fee": f, "currency": "eur",
                "reporting_category": "dispute",
            })).collect::<Vec<_>>(),
        } }
    })
}

#[tokio::test]
async fn random_sales_refunds_disputes_and_payouts_keep_the_books_square_and_reconcile_clean() {
    use crate::payments::{SECRET_NEW, deliver};
    let seed = 0x5eed_2026_u64;
    let mut rng = Rng(seed);
    let (stripe, app, sm) = stripe_app().await;
    let mut body = listing_body("Bol", 3000);
    body["quantity"] = json!(200);
    let mut listings = vec![live_listing(&app, LYON, &sm.seller, body).await];
    for n in 1..3 {
        listings.push(another_seller(&app, &stripe, &sm, n).await.1);
    }
    let mut sales = 0;
    let mut disputes = 0;
    for step in 0..24 {
        let choice = if sales == 0 { 0 } else { rng.below(10) };
        match choice {
            // A sale of 1 to 3 shops' listings.
            0..=3 => {
                let shops = 1 + rng.below(3);
                let mut items = Vec::new();
                for l in listings.iter().take(shops) {
                    items.push((l.as_str(), i64::try_from(1 + rng.below(3)).unwrap()));
                }
                buy(&app, &stripe, &sm, &items, &format!("sale-{step}")).await;
                sales += 1;
            }
            // A partial refund of a line not disputed, sometimes asking too much.
            4..=6 => {
                let open: Vec<Line> = lines(&app)
                    .await
                    .into_iter()
                    .filter(|l| !l.disputed && l.refunded < l.quantity)
                    .collect();
                if open.is_empty() {
                    continue;
                }
                let l = &open[rng.below(open.len())];
                let left = l.quantity - l.refunded;
                let too_much = rng.below(4) == 0;
                let quantity = if too_much {
                    left + 1
                } else {
                    1 + i64::try_from(rng.below(usize::try_from(left).unwrap())).unwrap()
                };
                let r = operator_refund(
                    &app,
                    &sm,
                    &l.number,
                    json!({ "lines": [{ "line_id": l.line_id, "quantity": quantity }], "reason": "random" }),
                )
                .await;
                if too_much {
                    assert_eq!(
                        r.status,
                        reqwest::StatusCode::UNPROCESSABLE_ENTITY,
                        "seed {seed:#x} step {step}: {}",
                        r.text
                    );
                } else {
                    assert_eq!(
                        r.status,
                        reqwest::StatusCode::OK,
                        "seed {seed:#x} step {step}: {}",
                        r.text
                    );
                }
            }
            // A dispute of a payment nothing was refunded of, lost: the money withdrawn.
            7 => {
                let all = lines(&app).await;
                let candidates: Vec<&Line> = all
                    .iter()
                    .filter(|l| {
                        !l.disputed
                            && !all
                                .iter()
                                .any(|o| o.payment_id == l.payment_id && o.refunded > 0)
                    })
                    .collect();
                if candidates.is_empty() {
                    continue;
                }
                let l = candidates[rng.below(candidates.len())];
                disputes += 1;
                let dp = format!("dp_1Random{disputes:04}");
                stripe.open_dispute(&dp, &l.payment_id, l.total_minor, "eur");
                for (kind, money) in [
                    ("charge.dispute.created", vec![]),
                    (
                        "charge.dispute.funds_withdrawn",
                        vec![(-l.total_minor, 1500)],
                    ),
                ] {
                    let e = dispute_event(
                        &format!("evt_{dp}_{kind}"),
                        kind,
                        &dp,
                        &l.payment_id,
                        l.total_minor,
                        &money,
                    );
                    let r = deliver(&app, "/webhooks/stripe", &e, SECRET_NEW, now()).await;
                    assert_eq!(
                        r.body["outcome"], "applied",
                        "seed {seed:#x} step {step}: {}",
                        r.text
                    );
                }
            }
            // The worker catches up (transfers, refunds, reversals).
            _ => {}
        }
        app.drain_outbox().await;
    }
    // The sequence covered what it is about: sales to several shops at once, refunds sent
    // (and reversed), a dispute's money withdrawn.
    for (what, sql) in [
        (
            "a multi-shop sale",
            "SELECT count(*) AS n FROM (SELECT checkout_id FROM orders GROUP BY checkout_id HAVING count(*) > 1) c",
        ),
        (
            "a refund sent",
            "SELECT count(*) AS n FROM refunds WHERE status = 'sent'",
        ),
        (
            "a reversal sent",
            "SELECT count(*) AS n FROM transfer_reversals WHERE status = 'sent'",
        ),
        (
            "a dispute withdrawn",
            "SELECT count(*) AS n FROM disputes WHERE withdrawn_minor > 0",
        ),
    ] {
        assert!(count(&app, sql).await > 0, "seed {seed:#x} made no {what}");
    }

    // Every journal sums to zero.
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM (SELECT journal_id FROM ledger_entries GROUP BY journal_id, currency HAVING sum(amount_minor) <> 0) j").await,
        0,
        "seed {seed:#x}"
    );
    // No line is refunded beyond its quantity.
    for l in lines(&app).await {
        assert!(l.refunded <= l.quantity, "seed {seed:#x}: {l:?}");
    }
    // Each seller's balance, as the payouts page reads it, is the sum of its entries.
    let state = platform::AppState::from_settings(&app.settings)
        .await
        .unwrap();
    let mut conn = app.db.superuser().await;
    #[derive(diesel::QueryableByName)]
    struct Account {
        #[diesel(sql_type = diesel::sql_types::Text)]
        account: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sums: Vec<Account> = sql_query("SELECT account, sum(amount_minor)::bigint AS n FROM ledger_entries WHERE account LIKE 'seller:%' GROUP BY account")
        .load(&mut conn)
        .await
        .unwrap();
    assert!(!sums.is_empty());
    let tenant = {
        let mut control = state.db.control().await.unwrap();
        let t = krafto_db::models::Tenant::find_by_slug(&mut control, "lyon")
            .await
            .unwrap()
            .unwrap();
        control.commit().await.unwrap();
        t
    };
    let mut tx = state
        .db
        .tenant(&krafto_db::TenantScope::resolved(&tenant))
        .await
        .unwrap();
    let accounts: Vec<String> = sums.iter().map(|a| a.account.clone()).collect();
    let balances = krafto_db::models::LedgerEntry::balances(&mut tx, Some(&accounts))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for a in &sums {
        let b: i64 = balances
            .iter()
            .filter(|b| b.account == a.account)
            .map(|b| b.amount_minor)
            .sum();
        assert_eq!(b, a.n, "seed {seed:#x}: {}", a.account);
    }

    // Reconciliation finds nothing…
    let reports = reconcile_today(&app, Some("lyon")).await;
    assert_eq!(reports[0].differences, vec![], "seed {seed:#x}");
    assert!(reports[0].gateway_checked && reports[0].our_movements > 0);
    // …until one refund's amount is changed behind the application's back.
    let refunds = count(
        &app,
        "SELECT count(*) AS n FROM refunds WHERE status = 'sent'",
    )
    .await;
    let changed = if refunds > 0 {
        exec(&app, "UPDATE refunds SET amount_minor = amount_minor + 1, items_minor = items_minor + 1, seller_minor = seller_minor + 1 WHERE id = (SELECT id FROM refunds WHERE status = 'sent' ORDER BY id LIMIT 1)").await;
        "refund"
    } else {
        exec(&app, "UPDATE transfers SET amount_minor = amount_minor + 1 WHERE id = (SELECT id FROM transfers WHERE status = 'sent' ORDER BY id LIMIT 1)").await;
        "transfer"
    };
    let reports = reconcile_today(&app, Some("lyon")).await;
    let found: Vec<_> = reports[0]
        .differences
        .iter()
        .filter(|d| d.what == "amount_differs")
        .collect();
    assert_eq!(
        found.len(),
        1,
        "seed {seed:#x}: {:?}",
        reports[0].differences
    );
    assert_eq!(found[0].kind.as_deref(), Some(changed));
    assert_eq!(found[0].ours.unwrap() - found[0].theirs.unwrap(), 1);
}
