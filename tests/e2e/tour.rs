//! Every main page of a French marketplace, as a guest, a buyer, a seller and an operator
//! see it, in a real browser: none scrolls sideways at 390 or 1280 px (screenshots of each
//! land in `screenshots/`), none shows English, and none shows the machinery (ids, codes,
//! API paths).

use crate::browser::capture;
use crate::catalog::{LYON, Market, live_listing};
use crate::commerce::{add, checkout, guest_checkout_body, pay, payable_seller};
use krafto_testkit::{Browser, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

/// What a person must never read: English words of the site, ids, snake_case codes, API
/// paths, JSON.
pub(crate) fn assert_speaks_french(page: &str, text: &str) {
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

fn listing(title: &str, price: i64) -> serde_json::Value {
    json!({
        "title": title,
        "description": "Tourné à la main, émaillé à l’atelier.",
        "price_minor": price,
        "quantity": 5,
        "tags": ["bol"],
        "materials": ["grès"],
        "photos": [{ "url": "https://img.example/1.jpg", "alt": title }]
    })
}

#[tokio::test]
async fn every_main_page_fits_a_phone_and_a_desktop_and_speaks_only_french() {
    let app = TestApp::spawn().await;
    let t = app
        .create_tenant_with(json!({
            "slug": "lyon", "name": "Lyon Makers", "template": "handmade", "locale": "fr-FR",
            "branding": { "display_name": "Lyon Makers", "primary_color": "#8a4b2a", "accent_color": "#ac914e" }
        }))
        .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let m = Market {
        operator: app.operator_token(&id, "lyon", "op@lyon.example").await,
        id,
    };
    let seller = payable_seller(
        &app,
        LYON,
        &m,
        "camille@lyon.example",
        "Atelier Terre",
        490,
        100,
    )
    .await;
    let bowl = live_listing(
        &app,
        LYON,
        &seller.token,
        listing("Bol en grès moucheté", 3200),
    )
    .await;
    live_listing(&app, LYON, &seller.token, listing("Tasse bleue", 2400)).await;
    let other = payable_seller(&app, LYON, &m, "ines@lyon.example", "Fil d’Or", 300, 0).await;
    live_listing(&app, LYON, &other.token, listing("Bague en argent", 5500)).await;
    // A guest order, so that order pages have something to show.
    let added = add(&app, LYON, None, None, &bowl, 1).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text);
    let cart = added.body["cart_token"].as_str().map(str::to_owned);
    let c = checkout(
        &app,
        LYON,
        cart.as_deref(),
        None,
        "tour-1",
        guest_checkout_body(),
    )
    .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.text);
    assert_eq!(
        pay(&app, LYON, &c.body, "succeed").await.status,
        StatusCode::OK
    );
    app.drain_outbox().await;
    let terms = app
        .store(
            Method::PUT,
            LYON,
            "/api/v1/admin/legal/terms",
            Some(&m.operator),
            Some(json!({ "body": "# Objet\nLes présentes conditions régissent les ventes.\n\nDeuxième paragraphe." })),
        )
        .await;
    assert_eq!(terms.status, StatusCode::OK, "{}", terms.text);

    let browser = Browser::for_app(&app).await;
    let visit = async |b: &Browser, name: &str, path: &str| {
        b.goto(&app.storefront_url(LYON, path)).await;
        b.wait_for("main").await;
        assert_eq!(
            b.eval("return document.documentElement.lang").await,
            "fr",
            "{path}"
        );
        assert_speaks_french(path, &b.page_text().await);
        capture(b, "tour", name).await;
    };
    // A guest.
    for (name, path) in [
        ("home", "/".to_owned()),
        ("search", "/search?q=bol".to_owned()),
        ("product", format!("/listings/{bowl}")),
        ("shop", "/shops/atelier-terre".to_owned()),
        ("sign-in", "/sign-in".to_owned()),
        ("terms", "/legal/terms".to_owned()),
        ("privacy-unwritten", "/legal/privacy".to_owned()),
        ("contact", "/legal/contact".to_owned()),
        ("not-found", "/nulle/part".to_owned()),
    ] {
        visit(&browser, name, &path).await;
    }
    // The branded 404, in the marketplace's language and colours.
    browser.goto(&app.storefront_url(LYON, "/nulle/part")).await;
    assert_eq!(
        browser.text("main h1").await,
        krafto_i18n::Locale::Fr.t("notice-404-title")
    );
    assert!(browser.text("header").await.contains("Lyon Makers"));
    // The terms as written, linked from the footer.
    browser.goto(&app.storefront_url(LYON, "/")).await;
    browser
        .click_and_load("footer a[href='/legal/terms']")
        .await;
    browser.wait_for_path("/legal/terms").await;
    assert_eq!(browser.text("main h2").await, "Objet");
    // The guest's cart and checkout, with the terms linked.
    browser
        .goto(&app.storefront_url(LYON, &format!("/listings/{bowl}")))
        .await;
    browser.click_and_load("form.add button[type=submit]").await;
    browser.wait_for_path("/cart").await;
    visit(&browser, "cart", "/cart").await;
    visit(&browser, "checkout", "/checkout").await;
    assert!(
        browser
            .is_present("form.checkout a[href='/legal/terms']")
            .await
    );
    browser.close().await;

    // The buyer of the guest order, signed in.
    let buyer = Browser::for_app(&app).await;
    buyer
        .sign_in(&app, LYON, "ada@example.com", "/my/orders")
        .await;
    visit(&buyer, "my-orders", "/my/orders").await;
    buyer.click_and_load("main a[href^='/orders/']").await;
    buyer.wait_for_path("/orders/").await;
    let order = buyer.path().await;
    visit(&buyer, "buyer-order", &order).await;
    visit(&buyer, "account", "/account").await;
    buyer.close().await;

    // The operator.
    let op = Browser::for_app(&app).await;
    op.sign_in(&app, LYON, "op@lyon.example", "/admin").await;
    for (name, path) in [
        ("admin", "/admin"),
        ("admin-review", "/admin/review"),
        ("admin-reports", "/admin/reports"),
        ("admin-orders", "/admin/orders"),
        ("admin-refunds", "/admin/refunds"),
        ("admin-categories", "/admin/categories"),
        ("admin-settings", "/admin/settings"),
        ("admin-legal", "/admin/legal"),
        ("admin-audit", "/admin/audit"),
    ] {
        visit(&op, name, path).await;
    }
    // The audit log says who did what in words: the terms written above, by the operator.
    let audit = op.text("#audit").await;
    assert!(
        audit.contains("op@lyon.example (opérateur) a mis à jour la page"),
        "{audit}"
    );
    assert!(audit.contains("Conditions générales de vente"), "{audit}");
    op.goto(&app.storefront_url(LYON, "/admin/orders")).await;
    op.click_and_load("main a[href^='/admin/orders/']").await;
    op.wait_for_path("/admin/orders/").await;
    let order = op.path().await;
    visit(&op, "admin-order", &order).await;
    // A paid order that is not shipped can be cancelled, not refunded.
    assert!(op.is_present("form#cancel-order").await);
    assert!(!op.is_present("form#refund-order").await);
    op.close().await;
    // The seller.
    let s = Browser::for_app(&app).await;
    s.sign_in(&app, LYON, "camille@lyon.example", "/sell").await;
    for (name, path) in [
        ("sell", "/sell"),
        ("sell-listings", "/sell/listings"),
        ("sell-new-listing", "/sell/listings/new"),
        ("sell-shop", "/sell/shop"),
        ("sell-shipping", "/sell/shipping"),
        ("sell-payouts", "/sell/payouts"),
        ("sell-verification", "/sell/verification"),
        ("sell-orders", "/sell/orders"),
    ] {
        visit(&s, name, path).await;
    }
    s.click_and_load("main a[href^='/sell/orders/']").await;
    s.wait_for_path("/sell/orders/").await;
    let order = s.path().await;
    visit(&s, "sell-order", &order).await;
    s.close().await;
}

/// Where the marketplace reviews nothing, an artisan goes from signing up to a listing a
/// guest buys, in the browser, without anyone else doing anything: the wizard says the shop
/// and the listing are live only when they are, and the guest's purchase reaches the seller.
/// (With review on, `browser::a_marketplace_goes_from_provisioning_to_a_shipped_order_in_the_browser`.)
#[tokio::test]
async fn an_artisan_signs_up_lists_and_sells_to_a_guest_where_nothing_is_reviewed() {
    use crate::browser::{fill_guest_details, gets_paid_and_ships, search_and_add};
    let app = TestApp::spawn().await;
    let m = crate::catalog::market(&app, "lyon", false).await;
    let rules = app
        .store(
            Method::PATCH,
            LYON,
            "/api/v1/admin/settings",
            Some(&m.operator),
            Some(json!({ "shop_review_required": false, "listing_review_required": false, "min_photos": 0 })),
        )
        .await;
    assert_eq!(rules.status, StatusCode::OK, "{}", rules.text);

    let artisan = Browser::for_app(&app).await;
    artisan
        .sign_in(&app, LYON, "jeanne@example.com", "/sell")
        .await;
    artisan.wait_for("form#open-shop").await;
    artisan.fill("#name", "Verrerie Jeanne").await;
    artisan.fill("#city", "Lyon").await;
    artisan.select("#country", "FR").await;
    artisan
        .click_and_load("form#open-shop button[type=submit]")
        .await;
    artisan.wait_for_text("Your shop is open").await;
    // Without review, the wizard offers to publish, not to wait.
    assert!(
        artisan
            .page_text()
            .await
            .contains("buyers see it as soon as it is open"),
        "{}",
        artisan.page_text().await
    );
    artisan.click_and_load("#step-profile a").await;
    artisan.wait_for("form#shop-profile").await;
    artisan
        .fill(
            "#story",
            "Glass blown by hand on the slopes of the Croix-Rousse.",
        )
        .await;
    artisan
        .fill("#profile_image_url", "https://img.example/verrerie.png")
        .await;
    artisan
        .click_and_load("form#shop-profile button[type=submit]")
        .await;
    artisan.wait_for_text("Saved.").await;
    gets_paid_and_ships(&artisan, &app, "5.00", "0").await;
    artisan.goto(&app.storefront_url(LYON, "/sell")).await;
    artisan.click_and_load("form#submit-shop button").await;
    artisan
        .wait_for_text("open: buyers can find your shop and buy")
        .await;
    artisan
        .goto(&app.storefront_url(LYON, "/sell/listings/new"))
        .await;
    artisan.fill("#title", "Blown glass carafe").await;
    artisan.fill("#price", "45.00").await;
    artisan.fill("#quantity", "3").await;
    artisan
        .fill("#description", "Mouth-blown clear glass, one litre.")
        .await;
    artisan.click_and_load("#save-publish").await;
    artisan
        .wait_for_text("Published: the listing is live.")
        .await;

    // A guest finds it and buys it at once.
    let guest = Browser::for_app(&app).await;
    guest.goto(&app.storefront_url(LYON, "/")).await;
    search_and_add(&guest, "carafe", "Blown glass carafe", 1).await;
    guest.click_and_load("a.button[href='/checkout']").await;
    guest.wait_for("form.checkout").await;
    fill_guest_details(&guest, "ada@example.com").await;
    guest
        .click_and_load("form.checkout button[type=submit]")
        .await;
    guest.wait_for_text("Pay €50.00 (test card)").await;
    guest.click_and_load("button[value=succeed]").await;
    guest.wait_for_text("Thank you for your order").await;

    // The artisan sees the order.
    artisan
        .goto(&app.storefront_url(LYON, "/sell/orders"))
        .await;
    artisan.wait_for("main a[href^='/sell/orders/']").await;
    assert!(
        artisan.page_text().await.contains("Ada Lovelace")
            || artisan.page_text().await.contains("ada@example.com")
    );
    for b in [guest, artisan] {
        b.close().await;
    }
}
