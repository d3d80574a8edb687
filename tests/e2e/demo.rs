//! The demo catalogue `scripts/run` seeds (`tenant-admin demo-seed`, then `platform
//! demo-catalog`): enough live shops and listings in both demo marketplaces, in their own
//! language, every listing pictured (served as WebP in every width), every shop with a logo,
//! a banner and delivery options; nothing added by a second run; and a cart of two shops
//! that checks out in each marketplace.

use crate::commerce::{add, checkout, count, guest_checkout_body, pay};
use krafto_testkit::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const LYON: &str = "lyon.krafto.test";
const FERME: &str = "ferme.krafto.test";

/// Every live listing of a marketplace, through the store's search, page after page.
async fn live_listings(app: &TestApp, host: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/store/search?limit=100&cursor={c}"),
            None => "/api/v1/store/search?limit=100".to_owned(),
        };
        let r = app.store(Method::GET, host, &path, None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        out.extend(r.body["items"].as_array().unwrap().iter().cloned());
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
}

/// Fetches a served picture and returns its content type.
async fn served_type(app: &TestApp, host: &str, path: &str) -> String {
    let r = app
        .http
        .get(format!("http://{}{path}", app.platforms[0]))
        .header("host", host)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{host}{path}");
    let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.len() > 1000, "{path}: {} bytes", bytes.len());
    ct
}

/// The three widths of a stored picture, from its `srcset`.
fn widths(srcset: &str) -> Vec<String> {
    srcset
        .split(", ")
        .map(|s| s.split(' ').next().unwrap().to_owned())
        .collect()
}

/// The database's counts of what the demo writes (superuser: every marketplace).
async fn footprint(app: &TestApp) -> [i64; 5] {
    [
        count(app, "SELECT count(*) AS n FROM shops").await,
        count(app, "SELECT count(*) AS n FROM listings").await,
        count(app, "SELECT count(*) AS n FROM listing_photos").await,
        count(app, "SELECT count(*) AS n FROM users").await,
        count(app, "SELECT count(*) AS n FROM shipping_options").await,
    ]
}

#[tokio::test]
async fn the_demo_catalogue_fills_both_marketplaces_with_pictured_payable_shops_once() {
    let mut app = TestApp::spawn().await;
    let report = app.demo_seed().await;
    assert!(
        report
            .iter()
            .any(|l| l == "marketplace ferme: created (Farm)"),
        "{report:?}"
    );
    let mut reported = Vec::new();
    let sizes = platform::demo::PictureSizes::default();
    let seeded = platform::demo::seed_catalog(&app.settings, sizes, |p| {
        reported.push((p.marketplace.to_owned(), p.done, p.total));
    })
    .await
    .unwrap();
    assert!(
        seeded.shops >= 6 && seeded.listings >= 40,
        "too small a catalogue: {seeded:?}"
    );
    let photos = count(&app, "SELECT count(*) AS n FROM listing_photos").await;
    assert_eq!(
        usize::try_from(photos).unwrap() + 2 * seeded.shops,
        seeded.pictures,
        "a photo row per listing photo, a logo and a banner per shop"
    );
    assert_eq!(
        reported
            .last()
            .map(|(m, done, total)| (m.as_str(), done == total)),
        Some(("ferme", true)),
        "progress is told up to the last picture: {reported:?}"
    );

    // Live, verified, payable shops with a logo, a banner and delivery options.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM shops s WHERE s.status <> 'active' OR NOT s.verified \
             OR s.logo_image IS NULL OR s.banner_image IS NULL \
             OR NOT EXISTS (SELECT 1 FROM shipping_options o WHERE o.tenant_id = s.tenant_id AND o.shop_id = s.id) \
             OR NOT EXISTS (SELECT 1 FROM seller_accounts a WHERE a.tenant_id = s.tenant_id AND a.shop_id = s.id AND a.charges_enabled)"
        )
        .await,
        0,
        "every shop is live, verified, pictured, deliverable and payable"
    );
    assert!(
        count(&app, "SELECT count(*) AS n FROM pickup_places").await >= 2,
        "pickup places where they fit"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM listings WHERE category_id IS NULL OR status <> 'active'"
        )
        .await,
        0,
        "every listing is live and in a category"
    );

    let mut carts = 0;
    for (host, french_title) in [
        (LYON, "Bol en grès moucheté"),
        (FERME, "Œufs frais de plein air (12)"),
    ] {
        let cards = live_listings(&app, host).await;
        let shops: BTreeSet<&str> = cards
            .iter()
            .map(|c| c["shop"]["slug"].as_str().unwrap())
            .collect();
        assert!(shops.len() >= 3, "{host}: {shops:?}");
        assert!(cards.len() >= 18, "{host}: {} listings", cards.len());
        // The demo marketplaces are French: so is their catalogue.
        assert!(
            cards.iter().any(|c| c["title"] == french_title),
            "{host}: no {french_title}"
        );
        // Every listing has a described photo, each served as WebP in its three widths.
        let mut by_shop: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for card in &cards {
            let id = card["id"].as_str().unwrap();
            let detail = app
                .store(
                    Method::GET,
                    host,
                    &format!("/api/v1/store/listings/{id}"),
                    None,
                    None,
                )
                .await;
            assert_eq!(detail.status, StatusCode::OK, "{}", detail.text);
            let listing = &detail.body["listing"];
            let photos = listing["photos"].as_array().unwrap();
            assert!(
                (1..=2).contains(&photos.len()),
                "{}: {} photos",
                listing["title"],
                photos.len()
            );
            for p in photos {
                assert!(!p["alt"].as_str().unwrap().is_empty(), "{p}");
                let srcset = p["srcset"].as_str().unwrap();
                let paths = widths(srcset);
                assert_eq!(paths.len(), 3, "{srcset}");
                for path in paths {
                    assert!(path.starts_with("/media/"), "{path}");
                    assert_eq!(served_type(&app, host, &path).await, "image/webp");
                }
            }
            assert_eq!(detail.body["purchasable"], true, "{}", detail.text);
            by_shop
                .entry(card["shop"]["slug"].as_str().unwrap().to_owned())
                .or_default()
                .push(detail.body.clone());
        }
        // Each shop's logo and banner are served from this marketplace.
        for slug in by_shop.keys() {
            let shop = app
                .store(
                    Method::GET,
                    host,
                    &format!("/api/v1/store/shops/{slug}"),
                    None,
                    None,
                )
                .await;
            assert_eq!(shop.status, StatusCode::OK, "{}", shop.text);
            for field in ["profile_image_url", "banner_url"] {
                let url = shop.body[field].as_str().unwrap();
                let path = url.split_once(host).unwrap().1;
                assert_eq!(served_type(&app, host, path).await, "image/webp");
            }
            assert!(shop.body["badges"].to_string().contains("verified_seller"));
        }
        // The storefront shows them with their widths.
        let home = app
            .http
            .get(format!("http://{}/", app.platforms[0]))
            .header("host", host)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(home.contains(r#"srcset="/media/"#), "{home}");

        // A cart of two shops (listings without variants) checks out and is paid.
        let picks: Vec<String> = by_shop
            .values()
            .filter_map(|ls| {
                ls.iter()
                    .find(|d| {
                        d["listing"]["variants"]
                            .as_array()
                            .is_none_or(Vec::is_empty)
                            && d["listing"]["quantity"].as_i64() >= Some(2)
                    })
                    .map(|d| d["listing"]["id"].as_str().unwrap().to_owned())
            })
            .take(2)
            .collect();
        assert_eq!(picks.len(), 2, "{host}: two shops sell something plain");
        let first = add(&app, host, None, None, &picks[0], 1).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.text);
        let token = first.body["cart_token"].as_str().unwrap().to_owned();
        let cart = add(&app, host, Some(&token), None, &picks[1], 2).await;
        assert_eq!(cart.status, StatusCode::OK, "{}", cart.text);
        assert_eq!(cart.body["shops"].as_array().unwrap().len(), 2);
        assert_eq!(cart.body["purchasable"], true, "{}", cart.text);
        let co = checkout(
            &app,
            host,
            Some(&token),
            None,
            &format!("demo-{host}"),
            guest_checkout_body(),
        )
        .await;
        assert_eq!(co.status, StatusCode::CREATED, "{}", co.text);
        let paid = pay(&app, host, &co.body, "succeed").await;
        assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
        assert_eq!(paid.body["status"], "paid");
        assert_eq!(paid.body["orders"].as_array().unwrap().len(), 2);
        carts += 1;
    }
    assert_eq!(carts, 2);

    // A second run finds shops everywhere and adds nothing.
    let before = footprint(&app).await;
    let again = platform::demo::seed_catalog(&app.settings, sizes, |_| {})
        .await
        .unwrap();
    assert_eq!(again, platform::demo::Seeded::default());
    assert_eq!(footprint(&app).await, before);
}
