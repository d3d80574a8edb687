//! Photos, not URLs: uploads through the seller API, the image pipeline seen from outside
//! (metadata gone, three WebP widths), serving with long caching per marketplace, the S3
//! backend against a real S3-compatible server (moto), and imported photo URLs fetched by
//! the worker without reaching private addresses. Shops' logos and banners and the
//! marketplace's logo: uploaded through the API and the pages, refused with a 4xx that names
//! the problem, shown with `srcset`.

use crate::commerce::count;
use krafto_media::pipeline::samples;
use krafto_testkit::{
    AppOptions, ListingBuilder, ShopBuilder, TenantBuilder, TestApp, TestShop, UserBuilder,
    WebSession,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const LYON: &str = "lyon.krafto.test";
const PARIS: &str = "paris.krafto.test";

/// A `multipart/form-data` body of `(name, file name, bytes)` parts.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "krafto-test-boundary-7d1c";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &TestApp,
    host: &str,
    token: &str,
    listing: &str,
    parts: &[(&str, Option<&str>, &[u8])],
) -> (StatusCode, Value) {
    let path = format!("/api/v1/seller/listings/{listing}/photos");
    upload_to(app, host, token, &path, parts).await
}

/// Posts a `multipart/form-data` body to an API `path` with a bearer token.
async fn upload_to(
    app: &TestApp,
    host: &str,
    token: &str,
    path: &str,
    parts: &[(&str, Option<&str>, &[u8])],
) -> (StatusCode, Value) {
    let (ct, body) = multipart(parts);
    let r = app
        .http
        .post(format!("http://{}{path}", app.platforms[0]))
        .header("host", host)
        .header("content-type", ct)
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn get_media(app: &TestApp, host: &str, path: &str) -> reqwest::Response {
    app.http
        .get(format!("http://{}{path}", app.platforms[0]))
        .header("host", host)
        .send()
        .await
        .unwrap()
}

/// A live shop in Lyon and a draft listing without photos.
async fn shop_with_draft(app: &TestApp) -> (TestShop, String) {
    let lyon = TenantBuilder::new("lyon").build(app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(app).await;
    let r = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/listings",
            Some(shop.token()),
            Some(json!({
                "title": "Blue bowl", "price_minor": 2400, "quantity": 2,
                "description": "Thrown on the wheel and glazed in cobalt blue."
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    (shop, id)
}

/// Uploads a phone-like JPEG with GPS and checks what comes back through the route.
async fn uploaded_photo_is_served_without_metadata(app: &TestApp) {
    let (shop, listing) = shop_with_draft(app).await;
    let jpeg = samples::jpeg_with_gps(1600, 1200);
    assert!(
        jpeg.windows(samples::GPS_MARKER.len())
            .any(|w| w == samples::GPS_MARKER)
    );
    let (status, body) = upload(
        app,
        LYON,
        shop.token(),
        &listing,
        &[
            ("photos", Some("IMG_0001.jpg"), &jpeg),
            ("alt", None, b"A blue bowl on a table"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let photo = &body[0];
    assert_eq!(photo["widths"], json!([320, 640, 1280]));
    assert_eq!(
        (photo["width"].as_i64(), photo["height"].as_i64()),
        (Some(1600), Some(1200))
    );
    assert_eq!(photo["alt"], "A blue bowl on a table");
    let key = photo["url"]
        .as_str()
        .unwrap()
        .split('/')
        .nth(2)
        .unwrap()
        .to_owned();
    assert_eq!(
        photo["srcset"],
        format!(
            "/media/{key}/320.webp 320w, /media/{key}/640.webp 640w, /media/{key}/1280.webp 1280w"
        )
    );
    for w in [320, 640, 1280] {
        let r = get_media(app, LYON, &format!("/media/{key}/{w}.webp")).await;
        assert_eq!(r.status(), StatusCode::OK, "width {w}");
        let h = r.headers().clone();
        assert_eq!(h["content-type"], "image/webp");
        assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
        let etag = h["etag"].to_str().unwrap().to_owned();
        let bytes = r.bytes().await.unwrap();
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(&bytes[8..12], b"WEBP");
        assert!(!bytes.windows(4).any(|x| x == b"Exif" || x == b"EXIF"));
        assert!(
            !bytes
                .windows(samples::GPS_MARKER.len())
                .any(|x| x == samples::GPS_MARKER)
        );
        // VP8 (lossy) frame, `w` pixels wide.
        assert_eq!(&bytes[12..16], b"VP8 ");
        let width = u16::from_le_bytes([bytes[26], bytes[27]]) & 0x3fff;
        assert_eq!(i32::from(width), w);
        // Revalidation answers 304.
        let again = app
            .http
            .get(format!("http://{}/media/{key}/{w}.webp", app.platforms[0]))
            .header("host", LYON)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    }
    // Another marketplace does not serve it; a name that is not a stored variant is a 404.
    TenantBuilder::new("paris").build(app).await;
    let r = get_media(app, PARIS, &format!("/media/{key}/640.webp")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get_media(app, LYON, &format!("/media/{key}/641.webp")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = get_media(app, LYON, "/media/..%2F..%2Fetc/640.webp").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The listing shows it first, with its srcset.
    let l = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/listings/{listing}"),
            Some(shop.token()),
            None,
        )
        .await;
    assert_eq!(l.body["photos"][0]["url"], format!("/media/{key}/640.webp"));
    assert_eq!(l.body["photos"][0]["srcset"], photo["srcset"]);
}

#[tokio::test]
async fn an_uploaded_jpeg_loses_its_gps_and_is_served_in_three_widths_to_its_marketplace_only() {
    let app = TestApp::spawn().await;
    uploaded_photo_is_served_without_metadata(&app).await;
}

#[tokio::test]
async fn on_s3_an_uploaded_photo_is_stored_and_served_the_same_way() {
    let media = krafto_testkit::s3_media().await;
    // The store itself: put, get, missing.
    let store = krafto_media::MediaStore::open(&media.storage).unwrap();
    assert_eq!(store.backend(), "s3");
    let tenant = uuid::Uuid::new_v4();
    let key = "d".repeat(64);
    store
        .put_image(tenant, &key, 320, bytes_of(b"webp bytes"))
        .await
        .unwrap();
    let got = store.get_image(tenant, &key, 320).await.unwrap().unwrap();
    assert_eq!(got.size, 10);
    assert!(
        store
            .get_image(uuid::Uuid::new_v4(), &key, 320)
            .await
            .unwrap()
            .is_none()
    );
    // The whole path, through the platform on S3.
    let app = TestApp::spawn_with(AppOptions {
        media: Some(media),
        ..AppOptions::default()
    })
    .await;
    uploaded_photo_is_served_without_metadata(&app).await;
}

fn bytes_of(b: &'static [u8]) -> bytes::Bytes {
    bytes::Bytes::from_static(b)
}

#[tokio::test]
async fn files_that_are_not_pictures_or_are_too_large_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let (shop, listing) = shop_with_draft(&app).await;
    let (status, body) = upload(
        &app,
        LYON,
        shop.token(),
        &listing,
        &[("photos", Some("notes.pdf"), b"%PDF-1.7 not a picture")],
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert_eq!(body["errors"][0]["field"], "photos[0]");
    // A good file and a bad one: neither is added.
    let good = samples::png(400, 300);
    let (status, body) = upload(
        &app,
        LYON,
        shop.token(),
        &listing,
        &[
            ("photos", Some("ok.png"), &good),
            ("photos", Some("bad.jpg"), b"\xff\xd8\xff\xe0 truncated"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["errors"][0]["field"], "photos[1]");
    // Over the media limit (10 MiB by default).
    let big = vec![0u8; 10 * 1024 * 1024 + 1];
    let (status, body) = upload(
        &app,
        LYON,
        shop.token(),
        &listing,
        &[("photos", Some("big.jpg"), &big)],
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(
        count(&app, "select count(*) as n from listing_photos").await,
        0
    );
    let l = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/listings/{listing}"),
            Some(shop.token()),
            None,
        )
        .await;
    assert_eq!(l.body["photos"], json!([]));
    // Someone else's listing is not found.
    let other = ShopBuilder::new(&shop.market, "Other")
        .owner_email("other@example.com")
        .build(&app)
        .await;
    let (status, _) = upload(
        &app,
        LYON,
        other.token(),
        &listing,
        &[("photos", Some("ok.png"), &good)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn publish(app: &TestApp, shop: &TestShop, listing: &str) -> krafto_testkit::Reply {
    let path = format!("/api/v1/seller/listings/{listing}/publish");
    app.store(Method::POST, LYON, &path, Some(shop.token()), None)
        .await
}

#[tokio::test]
async fn uploaded_photos_count_for_publishing_and_can_be_described_reordered_and_removed() {
    let app = TestApp::spawn().await;
    let (shop, listing) = shop_with_draft(&app).await;
    let r = publish(&app, &shop, &listing).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the marketplace wants a photo: {}",
        r.text
    );
    assert_eq!(r.body["errors"][0]["field"], "photos", "{}", r.text);
    let (a, b) = (samples::png(700, 500), samples::jpeg(300, 200));
    let (status, body) = upload(
        &app,
        LYON,
        shop.token(),
        &listing,
        &[
            ("photos", Some("a.png"), &a),
            ("photos", Some("b.jpg"), &b),
            ("alt", None, b"First"),
            ("alt", None, b"Second"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body[0]["widths"], json!([320, 640, 700]));
    assert_eq!(body[1]["widths"], json!([300]), "never upscaled");
    let (first, second) = (
        body[0]["id"].as_str().unwrap().to_owned(),
        body[1]["id"].as_str().unwrap().to_owned(),
    );
    let r = publish(&app, &shop, &listing).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let base = format!("/api/v1/seller/listings/{listing}/photos");
    let r = app
        .store(
            Method::PATCH,
            LYON,
            &format!("{base}/{second}"),
            Some(shop.token()),
            Some(json!({ "alt": "The bowl from above" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .store(
            Method::PUT,
            LYON,
            &format!("{base}/order"),
            Some(shop.token()),
            Some(json!({ "ids": [second, first] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = app
        .store(
            Method::PUT,
            LYON,
            &format!("{base}/order"),
            Some(shop.token()),
            Some(json!({ "ids": [second] })),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "every photo must be named"
    );
    let page = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/listings/{listing}"),
            None,
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(
        page.body["listing"]["photos"][0]["alt"],
        "The bowl from above"
    );
    assert_eq!(page.body["listing"]["photos"][1]["alt"], "First");
    let r = app
        .store(
            Method::DELETE,
            LYON,
            &format!("{base}/{second}"),
            Some(shop.token()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app
        .store(Method::GET, LYON, &base, Some(shop.token()), None)
        .await;
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    assert_eq!(r.body[0]["id"], first.as_str());
    // The storefront's listing page shows it with its widths.
    let html = app
        .store(
            Method::GET,
            LYON,
            &format!("/listings/{listing}"),
            None,
            None,
        )
        .await
        .text;
    assert!(html.contains("320.webp 320w, /media/"), "{html}");
}

/// A one-route HTTP server on loopback serving `body` as a JPEG; counts its requests.
async fn picture_server(body: Vec<u8>) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match s.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(&body).await;
            });
        }
    });
    (addr, hits)
}

async fn import_csv(app: &TestApp, token: &str, csv: &str) -> Value {
    let r = app
        .http
        .post(format!(
            "http://{}/api/v1/seller/listings/import",
            app.platforms[0]
        ))
        .header("host", LYON)
        .header("content-type", "text/csv")
        .bearer_auth(token)
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

#[tokio::test]
async fn an_imported_photo_on_a_loopback_address_is_refused_without_a_request() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(&app).await;
    let (addr, hits) = picture_server(samples::jpeg(800, 600)).await;
    let csv = format!("title,price,quantity,photo_urls\nBowl,12.00,1,http://{addr}/bowl.jpg\n");
    let report = import_csv(&app, shop.token(), &csv).await;
    assert_eq!(report["imported"], 1, "{report}");
    app.drain_outbox().await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "no request left for a loopback address"
    );
    assert_eq!(
        count(&app, "select count(*) as n from listing_photos").await,
        0
    );
    assert_eq!(
        count(&app, "select count(*) as n from outbox where kind = 'listing_photos.fetch' and status = 'dead'").await,
        1,
        "refused for good, not retried"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) as n from listings where photos <> '[]'::jsonb"
        )
        .await,
        0,
        "the URL is never shown as given"
    );
}

#[tokio::test]
async fn an_imported_photo_is_fetched_once_by_the_worker_and_stored_like_an_upload() {
    let app = TestApp::spawn_with(AppOptions {
        fetch_from_loopback: true,
        ..AppOptions::default()
    })
    .await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(&app).await;
    let (addr, hits) = picture_server(samples::jpeg_with_gps(1400, 700)).await;
    let csv = format!(
        "title,price,quantity,photo_urls,photo_alts\nBowl,12.00,1,http://{addr}/bowl.jpg,A bowl\n"
    );
    let report = import_csv(&app, shop.token(), &csv).await;
    let listing = report["rows"][0]["listing_id"].as_str().unwrap().to_owned();
    app.drain_outbox().await;
    assert_eq!(hits.load(Ordering::SeqCst), 1, "fetched once");
    let r = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/seller/listings/{listing}/photos"),
            Some(shop.token()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body[0]["widths"], json!([320, 640, 1280]));
    assert_eq!(r.body[0]["alt"], "A bowl");
    let url = r.body[0]["url"].as_str().unwrap();
    let img = get_media(&app, LYON, url).await;
    assert_eq!(img.status(), StatusCode::OK);
    let bytes = img.bytes().await.unwrap();
    assert!(
        !bytes
            .windows(samples::GPS_MARKER.len())
            .any(|x| x == samples::GPS_MARKER)
    );
}

// --- Shops' logos and banners, the marketplace's logo ---

/// The content address in a served path (`/media/{key}/640.webp`).
fn key_of(url: &Value) -> String {
    url.as_str()
        .unwrap_or_default()
        .split('/')
        .nth(2)
        .unwrap_or_default()
        .to_owned()
}

/// The `srcset` of a picture stored at `widths`.
fn srcset(key: &str, widths: &[i32]) -> String {
    widths
        .iter()
        .map(|w| format!("/media/{key}/{w}.webp {w}w"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn page(app: &TestApp, host: &str, path: &str) -> String {
    let r = app.store(Method::GET, host, path, None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
    r.text
}

#[tokio::test]
async fn a_shops_logo_and_banner_are_uploaded_shown_with_srcset_replaced_and_removed() {
    let app = TestApp::spawn().await;
    shop_pictures_are_uploaded_shown_replaced_and_removed(&app).await;
}

#[tokio::test]
async fn on_s3_a_shops_logo_and_banner_are_stored_and_served_the_same_way() {
    let app = TestApp::spawn_with(AppOptions {
        media: Some(krafto_testkit::s3_media().await),
        ..AppOptions::default()
    })
    .await;
    shop_pictures_are_uploaded_shown_replaced_and_removed(&app).await;
}

/// A shop's logo and banner through the seller API, the pages that show them, and the
/// audit log.
async fn shop_pictures_are_uploaded_shown_replaced_and_removed(app: &TestApp) {
    let lyon = TenantBuilder::new("lyon").build(app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(app).await;
    let listing = ListingBuilder::new(&shop, "Blue bowl").build(app).await;
    let slug = shop.shop.slug.clone();

    let (status, body) = upload_to(
        app,
        LYON,
        shop.token(),
        "/api/v1/seller/shop/logo",
        &[(
            "image",
            Some("logo.jpg"),
            &samples::jpeg_with_gps(1600, 1600),
        )],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["logo"]["widths"], json!([320, 640, 1280]));
    let logo = key_of(&body["logo"]["url"]);
    assert_eq!(body["logo"]["srcset"], srcset(&logo, &[320, 640, 1280]));
    let r = get_media(app, LYON, &format!("/media/{logo}/320.webp")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let bytes = r.bytes().await.unwrap();
    assert!(
        !bytes
            .windows(samples::GPS_MARKER.len())
            .any(|x| x == samples::GPS_MARKER),
        "the location is stripped"
    );

    let (status, body) = upload_to(
        app,
        LYON,
        shop.token(),
        "/api/v1/seller/shop/banner",
        &[("image", Some("banner.png"), &samples::png(2400, 800))],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let banner = key_of(&body["banner"]["url"]);
    assert_eq!(body["banner"]["srcset"], srcset(&banner, &[320, 640, 1280]));
    assert_eq!(body["logo"]["srcset"], srcset(&logo, &[320, 640, 1280]));

    // The shop's page shows both with their widths; the uploaded logo wins over the
    // profile image given by URL.
    let html = page(app, LYON, &format!("/shops/{slug}")).await;
    assert!(
        html.contains(&format!(
            r#"id="shop-banner" src="/media/{banner}/640.webp" srcset="{}" sizes="(max-width: 1100px) 100vw, 1100px""#,
            srcset(&banner, &[320, 640, 1280])
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"id="shop-logo" src="/media/{logo}/640.webp" srcset="{}" sizes="96px""#,
            srcset(&logo, &[320, 640, 1280])
        )),
        "{html}"
    );
    assert!(!html.contains("https://img.example/p.jpg"), "{html}");
    let api = app
        .store(
            Method::GET,
            LYON,
            &format!("/api/v1/store/shops/{slug}"),
            None,
            None,
        )
        .await;
    assert_eq!(api.body["logo"]["srcset"], srcset(&logo, &[320, 640, 1280]));
    assert_eq!(api.body["banner"]["widths"], json!([320, 640, 1280]));
    // A listing's page names the shop with its logo.
    let html = page(app, LYON, &format!("/listings/{}", listing.id)).await;
    assert!(
        html.contains(&format!(
            r#"<img class="shop-logo" id="shop-logo" src="/media/{logo}/640.webp" srcset="{}" sizes="48px""#,
            srcset(&logo, &[320, 640, 1280])
        )),
        "{html}"
    );

    // Replaced: a smaller logo is never upscaled.
    let (status, body) = upload_to(
        app,
        LYON,
        shop.token(),
        "/api/v1/seller/shop/logo",
        &[("image", Some("logo.png"), &samples::png(500, 500))],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["logo"]["widths"], json!([320, 500]));
    assert_ne!(key_of(&body["logo"]["url"]), logo);

    // Removed: the profile image given by URL shows again.
    let r = app
        .store(
            Method::DELETE,
            LYON,
            "/api/v1/seller/shop/logo",
            Some(shop.token()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body.get("logo").is_none(), "{}", r.text);
    assert_eq!(
        r.body["banner"]["srcset"],
        srcset(&banner, &[320, 640, 1280])
    );
    let html = page(app, LYON, &format!("/shops/{slug}")).await;
    assert!(!html.contains(r#"id="shop-logo""#), "{html}");
    assert!(html.contains("https://img.example/p.jpg"), "{html}");

    // Every change is in the audit log, like the shop's other changes.
    assert_eq!(
        count(
            app,
            "select count(*) as n from audit_log where action = 'shop.logo_updated'"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            app,
            "select count(*) as n from audit_log where action = 'shop.banner_updated' and target = 'shop:' || (select id from shops limit 1)"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn shop_and_marketplace_logos_refuse_what_is_not_a_picture_or_too_large_naming_it() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let big = vec![0u8; 10 * 1024 * 1024 + 1];
    let mut truncated = samples::jpeg(64, 64);
    truncated.truncate(40);
    for (path, token) in [
        ("/api/v1/seller/shop/logo", shop.token()),
        ("/api/v1/seller/shop/banner", shop.token()),
        ("/api/v1/admin/branding/logo", operator.token.as_str()),
    ] {
        let (status, body) = upload_to(
            &app,
            LYON,
            token,
            path,
            &[("image", Some("notes.pdf"), b"%PDF-1.7 not a picture")],
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path}: {body}");
        assert_eq!(body["code"], "unsupported_media_type", "{path}: {body}");
        assert_eq!(body["errors"][0]["field"], "image", "{path}: {body}");
        assert!(
            body["detail"]
                .as_str()
                .unwrap()
                .contains("not a JPEG, PNG or WebP picture"),
            "{path}: {body}"
        );
        let (status, body) = upload_to(
            &app,
            LYON,
            token,
            path,
            &[("image", Some("broken.jpg"), &truncated)],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert_eq!(body["errors"][0]["field"], "image", "{path}: {body}");
        let (status, body) =
            upload_to(&app, LYON, token, path, &[("image", Some("big.jpg"), &big)]).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{path}: {body}");
        assert_eq!(body["errors"][0]["field"], "image", "{path}: {body}");
        assert!(
            body["detail"].as_str().unwrap().contains("larger than"),
            "{path}: {body}"
        );
    }
    // Nothing changed.
    let s = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/shop",
            Some(shop.token()),
            None,
        )
        .await;
    assert!(
        s.body.get("logo").is_none() && s.body.get("banner").is_none(),
        "{}",
        s.text
    );
    let b = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/branding",
            Some(&operator.token),
            None,
        )
        .await;
    assert!(b.body.get("logo").is_none(), "{}", b.text);
    assert_eq!(
        count(
            &app,
            "select count(*) as n from audit_log where action in ('shop.logo_updated', 'shop.banner_updated', 'branding.updated')"
        )
        .await,
        0,
        "a refused file records nothing"
    );
    // Who may: a buyer has no shop, and is no operator.
    let buyer = UserBuilder::new(&lyon, "ana@example.com").build(&app).await;
    let good = samples::png(100, 100);
    let (status, body) = upload_to(
        &app,
        LYON,
        &buyer.token,
        "/api/v1/seller/shop/logo",
        &[("image", Some("ok.png"), &good)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["code"], "no_shop");
    let (status, _) = upload_to(
        &app,
        LYON,
        shop.token(),
        "/api/v1/admin/branding/logo",
        &[("image", Some("ok.png"), &good)],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a seller is no operator");
}

#[tokio::test]
async fn the_marketplace_logo_an_operator_uploads_heads_every_page_before_a_logo_url() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;
    let r = app
        .store(
            Method::PATCH,
            LYON,
            "/api/v1/admin/branding",
            Some(&operator.token),
            Some(json!({ "logo_url": "https://img.example/logo.png" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        page(&app, LYON, "/")
            .await
            .contains(r#"<img src="https://img.example/logo.png""#)
    );

    // A wide logo, 600 × 200: two widths, shown 40 pixels tall (120 wide).
    let (status, body) = upload_to(
        &app,
        LYON,
        &operator.token,
        "/api/v1/admin/branding/logo",
        &[("image", Some("logo.png"), &samples::png(600, 200))],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["logo"]["widths"], json!([320, 600]));
    assert_eq!(body["logo_url"], "https://img.example/logo.png");
    let key = key_of(&body["logo"]["url"]);
    for path in ["/", "/search?q=bowl", "/sign-in"] {
        let html = page(&app, LYON, path).await;
        assert!(
            html.contains(&format!(
                r#"<a class="logo" href="/"><img src="/media/{key}/320.webp" srcset="{}" sizes="120px" alt="Market lyon" width="120" height="40"></a>"#,
                srcset(&key, &[320, 600])
            )),
            "{path}: {html}"
        );
        assert!(!html.contains("https://img.example/logo.png"), "{path}");
    }
    let r = get_media(&app, LYON, &format!("/media/{key}/600.webp")).await;
    assert_eq!(r.status(), StatusCode::OK);

    // Removed: the logo URL heads the pages again.
    let r = app
        .store(
            Method::DELETE,
            LYON,
            "/api/v1/admin/branding/logo",
            Some(&operator.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.body.get("logo").is_none(), "{}", r.text);
    let html = page(&app, LYON, "/").await;
    assert!(
        html.contains(r#"<img src="https://img.example/logo.png""#),
        "{html}"
    );
    assert!(!html.contains(&key));
    // Audited like every branding change: the URL, the upload, the removal.
    assert_eq!(
        count(
            &app,
            "select count(*) as n from audit_log where action = 'branding.updated'"
        )
        .await,
        3
    );
}

#[tokio::test]
async fn the_console_and_the_shop_page_upload_logos_and_say_why_a_file_is_refused() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(&app).await;
    let operator = UserBuilder::new(&lyon, "op@lyon.example")
        .operator()
        .build(&app)
        .await;

    // The seller's shop page: logo, then banner, through its upload forms.
    let mut seller = WebSession::storefront(&app, LYON, Some(shop.token()));
    let form = seller.get("/sell/shop").await;
    assert!(form.text.contains(r#"id="logo-upload""#), "{}", form.text);
    assert!(form.text.contains(r#"id="banner-upload""#));
    let logo = samples::jpeg(900, 900);
    let (ct, body) = multipart(&[("which", None, b"logo"), ("image", Some("logo.jpg"), &logo)]);
    let r = seller.post_body("/sell/shop/images", &ct, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/sell/shop?done=logo#pictures");
    let (ct, body) = multipart(&[
        ("which", None, b"banner"),
        ("image", Some("banner.png"), &samples::png(1500, 500)),
    ]);
    let r = seller.post_body("/sell/shop/images", &ct, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let p = seller.get("/sell/shop?done=banner").await;
    assert!(p.text.contains("Your banner is saved."), "{}", p.text);
    let shop_now = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/shop",
            Some(shop.token()),
            None,
        )
        .await;
    let logo_key = key_of(&shop_now.body["logo"]["url"]);
    let banner_key = key_of(&shop_now.body["banner"]["url"]);
    assert!(
        p.text.contains(&format!(
            r#"id="logo-preview" src="/media/{logo_key}/640.webp" srcset="{}""#,
            srcset(&logo_key, &[320, 640, 900])
        )),
        "{}",
        p.text
    );
    assert!(
        p.text.contains(&srcset(&banner_key, &[320, 640, 1280])),
        "{}",
        p.text
    );
    // Refusals say why, next to the picture, and change nothing.
    let (ct, body) = multipart(&[
        ("which", None, b"logo"),
        ("image", Some("notes.pdf"), b"%PDF-1.7 not a picture"),
    ]);
    let r = seller.post_body("/sell/shop/images", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.text);
    assert!(
        r.text.contains(r#"id="logo-error""#)
            && r.text
                .contains("This file is not a photo: send a JPEG, PNG or WebP image."),
        "{}",
        r.text
    );
    let big = vec![0u8; 10 * 1024 * 1024 + 1];
    let (ct, body) = multipart(&[("which", None, b"banner"), ("image", Some("big.jpg"), &big)]);
    let r = seller.post_body("/sell/shop/images", &ct, body).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert!(
        r.text.contains(r#"id="banner-error""#)
            && r.text.contains("This file is too large: at most 10 MB."),
        "{}",
        r.text
    );
    let (ct, body) = multipart(&[("which", None, b"logo"), ("image", Some(""), b"")]);
    let r = seller.post_body("/sell/shop/images", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("Choose an image first."), "{}", r.text);
    let again = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/shop",
            Some(shop.token()),
            None,
        )
        .await;
    assert_eq!(again.body["logo"], shop_now.body["logo"]);
    assert_eq!(again.body["banner"], shop_now.body["banner"]);
    let r = seller
        .post("/sell/shop/images/remove", &[("which", "logo")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/sell/shop?done=logo-removed#pictures");
    let p = seller.get("/sell/shop?done=logo-removed").await;
    assert!(p.text.contains("The logo was removed."), "{}", p.text);
    assert!(!p.text.contains(r#"id="logo-preview""#));

    // The operator's console: the marketplace's logo.
    let mut console = WebSession::storefront(&app, LYON, Some(&operator.token));
    let settings = console.get("/admin/settings").await;
    assert!(
        settings.text.contains(r#"id="logo-upload""#),
        "{}",
        settings.text
    );
    let (ct, body) = multipart(&[("image", Some("logo.png"), &samples::png(300, 100))]);
    let r = console.post_body("/admin/branding/logo", &ct, body).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(r.location(), "/admin/settings?done=logo#logo");
    let p = console.get("/admin/settings?done=logo").await;
    assert!(
        p.text
            .contains("The logo is saved: every page shows it now."),
        "{}",
        p.text
    );
    let branding = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/branding",
            Some(&operator.token),
            None,
        )
        .await;
    let key = key_of(&branding.body["logo"]["url"]);
    assert!(
        p.text.contains(&format!(
            r#"id="logo-preview" class="brand-logo" src="/media/{key}/300.webp" srcset="/media/{key}/300.webp 300w""#
        )),
        "{}",
        p.text
    );
    assert!(
        p.text.contains(&format!(
            r#"<a class="logo" href="/"><img src="/media/{key}/300.webp""#
        )),
        "the console's own header shows it"
    );
    let (ct, body) = multipart(&[("image", Some("x.gif"), b"GIF89a\x01\x00\x01\x00")]);
    let r = console.post_body("/admin/branding/logo", &ct, body).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", r.text);
    assert!(
        r.text.contains(r#"id="logo-error""#) && r.text.contains("This file is not a photo"),
        "{}",
        r.text
    );
    let r = console.post("/admin/branding/logo/remove", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let branding = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/admin/branding",
            Some(&operator.token),
            None,
        )
        .await;
    assert!(branding.body.get("logo").is_none(), "{}", branding.text);
}
