//! Photos, not URLs: uploads through the seller API, the image pipeline seen from outside
//! (metadata gone, three WebP widths), serving with long caching per marketplace, the S3
//! backend against a real S3-compatible server (moto), and imported photo URLs fetched by
//! the worker without reaching private addresses.

use crate::commerce::count;
use krafto_media::pipeline::samples;
use krafto_testkit::{AppOptions, ShopBuilder, TenantBuilder, TestApp, TestShop};
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
    let (ct, body) = multipart(parts);
    let r = app
        .http
        .post(format!(
            "http://{}/api/v1/seller/listings/{listing}/photos",
            app.platforms[0]
        ))
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
