//! Carts, checkout, orders, payouts and the ledger: money moves exactly once, to the right
//! people, inside one marketplace.

use crate::catalog::{LYON, Market, PARIS, listing_body, live_listing, live_seller, market};
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use krafto_testkit::{
    ListingBuilder, OrderBuilder, PostedFrom, Reply, ShopBuilder, TenantBuilder, TestApp,
    UserBuilder,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;

/// A seller whose shop is live, can take payments (test onboarding completed) and ships at
/// `base` + `per_item` per unit.
pub(crate) struct Seller {
    pub(crate) token: String,
    pub(crate) shop_id: String,
}

pub(crate) async fn payable_seller(
    app: &TestApp,
    host: &str,
    m: &Market,
    email: &str,
    shop: &str,
    base: i64,
    per_item: i64,
) -> Seller {
    let (token, shop_v) = live_seller(app, host, m, email, shop).await;
    complete_payouts(app, host, &token).await;
    let r = app
        .store(
            Method::PUT,
            host,
            "/api/v1/seller/shipping-options",
            Some(&token),
            Some(json!([{ "name": "Colissimo", "base_minor": base, "per_item_minor": per_item, "days_min": 2, "days_max": 4 }])),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    Seller {
        token,
        shop_id: shop_v["id"].as_str().unwrap().to_owned(),
    }
}

/// Follows the test-mode onboarding link and completes it, as the seller would.
pub(crate) async fn complete_payouts(app: &TestApp, host: &str, token: &str) {
    let link = app
        .store(
            Method::POST,
            host,
            "/api/v1/seller/payouts/onboarding",
            Some(token),
            None,
        )
        .await;
    assert_eq!(link.status, StatusCode::OK, "{}", link.text);
    assert_eq!(link.body["test_mode"], true);
    let url = link.body["url"].as_str().unwrap();
    let path = url.split_once(host).unwrap().1;
    let (page_path, _) = path.split_once('?').unwrap();
    let page = app
        .http
        .get(format!("http://{}{path}", app.platforms[0]))
        .header("host", host)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Test mode"));
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let opened = app.page_token(host, None).await;
    let done = no_redirects
        .post(format!("http://{}{page_path}", app.platforms[0]))
        .header("host", host)
        .posted_from(&opened)
        .form(&[("return_url", format!("http://{host}/sell/payouts"))])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        done.headers()["location"],
        format!("http://{host}/sell/payouts").as_str()
    );
}

pub(crate) async fn add(
    app: &TestApp,
    host: &str,
    cart: Option<&str>,
    token: Option<&str>,
    listing: &str,
    qty: i64,
) -> Reply {
    let headers: Vec<(&str, &str)> = cart.map(|c| vec![("x-cart-token", c)]).unwrap_or_default();
    app.store_with(
        Method::POST,
        host,
        "/api/v1/store/cart/lines",
        token,
        &headers,
        Some(json!({ "listing_id": listing, "quantity": qty })),
    )
    .await
}

fn address() -> Value {
    json!({ "name": "Ada Lovelace", "line1": "3 rue Mercière", "postal_code": "69002", "city": "Lyon", "country": "fr" })
}

pub(crate) fn guest_checkout_body() -> Value {
    json!({ "email": "ada@example.com", "phone": "+33 6 12 34 56 78", "address": address() })
}

pub(crate) async fn checkout(
    app: &TestApp,
    host: &str,
    cart: Option<&str>,
    token: Option<&str>,
    key: &str,
    body: Value,
) -> Reply {
    let mut headers = vec![("idempotency-key", key)];
    if let Some(c) = cart {
        headers.push(("x-cart-token", c));
    }
    app.store_with(
        Method::POST,
        host,
        "/api/v1/store/checkout",
        token,
        &headers,
        Some(body),
    )
    .await
}

pub(crate) async fn pay(app: &TestApp, host: &str, checkout: &Value, outcome: &str) -> Reply {
    let id = checkout["id"].as_str().unwrap();
    app.store(
        Method::POST,
        host,
        &format!("/api/v1/store/checkout/{id}/test-payment"),
        None,
        Some(json!({ "client_secret": checkout["payment"]["client_secret"], "outcome": outcome })),
    )
    .await
}

#[derive(QueryableByName, Debug)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// One number from the database (superuser: sees every tenant).
pub(crate) async fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.db.superuser().await;
    sql_query(sql)
        .get_result::<Count>(&mut conn)
        .await
        .unwrap()
        .n
}

/// Every ledger journal sums to zero (the database also refuses one that does not, at
/// commit), and so does the whole ledger.
async fn assert_ledger_balances(app: &TestApp) {
    let off = count(
        app,
        "SELECT count(*) AS n FROM (SELECT journal_id FROM ledger_entries GROUP BY journal_id HAVING sum(amount_minor) <> 0) j",
    )
    .await;
    assert_eq!(off, 0, "unbalanced ledger journals");
    assert_eq!(
        count(
            app,
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries"
        )
        .await,
        0
    );
    assert!(
        count(app, "SELECT count(*) AS n FROM ledger_entries").await > 0,
        "the ledger has entries"
    );
}

/// Three shops, one guest checkout: orders per shop, exact shares, transfers, e-mails.
#[tokio::test]
async fn a_guest_pays_three_shops_in_one_checkout_and_everyone_gets_exactly_their_share() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    // 12% commission, of which Krafto takes 2%.
    let r = app
        .control(Method::PATCH, &format!("/tenants/{}", m.id), Some(json!({ "fees": { "seller_commission_bps": 1200, "platform_fee_bps": 200, "minimum_order_minor": 0 } })))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let a = payable_seller(&app, LYON, &m, "a@lyon.example", "Atelier A", 490, 0).await;
    let b = payable_seller(&app, LYON, &m, "b@lyon.example", "Atelier B", 0, 250).await;
    let c = payable_seller(&app, LYON, &m, "c@lyon.example", "Atelier C", 300, 100).await;
    let la = live_listing(&app, LYON, &a.token, listing_body("Bol en grès", 2500)).await;
    let lb = live_listing(&app, LYON, &b.token, listing_body("Tasse émaillée", 999)).await;
    let lc = live_listing(&app, LYON, &c.token, listing_body("Vase bleu", 4001)).await;

    let first = add(&app, LYON, None, None, &la, 2).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let cart_token = first.body["cart_token"].as_str().unwrap().to_owned();
    assert_eq!(
        add(&app, LYON, Some(&cart_token), None, &lb, 3)
            .await
            .status,
        StatusCode::OK
    );
    let cart = add(&app, LYON, Some(&cart_token), None, &lc, 1).await;
    assert_eq!(cart.status, StatusCode::OK, "{}", cart.text);
    assert!(
        cart.body["cart_token"].is_null(),
        "the token is only handed out once"
    );
    assert_eq!(cart.body["shops"].as_array().unwrap().len(), 3);
    // Items 5000 + 2997 + 4001; shipping 490 + 750 + 400.
    assert_eq!(cart.body["items_minor"], 11998);
    assert_eq!(cart.body["shipping_minor"], 1640);
    assert_eq!(cart.body["total_minor"], 13638);
    assert_eq!(cart.body["purchasable"], true);
    assert_eq!(cart.body["test_mode"], true);

    let mut body = guest_checkout_body();
    body["expected_total_minor"] = json!(13638);
    let co = checkout(&app, LYON, Some(&cart_token), None, "key-1", body).await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    assert_eq!(co.body["status"], "awaiting_payment");
    assert_eq!(co.body["gateway"], "test");
    assert!(co.body["payment"]["client_secret"].as_str().is_some());
    // The stock is held while the buyer pays.
    let held = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{la}"),
            None,
            None,
        )
        .await;
    assert_eq!(held.body["listing"]["quantity"], 1);

    let paid = pay(&app, LYON, &co.body, "succeed").await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
    assert_eq!(paid.body["status"], "paid");
    let orders = paid.body["orders"].as_array().unwrap();
    assert_eq!(orders.len(), 3);
    let numbers: Vec<&str> = orders
        .iter()
        .map(|o| o["number"].as_str().unwrap())
        .collect();
    assert!(
        numbers.iter().all(|n| n.starts_with("LYON-")),
        "{numbers:?}"
    );
    assert_eq!(
        orders
            .iter()
            .map(|o| o["total_minor"].as_i64().unwrap())
            .sum::<i64>(),
        13638
    );

    // The seller sees the split of each line, snapshotted.
    let order_a = orders
        .iter()
        .find(|o| o["shop_name"] == "Atelier A")
        .unwrap();
    let seen = app
        .store(
            Method::GET,
            LYON,
            &format!(
                "/api/v1/seller/orders/{}",
                order_a["number"].as_str().unwrap()
            ),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert_eq!(seen.body["lines"][0]["fees"]["commission_bps"], 1200);
    assert_eq!(
        seen.body["lines"][0]["fees"]["marketplace_share_minor"],
        500
    );
    assert_eq!(seen.body["lines"][0]["fees"]["platform_fee_minor"], 100);
    assert_eq!(seen.body["fees"]["seller_payout_minor"], 5000 - 600 + 490);
    assert_eq!(seen.body["timeline"][0]["status"], "placed");
    // Later fee changes never touch past orders.
    app.control(Method::PATCH, &format!("/tenants/{}", m.id), Some(json!({ "fees": { "seller_commission_bps": 3000, "platform_fee_bps": 500, "minimum_order_minor": 0 } })))
        .await;
    let again = app
        .store(
            Method::GET,
            LYON,
            &format!(
                "/api/v1/seller/orders/{}",
                order_a["number"].as_str().unwrap()
            ),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(
        again.body["lines"][0]["fees"],
        seen.body["lines"][0]["fees"]
    );

    // The cart's bought lines are gone; nothing else was in it.
    let after = app
        .store_with(
            Method::GET,
            LYON,
            "/api/v1/store/cart",
            None,
            &[("x-cart-token", &cart_token)],
            None,
        )
        .await;
    assert_eq!(after.body["shops"].as_array().unwrap().len(), 0);

    // The worker sends the transfers (one per seller) and the e-mails.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE status = 'pending'"
        )
        .await,
        3
    );
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM transfers WHERE status = 'sent'"
        )
        .await,
        3
    );
    assert_eq!(
        count(&app, &format!("SELECT sum(amount_minor)::bigint AS n FROM transfers WHERE recipient = 'seller:{}'", a.shop_id)).await,
        5000 - 600 + 490
    );
    assert_ledger_balances(&app).await;
    // Σ seller payouts + marketplace commission + Krafto fee = what the buyer paid.
    assert_eq!(count(&app, "SELECT -sum(amount_minor)::bigint AS n FROM ledger_entries WHERE kind <> 'transfer' AND account <> 'clearing'").await, 13638);
    assert_eq!(
        count(
            &app,
            "SELECT -sum(amount_minor)::bigint AS n FROM ledger_entries WHERE account = 'platform'"
        )
        .await,
        100 + 60 + 80
    );
    let balance = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/balance",
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(balance.body["earned_minor"], 4890);
    assert_eq!(balance.body["transferred_minor"], 4890);
    assert_eq!(balance.body["pending_minor"], 0);

    let mails = app.mails();
    let receipt = mails
        .iter()
        .find(|m| m.contains("To: ada@example.com") && m.contains("is confirmed"))
        .expect("buyer confirmation");
    for n in &numbers {
        assert!(receipt.contains(n), "the confirmation lists {n}");
    }
    assert!(mails.iter().any(|m| m.contains("To: a@lyon.example")
        && m.contains(&format!(
            "New order {}",
            order_a["number"].as_str().unwrap()
        ))));

    // The guest opens an order with the link's token, and only with it.
    let link = receipt
        .lines()
        .find(|l| {
            l.contains(&format!(
                "/orders/{}?token=",
                order_a["number"].as_str().unwrap()
            ))
        })
        .unwrap();
    let token = link.split("token=").nth(1).unwrap().trim();
    let path = format!(
        "/api/v1/store/orders/{}",
        order_a["number"].as_str().unwrap()
    );
    let open = app
        .store(
            Method::GET,
            LYON,
            &format!("{path}?token={token}"),
            None,
            None,
        )
        .await;
    assert_eq!(open.status, StatusCode::OK, "{}", open.text);
    assert!(
        open.body["fees"].is_null(),
        "buyers do not see the commission"
    );
    let other = orders
        .iter()
        .find(|o| o["shop_name"] == "Atelier B")
        .unwrap();
    let wrong = app
        .store(
            Method::GET,
            LYON,
            &format!(
                "/api/v1/store/orders/{}?token={token}",
                other["number"].as_str().unwrap()
            ),
            None,
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store(Method::GET, LYON, &path, None, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_seller_who_cannot_take_payments_cannot_be_bought_from() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let (token, _) = live_seller(&app, LYON, &m, "s@lyon.example", "Atelier").await;
    let listing = live_listing(&app, LYON, &token, listing_body("Bol", 1500)).await;
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
    let refused = add(&app, LYON, None, None, &listing, 1).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(refused.code(), "seller_not_payable");
    let status = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/status",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status.body["ready"], false);

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
    assert_eq!(status.body["ready"], true, "{}", status.text);
    let page = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{listing}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.body["purchasable"], true);
    let added = add(&app, LYON, None, None, &listing, 1).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text);
    let cart_token = added.body["cart_token"].as_str().unwrap().to_owned();
    // No delivery option yet: the shop cannot be checked out.
    assert_eq!(added.body["purchasable"], false);
    let co = checkout(
        &app,
        LYON,
        Some(&cart_token),
        None,
        "k1",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(co.status, StatusCode::CONFLICT);
    assert_eq!(co.code(), "cart_not_purchasable");
    assert!(co.text.contains("no delivery option"), "{}", co.text);

    // Stripe turns charges off for the account: the line is flagged, checkout refuses it.
    app.store(
        Method::PUT,
        LYON,
        "/api/v1/seller/shipping-options",
        Some(&token),
        Some(json!([{ "name": "Post", "base_minor": 500, "days_min": 1, "days_max": 3 }])),
    )
    .await;
    let mut conn = app.db.superuser().await;
    sql_query("UPDATE seller_accounts SET charges_enabled = false")
        .execute(&mut conn)
        .await
        .unwrap();
    let cart = app
        .store_with(
            Method::GET,
            LYON,
            "/api/v1/store/cart",
            None,
            &[("x-cart-token", &cart_token)],
            None,
        )
        .await;
    assert_eq!(
        cart.body["shops"][0]["lines"][0]["issue"],
        "seller_not_payable"
    );
    assert_eq!(
        cart.body["shops"][0]["lines"].as_array().unwrap().len(),
        1,
        "flagged, not dropped"
    );
    let co = checkout(
        &app,
        LYON,
        Some(&cart_token),
        None,
        "k2",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(co.code(), "cart_not_purchasable");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM checkouts").await, 0);
}

#[tokio::test]
async fn fifty_buyers_for_the_last_three_units_make_exactly_three_orders() {
    let app = Arc::new(TestApp::spawn().await);
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let listing = ListingBuilder::new(&s, "Dernier bol")
        .price(3000)
        .stock(3)
        .build(&app)
        .await
        .id
        .to_string();
    let mut carts = Vec::new();
    for _ in 0..50 {
        let r = add(&app, LYON, None, None, &listing, 1).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        carts.push(r.body["cart_token"].as_str().unwrap().to_owned());
    }
    let mut tasks = Vec::new();
    for (i, cart) in carts.into_iter().enumerate() {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let co = checkout(
                &app,
                LYON,
                Some(&cart),
                None,
                &format!("buyer-{i}"),
                guest_checkout_body(),
            )
            .await;
            if co.status == StatusCode::CREATED {
                let paid = pay(&app, LYON, &co.body, "succeed").await;
                assert_eq!(paid.body["status"], "paid", "{}", paid.text);
                Ok(())
            } else {
                assert_eq!(co.status, StatusCode::CONFLICT, "{}", co.text);
                Err(co.code().to_owned())
            }
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => ok += 1,
            Err(code) => assert_eq!(code, "out_of_stock", "sold out, whichever step noticed"),
        }
    }
    assert_eq!(ok, 3);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 3);
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        0
    );
    let page = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{listing}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.body["listing"]["status"], "out_of_stock");
    assert_ledger_balances(&app).await;
}

#[tokio::test]
async fn one_idempotency_key_makes_one_checkout_one_payment_and_one_set_of_orders() {
    let app = Arc::new(TestApp::spawn().await);
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let listing = ListingBuilder::new(&s, "Bol")
        .price(3000)
        .stock(3)
        .build(&app)
        .await
        .id
        .to_string();
    let cart = add(&app, LYON, None, None, &listing, 2).await.body["cart_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let missing = app
        .store_with(
            Method::POST,
            LYON,
            "/api/v1/store/checkout",
            None,
            &[("x-cart-token", &cart)],
            Some(guest_checkout_body()),
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(missing.code(), "idempotency_key_required");

    let (x, y) = tokio::join!(
        checkout(
            &app,
            LYON,
            Some(&cart),
            None,
            "same-key",
            guest_checkout_body()
        ),
        checkout(
            &app,
            LYON,
            Some(&cart),
            None,
            "same-key",
            guest_checkout_body()
        )
    );
    let statuses = [x.status, y.status];
    assert!(
        statuses.contains(&StatusCode::CREATED),
        "{statuses:?}: {} {}",
        x.text,
        y.text
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::OK),
        "{} {}",
        x.text,
        y.text
    );
    assert_eq!(x.body["id"], y.body["id"]);
    assert_eq!(x.body["payment"]["id"], y.body["payment"]["id"]);
    let again = checkout(
        &app,
        LYON,
        Some(&cart),
        None,
        "same-key",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["id"], x.body["id"]);
    let mut changed = guest_checkout_body();
    changed["email"] = json!("someone@else.example");
    let reused = checkout(&app, LYON, Some(&cart), None, "same-key", changed).await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reused.code(), "idempotency_key_reused");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM checkouts").await, 1);
    // Stock was held once.
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        1
    );
    // Paying twice makes one set of orders.
    let (p1, p2) = tokio::join!(
        pay(&app, LYON, &x.body, "succeed"),
        pay(&app, LYON, &x.body, "succeed")
    );
    assert_eq!(p1.body["orders"], p2.body["orders"]);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(DISTINCT journal_id) AS n FROM ledger_entries"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_declined_or_late_failing_payment_gives_the_stock_back_and_keeps_the_cart() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let listing = ListingBuilder::new(&s, "Bol")
        .price(3000)
        .stock(3)
        .build(&app)
        .await
        .id
        .to_string();
    let cart = add(&app, LYON, None, None, &listing, 3).await.body["cart_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let co = checkout(
        &app,
        LYON,
        Some(&cart),
        None,
        "try-1",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        0
    );
    let declined = pay(&app, LYON, &co.body, "decline").await;
    assert_eq!(declined.body["status"], "failed");
    assert!(
        declined.body["failure_reason"]
            .as_str()
            .unwrap()
            .contains("declined")
    );
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        3
    );
    let page = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{listing}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.body["listing"]["status"], "active");
    let kept = app
        .store_with(
            Method::GET,
            LYON,
            "/api/v1/store/cart",
            None,
            &[("x-cart-token", &cart)],
            None,
        )
        .await;
    assert_eq!(kept.body["shops"][0]["lines"][0]["quantity"], 3);

    // Retry with a new key; this time the payment fails a few seconds after processing.
    let co = checkout(
        &app,
        LYON,
        Some(&cart),
        None,
        "try-2",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    let later = pay(&app, LYON, &co.body, "fail_later").await;
    assert_eq!(later.body["status"], "awaiting_payment");
    tokio::time::sleep(std::time::Duration::from_millis(3300)).await;
    app.drain_outbox().await;
    let id = co.body["id"].as_str().unwrap();
    let secret = co.body["payment"]["client_secret"].as_str().unwrap();
    let seen = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/checkout/{id}?client_secret={secret}"),
            None,
            None,
        )
        .await;
    assert_eq!(seen.body["status"], "failed", "{}", seen.text);
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        3
    );
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders").await, 0);
    // And a third try goes through.
    let co = checkout(
        &app,
        LYON,
        Some(&cart),
        None,
        "try-3",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(
        pay(&app, LYON, &co.body, "succeed").await.body["status"],
        "paid"
    );
}

#[tokio::test]
async fn bad_checkout_input_names_every_field_and_holds_nothing() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let listing = ListingBuilder::new(&s, "Bol")
        .price(3000)
        .stock(3)
        .build(&app)
        .await
        .id
        .to_string();
    let cart = add(&app, LYON, None, None, &listing, 1).await.body["cart_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = checkout(
        &app,
        LYON,
        Some(&cart),
        None,
        "k",
        json!({ "email": "not-an-email", "address": { "name": "", "line1": "x", "postal_code": "1", "city": "", "country": "France" } }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let fields: Vec<&str> = r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in [
        "email",
        "phone",
        "address.name",
        "address.city",
        "address.country",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    let mut stale = guest_checkout_body();
    stale["expected_total_minor"] = json!(1);
    let r = checkout(&app, LYON, Some(&cart), None, "k2", stale).await;
    assert_eq!(r.code(), "total_changed");
    let r = add(&app, LYON, Some(&cart), None, &listing, 5).await;
    assert_eq!(r.code(), "insufficient_stock");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM checkouts").await, 0);
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM listings").await,
        3
    );
}

#[tokio::test]
async fn a_guest_cart_merges_into_the_buyers_cart_on_sign_in() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let s = payable_seller(&app, LYON, &m, "s@lyon.example", "Atelier", 500, 0).await;
    let l1 = live_listing(&app, LYON, &s.token, listing_body("Bol", 3000)).await;
    let l2 = live_listing(&app, LYON, &s.token, listing_body("Tasse", 1000)).await;
    let (buyer, _) = app.sign_in(LYON, "buyer@example.com").await;
    assert_eq!(
        add(&app, LYON, None, Some(&buyer), &l1, 1).await.status,
        StatusCode::OK
    );
    let guest = add(&app, LYON, None, None, &l1, 1).await.body["cart_token"]
        .as_str()
        .unwrap()
        .to_owned();
    add(&app, LYON, Some(&guest), None, &l2, 2).await;
    let merged = app
        .store_with(
            Method::GET,
            LYON,
            "/api/v1/store/cart",
            Some(&buyer),
            &[("x-cart-token", &guest)],
            None,
        )
        .await;
    let lines = merged.body["shops"][0]["lines"].as_array().unwrap();
    let qty = |id: &str| {
        lines.iter().find(|l| l["listing_id"] == id).unwrap()["quantity"]
            .as_i64()
            .unwrap()
    };
    assert_eq!((qty(&l1), qty(&l2)), (2, 2));
    let gone = app
        .store_with(
            Method::GET,
            LYON,
            "/api/v1/store/cart",
            None,
            &[("x-cart-token", &guest)],
            None,
        )
        .await;
    assert_eq!(gone.body["shops"].as_array().unwrap().len(), 0);
    // A signed-in buyer checks out with the account's e-mail and sees the order listed.
    let co = checkout(
        &app,
        LYON,
        None,
        Some(&buyer),
        "b1",
        json!({ "address": address() }),
    )
    .await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    pay(&app, LYON, &co.body, "succeed").await;
    let mine = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/orders",
            Some(&buyer),
            None,
        )
        .await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine.body["items"][0]["email"], "buyer@example.com");
    let number = mine.body["items"][0]["number"].as_str().unwrap();
    let detail = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/orders/{number}"),
            Some(&buyer),
            None,
        )
        .await;
    assert_eq!(detail.status, StatusCode::OK);
}

#[tokio::test]
async fn sellers_fulfil_orders_and_refunds_reverse_the_ledger() {
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
    let other = ShopBuilder::new(&lyon, "Other")
        .shipping(500, 0)
        .build(&app)
        .await;
    let listing = ListingBuilder::new(&s, "Bol").price(3000).build(&app).await;
    let number = OrderBuilder::new(&lyon)
        .line(&listing, 1)
        .build(&app)
        .await
        .number()
        .to_owned();
    // The seller is paid at once (the transfer goes out before anything else happens).
    app.drain_outbox().await;
    let act = |token: String, action: &'static str, body: Value| {
        let app = &app;
        let number = number.clone();
        async move {
            app.store(
                Method::POST,
                LYON,
                &format!("/api/v1/seller/orders/{number}/{action}"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let r = act(s.owner.token.clone(), "ship", json!({})).await;
    assert_eq!(
        r.code(),
        "invalid_transition",
        "ship before accept: {}",
        r.text
    );
    let r = act(other.owner.token.clone(), "accept", json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "another shop's order");
    assert_eq!(
        act(s.owner.token.clone(), "accept", json!({})).await.body["status"],
        "confirmed"
    );
    let shipped = act(
        s.owner.token.clone(),
        "ship",
        json!({ "tracking_number": "6A123" }),
    )
    .await;
    assert_eq!(shipped.body["status"], "shipped");
    assert_eq!(shipped.body["tracking_number"], "6A123");
    let r = act(s.owner.token.clone(), "cancel", json!({ "reason": "oops" })).await;
    assert_eq!(r.code(), "invalid_transition");
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/orders/{number}/refund"),
            Some(&operator.token),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a refund needs a reason"
    );
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/orders/{number}/refund"),
            Some(&operator.token),
            Some(json!({ "reason": "arrived broken" })),
        )
        .await;
    assert_eq!(r.body["status"], "refunded", "{}", r.text);
    let actors: Vec<&str> = r.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"].as_str().unwrap())
        .collect();
    assert_eq!(
        actors,
        ["system", "seller", "seller", "operator", "operator"]
    );
    assert_eq!(r.body["timeline"][3]["reason"], "arrived broken");
    // The move, then the refund it made: who, how much and why.
    assert_eq!(r.body["timeline"][4]["kind"], "refund");
    assert_eq!(r.body["timeline"][4]["amount_minor"], 3500);
    assert_eq!(r.body["payment_status"], "refunded");
    assert_eq!(r.body["refunded_minor"], 3500);
    app.drain_outbox().await;
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM refunds WHERE status = 'sent'"
        )
        .await,
        1
    );
    assert_ledger_balances(&app).await;
    let balance = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/balance",
            Some(&s.owner.token),
            None,
        )
        .await;
    // Paid out 3000 - 300 + 500, then the sale was refunded and the transfer reversed.
    assert_eq!(balance.body["transferred_minor"], 3200);
    assert_eq!(balance.body["reversed_minor"], 3200, "{}", balance.text);
    assert_eq!(balance.body["owed_minor"], 0);
    assert_eq!(balance.body["pending_minor"], 0, "{}", balance.text);
    let ledger = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/ledger",
            Some(&operator.token),
            None,
        )
        .await;
    assert_eq!(ledger.body["gmv_minor"], 0, "{}", ledger.text);
    let mails = app.mails();
    assert!(
        mails.iter().any(|m| m.contains("To: ada@example.com")
            && m.contains("has shipped (tracking number 6A123)"))
    );
    assert!(
        mails
            .iter()
            .any(|m| m.contains("To: ada@example.com") && m.contains("refunded"))
    );
}

#[tokio::test]
async fn carts_orders_and_ledgers_never_cross_marketplaces() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let paris = TenantBuilder::new("paris").build(&app).await;
    let lyon_op = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let paris_op = UserBuilder::new(&paris, "op@paris.example")
        .operator()
        .build(&app)
        .await;
    let s = ShopBuilder::new(&lyon, "Atelier")
        .shipping(500, 0)
        .build(&app)
        .await;
    let ps = ShopBuilder::new(&paris, "Boutique")
        .shipping(500, 0)
        .build(&app)
        .await;
    let listing = ListingBuilder::new(&s, "Bol")
        .price(3000)
        .build(&app)
        .await
        .id
        .to_string();
    // A Lyon listing cannot be put in a Paris cart.
    assert_eq!(
        add(&app, PARIS, None, None, &listing, 1).await.status,
        StatusCode::NOT_FOUND
    );
    let cart = add(&app, LYON, None, None, &listing, 1).await.body["cart_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Lyon's cart token means nothing in Paris.
    let paris_cart = app
        .store_with(
            Method::GET,
            PARIS,
            "/api/v1/store/cart",
            None,
            &[("x-cart-token", &cart)],
            None,
        )
        .await;
    assert_eq!(paris_cart.body["shops"].as_array().unwrap().len(), 0);
    assert_eq!(
        checkout(&app, PARIS, Some(&cart), None, "x", guest_checkout_body())
            .await
            .code(),
        "cart_empty"
    );
    let co = checkout(&app, LYON, Some(&cart), None, "x", guest_checkout_body()).await;
    let paid = pay(&app, LYON, &co.body, "succeed").await;
    let number = paid.body["orders"][0]["number"].as_str().unwrap();
    let token = paid.body["orders"][0]["access_token"].as_str().unwrap();
    // The order, its token, the seller and operator views: all Lyon only.
    let id = co.body["id"].as_str().unwrap();
    assert_eq!(app.store(Method::POST, PARIS, &format!("/api/v1/store/checkout/{id}/test-payment"), None, Some(json!({ "client_secret": co.body["payment"]["client_secret"], "outcome": "decline" }))).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store(
            Method::GET,
            PARIS,
            &format!("/api/v1/store/orders/{number}?token={token}"),
            None,
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.store(
            Method::GET,
            PARIS,
            &format!("/api/v1/admin/orders/{number}"),
            Some(&paris_op.token),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.store(
            Method::GET,
            PARIS,
            "/api/v1/admin/orders",
            Some(&paris_op.token),
            None
        )
        .await
        .body["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        app.store(
            Method::GET,
            PARIS,
            "/api/v1/admin/ledger",
            Some(&paris_op.token),
            None
        )
        .await
        .body["balances"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        app.store(
            Method::POST,
            PARIS,
            &format!("/api/v1/seller/orders/{number}/accept"),
            Some(&ps.owner.token),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.store(
            Method::GET,
            LYON,
            &format!("/api/v1/admin/orders/{number}"),
            Some(&paris_op.token),
            None
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.store(
            Method::GET,
            LYON,
            &format!("/api/v1/admin/orders/{number}"),
            Some(&lyon_op.token),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    // Row-level security: the app role in Paris's scope sees none of Lyon's commerce rows.
    let db = app.db.pool(krafto_db::DbRole::App, 1);
    let paris_scope = krafto_testkit::scope(&db, paris.id()).await;
    let lyon_scope = krafto_testkit::scope(&db, lyon.id()).await;
    let mut tx = db.tenant(&paris_scope).await.unwrap();
    for table in [
        "carts",
        "cart_lines",
        "checkouts",
        "orders",
        "order_lines",
        "order_events",
        "ledger_entries",
        "transfers",
        "webhook_events",
    ] {
        let n: Count = tx
            .fetch_one(sql_query(format!("SELECT count(*) AS n FROM {table}")))
            .await
            .unwrap();
        assert_eq!(n.n, 0, "{table} leaks across tenants");
    }
    tx.rollback().await.unwrap();
    let mut tx = db.tenant(&lyon_scope).await.unwrap();
    let n: Count = tx
        .fetch_one(sql_query("SELECT count(*) AS n FROM ledger_entries"))
        .await
        .unwrap();
    assert!(n.n > 0, "Lyon sees its own ledger");
    // Writing a Paris row from Lyon's scope is refused.
    let r = tx
        .run(sql_query(format!(
            "INSERT INTO webhook_events (tenant_id, event_id, kind) VALUES ('{}', 'evt_x', 'x')",
            paris.id()
        )))
        .await;
    assert!(r.is_err());
}

#[tokio::test]
async fn the_demo_catalogue_is_live_payable_and_seeded_once() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.create_tenant_with(json!({ "slug": "ferme", "name": "La Ferme", "template": "farm" }))
        .await;
    assert_eq!(app.demo_catalog().await.shops, 9);
    assert_eq!(app.demo_catalog().await.shops, 0, "idempotent");
    let found = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/search?q=stoneware",
            None,
            None,
        )
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
    let id = found.body["items"][0]["id"].as_str().unwrap().to_owned();
    let page = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.body["purchasable"], true);
    assert_eq!(page.body["shop"]["verified"], true, "{}", page.text);
    let cart = add(&app, LYON, None, None, &id, 1).await;
    let token = cart.body["cart_token"].as_str().unwrap();
    let co = checkout(&app, LYON, Some(token), None, "demo", guest_checkout_body()).await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    assert_eq!(
        pay(&app, LYON, &co.body, "succeed").await.body["status"],
        "paid"
    );
    let farm = app
        .store(
            Method::GET,
            "ferme.krafto.test",
            "/api/v1/store/search?q=eggs",
            None,
            None,
        )
        .await;
    assert_eq!(
        farm.body["items"][0]["title"], "Free-range eggs (12)",
        "the title match ranks first: {}",
        farm.text
    );
}

#[tokio::test]
async fn a_signed_in_buyers_paid_order_is_listed_under_their_account() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(&app).await;
    let bowl = ListingBuilder::new(&shop, "Bol")
        .price(3000)
        .build(&app)
        .await;
    let buyer = UserBuilder::new(&lyon, "buyer@example.com")
        .build(&app)
        .await;
    let order = OrderBuilder::new(&lyon)
        .buyer(&buyer)
        .line(&bowl, 2)
        .build(&app)
        .await;
    let mine = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/orders",
            Some(&buyer.token),
            None,
        )
        .await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(mine.body["items"][0]["number"], order.number());
    assert_eq!(mine.body["items"][0]["email"], "buyer@example.com");
}
