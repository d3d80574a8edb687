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
