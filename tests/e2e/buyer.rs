//! The buyer's journeys end (issue 12): guest orders found after signing in, the account
//! page with its address book and the deletion of the account's data, countries from a
//! list, pickup options, cart quantities, what checkout and its confirmation show, and the
//! buyer's phone on the seller's order page.

use crate::commerce::count;
use krafto_testkit::{
    ListingBuilder, OrderBuilder, ShopBuilder, TenantBuilder, TestApp, TestMarket, TestShop,
    UserBuilder, WebSession,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A French marketplace `lyon` with a payable shop selling a bowl (5 in stock, 30.00).
async fn lyon_with_a_bowl(app: &TestApp) -> (TestMarket, TestShop, String) {
    let lyon = TenantBuilder::new("lyon").locale("fr-FR").build(app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier Terre").build(app).await;
    let bowl = ListingBuilder::new(&shop, "Bol moucheté")
        .price(3000)
        .stock(5)
        .build(app)
        .await;
    (lyon, shop, bowl.id.to_string())
}

fn address(city: &str, country: &str) -> Value {
    json!({ "name": "Ada Lovelace", "line1": "3 rue Mercière", "postal_code": "69002",
            "city": city, "country": country })
}

async fn store(
    app: &TestApp,
    host: &str,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> krafto_testkit::Reply {
    app.store(method, host, path, token, body).await
}

#[tokio::test]
async fn signing_in_with_a_guest_checkouts_email_shows_its_orders_of_that_marketplace_only() {
    let app = TestApp::spawn().await;
    let (lyon, shop, _) = lyon_with_a_bowl(&app).await;
    let bowl = ListingBuilder::new(&shop, "Bol")
        .price(2000)
        .build(&app)
        .await;
    let ferme = TenantBuilder::new("ferme").build(&app).await;
    let farm = ShopBuilder::new(&ferme, "La Ferme").build(&app).await;
    let eggs = ListingBuilder::new(&farm, "Œufs")
        .price(500)
        .build(&app)
        .await;
    // Ada buys as a guest (ada@example.com) in both marketplaces.
    let in_lyon = OrderBuilder::new(&lyon).line(&bowl, 1).build(&app).await;
    let in_ferme = OrderBuilder::new(&ferme).line(&eggs, 2).build(&app).await;

    let (token, signed_in) = app.sign_in(&lyon.host, "Ada@Example.com").await;
    assert_eq!(signed_in["new_account"], true);
    let mine = store(
        &app,
        &lyon.host,
        Method::GET,
        "/api/v1/store/orders",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
    let numbers: Vec<&str> = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["number"].as_str().unwrap())
        .collect();
    assert_eq!(
        numbers,
        [in_lyon.number()],
        "the other marketplace's order stays there"
    );
    // The order opens for its buyer without the e-mailed link.
    let one = store(
        &app,
        &lyon.host,
        Method::GET,
        &format!("/api/v1/store/orders/{}", in_lyon.number()),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    // And under My orders, on the page.
    let mut web = WebSession::storefront(&app, &lyon.host, Some(&token));
    let page = web.get("/my/orders").await;
    assert!(page.text.contains(in_lyon.number()), "{}", page.text);
    assert!(!page.text.contains(in_ferme.number()));
    // Signing in on the other marketplace gives that one its own order.
    let (ferme_token, _) = app.sign_in(&ferme.host, "ada@example.com").await;
    let theirs = store(
        &app,
        &ferme.host,
        Method::GET,
        "/api/v1/store/orders",
        Some(&ferme_token),
        None,
    )
    .await;
    assert_eq!(theirs.body["items"][0]["number"], in_ferme.number());
    assert_eq!(theirs.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_address_book_saves_changes_and_deletes_addresses_with_one_default() {
    let app = TestApp::spawn().await;
    let (lyon, _, _) = lyon_with_a_bowl(&app).await;
    let ada = UserBuilder::new(&lyon, "ada@example.com").build(&app).await;
    let t = Some(ada.token.as_str());
    let path = "/api/v1/store/me/addresses";
    let home = store(
        &app,
        &lyon.host,
        Method::POST,
        path,
        t,
        Some(address("Lyon", "fr")),
    )
    .await;
    assert_eq!(home.status, StatusCode::CREATED, "{}", home.text);
    assert_eq!(
        home.body["is_default"], true,
        "the first address is the default"
    );
    assert_eq!(home.body["country"], "FR");
    let mut work = address("Berlin", "DE");
    work["is_default"] = json!(true);
    let work = store(&app, &lyon.host, Method::POST, path, t, Some(work)).await;
    assert_eq!(work.body["is_default"], true);
    let list = store(&app, &lyon.host, Method::GET, path, t, None).await;
    let defaults: Vec<(&str, bool)> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["city"].as_str().unwrap(),
                a["is_default"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        defaults,
        [("Berlin", true), ("Lyon", false)],
        "one default, listed first"
    );

    // A country outside the list, or no city, is refused by name and changes nothing.
    let home_id = home.body["id"].as_str().unwrap();
    let bad = store(
        &app,
        &lyon.host,
        Method::PUT,
        &format!("{path}/{home_id}"),
        t,
        Some(address("", "US")),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = bad.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["city", "country"]);
    let moved = store(
        &app,
        &lyon.host,
        Method::PUT,
        &format!("{path}/{home_id}"),
        t,
        Some(address("Villeurbanne", "FR")),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.body["city"], "Villeurbanne");
    assert_eq!(
        moved.body["is_default"], false,
        "changing an address keeps the default"
    );

    // Deleting the default makes the other one the default.
    let work_id = work.body["id"].as_str().unwrap();
    let gone = store(
        &app,
        &lyon.host,
        Method::DELETE,
        &format!("{path}/{work_id}"),
        t,
        None,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.text);
    let list = store(&app, &lyon.host, Method::GET, path, t, None).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
    assert_eq!(list.body[0]["is_default"], true);
    let again = store(
        &app,
        &lyon.host,
        Method::DELETE,
        &format!("{path}/{work_id}"),
        t,
        None,
    )
    .await;
    assert_eq!(again.code(), "address_not_found");
    // Signed out, there is no address book.
    assert_eq!(
        store(&app, &lyon.host, Method::GET, path, None, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn no_other_buyer_nor_marketplace_can_read_or_change_an_address() {
    let app = TestApp::spawn().await;
    let (lyon, _, _) = lyon_with_a_bowl(&app).await;
    let ferme = TenantBuilder::new("ferme").build(&app).await;
    let ada = UserBuilder::new(&lyon, "ada@example.com").build(&app).await;
    let bob = UserBuilder::new(&lyon, "bob@example.com").build(&app).await;
    let ada_there = UserBuilder::new(&ferme, "ada@example.com")
        .build(&app)
        .await;
    let path = "/api/v1/store/me/addresses";
    let saved = store(
        &app,
        &lyon.host,
        Method::POST,
        path,
        Some(&ada.token),
        Some(address("Lyon", "FR")),
    )
    .await;
    let id = saved.body["id"].as_str().unwrap().to_owned();
    let one = format!("{path}/{id}");

    // Another buyer of the same marketplace: not listed, not changed, not deleted.
    let list = store(&app, &lyon.host, Method::GET, path, Some(&bob.token), None).await;
    assert_eq!(list.body, json!([]));
    let put = store(
        &app,
        &lyon.host,
        Method::PUT,
        &one,
        Some(&bob.token),
        Some(address("Paris", "FR")),
    )
    .await;
    assert_eq!(put.code(), "address_not_found");
    let del = store(
        &app,
        &lyon.host,
        Method::DELETE,
        &one,
        Some(&bob.token),
        None,
    )
    .await;
    assert_eq!(del.code(), "address_not_found");
    // The same person's account in another marketplace sees nothing of it either.
    let list = store(
        &app,
        &ferme.host,
        Method::GET,
        path,
        Some(&ada_there.token),
        None,
    )
    .await;
    assert_eq!(list.body, json!([]));
    let put = store(
        &app,
        &ferme.host,
        Method::PUT,
        &one,
        Some(&ada_there.token),
        Some(address("Paris", "FR")),
    )
    .await;
    assert_eq!(put.code(), "address_not_found");
    // A token of one marketplace is refused on the other's host.
    let crossed = store(&app, &ferme.host, Method::GET, path, Some(&ada.token), None).await;
    assert_eq!(crossed.status, StatusCode::UNAUTHORIZED);
    let mine = store(&app, &lyon.host, Method::GET, path, Some(&ada.token), None).await;
    assert_eq!(mine.body[0]["city"], "Lyon", "unchanged");
    // A checkout cannot name someone else's saved address either.
    let co = app
        .store_with(
            Method::POST,
            &lyon.host,
            "/api/v1/store/checkout",
            Some(&bob.token),
            &[("idempotency-key", "not-mine")],
            Some(json!({ "address_id": id })),
        )
        .await;
    assert_eq!(co.body["errors"][0]["field"], "address_id", "{}", co.text);
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM buyer_addresses").await,
        1
    );
}

#[tokio::test]
async fn deleting_an_account_erases_its_personal_data_keeps_its_orders_and_ends_its_sessions() {
    let app = TestApp::spawn().await;
    let (lyon, shop, bowl) = lyon_with_a_bowl(&app).await;
    let (token, _) = app.sign_in(&lyon.host, "ada@example.com").await;
    let t = Some(token.as_str());
    // Signed out on another device, Ada buys as a guest with her address after signing in.
    let mug = ListingBuilder::new(&shop, "Tasse")
        .price(1200)
        .build(&app)
        .await;
    OrderBuilder::new(&lyon).line(&mug, 1).build(&app).await;
    let me = store(
        &app,
        &lyon.host,
        Method::PUT,
        "/api/v1/store/me",
        t,
        Some(json!({ "display_name": "Ada Lovelace", "phone": "+33 6 12 34 56 78" })),
    )
    .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["phone"], "+33 6 12 34 56 78");
    let bad = store(
        &app,
        &lyon.host,
        Method::PUT,
        "/api/v1/store/me",
        t,
        Some(json!({ "phone": "call me" })),
    )
    .await;
    assert_eq!(bad.body["errors"][0]["field"], "phone");
    store(
        &app,
        &lyon.host,
        Method::POST,
        "/api/v1/store/me/addresses",
        t,
        Some(address("Lyon", "FR")),
    )
    .await;
    // A signed-in buyer's order (checkout prefills the account's e-mail).
    let cart = store(
        &app,
        &lyon.host,
        Method::POST,
        "/api/v1/store/cart/lines",
        t,
        Some(json!({ "listing_id": bowl, "quantity": 1 })),
    )
    .await;
    assert_eq!(cart.status, StatusCode::OK, "{}", cart.text);
    let co = app
        .store_with(
            Method::POST,
            &lyon.host,
            "/api/v1/store/checkout",
            t,
            &[("idempotency-key", "erase-1")],
            Some(json!({ "phone": "+33 6 12 34 56 78", "address": address("Lyon", "FR") })),
        )
        .await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    let paid = store(
        &app,
        &lyon.host,
        Method::POST,
        &format!(
            "/api/v1/store/checkout/{}/test-payment",
            co.body["id"].as_str().unwrap()
        ),
        None,
        Some(json!({ "client_secret": co.body["payment"]["client_secret"], "outcome": "succeed" })),
    )
    .await;
    assert_eq!(paid.body["status"], "paid", "{}", paid.text);

    let path = "/api/v1/store/me";
    // The wrong e-mail confirms nothing.
    let wrong = store(
        &app,
        &lyon.host,
        Method::DELETE,
        path,
        t,
        Some(json!({ "confirm_email": "bob@example.com" })),
    )
    .await;
    assert_eq!(
        wrong.body["errors"][0]["field"], "confirm_email",
        "{}",
        wrong.text
    );
    // An order on its way still needs the address.
    let busy = store(
        &app,
        &lyon.host,
        Method::DELETE,
        path,
        t,
        Some(json!({ "confirm_email": "ada@example.com" })),
    )
    .await;
    assert_eq!(busy.code(), "orders_in_progress", "{}", busy.text);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM users WHERE email = 'ada@example.com'"
        )
        .await,
        1
    );
    let mut conn = app.db.superuser().await;
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE orders SET status = 'delivered'"),
        &mut conn,
    )
    .await
    .unwrap();

    let done = store(
        &app,
        &lyon.host,
        Method::DELETE,
        path,
        t,
        Some(json!({ "confirm_email": " ADA@example.com " })),
    )
    .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text);
    // Signed out everywhere: the token is refused.
    assert_eq!(
        store(&app, &lyon.host, Method::GET, path, t, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Personal data gone; the order and its lines and amounts kept.
    for (what, sql) in [
        (
            "the e-mail",
            "SELECT count(*) AS n FROM users WHERE email = 'ada@example.com'",
        ),
        (
            "name and phone",
            "SELECT count(*) AS n FROM users WHERE display_name IS NOT NULL OR phone IS NOT NULL",
        ),
        (
            "saved addresses",
            "SELECT count(*) AS n FROM buyer_addresses",
        ),
        (
            "the order's e-mail",
            "SELECT count(*) AS n FROM orders WHERE email LIKE '%ada%'",
        ),
        (
            "the order's phone",
            "SELECT count(*) AS n FROM orders WHERE phone IS NOT NULL",
        ),
        (
            "the order's address",
            "SELECT count(*) AS n FROM orders WHERE address ? 'line1' OR address ? 'name'",
        ),
        (
            "the checkout's contact",
            "SELECT count(*) AS n FROM checkouts WHERE email LIKE '%ada%' OR phone IS NOT NULL OR address ? 'line1'",
        ),
        (
            "sign-in codes",
            "SELECT count(*) AS n FROM one_time_codes WHERE email = 'ada@example.com'",
        ),
    ] {
        assert_eq!(count(&app, sql).await, 0, "{what} should be erased");
    }
    assert_eq!(count(&app, "SELECT count(*) AS n FROM orders WHERE total_minor > 0 AND address ->> 'country' = 'FR'").await, 2, "both orders stay for the accounts");
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM order_lines").await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM users WHERE erased_at IS NOT NULL"
        )
        .await,
        1
    );
    // Signing in again with the address opens a new, empty account.
    let (again, body) = app.sign_in(&lyon.host, "ada@example.com").await;
    assert_eq!(body["new_account"], true);
    let orders = store(
        &app,
        &lyon.host,
        Method::GET,
        "/api/v1/store/orders",
        Some(&again),
        None,
    )
    .await;
    assert_eq!(orders.body["items"], json!([]));
}

#[tokio::test]
async fn a_pickup_option_needs_no_address_and_says_where_and_when_to_collect() {
    let app = TestApp::spawn().await;
    let (lyon, shop, bowl) = lyon_with_a_bowl(&app).await;
    let options = json!([
        { "name": "Colissimo", "base_minor": 490, "per_item_minor": 0, "days_min": 2, "days_max": 4 },
        { "name": "Retrait à l’atelier", "base_minor": 0, "days_min": 0, "days_max": 1,
          "pickup": { "address": "12 rue des Potiers, 69001 Lyon", "hours": "Samedi 9 h – 12 h" } },
    ]);
    let missing = store(&app, &lyon.host, Method::PUT, "/api/v1/seller/shipping-options", Some(shop.token()),
        Some(json!([{ "name": "Retrait", "base_minor": 0, "days_min": 0, "days_max": 1, "pickup": { "address": "Atelier", "hours": " " } }]))).await;
    assert_eq!(
        missing.body["errors"][0]["field"], "options[0].pickup.hours",
        "{}",
        missing.text
    );
    let set = store(
        &app,
        &lyon.host,
        Method::PUT,
        "/api/v1/seller/shipping-options",
        Some(shop.token()),
        Some(options),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert_eq!(set.body[1]["pickup"]["hours"], "Samedi 9 h – 12 h");
    assert!(set.body[0].get("pickup").is_none());
    let colissimo_id = set.body[0]["id"].as_str().unwrap().to_owned();
    let pickup_id = set.body[1]["id"].as_str().unwrap().to_owned();

    let cart = store(
        &app,
        &lyon.host,
        Method::POST,
        "/api/v1/store/cart/lines",
        None,
        Some(json!({ "listing_id": bowl, "quantity": 2 })),
    )
    .await;
    let cart_token = cart.body["cart_token"].as_str().unwrap().to_owned();
    let opts = &cart.body["shops"][0]["delivery_options"];
    assert_eq!(
        opts[1]["pickup"]["address"],
        "12 rue des Potiers, 69001 Lyon"
    );
    let guest = |key: &'static str, body: Value| {
        let (app, host, cart_token) = (&app, lyon.host.clone(), cart_token.clone());
        async move {
            app.store_with(
                Method::POST,
                &host,
                "/api/v1/store/checkout",
                None,
                &[
                    ("idempotency-key", key),
                    ("x-cart-token", cart_token.as_str()),
                ],
                Some(body),
            )
            .await
        }
    };
    let contact = json!({ "email": "ada@example.com", "phone": "+33 6 12 34 56 78" });
    // Delivered: an address is needed.
    let mut ship = contact.clone();
    ship["delivery"] = json!([{ "shop_id": shop.id(), "option_id": colissimo_id }]);
    let shipped = guest("pickup-1", ship).await;
    assert_eq!(
        shipped.body["errors"][0]["field"], "address",
        "{}",
        shipped.text
    );
    // Collected: none is.
    let mut collect = contact.clone();
    collect["delivery"] = json!([{ "shop_id": shop.id(), "option_id": pickup_id }]);
    let co = guest("pickup-2", collect).await;
    assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
    assert_eq!(co.body["shipping_minor"], 0);
    let paid = store(
        &app,
        &lyon.host,
        Method::POST,
        &format!(
            "/api/v1/store/checkout/{}/test-payment",
            co.body["id"].as_str().unwrap()
        ),
        None,
        Some(json!({ "client_secret": co.body["payment"]["client_secret"], "outcome": "succeed" })),
    )
    .await;
    let order = &paid.body["orders"][0];
    let number = order["number"].as_str().unwrap();
    let view = store(
        &app,
        &lyon.host,
        Method::GET,
        &format!(
            "/api/v1/store/orders/{number}?token={}",
            order["access_token"].as_str().unwrap()
        ),
        None,
        None,
    )
    .await;
    assert_eq!(
        view.body["pickup"]["address"], "12 rue des Potiers, 69001 Lyon",
        "{}",
        view.text
    );
    assert_eq!(view.body["address"], json!({}), "no address was kept");

    // The order page, the seller's page and the e-mail say where and when.
    let mut web = WebSession::storefront(&app, &lyon.host, None);
    let page = web
        .get(&format!(
            "/orders/{number}?token={}",
            order["access_token"].as_str().unwrap()
        ))
        .await;
    assert!(
        page.text
            .contains("À retirer à 12 rue des Potiers, 69001 Lyon — Samedi 9 h – 12 h"),
        "{}",
        page.text
    );
    let mut seller = WebSession::storefront(&app, &lyon.host, Some(shop.token()));
    let page = seller.get(&format!("/sell/orders/{number}")).await;
    assert!(
        page.text.contains(r#"id="pickup""#) && page.text.contains("+33 6 12 34 56 78"),
        "{}",
        page.text
    );
    app.drain_outbox().await;
    let mail = app
        .mails()
        .into_iter()
        .find(|m| m.contains("To: ada@example.com"))
        .unwrap();
    assert!(
        mail.contains("À retirer à 12 rue des Potiers, 69001 Lyon — Samedi 9 h – 12 h"),
        "{mail}"
    );
    assert!(mail.contains("2 × Bol moucheté"), "{mail}");
    assert!(
        !mail.contains("Adresse de livraison"),
        "nothing is delivered: {mail}"
    );
}

#[tokio::test]
async fn cart_quantities_change_on_the_cart_page_up_to_the_stock() {
    let app = TestApp::spawn().await;
    let (lyon, _, bowl) = lyon_with_a_bowl(&app).await;
    let mut web = WebSession::storefront(&app, &lyon.host, None);
    let added = web
        .post("/cart/add", &[("listing_id", &bowl), ("quantity", "1")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let cart = web.get("/cart").await;
    assert!(
        cart.text.contains("Panier (1)"),
        "the header counts the cart"
    );
    let line = cart
        .text
        .split(r#"name="line_id" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let changed = web
        .post("/cart/update", &[("line_id", &line), ("quantity", "3")])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(changed.location(), "/cart");
    let cart = web.get("/cart").await;
    assert!(cart.text.contains(r#"max="5" value="3""#), "{}", cart.text);
    assert!(cart.text.contains("90,00"), "3 × 30,00: {}", cart.text);
    // Every storefront page shows the count, without reading the cart again.
    let home = web.get("/").await;
    assert!(home.text.contains("Panier (3)"), "{}", home.text);
    // Past the stock: refused, said in French, nothing changed.
    let over = web
        .post("/cart/update", &[("line_id", &line), ("quantity", "9")])
        .await;
    assert_eq!(over.status, StatusCode::CONFLICT);
    assert!(
        over.text
            .contains("Il ne reste que 5 exemplaires de « Bol moucheté »"),
        "{}",
        over.text
    );
    assert!(over.text.contains(r#"value="3""#));
    let zero = web
        .post("/cart/update", &[("line_id", &line), ("quantity", "0")])
        .await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(zero.text.contains("Indiquez une quantité entre 1 et 1000"));
    assert_eq!(
        count(&app, "SELECT quantity::bigint AS n FROM cart_lines").await,
        3
    );
    // The API refuses the same way.
    let ada = UserBuilder::new(&lyon, "ada@example.com").build(&app).await;
    let cart = store(
        &app,
        &lyon.host,
        Method::POST,
        "/api/v1/store/cart/lines",
        Some(&ada.token),
        Some(json!({ "listing_id": bowl, "quantity": 1 })),
    )
    .await;
    let id = cart.body["shops"][0]["lines"][0]["id"].as_str().unwrap();
    let over = store(
        &app,
        &lyon.host,
        Method::PATCH,
        &format!("/api/v1/store/cart/lines/{id}"),
        Some(&ada.token),
        Some(json!({ "quantity": 6 })),
    )
    .await;
    assert_eq!(over.code(), "insufficient_stock", "{}", over.text);
    assert_eq!(over.body["errors"][0]["field"], "quantity");
}

#[tokio::test]
async fn checkout_prefills_a_signed_in_buyer_and_ships_to_a_saved_or_new_address() {
    let app = TestApp::spawn().await;
    let (lyon, _, bowl) = lyon_with_a_bowl(&app).await;
    let ada = UserBuilder::new(&lyon, "ada@example.com").build(&app).await;
    let t = Some(ada.token.as_str());
    store(
        &app,
        &lyon.host,
        Method::PUT,
        "/api/v1/store/me",
        t,
        Some(json!({ "display_name": "Ada Lovelace", "phone": "06 12 34 56 78" })),
    )
    .await;
    let saved = store(
        &app,
        &lyon.host,
        Method::POST,
        "/api/v1/store/me/addresses",
        t,
        Some(address("Villeurbanne", "FR")),
    )
    .await;
    let saved_id = saved.body["id"].as_str().unwrap().to_owned();
    store(
        &app,
        &lyon.host,
        Method::POST,
        "/api/v1/store/cart/lines",
        t,
        Some(json!({ "listing_id": bowl, "quantity": 2 })),
    )
    .await;

    let mut web = WebSession::storefront(&app, &lyon.host, t);
    let form = web.get("/checkout").await;
    assert_eq!(form.status, StatusCode::OK);
    for prefilled in [
        r#"name="email" type="email" value="ada@example.com""#,
        r#"name="phone" type="tel" value="06 12 34 56 78""#,
        r#"name="name" type="text" value="Ada Lovelace""#,
        &format!(r#"value="{saved_id}" checked"#),
        "Ada Lovelace, 3 rue Mercière, 69002 Villeurbanne, France",
        r#"<option value="FR" selected>France</option>"#,
        "2 × Bol moucheté — 60,00",
    ] {
        assert!(
            form.text.contains(prefilled),
            "{prefilled} missing: {}",
            form.text
        );
    }
    assert!(!form.text.contains(">FR<"), "codes are never shown");
    let key = form
        .text
        .split(r#"name="idempotency_key" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let total = form
        .text
        .split(r#"name="expected_total_minor" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    // A new address, saved to the account on the way.
    let posted = web
        .post(
            "/checkout",
            &[
                ("idempotency_key", &key),
                ("expected_total_minor", &total),
                ("email", "ada@example.com"),
                ("phone", "06 12 34 56 78"),
                ("address_choice", "new"),
                ("name", "Ada L."),
                ("line1", "1 place Bellecour"),
                ("postal_code", "69002"),
                ("city", "Lyon"),
                ("country", "BE"),
                ("save_address", "on"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM checkouts WHERE address ->> 'line1' = '1 place Bellecour' AND address ->> 'country' = 'BE'").await, 1);
    let book = store(
        &app,
        &lyon.host,
        Method::GET,
        "/api/v1/store/me/addresses",
        t,
        None,
    )
    .await;
    assert_eq!(book.body.as_array().unwrap().len(), 2, "{}", book.text);
    // A saved address, by its choice.
    let again = app
        .store_with(
            Method::POST,
            &lyon.host,
            "/api/v1/store/checkout",
            t,
            &[("idempotency-key", "saved-1")],
            Some(json!({ "address_id": saved_id })),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM checkouts WHERE address ->> 'city' = 'Villeurbanne'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_confirmation_and_the_sellers_page_show_items_delivery_address_and_phone() {
    let app = TestApp::spawn().await;
    let (lyon, shop, bowl) = lyon_with_a_bowl(&app).await;
    let mut web = WebSession::storefront(&app, &lyon.host, None);
    web.post("/cart/add", &[("listing_id", &bowl), ("quantity", "2")])
        .await;
    let form = web.get("/checkout").await;
    let value = |name: &str| {
        form.text
            .split(&format!(r#"name="{name}" value=""#))
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned()
    };
    let (key, total) = (value("idempotency_key"), value("expected_total_minor"));
    // A country typed as a name is refused, in French, on its field.
    let refused = web
        .post(
            "/checkout",
            &[
                ("idempotency_key", &key),
                ("email", "ada@example.com"),
                ("phone", "+33 6 12 34 56 78"),
                ("name", "Ada Lovelace"),
                ("line1", "3 rue Mercière"),
                ("postal_code", "69002"),
                ("city", "Lyon"),
                ("country", "France"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains(
            r#"<span id="country-error" class="error">Choisissez un pays dans la liste.</span>"#
        ),
        "{}",
        refused.text
    );
    assert!(krafto_i18n::english_words_in(&krafto_testkit::visible_text(&refused.text)).is_empty());
    let posted = web
        .post(
            "/checkout",
            &[
                ("idempotency_key", &key),
                ("expected_total_minor", &total),
                ("email", "ada@example.com"),
                ("phone", "+33 6 12 34 56 78"),
                ("name", "Ada Lovelace"),
                ("line1", "3 rue Mercière"),
                ("postal_code", "69002"),
                ("city", "Lyon"),
                ("country", "FR"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.text);
    let pay = posted.location().to_owned();
    let (id, secret) = pay
        .trim_start_matches("/checkout/")
        .split_once("/pay?secret=")
        .unwrap();
    let paid = web
        .post(
            &format!("/checkout/{id}/pay"),
            &[("secret", secret), ("outcome", "succeed")],
        )
        .await;
    let done = web.get(paid.location()).await;
    for shown in [
        "2 × Bol moucheté — 60,00",
        "Colissimo — 6,90",
        "Adresse de livraison",
        "3 rue Mercière",
        "69002 Lyon",
        "France",
    ] {
        assert!(
            done.text.contains(shown),
            "{shown} missing from the confirmation: {}",
            done.text
        );
    }
    assert!(
        !done.text.contains("Panier ("),
        "what was bought left the cart"
    );
    let number = done
        .text
        .split("/orders/")
        .nth(1)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let mut seller = WebSession::storefront(&app, &lyon.host, Some(shop.token()));
    let page = seller.get(&format!("/sell/orders/{number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains(r#"Téléphone : <a href="tel:+33 6 12 34 56 78">"#)
            || page.text.contains("tel:+33 6 12 34 56 78"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("France") && !page.text.contains("<br>FR<br>"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn a_seller_sets_a_pickup_place_and_its_hours_on_the_delivery_page() {
    let app = TestApp::spawn().await;
    let (lyon, shop, _) = lyon_with_a_bowl(&app).await;
    let mut seller = WebSession::storefront(&app, &lyon.host, Some(shop.token()));
    let page = seller.get("/sell/shipping").await;
    assert!(page.text.contains("Lieu de retrait"), "{}", page.text);
    let row = |hours: &'static str| {
        vec![
            ("name_0", "Retrait à l’atelier"),
            ("base_0", "0"),
            ("per_item_0", "0"),
            ("days_min_0", "0"),
            ("days_max_0", "1"),
            ("pickup_address_0", "12 rue des Potiers, Lyon"),
            ("pickup_hours_0", hours),
        ]
    };
    let refused = seller.post("/sell/shipping", &row("")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text
            .contains(r#"aria-describedby="pickup_hours_0-error""#),
        "{}",
        refused.text
    );
    let saved = seller
        .post("/sell/shipping", &row("Samedi 9 h – 12 h"))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let options = store(
        &app,
        &lyon.host,
        Method::GET,
        "/api/v1/seller/shipping-options",
        Some(shop.token()),
        None,
    )
    .await;
    assert_eq!(
        options.body[0]["pickup"],
        json!({ "address": "12 rue des Potiers, Lyon", "hours": "Samedi 9 h – 12 h" })
    );
    let page = seller.get("/sell/shipping").await;
    assert!(page.text.contains(r#"value="Samedi 9 h – 12 h""#));
}

#[tokio::test]
async fn the_account_page_saves_the_profile_and_addresses_and_deletes_after_confirmation() {
    let app = TestApp::spawn().await;
    let (lyon, _, _) = lyon_with_a_bowl(&app).await;
    let (token, _) = app.sign_in(&lyon.host, "ada@example.com").await;
    let mut web = WebSession::storefront(&app, &lyon.host, Some(&token));
    let page = web.get("/").await;
    assert!(page.text.contains(r#"<a href="/account">Mon compte</a>"#));
    let saved = web
        .post(
            "/account/profile",
            &[
                ("display_name", "Ada Lovelace"),
                ("phone", "06 12 34 56 78"),
            ],
        )
        .await;
    assert_eq!(saved.location(), "/account?done=profile");
    let bad = web
        .post(
            "/account/addresses",
            &[
                ("name", "Ada"),
                ("line1", "3 rue Mercière"),
                ("country", "XX"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in [
        "Corrigez les champs signalés ci-dessous.",
        r#"<span id="new-country-error" class="error">Choisissez un pays dans la liste.</span>"#,
        r#"<span id="new-city-error" class="error">Obligatoire (200 caractères au plus).</span>"#,
        r#"value="3 rue Mercière""#,
    ] {
        assert!(bad.text.contains(said), "{said} missing: {}", bad.text);
    }
    let added = web
        .post(
            "/account/addresses",
            &[
                ("name", "Ada"),
                ("line1", "3 rue Mercière"),
                ("postal_code", "69002"),
                ("city", "Lyon"),
                ("country", "IT"),
            ],
        )
        .await;
    assert_eq!(added.location(), "/account?done=address");
    let account = web.get("/account?done=address").await;
    for shown in [
        "Adresse enregistrée.",
        r#"value="Ada Lovelace""#,
        r#"value="06 12 34 56 78""#,
        "69002 Lyon<br>Italie<br>",
        "Adresse par défaut",
    ] {
        assert!(
            account.text.contains(shown),
            "{shown} missing: {}",
            account.text
        );
    }

    // Deleting asks for the e-mail first.
    let confirm = web.get("/account/delete").await;
    assert!(
        confirm
            .text
            .contains("tapez l’adresse e-mail de ce compte\u{a0}: ada@example.com")
    );
    let wrong = web
        .post(
            "/account/delete",
            &[("confirm_email", "someone@example.com")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text
            .contains("Tapez l’adresse e-mail de ce compte pour confirmer.")
    );
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM buyer_addresses").await,
        1
    );
    let done = web
        .post("/account/delete", &[("confirm_email", "ada@example.com")])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert!(done.text.contains("Compte supprimé"));
    assert!(web.cookie.is_none(), "the session cookie is cleared");
    assert_eq!(
        count(&app, "SELECT count(*) AS n FROM buyer_addresses").await,
        0
    );
    // The old session is refused even when sent again.
    let mut replay = WebSession::storefront(&app, &lyon.host, Some(&token));
    let r = replay.get("/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/sign-in"));
}
