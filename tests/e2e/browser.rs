//! The storefront in a real headless Chromium: branding as the browser computes it, layouts
//! on desktop and mobile (screenshots land in `screenshots/`), keyboard and label checks,
//! and a guest's purchase done with clicks and typing only.
//!
//! These tests need Chromium and chromedriver (`scripts/test` installs them); without them
//! they fail and say how to install them.

use crate::catalog::LYON;
use crate::commerce::count;
use crate::storefront::branded_marketplaces;
use krafto_testkit::browser::{BrowserOptions, keys, screenshot_path};
use krafto_testkit::{Browser, TestApp};

const FERME: &str = "ferme.krafto.test";

/// What a marketplace of [`branded_marketplaces`] looks like, and a search that finds
/// one of its demo listings.
struct Brand {
    slug: &'static str,
    host: &'static str,
    name: &'static str,
    tagline: &'static str,
    brand: &'static str,
    brand_rgb: &'static str,
    query: &'static str,
    listing: &'static str,
    /// The language its pages speak.
    locale: krafto_i18n::Locale,
}

const BRANDS: [Brand; 2] = [
    Brand {
        slug: "lyon",
        host: LYON,
        name: "Lyon Makers",
        tagline: "Fait main <em>à Lyon</em> & alentours",
        brand: "#8a4b2a",
        brand_rgb: "rgb(138, 75, 42)",
        query: "bol",
        listing: "Bol en grès moucheté",
        locale: krafto_i18n::Locale::Fr,
    },
    Brand {
        slug: "ferme",
        host: FERME,
        name: "La Ferme du Coin",
        tagline: "Du champ à la table",
        brand: "#2a6f3b",
        brand_rgb: "rgb(42, 111, 59)",
        query: "eggs",
        listing: "Free-range eggs (12)",
        locale: krafto_i18n::Locale::En,
    },
];

const VIEWPORTS: [(&str, u32, u32); 2] = [("mobile", 390, 844), ("desktop", 1280, 900)];

/// Elements that stick out of the viewport on the right (why a page scrolls sideways).
const OVERFLOW_JS: &str = "const w = window.innerWidth; \
    return [document.documentElement.scrollWidth, w, Array.from(document.querySelectorAll('body *')) \
      .filter(e => e.getBoundingClientRect().right > w + 1) \
      .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') \
        + ' right=' + Math.round(e.getBoundingClientRect().right))];";

/// Screenshots of the current page at every viewport, `screenshots/<tenant>-<page>-<size>.png`,
/// after checking the page never scrolls sideways. Ends at the desktop size.
pub(crate) async fn capture(browser: &Browser, tenant: &str, page: &str) {
    // The page as it first shows, not with the skip link the keyboard checks focused.
    browser
        .eval("if (document.activeElement) document.activeElement.blur(); window.scrollTo(0, 0);")
        .await;
    for (size, width, height) in VIEWPORTS {
        browser.set_size(width, height).await;
        let m = browser.eval(OVERFLOW_JS).await;
        assert!(
            m[0].as_i64().unwrap() <= m[1].as_i64().unwrap(),
            "{tenant} {page} scrolls sideways at {size} ({width}px): page width {}, sticking out: {}",
            m[0],
            m[2]
        );
        let path = screenshot_path(&format!("{tenant}-{page}-{size}"));
        browser.screenshot_full_page(&path).await;
        assert!(
            std::fs::metadata(&path).unwrap().len() > 1000,
            "{} is empty",
            path.display()
        );
    }
}

/// Keyboard and label checks on a freshly loaded page (before anything took the focus):
/// the first Tab lands on a visible "Skip to content" link (in the page's language) that leads to `<main>`, and every
/// form control has a label.
async fn assert_accessible(browser: &Browser, page: &str) {
    browser.press(keys::TAB).await;
    let focused = browser.focused().await;
    let skip_words = krafto_i18n::Locale::ALL.map(|l| l.t("skip-to-content"));
    assert!(
        focused.starts_with("a.skip") && skip_words.iter().any(|w| focused.contains(w.as_str())),
        "{page}: the first Tab should reach the skip link, reached {focused}"
    );
    let skip = browser
        .eval(
            "const r = document.activeElement.getBoundingClientRect(); \
             return r.left >= 0 && r.top >= 0 && r.width > 0 \
               && document.querySelector(document.activeElement.getAttribute('href')) \
                  === document.querySelector('main');",
        )
        .await;
    assert_eq!(
        skip, true,
        "{page}: the focused skip link is on screen and points at <main>"
    );
    let unlabelled = browser
        .eval(
            "return Array.from(document.querySelectorAll('input:not([type=hidden]),select,textarea')) \
               .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') \
                 && !e.getAttribute('aria-labelledby')) \
               .map(e => e.outerHTML.slice(0, 160));",
        )
        .await;
    assert_eq!(
        unlabelled,
        serde_json::json!([]),
        "{page}: form controls without a label"
    );
}

/// The marketplace's brand as the browser computes it: the CSS variable, the header's
/// border and the logo and button colours.
async fn assert_branded(browser: &Browser, b: &Brand, page: &str) {
    let brand = browser
        .eval(
            "return getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()",
        )
        .await;
    assert_eq!(brand, b.brand, "{} {page}: --brand", b.slug);
    assert_eq!(
        browser.css("header.site", "border-bottom-color").await,
        b.brand_rgb,
        "{} {page}: the header's brand border",
        b.slug
    );
    assert_eq!(browser.css("header.site .logo", "color").await, b.brand_rgb);
    assert_eq!(browser.text("header.site .logo").await, b.name);
    assert_eq!(
        browser
            .css("header.site form.search button", "background-color")
            .await,
        b.brand_rgb,
        "{} {page}: buttons in the brand colour",
        b.slug
    );
    assert!(
        browser.title().await.contains(b.name),
        "{} {page}: the title names the marketplace: {}",
        b.slug,
        browser.title().await
    );
    let footer = browser.text("footer.site").await;
    assert!(
        footer.contains(b.name) && footer.contains(b.tagline),
        "{} {page}: footer {footer:?}",
        b.slug
    );
    let other = BRANDS.iter().find(|o| o.slug != b.slug).unwrap();
    assert!(
        !browser.page_text().await.contains(other.name),
        "{} {page}: nothing of {}",
        b.slug,
        other.name
    );
}

/// Fills the guest checkout form the way a buyer does.
pub(crate) async fn fill_guest_details(browser: &Browser, email: &str) {
    for (field, value) in [
        ("#email", email),
        ("#phone", "+33 6 12 34 56 78"),
        ("#name", "Ada Lovelace"),
        ("#line1", "3 rue Mercière"),
        ("#postal_code", "69002"),
        ("#city", "Lyon"),
    ] {
        browser.fill(field, value).await;
    }
    // The country is chosen by its name; the form sends its code.
    browser.select("#country", "FR").await;
}

/// The seller's test-mode payouts onboarding, then one Colissimo delivery option at
/// `base` plus `per_item` (in the form's words, `4.90`), through the seller's pages.
pub(crate) async fn gets_paid_and_ships(
    artisan: &Browser,
    app: &TestApp,
    base: &str,
    per_item: &str,
) {
    artisan
        .goto(&app.storefront_url(LYON, "/sell/payouts"))
        .await;
    artisan
        .click_and_load("form#payouts-onboarding button")
        .await;
    artisan.wait_for_text("Complete test onboarding").await;
    artisan
        .click_and_load("main form button[type=submit]")
        .await;
    artisan
        .wait_for_text("Payments and payouts are enabled")
        .await;
    artisan
        .goto(&app.storefront_url(LYON, "/sell/shipping"))
        .await;
    for (field, value) in [
        ("#name_0", "Colissimo"),
        ("#base_0", base),
        ("#per_item_0", per_item),
        ("#days_min_0", "2"),
        ("#days_max_0", "4"),
    ] {
        artisan.fill(field, value).await;
    }
    artisan
        .click_and_load("form#shipping button[type=submit]")
        .await;
    artisan.wait_for_text("Saved.").await;
}

/// Searches from the header box, opens the result titled `title` and adds `quantity` of it
/// to the cart; ends on the cart page.
pub(crate) async fn search_and_add(browser: &Browser, query: &str, title: &str, quantity: u32) {
    browser.fill("#site-q", query).await;
    browser.press_and_load(keys::ENTER).await;
    browser.wait_for_path("/search").await;
    browser
        .wait_for_text(&format!("Results for “{query}”"))
        .await;
    browser
        .click_and_load_with_text("main .cards .card a", title)
        .await;
    browser.wait_for_path("/listings/").await;
    assert_eq!(browser.text("main h1").await, title);
    browser.fill("#quantity", &quantity.to_string()).await;
    browser.click_and_load("form.add button[type=submit]").await;
    browser.wait_for_path("/cart").await;
    browser.wait_for_text("Your cart").await;
}

#[tokio::test]
async fn two_marketplaces_render_in_their_own_brand_on_desktop_and_mobile() {
    let app = TestApp::spawn().await;
    branded_marketplaces(&app).await;
    app.demo_catalog().await;
    let browser = Browser::for_app(&app).await;
    for b in &BRANDS {
        let t = b.slug;
        browser.goto(&app.storefront_url(b.host, "/")).await;
        assert_accessible(&browser, &format!("{t} home")).await;
        assert_branded(&browser, b, "home").await;
        assert_eq!(browser.text(".hero h1").await, b.name);
        assert_eq!(
            browser.text(".hero .tagline").await,
            b.tagline,
            "operator text shows as typed"
        );
        assert_eq!(
            browser
                .eval("return document.querySelectorAll('.hero em').length")
                .await,
            0,
            "and is never interpreted as markup"
        );
        capture(&browser, t, "home").await;

        browser.fill("#site-q", b.query).await;
        browser
            .click_and_load("header.site form.search button")
            .await;
        browser.wait_for_path("/search").await;
        browser.wait_for_text(b.listing).await;
        assert_accessible(&browser, &format!("{t} search")).await;
        assert_eq!(
            browser.prop("#site-q", "value").await,
            b.query,
            "the search box keeps the words"
        );
        capture(&browser, t, "search").await;

        browser.click_and_load("main .cards .card a").await;
        browser.wait_for_path("/listings/").await;
        assert_accessible(&browser, &format!("{t} product")).await;
        assert_eq!(browser.text("main h1").await, b.listing);
        assert_branded(&browser, b, "product").await;
        assert_eq!(
            browser
                .css("form.add button[type=submit]", "background-color")
                .await,
            b.brand_rgb
        );
        capture(&browser, t, "product").await;

        browser.click_and_load("form.add button[type=submit]").await;
        browser.wait_for_path("/cart").await;
        browser.wait_for("a.button[href='/checkout']").await;
        assert_accessible(&browser, &format!("{t} cart")).await;
        assert_branded(&browser, b, "cart").await;
        capture(&browser, t, "cart").await;

        browser.click_and_load("a.button[href='/checkout']").await;
        browser.wait_for_path("/checkout").await;
        browser.wait_for("form.checkout").await;
        assert_accessible(&browser, &format!("{t} checkout")).await;
        capture(&browser, t, "checkout").await;
        fill_guest_details(&browser, &format!("buyer@{t}.example")).await;
        browser
            .click_and_load("form.checkout button[type=submit]")
            .await;
        browser.wait_for("button[value=succeed]").await;
        capture(&browser, t, "payment").await;
        browser.click_and_load("button[value=succeed]").await;
        browser.wait_for_text(&b.locale.t("done-title")).await;
        assert_accessible(&browser, &format!("{t} confirmation")).await;
        assert_branded(&browser, b, "confirmation").await;
        capture(&browser, t, "confirmation").await;

        browser.click_and_load("ul.orders a").await;
        browser.wait_for_path("/orders/").await;
        browser
            .wait_for_text(&format!(
                "{} {}",
                b.locale.t("order-status"),
                b.locale.t("status-placed")
            ))
            .await;
        assert_accessible(&browser, &format!("{t} order")).await;
        assert!(browser.text("ul.lines").await.contains(b.listing));
        capture(&browser, t, "order").await;
    }
    browser.close().await;
}

#[tokio::test]
async fn a_guest_finds_buys_from_two_shops_and_follows_an_order_from_the_emailed_link() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let browser = Browser::for_app(&app).await;
    browser.goto(&app.storefront_url(LYON, "/")).await;
    search_and_add(&browser, "stoneware", "Speckled stoneware bowl", 2).await;
    search_and_add(&browser, "silver", "Hammered silver ring", 1).await;

    // The cart: one section per shop, each with its delivery; one total.
    let names = browser.texts("section.cart-shop h2").await;
    assert_eq!(names, ["Atelier Terre", "Fil d’Or"], "one section per shop");
    let cart = browser.page_text().await;
    assert!(cart.contains("€64.00"), "{cart}");
    assert_eq!(
        browser
            .prop("section.cart-shop input[name=quantity]", "value")
            .await,
        "2",
        "the quantity can be changed in its field"
    );
    // 2 × 32.00 + 65.00 + delivery (4.90 + 2 × 1.00) + (4.90 + 1.00) = 141.80
    assert!(browser.text(".cart-total").await.contains("€141.80"));
    browser.click_and_load("a.button[href='/checkout']").await;
    browser.wait_for("form.checkout").await;
    assert!(browser.page_text().await.contains("2 shops, one payment"));

    // A mistake is shown next to its field, and what was typed stays.
    fill_guest_details(&browser, "not-an-email").await;
    browser.fill("#city", "").await;
    browser
        .click_and_load("form.checkout button[type=submit]")
        .await;
    browser.wait_for("#email[aria-invalid=true]").await;
    assert_eq!(browser.prop("#email", "value").await, "not-an-email");
    assert_eq!(
        browser.attr("#email", "aria-describedby").await.as_deref(),
        Some("email-error")
    );
    assert!(!browser.text("#email-error").await.is_empty());
    assert!(browser.is_present("#city[aria-invalid=true]").await);
    assert!(!browser.is_present("#name[aria-invalid=true]").await);
    assert_eq!(
        count(&app, "select count(*) as n from checkouts").await,
        0,
        "nothing is held for a form with mistakes"
    );

    fill_guest_details(&browser, "ada@example.com").await;
    browser
        .click_and_load("form.checkout button[type=submit]")
        .await;
    browser.wait_for_text("Pay €141.80 (test card)").await;
    assert!(browser.path().await.contains("/pay?secret="));
    browser.click_and_load("button[value=succeed]").await;
    browser.wait_for_text("Thank you for your order").await;
    assert!(browser.page_text().await.contains("ada@example.com"));
    let lines = browser.texts("ul.orders li").await;
    assert_eq!(lines.len(), 2, "one order per shop");
    assert!(
        lines.iter().any(|l| l.contains("Atelier Terre"))
            && lines.iter().any(|l| l.contains("Fil d’Or")),
        "{lines:?}"
    );

    // The confirmation e-mail's private link opens the order in the browser.
    app.drain_outbox().await;
    let mail = app
        .mails()
        .into_iter()
        .find(|m| m.contains("To: ada@example.com") && m.contains("is confirmed"))
        .expect("the buyer's confirmation e-mail");
    let links: Vec<&str> = mail
        .lines()
        .filter_map(|l| l.strip_prefix("Follow it: "))
        .map(str::trim)
        .collect();
    assert_eq!(links.len(), 2, "{mail}");
    let ring_order = mail
        .lines()
        .position(|l| l.contains("Fil d’Or"))
        .and_then(|i| mail.lines().nth(i + 1))
        .and_then(|l| l.strip_prefix("Follow it: "))
        .expect("the ring's order link")
        .trim()
        .to_owned();
    browser.goto(&ring_order).await;
    browser.wait_for_text("Status: Placed").await;
    assert_accessible(&browser, "order from the e-mail").await;
    let number = browser.text("main h1").await;
    assert!(number.starts_with("Order LYON-"), "{number}");
    assert!(ring_order.contains(number.trim_start_matches("Order ")));
    let lines = browser.text("ul.lines").await;
    assert!(
        lines.contains("Hammered silver ring") && lines.contains("× 1"),
        "{lines}"
    );
    assert!(!lines.contains("stoneware"), "only this shop's lines");
    assert!(
        browser
            .text("ol.timeline")
            .await
            .contains("payment received")
    );
    // The same page without its token stays private.
    let bare = ring_order.split('?').next().unwrap();
    browser.goto(bare).await;
    browser.wait_for_text("Page not found").await;
    assert!(!browser.page_text().await.contains("Hammered silver ring"));
    // The cart is empty now.
    browser.goto(&app.storefront_url(LYON, "/cart")).await;
    browser.wait_for_text("Your cart is empty").await;
    browser.close().await;
}

#[tokio::test]
async fn a_declined_test_card_shows_an_error_keeps_the_cart_and_makes_no_order() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let browser = Browser::for_app(&app).await;
    browser.goto(&app.storefront_url(LYON, "/")).await;
    search_and_add(&browser, "mug", "Blue glazed mug", 1).await;
    browser.click_and_load("a.button[href='/checkout']").await;
    browser.wait_for("form.checkout").await;
    fill_guest_details(&browser, "ada@example.com").await;
    browser
        .click_and_load("form.checkout button[type=submit]")
        .await;
    browser.wait_for_text("(test card)").await;
    browser.click_and_load("button[value=decline]").await;
    browser.wait_for("[role=alert].form-error").await;
    let alert = browser.text("[role=alert].form-error").await;
    assert!(alert.contains("Your cart is kept"), "{alert}");
    assert!(
        browser.is_present("button[value=succeed]").await,
        "the buyer may try again"
    );
    assert!(
        !browser
            .page_text()
            .await
            .contains("Thank you for your order")
    );
    assert_eq!(count(&app, "select count(*) as n from orders").await, 0);
    browser.goto(&app.storefront_url(LYON, "/cart")).await;
    browser.wait_for_text("Blue glazed mug").await;
    browser.close().await;
}

#[tokio::test]
async fn a_buyer_signs_in_in_the_browser_with_the_emailed_code() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let browser = Browser::for_app(&app).await;
    browser.goto(&app.storefront_url(LYON, "/sign-in")).await;
    assert_accessible(&browser, "sign-in").await;
    browser
        .sign_in(&app, LYON, "Buyer@Example.com", "/my/orders")
        .await;
    assert_eq!(browser.path().await, "/my/orders");
    browser.wait_for_text("No orders yet").await;
    let nav = browser.text("header.site nav").await;
    assert!(
        nav.contains("My orders") && nav.contains("Sign out") && !nav.contains("Sign in"),
        "{nav}"
    );
    browser
        .click_and_load("form[action='/sign-out'] button")
        .await;
    browser.wait_for("header.site nav a[href='/sign-in']").await;
    browser.close().await;
}

#[tokio::test]
async fn a_browser_wait_that_times_out_names_the_selector_the_url_and_the_page() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    let browser = Browser::launch_with(BrowserOptions {
        timeout: std::time::Duration::from_millis(300),
        ..BrowserOptions::for_app(&app)
    })
    .await;
    let url = app.storefront_url(LYON, "/cart");
    browser.goto(&url).await;
    let failed = tokio::spawn(async move {
        browser.wait_for("#no-such-thing").await;
    })
    .await
    .expect_err("the wait fails");
    let message = failed.into_panic();
    let message = message
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(message.contains("`#no-such-thing`"), "{message}");
    assert!(message.contains(&url), "{message}");
    assert!(message.contains("Your cart is empty"), "{message}");
}

#[tokio::test]
async fn search_filters_are_chosen_and_applied_in_the_browser() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let browser = Browser::for_app(&app).await;
    browser.goto(&app.storefront_url(LYON, "/search")).await;
    browser.wait_for("form.filters").await;
    browser.select("#f-sort", "price_asc").await;
    browser.select("#f-category", "ceramics").await;
    browser
        .set_checked("form.filters input[name=verified]", true)
        .await;
    browser
        .click_and_load("form.filters button[type=submit]")
        .await;
    browser.wait_for_path("/search?").await;
    let path = browser.path().await;
    assert!(
        path.contains("sort=price_asc")
            && path.contains("category=ceramics")
            && path.contains("verified=true"),
        "{path}"
    );
    let titles = browser.texts("main .cards .card .title").await;
    assert_eq!(
        titles,
        [
            "Blue glazed mug",
            "Speckled stoneware bowl",
            "Bud vase, ash glaze",
            "Dinner plates (set of 2)",
            "Serving platter"
        ],
        "ceramics only, cheapest first"
    );
    assert_eq!(browser.prop("#f-sort", "value").await, "price_asc");
    assert_eq!(
        browser
            .prop("form.filters input[name=verified]", "checked")
            .await,
        true,
        "the filters show what was chosen"
    );
}

/// The uuid in an element's `data-…` attribute (review queue items).
async fn data_id(browser: &Browser, css: &str, attr: &str) -> String {
    browser
        .attr(css, attr)
        .await
        .unwrap_or_else(|| panic!("{css} has no {attr}"))
}

/// The whole life of a marketplace, each person in their own browser: staff create it in the
/// control-plane console, its operator brands it and turns on reviews, an artisan opens a
/// shop and publishes a listing through the seller dashboard, the operator approves both, a
/// guest finds it by search and pays across two shops in test mode, opens the order from its
/// link, the artisan ships it and the guest sees that.
#[tokio::test]
async fn a_marketplace_goes_from_provisioning_to_a_shipped_order_in_the_browser() {
    let app = TestApp::spawn().await;

    // Krafto staff create the marketplace from a template and add its operator.
    let staff = Browser::for_app(&app).await;
    staff.goto(&app.admin_url("/")).await;
    staff.wait_for("form#sign-in").await;
    staff.fill("#email", krafto_testkit::STAFF_EMAIL).await;
    staff
        .fill("#password", krafto_testkit::STAFF_PASSWORD)
        .await;
    staff.click_and_load("#sign-in-submit").await;
    staff.wait_for("a#new-tenant-link").await;
    staff.click_and_load("a#new-tenant-link").await;
    staff.wait_for("form#create-tenant").await;
    staff.set_checked("#template-handmade", true).await;
    staff.fill("#slug", "lyon").await;
    staff.fill("#name", "Lyon Makers").await;
    staff.click_and_load("#create-tenant-submit").await;
    staff.wait_for("h1#tenant-name").await;
    assert!(staff.text("h1#tenant-name").await.contains("Lyon Makers"));
    capture(&staff, "control", "marketplace").await;
    staff.fill("#operator-email", "op@lyon.example").await;
    staff.click_and_load("#add-operator-submit").await;
    staff.wait_for("#flash").await;
    let tenant_id = staff
        .path()
        .await
        .trim_start_matches("/marketplaces/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_owned();
    staff.goto(&app.admin_url("/")).await;
    staff.wait_for("tr#tenant-lyon").await;
    capture(&staff, "control", "marketplaces").await;
    staff.close().await;

    // The operator signs in at the marketplace, brands it (the preview follows the typing)
    // and asks to review shops and listings.
    let op = Browser::for_app(&app).await;
    op.sign_in(&app, LYON, "op@lyon.example", "/admin/settings")
        .await;
    op.wait_for("form#branding").await;
    op.fill("#display_name", "Lyon Makers").await;
    op.fill("#primary_color", "#7b2d8e").await;
    op.fill("#accent_color", "#b38f3a").await;
    op.fill("#tagline", "Fait main à Lyon").await;
    let preview = op
        .eval("return getComputedStyle(document.getElementById('brand-preview')).getPropertyValue('--brand').trim();")
        .await;
    assert_eq!(preview, "#7b2d8e", "the live preview follows the form");
    capture(&op, "lyon", "admin-settings").await;
    op.click_and_load("form#branding button[type=submit]").await;
    op.wait_for_path("/admin/settings").await;
    // Ticked on the page the branding form led to, each found again by its id.
    op.set_checked("#shop_review_required", true).await;
    op.set_checked("#listing_review_required", true).await;
    op.click_and_load("form#settings button[type=submit]").await;
    op.wait_for_path("/admin/settings").await;
    assert_eq!(op.prop("#shop_review_required", "checked").await, true);
    assert_eq!(op.prop("#listing_review_required", "checked").await, true);
    op.goto(&app.storefront_url(LYON, "/")).await;
    let brand = op
        .eval(
            "return getComputedStyle(document.documentElement).getPropertyValue('--brand').trim();",
        )
        .await;
    assert_eq!(
        brand, "#7b2d8e",
        "the storefront wears the new brand at once"
    );
    assert!(op.page_text().await.contains("Fait main à Lyon"));

    // An artisan opens a shop and goes through the wizard.
    let artisan = Browser::for_app(&app).await;
    artisan
        .sign_in(&app, LYON, "camille@example.com", "/sell")
        .await;
    artisan.wait_for("form#open-shop").await;
    artisan.fill("#name", "Atelier Saône").await;
    artisan.fill("#city", "Lyon").await;
    artisan.select("#country", "FR").await;
    artisan
        .click_and_load("form#open-shop button[type=submit]")
        .await;
    artisan.wait_for_text("Your shop is open").await;
    capture(&artisan, "lyon", "sell-wizard").await;
    artisan.click_and_load("#step-profile a").await;
    artisan.wait_for("form#shop-profile").await;
    artisan
        .fill("#story", "Bowls thrown by hand by the Saône.")
        .await;
    artisan
        .fill("#profile_image_url", "https://img.example/atelier.jpg")
        .await;
    artisan
        .click_and_load("form#shop-profile button[type=submit]")
        .await;
    artisan.wait_for_text("Saved.").await;
    artisan.click_and_load("a[href='/sell']").await;
    artisan.wait_for("form#submit-shop").await;
    artisan.click_and_load("form#submit-shop button").await;
    artisan.wait_for_text("Your shop was submitted.").await;
    gets_paid_and_ships(&artisan, &app, "4.90", "1").await;
    artisan
        .goto(&app.storefront_url(LYON, "/sell/listings/new"))
        .await;
    artisan.fill("#title", "Cobalt river bowl").await;
    artisan.fill("#price", "38.00").await;
    artisan.fill("#quantity", "5").await;
    artisan
        .fill(
            "#description",
            "Stoneware thrown on the wheel, glazed in cobalt.",
        )
        .await;
    artisan
        .fill("#photo_url_0", "https://img.example/bowl.jpg")
        .await;
    artisan
        .fill("#photo_alt_0", "A cobalt-blue stoneware bowl")
        .await;
    capture(&artisan, "lyon", "sell-listing").await;
    artisan.click_and_load("#save-publish").await;
    artisan
        .wait_for_text("waiting for the marketplace's review")
        .await;

    // A second, payable shop (set up through the API) so the guest buys from two.
    let market = crate::catalog::Market {
        id: tenant_id.clone(),
        operator: app
            .operator_token(&tenant_id, "lyon", "op2@lyon.example")
            .await,
    };
    let other = crate::commerce::payable_seller(
        &app,
        LYON,
        &market,
        "fil@example.com",
        "Fil d'Argent",
        300,
        0,
    )
    .await;
    crate::catalog::live_listing(
        &app,
        LYON,
        &other.token,
        crate::catalog::listing_body("Silver river ring", 5500),
    )
    .await;
    let pending = app
        .store(
            reqwest::Method::GET,
            LYON,
            "/api/v1/admin/review-queue",
            Some(&market.operator),
            None,
        )
        .await;
    for l in pending.body["items"].as_array().into_iter().flatten() {
        if l["kind"] == "listing" && l["title"] == "Silver river ring" {
            let id = l["id"].as_str().unwrap();
            app.store(
                reqwest::Method::POST,
                LYON,
                &format!("/api/v1/admin/listings/{id}/approve"),
                Some(&market.operator),
                None,
            )
            .await;
        }
    }

    // The operator approves the artisan's shop and listing from the review queue.
    op.goto(&app.storefront_url(LYON, "/admin/review")).await;
    op.wait_for("article[data-shop]").await;
    capture(&op, "lyon", "admin-review").await;
    let shop_id = data_id(&op, "article[data-shop]", "data-shop").await;
    op.click_and_load(&format!("#approve-shop-{shop_id} button"))
        .await;
    op.wait_for_path("/admin/review").await;
    let listing_id = data_id(&op, "article[data-listing]", "data-listing").await;
    op.click_and_load(&format!("#approve-listing-{listing_id} button"))
        .await;
    op.wait_for_path("/admin/review").await;
    assert!(!op.is_present("article[data-listing]").await);

    // A guest finds the bowl by search and buys it with the ring, in one test payment.
    let guest = Browser::for_app(&app).await;
    guest.goto(&app.storefront_url(LYON, "/")).await;
    search_and_add(&guest, "cobalt", "Cobalt river bowl", 1).await;
    search_and_add(&guest, "ring", "Silver river ring", 1).await;
    assert_eq!(guest.count("section.cart-shop").await, 2);
    guest.click_and_load("a.button[href='/checkout']").await;
    guest.wait_for("form.checkout").await;
    fill_guest_details(&guest, "ada@example.com").await;
    guest
        .click_and_load("form.checkout button[type=submit]")
        .await;
    // 38.00 + 4.90 + 1.00 and 55.00 + 3.00
    guest.wait_for_text("Pay €101.90 (test card)").await;
    guest.click_and_load("button[value=succeed]").await;
    guest.wait_for_text("Thank you for your order").await;
    assert_eq!(guest.count("ul.orders li").await, 2);
    capture(&guest, "lyon", "flow-confirmation").await;
    app.drain_outbox().await;
    let mail = app
        .mails()
        .into_iter()
        .find(|m| m.contains("To: ada@example.com") && m.contains("is confirmed"))
        .expect("the buyer's confirmation e-mail");
    let bowl_link = mail
        .lines()
        .position(|l| l.contains("Atelier Saône"))
        .and_then(|i| mail.lines().nth(i + 1))
        .and_then(|l| l.strip_prefix("Follow it: "))
        .expect("the bowl's order link")
        .trim()
        .to_owned();
    guest.goto(&bowl_link).await;
    guest.wait_for_text("Status: Placed").await;
    let number = guest
        .text("main h1")
        .await
        .trim_start_matches("Order ")
        .to_owned();

    // The artisan accepts and ships it; the guest's page shows it shipped.
    artisan
        .goto(&app.storefront_url(LYON, "/sell/orders"))
        .await;
    artisan.wait_for_text(&number).await;
    artisan
        .click_and_load(&format!("a[href='/sell/orders/{number}']"))
        .await;
    artisan.wait_for("form#accept").await;
    capture(&artisan, "lyon", "sell-order").await;
    artisan.click_and_load("form#accept button").await;
    artisan.wait_for("form#ship").await;
    artisan.fill("#tracking_number", "6A00112233").await;
    artisan.click_and_load("form#ship button").await;
    artisan.wait_for_text("Status: Shipped").await;
    artisan
        .goto(&app.storefront_url(LYON, "/sell/payouts"))
        .await;
    artisan.wait_for_text(&number).await;
    capture(&artisan, "lyon", "sell-payouts").await;

    guest.goto(&bowl_link).await;
    guest.wait_for_text("Status: Shipped").await;
    assert!(guest.page_text().await.contains("6A00112233"));
    capture(&guest, "lyon", "flow-order-shipped").await;
    for b in [guest, artisan, op] {
        b.close().await;
    }
}

/// A guest buys (changing the quantity in the cart first), then signs in with the e-mail
/// of that checkout and finds the order under My orders; their account page fits a phone.
#[tokio::test]
async fn a_guest_buys_signs_in_with_that_email_and_finds_the_order() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let browser = Browser::for_app(&app).await;
    browser.goto(&app.storefront_url(LYON, "/")).await;
    search_and_add(&browser, "stoneware", "Speckled stoneware bowl", 1).await;
    assert_eq!(browser.text("header.site a.cart-link").await, "Cart (1)");
    browser
        .fill("section.cart-shop input[name=quantity]", "2")
        .await;
    browser.click_and_load("form.qty button[type=submit]").await;
    browser.wait_for_text("Cart (2)").await;
    assert!(browser.text(".cart-total").await.contains("€70.90"));
    browser.click_and_load("a.button[href='/checkout']").await;
    browser.wait_for("form.checkout").await;
    let summary = browser.text("#checkout-summary").await;
    assert!(
        summary.contains("2 × Speckled stoneware bowl") && summary.contains("Colissimo"),
        "{summary}"
    );
    capture(&browser, "lyon", "checkout").await;
    fill_guest_details(&browser, "grace@example.com").await;
    browser
        .click_and_load("form.checkout button[type=submit]")
        .await;
    browser.wait_for_text("(test card)").await;
    browser.click_and_load("button[value=succeed]").await;
    browser.wait_for_text("Thank you for your order").await;
    let done = browser.text("#done-summary").await;
    assert!(
        done.contains("2 × Speckled stoneware bowl") && done.contains("69002 Lyon"),
        "{done}"
    );
    let number = browser
        .text("ul.orders li a")
        .await
        .trim_start_matches("Order ")
        .to_owned();
    assert!(number.starts_with("LYON-"), "{number}");

    // Later, Grace signs in with the address she gave: the order is hers.
    browser
        .sign_in(&app, LYON, "grace@example.com", "/my/orders")
        .await;
    browser.wait_for_text(&number).await;
    browser
        .click_and_load_with_text("ul.orders a", &number)
        .await;
    browser.wait_for_text("Status: Placed").await;
    assert!(browser.text("#ship-to").await.contains("3 rue Mercière"));
    browser.goto(&app.storefront_url(LYON, "/account")).await;
    browser.wait_for("#new-address").await;
    assert_accessible(&browser, "account").await;
    capture(&browser, "lyon", "account").await;
    browser.close().await;
}

#[tokio::test]
async fn a_seller_uploads_a_photo_on_the_listing_form_and_the_listing_shows_it_in_three_sizes() {
    use krafto_testkit::{ListingBuilder, ShopBuilder, TenantBuilder};
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier Bleu")
        .owner_email("potter@example.com")
        .build(&app)
        .await;
    let listing = ListingBuilder::new(&shop, "Speckled bowl")
        .build(&app)
        .await;
    let file = std::env::temp_dir().join(format!("krafto-bowl-{}.jpg", listing.id.simple()));
    std::fs::write(
        &file,
        krafto_media::pipeline::samples::jpeg_with_gps(1600, 1200),
    )
    .unwrap();

    let browser = Browser::for_app(&app).await;
    let form = format!("/sell/listings/{}", listing.id);
    browser
        .sign_in(&app, LYON, "potter@example.com", &form)
        .await;
    browser.wait_for("form#upload-form").await;
    browser.choose_file("#photo-files", &file).await;
    browser.fill("#photo-alt", "The bowl in daylight").await;
    browser.click_and_load("#upload-photos").await;
    browser.wait_for(".uploaded-photos img").await;
    let srcset = browser
        .attr(".uploaded-photos img", "srcset")
        .await
        .unwrap_or_default();
    assert_eq!(srcset.matches(".webp ").count(), 3, "{srcset}");
    capture(&browser, "lyon", "seller-listing-photos").await;

    browser
        .goto(&app.storefront_url(LYON, &format!("/listings/{}", listing.id)))
        .await;
    browser.wait_for("section.gallery img").await;
    let first = "section.gallery img:first-child";
    let srcset = browser.attr(first, "srcset").await.unwrap_or_default();
    let widths: Vec<&str> = srcset
        .split(", ")
        .filter_map(|c| c.split(' ').nth(1))
        .collect();
    assert_eq!(widths, ["320w", "640w", "1280w"], "{srcset}");
    assert_eq!(
        browser.attr(first, "alt").await.as_deref(),
        Some("The bowl in daylight")
    );
    // The browser really loaded one of the three sizes.
    let loaded = browser
        .eval(
            "const i = document.querySelector('section.gallery img'); \
             return [i.complete, i.naturalWidth, i.currentSrc];",
        )
        .await;
    // (naturalWidth is the chosen file's width scaled by its `w` descriptor: not checked.)
    assert_eq!(loaded[0], true, "{loaded}");
    let current = loaded[2].as_str().unwrap_or("");
    assert!(
        current.contains("/media/")
            && ["/320.webp", "/640.webp", "/1280.webp"]
                .iter()
                .any(|w| current.ends_with(w)),
        "{loaded}"
    );
    browser.close().await;
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn a_sellers_orders_and_an_order_fit_a_390_px_phone_without_scrolling_sideways() {
    use krafto_testkit::{ListingBuilder, OrderBuilder, ShopBuilder, TenantBuilder};
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier des Pentes de la Croix-Rousse")
        .owner_email("potter@example.com")
        .build(&app)
        .await;
    let bowl = ListingBuilder::new(&shop, "Speckled stoneware serving bowl, glazed in cobalt")
        .stock(20)
        .build(&app)
        .await;
    let mug = ListingBuilder::new(&shop, "Mug")
        .stock(20)
        .build(&app)
        .await;
    let mut numbers = Vec::new();
    for quantity in 1..=3 {
        let order = OrderBuilder::new(&lyon)
            .line(&bowl, quantity)
            .line(&mug, 1)
            .build(&app)
            .await;
        numbers.push(order.number().to_owned());
    }

    let browser = Browser::for_app(&app).await;
    browser
        .sign_in(&app, LYON, "potter@example.com", "/sell/orders")
        .await;
    browser.set_size(390, 844).await;
    let order = format!("/sell/orders/{}", numbers[0]);
    for (path, table) in [
        ("/sell/orders", "#orders"),
        (order.as_str(), "#order-lines"),
    ] {
        browser.goto(&app.storefront_url(LYON, path)).await;
        browser.wait_for(table).await;
        let m = browser
            .eval("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        assert_eq!(m[1], 390, "{m}");
        assert!(
            m[0].as_i64().unwrap() <= m[1].as_i64().unwrap(),
            "{path} scrolls sideways at 390 px: {}",
            browser.eval(OVERFLOW_JS).await
        );
        // On a phone the table is a stack of cards, each value named.
        assert_eq!(
            browser.css(&format!("{table} tbody tr"), "display").await,
            "block"
        );
        let label = browser
            .eval(&format!(
                "return getComputedStyle(document.querySelector('{table} tbody td'), '::before').content;"
            ))
            .await;
        assert_ne!(label.as_str().unwrap_or("none"), "none", "{path}: {label}");
    }
    assert_eq!(
        browser.count("#orders tbody tr").await,
        0,
        "the last page was the order"
    );
    browser
        .goto(&app.storefront_url(LYON, "/sell/orders"))
        .await;
    browser.wait_for("#orders").await;
    assert_eq!(browser.count("#orders tbody tr").await, 3);
    capture(&browser, "lyon", "seller-orders").await;
    browser.goto(&app.storefront_url(LYON, &order)).await;
    browser.wait_for("#order-lines").await;
    capture(&browser, "lyon", "seller-order").await;
    browser.close().await;
}

#[tokio::test]
async fn a_seller_uploads_a_shop_logo_and_banner_and_the_shop_page_shows_them_at_every_size() {
    use krafto_testkit::{ShopBuilder, TenantBuilder, UserBuilder};
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier Bleu")
        .owner_email("potter@example.com")
        .build(&app)
        .await;
    UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let dir = std::env::temp_dir();
    let logo = dir.join(format!("krafto-logo-{}.jpg", shop.id().simple()));
    let banner = dir.join(format!("krafto-banner-{}.png", shop.id().simple()));
    let brand = dir.join(format!("krafto-brand-{}.png", shop.id().simple()));
    let samples = |w, h| krafto_media::pipeline::samples::png(w, h);
    std::fs::write(
        &logo,
        krafto_media::pipeline::samples::jpeg_with_gps(1400, 1400),
    )
    .unwrap();
    std::fs::write(&banner, samples(2400, 800)).unwrap();
    std::fs::write(&brand, samples(480, 160)).unwrap();

    let browser = Browser::for_app(&app).await;
    browser
        .sign_in(&app, LYON, "potter@example.com", "/sell/shop")
        .await;
    browser.wait_for("form#logo-upload").await;
    browser.choose_file("#logo-file", &logo).await;
    browser.click_and_load("#logo-upload button").await;
    browser.wait_for("#logo-preview").await;
    browser.choose_file("#banner-file", &banner).await;
    browser.click_and_load("#banner-upload button").await;
    browser.wait_for("#banner-preview").await;
    capture(&browser, "lyon", "seller-shop-pictures").await;

    browser
        .goto(&app.storefront_url(LYON, &format!("/shops/{}", shop.shop.slug)))
        .await;
    browser.wait_for("#shop-banner").await;
    for img in ["#shop-banner", "#shop-logo"] {
        let srcset = browser.attr(img, "srcset").await.unwrap_or_default();
        let widths: Vec<&str> = srcset
            .split(", ")
            .filter_map(|c| c.split(' ').nth(1))
            .collect();
        assert_eq!(widths, ["320w", "640w", "1280w"], "{img}: {srcset}");
        let loaded = browser
            .eval(&format!(
                "const i = document.querySelector('{img}'); return [i.complete, i.naturalWidth > 0, i.currentSrc];"
            ))
            .await;
        assert_eq!(
            (&loaded[0], &loaded[1]),
            (&true.into(), &true.into()),
            "{img}: {loaded}"
        );
    }
    capture(&browser, "lyon", "shop-with-pictures").await;

    // The operator's logo heads every page, the seller's included.
    let operator = Browser::for_app(&app).await;
    operator
        .sign_in(&app, LYON, "op@lyon.example", "/admin/settings")
        .await;
    operator.wait_for("form#logo-upload").await;
    operator.choose_file("#logo-file", &brand).await;
    operator.click_and_load("#logo-upload button").await;
    operator.wait_for("#logo-preview").await;
    capture(&operator, "lyon", "console-settings-logo").await;
    operator.goto(&app.storefront_url(LYON, "/")).await;
    operator.wait_for("header.site .logo img").await;
    let srcset = operator
        .attr("header.site .logo img", "srcset")
        .await
        .unwrap_or_default();
    assert_eq!(srcset.matches(".webp ").count(), 2, "{srcset}");
    let shown = operator
        .eval("const i = document.querySelector('header.site .logo img'); return [i.complete, i.getBoundingClientRect().height];")
        .await;
    assert_eq!(shown[0], true, "{shown}");
    // 40 pixels tall, give or take the rounding of the variant's height.
    let height = shown[1].as_f64().unwrap_or_default();
    assert!((height - 40.0).abs() < 1.0, "{shown}");
    capture(&operator, "lyon", "home-with-logo").await;
    operator.close().await;
    browser.close().await;
    for f in [logo, banner, brand] {
        let _ = std::fs::remove_file(f);
    }
}
