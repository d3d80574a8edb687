//! Search engines: one conformance suite every engine must pass (Postgres always; OpenSearch
//! when `OPENSEARCH_URL` names a cluster), and the OpenSearch engine and its outbox sync
//! against a local HTTP double that records every request we send.

use crate::catalog::{LYON, PARIS, full_profile, listing_body, live_listing, live_seller, market};
use futures_util::FutureExt;
use krafto_core::OutboxStatus;
use krafto_db::DbRole;
use krafto_db::models::OutboxMessage;
use krafto_jobs::{Worker, WorkerConfig};
use krafto_search::opensearch::index_mapping;
use krafto_search::{Cursor, Near, OpenSearch, PgSearch, SearchEngine, SearchQuery, Sort};
use krafto_testkit::{AppOptions, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------
// Seeded catalogue

/// Two marketplaces seeded through the API: Lyon with three shops (one in Paris, one
/// verified) and six live listings plus a draft and an archived one; Paris with one.
struct Seeded {
    lyon: Uuid,
    paris: Uuid,
    categories: BTreeMap<String, Uuid>,
    listings: BTreeMap<String, Uuid>,
}

impl Seeded {
    fn cat(&self, slug: &str) -> Uuid {
        self.categories[slug]
    }
}

/// The live Lyon listings, oldest first.
const CREATED: [&str; 6] = [
    "Ceramic bowl",
    "Large ceramic vase",
    "Linen tea towel",
    "Silver necklace",
    "Gold rings",
    "Glass bowl",
];

async fn categories(app: &TestApp, host: &str) -> BTreeMap<String, Uuid> {
    let tree = app
        .store(Method::GET, host, "/api/v1/store/tenant", None, None)
        .await;
    let mut out = BTreeMap::new();
    let mut stack: Vec<Value> = tree.body["categories"].as_array().unwrap().clone();
    while let Some(c) = stack.pop() {
        out.insert(
            c["slug"].as_str().unwrap().to_owned(),
            c["id"].as_str().unwrap().parse().unwrap(),
        );
        stack.extend(c["children"].as_array().unwrap().iter().cloned());
    }
    out
}

async fn create_listing(app: &TestApp, host: &str, seller: &str, body: Value) -> Uuid {
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
    r.body["id"].as_str().unwrap().parse().unwrap()
}

async fn seed(app: &TestApp) -> Seeded {
    let m = market(app, "lyon", false).await;
    let categories = categories(app, LYON).await;
    let (ana, _) = live_seller(app, LYON, &m, "ana@example.com", "Atelier Terre").await;
    let (bob, _) = live_seller(app, LYON, &m, "bob@example.com", "Bijoux Lumière").await;
    let mut paris_shop = full_profile("Paris Verre");
    paris_shop["location"] =
        json!({ "city": "Paris", "country": "FR", "latitude": 48.8566, "longitude": 2.3522 });
    let (cy_buyer, _) = app.sign_in(LYON, "cy@example.com").await;
    let opened = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/shop",
            Some(&cy_buyer),
            Some(paris_shop),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.text);
    let cy = opened.body["token"].as_str().unwrap().to_owned();
    let submitted = app
        .store(
            Method::POST,
            LYON,
            "/api/v1/seller/shop/submit",
            Some(&cy),
            None,
        )
        .await;
    assert_eq!(submitted.body["status"], "active", "{}", submitted.text);

    let mk = |title: &str,
              description: &str,
              price: i64,
              qty: i64,
              category: &str,
              tags: &[&str],
              materials: &[&str],
              style: &str| {
        json!({
            "title": title, "description": description, "price_minor": price, "quantity": qty,
            "category_id": categories[category], "tags": tags, "materials": materials, "style": style,
            "photos": [{ "url": format!("https://img.example/{}.jpg", title.replace(' ', "-")), "alt": title }]
        })
    };
    let plain = "Made by hand, one at a time.";
    let mut listings = BTreeMap::new();
    for (seller, body) in [
        (
            &ana,
            mk(
                "Ceramic bowl",
                plain,
                2400,
                3,
                "ceramics",
                &["bowl", "kitchen"],
                &["stoneware"],
                "rustic",
            ),
        ),
        (
            &ana,
            mk(
                "Large ceramic vase",
                "Thrown on the wheel and glazed in celadon.",
                8900,
                1,
                "ceramics",
                &["vase"],
                &["porcelain"],
                "rustic",
            ),
        ),
        (
            &ana,
            mk(
                "Linen tea towel",
                plain,
                1500,
                0,
                "textiles",
                &["kitchen"],
                &["linen"],
                "rustic",
            ),
        ),
        (
            &bob,
            mk(
                "Silver necklace",
                plain,
                12000,
                2,
                "necklaces",
                &["silver"],
                &["silver"],
                "rustic",
            ),
        ),
        (
            &bob,
            mk(
                "Gold rings",
                plain,
                30000,
                5,
                "rings",
                &["gold"],
                &["gold"],
                "modern",
            ),
        ),
        (
            &cy,
            mk(
                "Glass bowl",
                plain,
                3100,
                4,
                "ceramics",
                &["bowl"],
                &["glass"],
                "rustic",
            ),
        ),
    ] {
        let title = body["title"].as_str().unwrap().to_owned();
        let id = live_listing(app, LYON, seller, body).await;
        listings.insert(title, id.parse().unwrap());
    }
    // Never public: a draft, and a listing archived after it went live.
    let draft = create_listing(
        app,
        LYON,
        &ana,
        mk(
            "Secret bowl draft",
            plain,
            900,
            1,
            "ceramics",
            &["bowl"],
            &[],
            "rustic",
        ),
    )
    .await;
    listings.insert("Secret bowl draft".into(), draft);
    let retired: Uuid = live_listing(
        app,
        LYON,
        &ana,
        mk(
            "Retired pitcher",
            plain,
            4500,
            1,
            "ceramics",
            &["pitcher"],
            &["stoneware"],
            "rustic",
        ),
    )
    .await
    .parse()
    .unwrap();
    let r = app
        .store(
            Method::POST,
            LYON,
            &format!("/api/v1/seller/listings/{retired}/archive"),
            Some(&ana),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    listings.insert("Retired pitcher".into(), retired);
    // Bob becomes a verified seller.
    let v = app
        .store(Method::POST, LYON, "/api/v1/seller/verification", Some(&bob), Some(json!({
            "legal_name": "Bob Martin", "business_type": "sole_trader",
            "address": { "line1": "1 quai Saint-Vincent", "postal_code": "69001", "city": "Lyon", "country": "FR" },
            "document_refs": ["doc_1"]
        })))
        .await;
    assert_eq!(v.status, StatusCode::CREATED, "{}", v.text);
    let approved = app
        .store(
            Method::POST,
            LYON,
            &format!(
                "/api/v1/admin/verifications/{}/approve",
                v.body["id"].as_str().unwrap()
            ),
            Some(&m.operator),
            None,
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text);

    let p = market(app, "paris", false).await;
    let (paris_seller, _) = live_seller(app, PARIS, &p, "ana@example.com", "Atelier Paris").await;
    let teapot = live_listing(
        app,
        PARIS,
        &paris_seller,
        listing_body("Paris teapot", 4000),
    )
    .await;
    listings.insert("Paris teapot".into(), teapot.parse().unwrap());
    Seeded {
        lyon: m.id.parse().unwrap(),
        paris: p.id.parse().unwrap(),
        categories,
        listings,
    }
}

// ---------------------------------------------------------------------------------------
// The conformance suite

fn q() -> SearchQuery {
    SearchQuery {
        limit: 50,
        ..SearchQuery::default()
    }
}

fn text(t: &str) -> SearchQuery {
    SearchQuery {
        text: Some(t.to_owned()),
        ..q()
    }
}

async fn titles(engine: &dyn SearchEngine, tenant: Uuid, query: &SearchQuery) -> Vec<String> {
    let page = engine
        .search(&krafto_testkit::scope_of(tenant), query, 100)
        .await
        .unwrap_or_else(|e| panic!("{} search {query:?}: {e}", engine.name()));
    page.hits.into_iter().map(|h| h.title).collect()
}

async fn title_set(
    engine: &dyn SearchEngine,
    tenant: Uuid,
    query: &SearchQuery,
) -> BTreeSet<String> {
    titles(engine, tenant, query).await.into_iter().collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| (*t).to_owned()).collect()
}

/// Every page of `query` at `per_page`, checking the total on each.
async fn paged(
    engine: &dyn SearchEngine,
    tenant: Uuid,
    query: &SearchQuery,
    per_page: i64,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut total = None;
    for _ in 0..50 {
        let page = engine
            .search(
                &krafto_testkit::scope_of(tenant),
                &SearchQuery {
                    cursor,
                    limit: per_page,
                    ..query.clone()
                },
                100,
            )
            .await
            .unwrap();
        assert!(page.hits.len() <= usize::try_from(per_page).unwrap());
        assert_eq!(*total.get_or_insert(page.total), page.total, "stable total");
        out.extend(page.hits.into_iter().map(|h| h.title));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
    panic!("paging never ended: {out:?}");
}

/// What every engine must answer for the seeded catalogue.
async fn conformance(engine: &dyn SearchEngine, s: &Seeded) {
    let e = engine;
    let name = e.name();

    // Text: titles, tags, materials, description, shop names (accents folded), typos.
    assert_eq!(
        title_set(e, s.lyon, &text("bowl")).await,
        set(&["Ceramic bowl", "Glass bowl"]),
        "{name}: drafts never show"
    );
    assert_eq!(
        titles(e, s.lyon, &text("porcelain")).await,
        ["Large ceramic vase"],
        "{name}: materials"
    );
    assert_eq!(
        titles(e, s.lyon, &text("celadon")).await,
        ["Large ceramic vase"],
        "{name}: description"
    );
    assert_eq!(
        title_set(e, s.lyon, &text("lumiere")).await,
        set(&["Gold rings", "Silver necklace"]),
        "{name}: shop name, accents folded"
    );
    assert!(
        titles(e, s.lyon, &text("ceramik"))
            .await
            .contains(&"Ceramic bowl".to_owned()),
        "{name}: typos tolerated"
    );
    assert!(
        titles(e, s.lyon, &text("pitcher")).await.is_empty(),
        "{name}: archived listings are gone"
    );

    // Categories include their sub-categories.
    let in_category = |slug: &str| SearchQuery {
        category: Some(s.cat(slug)),
        ..q()
    };
    assert_eq!(
        title_set(e, s.lyon, &in_category("home-living")).await,
        set(&[
            "Ceramic bowl",
            "Glass bowl",
            "Large ceramic vase",
            "Linen tea towel"
        ]),
        "{name}"
    );
    assert_eq!(
        title_set(e, s.lyon, &in_category("jewellery")).await,
        set(&["Gold rings", "Silver necklace"]),
        "{name}"
    );
    assert!(
        titles(e, s.lyon, &in_category("earrings")).await.is_empty(),
        "{name}"
    );

    // Filters.
    let filtered = |f: &dyn Fn(&mut SearchQuery)| {
        let mut query = q();
        f(&mut query);
        query
    };
    let cases: Vec<(&str, SearchQuery, BTreeSet<String>)> = vec![
        (
            "price range",
            filtered(&|q| {
                q.price_min = Some(2000);
                q.price_max = Some(5000)
            }),
            set(&["Ceramic bowl", "Glass bowl"]),
        ),
        (
            "in stock",
            filtered(&|q| q.in_stock_only = true),
            set(&[
                "Ceramic bowl",
                "Large ceramic vase",
                "Silver necklace",
                "Gold rings",
                "Glass bowl",
            ]),
        ),
        (
            "every tag",
            filtered(&|q| q.tags = vec!["kitchen".into(), "bowl".into()]),
            set(&["Ceramic bowl"]),
        ),
        (
            "city, any case",
            filtered(&|q| q.city = Some("PARIS".into())),
            set(&["Glass bowl"]),
        ),
        (
            "region, accents folded",
            filtered(&|q| q.region = Some("auvergne-rhone-alpes".into())),
            set(&[
                "Ceramic bowl",
                "Large ceramic vase",
                "Linen tea towel",
                "Silver necklace",
                "Gold rings",
            ]),
        ),
        (
            "country",
            filtered(&|q| q.country = Some("fr".into())),
            set(&CREATED),
        ),
        (
            "radius",
            filtered(&|q| {
                q.text = Some("bowl".into());
                q.near = Some(Near {
                    latitude: 45.75,
                    longitude: 4.85,
                    radius_km: 50.0,
                })
            }),
            set(&["Ceramic bowl"]),
        ),
        (
            "style",
            filtered(&|q| q.style = Some("Modern".into())),
            set(&["Gold rings"]),
        ),
        (
            "verified sellers",
            filtered(&|q| q.verified_only = true),
            set(&["Gold rings", "Silver necklace"]),
        ),
        ("rating", filtered(&|q| q.rating_min = Some(0.5)), set(&[])),
        (
            "combined",
            filtered(&|q| {
                q.category = Some(s.cat("home-living"));
                q.in_stock_only = true;
                q.price_max = Some(3000)
            }),
            set(&["Ceramic bowl"]),
        ),
    ];
    for (what, query, expected) in cases {
        assert_eq!(
            title_set(e, s.lyon, &query).await,
            expected,
            "{name}: {what}"
        );
    }

    // Sorts, each fully ordered (ties broken by id, newest first).
    let sorted = |sort: Sort| SearchQuery { sort, ..q() };
    let by_price = [
        "Linen tea towel",
        "Ceramic bowl",
        "Glass bowl",
        "Large ceramic vase",
        "Silver necklace",
        "Gold rings",
    ];
    assert_eq!(
        titles(e, s.lyon, &sorted(Sort::PriceAsc)).await,
        by_price,
        "{name}"
    );
    let mut desc = by_price;
    desc.reverse();
    assert_eq!(
        titles(e, s.lyon, &sorted(Sort::PriceDesc)).await,
        desc,
        "{name}"
    );
    let mut newest = CREATED;
    newest.reverse();
    for sort in [
        Sort::Newest,
        Sort::Relevance,
        Sort::TopRated,
        Sort::Trending,
    ] {
        assert_eq!(
            titles(e, s.lyon, &sorted(sort)).await,
            newest,
            "{name}: {sort:?} (nothing rated or trending yet: newest first)"
        );
    }

    // Keyset pages cover every result exactly once, in order, for every sort.
    for sort in Sort::ALL {
        let all = titles(e, s.lyon, &sorted(sort)).await;
        assert_eq!(
            paged(e, s.lyon, &sorted(sort), 4).await,
            all,
            "{name}: {sort:?}"
        );
        assert_eq!(
            paged(e, s.lyon, &sorted(sort), 1).await,
            all,
            "{name}: {sort:?}"
        );
    }
    let bowls = titles(e, s.lyon, &text("bowl")).await;
    assert_eq!(
        paged(e, s.lyon, &text("bowl"), 1).await,
        bowls,
        "{name}: relevance pages"
    );

    // Facets and totals.
    let all = e
        .search(
            &krafto_testkit::scope_of(s.lyon),
            &SearchQuery { limit: 2, ..q() },
            100,
        )
        .await
        .unwrap();
    assert_eq!(
        all.total, 6,
        "{name}: total counts every match, not the page"
    );
    assert_eq!(all.hits.len(), 2);
    let counts: Vec<(Uuid, i64)> = all
        .facets
        .categories
        .iter()
        .map(|c| (c.category_id, c.count))
        .collect();
    let mut expected = vec![
        (s.cat("ceramics"), 3),
        (s.cat("textiles"), 1),
        (s.cat("necklaces"), 1),
        (s.cat("rings"), 1),
    ];
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    assert_eq!(counts, expected, "{name}: category facet");
    let bands: Vec<(i64, Option<i64>, i64)> = all
        .facets
        .price_bands
        .iter()
        .map(|b| (b.min_minor, b.max_minor, b.count))
        .collect();
    assert_eq!(
        bands,
        [
            (0, Some(2000), 1),
            (2000, Some(5000), 2),
            (5000, Some(10000), 1),
            (10000, Some(25000), 1),
            (25000, None, 1)
        ],
        "{name}: price bands"
    );
    let bowl_facets = e
        .search(&krafto_testkit::scope_of(s.lyon), &text("bowl"), 100)
        .await
        .unwrap();
    assert_eq!(
        bowl_facets
            .facets
            .categories
            .iter()
            .map(|c| (c.category_id, c.count))
            .collect::<Vec<_>>(),
        [(s.cat("ceramics"), 2)],
        "{name}: facets follow the query"
    );
    // A chosen price band and category leave the other choices' counts true: categories
    // are counted as if none were chosen, bands as if no price were.
    let chosen = e
        .search(
            &krafto_testkit::scope_of(s.lyon),
            &SearchQuery {
                category: Some(s.cat("ceramics")),
                price_min: Some(2000),
                price_max: Some(4999),
                ..q()
            },
            100,
        )
        .await
        .unwrap();
    let in_band: i64 = chosen.facets.categories.iter().map(|c| c.count).sum();
    assert_eq!(
        in_band, 2,
        "{name}: every category's count in the chosen band (as the unfiltered bands say)"
    );
    let ceramic_bands: i64 = chosen.facets.price_bands.iter().map(|b| b.count).sum();
    assert_eq!(
        ceramic_bands, 3,
        "{name}: every band's count in the chosen category"
    );
    assert!(chosen.total <= 2, "{name}: the hits obey both choices");

    // Cards.
    let necklace = e
        .search(&krafto_testkit::scope_of(s.lyon), &text("necklace"), 100)
        .await
        .unwrap()
        .hits;
    let n = &necklace[0];
    assert_eq!(n.listing_id, s.listings["Silver necklace"], "{name}");
    assert_eq!(
        (n.price_minor, n.currency.as_str()),
        (12000, "EUR"),
        "{name}"
    );
    assert_eq!(
        (
            n.shop_slug.as_str(),
            n.shop_name.as_str(),
            n.verified_seller
        ),
        ("bijoux-lumiere", "Bijoux Lumière", true),
        "{name}"
    );
    assert_eq!(
        (n.city.as_deref(), n.country.as_deref()),
        (Some("Lyon"), Some("FR")),
        "{name}"
    );
    assert_eq!(
        n.photo_url.as_deref(),
        Some("https://img.example/Silver-necklace.jpg"),
        "{name}"
    );
    assert_eq!(n.photo_alt.as_deref(), Some("Silver necklace"), "{name}");
    assert_eq!(
        (n.rating, n.rating_count, n.in_stock),
        (None, 0, true),
        "{name}"
    );
    assert_eq!(n.category_id, Some(s.cat("necklaces")), "{name}");
    let towel = e
        .search(&krafto_testkit::scope_of(s.lyon), &text("towel"), 100)
        .await
        .unwrap()
        .hits;
    assert!(!towel[0].in_stock, "{name}: out of stock, still listed");

    // Tenant isolation.
    assert!(
        titles(e, s.lyon, &text("teapot")).await.is_empty(),
        "{name}"
    );
    assert_eq!(
        titles(e, s.paris, &text("teapot")).await,
        ["Paris teapot"],
        "{name}"
    );
    assert!(titles(e, s.paris, &text("bowl")).await.is_empty(), "{name}");
    assert_eq!(
        e.search(&krafto_testkit::scope_of(s.paris), &q(), 100)
            .await
            .unwrap()
            .total,
        1,
        "{name}"
    );
    assert_eq!(
        e.search(&krafto_testkit::scope_of(Uuid::now_v7()), &q(), 100)
            .await
            .unwrap()
            .total,
        0,
        "{name}: an unknown tenant finds nothing"
    );
}

async fn search_messages(app: &TestApp) -> Vec<OutboxMessage> {
    let worker_db = app.db.pool(DbRole::Worker, 1);
    let mut tx = worker_db.worker().await.unwrap();
    let all = {
        use diesel::prelude::*;
        use krafto_db::schema::outbox;
        tx.fetch_all(
            outbox::table
                .filter(outbox::kind.like("search.%"))
                .select(OutboxMessage::as_select()),
        )
        .await
        .unwrap()
    };
    tx.commit().await.unwrap();
    all
}

#[tokio::test]
async fn postgres_search_passes_the_conformance_suite() {
    let app = TestApp::spawn().await;
    let seeded = seed(&app).await;
    let engine = PgSearch::new(app.db.pool(DbRole::App, 4));
    conformance(&engine, &seeded).await;
    assert!(
        search_messages(&app).await.is_empty(),
        "without OpenSearch no index sync is queued"
    );
}

/// Runs the worker until the outbox holds nothing due; fails on dead or retried messages.
async fn drain(worker: &Worker) {
    for _ in 0..200 {
        let r = worker.run_once().await.unwrap();
        assert_eq!((r.retried, r.dead, r.unsettled), (0, 0, 0), "{r:?}");
        if r.claimed == 0 {
            return;
        }
    }
    panic!("the outbox never drained");
}

fn worker_config() -> WorkerConfig {
    WorkerConfig {
        poll_interval: Duration::from_millis(20),
        ..WorkerConfig::default()
    }
}

#[tokio::test]
#[ignore = "needs OPENSEARCH_URL (a real OpenSearch cluster)"]
async fn opensearch_passes_the_conformance_suite() {
    let url = std::env::var("OPENSEARCH_URL")
        .expect("set OPENSEARCH_URL to an OpenSearch cluster to run this test");
    let prefix = format!("krafto-test-{}-", Uuid::new_v4().simple());
    let app = TestApp::spawn_with(AppOptions {
        opensearch_url: Some(url.clone()),
        opensearch_index_prefix: Some(prefix.clone()),
        ..AppOptions::default()
    })
    .await;
    let seeded = seed(&app).await;
    let worker = platform::worker::build(&app.settings, worker_config())
        .await
        .unwrap();
    drain(&worker).await;
    assert!(
        search_messages(&app)
            .await
            .iter()
            .all(|m| m.status == OutboxStatus::Done)
    );
    let engine = OpenSearch::new(&url, &prefix).unwrap();
    engine.refresh().await.unwrap();
    let outcome = std::panic::AssertUnwindSafe(conformance(&engine, &seeded))
        .catch_unwind()
        .await;
    engine.delete_index().await.unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

// ---------------------------------------------------------------------------------------
// The OpenSearch engine against a local HTTP double

/// One request the double received.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    query: String,
    body: String,
}

impl Recorded {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    fn param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    }

    /// The NDJSON lines of a bulk body.
    fn lines(&self) -> Vec<Value> {
        self.body
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

type Answer = dyn Fn(&Recorded) -> (u16, Value) + Send + Sync;

/// A tiny HTTP server on loopback that records every request and answers from `answer`.
struct Double {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Recorded>>>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Double {
    async fn start(answer: Arc<Answer>) -> Double {
        let log: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let seen = log.clone();
        let endpoint = poem::endpoint::make(move |mut req: poem::Request| {
            let seen = seen.clone();
            let answer = answer.clone();
            async move {
                let body = req.take_body().into_string().await.unwrap_or_default();
                let r = Recorded {
                    method: req.method().to_string(),
                    path: req.uri().path().to_owned(),
                    query: req.uri().query().unwrap_or("").to_owned(),
                    body,
                };
                let (status, json) = answer(&r);
                seen.lock().unwrap().push(r);
                poem::Response::builder()
                    .status(poem::http::StatusCode::from_u16(status).unwrap())
                    .content_type("application/json")
                    .body(json.to_string())
            }
        });
        let (acceptor, addr) = krafto_web::bind("127.0.0.1:0").await.unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(
            poem::Server::new_with_acceptor(acceptor).run_with_graceful_shutdown(
                endpoint,
                async {
                    let _ = stopped.await;
                },
                None,
            ),
        );
        Double {
            addr,
            log,
            _stop: stop,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    fn clear(&self) {
        self.log.lock().unwrap().clear();
    }
}

fn source(tenant: Uuid, id: Uuid, title: &str, price: i64, category: Uuid) -> Value {
    json!({
        "listing_id": id, "title": title, "price_minor": price, "currency": "EUR",
        "photo_url": "https://img.example/a.jpg", "photo_alt": title,
        "shop_id": Uuid::nil(), "shop_slug": "atelier", "shop_name": "Atelier", "verified": true,
        "city": "Lyon", "region": null, "country": "FR", "rating": 4.5, "rating_count": 2,
        "in_stock": true, "category_id": category, "created_at": "2026-11-21T10:00:00.123456Z",
        "tenant_id": tenant
    })
}

/// Answers like OpenSearch for the requests the sync and the engine make.
fn cluster(search_answer: Value) -> Arc<Answer> {
    Arc::new(
        move |r: &Recorded| match (r.method.as_str(), r.path.as_str()) {
            ("HEAD", _) => (404, json!({})),
            ("PUT", _) => (200, json!({ "acknowledged": true })),
            ("POST", "/_bulk") => {
                let items: Vec<Value> = r
                .lines()
                .into_iter()
                .filter_map(|l| {
                    let (action, meta) = l.as_object()?.iter().next()?;
                    match action.as_str() {
                        "index" => Some(json!({ "index": { "_id": meta["_id"], "status": 201, "result": "created" } })),
                        "delete" => Some(json!({ "delete": { "_id": meta["_id"], "status": 404, "result": "not_found" } })),
                        _ => None,
                    }
                })
                .collect();
                (200, json!({ "took": 1, "errors": false, "items": items }))
            }
            ("POST", p) if p.ends_with("/_search") => {
                if p.starts_with("/missing-") {
                    (
                        404,
                        json!({ "error": { "type": "index_not_found_exception", "reason": "no such index [missing-listings]" }, "status": 404 }),
                    )
                } else {
                    (200, search_answer.clone())
                }
            }
            _ => (
                400,
                json!({ "error": { "type": "unexpected", "reason": "the double does not know this request" } }),
            ),
        },
    )
}

#[tokio::test]
async fn opensearch_engine_sends_tenant_filtered_routed_searches_and_maps_the_answer() {
    let tenant = Uuid::now_v7();
    let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let (cat1, cat2) = (Uuid::now_v7(), Uuid::now_v7());
    let hit = |id: Uuid, title: &str, price: i64| {
        json!({ "_index": "krafto-listings", "_id": format!("{tenant}:{id}"), "_score": null,
                "_source": source(tenant, id, title, price, cat1), "sort": [price, id.to_string()] })
    };
    let answer = json!({
        "took": 3,
        "hits": { "total": { "value": 7, "relation": "eq" }, "hits": [hit(a, "Bowl A", 1200), hit(b, "Bowl B", 2400), hit(c, "Bowl C", 3100)] },
        "aggregations": {
            "categories": { "doc_count": 7, "counts": { "buckets": [ { "key": cat1.to_string(), "doc_count": 2 }, { "key": cat2.to_string(), "doc_count": 5 } ] } },
            "price_bands": { "doc_count": 7, "counts": { "buckets": [
                { "key": "0", "to": 2000.0, "doc_count": 1 },
                { "key": "1", "from": 2000.0, "to": 5000.0, "doc_count": 2 },
                { "key": "2", "from": 5000.0, "to": 10000.0, "doc_count": 0 },
                { "key": "3", "from": 10000.0, "to": 25000.0, "doc_count": 3 },
                { "key": "4", "from": 25000.0, "doc_count": 1 }
            ] } }
        }
    });
    let double = Double::start(cluster(answer)).await;
    let engine = OpenSearch::new(&double.url(), "krafto-").unwrap();
    let after = Uuid::now_v7();
    let query = SearchQuery {
        text: Some("bowl".into()),
        category: Some(cat1),
        price_min: Some(1000),
        price_max: Some(5000),
        rating_min: Some(1.0),
        country: Some("fr".into()),
        region: Some("Rhône".into()),
        city: Some("Lyon".into()),
        near: Some(Near {
            latitude: 45.75,
            longitude: 4.85,
            radius_km: 25.0,
        }),
        tags: vec!["kitchen".into(), "bowl".into()],
        style: Some("rustic".into()),
        in_stock_only: true,
        verified_only: true,
        sort: Sort::PriceAsc,
        cursor: Some(Cursor {
            key: 900.0,
            id: after,
        }),
        limit: 2,
    };
    let page = engine
        .search(&krafto_testkit::scope_of(tenant), &query, 100)
        .await
        .unwrap();

    let sent = double.requests();
    assert_eq!(sent.len(), 1);
    let r = &sent[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/krafto-listings/_search")
    );
    assert_eq!(
        r.param("routing"),
        Some(tenant.to_string()),
        "routed by tenant"
    );
    let body = r.json();
    let mut filter = body["query"]["bool"]["filter"].as_array().unwrap().clone();
    let chosen = body["post_filter"]["bool"]["filter"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(
        chosen,
        [
            json!({ "term": { "category_path": cat1.to_string() } }),
            json!({ "range": { "price_minor": { "gte": 1000, "lte": 5000 } } }),
        ],
        "the category and the price filter hits after the facets are counted"
    );
    assert_eq!(
        body["aggs"]["categories"]["filter"], chosen[1],
        "categories are counted under the price only"
    );
    assert_eq!(
        body["aggs"]["price_bands"]["filter"], chosen[0],
        "price bands are counted under the category only"
    );
    filter.extend(chosen);
    assert_eq!(
        filter[0],
        json!({ "term": { "tenant_id": tenant.to_string() } }),
        "tenant filter first"
    );
    for expected in [
        json!({ "term": { "category_path": cat1.to_string() } }),
        json!({ "range": { "price_minor": { "gte": 1000, "lte": 5000 } } }),
        json!({ "range": { "rating_rank": { "gte": 1.0 } } }),
        json!({ "term": { "country": "FR" } }),
        json!({ "term": { "region": "Rhône" } }),
        json!({ "term": { "city": "Lyon" } }),
        json!({ "geo_distance": { "distance": "25km", "location": { "lat": 45.75, "lon": 4.85 } } }),
        json!({ "term": { "tags.raw": "kitchen" } }),
        json!({ "term": { "tags.raw": "bowl" } }),
        json!({ "term": { "style": "rustic" } }),
        json!({ "term": { "in_stock": true } }),
        json!({ "term": { "verified": true } }),
    ] {
        assert!(
            filter.contains(&expected),
            "missing {expected} in {filter:?}"
        );
    }
    let text = &body["query"]["bool"]["must"][0]["multi_match"];
    assert_eq!(text["query"], "bowl");
    assert_eq!(text["fuzziness"], "AUTO", "typo tolerant");
    assert_eq!(
        body["size"], 3,
        "one more than the page, to know about the next"
    );
    assert_eq!(body["track_total_hits"], true);
    assert_eq!(
        body["sort"],
        json!([{ "price_minor": "asc" }, { "listing_id": "asc" }])
    );
    assert_eq!(body["search_after"], json!([900, after.to_string()]));
    assert_eq!(
        body["aggs"]["categories"]["aggs"]["counts"]["terms"]["field"],
        "category_id"
    );
    let bands = &body["aggs"]["price_bands"]["aggs"]["counts"]["range"];
    assert_eq!(bands["field"], "price_minor");
    assert_eq!(
        bands["ranges"][1],
        json!({ "key": "1", "from": 2000, "to": 5000 })
    );

    let titles: Vec<&str> = page.hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["Bowl A", "Bowl B"]);
    let h = &page.hits[0];
    assert_eq!(h.listing_id, a);
    assert_eq!((h.price_minor, h.currency.as_str()), (1200, "EUR"));
    assert_eq!((h.shop_slug.as_str(), h.verified_seller), ("atelier", true));
    assert_eq!((h.rating, h.rating_count, h.in_stock), (Some(4.5), 2, true));
    assert_eq!(h.category_id, Some(cat1));
    assert_eq!(
        h.created_at.to_rfc3339(),
        "2026-11-21T10:00:00.123456+00:00"
    );
    assert_eq!(page.total, 7);
    assert_eq!(
        page.next_cursor,
        Some(Cursor { key: 2400.0, id: b }),
        "the last hit of the page"
    );
    let cats: Vec<(Uuid, i64)> = page
        .facets
        .categories
        .iter()
        .map(|c| (c.category_id, c.count))
        .collect();
    assert_eq!(cats, [(cat2, 5), (cat1, 2)], "most first");
    let bands: Vec<(i64, Option<i64>, i64)> = page
        .facets
        .price_bands
        .iter()
        .map(|b| (b.min_minor, b.max_minor, b.count))
        .collect();
    assert_eq!(
        bands,
        [
            (0, Some(2000), 1),
            (2000, Some(5000), 2),
            (5000, Some(10000), 0),
            (10000, Some(25000), 3),
            (25000, None, 1)
        ]
    );

    // The last page has no cursor.
    let last = engine
        .search(
            &krafto_testkit::scope_of(tenant),
            &SearchQuery {
                limit: 3,
                ..query.clone()
            },
            100,
        )
        .await
        .unwrap();
    assert_eq!((last.hits.len(), last.next_cursor), (3, None));

    // Failures say what to do next.
    let missing = OpenSearch::new(&double.url(), "missing-").unwrap();
    let e = missing
        .search(&krafto_testkit::scope_of(tenant), &q(), 100)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("platform worker"), "{e}");
    let down = OpenSearch::new("http://127.0.0.1:1", "krafto-").unwrap();
    let e = down
        .search(&krafto_testkit::scope_of(tenant), &q(), 100)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("OPENSEARCH_URL"), "{e}");
}

/// Every bulk line the double received: (action, metadata, document if any).
fn bulk_ops(requests: &[Recorded]) -> Vec<(String, Value, Option<Value>)> {
    let mut out = Vec::new();
    for r in requests.iter().filter(|r| r.path == "/_bulk") {
        let mut lines = r.lines().into_iter();
        while let Some(action) = lines.next() {
            let (name, meta) = action.as_object().unwrap().iter().next().unwrap();
            let doc = (name == "index").then(|| lines.next().unwrap());
            out.push((name.clone(), meta.clone(), doc));
        }
    }
    out
}

#[tokio::test]
async fn catalog_changes_reach_opensearch_through_the_outbox_routed_by_tenant() {
    let empty = json!({
        "hits": { "total": { "value": 0, "relation": "eq" }, "hits": [] },
        "aggregations": { "categories": { "counts": { "buckets": [] } }, "price_bands": { "counts": { "buckets": [] } } }
    });
    let double = Double::start(cluster(empty)).await;
    let app = TestApp::spawn_with(AppOptions {
        opensearch_url: Some(double.url()),
        ..AppOptions::default()
    })
    .await;
    let lyon = market(&app, "lyon", false).await;
    let paris = market(&app, "paris", false).await;
    let (ana, shop) = live_seller(&app, LYON, &lyon, "ana@example.com", "Atelier Terre").await;
    let cats = categories(&app, LYON).await;
    let mut bowl_body = listing_body("Ceramic bowl", 2400);
    bowl_body["category_id"] = json!(cats["ceramics"]);
    let bowl: Uuid = live_listing(&app, LYON, &ana, bowl_body)
        .await
        .parse()
        .unwrap();
    let draft = create_listing(&app, LYON, &ana, listing_body("Draft bowl", 900)).await;
    let (paris_seller, _) =
        live_seller(&app, PARIS, &paris, "bo@example.com", "Atelier Paris").await;
    let teapot: Uuid = live_listing(
        &app,
        PARIS,
        &paris_seller,
        listing_body("Paris teapot", 4000),
    )
    .await
    .parse()
    .unwrap();
    let (lyon_id, paris_id): (Uuid, Uuid) = (lyon.id.parse().unwrap(), paris.id.parse().unwrap());
    assert!(
        search_messages(&app)
            .await
            .iter()
            .all(|m| m.status == OutboxStatus::Pending),
        "written with the changes, delivered by the worker"
    );

    let worker = platform::worker::build(&app.settings, worker_config())
        .await
        .unwrap();
    for kind in [
        "search.category",
        "search.listing",
        "search.shop",
        "search.tenant",
    ] {
        assert!(worker.kinds().contains(&kind), "the worker delivers {kind}");
    }
    drain(&worker).await;
    let sent = double.requests();
    let calls: Vec<(&str, &str)> = sent
        .iter()
        .take(3)
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("PUT", "/_index_template/krafto-listings"),
            ("HEAD", "/krafto-listings"),
            ("PUT", "/krafto-listings")
        ]
    );
    let mapping = index_mapping();
    assert_eq!(sent[0].json()["index_patterns"], json!(["krafto-listings"]));
    assert_eq!(
        sent[0].json()["template"]["mappings"],
        mapping["mappings"],
        "a deleted index comes back alike"
    );
    assert_eq!(
        sent[2].json(),
        mapping,
        "the index is created with our mapping"
    );
    let ops = bulk_ops(&sent);
    assert!(!ops.is_empty());
    for (action, meta, doc) in &ops {
        let routing: Uuid = meta["routing"].as_str().unwrap().parse().unwrap();
        let id = meta["_id"].as_str().unwrap();
        assert!(
            id.starts_with(&format!("{routing}:")),
            "{id} routed by its tenant {routing}"
        );
        assert_eq!(meta["_index"], "krafto-listings");
        assert_eq!(meta["version_type"], "external");
        assert!(meta["version"].as_i64().unwrap() > 0);
        if let Some(doc) = doc {
            assert_eq!(action, "index");
            assert_eq!(
                doc["tenant_id"],
                routing.to_string(),
                "the document carries its tenant"
            );
            assert_eq!(
                id,
                format!("{routing}:{}", doc["listing_id"].as_str().unwrap())
            );
        }
    }
    let indexed = |ops: &[(String, Value, Option<Value>)]| -> BTreeSet<String> {
        ops.iter()
            .filter(|o| o.0 == "index")
            .map(|o| o.1["_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let deleted = |ops: &[(String, Value, Option<Value>)]| -> BTreeSet<String> {
        ops.iter()
            .filter(|o| o.0 == "delete")
            .map(|o| o.1["_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        indexed(&ops),
        [format!("{lyon_id}:{bowl}"), format!("{paris_id}:{teapot}")]
            .into_iter()
            .collect(),
        "live listings are indexed, each under its own tenant"
    );
    assert!(
        deleted(&ops).contains(&format!("{lyon_id}:{draft}")),
        "drafts are kept out"
    );
    let doc = ops
        .iter()
        .find_map(|o| o.2.clone().filter(|d| d["listing_id"] == bowl.to_string()))
        .unwrap();
    assert_eq!(doc["title"], "Ceramic bowl");
    assert_eq!(doc["shop_slug"], shop["slug"]);
    assert_eq!(doc["location"], json!({ "lat": 45.764, "lon": 4.8357 }));
    assert_eq!(
        doc["category_path"],
        json!([cats["ceramics"], cats["home-living"]])
    );
    assert_eq!(
        (doc["in_stock"].clone(), doc["price_minor"].clone()),
        (json!(true), json!(2400))
    );
    assert!(
        search_messages(&app)
            .await
            .iter()
            .all(|m| m.status == OutboxStatus::Done)
    );

    // Every seller move announces the listing, in the transaction that makes it.
    let announced = |messages: Vec<OutboxMessage>, id: Uuid| {
        messages
            .iter()
            .filter(|m| m.kind == "search.listing" && m.payload["listing_id"] == id.to_string())
            .count()
    };
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/api/v1/seller/listings/{bowl}"),
            Some(json!({ "price_minor": 2600 })),
        ),
        (
            Method::POST,
            format!("/api/v1/seller/listings/{bowl}/archive"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/seller/listings/{bowl}/restore"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/seller/listings/{bowl}/publish"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/seller/listings/{draft}"),
            None,
        ),
    ] {
        let id = if path.contains(&draft.to_string()) {
            draft
        } else {
            bowl
        };
        let before = announced(search_messages(&app).await, id);
        let r = app
            .store(method.clone(), LYON, &path, Some(&ana), body)
            .await;
        assert!(r.status.is_success(), "{method} {path}: {}", r.text);
        assert_eq!(
            announced(search_messages(&app).await, id),
            before + 1,
            "{method} {path} announces the listing"
        );
    }
    let imported = app
        .http
        .post(format!(
            "http://{}/api/v1/seller/listings/import",
            app.platforms[0]
        ))
        .header("host", LYON)
        .header("content-type", "text/csv")
        .bearer_auth(&ana)
        .body("title,price,quantity\nBlue mug,12,2\nGreen mug,14,1\n")
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), StatusCode::OK);
    let report: Value = imported.json().await.unwrap();
    let mut shop_listings = BTreeSet::from([format!("{lyon_id}:{bowl}")]);
    for row in report["rows"].as_array().unwrap() {
        let id: Uuid = row["listing_id"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            announced(search_messages(&app).await, id),
            1,
            "imports announce each row"
        );
        shop_listings.insert(format!("{lyon_id}:{id}"));
    }
    double.clear();
    drain(&worker).await;
    let ops = bulk_ops(&double.requests());
    let repriced = ops
        .iter()
        .filter_map(|o| o.2.clone())
        .find(|d| d["listing_id"] == bowl.to_string())
        .unwrap();
    assert_eq!(
        repriced["price_minor"], 2600,
        "the index follows the current row"
    );
    assert!(deleted(&ops).contains(&format!("{lyon_id}:{draft}")));

    // A reindex queues every tenant; the worker rewrites all their live listings.
    double.clear();
    assert_eq!(
        platform::worker::queue_reindex(&app.settings, None)
            .await
            .unwrap(),
        2
    );
    drain(&worker).await;
    assert_eq!(
        indexed(&bulk_ops(&double.requests())),
        [format!("{lyon_id}:{bowl}"), format!("{paris_id}:{teapot}")]
            .into_iter()
            .collect()
    );

    // Moving a category re-indexes the listings below it with their new ancestors.
    double.clear();
    let moved = app
        .store(
            Method::PATCH,
            LYON,
            &format!("/api/v1/admin/categories/{}", cats["ceramics"]),
            Some(&lyon.operator),
            Some(json!({ "parent_id": cats["jewellery"] })),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    drain(&worker).await;
    let ops = bulk_ops(&double.requests());
    let doc = ops.iter().find_map(|o| o.2.clone()).unwrap();
    assert_eq!(
        doc["category_path"],
        json!([cats["ceramics"], cats["jewellery"]])
    );

    // Suspending the shop deletes its listings from the index.
    double.clear();
    let suspended = app
        .store(
            Method::POST,
            LYON,
            &format!(
                "/api/v1/admin/shops/{}/suspend",
                shop["id"].as_str().unwrap()
            ),
            Some(&lyon.operator),
            Some(json!({ "reason": "counterfeits" })),
        )
        .await;
    assert_eq!(suspended.status, StatusCode::OK, "{}", suspended.text);
    drain(&worker).await;
    let ops = bulk_ops(&double.requests());
    assert!(indexed(&ops).is_empty());
    assert_eq!(deleted(&ops), shop_listings, "every listing of the shop");

    // The store's search goes to OpenSearch, routed and filtered by the host's tenant.
    double.clear();
    for (host, tenant) in [(LYON, lyon_id), (PARIS, paris_id)] {
        let r = app
            .store(Method::GET, host, "/api/v1/store/search?q=bowl", None, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.body["engine"], "opensearch");
        let searches: Vec<Recorded> = double
            .requests()
            .into_iter()
            .filter(|r| r.path == "/krafto-listings/_search")
            .collect();
        assert!(!searches.is_empty());
        for s in &searches {
            assert_eq!(s.param("routing"), Some(tenant.to_string()));
            assert_eq!(
                s.json()["query"]["bool"]["filter"][0],
                json!({ "term": { "tenant_id": tenant.to_string() } })
            );
        }
        double.clear();
    }
}
