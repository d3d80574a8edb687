//! Sellers, shops, listings, moderation and search, each inside its own marketplace.

use krafto_testkit::{
    ListingBuilder, Reply, ShopBuilder, TenantBuilder, TestApp, TestMarket, TestShop, UserBuilder,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) const LYON: &str = "lyon.krafto.test";
pub(crate) const PARIS: &str = "paris.krafto.test";

fn fields(r: &Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn full_profile(name: &str) -> Value {
    json!({
        "name": name,
        "story": "We turn clay into bowls in a small workshop by the Saône.",
        "location": { "city": "Lyon", "region": "Auvergne-Rhône-Alpes", "country": "fr", "latitude": 45.764, "longitude": 4.8357 },
        "profile_image_url": "https://img.example/p.jpg",
        "social_links": { "instagram": "https://instagram.com/atelier" },
        "return_policy": "Returns within 14 days.",
        "processing_days_min": 1, "processing_days_max": 3,
        "languages": ["fr", "en"]
    })
}

pub(crate) struct Market {
    pub(crate) id: String,
    pub(crate) operator: String,
}

/// A marketplace with an operator, its shops reviewed or not as asked.
pub(crate) async fn market(app: &TestApp, slug: &str, shop_review: bool) -> Market {
    let t = app.create_tenant(slug).await;
    let id = t["id"].as_str().unwrap().to_owned();
    let operator = app
        .operator_token(&id, slug, &format!("op@{slug}.example"))
        .await;
    let r = app
        .store(
            Method::PATCH,
            &TestApp::host(slug),
            "/api/v1/admin/settings",
            Some(&operator),
            Some(json!({ "shop_review_required": shop_review })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    Market { id, operator }
}

/// A seller who opened a shop and submitted it: the seller token, the submitted shop (as
/// `POST /seller/shop/submit` answered) and the shop as opened.
pub(crate) async fn submitted_shop(
    app: &TestApp,
    host: &str,
    email: &str,
    shop_name: &str,
) -> (String, Reply, Value) {
    let (buyer, _) = app.sign_in(host, email).await;
    let opened = app
        .store(
            Method::POST,
            host,
            "/api/v1/seller/shop",
            Some(&buyer),
            Some(full_profile(shop_name)),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.text);
    let token = opened.body["token"].as_str().unwrap().to_owned();
    let submitted = app
        .store(
            Method::POST,
            host,
            "/api/v1/seller/shop/submit",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.text);
    (token, submitted, opened.body["shop"].clone())
}

/// A seller with a live shop; returns the seller token and the shop.
pub(crate) async fn live_seller(
    app: &TestApp,
    host: &str,
    m: &Market,
    email: &str,
    shop_name: &str,
) -> (String, Value) {
    let (token, submitted, shop) = submitted_shop(app, host, email, shop_name).await;
    if submitted.body["status"] == "pending_review" {
        let id = submitted.body["id"].as_str().unwrap();
        let r = app
            .store(
                Method::POST,
                host,
                &format!("/api/v1/admin/shops/{id}/approve"),
                Some(&m.operator),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    (token, shop)
}

pub(crate) fn listing_body(title: &str, price: i64) -> Value {
    json!({
        "title": title,
        "description": "Made by hand, one at a time.",
        "price_minor": price,
        "quantity": 3,
        "tags": ["handmade"],
        "materials": ["stoneware"],
        "photos": [{ "url": "https://img.example/1.jpg", "alt": title }]
    })
}

/// Creates and publishes a listing; returns its id.
pub(crate) async fn live_listing(app: &TestApp, host: &str, seller: &str, body: Value) -> String {
    let r = app
        .store(
            Method::POST,
            host,
            "/api/v1/seller/listings",
            Some(seller),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let p = app
        .store(
            Method::POST,
            host,
            &format!("/api/v1/seller/listings/{id}/publish"),
            Some(seller),
            None,
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    id
}

async fn search(app: &TestApp, host: &str, query: &str) -> Reply {
    let r = app
        .store(
            Method::GET,
            host,
            &format!("/api/v1/store/search?{query}"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "search {query}: {}", r.text);
    r
}

fn titles(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_artisan_opens_one_shop_and_gets_a_seller_token() {
    let app = TestApp::spawn().await;
    market(&app, "lyon", true).await;
    let (buyer, _) = app.sign_in(LYON, "ana@example.com").await;
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/shop",
            Some(&buyer),
            Some(json!({ "name": "Atelier Céramique" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["shop"]["slug"], "atelier-ceramique");
    assert_eq!(r.body["shop"]["status"], "draft");
    let seller = r.body["token"].as_str().unwrap();
    let me = app
        .store(Method::GET, LYON, "/api/v1/me", Some(seller), None)
        .await;
    assert_eq!(me.body["user"]["role"], "seller");
    let again = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/shop",
            Some(seller),
            Some(json!({ "name": "Second" })),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "shop_exists");
    let (other, _) = app.sign_in(LYON, "bob@example.com").await;
    let twin = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/shop",
            Some(&other),
            Some(json!({ "name": "Atelier céramique!" })),
        )
        .await;
    assert_eq!(twin.body["shop"]["slug"], "atelier-ceramique-2");
    let bad = app
        .store(Method::POST, LYON, "/api/v1/seller/shop", Some(&app.sign_in(LYON, "cy@example.com").await.0), Some(json!({ "name": "", "location": { "country": "France", "latitude": 95.0, "longitude": 2.0 }, "banner_url": "ftp://x" })))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&bad),
        [
            "name",
            "location.country",
            "location.latitude",
            "banner_url"
        ]
    );
    let none = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/shop",
            Some(&app.sign_in(LYON, "cy@example.com").await.0),
            None,
        )
        .await;
    assert_eq!(
        none.status,
        StatusCode::NOT_FOUND,
        "the refused shop was not written"
    );
    assert_eq!(none.code(), "no_shop");
}

#[tokio::test]
async fn onboarding_is_a_checklist_that_follows_the_seller() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", true).await;
    let (buyer, _) = app.sign_in(LYON, "ana@example.com").await;
    let opened = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/shop",
            Some(&buyer),
            Some(json!({ "name": "Atelier" })),
        )
        .await;
    let seller = opened.body["token"].as_str().unwrap().to_owned();
    let ob = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/onboarding",
            Some(&seller),
            None,
        )
        .await;
    let done: Vec<bool> = ob.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["done"].as_bool().unwrap())
        .collect();
    assert_eq!(done, [false, false, false, false, false, false]);
    assert_eq!(ob.body["next_step"], "profile");
    assert!(
        ob.body["steps"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("story")
    );
    let submit = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/shop/submit",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(submit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(submit.code(), "profile_incomplete");
    let put = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/seller/shop",
            Some(&seller),
            Some(full_profile("Atelier")),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    assert_eq!(put.body["slug"], "atelier", "the slug stays");
    let submit = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/shop/submit",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(submit.body["status"], "pending_review");
    let v = app
        .store(Method::POST, LYON, "/api/v1/seller/verification", Some(&seller), Some(json!({
            "legal_name": "Ana Martin", "business_type": "sole_trader",
            "address": { "line1": "3 rue Mercière", "postal_code": "69002", "city": "Lyon", "country": "FR" },
            "document_refs": ["doc_123"]
        })))
        .await;
    assert_eq!(v.status, StatusCode::CREATED, "{}", v.text);
    let twice = app
        .store(Method::POST, LYON, "/api/v1/seller/verification", Some(&seller), Some(json!({
            "legal_name": "Ana Martin", "business_type": "sole_trader",
            "address": { "line1": "3 rue Mercière", "postal_code": "69002", "city": "Lyon", "country": "FR" },
            "document_refs": ["doc_123"]
        })))
        .await;
    assert_eq!(twice.code(), "verification_pending");
    live_listing(&app, LYON, &seller, listing_body("Blue bowl", 2400)).await;
    let ob = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/onboarding",
            Some(&seller),
            None,
        )
        .await;
    let done: Vec<bool> = ob.body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["done"].as_bool().unwrap())
        .collect();
    assert_eq!(
        done,
        [true, true, false, false, true, false],
        "profile, verification, payouts, delivery, first listing, open: {}",
        ob.text
    );
    assert_eq!(ob.body["next_step"], "payouts");
    assert!(
        ob.body["steps"][4]["detail"]
            .as_str()
            .unwrap()
            .contains("once your shop is open"),
        "a listing of a shop under review is not said to be live: {}",
        ob.text
    );
    crate::commerce::complete_payouts(&app, LYON, &seller).await;
    let shipping = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/seller/shipping-options",
            Some(&seller),
            Some(json!([{ "name": "Colissimo", "base_minor": 690, "per_item_minor": 0, "days_min": 2, "days_max": 4 }])),
        )
        .await;
    assert_eq!(shipping.status, StatusCode::OK, "{}", shipping.text);
    let ob = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/onboarding",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(ob.body["steps"][2]["done"], true, "{}", ob.text);
    assert_eq!(ob.body["steps"][3]["done"], true, "{}", ob.text);
    assert_eq!(
        ob.body["complete"], false,
        "not complete while the shop waits for review"
    );
    assert_eq!(ob.body["next_step"], "go_live");
    assert!(
        ob.body["steps"][5]["detail"]
            .as_str()
            .unwrap()
            .contains("usually within 2 days"),
        "{}",
        ob.text
    );
    assert_eq!(ob.body["shop_status"], "pending_review");
    // The operator approves the shop and the identity: the verified badge appears.
    let queue = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/review-queue",
            Some(&m.operator),
            None,
        )
        .await;
    let kinds: Vec<&str> = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["shop", "verification"], "oldest first");
    let shop_id = opened.body["shop"]["id"].as_str().unwrap();
    app.store(
        Method::POST,
        LYON,
        &format!("/api/v1/admin/shops/{shop_id}/approve"),
        Some(&m.operator),
        None,
    )
    .await;
    let vid = v.body["id"].as_str().unwrap();
    let ok = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/verifications/{vid}/approve"),
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(ok.body["status"], "approved");
    let ob = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/onboarding",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(ob.body["complete"], true, "{}", ob.text);
    // The seller hears of each decision by e-mail, in the marketplace's name.
    app.drain_outbox().await;
    let mails = app.mails();
    let to_seller: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("To: ana@example.com"))
        .collect();
    assert!(
        to_seller
            .iter()
            .any(|m| m.contains("Subject: Your shop Atelier is open on")),
        "{mails:?}"
    );
    assert!(
        to_seller
            .iter()
            .any(|m| m.contains("Subject: Atelier is verified")),
        "{mails:?}"
    );
    assert!(
        to_seller
            .iter()
            .all(|m| m.starts_with("From: Market lyon <") && !m.contains("Krafto")),
        "sent in the marketplace's name: {to_seller:?}"
    );
    let page = app
        .store(Method::GET, LYON, "/api/v1/store/shops/atelier", None, None)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(page.body["badges"], json!(["verified_seller"]));
    assert_eq!(page.body["listings"][0]["title"], "Blue bowl");
    assert_eq!(page.body["location"]["city"], "Lyon");
    let audit = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/audit",
            Some(&m.operator),
            None,
        )
        .await;
    let actions: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"shop.approved") && actions.contains(&"verification.approved"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn publishing_names_every_field_the_marketplace_requires() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let seller = ShopBuilder::new(&lyon, "Atelier")
        .owner_email("ana@example.com")
        .build(&app)
        .await
        .owner
        .token;
    let s = app
        .store(Method::PATCH, LYON, "/api/v1/admin/settings", Some(&operator.token), Some(json!({ "min_photos": 2, "required_listing_fields": ["dimensions", "materials", "nonsense"] })))
        .await;
    assert_eq!(s.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&s), ["required_listing_fields"]);
    app.store(
        Method::PATCH,
        LYON,
        "/api/v1/admin/settings",
        Some(&operator.token),
        Some(json!({ "min_photos": 2, "required_listing_fields": ["dimensions", "materials"] })),
    )
    .await;
    let created = app
        .store(Method::POST, LYON, "/api/v1/seller/listings", Some(&seller), Some(json!({ "title": "Vase", "price_minor": 5000, "quantity": 1, "photos": [{ "url": "https://img.example/v.jpg", "alt": "A vase" }] })))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["status"], "draft");
    let id = created.body["id"].as_str().unwrap();
    let refused = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/listings/{id}/publish"),
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.code(), "listing_incomplete");
    assert_eq!(
        fields(&refused),
        ["photos", "description", "dimensions", "materials"]
    );
    let fixed = app
        .store(Method::PATCH, LYON, &format!("/api/v1/seller/listings/{id}"), Some(&seller), Some(json!({
            "description": "Thrown on the wheel.",
            "materials": ["porcelain"],
            "dimensions": { "length_mm": 120, "width_mm": 120, "height_mm": 300 },
            "photos": [{ "url": "https://img.example/v.jpg", "alt": "A vase" }, { "url": "https://img.example/v2.jpg", "alt": "Its base" }]
        })))
        .await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.text);
    let ok = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/listings/{id}/publish"),
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.body["status"], "active");
    assert!(ok.body["published_at"].is_string());
}

#[tokio::test]
async fn listings_move_only_by_the_state_machine() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    app.store(
        Method::PATCH,
        LYON,
        "/api/v1/admin/settings",
        Some(&m.operator),
        Some(json!({ "listing_review_required": true })),
    )
    .await;
    let (seller, _) = live_seller(&app, LYON, &m, "ana@example.com", "Atelier").await;
    let id = live_listing(&app, LYON, &seller, listing_body("Mug", 1800)).await;
    let path = |action: &str| format!("/api/v1/seller/listings/{id}/{action}");
    let view = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/listings/{id}"),
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(view.body["status"], "pending_review");
    assert_eq!(
        app.store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{id}"),
            None,
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND,
        "not public while in review"
    );
    let rejected = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/listings/{id}/reject"),
            Some(&m.operator),
            Some(json!({ "reason": "blurry photo" })),
        )
        .await;
    assert_eq!(rejected.body["status"], "rejected");
    assert_eq!(rejected.body["status_reason"], "blurry photo");
    let again = app
        .store(Method::POST, LYON, &path("publish"), Some(&seller), None)
        .await;
    assert_eq!(again.body["status"], "pending_review");
    let approved = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/listings/{id}/approve"),
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(approved.body["status"], "active");
    let twice = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/listings/{id}/approve"),
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.code(), "invalid_transition");
    let sold_out = app
        .store(
            Method::PATCH,
            LYON,
            &format!("/api/v1/seller/listings/{id}"),
            Some(&seller),
            Some(json!({ "quantity": 0 })),
        )
        .await;
    assert_eq!(sold_out.body["status"], "out_of_stock");
    let page = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body["purchasable"], false);
    let restocked = app.store(Method::PATCH, LYON, &format!("/api/v1/seller/listings/{id}"), Some(&seller), Some(json!({ "variants": [{ "options": { "size": "S" }, "quantity": 2 }, { "options": { "size": "L" }, "quantity": 1, "price_minor": 2200 }] }))).await;
    assert_eq!(restocked.body["status"], "active");
    assert_eq!(
        restocked.body["quantity"], 3,
        "stock is the sum of the variants"
    );
    assert_eq!(restocked.body["variants"][1]["price_minor"], 2200);
    assert_eq!(
        restocked.body["variants"][0]["price_minor"], 1800,
        "inherits the listing price"
    );
    let delete_live = app
        .store(
            Method::DELETE,
            LYON,
            &format!("/api/v1/seller/listings/{id}"),
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(delete_live.code(), "listing_live");
    assert_eq!(
        app.store(Method::POST, LYON, &path("archive"), Some(&seller), None)
            .await
            .body["status"],
        "archived"
    );
    let republish = app
        .store(Method::POST, LYON, &path("publish"), Some(&seller), None)
        .await;
    assert_eq!(republish.status, StatusCode::CONFLICT);
    assert!(
        republish.body["detail"]
            .as_str()
            .unwrap()
            .contains("archived")
    );
    assert_eq!(
        app.store(Method::POST, LYON, &path("restore"), Some(&seller), None)
            .await
            .body["status"],
        "draft"
    );
    assert_eq!(
        app.store(
            Method::DELETE,
            LYON,
            &format!("/api/v1/seller/listings/{id}"),
            Some(&seller),
            None
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn bad_listing_input_is_refused_with_every_field_named_and_nothing_written() {
    let app = TestApp::spawn().await;
    let lyon = market(&app, "lyon", false).await;
    let paris = market(&app, "paris", false).await;
    let (seller, _) = live_seller(&app, LYON, &lyon, "ana@example.com", "Atelier").await;
    let paris_op = &paris.operator;
    let foreign = app
        .store(
            Method::POST,
            PARIS,
            "/api/v1/admin/categories",
            Some(paris_op),
            Some(json!({ "name": "Paris only" })),
        )
        .await;
    let foreign_id = foreign.body["id"].as_str().unwrap();
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/listings",
            Some(&seller),
            Some(json!({
                "title": "x".repeat(141), "price_minor": -5, "quantity": -1,
                "tags": ["ok", ""], "photos": [{ "url": "not a url", "alt": "" }],
                "dimensions": { "length_mm": 0, "width_mm": 10, "height_mm": 10 }
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        fields(&r),
        [
            "title",
            "price_minor",
            "tags",
            "dimensions.length_mm",
            "photos[0].url",
            "photos[0].alt",
            "quantity"
        ]
    );
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/listings",
            Some(&seller),
            Some(json!({ "title": "Bowl", "price_minor": 100, "category_id": foreign_id })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&r),
        ["category_id"],
        "another marketplace's category does not exist here"
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
    assert_eq!(list.body["items"], json!([]));
    let buyer_only = app.sign_in(LYON, "nobody@example.com").await.0;
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/listings",
            Some(&buyer_only),
            Some(listing_body("Bowl", 100)),
        )
        .await;
    assert_eq!(r.code(), "no_shop");
}

#[tokio::test]
async fn csv_import_creates_drafts_for_valid_rows_and_reports_every_line() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let (seller, _) = live_seller(&app, LYON, &m, "ana@example.com", "Atelier").await;
    let upload = |body: &'static str, content_type: &'static str| {
        let app = &app;
        let seller = seller.clone();
        async move {
            app.http
                .post(format!(
                    "http://{}/api/v1/seller/listings/import",
                    app.platforms[0]
                ))
                .header("host", LYON)
                .header("content-type", content_type)
                .bearer_auth(seller)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let file = "title,price,quantity,category,tags,materials,photo_urls\n\
                Blue bowl,24.50,3,ceramics,bowl|blue,stoneware,https://img.example/b.jpg\n\
                ,abc,1,no-such-category,,,\n\
                Green mug,12,2,,mug,,\n";
    let r = upload(file, "text/csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["imported"], 2);
    assert_eq!(report["rejected"], 1);
    let line3 = &report["rows"][1];
    assert_eq!(line3["line"], 3);
    assert_eq!(line3["ok"], false);
    let errs: Vec<&str> = line3["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(errs, ["price", "category", "title"]);
    let list = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/listings?status=draft",
            Some(&seller),
            None,
        )
        .await;
    let mut got: Vec<(String, i64)> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["title"].as_str().unwrap().to_owned(),
                l["price_minor"].as_i64().unwrap(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("Blue bowl".to_owned(), 2450),
            ("Green mug".to_owned(), 1200)
        ]
    );
    let bad = upload("name,cost\nA,1\n", "text/csv").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad: Value = bad.json().await.unwrap();
    assert_eq!(bad["errors"].as_array().unwrap().len(), 4, "{bad}");
    let wrong_type = upload(file, "application/json").await;
    assert!(wrong_type.status().is_client_error());
    let after = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/listings",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(
        after.body["items"].as_array().unwrap().len(),
        2,
        "refused files imported nothing"
    );
}

#[tokio::test]
async fn suspending_a_shop_takes_its_listings_out_of_search_at_once() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let (seller, shop) = live_seller(&app, LYON, &m, "ana@example.com", "Atelier Bleu").await;
    let id = live_listing(&app, LYON, &seller, listing_body("Indigo bowl", 3200)).await;
    assert_eq!(
        titles(&search(&app, LYON, "q=indigo").await),
        ["Indigo bowl"]
    );
    let shop_id = shop["id"].as_str().unwrap();
    let no_reason = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/shops/{shop_id}/suspend"),
            Some(&m.operator),
            Some(json!({ "reason": " " })),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let s = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/shops/{shop_id}/suspend"),
            Some(&m.operator),
            Some(json!({ "reason": "counterfeit goods" })),
        )
        .await;
    assert_eq!(s.body["status"], "suspended");
    assert_eq!(search(&app, LYON, "q=indigo").await.body["total"], 0);
    assert_eq!(
        app.store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{id}"),
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
            LYON,
            "/api/v1/store/shops/atelier-bleu",
            None,
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let publish = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/listings",
            Some(&seller),
            Some(listing_body("New", 100)),
        )
        .await;
    let new_id = publish.body["id"].as_str().unwrap();
    let refused = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/listings/{new_id}/publish"),
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(refused.code(), "shop_suspended");
    app.store(
        Method::POST,
        LYON,
        &format!("/api/v1/admin/shops/{shop_id}/reinstate"),
        Some(&m.operator),
        None,
    )
    .await;
    assert_eq!(
        titles(&search(&app, LYON, "q=indigo").await),
        ["Indigo bowl"]
    );
    let audit = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/audit",
            Some(&m.operator),
            None,
        )
        .await;
    let first = &audit.body["items"][0];
    assert_eq!(first["action"], "shop.reinstated");
    assert_eq!(audit.body["items"][1]["action"], "shop.suspended");
    assert_eq!(
        audit.body["items"][1]["details"]["reason"],
        "counterfeit goods"
    );
}

#[tokio::test]
async fn buyer_reports_reach_the_operator_and_are_closed_with_a_resolution() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let shop = ShopBuilder::new(&lyon, "Atelier")
        .owner_email("ana@example.com")
        .build(&app)
        .await;
    let seller = shop.owner.token.clone();
    let id = ListingBuilder::new(&shop, "Bowl")
        .price(1000)
        .build(&app)
        .await
        .id
        .to_string();
    let buyer = UserBuilder::new(&lyon, "bob@example.com")
        .build(&app)
        .await
        .token;
    let r = app.store(Method::POST, LYON, "/api/v1/store/reports", Some(&buyer), Some(json!({ "target_kind": "listing", "target_id": id, "reason": "counterfeit", "details": "This is a copy of a known brand." }))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let unknown = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/store/reports",
            Some(&buyer),
            Some(json!({ "target_kind": "shop", "target_id": id, "reason": "other" })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["field"], "target_id");
    let anonymous = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/store/reports",
            None,
            Some(json!({ "target_kind": "listing", "target_id": id, "reason": "other" })),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let queue = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/review-queue",
            Some(&operator.token),
            None,
        )
        .await;
    assert_eq!(queue.body["items"][0]["kind"], "report");
    let rid = r.body["id"].as_str().unwrap();
    let closed = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/reports/{rid}/resolve"),
            Some(&operator.token),
            Some(json!({ "outcome": "dismissed", "resolution": "Checked: original design." })),
        )
        .await;
    assert_eq!(closed.body["status"], "dismissed");
    let again = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/admin/reports/{rid}/resolve"),
            Some(&operator.token),
            Some(json!({ "outcome": "resolved", "resolution": "x" })),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let queue = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/review-queue",
            Some(&operator.token),
            None,
        )
        .await;
    assert_eq!(queue.body["items"], json!([]));
    let seller_tries = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/review-queue",
            Some(&seller),
            None,
        )
        .await;
    assert_eq!(seller_tries.status, StatusCode::FORBIDDEN);
}

/// A small catalogue across three shops for the search tests.
async fn catalogue(app: &TestApp) -> (TestMarket, String) {
    let m = TenantBuilder::new("lyon").build(app).await;
    let tree = app
        .store(Method::GET, LYON, "/api/v1/store/tenant", None, None)
        .await;
    let cat = |slug: &str| -> String {
        let mut stack: Vec<Value> = tree.body["categories"].as_array().unwrap().clone();
        while let Some(c) = stack.pop() {
            if c["slug"] == slug {
                return c["id"].as_str().unwrap().to_owned();
            }
            stack.extend(c["children"].as_array().unwrap().iter().cloned());
        }
        panic!("no category {slug}");
    };
    let a = ShopBuilder::new(&m, "Atelier Terre")
        .owner_email("ana@example.com")
        .build(app)
        .await;
    let b = ShopBuilder::new(&m, "Bijoux Lumière")
        .owner_email("bob@example.com")
        .build(app)
        .await;
    let c = ShopBuilder::new(&m, "Paris Verre")
        .owner_email("cy@example.com")
        .located("Paris", "FR", 48.8566, 2.3522)
        .build(app)
        .await;
    fn mk<'a>(
        shop: &'a TestShop,
        title: &str,
        price: i64,
        stock: i32,
        category: &str,
        tags: &[&str],
        materials: &[&str],
    ) -> ListingBuilder<'a> {
        ListingBuilder::new(shop, title)
            .description(&format!("{title}, made by hand."))
            .price(price)
            .stock(stock)
            .category(category)
            .tags(tags)
            .materials(materials)
            .style("rustic")
            .photo("https://img.example/x.jpg")
    }
    let live = [
        mk(
            &a,
            "Ceramic bowl",
            2400,
            3,
            "ceramics",
            &["bowl", "kitchen"],
            &["stoneware"],
        ),
        mk(
            &a,
            "Large ceramic vase",
            8900,
            1,
            "ceramics",
            &["vase"],
            &["porcelain"],
        ),
        mk(
            &a,
            "Linen tea towel",
            1500,
            0,
            "textiles",
            &["kitchen"],
            &["linen"],
        ),
        mk(
            &b,
            "Silver necklace",
            12000,
            2,
            "necklaces",
            &["silver"],
            &["silver"],
        ),
        mk(&b, "Gold rings", 30000, 5, "rings", &["gold"], &["gold"]),
        mk(&c, "Glass bowl", 3100, 4, "ceramics", &["bowl"], &["glass"]),
    ];
    for listing in live {
        listing.build(app).await;
    }
    // Not public: a draft.
    mk(&a, "Secret bowl draft", 100, 1, "ceramics", &["bowl"], &[])
        .draft()
        .build(app)
        .await;
    (m, cat("home-living"))
}

#[tokio::test]
async fn search_matches_words_tags_materials_and_shop_names_and_tolerates_typos() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let mut bowls = titles(&search(&app, LYON, "q=bowl").await);
    bowls.sort();
    assert_eq!(bowls, ["Ceramic bowl", "Glass bowl"], "drafts never show");
    assert_eq!(
        titles(&search(&app, LYON, "q=porcelain").await),
        ["Large ceramic vase"],
        "materials"
    );
    let mut lumiere = titles(&search(&app, LYON, "q=lumiere").await);
    lumiere.sort();
    assert_eq!(
        lumiere,
        ["Gold rings", "Silver necklace"],
        "shop name, accents folded"
    );
    let typo = titles(&search(&app, LYON, "q=ceramik").await);
    assert!(
        typo.contains(&"Ceramic bowl".to_owned()),
        "typo tolerated: {typo:?}"
    );
    let r = search(&app, LYON, "q=necklace").await;
    let card = &r.body["items"][0];
    assert_eq!(card["shop"]["slug"], "bijoux-lumiere");
    assert_eq!(card["location"]["city"], "Lyon");
    assert_eq!(card["photo"]["url"], "https://img.example/x.jpg");
    assert_eq!(r.body["engine"], "postgres");
}

#[tokio::test]
async fn search_filters_sorts_pages_and_counts_facets() {
    let app = TestApp::spawn().await;
    let (_, home) = catalogue(&app).await;
    let _ = home;
    let all = search(&app, LYON, "sort=price_asc").await;
    assert_eq!(
        titles(&all),
        [
            "Linen tea towel",
            "Ceramic bowl",
            "Glass bowl",
            "Large ceramic vase",
            "Silver necklace",
            "Gold rings"
        ]
    );
    assert_eq!(all.body["total"], 6);
    let desc = search(&app, LYON, "sort=price_desc&limit=2").await;
    assert_eq!(titles(&desc), ["Gold rings", "Silver necklace"]);
    // Keyset pages cover everything exactly once.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = search(&app, LYON, &format!("sort=newest&limit=4{cursor}")).await;
        seen.extend(titles(&r));
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 6);
    // The parent category includes its sub-categories.
    let mut home_living = titles(&search(&app, LYON, "category=home-living").await);
    home_living.sort();
    assert_eq!(
        home_living,
        [
            "Ceramic bowl",
            "Glass bowl",
            "Large ceramic vase",
            "Linen tea towel"
        ]
    );
    assert_eq!(
        titles(
            &search(
                &app,
                LYON,
                "category=home-living&in_stock=true&max_price=3000&sort=price_asc"
            )
            .await
        ),
        ["Ceramic bowl"]
    );
    assert_eq!(
        titles(&search(&app, LYON, "tags=kitchen,bowl").await),
        ["Ceramic bowl"]
    );
    assert_eq!(
        titles(&search(&app, LYON, "q=bowl&city=paris").await),
        ["Glass bowl"]
    );
    let near_lyon = titles(&search(&app, LYON, "q=bowl&lat=45.75&lon=4.85&radius_km=50").await);
    assert_eq!(near_lyon, ["Ceramic bowl"], "Paris is 390 km away");
    assert_eq!(
        search(&app, LYON, "verified=true").await.body["total"],
        0,
        "nobody is verified yet"
    );
    let facets = search(&app, LYON, "q=bowl").await;
    let cats: Vec<(String, i64)> = facets.body["facets"]["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["slug"].as_str().unwrap().to_owned(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(cats, [("ceramics".to_owned(), 2)]);
    let bands: Vec<i64> = search(&app, LYON, "").await.body["facets"]["price_bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_i64().unwrap())
        .collect();
    assert_eq!(
        bands,
        [1, 2, 1, 1, 1],
        "<20, 20-50, 50-100, 100-250, 250+ EUR"
    );
    for bad in [
        "sort=cheapest",
        "limit=0",
        "min_price=-1",
        "category=nope",
        "lat=1",
        "cursor=zzz",
        "in_stock=maybe",
        "country=France",
    ] {
        let r = app
            .store(
                Method::GET,
                LYON,
                &format!("/api/v1/store/search?{bad}"),
                None,
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn an_empty_search_offers_broader_or_relaxed_searches() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let r = search(&app, LYON, "category=ceramics&min_price=50000").await;
    assert_eq!(r.body["total"], 0);
    let s = r.body["suggestions"].as_array().unwrap();
    let kinds: Vec<(&str, i64)> = s
        .iter()
        .map(|x| (x["kind"].as_str().unwrap(), x["count"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [("remove_filter", 3), ("remove_filter", 0)]
            .iter()
            .filter(|(_, n)| *n > 0)
            .cloned()
            .collect::<Vec<_>>(),
        "{}",
        r.text
    );
    assert_eq!(s[0]["params"]["category"], "ceramics");
    assert!(s[0]["params"].get("min_price").is_none());
    let r = search(&app, LYON, "category=earrings").await;
    assert_eq!(r.body["total"], 0);
    let first = &r.body["suggestions"][0];
    assert_eq!(first["kind"], "broader_category");
    assert_eq!(first["params"]["category"], "jewellery");
    assert_eq!(first["count"], 2);
    let nothing = search(&app, LYON, "q=zzzzqqq").await;
    assert_eq!(nothing.body["total"], 0);
    assert_eq!(
        nothing.body["suggestions"][0]["label"],
        "Browse without the search words"
    );
}

#[tokio::test]
async fn one_marketplace_never_finds_another_marketplaces_listings() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let paris = TenantBuilder::new("paris").build(&app).await;
    let paris_op = UserBuilder::new(&paris, "op@paris.example")
        .operator()
        .build(&app)
        .await;
    let lyon_shop = ShopBuilder::new(&lyon, "Atelier Lyon")
        .owner_email("ana@example.com")
        .build(&app)
        .await;
    let paris_shop = ShopBuilder::new(&paris, "Atelier Paris")
        .owner_email("ana@example.com")
        .build(&app)
        .await;
    let paris_seller = paris_shop.owner.token.clone();
    let lyon_id = ListingBuilder::new(&lyon_shop, "Lyon teapot")
        .price(4000)
        .build(&app)
        .await
        .id
        .to_string();
    ListingBuilder::new(&paris_shop, "Paris teapot")
        .price(4000)
        .build(&app)
        .await;
    assert_eq!(
        titles(&search(&app, LYON, "q=teapot").await),
        ["Lyon teapot"]
    );
    assert_eq!(
        titles(&search(&app, PARIS, "q=teapot").await),
        ["Paris teapot"]
    );
    assert_eq!(
        titles(&search(&app, PARIS, "q=lyon").await),
        Vec::<String>::new()
    );
    let by_id = app
        .store(
            Method::GET,
            PARIS,
            &format!("/api/v1/store/listings/{lyon_id}"),
            None,
            None,
        )
        .await;
    assert_eq!(by_id.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.store(
            Method::GET,
            PARIS,
            "/api/v1/store/shops/atelier-lyon",
            None,
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let seller_cross = app
        .store(
            Method::GET,
            PARIS,
            &format!("/api/v1/seller/listings/{lyon_id}"),
            Some(&paris_seller),
            None,
        )
        .await;
    assert_eq!(seller_cross.status, StatusCode::NOT_FOUND);
    let op_cross = app
        .store(
            Method::POST,
            PARIS,
            &format!("/api/v1/admin/listings/{lyon_id}/reject"),
            Some(&paris_op.token),
            Some(json!({ "reason": "x" })),
        )
        .await;
    assert_eq!(op_cross.status, StatusCode::NOT_FOUND);
    let buyer = UserBuilder::new(&paris, "bob@example.com")
        .build(&app)
        .await
        .token;
    let report = app
        .store(
            Method::POST,
            PARIS,
            "/api/v1/store/reports",
            Some(&buyer),
            Some(json!({ "target_kind": "listing", "target_id": lyon_id, "reason": "other" })),
        )
        .await;
    assert_eq!(report.status, StatusCode::UNPROCESSABLE_ENTITY);
}
