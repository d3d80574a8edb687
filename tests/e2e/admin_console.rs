//! The operator console at `/admin`: pages and forms over HTTP with the session cookie, for
//! the marketplace's operators only, making the same moves as the operator API.

use crate::catalog::{LYON, Market, PARIS, listing_body, live_listing, market, submitted_shop};
use crate::commerce::{add, checkout, guest_checkout_body, pay, payable_seller};
use krafto_testkit::{Reply, TestApp, WebSession};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// `GET path` on `host`, signed in with `token` when given.
async fn get(app: &TestApp, host: &str, path: &str, token: Option<&str>) -> Reply {
    WebSession::storefront(app, host, token).get(path).await
}

/// Submits a form to `path` on `host` as the browser would.
async fn post(
    app: &TestApp,
    host: &str,
    path: &str,
    token: Option<&str>,
    form: &[(&str, &str)],
) -> Reply {
    WebSession::storefront(app, host, token)
        .post(path, form)
        .await
}

/// A form that worked: redirected back to `to` (with the code of its confirmation, if any).
fn assert_done(p: &Reply, to: &str) {
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.text);
    let location = p.location();
    assert_eq!(location.split(['?', '#']).next(), Some(to), "{location}");
}

async fn api(
    app: &TestApp,
    host: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> Value {
    let r = app
        .store(method, host, &format!("/api/v1{path}"), Some(token), body)
        .await;
    assert!(r.status.is_success(), "{path}: {}", r.text);
    r.body
}

async fn queue_ids(app: &TestApp, host: &str, m: &Market) -> Vec<String> {
    api(
        app,
        host,
        Method::GET,
        "/admin/review-queue",
        &m.operator,
        None,
    )
    .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_console_is_for_the_marketplaces_own_operators_only() {
    let app = TestApp::spawn().await;
    let lyon = market(&app, "lyon", false).await;
    let paris = market(&app, "paris", false).await;
    let signed_out = get(&app, LYON, "/admin/review", None).await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_out.location(), "/sign-in?next=%2Fadmin%2Freview");
    let (buyer, _) = app.sign_in(LYON, "bob@example.com").await;
    for path in [
        "/admin",
        "/admin/review",
        "/admin/settings",
        "/admin/orders",
        "/admin/audit",
    ] {
        let p = get(&app, LYON, path, Some(&buyer)).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}: {}", p.text);
        assert!(
            p.text.contains("This page is for another kind of account"),
            "{}",
            p.text
        );
        assert!(
            p.text.contains("--brand: #"),
            "the refusal is a page of the marketplace"
        );
    }
    // A buyer's form post changes nothing.
    let p = post(
        &app,
        LYON,
        "/admin/branding",
        Some(&buyer),
        &[
            ("display_name", "Hacked"),
            ("primary_color", "#000000"),
            ("accent_color", "#000000"),
        ],
    )
    .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    // Another marketplace's operator is signed out here.
    let crossed = get(&app, LYON, "/admin", Some(&paris.operator)).await;
    assert_eq!(crossed.status, StatusCode::SEE_OTHER);
    assert!(
        crossed.location().starts_with("/sign-in"),
        "{}",
        crossed.location()
    );
    let crossed = post(
        &app,
        LYON,
        "/admin/branding",
        Some(&paris.operator),
        &[
            ("display_name", "Hacked"),
            ("primary_color", "#000000"),
            ("accent_color", "#000000"),
        ],
    )
    .await;
    assert_eq!(crossed.status, StatusCode::SEE_OTHER);
    let home = get(&app, LYON, "/", None).await;
    assert!(!home.text.contains("Hacked"));
    let ok = get(&app, LYON, "/admin", Some(&lyon.operator)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert!(ok.text.contains("Market lyon console"));
    assert!(ok.text.contains(r#"href="/admin/review""#));
    assert!(ok.text.contains(r#"id="gmv""#));
}

#[tokio::test]
async fn operators_approve_and_reject_shops_and_listings_through_the_forms() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", true).await;
    let (_, good, _) = submitted_shop(&app, LYON, "ana@example.com", "Atelier Ana").await;
    let (bad_token, bad, _) = submitted_shop(&app, LYON, "bea@example.com", "Bazar Bea").await;
    let good_id = good.body["id"].as_str().unwrap().to_owned();
    let bad_id = bad.body["id"].as_str().unwrap().to_owned();
    assert_eq!(good.body["status"], "pending_review");
    let page = get(&app, LYON, "/admin/review", Some(&m.operator)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains(&format!(r#"id="approve-shop-{good_id}""#)),
        "{}",
        page.text
    );
    assert!(page.text.contains(&format!(r#"id="reject-shop-{bad_id}""#)));
    assert!(page.text.contains("Bazar Bea"));

    // A rejection needs a reason: 422 naming it, and nothing changes.
    let refused = post(
        &app,
        LYON,
        &format!("/admin/shops/{bad_id}/reject"),
        Some(&m.operator),
        &[("reason", "  ")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains(&format!(
            r#"id="reason-shop-{bad_id}-error" class="error">must not be empty<"#
        )),
        "the reason box of that shop says what is wrong: {}",
        refused.text
    );
    assert!(!refused.text.contains("reason:"), "no API names shown");
    assert!(
        refused
            .text
            .contains(&format!(r#"id="reject-shop-{bad_id}""#)),
        "the queue is shown again"
    );
    assert!(queue_ids(&app, LYON, &m).await.contains(&bad_id));

    let approved = post(
        &app,
        LYON,
        &format!("/admin/shops/{good_id}/approve"),
        Some(&m.operator),
        &[],
    )
    .await;
    assert_done(&approved, "/admin/review");
    // The page it leads to confirms what was done, once.
    let confirmed = get(&app, LYON, approved.location(), Some(&m.operator)).await;
    assert!(
        confirmed
            .text
            .contains("The shop is approved; its seller has been told by e-mail."),
        "{}",
        confirmed.text
    );
    assert_done(
        &post(
            &app,
            LYON,
            &format!("/admin/shops/{bad_id}/reject"),
            Some(&m.operator),
            &[("reason", "Please add a story")],
        )
        .await,
        "/admin/review",
    );
    let shop = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/shops/atelier-ana",
            None,
            None,
        )
        .await;
    assert_eq!(
        shop.status,
        StatusCode::OK,
        "the approved shop is public: {}",
        shop.text
    );
    let rejected = api(&app, LYON, Method::GET, "/seller/shop", &bad_token, None).await;
    assert_eq!(rejected["status"], "draft");
    assert_eq!(rejected["status_reason"], "Please add a story");
    // Approving twice is the state machine's refusal, shown on the page.
    let twice = post(
        &app,
        LYON,
        &format!("/admin/shops/{good_id}/approve"),
        Some(&m.operator),
        &[],
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.text.contains("cannot"), "{}", twice.text);

    // Listings: the settings form turns on listing review.
    assert_done(
        &post(
            &app,
            LYON,
            "/admin/settings",
            Some(&m.operator),
            &[
                ("shop_review_required", "on"),
                ("listing_review_required", "on"),
                ("min_photos", "1"),
            ],
        )
        .await,
        "/admin/settings",
    );
    let settings = api(
        &app,
        LYON,
        Method::GET,
        "/admin/settings",
        &m.operator,
        None,
    )
    .await;
    assert_eq!(settings["listing_review_required"], true);
    assert_eq!(settings["min_photos"], 1);
    let seller = crate::catalog::live_seller(&app, LYON, &m, "cy@example.com", "Cy Ceramics")
        .await
        .0;
    let mug = live_listing(&app, LYON, &seller, listing_body("Blue mug", 1850)).await;
    let vase = live_listing(&app, LYON, &seller, listing_body("Odd vase", 4200)).await;
    let page = get(&app, LYON, "/admin/review", Some(&m.operator)).await;
    assert!(
        page.text.contains(&format!(r#"data-listing="{mug}""#)),
        "{}",
        page.text
    );
    assert!(page.text.contains("Blue mug"));
    assert!(
        page.text.contains("18.50"),
        "the price is shown: {}",
        page.text
    );
    assert!(
        page.text
            .contains(r#"src="https://img.example/1.jpg" alt="Blue mug""#),
        "photos with alt text"
    );
    assert!(page.text.contains("by Cy Ceramics"));
    let refused = post(
        &app,
        LYON,
        &format!("/admin/listings/{vase}/reject"),
        Some(&m.operator),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains(&format!(
            r#"id="reason-listing-{vase}-error" class="error">"#
        )),
        "{}",
        refused.text
    );
    let still = api(
        &app,
        LYON,
        Method::GET,
        &format!("/seller/listings/{vase}"),
        &seller,
        None,
    )
    .await;
    assert_eq!(still["status"], "pending_review");
    assert_done(
        &post(
            &app,
            LYON,
            &format!("/admin/listings/{mug}/approve"),
            Some(&m.operator),
            &[],
        )
        .await,
        "/admin/review",
    );
    assert_done(
        &post(
            &app,
            LYON,
            &format!("/admin/listings/{vase}/reject"),
            Some(&m.operator),
            &[("reason", "Blurry photos")],
        )
        .await,
        "/admin/review",
    );
    let live = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{mug}"),
            None,
            None,
        )
        .await;
    assert_eq!(live.status, StatusCode::OK, "{}", live.text);
    let vase_now = api(
        &app,
        LYON,
        Method::GET,
        &format!("/seller/listings/{vase}"),
        &seller,
        None,
    )
    .await;
    assert_eq!(vase_now["status"], "rejected");
    assert_eq!(vase_now["status_reason"], "Blurry photos");
    let page = get(&app, LYON, "/admin/review", Some(&m.operator)).await;
    assert!(
        !page.text.contains(&format!(r#"data-listing="{mug}""#)),
        "decided items leave the queue"
    );

    // The audit log shows every move, newest first.
    let audit = get(&app, LYON, "/admin/audit", Some(&m.operator)).await;
    assert_eq!(audit.status, StatusCode::OK);
    // In words, with who did it and what it was about; never the recorded codes.
    let text = krafto_testkit::visible_text(&audit.text);
    for said in [
        "approved the shop",
        "refused the shop",
        "approved the listing",
        "refused the listing",
        "changed the catalogue rules",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    assert!(
        !text.contains("shop.approved") && !text.contains("{"),
        "{text}"
    );
    let newest = text.find("refused the listing").unwrap();
    assert!(
        newest < text.find("approved the shop").unwrap(),
        "newest first"
    );
    // Bad settings are refused naming the field.
    let bad = post(
        &app,
        LYON,
        "/admin/settings",
        Some(&m.operator),
        &[("min_photos", "99"), ("required_listing_fields", "colour")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text
            .contains(r#"id="min_photos-error" class="error">must be between 0 and 20<"#),
        "{}",
        bad.text
    );
    assert!(bad.text.contains("Unknown field `colour`"), "{}", bad.text);
    assert!(!bad.text.contains("min_photos:"), "no API names shown");
    assert_eq!(
        api(
            &app,
            LYON,
            Method::GET,
            "/admin/settings",
            &m.operator,
            None
        )
        .await["min_photos"],
        1
    );
}

#[tokio::test]
async fn an_unreadable_brand_colour_is_refused_with_its_contrast_and_a_darker_shade() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let refused = post(
        &app,
        LYON,
        "/admin/branding",
        Some(&m.operator),
        &[
            ("display_name", "Lyon"),
            ("primary_color", "#e9c46a"),
            ("accent_color", "#f2f2f2"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text.replace("&#96;", "`");
    assert!(
        text.contains(
            "contrast 1.67:1 with white is under the 4.5:1 needed to read it; try `#89743f`"
        ),
        "white text on the brand colour needs 4.5:1: {text}"
    );
    assert!(
        text.contains("under the 3:1 needed"),
        "focus rings on the accent need 3:1: {text}"
    );
    let home = get(&app, LYON, "/", None).await;
    assert!(!home.text.contains("#e9c46a"), "nothing changed");
    // The same refusal through the API, and the suggested shade is accepted.
    let api = app
        .store(
            Method::PATCH,
            LYON,
            "/api/v1/admin/branding",
            Some(&m.operator),
            Some(json!({ "primary_color": "#e9c46a" })),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.text);
    assert_eq!(api.body["errors"][0]["field"], "primary_color");
    let ok = app
        .store(
            Method::PATCH,
            LYON,
            "/api/v1/admin/branding",
            Some(&m.operator),
            Some(json!({ "primary_color": "#89743f" })),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
}

#[tokio::test]
async fn branding_set_in_the_console_shows_on_the_storefront_at_once() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let before = get(&app, LYON, "/", None).await;
    assert!(
        before.text.contains("Market lyon"),
        "the home page is cached now"
    );
    // The fees agreed with Krafto are shown (they are changed in the control plane).
    let paris = app
        .create_tenant_with(json!({
            "slug": "paris", "name": "Paris", "template": "handmade",
            "fees": { "seller_commission_bps": 1250, "platform_fee_bps": 200, "buyer_fee_bps": 150 }
        }))
        .await;
    let paris_op = app
        .operator_token(paris["id"].as_str().unwrap(), "paris", "op@paris.example")
        .await;
    let fees = get(&app, PARIS, "/admin/settings", Some(&paris_op)).await;
    for shown in [
        "Commission on each sale</dt><dd>12.5 %",
        "Krafto's fee</dt><dd>2 %",
        "paid by buyers</dt><dd>1.5 %",
    ] {
        assert!(
            fees.text.replace("&#39;", "'").contains(shown),
            "{shown}: {}",
            fees.text
        );
    }
    let page = get(&app, LYON, "/admin/settings", Some(&m.operator)).await;
    assert!(
        page.text.contains(r#"<form id="branding""#),
        "{}",
        page.text
    );
    assert!(page.text.contains(r#"id="brand-preview""#));
    assert!(page.text.contains(r#"name="primary_color""#));
    let saved = post(
        &app,
        LYON,
        "/admin/branding",
        Some(&m.operator),
        &[
            ("display_name", "Lyon Makers"),
            ("primary_color", "#123ABC"),
            ("accent_color", "#6b4226"),
            ("logo_url", "https://img.example/logo.png"),
            ("tagline", "Made in Lyon"),
        ],
    )
    .await;
    assert_done(&saved, "/admin/settings");
    let confirmed = get(&app, LYON, saved.location(), Some(&m.operator)).await;
    assert!(
        confirmed
            .text
            .contains("The branding is saved; the site shows it now."),
        "{}",
        confirmed.text
    );
    let home = get(&app, LYON, "/", None).await;
    assert!(home.text.contains("--brand: #123abc"), "{}", home.text);
    assert!(home.text.contains("--accent: #6b4226"));
    assert!(home.text.contains("Lyon Makers"));
    assert!(home.text.contains(r#"src="https://img.example/logo.png""#));
    assert!(home.text.contains("Made in Lyon"));
    // The preview starts from the saved values.
    let page = get(&app, LYON, "/admin/settings", Some(&m.operator)).await;
    assert!(
        page.text.contains("--brand: #123abc; --accent: #6b4226;"),
        "{}",
        page.text
    );

    // A bad colour is refused naming the field; what was typed stays; nothing changes.
    let bad = post(
        &app,
        LYON,
        "/admin/branding",
        Some(&m.operator),
        &[
            ("display_name", "Other name"),
            ("primary_color", "#12345z"),
            ("accent_color", "#6b4226"),
            ("logo_url", "javascript:alert(1)"),
            ("tagline", ""),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text
            .contains(r#"id="primary_color-error" class="error">"#),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains(r#"id="logo_url-error" class="error">"#),
        "{}",
        bad.text
    );
    assert!(
        !bad.text.contains("primary_color:") && !bad.text.contains("logo_url:"),
        "no API names shown"
    );
    assert!(
        bad.text.contains(r##"value="#12345z""##),
        "the typed value is kept"
    );
    assert!(
        bad.text.contains("--brand: #123abc; --accent: #6b4226;"),
        "the page keeps the saved brand"
    );
    assert!(
        !bad.text.contains("--brand: #12345z") && !bad.text.contains("style="),
        "no typed colour reaches a style"
    );
    let home = get(&app, LYON, "/", None).await;
    assert!(home.text.contains("--brand: #123abc"));
    assert!(!home.text.contains("Other name"));

    // The same rules over the API; blank logo and tagline remove them.
    let r = app
        .store(
            Method::PATCH,
            LYON,
            "/api/v1/admin/branding",
            Some(&m.operator),
            Some(json!({ "accent_color": "orange" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["errors"][0]["field"], "accent_color");
    let cleared = post(
        &app,
        LYON,
        "/admin/branding",
        Some(&m.operator),
        &[
            ("display_name", "Lyon Makers"),
            ("primary_color", "#123abc"),
            ("accent_color", "#6b4226"),
            ("logo_url", ""),
            ("tagline", ""),
        ],
    )
    .await;
    assert_done(&cleared, "/admin/settings");
    let b = api(
        &app,
        LYON,
        Method::GET,
        "/admin/branding",
        &m.operator,
        None,
    )
    .await;
    assert_eq!(b["logo_url"], Value::Null);
    assert_eq!(b["tagline"], Value::Null);
    assert_eq!(b["display_name"], "Lyon Makers");
    let audit = get(&app, LYON, "/admin/audit", Some(&m.operator)).await;
    // The audit log says it in words, with the change as before/after.
    let text = krafto_testkit::visible_text(&audit.text);
    assert!(text.contains("changed the branding"), "{text}");
    assert!(!audit.text.contains("branding.updated"), "{text}");
}

#[tokio::test]
async fn categories_are_added_renamed_and_deleted_from_the_console() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    assert_done(
        &post(
            &app,
            LYON,
            "/admin/categories",
            Some(&m.operator),
            &[("name", "Glass art"), ("slug", ""), ("parent_id", "")],
        )
        .await,
        "/admin/categories",
    );
    let tree = api(
        &app,
        LYON,
        Method::GET,
        "/admin/categories",
        &m.operator,
        None,
    )
    .await;
    let glass = tree["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "glass-art")
        .expect("created with a slug from its name")
        .clone();
    let glass_id = glass["id"].as_str().unwrap().to_owned();
    assert_done(
        &post(
            &app,
            LYON,
            "/admin/categories",
            Some(&m.operator),
            &[
                ("name", "Vases"),
                ("slug", "glass-vases"),
                ("parent_id", &glass_id),
            ],
        )
        .await,
        "/admin/categories",
    );
    let page = get(&app, LYON, "/admin/categories", Some(&m.operator)).await;
    assert!(
        page.text.contains(r#"data-slug="glass-vases""#),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(r#"class="depth-1""#),
        "the child is nested"
    );
    // The API's rules apply: a taken slug, a category with children.
    let taken = post(
        &app,
        LYON,
        "/admin/categories",
        Some(&m.operator),
        &[
            ("name", "Glass"),
            ("slug", "glass-vases"),
            ("parent_id", ""),
        ],
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(
        taken
            .text
            .contains(r#"id="new-category-slug-error" class="error">"#),
        "{}",
        taken.text
    );
    assert!(
        taken.text.contains(r#"value="glass-vases""#),
        "what was typed stays"
    );
    let busy = post(
        &app,
        LYON,
        &format!("/admin/categories/{glass_id}/delete"),
        Some(&m.operator),
        &[],
    )
    .await;
    assert_eq!(busy.status, StatusCode::CONFLICT);
    assert!(busy.text.contains("sub-categories"), "{}", busy.text);
    let vases = api(
        &app,
        LYON,
        Method::GET,
        "/admin/categories",
        &m.operator,
        None,
    )
    .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "glass-vases")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Rename and move to the top level.
    assert_done(
        &post(
            &app,
            LYON,
            &format!("/admin/categories/{vases}"),
            Some(&m.operator),
            &[
                ("name", "Vases & bowls"),
                ("slug", "vases"),
                ("parent_id", ""),
            ],
        )
        .await,
        "/admin/categories",
    );
    let moved = api(
        &app,
        LYON,
        Method::GET,
        &format!("/admin/categories/{vases}"),
        &m.operator,
        None,
    )
    .await;
    assert_eq!(moved["name"], "Vases & bowls");
    assert_eq!(moved["parent_id"], Value::Null);
    let bad = post(
        &app,
        LYON,
        &format!("/admin/categories/{vases}"),
        Some(&m.operator),
        &[("name", ""), ("slug", "Not A Slug"), ("parent_id", "")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text
            .contains(&format!(r#"id="name-{vases}-error" class="error">"#))
            && bad
                .text
                .contains(&format!(r#"id="slug-{vases}-error" class="error">"#)),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains(r#"value="Not A Slug""#),
        "what was typed stays"
    );
    assert!(!bad.text.contains("slug:"), "no API names shown");
    assert_done(
        &post(
            &app,
            LYON,
            &format!("/admin/categories/{glass_id}/delete"),
            Some(&m.operator),
            &[],
        )
        .await,
        "/admin/categories",
    );
    let page = get(&app, LYON, "/admin/categories", Some(&m.operator)).await;
    assert!(!page.text.contains(r#"data-slug="glass-art""#));
    assert!(page.text.contains(r#"data-slug="vases""#));
    let missing = api(
        &app,
        LYON,
        Method::GET,
        "/admin/categories",
        &m.operator,
        None,
    )
    .await;
    assert!(
        !missing["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "glass-art")
    );
}

/// A guest's paid order at a payable shop of `host`; returns its number.
async fn paid_order(app: &TestApp, host: &str, m: &Market, email: &str, shop: &str) -> String {
    let s = payable_seller(app, host, m, email, shop, 500, 0).await;
    let listing = live_listing(app, host, &s.token, listing_body("Bol", 3000)).await;
    let cart = add(app, host, None, None, &listing, 1).await.body["cart_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let co = checkout(app, host, Some(&cart), None, "key-1", guest_checkout_body()).await;
    let paid = pay(app, host, &co.body, "succeed").await;
    paid.body["orders"][0]["number"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn the_orders_pages_list_paid_orders_with_commission_and_cancel_them() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let number = paid_order(&app, LYON, &m, "s@lyon.example", "Atelier").await;
    let list = get(&app, LYON, "/admin/orders", Some(&m.operator)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.text.contains(&format!(r#"data-order="{number}""#)),
        "{}",
        list.text
    );
    assert!(list.text.contains("ada@example.com"));
    let filtered = get(
        &app,
        LYON,
        "/admin/orders?status=delivered",
        Some(&m.operator),
    )
    .await;
    assert!(!filtered.text.contains(&format!(r#"data-order="{number}""#)));
    let bad = get(&app, LYON, "/admin/orders?status=lost", Some(&m.operator)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains(r#"id="status-error" class="error">"#),
        "{}",
        bad.text
    );
    let detail = get(
        &app,
        LYON,
        &format!("/admin/orders/{number}"),
        Some(&m.operator),
    )
    .await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.text);
    let api_view = api(
        &app,
        LYON,
        Method::GET,
        &format!("/admin/orders/{number}"),
        &m.operator,
        None,
    )
    .await;
    let commission = api_view["fees"]["commission_minor"].as_i64().unwrap();
    assert!(commission > 0);
    assert!(detail.text.contains("Bol"));
    assert!(detail.text.contains(r#"id="order-commission""#));
    assert!(detail.text.contains(r#"<form id="cancel-order""#));
    // Cancelling needs a reason; then the buyer is refunded through the same domain code.
    let refused = post(
        &app,
        LYON,
        &format!("/admin/orders/{number}/cancel"),
        Some(&m.operator),
        &[("reason", "")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text
            .contains(r#"id="cancel-reason-error" class="error">"#),
        "{}",
        refused.text
    );
    assert_eq!(
        api(
            &app,
            LYON,
            Method::GET,
            &format!("/admin/orders/{number}"),
            &m.operator,
            None
        )
        .await["status"],
        "placed"
    );
    let done = post(
        &app,
        LYON,
        &format!("/admin/orders/{number}/cancel"),
        Some(&m.operator),
        &[("reason", "Out of stock")],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    let after = api(
        &app,
        LYON,
        Method::GET,
        &format!("/admin/orders/{number}"),
        &m.operator,
        None,
    )
    .await;
    assert_eq!(after["status"], "cancelled");
    let detail = get(
        &app,
        LYON,
        &format!("/admin/orders/{number}"),
        Some(&m.operator),
    )
    .await;
    assert!(
        detail.text.contains("Out of stock"),
        "the timeline shows why"
    );
    let dashboard = get(&app, LYON, "/admin", Some(&m.operator)).await;
    // Ledger accounts by the names operators know: shops by name, never `seller:<id>`.
    assert!(
        dashboard.text.contains("The marketplace’s commission")
            && !dashboard.text.contains("seller:"),
        "ledger balances: {}",
        dashboard.text
    );
}

#[tokio::test]
async fn an_operator_never_sees_or_moves_another_marketplaces_data() {
    let app = TestApp::spawn().await;
    let lyon = market(&app, "lyon", true).await;
    let paris = market(&app, "paris", true).await;
    let (_, pending, _) = submitted_shop(&app, PARIS, "pia@example.com", "Paris Atelier").await;
    let paris_shop = pending.body["id"].as_str().unwrap().to_owned();
    post(
        &app,
        PARIS,
        "/admin/categories",
        Some(&paris.operator),
        &[("name", "Parisian hats"), ("slug", "parisian-hats")],
    )
    .await;
    let review = get(&app, LYON, "/admin/review", Some(&lyon.operator)).await;
    assert_eq!(review.status, StatusCode::OK);
    assert!(!review.text.contains("Paris Atelier"));
    let dashboard = get(&app, LYON, "/admin", Some(&lyon.operator)).await;
    assert!(
        dashboard.text.contains(r#"data-count="shops">0<"#),
        "{}",
        dashboard.text
    );
    let paris_dashboard = get(&app, PARIS, "/admin", Some(&paris.operator)).await;
    assert!(
        paris_dashboard.text.contains(r#"data-count="shops">1<"#),
        "{}",
        paris_dashboard.text
    );
    // Lyon's operator cannot approve Paris's shop through Lyon's console.
    let crossed = post(
        &app,
        LYON,
        &format!("/admin/shops/{paris_shop}/approve"),
        Some(&lyon.operator),
        &[],
    )
    .await;
    assert_eq!(crossed.status, StatusCode::NOT_FOUND, "{}", crossed.text);
    assert!(queue_ids(&app, PARIS, &paris).await.contains(&paris_shop));
    let cats = get(&app, LYON, "/admin/categories", Some(&lyon.operator)).await;
    assert!(!cats.text.contains("Parisian hats"));
    let audit = get(&app, LYON, "/admin/audit", Some(&lyon.operator)).await;
    assert!(!audit.text.contains("parisian-hats"), "{}", audit.text);
    let paris_audit = get(&app, PARIS, "/admin/audit", Some(&paris.operator)).await;
    assert!(paris_audit.text.contains("parisian-hats"));
    // Branding changes stay in their marketplace.
    assert_done(
        &post(
            &app,
            LYON,
            "/admin/branding",
            Some(&lyon.operator),
            &[
                ("display_name", "Lyon Makers"),
                ("primary_color", "#101010"),
                ("accent_color", "#202020"),
            ],
        )
        .await,
        "/admin/settings",
    );
    let paris_home = get(&app, PARIS, "/", None).await;
    assert!(!paris_home.text.contains("#101010"));
    assert!(!paris_home.text.contains("Lyon Makers"));
}

#[tokio::test]
async fn reports_are_closed_from_the_console_with_a_note() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let (seller, _) =
        crate::catalog::live_seller(&app, LYON, &m, "ana@example.com", "Atelier").await;
    let listing = live_listing(&app, LYON, &seller, listing_body("Bowl", 1000)).await;
    let (buyer, _) = app.sign_in(LYON, "bob@example.com").await;
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/store/reports",
            Some(&buyer),
            Some(json!({ "target_kind": "listing", "target_id": listing, "reason": "counterfeit", "details": "A copy of a known brand." })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let dashboard = get(&app, LYON, "/admin", Some(&m.operator)).await;
    assert!(
        dashboard.text.contains(r#"data-count="reports">1<"#),
        "{}",
        dashboard.text
    );
    let page = get(&app, LYON, "/admin/reports", Some(&m.operator)).await;
    assert!(
        page.text.contains(&format!(r#"id="resolve-report-{id}""#)),
        "{}",
        page.text
    );
    assert!(page.text.contains("A copy of a known brand."));
    assert!(
        page.text
            .contains(&format!(r#"href="/listings/{listing}""#))
    );
    let path = format!("/admin/reports/{id}/resolve");
    let no_note = post(
        &app,
        LYON,
        &path,
        Some(&m.operator),
        &[("outcome", "resolved"), ("resolution", "")],
    )
    .await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_note
            .text
            .contains(&format!(r#"id="resolution-{id}-error" class="error">"#)),
        "{}",
        no_note.text
    );
    assert!(!no_note.text.contains("resolution:"), "no API names shown");
    let odd = post(
        &app,
        LYON,
        &path,
        Some(&m.operator),
        &[("outcome", "ignored"), ("resolution", "fine")],
    )
    .await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        odd.text
            .contains(&format!(r#"id="outcome-{id}-error" class="error">"#)),
        "{}",
        odd.text
    );
    let open = api(&app, LYON, Method::GET, "/admin/reports", &m.operator, None).await;
    assert_eq!(
        open.as_array().unwrap().len(),
        1,
        "refused forms close nothing"
    );
    assert_done(
        &post(
            &app,
            LYON,
            &path,
            Some(&m.operator),
            &[("outcome", "dismissed"), ("resolution", "Genuine item")],
        )
        .await,
        "/admin/reports",
    );
    let open = api(&app, LYON, Method::GET, "/admin/reports", &m.operator, None).await;
    assert!(open.as_array().unwrap().is_empty());
    let audit = get(&app, LYON, "/admin/audit", Some(&m.operator)).await;
    assert!(audit.text.contains("dismissed a report"), "{}", audit.text);
    assert!(audit.text.contains("Genuine item"));
}

#[tokio::test]
async fn a_branding_change_reaches_every_instance_through_redis() {
    let app = TestApp::spawn_with(krafto_testkit::AppOptions {
        redis_url: Some(
            std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned()),
        ),
        platform_instances: 2,
        ..krafto_testkit::AppOptions::default()
    })
    .await;
    let m = market(&app, "lyon", false).await;
    let home_on = |i: usize| {
        let app = &app;
        async move {
            app.http
                .get(format!("http://{}/", app.platforms[i]))
                .header("host", LYON)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    // Both instances cache the tenant now.
    assert!(!home_on(0).await.contains("#0a0b0c"));
    assert!(!home_on(1).await.contains("#0a0b0c"));
    assert_done(
        &post(
            &app,
            LYON,
            "/admin/branding",
            Some(&m.operator),
            &[
                ("display_name", "Lyon Makers"),
                ("primary_color", "#0a0b0c"),
                ("accent_color", "#ac914e"),
            ],
        )
        .await,
        "/admin/settings",
    );
    assert!(
        home_on(0).await.contains("--brand: #0a0b0c"),
        "the instance that made the change"
    );
    let started = std::time::Instant::now();
    while !home_on(1).await.contains("--brand: #0a0b0c") {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "instance 1 still shows the old brand"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn seller_verifications_are_decided_from_the_review_queue() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let verify = |email: &'static str, name: &'static str| {
        let (app, m) = (&app, &m);
        async move {
            let (seller, shop) = crate::catalog::live_seller(app, LYON, m, email, name).await;
            let v = app
                .store(Method::POST, LYON, "/api/v1/seller/verification", Some(&seller), Some(json!({
                    "legal_name": format!("{name} SARL"), "business_type": "sole_trader",
                    "address": { "line1": "3 rue Mercière", "postal_code": "69002", "city": "Lyon", "country": "FR" },
                    "document_refs": ["doc_123"]
                })))
                .await;
            assert_eq!(v.status, StatusCode::CREATED, "{}", v.text);
            (
                v.body["id"].as_str().unwrap().to_owned(),
                shop["slug"].as_str().unwrap().to_owned(),
            )
        }
    };
    let (yes, yes_slug) = verify("ana@example.com", "Atelier Ana").await;
    let (no, _) = verify("bea@example.com", "Bazar Bea").await;
    let page = get(&app, LYON, "/admin/review", Some(&m.operator)).await;
    assert!(
        page.text
            .contains(&format!(r#"id="approve-verification-{yes}""#)),
        "{}",
        page.text
    );
    assert!(page.text.contains("Atelier Ana SARL"));
    let refused = post(
        &app,
        LYON,
        &format!("/admin/verifications/{no}/reject"),
        Some(&m.operator),
        &[("reason", "")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains(&format!(
            r#"id="reason-verification-{no}-error" class="error">"#
        )),
        "{}",
        refused.text
    );
    assert!(
        queue_ids(&app, LYON, &m).await.contains(&no),
        "nothing changed"
    );
    assert_done(
        &post(
            &app,
            LYON,
            &format!("/admin/verifications/{yes}/approve"),
            Some(&m.operator),
            &[],
        )
        .await,
        "/admin/review",
    );
    assert_done(
        &post(
            &app,
            LYON,
            &format!("/admin/verifications/{no}/reject"),
            Some(&m.operator),
            &[("reason", "The document is unreadable")],
        )
        .await,
        "/admin/review",
    );
    let shop = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/shops/{yes_slug}"),
            None,
            None,
        )
        .await;
    assert!(
        shop.body["badges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b == "verified_seller"),
        "{}",
        shop.text
    );
    let left = queue_ids(&app, LYON, &m).await;
    assert!(!left.contains(&yes) && !left.contains(&no), "{left:?}");
}

/// Legal pages: written in the console or through the API, shown at `/legal/{page}` of their
/// own marketplace only, linked from every footer and from checkout, recorded in the audit
/// log; a page too long is refused naming the field, keeping what was typed.
#[tokio::test]
async fn legal_pages_are_written_by_operators_and_shown_to_everyone_in_their_marketplace_only() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let paris = market(&app, "paris", false).await;
    // Not written yet: the footer links the page, which says so (404), and the API agrees.
    let home = get(&app, LYON, "/", None).await;
    for page in ["terms", "legal-notice", "privacy", "contact"] {
        assert!(
            home.text.contains(&format!(r#"href="/legal/{page}""#)),
            "{page}"
        );
    }
    let missing = get(&app, LYON, "/legal/terms", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.text.contains("has not published this page yet"),
        "{}",
        missing.text
    );
    let dashboard = get(&app, LYON, "/admin", Some(&m.operator)).await;
    assert!(
        dashboard.text.contains(r#"id="legal-todo""#),
        "the console lists what is missing"
    );

    // Written in the console.
    let saved = post(
        &app,
        LYON,
        "/admin/legal/terms",
        Some(&m.operator),
        &[("body", "# Article 1\r\nLes ventes <b>sont</b> conclues entre l’acheteur et la boutique.\r\n\r\nArticle 2.")],
    )
    .await;
    assert_done(&saved, "/admin/legal");
    assert!(saved.location().contains("done=saved"));
    let shown = get(&app, LYON, "/legal/terms", None).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text.contains("<h2>Article 1</h2>"), "{}", shown.text);
    assert!(
        shown.text.contains("Les ventes &#60;b&#62;sont"),
        "never markup: {}",
        shown.text
    );
    let api = app
        .store(Method::GET, LYON, "/api/v1/store/legal/terms", None, None)
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text);
    assert_eq!(api.body["page"], "terms");
    assert!(api.body["updated_at"].is_string());
    // Another marketplace does not see it.
    assert_eq!(
        get(&app, PARIS, "/legal/terms", None).await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = app
        .store(Method::GET, PARIS, "/api/v1/store/legal/terms", None, None)
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    // Through the API; an unknown page and a text too long are refused.
    let privacy = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/admin/legal/privacy",
            Some(&m.operator),
            Some(json!({ "body": "Nous ne vendons pas vos données." })),
        )
        .await;
    assert_eq!(privacy.status, StatusCode::OK, "{}", privacy.text);
    let unknown = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/admin/legal/cookies",
            Some(&m.operator),
            Some(json!({ "body": "x" })),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let long = "a".repeat(50_001);
    let refused = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/admin/legal/privacy",
            Some(&m.operator),
            Some(json!({ "body": long })),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert_eq!(refused.body["errors"][0]["field"], "body");
    let form = post(
        &app,
        LYON,
        "/admin/legal/privacy",
        Some(&m.operator),
        &[("body", &long)],
    )
    .await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        form.text.contains(r#"id="body-privacy-error""#),
        "{}",
        form.text
    );
    let kept = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/legal",
            Some(&m.operator),
            None,
        )
        .await;
    let items = kept.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(
        items[2]["body"], "Nous ne vendons pas vos données.",
        "nothing changed"
    );
    // Only operators write them.
    let other = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/admin/legal/terms",
            Some(&paris.operator),
            Some(json!({ "body": "x" })),
        )
        .await;
    assert!(
        other.status == StatusCode::UNAUTHORIZED || other.status == StatusCode::FORBIDDEN,
        "{}",
        other.text
    );
    // Emptying a page takes it down.
    let cleared = post(
        &app,
        LYON,
        "/admin/legal/privacy",
        Some(&m.operator),
        &[("body", "  ")],
    )
    .await;
    assert!(cleared.location().contains("done=removed"));
    assert_eq!(
        get(&app, LYON, "/legal/privacy", None).await.status,
        StatusCode::NOT_FOUND
    );
    // Each change is in the audit log, in words.
    let audit = krafto_testkit::visible_text(
        &get(&app, LYON, "/admin/audit", Some(&m.operator))
            .await
            .text,
    );
    assert!(audit.contains("took down the page “Privacy”"), "{audit}");
    assert!(
        audit.contains("updated the page “Terms of sale”"),
        "{audit}"
    );
}
