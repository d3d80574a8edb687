//! The seller dashboard (`/sell`) over HTTP, as a browser without JavaScript would use it:
//! forms posted with the session cookie, redirects not followed. Every action must land in
//! the same state the seller API shows.

use crate::catalog::{LYON, PARIS, listing_body, live_listing, market};
use crate::commerce::{add, checkout, count, guest_checkout_body, pay, payable_seller};
use krafto_testkit::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// A browser on one marketplace host: keeps the session cookie, never follows redirects.
struct Browser<'a> {
    app: &'a TestApp,
    host: String,
    http: reqwest::Client,
    cookie: Option<String>,
}

struct Page {
    status: StatusCode,
    location: String,
    body: String,
    set_cookie: Option<String>,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp, host: &str, token: Option<&str>) -> Self {
        Self {
            app,
            host: host.to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: token.map(|t| format!("krafto_session={t}")),
        }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let req = req.header("host", &self.host);
        let req = match &self.cookie {
            Some(c) => req.header("cookie", c),
            None => req,
        };
        let r = req.send().await.unwrap();
        let set_cookie = r
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_owned());
        if let Some(c) = &set_cookie {
            // The session cookie follows what the server sets, as a browser's would.
            self.cookie = Some(c.split(';').next().unwrap().to_owned());
        }
        Page {
            status: r.status(),
            location: r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default(),
            set_cookie,
            body: r.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let url = format!("http://{}{path}", self.app.platforms[0]);
        let req = self.http.get(url);
        self.send(req).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let url = format!("http://{}{path}", self.app.platforms[0]);
        let req = self.http.post(url).form(form);
        self.send(req).await
    }
}

fn token_of(p: &Page) -> String {
    p.set_cookie
        .as_deref()
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
    let mut anon = Browser::new(&app, LYON, None);
    let p = anon.get("/sell").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(
        p.body.contains("Sign in or create an account"),
        "{}",
        p.body
    );

    let (buyer, _) = app.sign_in(LYON, "clay@example.com").await;
    let mut b = Browser::new(&app, LYON, Some(&buyer));
    let p = b.get("/sell").await;
    assert!(p.body.contains(r#"id="open-shop""#), "{}", p.body);

    // A shop needs a name: refused, the field named, nothing made.
    let p = b
        .post("/sell/open", &[("name", "  "), ("city", "Lyon")])
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains(r#"aria-invalid="true""#), "{}", p.body);
    assert!(p.body.contains(r#"value="Lyon""#), "the values are kept");
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
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(p.location, "/sell?done=opened");
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
    assert!(p.body.contains("Your shop is open"), "{}", p.body);
    assert!(p.body.contains("0 of 4 steps done"), "{}", p.body);
    assert!(
        p.body.contains("missing: story, profile_image_url"),
        "{}",
        p.body
    );
    assert!(!p.body.contains(r#"id="submit-shop""#));

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
    assert!(p.body.contains("must be a whole number"), "{}", p.body);
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
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
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
    assert!(p.body.contains("1 of 4 steps done"), "{}", p.body);
    assert!(p.body.contains(r#"id="submit-shop""#), "{}", p.body);
    let p = b.post("/sell/submit", &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
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
    assert!(p.body.contains("choose a business type"), "{}", p.body);
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
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
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
    assert!(p.body.contains("submitted"), "{}", p.body);
    assert!(
        !p.body.contains(r#"id="verification""#),
        "no second request"
    );

    // Payouts: the button leads to (test-mode) onboarding; completing it enables payouts.
    let p = b.get("/sell/payouts").await;
    assert!(p.body.contains("Set up payouts with Stripe"), "{}", p.body);
    let p = b.post("/sell/payouts/onboarding", &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(
        p.location
            .starts_with(&format!("http://{LYON}/test-mode/onboarding/")),
        "{}",
        p.location
    );
    let path = p.location.split_once(LYON).unwrap().1.to_owned();
    let (page_path, _) = path.split_once('?').unwrap();
    let done = b
        .post(
            page_path,
            &[("return_url", &format!("http://{LYON}/sell/payouts"))],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let p = b.get("/sell/payouts?done=payouts").await;
    assert!(
        p.body.contains("Payments and payouts are enabled"),
        "{}",
        p.body
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
        p.body.contains("must be an amount like 24.50"),
        "{}",
        p.body
    );
    assert!(p.body.contains(r#"value="Blue bowl""#));
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
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains(r#"id="missing-fields""#), "{}", p.body);
    assert!(p.body.contains("photos"), "{}", p.body);
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
    assert!(p.body.contains(r#"value="24.50""#), "{}", p.body);
    assert!(p.body.contains(r#"value="size=Large""#), "{}", p.body);
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
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(p.location, format!("/sell/listings/{id}?done=published"));
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
    assert!(p.body.contains("Blue bowl"), "{}", p.body);
    assert!(p.body.contains("24.50 EUR"), "{}", p.body);

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
        p.body.contains("Approved") || p.body.contains("Active"),
        "{}",
        p.body
    );
}

#[tokio::test]
async fn sellers_accept_ship_and_cancel_orders_and_see_the_commission_on_each() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let s = payable_seller(&app, LYON, &m, "pots@example.com", "Pots", 500, 100).await;
    let listing = live_listing(&app, LYON, &s.token, listing_body("Teapot", 4000)).await;
    let buy = |key: &'static str| {
        let app = &app;
        let listing = listing.clone();
        async move {
            let cart = add(app, LYON, None, None, &listing, 1).await;
            let token = cart.body["cart_token"].as_str().unwrap().to_owned();
            let c = checkout(app, LYON, Some(&token), None, key, guest_checkout_body()).await;
            assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
            let paid = pay(app, LYON, &c.body, "succeed").await;
            assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
            paid.body["orders"][0]["number"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let first = buy("k-1").await;
    let second = buy("k-2").await;

    let mut b = Browser::new(&app, LYON, Some(&s.token));
    let p = b.get("/sell/orders").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        p.body.contains(&first) && p.body.contains(&second),
        "{}",
        p.body
    );
    let p = b.get("/sell/orders?status=placed").await;
    assert!(p.body.contains(&first), "{}", p.body);

    let api_order = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/orders/{first}"),
            Some(&s.token),
            None,
        )
        .await;
    let payout = api_order.body["fees"]["seller_payout_minor"]
        .as_i64()
        .unwrap();
    let commission = api_order.body["fees"]["commission_minor"].as_i64().unwrap();
    assert!(commission > 0);
    let euros = |minor: i64| format!("{}.{:02} EUR", minor / 100, minor % 100);

    let p = b.get(&format!("/sell/orders/{first}")).await;
    assert!(p.body.contains(r#"id="accept""#), "{}", p.body);
    assert!(
        !p.body.contains(r#"id="ship""#),
        "a placed order is accepted first"
    );
    assert!(p.body.contains(&euros(commission)), "{}", p.body);
    assert!(p.body.contains(&euros(payout)), "{}", p.body);
    assert!(p.body.contains("Ada Lovelace"), "the address to ship to");

    // Cancelling needs a reason (the buyer sees it): refused, and nothing moves.
    let p = b
        .post(&format!("/sell/orders/{second}/cancel"), &[("reason", " ")])
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert!(p.body.contains("reason"), "{}", p.body);
    let o = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/orders/{second}"),
            Some(&s.token),
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
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);

    let p = b.post(&format!("/sell/orders/{first}/accept"), &[]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    // Accepting twice is not a move the order can make.
    let p = b.post(&format!("/sell/orders/{first}/accept"), &[]).await;
    assert_eq!(p.status, StatusCode::CONFLICT, "{}", p.body);
    let p = b
        .post(
            &format!("/sell/orders/{first}/ship"),
            &[("tracking_number", "6A123456789")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = b.get(&format!("/sell/orders/{first}")).await;
    assert!(p.body.contains("Shipped"), "{}", p.body);
    assert!(p.body.contains("6A123456789"));
    let o = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/orders/{first}"),
            Some(&s.token),
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
            Some(&s.token),
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
            Some(&s.token),
            None,
        )
        .await;
    let p = b.get("/sell/payouts").await;
    assert!(
        p.body.contains(&first) && p.body.contains(&second),
        "{}",
        p.body
    );
    assert!(p.body.contains(&euros(payout)), "{}", p.body);
    assert!(
        p.body
            .contains(&euros(balance.body["earned_minor"].as_i64().unwrap())),
        "{}",
        p.body
    );
}

#[tokio::test]
async fn csv_import_through_the_dashboard_reports_every_line() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let s = payable_seller(&app, LYON, &m, "csv@example.com", "Imports", 0, 0).await;
    let mut b = Browser::new(&app, LYON, Some(&s.token));
    let csv = "title,price,quantity,photo_urls,photo_alts\n\
               Linen towel,12.00,4,https://img.example/t.jpg,A linen towel\n\
               ,9.00,1,,\n\
               Oak spoon,7.5,10,,\n";
    let p = b.post("/sell/import", &[("csv", csv)]).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(
        p.body.contains("2 imported as drafts, 1 rejected"),
        "{}",
        p.body
    );
    assert!(p.body.contains("title"), "the bad line names its field");
    assert_eq!(
        count(
            &app,
            "select count(*) as n from listings where status = 'draft'"
        )
        .await,
        2
    );
    let p = b.get("/sell/listings?status=draft").await;
    assert!(p.body.contains("Linen towel") && p.body.contains("Oak spoon"));
    // A file without the title column is refused whole.
    let p = b.post("/sell/import", &[("csv", "price\n3.00\n")]).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", p.body);
    assert_eq!(
        count(&app, "select count(*) as n from listings").await,
        2,
        "nothing more was written"
    );
}

#[tokio::test]
async fn the_dashboard_shows_a_seller_only_their_own_shop() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let a = payable_seller(&app, LYON, &m, "a@example.com", "Shop A", 0, 0).await;
    let other = payable_seller(&app, LYON, &m, "b@example.com", "Shop B", 0, 0).await;
    let theirs = live_listing(&app, LYON, &other.token, listing_body("Their vase", 3000)).await;

    // Signed out: sent to sign in, then back.
    let mut anon = Browser::new(&app, LYON, None);
    let p = anon.get("/sell/listings").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.location, "/sign-in?next=%2Fsell%2Flistings");

    // A buyer has no dashboard pages beyond opening a shop.
    let (buyer, _) = app.sign_in(LYON, "just-buying@example.com").await;
    let mut bb = Browser::new(&app, LYON, Some(&buyer));
    let p = bb.get("/sell/orders").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN, "{}", p.body);
    assert!(p.body.contains("seller"), "{}", p.body);

    // Another shop's listing is not found, and cannot be touched.
    let mut sa = Browser::new(&app, LYON, Some(&a.token));
    let p = sa.get(&format!("/sell/listings/{theirs}")).await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.body);
    let p = sa
        .post(&format!("/sell/listings/{theirs}/archive"), &[])
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.body);
    let p = sa
        .post(
            &format!("/sell/listings/{theirs}"),
            &[("title", "Mine now"), ("price", "1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND, "{}", p.body);
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
    assert!(!p.body.contains("Their vase"));

    // A session from another marketplace counts as signed out here.
    let paris = market(&app, "paris", false).await;
    let (paris_token, _) = app.sign_in(PARIS, "a@example.com").await;
    let _ = paris;
    let mut cross = Browser::new(&app, LYON, Some(&paris_token));
    let p = cross.get("/sell/orders").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(p.location.starts_with("/sign-in"), "{}", p.location);
}
