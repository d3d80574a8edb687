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
}

const BRANDS: [Brand; 2] = [
    Brand {
        slug: "lyon",
        host: LYON,
        name: "Lyon Makers",
        tagline: "Fait main <em>à Lyon</em> & alentours",
        brand: "#8a4b2a",
        brand_rgb: "rgb(138, 75, 42)",
        query: "stoneware",
        listing: "Speckled stoneware bowl",
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
async fn capture(browser: &Browser, tenant: &str, page: &str) {
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
/// the first Tab lands on a visible "Skip to content" link that leads to `<main>`, and every
/// form control has a label.
async fn assert_accessible(browser: &Browser, page: &str) {
    browser.press(keys::TAB).await;
    let focused = browser.focused().await;
    assert!(
        focused.starts_with("a.skip") && focused.contains("Skip to content"),
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
    let header = browser.find("header.site").await;
    assert_eq!(
        header.css("border-bottom-color").await,
        b.brand_rgb,
        "{} {page}: the header's brand border",
        b.slug
    );
    let logo = browser.find("header.site .logo").await;
    assert_eq!(logo.css("color").await, b.brand_rgb);
    assert_eq!(logo.text().await, b.name);
    assert_eq!(
        browser
            .find("header.site form.search button")
            .await
            .css("background-color")
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
async fn fill_guest_details(browser: &Browser, email: &str) {
    for (field, value) in [
        ("#email", email),
        ("#phone", "+33 6 12 34 56 78"),
        ("#name", "Ada Lovelace"),
        ("#line1", "3 rue Mercière"),
        ("#postal_code", "69002"),
        ("#city", "Lyon"),
        ("#country", "FR"),
    ] {
        browser.fill(field, value).await;
    }
}

/// Searches from the header box, opens the result titled `title` and adds `quantity` of it
/// to the cart; ends on the cart page.
async fn search_and_add(browser: &Browser, query: &str, title: &str, quantity: u32) {
    browser.fill("#site-q", query).await;
    browser.press(keys::ENTER).await;
    browser.wait_for_path("/search").await;
    browser
        .wait_for_text(&format!("Results for “{query}”"))
        .await;
    let cards = browser.find_all("main .cards .card a").await;
    let mut found = None;
    for c in cards {
        if c.text().await.contains(title) {
            found = Some(c);
            break;
        }
    }
    found
        .unwrap_or_else(|| panic!("no result titled {title:?} for {query:?}"))
        .click()
        .await;
    browser.wait_for_path("/listings/").await;
    assert_eq!(browser.text("main h1").await, title);
    browser.fill("#quantity", &quantity.to_string()).await;
    browser.click("form.add button[type=submit]").await;
    browser.wait_for_path("/cart").await;
    browser.wait_for_text("Your cart").await;
}

#[tokio::test]
async fn two_marketplaces_render_in_their_own_brand_on_desktop_and_mobile() {
    let app = TestApp::spawn().await;
    branded_marketplaces(&app).await;
    platform::demo::seed_catalog(&app.settings).await.unwrap();
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
        browser.click("header.site form.search button").await;
        browser.wait_for_path("/search").await;
        browser.wait_for_text(b.listing).await;
        assert_accessible(&browser, &format!("{t} search")).await;
        assert_eq!(
            browser.find("#site-q").await.prop("value").await,
            b.query,
            "the search box keeps the words"
        );
        capture(&browser, t, "search").await;

        browser.click("main .cards .card a").await;
        browser.wait_for_path("/listings/").await;
        assert_accessible(&browser, &format!("{t} product")).await;
        assert_eq!(browser.text("main h1").await, b.listing);
        assert_branded(&browser, b, "product").await;
        assert_eq!(
            browser
                .find("form.add button[type=submit]")
                .await
                .css("background-color")
                .await,
            b.brand_rgb
        );
        capture(&browser, t, "product").await;

        browser.click("form.add button[type=submit]").await;
        browser.wait_for_path("/cart").await;
        browser.wait_for_text("Check out").await;
        assert_accessible(&browser, &format!("{t} cart")).await;
        assert_branded(&browser, b, "cart").await;
        capture(&browser, t, "cart").await;

        browser.click("a.button[href='/checkout']").await;
        browser.wait_for_path("/checkout").await;
        browser.wait_for("form.checkout").await;
        assert_accessible(&browser, &format!("{t} checkout")).await;
        capture(&browser, t, "checkout").await;
        fill_guest_details(&browser, &format!("buyer@{t}.example")).await;
        browser.click("form.checkout button[type=submit]").await;
        browser.wait_for_text("(test card)").await;
        capture(&browser, t, "payment").await;
        browser.click("button[value=succeed]").await;
        browser.wait_for_text("Thank you for your order").await;
        assert_accessible(&browser, &format!("{t} confirmation")).await;
        assert_branded(&browser, b, "confirmation").await;
        capture(&browser, t, "confirmation").await;

        browser.click("ul.orders a").await;
        browser.wait_for_path("/orders/").await;
        browser.wait_for_text("Status: Placed").await;
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
    platform::demo::seed_catalog(&app.settings).await.unwrap();
    let browser = Browser::for_app(&app).await;
    browser.goto(&app.storefront_url(LYON, "/")).await;
    search_and_add(&browser, "stoneware", "Speckled stoneware bowl", 2).await;
    search_and_add(&browser, "silver", "Hammered silver ring", 1).await;

    // The cart: one section per shop, each with its delivery; one total.
    let shops = browser.find_all("section.cart-shop h2").await;
    let mut names = Vec::new();
    for s in &shops {
        names.push(s.text().await);
    }
    assert_eq!(names, ["Atelier Terre", "Fil d'Or"], "one section per shop");
    let cart = browser.page_text().await;
    assert!(cart.contains("× 2") && cart.contains("64.00 EUR"), "{cart}");
    // 2 × 32.00 + 65.00 + delivery (4.90 + 2 × 1.00) + (4.90 + 1.00) = 141.80
    assert!(browser.text(".cart-total").await.contains("141.80 EUR"));
    browser.click("a.button[href='/checkout']").await;
    browser.wait_for("form.checkout").await;
    assert!(browser.page_text().await.contains("2 shops, one payment"));

    // A mistake is shown next to its field, and what was typed stays.
    fill_guest_details(&browser, "not-an-email").await;
    browser.fill("#city", "").await;
    browser.click("form.checkout button[type=submit]").await;
    browser.wait_for("#email[aria-invalid=true]").await;
    assert_eq!(
        browser.find("#email").await.prop("value").await,
        "not-an-email"
    );
    assert_eq!(
        browser
            .find("#email")
            .await
            .attr("aria-describedby")
            .await
            .as_deref(),
        Some("email-error")
    );
    assert!(!browser.text("#email-error").await.is_empty());
    assert!(browser.try_find("#city[aria-invalid=true]").await.is_some());
    assert!(browser.try_find("#name[aria-invalid=true]").await.is_none());
    assert_eq!(
        count(&app, "select count(*) as n from checkouts").await,
        0,
        "nothing is held for a form with mistakes"
    );

    fill_guest_details(&browser, "ada@example.com").await;
    browser.click("form.checkout button[type=submit]").await;
    browser.wait_for_text("Pay 141.80 EUR (test card)").await;
    assert!(browser.path().await.contains("/pay?secret="));
    browser.click("button[value=succeed]").await;
    browser.wait_for_text("Thank you for your order").await;
    assert!(browser.page_text().await.contains("ada@example.com"));
    let orders = browser.find_all("ul.orders li").await;
    assert_eq!(orders.len(), 2, "one order per shop");
    let mut lines = Vec::new();
    for o in &orders {
        lines.push(o.text().await);
    }
    assert!(
        lines.iter().any(|l| l.contains("Atelier Terre"))
            && lines.iter().any(|l| l.contains("Fil d'Or")),
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
        .position(|l| l.contains("Fil d'Or"))
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
    browser.wait_for_text("Not found").await;
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
    platform::demo::seed_catalog(&app.settings).await.unwrap();
    let browser = Browser::for_app(&app).await;
    browser.goto(&app.storefront_url(LYON, "/")).await;
    search_and_add(&browser, "mug", "Blue glazed mug", 1).await;
    browser.click("a.button[href='/checkout']").await;
    browser.wait_for("form.checkout").await;
    fill_guest_details(&browser, "ada@example.com").await;
    browser.click("form.checkout button[type=submit]").await;
    browser.wait_for_text("(test card)").await;
    browser.click("button[value=decline]").await;
    browser.wait_for("[role=alert].form-error").await;
    let alert = browser.text("[role=alert].form-error").await;
    assert!(alert.contains("Your cart is kept"), "{alert}");
    assert!(
        browser.try_find("button[value=succeed]").await.is_some(),
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
    browser.click("form[action='/sign-out'] button").await;
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
    platform::demo::seed_catalog(&app.settings).await.unwrap();
    let browser = Browser::for_app(&app).await;
    browser.goto(&app.storefront_url(LYON, "/search")).await;
    browser.wait_for("form.filters").await;
    browser.select("#f-sort", "price_asc").await;
    browser.select("#f-category", "ceramics").await;
    browser.click("form.filters input[name=verified]").await;
    browser.click("form.filters button[type=submit]").await;
    browser.wait_for_path("/search?").await;
    let path = browser.path().await;
    assert!(
        path.contains("sort=price_asc")
            && path.contains("category=ceramics")
            && path.contains("verified=true"),
        "{path}"
    );
    let mut titles = Vec::new();
    for t in browser.find_all("main .cards .card .title").await {
        titles.push(t.text().await);
    }
    assert_eq!(
        titles,
        [
            "Blue glazed mug",
            "Speckled stoneware bowl",
            "Serving platter"
        ],
        "ceramics only, cheapest first"
    );
    assert_eq!(
        browser.find("#f-sort").await.prop("value").await,
        "price_asc"
    );
    assert_eq!(
        browser
            .find("form.filters input[name=verified]")
            .await
            .prop("checked")
            .await,
        true,
        "the filters show what was chosen"
    );
}
