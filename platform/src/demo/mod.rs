//! `platform demo-catalog`: live, verified, payable shops with listings in the demo
//! marketplaces (`lyon`, handmade; `ferme`, a farm co-op), so a fresh `scripts/run` can be
//! browsed and bought from at once (test payments), with pictures drawn by the project
//! itself. Idempotent: a marketplace that already has shops is left alone.
//!
//! The data lives in [`lyon`] and [`ferme`] (every text in French and English; the
//! marketplace's locale picks one). It is written through the same checks and models as the
//! seller API (`parse_shop`, `parse_listing`, the delivery options' rules, the publish rule),
//! inside each marketplace's own tenant-scoped transaction; pictures go through krafto-media
//! like uploads. For demo databases only: it must never run against a real marketplace.

mod data;
mod ferme;
mod lyon;
mod pictures;

use crate::Settings;
use crate::catalog::photos::{new_row, refresh_shown};
use crate::catalog::{check_category, completeness, parse_listing, parse_shop, variant_rows};
use crate::commerce::selling::{check_shipping_options, save_shipping_options};
use anyhow::{Context, anyhow, bail};
use data::DemoShop;
use krafto_api_types::catalog::{Dimensions, ListingInput, Location, ShopInput, VariantInput};
use krafto_api_types::commerce::{PickupInput, ShippingOptionInput};
use krafto_core::catalog::{ListingEvent, ShopStatus, missing_for_publish};
use krafto_db::models::{
    AccountReadiness, Category, Listing, ListingPhoto, ListingVariant, MarketplaceSettings,
    PaymentAccount, SellerAccount, Shop, ShopImage, Tenant, User,
};
use krafto_db::{Db, DbRole, TenantScope};
use krafto_demo_art::Photo;
use krafto_i18n::Locale;
use krafto_media::{Media, StoredImage};
use krafto_search::sync::{SyncTarget, announce, announce_listings};
use pictures::Picture;
use secrecy::ExposeSecret;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub use pictures::PictureSizes;

/// The demo marketplaces and their shops.
const MARKETPLACES: [(&str, &[DemoShop]); 2] = [("lyon", lyon::SHOPS), ("ferme", ferme::SHOPS)];

/// The demo sellers, as `(marketplace slug, shop name, e-mail)`: they sign in at their
/// marketplace with an e-mailed code, like anyone.
pub fn sellers() -> Vec<(&'static str, &'static str, &'static str)> {
    MARKETPLACES
        .into_iter()
        .flat_map(|(slug, shops)| shops.iter().map(move |s| (slug, s.name, s.email)))
        .collect()
}

/// What a run created (all zero when every demo marketplace already had shops).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seeded {
    pub shops: usize,
    pub listings: usize,
    /// Listing photos, logos and banners stored.
    pub pictures: usize,
}

/// How far the pictures of a marketplace are.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub marketplace: &'a str,
    pub done: usize,
    pub total: usize,
}

/// Seeds the demo catalogue with pictures of `sizes`, telling `progress` about the
/// pictures as they are stored.
pub async fn seed_catalog(
    settings: &Settings,
    sizes: PictureSizes,
    mut progress: impl FnMut(Progress<'_>),
) -> anyhow::Result<Seeded> {
    let db = Db::connect(settings.database.url.expose_secret(), DbRole::App, 2)?;
    let media = Media::from_config(&settings.media)
        .map_err(|e| anyhow!("KRAFTO_MEDIA_DIR / KRAFTO_S3_BUCKET: {e}"))?;
    let mut seeded = Seeded::default();
    for (slug, shops) in MARKETPLACES {
        let mut tx = db.control().await?;
        let tenant = Tenant::find_by_slug(&mut tx, slug).await?;
        tx.commit().await?;
        let Some(tenant) = tenant else {
            continue;
        };
        // Seeding is a staff path: it acts on a marketplace it has just loaded by slug.
        let scope = TenantScope::staff(&tenant);
        let mut tx = db.tenant(&scope).await?;
        let has_shops = Shop::any(&mut tx).await?;
        tx.commit().await?;
        if has_shops {
            continue;
        }
        // Drawn and stored before the transaction that writes the rows, which stays short.
        let (slots, drawn): (Vec<Slot>, Vec<Picture>) = pictures_of(shops).into_iter().unzip();
        let stored = pictures::store_all(&media, tenant.id, drawn, sizes, |done, total| {
            progress(Progress {
                marketplace: slug,
                done,
                total,
            });
        })
        .await
        .with_context(|| format!("storing the pictures of {slug}"))?;
        let images = slots.into_iter().zip(stored).collect();
        let n = seed_marketplace(&db, settings, &tenant, shops, images)
            .await
            .with_context(|| format!("seeding {slug}"))?;
        seeded.shops += n.shops;
        seeded.listings += n.listings;
        seeded.pictures += n.pictures;
    }
    Ok(seeded)
}

/// Which picture of the data: of the n-th shop, of its l-th listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Logo(usize),
    Banner(usize),
    Photo(usize, usize, u8),
}

/// Every picture of the shops.
fn pictures_of(shops: &[DemoShop]) -> Vec<(Slot, Picture)> {
    let mut out = Vec::new();
    for (n, s) in shops.iter().enumerate() {
        let seed = krafto_demo_art::seed(s.slug);
        out.push((
            Slot::Logo(n),
            Picture::Logo {
                motif: s.logo,
                colour: s.colour,
                seed,
            },
        ));
        out.push((
            Slot::Banner(n),
            Picture::Banner {
                motifs: s.banner,
                colour: s.colour,
                seed,
            },
        ));
        for (i, l) in s.listings.iter().enumerate() {
            for k in 0..l.photos {
                out.push((
                    Slot::Photo(n, i, k),
                    Picture::Photo(Photo {
                        motif: l.motif,
                        colour: l.colour,
                        seed: krafto_demo_art::seed(&format!("{}/{i}", s.slug)),
                        close_up: k > 0,
                    }),
                ));
            }
        }
    }
    out
}

/// A problem of the demo data, refused by the rules sellers are held to.
fn refused(what: &str, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!("demo data refused ({what}): {e}")
}

async fn seed_marketplace(
    db: &Db,
    settings: &Settings,
    tenant: &Tenant,
    shops: &[DemoShop],
    mut images: HashMap<Slot, StoredImage>,
) -> anyhow::Result<Seeded> {
    let lang = Locale::of_tag(&tenant.locale);
    let host = format!("{}.{}", tenant.slug, settings.site.base_domain);
    let base = settings.site.storefront_url.replace("{host}", &host);
    let sync = settings.search.opensearch_url.is_some();
    let mut image = |slot: Slot| {
        images
            .remove(&slot)
            .ok_or_else(|| anyhow!("no picture was stored for {slot:?}"))
    };
    let mut tx = db.tenant(&TenantScope::staff(tenant)).await?;
    // Another run may have got here first.
    if Shop::any(&mut tx).await? {
        return Ok(Seeded::default());
    }
    let categories = Category::all(&mut tx).await?;
    let rules = MarketplaceSettings::get(&mut tx).await?;
    let mut seeded = Seeded::default();
    let mut opened: Vec<Uuid> = Vec::new();
    for (n, s) in shops.iter().enumerate() {
        let (user, _) = User::sign_in(&mut tx, s.email).await?;
        User::become_seller(&mut tx, user.id).await?;
        let logo = image(Slot::Logo(n))?;
        let banner = image(Slot::Banner(n))?;
        let profile = parse_shop(&ShopInput {
            name: s.name.into(),
            story: Some(s.story.get(lang).into()),
            location: Some(Location {
                city: Some(s.city.into()),
                region: Some(s.region.into()),
                country: Some("FR".into()),
                latitude: Some(s.latitude),
                longitude: Some(s.longitude),
            }),
            profile_image_url: Some(format!("{base}{}", logo.src_at_least(640)).into()),
            banner_url: Some(format!("{base}{}", banner.src_at_least(1280)).into()),
            social_links: BTreeMap::new(),
            return_policy: Some(s.return_policy.get(lang).into()),
            processing_days_min: Some(s.processing_days.0),
            processing_days_max: Some(s.processing_days.1),
            languages: vec!["fr".into(), "en".into()],
        })
        .map_err(|e| refused(s.slug, e))?;
        let shop = Shop::create(&mut tx, user.id, s.slug, &profile).await?;
        Shop::set_image(
            &mut tx,
            shop.id,
            ShopImage::Logo,
            Some(serde_json::to_value(&logo)?),
        )
        .await?;
        Shop::set_image(
            &mut tx,
            shop.id,
            ShopImage::Banner,
            Some(serde_json::to_value(&banner)?),
        )
        .await?;
        Shop::set_status(&mut tx, shop.id, ShopStatus::Active, None).await?;
        Shop::set_verified(&mut tx, shop.id, true).await?;
        // A connected account that can take payments at once (the test gateway's kind).
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
        let delivery: Vec<ShippingOptionInput> = s
            .delivery
            .iter()
            .map(|d| ShippingOptionInput {
                id: None,
                name: d.name.get(lang).into(),
                base_minor: d.base,
                per_item_minor: d.per_item,
                days_min: d.days.0,
                days_max: d.days.1,
                pickup: d.pickup.map(|(address, hours)| PickupInput {
                    address: address.into(),
                    hours: hours.get(lang).into(),
                }),
            })
            .collect();
        check_shipping_options(&delivery).map_err(|e| refused(s.slug, e))?;
        save_shipping_options(&mut tx, shop.id, &delivery)
            .await
            .map_err(|e| refused(s.slug, e))?;
        if sync {
            announce(&mut tx, SyncTarget::Shop(shop.id)).await?;
        }
        opened.push(shop.id);
        seeded.shops += 1;
        seeded.pictures += 2;
    }
    // Listings are published a round at a time (each shop's first, then each one's
    // second...), so that the newest, on the home page, come from several shops.
    let rounds = shops.iter().map(|s| s.listings.len()).max().unwrap_or(0);
    let mut listed = Vec::new();
    for i in 0..rounds {
        for (n, (s, shop_id)) in shops.iter().zip(&opened).enumerate() {
            let Some(l) = s.listings.get(i) else {
                continue;
            };
            let title = l.title.get(lang);
            let category = categories
                .iter()
                .find(|c| c.slug == l.category)
                .ok_or_else(|| anyhow!("{title}: no category `{}` here", l.category))?;
            let input = ListingInput {
                title: title.into(),
                description: l.description.get(lang).into(),
                price_minor: l.price,
                quantity: l.stock,
                category_id: Some(category.id),
                tags: l.tags.list(lang).into_iter().map(Into::into).collect(),
                materials: l.materials.list(lang).into_iter().map(Into::into).collect(),
                dimensions: l
                    .dimensions
                    .map(|(length_mm, width_mm, height_mm)| Dimensions {
                        length_mm,
                        width_mm,
                        height_mm,
                    }),
                weight_g: l.weight_g,
                processing_days: l.processing_days,
                style: None,
                photos: Vec::new(),
                variants: l
                    .variants
                    .iter()
                    .map(|v| VariantInput {
                        sku: None,
                        options: BTreeMap::from([(
                            v.option.get(lang).to_owned(),
                            v.value.get(lang).to_owned(),
                        )]),
                        price_minor: v.price,
                        quantity: v.stock,
                    })
                    .collect(),
            };
            let draft = parse_listing(&input).map_err(|problems| {
                let named: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect();
                refused(title, named.join("; "))
            })?;
            check_category(&mut tx, draft.fields.category_id)
                .await
                .map_err(|p| refused(title, p.message))?;
            let listing =
                Listing::create(&mut tx, *shop_id, &tenant.currency, &draft.fields).await?;
            ListingVariant::replace(
                &mut tx,
                listing.id,
                &variant_rows(tenant.id, listing.id, &draft.variants),
            )
            .await?;
            for k in 0..l.photos {
                let alt = if k == 0 {
                    l.alt.get(lang).to_owned()
                } else {
                    match lang {
                        Locale::Fr => format!("{} (gros plan)", l.alt.fr),
                        Locale::En => format!("{} (close-up)", l.alt.en),
                    }
                };
                let img = image(Slot::Photo(n, i, k))?;
                ListingPhoto::add(&mut tx, &new_row(listing.id, img, alt, None)).await?;
                seeded.pictures += 1;
            }
            refresh_shown(&mut tx, &listing).await?;
            // Published by the rule sellers publish by (the marketplace's required fields
            // and photos), live at once: the demo's operator has nothing to review.
            let listing = Listing::find(&mut tx, listing.id).await?;
            let missing = missing_for_publish(
                &completeness(&listing),
                usize::try_from(rules.min_photos).unwrap_or(0),
                &rules.required_listing_fields,
            );
            if let Some(p) = missing.first() {
                bail!(
                    "demo data: {title} cannot be published: {}: {}",
                    p.field,
                    p.message
                );
            }
            let live = listing
                .status
                .transition(ListingEvent::Publish {
                    review_required: false,
                    in_stock: listing.quantity > 0,
                })
                .map_err(|e| refused(title, e.0))?;
            Listing::set_status(&mut tx, listing.id, live, None).await?;
            listed.push(listing.id);
        }
    }
    seeded.listings = listed.len();
    if sync {
        announce_listings(&mut tx, &listed).await?;
    }
    tx.commit().await?;
    Ok(seeded)
}
