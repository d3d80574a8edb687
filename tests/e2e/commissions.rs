//! Commission overrides per shop and per category (issue 13): a sold line pays its shop's
//! rate, else its category's (the nearest ancestor's with one), else the marketplace's; the
//! rate is frozen on the order line and in the ledger, and a later change never touches a
//! sale. Operators set them through the API and the console, inside their own marketplace
//! only; sellers read their rate on their payouts page.

use crate::catalog::{LYON, Market, PARIS, listing_body, live_listing};
use crate::commerce::{add, checkout, count, guest_checkout_body, pay, payable_seller};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use diesel::{QueryableByName, sql_query};
use diesel_async::RunQueryDsl;
use krafto_db::DbRole;
use krafto_db::schema::commission_overrides;
use krafto_testkit::{Reply, TestApp, WebSession};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// A marketplace in `locale` provisioned with its fees (so no instance ever cached other
/// fees), and its operator.
async fn market_with(
    app: &TestApp,
    slug: &str,
    locale: &str,
    commission: i64,
    platform: i64,
    minimum: i64,
) -> Market {
    let t = app
        .create_tenant_with(json!({
            "slug": slug, "name": format!("Market {slug}"), "template": "handmade", "locale": locale,
            "fees": { "seller_commission_bps": commission, "platform_fee_bps": platform, "minimum_order_minor": minimum }
        }))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    Market {
        operator: app
            .operator_token(&id, slug, &format!("op@{slug}.example"))
            .await,
        id,
    }
}

/// `method /api/v1{path}` on `host` as `token`.
async fn api(
    app: &TestApp,
    host: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Reply {
    app.store(method, host, &format!("/api/v1{path}"), Some(token), body)
        .await
}

/// Adds a category (under `parent`); returns its id.
async fn category(
    app: &TestApp,
    host: &str,
    m: &Market,
    name: &str,
    parent: Option<&str>,
) -> String {
    let r = api(
        app,
        host,
        Method::POST,
        "/admin/categories",
        &m.operator,
        Some(json!({ "name": name, "parent_id": parent })),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.body["id"].as_str().unwrap().to_owned()
}

/// Sets an override through the operator API; returns the answer.
async fn set(app: &TestApp, host: &str, m: &Market, body: Value) -> Reply {
    api(
        app,
        host,
        Method::PUT,
        "/admin/commissions",
        &m.operator,
        Some(body),
    )
    .await
}

/// A listing of `title` at `price` in `category`, live.
async fn listing_in(
    app: &TestApp,
    seller: &str,
    title: &str,
    price: i64,
    category: &str,
) -> String {
    let mut body = listing_body(title, price);
    body["category_id"] = json!(category);
    live_listing(app, LYON, seller, body).await
}

#[derive(QueryableByName, Debug, PartialEq, Eq)]
struct LineRow {
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Integer)]
    commission_bps: i32,
    #[diesel(sql_type = BigInt)]
    tenant_share_minor: i64,
    #[diesel(sql_type = BigInt)]
    platform_fee_minor: i64,
    #[diesel(sql_type = BigInt)]
    seller_net_minor: i64,
}

/// The order lines of checkout `id`, by title: (title, rate, marketplace share, Krafto's
/// fee, seller's net).
async fn lines_of(app: &TestApp, checkout_id: &str) -> Vec<(String, i32, i64, i64, i64)> {
    let mut conn = app.db.superuser().await;
    let rows: Vec<LineRow> = sql_query(format!(
        "SELECT l.title, l.commission_bps, l.tenant_share_minor, l.platform_fee_minor, l.seller_net_minor
           FROM order_lines l JOIN orders o ON o.tenant_id = l.tenant_id AND o.id = l.order_id
          WHERE o.checkout_id = '{checkout_id}' ORDER BY l.title"
    ))
    .load(&mut conn)
    .await
    .unwrap();
    rows.into_iter()
        .map(|r| {
            (
                r.title,
                r.commission_bps,
                r.tenant_share_minor,
                r.platform_fee_minor,
                r.seller_net_minor,
            )
        })
        .collect()
}

/// What the ledger of checkout `id` owes `account` (`tenant`, `platform`, `seller:{shop}`)
/// for `kind`, as a positive amount.
async fn owed(app: &TestApp, checkout_id: &str, account: &str, kind: &str) -> i64 {
    -count(
        app,
        &format!(
            "SELECT coalesce(sum(amount_minor), 0)::bigint AS n FROM ledger_entries
              WHERE checkout_id = '{checkout_id}' AND account = '{account}' AND kind = '{kind}'"
        ),
    )
    .await
}

/// Buys one of each listing as a guest and pays; returns the checkout.
async fn buy(app: &TestApp, listings: &[&str], key: &str) -> Value {
    let co = open_checkout(app, listings, key).await;
    let paid = pay(app, LYON, &co, "succeed").await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
    assert_eq!(paid.body["status"], "paid");
    co
}

/// Puts one of each listing in a guest cart and checks out (not paid yet).
async fn open_checkout(app: &TestApp, listings: &[&str], key: &str) -> Value {
    let mut cart: Option<String> = None;
    for l in listings {
        let r = add(app, LYON, cart.as_deref(), None, l, 1).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        if let Some(t) = r.body["cart_token"].as_str() {
            cart = Some(t.to_owned());
        }
    }
    let co = checkout(app, LYON, cart.as_deref(), None, key, guest_checkout_body()).await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    co.body
}

#[tokio::test]
async fn lines_pay_their_shops_rate_else_their_nearest_categorys_else_the_marketplaces() {
    let app = TestApp::spawn().await;
    // 12% commission, of which Krafto takes 2%.
    let m = market_with(&app, "lyon", "en", 1200, 200, 0).await;
    let ceramics = category(&app, LYON, &m, "Céramique", None).await;
    let bowls = category(&app, LYON, &m, "Bols", Some(&ceramics)).await;
    let jewellery = category(&app, LYON, &m, "Bijoux", None).await;
    let a = payable_seller(&app, LYON, &m, "a@lyon.example", "Atelier A", 0, 0).await;
    let b = payable_seller(&app, LYON, &m, "b@lyon.example", "Atelier B", 0, 0).await;
    for body in [
        json!({ "category_id": ceramics, "commission_bps": 1500, "note": "Pièces fragiles" }),
        json!({ "category_id": bowls, "commission_bps": 600 }),
        json!({ "shop_id": a.shop_id, "commission_bps": 800, "note": "Contrat 2027" }),
    ] {
        let r = set(&app, LYON, &m, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let bowl_a = listing_in(&app, &a.token, "A bol", 2500, &bowls).await;
    let bowl_b = listing_in(&app, &b.token, "B bol", 5000, &bowls).await;
    let vase_b = listing_in(&app, &b.token, "B vase", 1000, &ceramics).await;
    let ring_b = listing_in(&app, &b.token, "B bague", 2000, &jewellery).await;

    let co = buy(&app, &[&bowl_a, &bowl_b, &vase_b, &ring_b], "rule-1").await;
    let id = co["id"].as_str().unwrap();
    assert_eq!(
        lines_of(&app, id).await,
        [
            // Atelier A's own 8% beats the bowls' 6%: 200, of which Krafto's 2% = 50.
            ("A bol".to_owned(), 800, 150, 50, 2300),
            // Bowls' 6% beats its parent ceramics' 15%.
            ("B bague".to_owned(), 1200, 200, 40, 1760),
            ("B bol".to_owned(), 600, 200, 100, 4700),
            ("B vase".to_owned(), 1500, 130, 20, 850),
        ]
    );
    // The checkout keeps the marketplace's own rate as it was.
    assert_eq!(
        count(
            &app,
            &format!("SELECT commission_bps::bigint AS n FROM checkouts WHERE id = '{id}'")
        )
        .await,
        1200
    );
    // The ledger owes each party exactly the lines' amounts.
    assert_eq!(
        owed(&app, id, "tenant", "commission").await,
        150 + 200 + 200 + 130
    );
    assert_eq!(
        owed(&app, id, "platform", "platform_fee").await,
        50 + 40 + 100 + 20
    );
    assert_eq!(
        owed(&app, id, &format!("seller:{}", a.shop_id), "sale").await,
        2300
    );
    assert_eq!(
        owed(&app, id, &format!("seller:{}", b.shop_id), "sale").await,
        1760 + 4700 + 850
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT sum(amount_minor)::bigint AS n FROM ledger_entries WHERE checkout_id = '{id}'")
        )
        .await,
        0,
        "the sale's journal balances"
    );
    // The seller reads the rate of each line on their order.
    let orders = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/orders",
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(orders.status, StatusCode::OK, "{}", orders.text);
    let number = orders.body["items"][0]["number"].as_str().unwrap();
    let order = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/orders/{number}"),
            Some(&a.token),
            None,
        )
        .await;
    assert_eq!(order.body["lines"][0]["fees"]["commission_bps"], 800);
    assert_eq!(order.body["fees"]["seller_payout_minor"], 2300);
}

#[tokio::test]
async fn an_override_changed_after_checkout_changes_nothing_of_that_sale() {
    let app = TestApp::spawn().await;
    let m = market_with(&app, "lyon", "en", 1200, 200, 0).await;
    let ceramics = category(&app, LYON, &m, "Céramique", None).await;
    let a = payable_seller(&app, LYON, &m, "a@lyon.example", "Atelier A", 0, 0).await;
    let b = payable_seller(&app, LYON, &m, "b@lyon.example", "Atelier B", 0, 0).await;
    let shop_rate = set(
        &app,
        LYON,
        &m,
        json!({ "shop_id": a.shop_id, "commission_bps": 800 }),
    )
    .await;
    assert_eq!(shop_rate.status, StatusCode::CREATED, "{}", shop_rate.text);
    let category_rate = set(
        &app,
        LYON,
        &m,
        json!({ "category_id": ceramics, "commission_bps": 600 }),
    )
    .await;
    assert_eq!(
        category_rate.status,
        StatusCode::CREATED,
        "{}",
        category_rate.text
    );
    let bowl_a = listing_in(&app, &a.token, "A bol", 2500, &ceramics).await;
    let bowl_b = listing_in(&app, &b.token, "B bol", 5000, &ceramics).await;

    // The buyer checks out; then, before they pay, the operator raises the shop's rate and
    // removes the category's.
    let first = open_checkout(&app, &[&bowl_a, &bowl_b], "frozen-1").await;
    let raised = set(
        &app,
        LYON,
        &m,
        json!({ "shop_id": a.shop_id, "commission_bps": 2000 }),
    )
    .await;
    assert_eq!(raised.status, StatusCode::OK, "replaced: {}", raised.text);
    assert_eq!(raised.body["commission_bps"], 2000);
    let removed = api(
        &app,
        LYON,
        Method::DELETE,
        &format!(
            "/admin/commissions/{}",
            category_rate.body["id"].as_str().unwrap()
        ),
        &m.operator,
        None,
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
    let paid = pay(&app, LYON, &first, "succeed").await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
    let id = first["id"].as_str().unwrap();
    let sold = lines_of(&app, id).await;
    assert_eq!(
        sold,
        [
            ("A bol".to_owned(), 800, 150, 50, 2300),
            ("B bol".to_owned(), 600, 200, 100, 4700),
        ],
        "the sale pays the rates of its checkout"
    );
    assert_eq!(owed(&app, id, "tenant", "commission").await, 350);

    // A new sale pays the new rates; the first sale's lines and ledger stay as they were.
    let second = buy(&app, &[&bowl_a, &bowl_b], "frozen-2").await;
    assert_eq!(
        lines_of(&app, second["id"].as_str().unwrap()).await,
        [
            ("A bol".to_owned(), 2000, 450, 50, 2000),
            ("B bol".to_owned(), 1200, 500, 100, 4400),
        ]
    );
    let lowered = set(
        &app,
        LYON,
        &m,
        json!({ "shop_id": a.shop_id, "commission_bps": 500 }),
    )
    .await;
    assert_eq!(lowered.status, StatusCode::OK, "{}", lowered.text);
    assert_eq!(lines_of(&app, id).await, sold);
    assert_eq!(owed(&app, id, "tenant", "commission").await, 350);
}

#[tokio::test]
async fn bad_overrides_are_refused_with_the_field_named_and_change_nothing() {
    let app = TestApp::spawn().await;
    let m = market_with(&app, "lyon", "en", 1200, 200, 0).await;
    let ceramics = category(&app, LYON, &m, "Céramique", None).await;
    let a = payable_seller(&app, LYON, &m, "a@lyon.example", "Atelier A", 0, 0).await;
    let audits = || {
        count(
            &app,
            "SELECT count(*) AS n FROM audit_log WHERE action LIKE 'commission.%'",
        )
    };
    let nobody = Uuid::now_v7().to_string();
    for (body, field, words) in [
        (
            json!({ "shop_id": a.shop_id, "commission_bps": 10_001 }),
            "commission_bps",
            "between 0 and 10000",
        ),
        (
            json!({ "shop_id": a.shop_id, "commission_bps": -5 }),
            "commission_bps",
            "between 0 and 10000",
        ),
        (
            json!({ "shop_id": a.shop_id, "commission_bps": 150 }),
            "commission_bps",
            "platform fee of 200",
        ),
        (
            json!({ "shop_id": a.shop_id, "category_id": ceramics, "commission_bps": 800 }),
            "category_id",
            "not both",
        ),
        (
            json!({ "commission_bps": 800 }),
            "shop_id",
            "a shop or a category",
        ),
        (
            json!({ "shop_id": nobody, "commission_bps": 800 }),
            "shop_id",
            "no such shop",
        ),
        (
            json!({ "category_id": nobody, "commission_bps": 800 }),
            "category_id",
            "no such category",
        ),
        (
            json!({ "shop_id": a.shop_id, "commission_bps": 800, "note": "two\nlines" }),
            "note",
            "one line",
        ),
    ] {
        let r = set(&app, LYON, &m, body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.text
        );
        assert_eq!(r.code(), "validation_failed", "{body}");
        assert_eq!(r.body["errors"][0]["field"], field, "{body}: {}", r.text);
        assert!(
            r.body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(words),
            "{body}: {}",
            r.text
        );
    }
    // Not a number at all: refused before anything is looked at.
    let r = set(
        &app,
        LYON,
        &m,
        json!({ "shop_id": a.shop_id, "commission_bps": "huit" }),
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.text);
    // Only operators set rates; an unknown override cannot be removed.
    let by_seller = api(
        &app,
        LYON,
        Method::PUT,
        "/admin/commissions",
        &a.token,
        Some(json!({ "shop_id": a.shop_id, "commission_bps": 100 })),
    )
    .await;
    assert_eq!(
        by_seller.status,
        StatusCode::FORBIDDEN,
        "{}",
        by_seller.text
    );
    let gone = api(
        &app,
        LYON,
        Method::DELETE,
        &format!("/admin/commissions/{nobody}"),
        &m.operator,
        None,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.text);
    assert_eq!(gone.code(), "commission_not_found");

    // Nothing was written, nothing audited.
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM commission_overrides").await,
        0
    );
    assert_eq!(audits().await, 0);
    let list = api(
        &app,
        LYON,
        Method::GET,
        "/admin/commissions",
        &m.operator,
        None,
    )
    .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    assert_eq!(list.body["items"], json!([]));
    assert_eq!(list.body["marketplace_commission_bps"], 1200);
    assert_eq!(list.body["platform_fee_bps"], 200);

    // The fee itself is a valid rate, and setting it twice replaces it (one row).
    let at_fee = set(
        &app,
        LYON,
        &m,
        json!({ "shop_id": a.shop_id, "commission_bps": 200 }),
    )
    .await;
    assert_eq!(at_fee.status, StatusCode::CREATED, "{}", at_fee.text);
    let again = set(
        &app,
        LYON,
        &m,
        json!({ "shop_id": a.shop_id, "commission_bps": 900, "note": "  Volume  " }),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body["id"], at_fee.body["id"]);
    assert_eq!(again.body["note"], "Volume");
    assert_eq!(again.body["shop_name"], "Atelier A");
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM commission_overrides").await,
        1
    );
    assert_eq!(audits().await, 2);
}

#[tokio::test]
async fn operators_of_one_marketplace_never_see_or_set_another_marketplaces_rates() {
    let app = TestApp::spawn().await;
    let lyon = market_with(&app, "lyon", "en", 1200, 200, 0).await;
    let paris = market_with(&app, "paris", "en", 1200, 200, 0).await;
    let a = payable_seller(&app, LYON, &lyon, "a@lyon.example", "Atelier A", 0, 0).await;
    let ceramics = category(&app, LYON, &lyon, "Céramique", None).await;
    let mine = set(
        &app,
        LYON,
        &lyon,
        json!({ "shop_id": a.shop_id, "commission_bps": 800 }),
    )
    .await;
    assert_eq!(mine.status, StatusCode::CREATED, "{}", mine.text);
    let mine_id = mine.body["id"].as_str().unwrap().to_owned();

    // Paris's operator sees none of Lyon's rates and can name none of Lyon's shops or
    // categories.
    let seen = api(
        &app,
        PARIS,
        Method::GET,
        "/admin/commissions",
        &paris.operator,
        None,
    )
    .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert_eq!(seen.body["items"], json!([]));
    let on_shop = set(
        &app,
        PARIS,
        &paris,
        json!({ "shop_id": a.shop_id, "commission_bps": 300 }),
    )
    .await;
    assert_eq!(
        on_shop.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        on_shop.text
    );
    assert_eq!(on_shop.body["errors"][0]["field"], "shop_id");
    let on_category = set(
        &app,
        PARIS,
        &paris,
        json!({ "category_id": ceramics, "commission_bps": 300 }),
    )
    .await;
    assert_eq!(on_category.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(on_category.body["errors"][0]["field"], "category_id");
    let removed = api(
        &app,
        PARIS,
        Method::DELETE,
        &format!("/admin/commissions/{mine_id}"),
        &paris.operator,
        None,
    )
    .await;
    assert_eq!(removed.status, StatusCode::NOT_FOUND, "{}", removed.text);
    // Lyon's operator's token means nothing on Paris's host.
    let crossed = api(
        &app,
        PARIS,
        Method::GET,
        "/admin/commissions",
        &lyon.operator,
        None,
    )
    .await;
    assert_eq!(crossed.status, StatusCode::UNAUTHORIZED, "{}", crossed.text);
    // The console says the same.
    let page = WebSession::storefront(&app, PARIS, Some(&paris.operator))
        .get("/admin/commissions")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text.contains("Atelier A"), "{}", page.text);

    // Lyon's rate is untouched.
    let kept = api(
        &app,
        LYON,
        Method::GET,
        "/admin/commissions",
        &lyon.operator,
        None,
    )
    .await;
    assert_eq!(kept.body["items"][0]["id"], mine_id.as_str());
    assert_eq!(kept.body["items"][0]["commission_bps"], 800);

    // Underneath, row-level security alone hides and protects Lyon's row from Paris.
    let pool = app.db.pool(DbRole::App, 1);
    let paris_id: Uuid = paris.id.parse().unwrap();
    let lyon_id: Uuid = lyon.id.parse().unwrap();
    let mut tx = pool
        .tenant(&krafto_testkit::scope(&pool, paris_id).await)
        .await
        .unwrap();
    let visible: i64 = tx
        .fetch_one(commission_overrides::table.count())
        .await
        .unwrap();
    assert_eq!(visible, 0);
    let touched = tx
        .run(
            diesel::update(commission_overrides::table)
                .set(commission_overrides::commission_bps.eq(0)),
        )
        .await
        .unwrap();
    assert_eq!(touched, 0);
    tx.commit().await.unwrap();
    let mut tx = pool
        .tenant(&krafto_testkit::scope(&pool, lyon_id).await)
        .await
        .unwrap();
    let visible: i64 = tx
        .fetch_one(commission_overrides::table.count())
        .await
        .unwrap();
    assert_eq!(visible, 1);
    tx.commit().await.unwrap();
}

/// What a person must never read on a French page: English words of the site, ids,
/// snake_case codes, API paths, JSON.
fn assert_speaks_french(page: &str, text: &str) {
    let english = krafto_i18n::english_words_in(text);
    assert!(
        english.is_empty(),
        "{page}: English on a French page: {english:?}\n{text}"
    );
    for word in text.split(|c: char| c.is_whitespace() || "()[]«»,.;:!?\"'’".contains(c)) {
        let is_uuid = word.len() == 36 && word.chars().filter(|c| *c == '-').count() == 4;
        let is_code = word.contains('_')
            && !word.contains('@')
            && word.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        assert!(
            !is_uuid && !is_code && !word.starts_with("/api/") && !word.starts_with('{'),
            "{page}: machinery shows: {word:?}\n{text}"
        );
    }
}

#[tokio::test]
async fn the_console_sets_and_removes_rates_in_french_and_sellers_read_theirs() {
    let app = TestApp::spawn().await;
    let m = market_with(&app, "lyon", "fr-FR", 1000, 200, 2500).await;
    let seller = payable_seller(
        &app,
        LYON,
        &m,
        "camille@lyon.example",
        "Atelier Terre",
        0,
        0,
    )
    .await;
    let ceramics = category(&app, LYON, &m, "Céramique", None).await;
    let mut console = WebSession::storefront(&app, LYON, Some(&m.operator));

    let empty = console.get("/admin/commissions").await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text);
    let text = krafto_testkit::visible_text(&empty.text);
    assert!(text.contains("Aucun taux particulier"), "{text}");
    assert!(
        text.contains("10\u{a0}%") && text.contains("2\u{a0}%"),
        "{text}"
    );
    assert!(
        text.contains("25,00\u{a0}€"),
        "the minimum order is shown: {text}"
    );
    assert!(
        empty.text.contains(r#"href="/admin/commissions""#),
        "in the console's menu"
    );

    // A refused form says why in French, on its field, and saves nothing.
    let shop_target = format!("shop:{}", seller.shop_id);
    for (rate, words) in [("1", "frais de Krafto"), ("huit", "pourcentage")] {
        let refused = console
            .post(
                "/admin/commissions",
                &[
                    ("target", shop_target.as_str()),
                    ("rate", rate),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text
        );
        let text = krafto_testkit::visible_text(&refused.text);
        assert!(text.contains(words), "{rate}: {text}");
        assert_speaks_french("refused", &text);
    }
    let nothing = console
        .post(
            "/admin/commissions",
            &[("target", ""), ("rate", "8"), ("note", "")],
        )
        .await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        krafto_testkit::visible_text(&nothing.text)
            .contains("choisissez une boutique ou une catégorie"),
        "{}",
        nothing.text
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM commission_overrides").await,
        0
    );

    // Added: the shop at 8 %, the category at 6,5 %.
    for (target, rate, note) in [
        (shop_target.as_str(), "8", "Contrat 2027"),
        (&*format!("category:{ceramics}"), "6,5", ""),
    ] {
        let saved = console
            .post(
                "/admin/commissions",
                &[("target", target), ("rate", rate), ("note", note)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
        assert_eq!(saved.location(), "/admin/commissions?done=saved");
    }
    let listed = api(
        &app,
        LYON,
        Method::GET,
        "/admin/commissions",
        &m.operator,
        None,
    )
    .await;
    let items = listed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{}", listed.text);
    assert_eq!(items[0]["shop_name"], "Atelier Terre");
    assert_eq!(items[0]["commission_bps"], 800);
    assert_eq!(items[0]["note"], "Contrat 2027");
    assert_eq!(items[1]["category_name"], "Céramique");
    assert_eq!(items[1]["commission_bps"], 650);
    let shop_rate_id = items[0]["id"].as_str().unwrap().to_owned();

    let page = console.get("/admin/commissions?done=saved").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = krafto_testkit::visible_text(&page.text);
    assert!(text.contains("Le taux est enregistré"), "{text}");
    assert!(
        text.contains("Boutique «\u{a0}Atelier Terre\u{a0}»\u{a0}: 8\u{a0}%"),
        "{text}"
    );
    assert!(
        text.contains("Catégorie «\u{a0}Céramique\u{a0}»\u{a0}: 6,5\u{a0}%"),
        "{text}"
    );
    assert!(text.contains("Contrat 2027"), "{text}");
    assert_speaks_french("/admin/commissions", &text);

    // The seller reads their negotiated rate.
    let mut selling = WebSession::storefront(&app, LYON, Some(&seller.token));
    let payouts = selling.get("/sell/payouts").await;
    assert_eq!(payouts.status, StatusCode::OK, "{}", payouts.text);
    let text = krafto_testkit::visible_text(&payouts.text);
    assert!(
        text.contains("Commission\u{a0}: 8\u{a0}% (taux négocié)"),
        "{text}"
    );

    // Changed on its row, then removed.
    let changed = console
        .post(
            "/admin/commissions?row=1",
            &[
                ("target", shop_target.as_str()),
                ("rate", "9"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.text);
    let removed = console
        .post(&format!("/admin/commissions/{shop_rate_id}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.text);
    assert_eq!(removed.location(), "/admin/commissions?done=removed");
    let page = console.get("/admin/commissions?done=removed").await;
    let text = krafto_testkit::visible_text(&page.text);
    assert!(text.contains("Le taux particulier est retiré"), "{text}");
    assert!(!text.contains("Atelier Terre\u{a0}»\u{a0}:"), "{text}");
    assert_speaks_french("/admin/commissions", &text);

    // Without its own rate, the seller reads the marketplace's and the category's.
    let text = krafto_testkit::visible_text(&selling.get("/sell/payouts").await.text);
    assert!(
        text.contains("Commission\u{a0}: 10\u{a0}% (taux de la place de marché)"),
        "{text}"
    );
    assert!(text.contains("Céramique\u{a0}: 6,5\u{a0}%"), "{text}");
    assert_speaks_french("/sell/payouts", &text);

    // The audit log says it all in words.
    let audit = console.get("/admin/audit").await;
    let text = krafto_testkit::visible_text(&audit.text);
    assert!(
        text.contains("a fixé le taux de commission de «\u{a0}Atelier Terre\u{a0}»"),
        "{text}"
    );
    assert!(
        text.contains("a retiré le taux de commission particulier de «\u{a0}Atelier Terre\u{a0}»"),
        "{text}"
    );
    assert!(
        text.contains("a fixé le taux de commission de «\u{a0}Céramique\u{a0}»"),
        "{text}"
    );
    assert!(text.contains("Taux de commission"), "{text}");
    assert_speaks_french("/admin/audit", &text);
}

#[tokio::test]
async fn the_minimum_order_is_enforced_at_checkout_and_holds_nothing() {
    let app = TestApp::spawn().await;
    let m = market_with(&app, "lyon", "en", 1200, 200, 3000).await;
    let a = payable_seller(&app, LYON, &m, "a@lyon.example", "Atelier A", 490, 0).await;
    let cheap = live_listing(&app, LYON, &a.token, listing_body("Tasse", 2500)).await;
    let first = add(&app, LYON, None, None, &cheap, 1).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let cart = first.body["cart_token"].as_str().unwrap().to_owned();
    // 25 € of items (shipping does not count) is under the 30 € minimum.
    let refused = checkout(
        &app,
        LYON,
        Some(&cart),
        None,
        "min-1",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert_eq!(refused.code(), "below_minimum_order");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM checkouts").await, 0);
    let listing = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{cheap}"),
            None,
            None,
        )
        .await;
    assert_eq!(listing.body["listing"]["quantity"], 3, "no stock held");
    // Two cups reach it.
    assert_eq!(
        add(&app, LYON, Some(&cart), None, &cheap, 1).await.status,
        StatusCode::OK
    );
    let co = checkout(
        &app,
        LYON,
        Some(&cart),
        None,
        "min-2",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
}

#[tokio::test]
async fn the_commissions_page_fits_a_phone_in_a_real_browser() {
    let app = TestApp::spawn().await;
    let m = market_with(&app, "lyon", "fr-FR", 1000, 200, 2500).await;
    let seller = payable_seller(
        &app,
        LYON,
        &m,
        "camille@lyon.example",
        "Atelier de céramique et de verre soufflé de la Croix-Rousse",
        0,
        0,
    )
    .await;
    let ceramics = category(&app, LYON, &m, "Céramique", None).await;
    for body in [
        json!({ "shop_id": seller.shop_id, "commission_bps": 825, "note": "Contrat négocié pour deux ans, revu chaque printemps avec l’atelier" }),
        json!({ "category_id": ceramics, "commission_bps": 650 }),
    ] {
        let r = set(&app, LYON, &m, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let browser = krafto_testkit::Browser::for_app(&app).await;
    browser
        .sign_in(&app, LYON, "op@lyon.example", "/admin/commissions")
        .await;
    browser.wait_for("#commission-overrides").await;
    assert_eq!(
        browser.eval("return document.documentElement.lang").await,
        "fr"
    );
    assert_speaks_french("/admin/commissions", &browser.page_text().await);
    assert_eq!(browser.count("#commission-overrides li").await, 2);
    crate::browser::capture(&browser, "lyon", "admin-commissions").await;
    browser.close().await;
}
