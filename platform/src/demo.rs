//! `platform demo-catalog`: a few live, payable shops with listings in the demo marketplaces
//! (`lyon`, `ferme`), so a fresh `scripts/run` can be browsed and bought from at once (test
//! payments). Idempotent: a marketplace that already has shops is left alone.
//!
//! It writes through the same models as the seller API, inside each marketplace's own
//! tenant-scoped transaction; it is for demo databases only.

use crate::Settings;
use krafto_core::catalog::{ListingStatus, ShopStatus};
use krafto_db::models::{
    AccountReadiness, Category, Listing, ListingFields, PaymentAccount, SellerAccount,
    ShippingOption, Shop, ShopProfile, Tenant, User,
};
use krafto_db::{Db, DbRole, TenantScope};
use secrecy::ExposeSecret;
use serde_json::json;
use uuid::Uuid;

struct DemoShop {
    slug: &'static str,
    name: &'static str,
    email: &'static str,
    city: &'static str,
    story: &'static str,
    /// title, price (minor units), stock, category slug, tags
    listings: &'static [(
        &'static str,
        i64,
        i32,
        &'static str,
        &'static [&'static str],
    )],
}

const LYON: &[DemoShop] = &[
    DemoShop {
        slug: "atelier-terre",
        name: "Atelier Terre",
        email: "camille@atelier-terre.example",
        city: "Lyon",
        story: "Stoneware thrown and glazed by hand in a small workshop by the Saône.",
        listings: &[
            (
                "Speckled stoneware bowl",
                3200,
                12,
                "ceramics",
                &["bowl", "stoneware"],
            ),
            ("Blue glazed mug", 2400, 20, "ceramics", &["mug", "blue"]),
            ("Serving platter", 5800, 4, "ceramics", &["platter"]),
        ],
    },
    DemoShop {
        slug: "fil-d-or",
        name: "Fil d'Or",
        email: "ines@fildor.example",
        city: "Villeurbanne",
        story: "Recycled gold and silver jewellery, each piece made to last.",
        listings: &[
            (
                "Hammered silver ring",
                6500,
                6,
                "rings",
                &["silver", "ring"],
            ),
            (
                "Gold leaf earrings",
                8900,
                3,
                "earrings",
                &["gold", "earrings"],
            ),
        ],
    },
    DemoShop {
        slug: "maison-lin",
        name: "Maison Lin",
        email: "paul@maisonlin.example",
        city: "Lyon",
        story: "Linen woven in the Rhône valley, sewn into things for every day.",
        listings: &[
            (
                "Linen tea towels (set of 2)",
                2800,
                30,
                "textiles",
                &["linen", "kitchen"],
            ),
            (
                "Beeswax candle",
                1800,
                25,
                "candles",
                &["candle", "beeswax"],
            ),
        ],
    },
];

const FERME: &[DemoShop] = &[DemoShop {
    slug: "ferme-des-saules",
    name: "Ferme des Saules",
    email: "marie@saules.example",
    city: "Bourg-en-Bresse",
    story: "Vegetables, eggs and cheese from our farm, picked the day before market.",
    listings: &[
        (
            "Seasonal vegetable box",
            2200,
            40,
            "vegetables",
            &["box", "seasonal"],
        ),
        ("Free-range eggs (12)", 480, 60, "eggs", &["eggs"]),
        ("Fresh goat cheese", 650, 30, "cheese", &["cheese", "goat"]),
    ],
}];

/// The demo sellers, as `(marketplace slug, shop name, e-mail)`: they sign in at their
/// marketplace with an e-mailed code, like anyone.
pub fn sellers() -> Vec<(&'static str, &'static str, &'static str)> {
    [("lyon", LYON), ("ferme", FERME)]
        .into_iter()
        .flat_map(|(slug, shops)| shops.iter().map(move |s| (slug, s.name, s.email)))
        .collect()
}

/// Seeds the demo catalogue; returns the number of shops created.
pub async fn seed_catalog(settings: &Settings) -> anyhow::Result<usize> {
    let db = Db::connect(settings.database.url.expose_secret(), DbRole::App, 2)?;
    let mut created = 0;
    for (slug, shops) in [("lyon", LYON), ("ferme", FERME)] {
        let mut tx = db.control().await?;
        let tenant = Tenant::find_by_slug(&mut tx, slug).await?;
        tx.commit().await?;
        let Some(tenant) = tenant else {
            continue;
        };
        let host = format!("{}.{}", tenant.slug, settings.site.base_domain);
        let base = settings.site.storefront_url.replace("{host}", &host);
        // Seeding is a staff path: it acts on a marketplace it has just loaded by slug.
        let mut tx = db.tenant(&TenantScope::staff(&tenant)).await?;
        if Shop::any(&mut tx).await? {
            continue;
        }
        let categories = Category::all(&mut tx).await?;
        for s in shops {
            let (user, _) = User::sign_in(&mut tx, s.email).await?;
            User::become_seller(&mut tx, user.id).await?;
            let shop = Shop::create(
                &mut tx,
                user.id,
                s.slug,
                &ShopProfile {
                    name: s.name.to_owned(),
                    story: Some(s.story.to_owned()),
                    city: Some(s.city.to_owned()),
                    country: Some("FR".to_owned()),
                    profile_image_url: Some(format!("{base}/assets/demo/{}.svg", s.slug)),
                    social_links: json!({}),
                    return_policy: Some("Returns within 14 days of delivery.".to_owned()),
                    processing_days_min: Some(1),
                    processing_days_max: Some(3),
                    languages: vec!["fr".to_owned(), "en".to_owned()],
                    ..ShopProfile::default()
                },
            )
            .await?;
            Shop::set_status(&mut tx, shop.id, ShopStatus::Active, None).await?;
            Shop::set_verified(&mut tx, shop.id, true).await?;
            let account = format!("acct_test_demo_{}", s.slug.replace('-', "_"));
            SellerAccount::create(
                &mut tx,
                shop.id,
                &account,
                &AccountReadiness {
                    charges_enabled: true,
                    payouts_enabled: true,
                    details_submitted: true,
                    requirements: Vec::new(),
                },
            )
            .await?;
            PaymentAccount::register(&mut tx, &account, "seller").await?;
            ShippingOption::replace(
                &mut tx,
                shop.id,
                &[ShippingOption {
                    tenant_id: tenant.id,
                    id: Uuid::now_v7(),
                    shop_id: shop.id,
                    name: "Colissimo".to_owned(),
                    base_minor: 490,
                    per_item_minor: 100,
                    days_min: 2,
                    days_max: 4,
                    position: 0,
                }],
            )
            .await?;
            for (i, (title, price, stock, category, tags)) in s.listings.iter().enumerate() {
                let l = Listing::create(
                    &mut tx,
                    shop.id,
                    &tenant.currency,
                    &ListingFields {
                        title: (*title).to_owned(),
                        description: format!("{title}, made by {}. {}", s.name, s.story),
                        price_minor: *price,
                        quantity: *stock,
                        category_id: categories
                            .iter()
                            .find(|c| c.slug == *category)
                            .map(|c| c.id),
                        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
                        processing_days: Some(2),
                        photos: json!([{
                            "url": format!("{base}/assets/demo/{}-{i}.svg", s.slug),
                            "alt": title,
                        }]),
                        ..ListingFields::default()
                    },
                )
                .await?;
                Listing::set_status(&mut tx, l.id, ListingStatus::Active, None).await?;
            }
            created += 1;
        }
        tx.commit().await?;
    }
    Ok(created)
}
