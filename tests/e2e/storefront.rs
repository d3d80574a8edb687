//! The server-rendered storefront: each marketplace's pages in its own brand, built from the
//! same catalog and search code as the API.

use crate::catalog::LYON;
use krafto_testkit::{PostedFrom, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn page(app: &TestApp, host: &str, path: &str) -> (StatusCode, String, String) {
    let r = app
        .http
        .get(format!("http://{}{path}", app.platforms[0]))
        .header("host", host)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let content_type = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, r.text().await.unwrap())
}

/// Two marketplaces in their own brands: `lyon` (handmade, French, a tagline with markup to
/// escape) and `ferme` (farm). The demo catalogue (`app.demo_catalog()`) fills both.
pub(crate) async fn branded_marketplaces(app: &TestApp) {
    app.create_tenant_with(json!({
        "slug": "lyon", "name": "Lyon Makers", "template": "handmade", "locale": "fr-FR",
        "branding": { "display_name": "Lyon Makers", "primary_color": "#8a4b2a", "accent_color": "#ac914e",
                      "tagline": "Fait main <em>à Lyon</em> & alentours" }
    }))
    .await;
    app.create_tenant_with(json!({
        "slug": "ferme", "name": "La Ferme", "template": "farm",
        "branding": { "display_name": "La Ferme du Coin", "primary_color": "#2a6f3b", "accent_color": "#c88549",
                      "tagline": "Du champ à la table" }
    }))
    .await;
}

#[tokio::test]
async fn a_french_marketplaces_buyer_pages_contain_no_english() {
    let app = TestApp::spawn().await;
    branded_marketplaces(&app).await;
    app.demo_catalog().await;
    // A French marketplace's demo catalogue is written in French.
    let found = app
        .store(Method::GET, LYON, "/api/v1/store/search?q=bol", None, None)
        .await;
    assert_eq!(found.body["items"][0]["title"], "Bol en grès moucheté");
    let id = found.body["items"][0]["id"].as_str().unwrap().to_owned();
    let cases = [
        ("/", StatusCode::OK),
        ("/search?q=bol", StatusCode::OK),
        ("/search?q=zzzzzz", StatusCode::OK),
        (&format!("/listings/{id}") as &str, StatusCode::OK),
        ("/shops/atelier-terre", StatusCode::OK),
        ("/cart", StatusCode::OK),
        ("/sign-in", StatusCode::OK),
        ("/listings/not-an-id", StatusCode::NOT_FOUND),
        ("/no/such/page", StatusCode::NOT_FOUND),
    ];
    for (path, expected) in cases {
        let (status, _, html) = page(&app, LYON, path).await;
        assert_eq!(status, expected, "{path}: {html}");
        assert!(html.contains(r#"<html lang="fr">"#), "{path}: {html}");
        // The catalogue's own words (demo titles, category names) are the sellers' and the
        // operator's: only the site's words are checked.
        let text = krafto_testkit::visible_text(&html);
        let english = krafto_i18n::english_words_in(&text);
        assert!(
            english.is_empty(),
            "{path}: English on a French page: {english:?}\n{text}"
        );
    }
    // The buyer's own pages, signed in, and a cart on its way to checkout.
    let (token, _) = app.sign_in(LYON, "zoe@example.com").await;
    let mut session = krafto_testkit::WebSession::storefront(&app, LYON, Some(&token));
    let saved = session
        .post(
            "/account/addresses",
            &[
                ("name", "Zoé"),
                ("line1", "3 rue Mercière"),
                ("postal_code", "69002"),
                ("city", "Lyon"),
                ("country", "FR"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    let added = session
        .post("/cart/add", &[("listing_id", &id), ("quantity", "1")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    let account = session.get("/account").await;
    let address = account
        .text
        .split(r#"href="/account/addresses/"#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    for path in [
        "/account?done=address".to_owned(),
        format!("/account/addresses/{address}"),
        "/account/delete".to_owned(),
        "/my/orders".to_owned(),
        "/cart".to_owned(),
        "/checkout".to_owned(),
    ] {
        let r = session.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert!(r.text.contains(r#"<html lang="fr">"#), "{path}");
        let text = krafto_testkit::visible_text(&r.text);
        let english = krafto_i18n::english_words_in(&text);
        assert!(
            english.is_empty(),
            "{path}: English on a French page: {english:?}\n{text}"
        );
    }
    // Its e-mails speak French too.
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/auth/otp/start",
            None,
            Some(json!({ "email": "ana@example.com" })),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.text);
    let mails = app.mails();
    let mail = mails.last().unwrap();
    assert!(
        mail.contains("est votre code de connexion à Lyon Makers"),
        "{mail}"
    );
    assert!(mail.contains("Il expire dans 10 minutes"), "{mail}");
    assert!(krafto_i18n::english_words_in(mail).is_empty(), "{mail}");
}

#[tokio::test]
async fn a_french_marketplaces_seller_and_operator_pages_contain_no_english() {
    let app = TestApp::spawn().await;
    let lyon = krafto_testkit::TenantBuilder::new("lyon")
        .locale("fr-FR")
        .build(&app)
        .await;
    let shop = krafto_testkit::ShopBuilder::new(&lyon, "Atelier Terre")
        .build(&app)
        .await;
    let operator = krafto_testkit::UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let pages = [
        (shop.token(), "/sell"),
        (shop.token(), "/sell/listings"),
        (shop.token(), "/sell/listings/new"),
        (shop.token(), "/sell/orders"),
        (shop.token(), "/sell/payouts"),
        (shop.token(), "/sell/shop"),
        (shop.token(), "/sell/shipping"),
        (shop.token(), "/sell/verification"),
        (shop.token(), "/sell/import"),
        (operator.token.as_str(), "/admin"),
        (operator.token.as_str(), "/admin/review"),
        (operator.token.as_str(), "/admin/reports"),
        (operator.token.as_str(), "/admin/orders"),
        (operator.token.as_str(), "/admin/categories"),
        (operator.token.as_str(), "/admin/settings"),
        (operator.token.as_str(), "/admin/audit"),
    ];
    for (token, path) in pages {
        let mut session = krafto_testkit::WebSession::storefront(&app, LYON, Some(token));
        let r = session.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
        assert!(r.text.contains(r#"<html lang="fr">"#), "{path}");
        let text = krafto_testkit::visible_text(&r.text);
        let english = krafto_i18n::english_words_in(&text);
        assert!(
            english.is_empty(),
            "{path}: English on a French page: {english:?}\n{text}"
        );
    }
}

#[tokio::test]
async fn each_marketplace_renders_its_home_page_in_its_own_brand() {
    let app = TestApp::spawn().await;
    branded_marketplaces(&app).await;
    let (status, content_type, lyon) = page(&app, LYON, "/").await;
    assert_eq!(status, StatusCode::OK, "{lyon}");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(
        lyon.contains("--brand: #8a4b2a"),
        "the brand colour is a CSS variable"
    );
    assert!(lyon.contains("--accent: #ac914e"));
    assert!(lyon.contains("<h1>Lyon Makers</h1>"));
    assert!(lyon.contains(r#"<html lang="fr">"#));
    // Operator text is escaped, never interpreted.
    assert!(
        lyon.contains("Fait main &#60;em&#62;à Lyon&#60;/em&#62; &#38; alentours")
            || lyon.contains("Fait main &lt;em&gt;à Lyon&lt;/em&gt; &amp; alentours"),
        "{lyon}"
    );
    assert!(!lyon.contains("<em>à Lyon</em>"));
    // Lyon speaks French: its chrome and home page are in French, with no English left.
    assert!(lyon.contains("Devenir vendeur"), "{lyon}");
    assert!(lyon.contains("Mode test"), "test payments are labelled");
    let english = krafto_i18n::english_words_in(&krafto_testkit::visible_text(&lyon));
    assert!(english.is_empty(), "English on a French page: {english:?}");
    // A visitor may switch to English; the choice is remembered.
    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_follow
        .get(format!("http://{}/language/en", app.platforms[0]))
        .header("host", LYON)
        .header("referer", format!("http://{LYON}/search?q=bol"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/search?q=bol");
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("krafto_lang=en;"), "{cookie}");
    let english = app
        .http
        .get(format!("http://{}/", app.platforms[0]))
        .header("host", LYON)
        .header("cookie", cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains(r#"<html lang="en">"#));
    assert!(english.contains("Become a seller"));
    assert!(
        english.contains(r#"href="/language/fr""#),
        "the way back to French"
    );
    assert!(
        lyon.contains("Bijoux") && !lyon.contains("Jewellery"),
        "the marketplace's top categories, in its language"
    );
    assert!(
        english.contains("Jewellery") && !english.contains("Bijoux"),
        "the categories in the visitor's language"
    );
    assert!(!lyon.contains("La Ferme du Coin"));
    let (_, _, ferme) = page(&app, "ferme.krafto.test", "/").await;
    assert!(ferme.contains("--brand: #2a6f3b"));
    assert!(ferme.contains("<h1>La Ferme du Coin</h1>"));
    assert!(ferme.contains("Vegetables"));
    assert!(
        ferme.contains(r#"placeholder="Search fresh produce""#),
        "the search box speaks the marketplace's kind"
    );
    assert!(!ferme.contains("Lyon Makers"));
    assert!(!ferme.contains("Jewellery"));
    // An unknown host gets no storefront.
    let (status, _, _) = page(&app, "nowhere.krafto.test", "/").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_home_page_shows_live_listings_and_featured_shops_of_its_marketplace_only() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.create_tenant_with(json!({ "slug": "ferme", "name": "La Ferme", "template": "farm" }))
        .await;
    let (_, _, empty) = page(&app, LYON, "/").await;
    assert!(empty.contains("Nothing on sale yet"));
    app.demo_catalog().await;
    let (_, _, lyon) = page(&app, LYON, "/").await;
    // The newest listings, as the search finds them, with their prices.
    let newest = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/search?sort=newest&limit=8",
            None,
            None,
        )
        .await;
    let items = newest.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    for item in items {
        let title = item["title"].as_str().unwrap();
        assert!(lyon.contains(title), "{title} missing from the page");
        // An English marketplace writes prices the English way.
        let p = item["price_minor"].as_i64().unwrap();
        let price = format!("€{}.{:02}", p / 100, p % 100);
        assert!(lyon.contains(&price), "{price} missing from the page");
    }
    let shops: std::collections::BTreeSet<&str> = items
        .iter()
        .map(|i| i["shop"]["slug"].as_str().unwrap())
        .collect();
    assert!(
        shops.len() >= 3,
        "the newest come from several shops: {shops:?}"
    );
    // The featured shops: the most recently active, escaped as HTML.
    for text in ["Fil d’Or", "✓ Verified", "/shops/presse-et-papier"] {
        assert!(lyon.contains(text), "{text} missing from the page");
    }
    assert!(
        ["Presse &amp; Papier", "Presse &#38; Papier"]
            .iter()
            .any(|t| lyon.contains(t)),
        "{lyon}"
    );
    assert!(!lyon.contains("Ferme des Saules"));
    assert!(!lyon.contains("goat cheese"));
    // Every picture has a text alternative (empty only for decorative ones).
    let images: Vec<&str> = lyon
        .split("<img")
        .skip(1)
        .map(|t| t.split('>').next().unwrap())
        .collect();
    assert!(images.len() >= 5, "{images:?}");
    assert!(images.iter().all(|t| t.contains(" alt=")), "{images:?}");
    let r = app
        .store(Method::GET, LYON, "/api/v1/store/tenant", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn the_stylesheet_and_scripts_are_served() {
    let app = TestApp::spawn().await;
    let (status, ct, css) = page(&app, "any.host", "/assets/krafto.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/css"));
    assert!(css.contains("var(--brand)"));
    let (status, ct, js) = page(&app, "any.host", "/assets/htmx-2.0.11.min.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/javascript"));
    assert!(js.starts_with("var htmx="));
    let (status, ct, js) = page(&app, "any.host", "/assets/krafto.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/javascript"));
    assert!(
        js.contains("brand-preview") && js.contains("csv-file"),
        "{js}"
    );
    let (status, _, _) = page(&app, "any.host", "/assets/..%2Fsecret.css").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn product_and_shop_pages_show_what_buyers_may_see_and_nothing_else() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.create_tenant_with(json!({ "slug": "ferme", "name": "La Ferme", "template": "farm" }))
        .await;
    app.demo_catalog().await;
    let found = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/search?q=stoneware",
            None,
            None,
        )
        .await;
    let id = found.body["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, _, html) = page(&app, LYON, &format!("/listings/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    for text in [
        "<h1>Speckled stoneware bowl</h1>",
        "€32.00",
        "Add to cart",
        "12 in stock",
        "Colissimo",
        "€4.90 + €1.00 per item",
        "2–4 days",
        "✓ Verified seller",
        "/shops/atelier-terre",
        "Report this listing",
        "You may also like",
        "Blue glazed mug",
    ] {
        assert!(html.contains(text), "{text} missing");
    }
    // Another marketplace's listing, or a made-up one, is not found here.
    let farm = app
        .store(
            Method::GET,
            "ferme.krafto.test",
            "/api/v1/store/search?q=eggs",
            None,
            None,
        )
        .await;
    let egg = farm.body["items"][0]["id"].as_str().unwrap();
    let (status, _, html) = page(&app, LYON, &format!("/listings/{egg}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("<h1>Page not found</h1>") && html.contains("Market lyon"),
        "a branded 404 page: {html}"
    );
    // It says nothing of the machinery: no id, no API words.
    assert!(
        !html.contains(egg) && !html.contains("listing_not_found"),
        "{html}"
    );
    assert_eq!(
        page(&app, LYON, "/listings/not-a-uuid").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _, shop) = page(&app, LYON, "/shops/atelier-terre").await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "<h1>Atelier Terre</h1>",
        "✓ Verified seller",
        "Lyon, France",
        "Serving platter",
        "Returns within 14 days",
    ] {
        assert!(shop.contains(text), "{text} missing from the shop page");
    }
    assert_eq!(
        page(&app, LYON, "/shops/ferme-des-saules").await.0,
        StatusCode::NOT_FOUND
    );
}

/// A guest buys across two shops through the pages alone: cart, checkout with inline
/// validation, test payment, confirmation, order page by its link.
#[tokio::test]
async fn a_guest_buys_from_two_shops_through_the_storefront_pages() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://{}", app.platforms[0]);
    let id_of = |q: &'static str| {
        let app = &app;
        async move {
            let r = app
                .store(
                    Method::GET,
                    LYON,
                    &format!("/api/v1/store/search?q={q}"),
                    None,
                    None,
                )
                .await;
            r.body["items"][0]["id"].as_str().unwrap().to_owned()
        }
    };
    let bowl = id_of("stoneware").await;
    let ring = id_of("silver").await;
    // The forms are posted as from the pages the guest opened.
    let guest = app.page_token(LYON, None).await;
    let added = http
        .post(format!("{base}/cart/add"))
        .header("host", LYON)
        .posted_from(&guest)
        .form(&[("listing_id", bowl.as_str()), ("quantity", "2")])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    assert_eq!(added.headers()["location"], "/cart");
    let cookie = added.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        added.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("HttpOnly")
    );
    let again = http
        .post(format!("{base}/cart/add"))
        .header("host", LYON)
        .header("cookie", &cookie)
        .posted_from(&guest)
        .form(&[("listing_id", ring.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    assert!(again.headers().get("set-cookie").is_none(), "the same cart");
    let get = |path: String| {
        let (http, cookie, base) = (&http, &cookie, &base);
        async move {
            let r = http
                .get(format!("{base}{path}"))
                .header("host", LYON)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (status, cart) = get("/cart".to_owned()).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Atelier Terre",
        "Fil d",
        "Speckled stoneware bowl",
        r#"name="quantity" type="number" min="1""#,
        r#"value="2""#,
        "€64.00",
        "Colissimo",
        "Check out",
    ] {
        assert!(cart.contains(text), "{text} missing from the cart");
    }
    // 2 × 32.00 + 65.00 + delivery (4.90 + 2 × 1.00) + (4.90 + 1.00) = 141.80
    assert!(cart.contains("€141.80"), "{cart}");
    let (_, form) = get("/checkout".to_owned()).await;
    let key = form
        .split(r#"name="idempotency_key" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(form.contains("€141.80") && form.contains("2 shops, one payment"));
    let post = |fields: Vec<(&'static str, String)>| {
        let (http, cookie, base, guest) = (&http, &cookie, &base, &guest);
        async move {
            let r = http
                .post(format!("{base}/checkout"))
                .header("host", LYON)
                .header("cookie", cookie)
                .posted_from(guest)
                .form(&fields)
                .send()
                .await
                .unwrap();
            let location = r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned());
            (r.status(), location, r.text().await.unwrap())
        }
    };
    let (status, _, invalid) = post(vec![
        ("idempotency_key", key.clone()),
        ("email", "not-an-email".into()),
        ("name", "Ada Lovelace".into()),
        ("country", "France".into()),
    ])
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        invalid.contains(r#"id="email" name="email" type="email" value="not-an-email""#),
        "values are kept"
    );
    assert!(
        invalid.contains(r#"aria-describedby="city-error""#),
        "errors sit next to their fields"
    );
    assert!(invalid.contains(r#"id="country-error""#));
    assert!(!invalid.contains(r#"aria-describedby="name-error""#));
    let (status, location, _) = post(vec![
        ("idempotency_key", key.clone()),
        ("email", "ada@example.com".into()),
        ("phone", "+33 6 12 34 56 78".into()),
        ("name", "Ada Lovelace".into()),
        ("line1", "3 rue Mercière".into()),
        ("postal_code", "69002".into()),
        ("city", "Lyon".into()),
        ("country", "FR".into()),
        ("expected_total_minor", "14180".into()),
    ])
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let pay_path = location.unwrap();
    let (_, pay) = get(pay_path.clone()).await;
    assert!(pay.contains("Pay €141.80 (test card)"), "{pay}");
    let (id, secret) = {
        let rest = pay_path.strip_prefix("/checkout/").unwrap();
        let (id, q) = rest.split_once("/pay?secret=").unwrap();
        (id.to_owned(), q.to_owned())
    };
    let paid = http
        .post(format!("{base}/checkout/{id}/pay"))
        .header("host", LYON)
        .posted_from(&guest)
        .form(&[("secret", secret.as_str()), ("outcome", "succeed")])
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), StatusCode::SEE_OTHER);
    let done_path = paid.headers()["location"].to_str().unwrap().to_owned();
    let (_, done) = get(done_path).await;
    assert!(done.contains("Thank you for your order") && done.contains("ada@example.com"));
    let link = done
        .split(r#"<a href="/orders/"#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let (status, order) = get(format!("/orders/{link}")).await;
    assert_eq!(status, StatusCode::OK, "{order}");
    assert!(order.contains("Status: <strong>Placed</strong>"));
    assert!(order.contains("Placed — payment received"), "{order}");
    // Without the token the order stays private.
    let number = link.split('?').next().unwrap();
    assert_eq!(
        get(format!("/orders/{number}")).await.0,
        StatusCode::NOT_FOUND
    );
    // The cart is empty now.
    assert!(
        get("/cart".to_owned())
            .await
            .1
            .contains("Your cart is empty")
    );
}

#[tokio::test]
async fn a_price_band_survives_apply_and_can_be_dropped_keeping_the_other_filters() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let (status, _, html) = page(
        &app,
        LYON,
        "/search?min_price=1000&max_price=2999&sort=price_asc&in_stock=true",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // The filter form carries the band chosen by link, so "Apply" keeps it.
    let form = html.split(r#"<form class="filters""#).nth(1).unwrap();
    let form = form.split("</form>").next().unwrap();
    assert!(
        form.contains(r#"<input type="hidden" name="min_price" value="1000">"#),
        "{form}"
    );
    assert!(form.contains(r#"<input type="hidden" name="max_price" value="2999">"#));
    assert!(
        form.contains(r#"<option value="price_asc" selected>"#),
        "{form}"
    );
    assert!(
        form.contains(r#"name="in_stock" value="true" checked"#),
        "{form}"
    );
    // "Any price" drops the band and keeps the sort and the stock filter.
    let any = form
        .split(r#"id="any-price""#)
        .next()
        .and_then(|s| s.rsplit("href=\"").next())
        .map(|s| s.trim_end_matches("\" ").replace("&amp;", "&"))
        .unwrap();
    assert!(any.starts_with("/search?"), "{any}");
    assert!(
        any.contains("sort=price_asc") && any.contains("in_stock=true"),
        "{any}"
    );
    assert!(
        !any.contains("min_price") && !any.contains("max_price"),
        "{any}"
    );
    // Without a band there is nothing to keep and nothing to drop.
    let (_, _, plain) = page(&app, LYON, "/search?sort=price_asc").await;
    assert!(!plain.contains(r#"name="min_price""#));
    assert!(!plain.contains(r#"id="any-price""#));
}

#[tokio::test]
async fn the_search_page_filters_sorts_counts_and_suggests_like_the_api() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let (status, _, html) = page(&app, LYON, "/search?q=stoneware").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Results for “stoneware”"));
    assert!(html.contains("Speckled stoneware bowl"));
    assert!(
        html.contains(r#"value="stoneware""#),
        "the search box keeps the words"
    );
    let api = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/search?q=stoneware",
            None,
            None,
        )
        .await;
    let total = api.body["total"].as_i64().unwrap();
    assert!(
        html.contains(&format!("{total} result")),
        "the page counts as the API does"
    );
    // Sorting by price puts the cheapest first.
    let (_, _, cheap) = page(&app, LYON, "/search?sort=price_asc").await;
    let first = cheap
        .split(r#"<span class="title">"#)
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap();
    assert_eq!(
        first, "Illustrated postcards (set of 6)",
        "12.00 EUR is the cheapest"
    );
    assert!(cheap.contains(r#"<option value="price_asc" selected>"#));
    // A category page includes its sub-categories and shows facet counts.
    let (status, _, jewellery) = page(&app, LYON, "/categories/jewellery").await;
    assert_eq!(status, StatusCode::OK);
    assert!(jewellery.contains("<h1>Jewellery</h1>"));
    assert!(jewellery.contains("Hammered silver ring") && jewellery.contains("Gold leaf earrings"));
    assert!(!jewellery.contains("Speckled stoneware bowl"));
    assert!(jewellery.contains("Rings (2)"), "facet counts per category");
    // Nothing found: suggestions that do find something.
    let (_, _, empty) = page(&app, LYON, "/search?q=stoneware&category=jewellery").await;
    assert!(empty.contains("Nothing matches this search"));
    assert!(empty.contains("Try instead"), "{empty}");
    // A bad filter is explained, not a crash.
    let (status, _, bad) = page(&app, LYON, "/search?category=no-such-thing").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("No category `no-such-thing`"), "{bad}");
    assert!(!bad.contains("category: "), "no API names shown: {bad}");
}

#[tokio::test]
async fn a_buyer_signs_in_with_an_emailed_code_and_finds_their_orders() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://{}", app.platforms[0]);
    let found = app
        .store(Method::GET, LYON, "/api/v1/store/search?q=mug", None, None)
        .await;
    let mug = found.body["items"][0]["id"].as_str().unwrap().to_owned();
    // The forms are posted as from the pages the visitor opened.
    let guest = app.page_token(LYON, None).await;
    // As a guest: something in the cart.
    let added = http
        .post(format!("{base}/cart/add"))
        .header("host", LYON)
        .posted_from(&guest)
        .form(&[("listing_id", mug.as_str())])
        .send()
        .await
        .unwrap();
    let cart_cookie = added.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    // My orders asks to sign in first.
    let r = http
        .get(format!("{base}/my/orders"))
        .header("host", LYON)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/sign-in?next=/my/orders");
    let r = http
        .post(format!("{base}/sign-in"))
        .header("host", LYON)
        .posted_from(&guest)
        .form(&[("email", "Buyer@Example.com"), ("next", "/my/orders")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("We sent a six-digit code to buyer@example.com."));
    // The code step carries the challenge of the code sent, as a hidden field.
    let challenge = page
        .split("name=\"challenge\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let wrong = http
        .post(format!("{base}/sign-in/code"))
        .header("host", LYON)
        .posted_from(&guest)
        .form(&[
            ("email", "buyer@example.com"),
            ("code", "000000"),
            ("challenge", challenge.as_str()),
            ("next", "/my/orders"),
        ])
        .send()
        .await
        .unwrap();
    assert!(wrong.status().is_client_error());
    let code = app.latest_code("buyer@example.com").unwrap();
    let ok = http
        .post(format!("{base}/sign-in/code"))
        .header("host", LYON)
        .posted_from(&guest)
        .form(&[
            ("email", "buyer@example.com"),
            ("code", code.as_str()),
            ("challenge", challenge.as_str()),
            ("next", "https://evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        ok.headers()["location"],
        "/my/orders",
        "never an outside redirect"
    );
    let session = ok.headers()["set-cookie"].to_str().unwrap();
    assert!(session.contains("HttpOnly"));
    let session = session.split(';').next().unwrap().to_owned();
    let cookies = format!("{session}; {cart_cookie}");
    let get = |path: &'static str| {
        let (http, base, cookies) = (&http, &base, &cookies);
        async move {
            let r = http
                .get(format!("{base}{path}"))
                .header("host", LYON)
                .header("cookie", cookies)
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    assert!(get("/my/orders").await.1.contains("No orders yet"));
    let (_, home) = get("/").await;
    assert!(
        home.contains("Sign out") && !home.contains(r#"href="/sign-in""#),
        "the header knows the buyer"
    );
    let anonymous = http
        .get(format!("{base}/"))
        .header("host", LYON)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(anonymous.contains(r#"href="/sign-in""#) && !anonymous.contains("Sign out"));
    // The guest cart became the buyer's.
    assert!(get("/cart").await.1.contains("Blue glazed mug"));
    let (_, form) = get("/checkout").await;
    let key = form
        .split(r#"name="idempotency_key" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let buyer = app.page_token(LYON, Some(&cookies)).await;
    let r = http
        .post(format!("{base}/checkout"))
        .header("host", LYON)
        .header("cookie", &cookies)
        .posted_from(&buyer)
        .form(&[
            ("idempotency_key", key.as_str()),
            ("name", "Ada"),
            ("line1", "1 rue"),
            ("postal_code", "69001"),
            ("city", "Lyon"),
            ("country", "FR"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "a signed-in buyer needs no e-mail or phone: {}",
        r.text().await.unwrap()
    );
    let pay_path = r.headers()["location"].to_str().unwrap().to_owned();
    let (id, secret) = pay_path
        .strip_prefix("/checkout/")
        .unwrap()
        .split_once("/pay?secret=")
        .unwrap();
    http.post(format!("{base}/checkout/{id}/pay"))
        .header("host", LYON)
        .posted_from(&guest)
        .form(&[("secret", secret), ("outcome", "succeed")])
        .send()
        .await
        .unwrap();
    let (_, mine) = get("/my/orders").await;
    assert!(
        mine.contains("Order LYON-000001") && mine.contains("Placed"),
        "{mine}"
    );
    // Signed in, the order opens without its token.
    let r = http
        .get(format!("{base}/orders/LYON-000001"))
        .header("host", LYON)
        .header("cookie", &cookies)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let out = http
        .post(format!("{base}/sign-out"))
        .header("host", LYON)
        .posted_from(&guest)
        .send()
        .await
        .unwrap();
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
}

#[tokio::test]
async fn a_signed_in_buyer_reports_a_listing_and_the_operator_sees_it() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    app.demo_catalog().await;
    let operator = app
        .operator_token(t["id"].as_str().unwrap(), "lyon", "op@lyon.example")
        .await;
    let found = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/store/search?q=platter",
            None,
            None,
        )
        .await;
    let id = found.body["items"][0]["id"].as_str().unwrap().to_owned();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let base = format!("http://{}", app.platforms[0]);
    let anonymous = http
        .get(format!("{base}/report?listing={id}"))
        .header("host", LYON)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers()["location"],
        format!("/sign-in?next=%2Freport%3Flisting%3D{id}").as_str()
    );
    // A report sent signed out (a session that ran out) goes to sign in, and files nothing.
    let page = app.page_token(LYON, None).await;
    let anonymous = http
        .post(format!("{base}/report"))
        .header("host", LYON)
        .posted_from(&page)
        .form(&[
            ("target_kind", "listing"),
            ("target_id", id.as_str()),
            ("reason", "counterfeit"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers()["location"], "/sign-in");
    let (token, _) = app.sign_in(LYON, "buyer@example.com").await;
    let cookie = format!("krafto_session={token}");
    let form = http
        .get(format!("{base}/report?listing={id}"))
        .header("host", LYON)
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.unwrap();
    assert!(html.contains("Serving platter") && html.contains("It is counterfeit"));
    let page = app.page_token(LYON, Some(&cookie)).await;
    let bad = http
        .post(format!("{base}/report"))
        .header("host", LYON)
        .header("cookie", &cookie)
        .posted_from(&page)
        .form(&[
            ("target_kind", "listing"),
            ("target_id", id.as_str()),
            ("reason", "boring"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let sent = http
        .post(format!("{base}/report"))
        .header("host", LYON)
        .header("cookie", &cookie)
        .posted_from(&page)
        .form(&[
            ("target_kind", "listing"),
            ("target_id", id.as_str()),
            ("reason", "counterfeit"),
            ("details", "Same as a shop in Paris"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::CREATED);
    let reports = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/reports",
            Some(&operator),
            None,
        )
        .await;
    assert_eq!(reports.status, StatusCode::OK, "{}", reports.text);
    assert!(
        reports.text.contains("counterfeit") && reports.text.contains("Same as a shop in Paris"),
        "{}",
        reports.text
    );
    assert_eq!(
        reports.body.as_array().map(Vec::len),
        Some(1),
        "the report sent signed out was not filed: {}",
        reports.text
    );
}

#[tokio::test]
async fn storefront_pages_share_the_kit_layout_and_carry_no_inline_script() {
    let app = TestApp::spawn().await;
    branded_marketplaces(&app).await;
    for path in ["/", "/search?q=bowl", "/sign-in", "/cart", "/sell"] {
        let (status, _, html) = page(&app, LYON, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
        assert!(
            html.contains(
                r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
            ) && html.contains(r#"<link rel="stylesheet" href="/assets/krafto.css">"#)
                && html.contains(r#"<main id="main">"#),
            "{path}: the kit's layout: {html}"
        );
        assert!(html.contains("--brand: #8a4b2a"), "{path}: the brand");
        // Scripts come from files only, and no element carries a style attribute.
        assert_eq!(
            html.matches("<script").count(),
            html.matches("<script src=").count(),
            "{path}: {html}"
        );
        assert!(!html.contains(" style="), "{path}: {html}");
    }

    // The kit's message page, in the marketplace's brand, leading back to it.
    let (status, _, html) = page(&app, LYON, "/listings/not-an-id").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
    assert!(html.contains(r#"<section class="message">"#), "{html}");
    assert!(
        html.contains(r#"<a class="button" href="/">Retour à Lyon Makers</a>"#),
        "{html}"
    );
    assert!(html.contains(" · Lyon Makers</title>"), "{html}");
    assert!(html.contains("--brand: #8a4b2a"), "{html}");
}

#[tokio::test]
async fn nothing_names_krafto_unless_the_plan_says_so_and_the_api_docs_stay_off_the_storefront() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    assert_eq!(t["powered_by"], false);
    let (_, _, home) = page(&app, LYON, "/").await;
    assert!(!home.contains("Krafto"), "white label by default");
    let (docs, _, _) = page(&app, LYON, "/docs").await;
    assert_eq!(docs, StatusCode::NOT_FOUND, "no API docs on a storefront");
    let (spec, _, _) = page(&app, LYON, "/openapi.json").await;
    assert_eq!(spec, StatusCode::NOT_FOUND);
    let (docs, _, _) = page(&app, "127.0.0.1", "/openapi.json").await;
    assert_eq!(docs, StatusCode::OK, "the deployment's own host keeps them");

    let patched = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "powered_by": true, "public_api": true, "support_email": "aide@lyon.example" })),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(
        patched.body["support_email"], "aide@lyon.example",
        "{}",
        patched.text
    );
    let bad = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "support_email": "not an address" })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["errors"][0]["field"], "support_email");

    // Every instance drops its cached view of the marketplace (Redis), then shows it.
    let mut shown = String::new();
    for _ in 0..100 {
        shown = page(&app, LYON, "/").await.2;
        if shown.contains("Powered by Krafto") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(shown.contains("Powered by Krafto"), "the plan shows it");
    let (docs, _, _) = page(&app, LYON, "/openapi.json").await;
    assert_eq!(docs, StatusCode::OK, "the marketplace opened its API");

    // Its e-mails answer to its support address, in its name.
    app.store(
        Method::POST,
        LYON,
        "/api/v1/auth/otp/start",
        None,
        Some(json!({ "email": "ana@example.com" })),
    )
    .await;
    let mail = app.mails().pop().expect("a sign-in code");
    assert!(mail.starts_with("From: Market lyon <"), "{mail}");
    assert!(mail.contains("Reply-To: aide@lyon.example"), "{mail}");
}
