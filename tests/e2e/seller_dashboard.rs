//! The seller dashboard (`/sell`) over HTTP, as a browser without JavaScript would use it:
//! forms posted with the session cookie, redirects not followed. Every action must land in
//! the same state the seller API shows.

use crate::catalog::{LYON, market};
use crate::commerce::count;
use krafto_testkit::{
    ListingBuilder, OrderBuilder, Reply, ShopBuilder, TenantBuilder, TestApp, UserBuilder,
    WebSession,
};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn token_of(p: &Reply) -> String {
    p.set_cookies()
        .first()
        .and_then(|c| c.strip_prefix("krafto_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

#[tokio::test]
async fn an_artisan_opens_a_shop_and_the_wizard_follows_them_to_a_published_listing() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", true).await;

    // Signed out: the page explains selling and asks to sign in first.
    let mut anon = WebSession::storefront(&app, LYON, None);
    let p = anon.get("/sell").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.text.contains("Sign in or create an account"),
        "{}",
        p.text
    );

    let (buyer, _) = app.sign_in(LYON, "clay@example.com").await;
    let mut b = WebSession::storefront(&app, LYON, Some(&buyer));
    let p = b.get("/sell").await;
    assert!(p.text.contains(r#"id="open-shop""#), "{}", p.text);

    // A shop needs a name: refused, the field named, nothing made.
    let p = b
        .post("/sell/open", &[("name", "  "), ("city", "Lyon")])
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert!(p.text.contains(r#"aria-invalid="true""#), "{}", p.text);
    assert!(p.text.contains(r#"value="Lyon""#), "the values are kept");
    assert_eq!(count(&app, "select count(*) as n from shops").await, 0);

    let p = b
        .post(
            "/sell/open",
            &[
                ("name", "Atelier Saône"),
                ("city", "Lyon"),
                ("country", "fr"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    assert_eq!(p.location(), "/sell?done=opened");
    let seller = token_of(&p);
    let me = app
        .store(Method::GET, LYON, "/api/v1/me", Some(&seller), None)
        .await;
    assert_eq!(
        me.body["user"]["role"], "seller",
        "the new session carries the seller role"
    );

    // The wizard starts at the profile and says what is missing.
    let p = b.get("/sell?done=opened").await;
    assert!(p.text.contains("Your shop is open"), "{}", p.text);
    assert!(p.text.contains("0 of 6 steps done"), "{}", p.text);
    assert!(p.text.contains("missing: story, a logo"), "{}", p.text);
    assert!(!p.text.contains(r#"id="submit-shop""#));

    // Social links are set through the API; saving the form must not lose them.
    let put = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/seller/shop",
            Some(&seller),
            Some(json!({ "name": "Atelier Saône", "social_links": { "instagram": "https://instagram.com/saone" },
                         "location": { "city": "Lyon", "country": "fr" } })),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let p = b
        .post(
            "/sell/shop",
            &[
                ("name", "Atelier Saône"),
                ("story", "Bowls thrown by hand by the river."),
                ("city", "Lyon"),
                ("country", "fr"),
                ("profile_image_url", "https://img.example/me.jpg"),
                ("processing_days_min", "two"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.text.contains("must be a whole number"), "{}", p.text);
    let shop = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/shop",
            Some(&seller),
            None,
        )
        .await;
    assert!(
        shop.body["story"].is_null(),
        "a refused form changes nothing"
    );
    let p = b
        .post(
            "/sell/shop",
            &[
                ("name", "Atelier Saône"),
                ("story", "Bowls thrown by hand by the river."),
                ("city", "Lyon"),
                ("country", "fr"),
                ("profile_image_url", "https://img.example/me.jpg"),
                ("processing_days_min", "1"),
                ("processing_days_max", "3"),
                ("languages", "fr, en"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    let shop = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/shop",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(shop.body["story"], "Bowls thrown by hand by the river.");
    assert_eq!(shop.body["languages"], json!(["fr", "en"]));
    assert_eq!(
        shop.body["social_links"]["instagram"], "https://instagram.com/saone",
        "what the form does not show is kept"
    );

    let p = b.get("/sell").await;
    assert!(p.text.contains("1 of 6 steps done"), "{}", p.text);
    assert!(p.text.contains(r#"id="submit-shop""#), "{}", p.text);
    let p = b.post("/sell/submit", &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    let shop = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/shop",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(shop.body["status"], "pending_review");

    // Verification: the business type is required; then it waits for review.
    let p = b
        .post(
            "/sell/verification",
            &[
                ("legal_name", "Camille Martin"),
                ("line1", "3 quai Saint-Vincent"),
                ("postal_code", "69001"),
                ("city", "Lyon"),
                ("country", "fr"),
                ("documents", "ID-123"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.text.contains("choose a business type"), "{}", p.text);
    assert_eq!(
        count(&app, "select count(*) as n from shop_verifications").await,
        0
    );
    let p = b
        .post(
            "/sell/verification",
            &[
                ("business_type", "sole_trader"),
                ("legal_name", "Camille Martin"),
                ("line1", "3 quai Saint-Vincent"),
                ("postal_code", "69001"),
                ("city", "Lyon"),
                ("country", "fr"),
                ("documents", "ID-123\nSIRET 123 456 789"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    let v = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/verification",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(v.body["status"], "submitted");
    assert_eq!(v.body["business_type"], "sole_trader");
    let p = b.get("/sell/verification").await;
    assert!(p.text.contains("submitted"), "{}", p.text);
    assert!(
        !p.text.contains(r#"id="verification""#),
        "no second request"
    );

    // Payouts: the button leads to (test-mode) onboarding; completing it enables payouts.
    let p = b.get("/sell/payouts").await;
    assert!(p.text.contains("Set up payouts with Stripe"), "{}", p.text);
    let p = b.post("/sell/payouts/onboarding", &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    assert!(
        p.location()
            .starts_with(&format!("http://{LYON}/test-mode/onboarding/")),
        "{}",
        p.location()
    );
    let path = p.location().split_once(LYON).unwrap().1.to_owned();
    let (page_path, _) = path.split_once('?').unwrap();
    let done = b
        .post(
            page_path,
            &[("return_url", &format!("http://{LYON}/sell/payouts"))],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let p = b.get("/sell/payouts?done=payouts").await;
    assert!(
        p.text.contains("Payments and payouts are enabled"),
        "{}",
        p.text
    );

    // A listing: a price that is not an amount is refused before anything is written.
    let p = b
        .post(
            "/sell/listings",
            &[
                ("title", "Blue bowl"),
                ("price", "cheap"),
                ("quantity", "3"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.text.contains("must be an amount like 24.50"),
        "{}",
        p.text
    );
    let p = b
        .post(
            "/sell/listings",
            &[
                ("title", "Blue bowl"),
                ("price", "24.50"),
                ("length_mm", "120"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.text
            .contains("give length, width and height together, or none of them"),
        "the catalog's one dimensions rule: {}",
        p.text
    );
    assert!(p.text.contains(r#"value="Blue bowl""#));
    assert_eq!(count(&app, "select count(*) as n from listings").await, 0);

    // Save and publish without a photo: saved as a draft, the missing fields listed.
    let p = b
        .post(
            "/sell/listings",
            &[
                ("title", "Blue bowl"),
                ("description", "Stoneware, glazed in cobalt."),
                ("price", "24.50"),
                ("quantity", "3"),
                ("tags", "bowl, blue"),
                ("variant_options_0", "Size=Small"),
                ("variant_quantity_0", "2"),
                ("variant_options_1", "Size=Large"),
                ("variant_price_1", "29"),
                ("variant_quantity_1", "1"),
                ("then", "publish"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert!(p.text.contains(r#"id="missing-fields""#), "{}", p.text);
    assert!(
        p.text
            .contains("<li>at least 1 photo(s) needed, 0 given</li>"),
        "{}",
        p.text
    );
    assert!(
        p.text.contains(
            r#"id="photo_url_0-error" class="error">at least 1 photo(s) needed, 0 given<"#
        ),
        "the photos' gap is marked on the first photo: {}",
        p.text
    );
    let list = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/listings",
            Some(&seller),
            None,
        )
        .await;
    let listing = &list.body["items"][0];
    assert_eq!(listing["status"], "draft");
    assert_eq!(listing["price_minor"], 2450);
    assert_eq!(listing["tags"], json!(["bowl", "blue"]));
    let variants = listing["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[1]["options"]["size"], "Large", "{variants:?}");
    assert_eq!(variants[1]["price_minor"], 2900);
    let id = listing["id"].as_str().unwrap().to_owned();

    // The edit form shows what was saved; adding a photo lets it publish.
    let p = b.get(&format!("/sell/listings/{id}")).await;
    assert!(p.text.contains(r#"value="24.50""#), "{}", p.text);
    assert!(p.text.contains(r#"value="size=Large""#), "{}", p.text);
    let p = b
        .post(
            &format!("/sell/listings/{id}"),
            &[
                ("title", "Blue bowl"),
                ("description", "Stoneware, glazed in cobalt."),
                ("price", "24.50"),
                ("quantity", "3"),
                ("tags", "bowl, blue"),
                ("photo_url_0", "https://img.example/bowl.jpg"),
                ("photo_alt_0", "A cobalt-blue stoneware bowl"),
                ("variant_options_0", "Size=Small"),
                ("variant_quantity_0", "2"),
                ("variant_options_1", "Size=Large"),
                ("variant_price_1", "29"),
                ("variant_quantity_1", "1"),
                ("then", "publish"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    assert_eq!(p.location(), format!("/sell/listings/{id}?done=published"));
    let l = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/listings/{id}"),
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(l.body["photos"][0]["alt"], "A cobalt-blue stoneware bowl");
    assert!(
        l.body["status"] == "active" || l.body["status"] == "pending_review",
        "{}",
        l.text
    );
    let p = b.get("/sell/listings").await;
    assert!(p.text.contains("Blue bowl"), "{}", p.text);
    assert!(p.text.contains("€24.50"), "{}", p.text);

    // The operator approves the shop; the wizard counts the live listing.
    let shop_id = shop.body["id"].as_str().unwrap();
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/shops/{shop_id}/approve"),
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let p = b.get("/sell").await;
    assert!(
        p.text.contains("Approved") || p.text.contains("Active"),
        "{}",
        p.text
    );
}

#[tokio::test]
async fn sellers_accept_ship_and_cancel_orders_and_see_the_commission_on_each() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let s = ShopBuilder::new(&lyon, "Pots")
        .owner_email("pots@example.com")
        .shipping(500, 100)
        .build(&app)
        .await;
    let teapot = ListingBuilder::new(&s, "Teapot")
        .price(4000)
        .build(&app)
        .await;
    let buy = || async {
        OrderBuilder::new(&lyon)
            .line(&teapot, 1)
            .build(&app)
            .await
            .number()
            .to_owned()
    };
    let first = buy().await;
    let second = buy().await;

    let mut b = WebSession::storefront(&app, LYON, Some(&s.owner.token));
    let p = b.get("/sell/orders").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert!(
        p.text.contains(&first) && p.text.contains(&second),
        "{}",
        p.text
    );
    let p = b.get("/sell/orders?status=placed").await;
    assert!(p.text.contains(&first), "{}", p.text);

    let api_order = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/orders/{first}"),
            Some(&s.owner.token),
            None,
        )
        .await;
    let payout = api_order.body["fees"]["seller_payout_minor"]
        .as_i64()
        .unwrap();
    let commission = api_order.body["fees"]["commission_minor"].as_i64().unwrap();
    assert!(commission > 0);
    let euros = |minor: i64| format!("€{}.{:02}", minor / 100, minor % 100);

    let p = b.get(&format!("/sell/orders/{first}")).await;
    assert!(p.text.contains(r#"id="accept""#), "{}", p.text);
    assert!(
        !p.text.contains(r#"id="ship""#),
        "a placed order is accepted first"
    );
    assert!(p.text.contains(&euros(commission)), "{}", p.text);
    assert!(p.text.contains(&euros(payout)), "{}", p.text);
    assert!(p.text.contains("Ada Lovelace"), "the address to ship to");

    // Cancelling needs a reason (the buyer sees it): refused, and nothing moves.
    let p = b
        .post(&format!("/sell/orders/{second}/cancel"), &[("reason", " ")])
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert!(p.text.contains("reason"), "{}", p.text);
    let o = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/orders/{second}"),
            Some(&s.owner.token),
            None,
        )
        .await;
    assert_eq!(o.body["status"], "placed");
    let p = b
        .post(
            &format!("/sell/orders/{second}/cancel"),
            &[("reason", "The glaze cracked in the kiln")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);

    let p = b.post(&format!("/sell/orders/{first}/accept"), &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    // Accepting twice is not a move the order can make.
    let p = b.post(&format!("/sell/orders/{first}/accept"), &[]).await;
    assert_eq!(p.status, StatusCode::CONFLICT, "{}", p.text);
    let p = b
        .post(
            &format!("/sell/orders/{first}/ship"),
            &[("tracking_number", "6A123456789")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    let p = b.get(&format!("/sell/orders/{first}")).await;
    assert!(p.text.contains("Shipped"), "{}", p.text);
    assert!(p.text.contains("6A123456789"));
    let o = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/orders/{first}"),
            Some(&s.owner.token),
            None,
        )
        .await;
    assert_eq!(o.body["status"], "shipped");
    assert_eq!(o.body["tracking_number"], "6A123456789");
    let o = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/orders/{second}"),
            Some(&s.owner.token),
            None,
        )
        .await;
    assert_eq!(o.body["status"], "cancelled");

    // Payouts: the balance from the ledger and what each order paid out.
    let balance = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/balance",
            Some(&s.owner.token),
            None,
        )
        .await;
    let p = b.get("/sell/payouts").await;
    assert!(
        p.text.contains(&first) && p.text.contains(&second),
        "{}",
        p.text
    );
    assert!(p.text.contains(&euros(payout)), "{}", p.text);
    assert!(
        p.text
            .contains(&euros(balance.body["earned_minor"].as_i64().unwrap())),
        "{}",
        p.text
    );
}

#[tokio::test]
async fn csv_import_through_the_dashboard_reports_every_line() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let s = ShopBuilder::new(&lyon, "Imports")
        .shipping(0, 0)
        .build(&app)
        .await;
    let mut b = WebSession::storefront(&app, LYON, Some(&s.owner.token));
    let csv = "title,price,quantity,photo_urls,photo_alts\n\
               Linen towel,12.00,4,https://img.example/t.jpg,A linen towel\n\
               ,9.00,1,,\n\
               Oak spoon,7.5,10,,\n";
    let p = b.post("/sell/import", &[("csv", csv)]).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert!(
        p.text.contains("2 imported as drafts, 1 rejected"),
        "{}",
        p.text
    );
    assert!(p.text.contains("title"), "the bad line names its field");
    assert_eq!(
        count(
            &app,
            "select count(*) as n from listings where status = 'draft'"
        )
        .await,
        2
    );
    let p = b.get("/sell/listings?status=draft").await;
    assert!(p.text.contains("Linen towel") && p.text.contains("Oak spoon"));
    // A file without the title column is refused whole.
    let p = b.post("/sell/import", &[("csv", "price\n3.00\n")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert_eq!(
        count(&app, "select count(*) as n from listings").await,
        2,
        "nothing more was written"
    );
}

#[tokio::test]
async fn the_dashboard_shows_a_seller_only_their_own_shop() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let a = ShopBuilder::new(&lyon, "Shop A")
        .owner_email("a@example.com")
        .shipping(0, 0)
        .build(&app)
        .await;
    let other = ShopBuilder::new(&lyon, "Shop B")
        .owner_email("b@example.com")
        .shipping(0, 0)
        .build(&app)
        .await;
    let theirs = ListingBuilder::new(&other, "Their vase")
        .price(3000)
        .build(&app)
        .await
        .id;

    // Signed out: sent to sign in, then back.
    let mut anon = WebSession::storefront(&app, LYON, None);
    let p = anon.get("/sell/listings").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location(), "/sign-in?next=%2Fsell%2Flistings");

    // A buyer has no dashboard pages beyond opening a shop.
    let buyer = UserBuilder::new(&lyon, "just-buying@example.com")
        .build(&app)
        .await;
    let mut bb = WebSession::storefront(&app, LYON, Some(&buyer.token));
    let p = bb.get("/sell/orders").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN, "{}", p.text);
    assert!(
        p.text.contains(
            "This page is for another kind of account; you are signed in with a buyer account."
        ),
        "{}",
        p.text
    );

    // Another shop's listing is not found, and cannot be touched.
    let mut sa = WebSession::storefront(&app, LYON, Some(&a.owner.token));
    let p = sa.get(&format!("/sell/listings/{theirs}")).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.text);
    let p = sa
        .post(&format!("/sell/listings/{theirs}/archive"), &[])
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.text);
    let p = sa
        .post(
            &format!("/sell/listings/{theirs}"),
            &[("title", "Mine now"), ("price", "1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.text);
    let l = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{theirs}"),
            None,
            None,
        )
        .await;
    assert_eq!(l.status, StatusCode::OK);
    assert!(l.text.contains("Their vase") && !l.text.contains("Mine now"));
    let p = sa.get("/sell/listings").await;
    assert!(!p.text.contains("Their vase"));

    // A session from another marketplace counts as signed out here.
    let paris = TenantBuilder::new("paris").build(&app).await;
    let paris_user = UserBuilder::new(&paris, "a@example.com").build(&app).await;
    let mut cross = WebSession::storefront(&app, LYON, Some(&paris_user.token));
    let p = cross.get("/sell/orders").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(p.location().starts_with("/sign-in"), "{}", p.location());
}

#[tokio::test]
async fn a_refused_delivery_option_is_marked_on_its_own_inputs_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier")
        .owner_email("a@example.com")
        .shipping(490, 100)
        .build(&app)
        .await;
    let mut s = WebSession::storefront(&app, LYON, Some(&shop.owner.token));
    let options = || async {
        count(
            &app,
            "select count(*) as n from shipping_options where name = 'Colissimo'",
        )
        .await
    };
    let before = options().await;

    // The page's own reading: an amount that is not one, on its input.
    let p = s
        .post(
            "/sell/shipping",
            &[
                ("id_0", ""),
                ("name_0", "Colissimo"),
                ("base_0", "four"),
                ("per_item_0", "1"),
                ("days_min_0", "2"),
                ("days_max_0", "4"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert!(
        p.text.contains(r#"id="base_0-error" class="error">"#),
        "{}",
        p.text
    );
    assert!(p.text.contains(r#"value="four""#), "what was typed stays");
    assert!(p.text.contains("Please correct the fields marked below."));

    // The catalog's rule (days from ≤ days to) lands on the second filled row's input, even
    // with an empty row between them, and never under the API's name.
    let p = s
        .post(
            "/sell/shipping",
            &[
                ("id_0", ""),
                ("name_0", "Colissimo"),
                ("base_0", "4.90"),
                ("per_item_0", "1"),
                ("days_min_0", "2"),
                ("days_max_0", "4"),
                ("id_1", ""),
                ("name_1", ""),
                ("base_1", ""),
                ("per_item_1", ""),
                ("days_min_1", ""),
                ("days_max_1", ""),
                ("id_2", ""),
                ("name_2", "Coursier"),
                ("base_2", "9"),
                ("per_item_2", "0"),
                ("days_min_2", "5"),
                ("days_max_2", "1"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert!(
        p.text.contains(r#"id="days_min_2-error" class="error">"#),
        "{}",
        p.text
    );
    assert!(!p.text.contains(r#"id="days_min_0-error""#), "{}", p.text);
    assert!(!p.text.contains("options["), "no API names shown");
    assert_eq!(options().await, before, "nothing was saved");
}

#[tokio::test]
async fn the_expected_review_time_is_a_marketplace_setting_sellers_read_in_their_language() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", true).await;
    let settings = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/settings",
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(
        settings.body["expected_review_time"],
        json!({ "amount": 2, "unit": "days" }),
        "2 days until the operator says otherwise"
    );
    let refused = app
        .store(
            Method::PATCH,
            LYON,
            "/api/v1/admin/settings",
            Some(&m.operator),
            Some(json!({ "expected_review_time": { "amount": 200, "unit": "hours" } })),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.body["errors"][0]["field"],
        "expected_review_time.amount"
    );
    assert_eq!(
        refused.body["errors"][0]["message"],
        "must be between 1 and 168 hours"
    );
    let saved = app
        .store(
            Method::PATCH,
            LYON,
            "/api/v1/admin/settings",
            Some(&m.operator),
            Some(json!({ "expected_review_time": { "amount": 36, "unit": "hours" } })),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text);
    assert_eq!(
        saved.body["expected_review_time"],
        json!({ "amount": 36, "unit": "hours" })
    );
    assert_eq!(saved.body["shop_review_required"], true, "the rest is kept");

    // A seller whose shop waits for review is told, in the wizard and its API.
    let (seller, submitted, _) =
        crate::catalog::submitted_shop(&app, LYON, "clay@example.com", "Atelier").await;
    assert_eq!(submitted.body["status"], "pending_review");
    let ob = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/onboarding",
            Some(&seller),
            None,
        )
        .await;
    let live = ob.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "go_live")
        .unwrap()
        .clone();
    assert!(
        live["detail"]
            .as_str()
            .unwrap()
            .contains("usually within 36 hours"),
        "{live}"
    );
    let mut b = WebSession::storefront(&app, LYON, Some(&seller));
    let wizard = b.get("/sell").await;
    assert!(
        wizard.text.contains("usually within 36 hours"),
        "{}",
        wizard.text
    );

    // The console's settings form sets it as hours or days.
    let mut op = WebSession::storefront(&app, LYON, Some(&m.operator));
    let p = op.get("/admin/settings").await;
    assert!(
        p.text
            .contains(r#"id="review_time_amount" name="review_time_amount" type="number""#)
            && p.text.contains(r#"value="36""#)
            && p.text
                .contains(r#"<option value="hours" selected>hours</option>"#),
        "{}",
        p.text
    );
    let form = |amount: &'static str, unit: &'static str| {
        [
            ("shop_review_required", "on"),
            ("min_photos", "1"),
            ("review_time_amount", amount),
            ("review_time_unit", unit),
        ]
    };
    let r = op.post("/admin/settings", &form("45", "days")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains(
            r#"id="review_time_amount-error" class="error">must be between 1 and 30 days<"#
        ),
        "{}",
        r.text
    );
    assert!(r.text.contains(r#"value="45""#), "what was typed is kept");
    let r = op.post("/admin/settings", &form("3", "days")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let wizard = b.get("/sell").await;
    assert!(
        wizard.text.contains("usually within 3 days"),
        "{}",
        wizard.text
    );

    // A French marketplace says it in French, with the default.
    let paris = TenantBuilder::new("paris")
        .locale("fr-FR")
        .build(&app)
        .await;
    let shop = ShopBuilder::new(&paris, "Atelier Seine")
        .status(krafto_core::catalog::ShopStatus::PendingReview)
        .build(&app)
        .await;
    let mut fr = WebSession::storefront(&app, &paris.host, Some(shop.token()));
    let wizard = fr.get("/sell").await;
    assert!(
        wizard.text.contains("généralement sous 2 jours"),
        "{}",
        wizard.text
    );
}

#[tokio::test]
async fn sellers_choose_their_country_from_a_list_in_the_pages_language() {
    let app = TestApp::spawn().await;
    let paris = TenantBuilder::new("paris")
        .locale("fr-FR")
        .build(&app)
        .await;
    let shop = ShopBuilder::new(&paris, "Atelier Seine").build(&app).await;
    let mut b = WebSession::storefront(&app, &paris.host, Some(shop.token()));
    for path in ["/sell/shop", "/sell/verification"] {
        let p = b.get(path).await;
        assert_eq!(p.status, StatusCode::OK, "{path}");
        assert!(
            p.text.contains(r#"<select id="country" name="country""#),
            "{path}: {}",
            p.text
        );
        assert!(
            p.text.contains(r#"<option value="DE">Allemagne</option>"#),
            "{path}: the names are French"
        );
        assert!(!p.text.contains("Country code"), "{path}");
    }
    let p = b.get("/sell/shop").await;
    assert!(
        p.text
            .contains(r#"<option value="FR" selected>France</option>"#),
        "the shop's country is chosen: {}",
        p.text
    );
    // What the list does not offer is refused by the server, as the API refuses it.
    let p = b
        .post(
            "/sell/shop",
            &[
                ("name", "Atelier Seine"),
                ("city", "Paris"),
                ("country", "US"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert!(p.text.contains(r#"id="country-error""#), "{}", p.text);
    let api = app
        .store(
            Method::PUT,
            &paris.host,
            "/api/v1/seller/shop",
            Some(shop.token()),
            Some(json!({ "name": "Atelier Seine", "location": { "country": "US" } })),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.body["errors"][0]["field"], "location.country");
    let p = b
        .post(
            "/sell/verification",
            &[
                ("business_type", "individual"),
                ("legal_name", "Camille Martin"),
                ("line1", "3 quai de Seine"),
                ("postal_code", "75019"),
                ("city", "Paris"),
                ("country", "ZZ"),
                ("documents", "CNI 123"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.text);
    assert!(p.text.contains(r#"id="country-error""#), "{}", p.text);
    let p = b
        .post(
            "/sell/verification",
            &[
                ("business_type", "individual"),
                ("legal_name", "Camille Martin"),
                ("line1", "3 quai de Seine"),
                ("postal_code", "75019"),
                ("city", "Paris"),
                ("country", "BE"),
                ("documents", "CNI 123"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    assert_eq!(
        count(
            &app,
            "select count(*) as n from shop_verifications where address->>'country' = 'BE'"
        )
        .await,
        1
    );
}
