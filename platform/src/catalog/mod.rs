//! Catalog use cases shared by the seller, operator and store APIs: parsing what sellers
//! send, turning rows into API objects, and the moves of shops and listings. The rules
//! themselves (state machines, visibility, publish requirements) live in
//! `krafto_core::catalog`.

pub(crate) mod browse;
pub(crate) mod import;
pub(crate) mod photos;
pub(crate) mod selling;

use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::catalog::{
    Dimensions, ListingCard, ListingInput, ListingView, Location, Photo, ShopCard, ShopInput,
    ShopStatusName, ShopView, VariantInput, VariantView,
};
use krafto_core::catalog::{ListingCompleteness, ListingStatus, ShopStatus, labels};
use krafto_core::country::delivery_country;
use krafto_core::text::{bounded_text, line_text};
use krafto_core::{FieldError, Invalid, Problems, WebUrl};
use krafto_db::TenantTx;
use krafto_db::models::{Category, Listing, ListingFields, ListingVariant, Shop, ShopProfile};
use krafto_search::sync::SyncTarget;
use krafto_web::{ApiError, ApiResult};
use std::collections::BTreeMap;
use std::sync::Arc;
use uuid::Uuid;

pub(crate) const MAX_PHOTOS: usize = 20;
pub(crate) const MAX_VARIANTS: usize = 100;

fn optional_text(p: &mut Problems, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => p.check(field, bounded_text(s, max)),
    }
}

fn optional_url(p: &mut Problems, field: &str, raw: Option<&str>) -> Option<String> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => p.check(field, WebUrl::parse(s)).map(WebUrl::into_string),
    }
}

/// Checks a shop profile completely; every problem is named.
pub(crate) fn parse_shop(input: &ShopInput) -> ApiResult<ShopProfile> {
    let mut p = Problems::new();
    let name = p.check("name", line_text(&input.name, 80));
    let story = optional_text(&mut p, "story", input.story.as_deref(), 5000);
    let loc = input.location.clone().unwrap_or_default();
    let city = optional_text(&mut p, "location.city", loc.city.as_deref(), 100);
    let region = optional_text(&mut p, "location.region", loc.region.as_deref(), 100);
    let country = loc
        .country
        .as_deref()
        .filter(|c| !c.trim().is_empty())
        // The same list buyers choose from (the seller's form offers it as a select).
        .and_then(|c| p.check("location.country", delivery_country(c)))
        .map(str::to_owned);
    match (loc.latitude, loc.longitude) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                p.push(FieldError::new(
                    "location.latitude",
                    "must be between -90 and 90",
                ));
            }
            if !(-180.0..=180.0).contains(&lon) {
                p.push(FieldError::new(
                    "location.longitude",
                    "must be between -180 and 180",
                ));
            }
        }
        (None, None) => {}
        _ => p.push(FieldError::new(
            "location.latitude",
            "latitude and longitude go together",
        )),
    }
    let profile_image_url = optional_url(
        &mut p,
        "profile_image_url",
        input.profile_image_url.as_deref(),
    );
    let banner_url = optional_url(&mut p, "banner_url", input.banner_url.as_deref());
    if input.social_links.len() > 10 {
        p.push(FieldError::new("social_links", "at most 10 links"));
    }
    let mut social = serde_json::Map::new();
    for (network, url) in &input.social_links {
        let field = format!("social_links.{network}");
        if let Some(u) = p.check(&field, WebUrl::parse(url)) {
            social.insert(
                network.trim().to_lowercase(),
                serde_json::Value::String(u.into_string()),
            );
        }
    }
    let return_policy = optional_text(
        &mut p,
        "return_policy",
        input.return_policy.as_deref(),
        2000,
    );
    for (field, v) in [
        ("processing_days_min", input.processing_days_min),
        ("processing_days_max", input.processing_days_max),
    ] {
        if v.is_some_and(|d| !(0..=365).contains(&d)) {
            p.push(FieldError::new(field, "must be between 0 and 365 days"));
        }
    }
    if let (Some(a), Some(b)) = (input.processing_days_min, input.processing_days_max)
        && a > b
    {
        p.push(FieldError::new(
            "processing_days_max",
            "must not be below the minimum",
        ));
    }
    let languages = p.check("languages", labels(&input.languages, 10));
    p.finish().map_err(ApiError::validation)?;
    let (Some(name), Some(languages)) = (name, languages) else {
        return Err(ApiError::internal(&"validated shop fields missing"));
    };
    Ok(ShopProfile {
        name,
        story,
        city,
        region,
        country,
        latitude: loc.latitude,
        longitude: loc.longitude,
        profile_image_url,
        banner_url,
        social_links: serde_json::Value::Object(social),
        return_policy,
        processing_days_min: input.processing_days_min,
        processing_days_max: input.processing_days_max,
        languages,
    })
}

pub(crate) fn shop_status_name(s: ShopStatus) -> ShopStatusName {
    match s {
        ShopStatus::Draft => ShopStatusName::Draft,
        ShopStatus::PendingReview => ShopStatusName::PendingReview,
        ShopStatus::Active => ShopStatusName::Active,
        ShopStatus::Suspended => ShopStatusName::Suspended,
    }
}

pub(crate) fn social_links(v: &serde_json::Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn shop_location(s: &Shop) -> Location {
    Location {
        city: s.city.clone().map(Into::into),
        region: s.region.clone().map(Into::into),
        country: s.country.clone().map(Into::into),
        latitude: s.latitude,
        longitude: s.longitude,
    }
}

pub(crate) fn shop_view(s: Shop) -> ShopView {
    ShopView {
        location: shop_location(&s),
        social_links: social_links(&s.social_links),
        status: shop_status_name(s.status),
        id: s.id,
        slug: s.slug,
        name: s.name,
        story: s.story,
        logo: shop_image(s.logo_image.as_ref()),
        banner: shop_image(s.banner_image.as_ref()),
        profile_image_url: s.profile_image_url,
        banner_url: s.banner_url,
        return_policy: s.return_policy,
        processing_days_min: s.processing_days_min,
        processing_days_max: s.processing_days_max,
        languages: s.languages,
        status_reason: s.status_reason,
        verified: s.verified,
        created_at: s.created_at,
        updated_at: s.updated_at,
    }
}

/// A listing's variants before they have ids.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VariantDraft {
    pub sku: Option<String>,
    pub options: BTreeMap<String, String>,
    pub price_minor: Option<i64>,
    pub quantity: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListingDraft {
    pub fields: ListingFields,
    pub variants: Vec<VariantDraft>,
}

fn price(v: i64) -> Result<i64, Invalid> {
    if (1..=100_000_000).contains(&v) {
        Ok(v)
    } else {
        Err(Invalid::new("must be between 1 and 100000000 minor units"))
    }
}

fn stock(v: i32) -> Result<i32, Invalid> {
    if (0..=1_000_000).contains(&v) {
        Ok(v)
    } else {
        Err(Invalid::new("must be between 0 and 1000000"))
    }
}

/// Checks a listing completely (field rules only; the category's existence is checked
/// against the database by [`check_category`]). Every problem is returned.
pub(crate) fn parse_listing(input: &ListingInput) -> Result<ListingDraft, Vec<FieldError>> {
    let mut p = Problems::new();
    let title = p.check("title", line_text(&input.title, 140));
    let description = input.description.trim().to_owned();
    if description.chars().count() > 10_000 {
        p.push(FieldError::new(
            "description",
            "must be at most 10000 characters",
        ));
    }
    let price_minor = p.check("price_minor", price(input.price_minor));
    let tags = p.check("tags", labels(&input.tags, 20));
    let materials = p.check("materials", labels(&input.materials, 20));
    if let Some(d) = &input.dimensions {
        for (f, v) in [
            ("dimensions.length_mm", d.length_mm),
            ("dimensions.width_mm", d.width_mm),
            ("dimensions.height_mm", d.height_mm),
        ] {
            if !(1..=100_000).contains(&v) {
                p.push(FieldError::new(f, "must be between 1 and 100000 mm"));
            }
        }
    }
    if input
        .weight_g
        .is_some_and(|w| !(1..=1_000_000).contains(&w))
    {
        p.push(FieldError::new(
            "weight_g",
            "must be between 1 and 1000000 g",
        ));
    }
    if input
        .processing_days
        .is_some_and(|d| !(0..=365).contains(&d))
    {
        p.push(FieldError::new(
            "processing_days",
            "must be between 0 and 365",
        ));
    }
    let style = optional_text(&mut p, "style", input.style.as_deref(), 60);
    if input.photos.len() > MAX_PHOTOS {
        p.push(FieldError::new(
            "photos",
            format!("at most {MAX_PHOTOS} photos"),
        ));
    }
    let mut photos = Vec::new();
    for (i, ph) in input.photos.iter().enumerate() {
        let url = p.check(&format!("photos[{i}].url"), WebUrl::parse(&ph.url));
        let alt = p.check(&format!("photos[{i}].alt"), bounded_text(&ph.alt, 300));
        if let (Some(url), Some(alt)) = (url, alt) {
            photos.push(serde_json::json!({ "url": url.into_string(), "alt": alt }));
        }
    }
    if input.variants.len() > MAX_VARIANTS {
        p.push(FieldError::new(
            "variants",
            format!("at most {MAX_VARIANTS} variants"),
        ));
    }
    let mut variants = Vec::new();
    let mut skus = Vec::new();
    for (i, v) in input.variants.iter().enumerate() {
        if let Some(draft) = parse_variant(&mut p, i, v) {
            if let Some(sku) = &draft.sku {
                if skus.contains(sku) {
                    p.push(FieldError::new(
                        format!("variants[{i}].sku"),
                        "is used by another variant",
                    ));
                }
                skus.push(sku.clone());
            }
            variants.push(draft);
        }
    }
    let quantity = if variants.is_empty() {
        p.check("quantity", stock(input.quantity))
    } else {
        Some(variants.iter().map(|v| v.quantity).sum())
    };
    let dims = input.dimensions.clone();
    p.finish()?;
    let (Some(title), Some(price_minor), Some(tags), Some(materials), Some(quantity)) =
        (title, price_minor, tags, materials, quantity)
    else {
        return Err(vec![FieldError::new(
            "",
            "validated listing fields missing",
        )]);
    };
    Ok(ListingDraft {
        fields: ListingFields {
            title,
            description,
            price_minor,
            quantity,
            category_id: input.category_id,
            tags,
            materials,
            length_mm: dims.as_ref().map(|d| d.length_mm),
            width_mm: dims.as_ref().map(|d| d.width_mm),
            height_mm: dims.as_ref().map(|d| d.height_mm),
            weight_g: input.weight_g,
            processing_days: input.processing_days,
            style,
            photos: serde_json::Value::Array(photos),
        },
        variants,
    })
}

fn parse_variant(p: &mut Problems, i: usize, v: &VariantInput) -> Option<VariantDraft> {
    let sku = match v.sku.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.len() > 64 => {
            p.push(FieldError::new(
                format!("variants[{i}].sku"),
                "must be at most 64 characters",
            ));
            None
        }
        other => other.map(str::to_owned),
    };
    if v.options.is_empty() || v.options.len() > 5 {
        p.push(FieldError::new(
            format!("variants[{i}].options"),
            "give 1 to 5 options, e.g. {\"size\": \"M\"}",
        ));
    }
    let mut options = BTreeMap::new();
    for (k, val) in &v.options {
        match (bounded_text(k, 30), bounded_text(val, 60)) {
            (Ok(k), Ok(val)) => {
                options.insert(k.to_lowercase(), val);
            }
            _ => p.push(FieldError::new(
                format!("variants[{i}].options"),
                "names up to 30 and values up to 60 characters",
            )),
        }
    }
    let price_minor = match v.price_minor {
        Some(x) => p.check(&format!("variants[{i}].price_minor"), price(x)),
        None => None,
    };
    let quantity = p.check(&format!("variants[{i}].quantity"), stock(v.quantity));
    Some(VariantDraft {
        sku,
        options,
        price_minor,
        quantity: quantity.unwrap_or(0),
    })
}

/// The category must exist in this marketplace (row-level security hides every other).
pub(crate) async fn check_category(tx: &mut TenantTx, id: Option<Uuid>) -> Result<(), FieldError> {
    let Some(id) = id else { return Ok(()) };
    match Category::find(tx, id).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_not_found() => Err(FieldError::new(
            "category_id",
            "no such category in this marketplace",
        )),
        Err(_) => Err(FieldError::new(
            "category_id",
            "could not be checked; retry",
        )),
    }
}

pub(crate) fn variant_rows(
    tenant_id: Uuid,
    listing_id: Uuid,
    drafts: &[VariantDraft],
) -> Vec<ListingVariant> {
    drafts
        .iter()
        .enumerate()
        .map(|(i, v)| ListingVariant {
            tenant_id,
            id: Uuid::now_v7(),
            listing_id,
            sku: v.sku.clone(),
            options: serde_json::json!(v.options),
            price_minor: v.price_minor,
            quantity: v.quantity,
            position: i32::try_from(i).unwrap_or(0),
        })
        .collect()
}

pub(crate) fn photos_of(v: &serde_json::Value) -> Vec<Photo> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some(Photo {
                        url: p.get("url")?.as_str()?.to_owned(),
                        alt: p.get("alt")?.as_str()?.to_owned(),
                        srcset: p.get("srcset").and_then(|s| s.as_str()).map(str::to_owned),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn completeness(l: &Listing) -> ListingCompleteness {
    ListingCompleteness {
        photos: photos_of(&l.photos).len(),
        description_len: l.description.trim().len(),
        has_category: l.category_id.is_some(),
        has_dimensions: l.length_mm.is_some() && l.width_mm.is_some() && l.height_mm.is_some(),
        materials: l.materials.len(),
        has_weight: l.weight_g.is_some(),
        tags: l.tags.len(),
        has_style: l.style.is_some(),
        has_processing_time: l.processing_days.is_some(),
    }
}

/// A listing's dimensions: length, width and height together, or none of them.
pub(crate) fn dimensions(
    length_mm: Option<i32>,
    width_mm: Option<i32>,
    height_mm: Option<i32>,
) -> Result<Option<Dimensions>, krafto_core::Invalid> {
    match (length_mm, width_mm, height_mm) {
        (Some(length_mm), Some(width_mm), Some(height_mm)) => Ok(Some(Dimensions {
            length_mm,
            width_mm,
            height_mm,
        })),
        (None, None, None) => Ok(None),
        _ => Err(krafto_core::Invalid::new(
            "give length, width and height together, or none of them",
        )),
    }
}

pub(crate) fn listing_view(l: Listing, variants: Vec<ListingVariant>) -> ListingView {
    let dimensions = dimensions(l.length_mm, l.width_mm, l.height_mm)
        .ok()
        .flatten();
    let base = l.price_minor;
    ListingView {
        photos: photos_of(&l.photos),
        variants: variants
            .into_iter()
            .map(|v| VariantView {
                id: v.id,
                sku: v.sku,
                options: serde_json::from_value(v.options).unwrap_or_default(),
                price_minor: v.price_minor.unwrap_or(base),
                quantity: v.quantity,
            })
            .collect(),
        dimensions,
        id: l.id,
        shop_id: l.shop_id,
        title: l.title,
        description: l.description,
        price_minor: l.price_minor,
        currency: l.currency,
        quantity: l.quantity,
        category_id: l.category_id,
        tags: l.tags,
        materials: l.materials,
        weight_g: l.weight_g,
        processing_days: l.processing_days,
        style: l.style,
        status: l.status.as_str().to_owned(),
        status_reason: l.status_reason,
        published_at: l.published_at,
        created_at: l.created_at,
        updated_at: l.updated_at,
    }
}

pub(crate) fn shop_card(s: &Shop) -> ShopCard {
    ShopCard {
        id: s.id,
        slug: s.slug.clone(),
        name: s.name.clone(),
        verified: s.verified,
        logo: shop_image(s.logo_image.as_ref()),
    }
}

/// A shop's uploaded logo or banner, as the API shows it.
pub(crate) fn shop_image(v: Option<&serde_json::Value>) -> Option<krafto_api_types::ImageView> {
    krafto_web::views::stored_image(v).map(|i| krafto_web::views::image_view(&i))
}

pub(crate) fn card_of_listing(l: &Listing, shop: &Shop) -> ListingCard {
    let in_stock = l.status == ListingStatus::Active;
    let mut badges = Vec::new();
    if shop.verified {
        badges.push("verified_seller".to_owned());
    }
    if !in_stock {
        badges.push("sold_out".to_owned());
    }
    ListingCard {
        id: l.id,
        title: l.title.clone(),
        price_minor: l.price_minor,
        currency: l.currency.clone(),
        photo: photos_of(&l.photos).into_iter().next(),
        shop: shop_card(shop),
        badges,
        location: shop_location(shop),
        rating: None,
        rating_count: l.rating_count,
        in_stock,
    }
}

/// The tenant's categories, cached with the tenant.
pub(crate) async fn categories(
    state: &AppState,
    tenant: &CurrentTenant,
) -> ApiResult<Arc<Vec<Category>>> {
    let (db, scope) = (state.db.clone(), tenant.scope());
    state
        .tenants
        .derived(
            tenant.id,
            "categories",
            Uuid::nil(),
            Box::pin(async move {
                let mut tx = db.tenant(&scope).await?;
                let all = Category::all(&mut tx).await?;
                tx.commit().await?;
                Ok::<_, krafto_db::DbError>(all)
            }),
        )
        .await
        .map_err(|e| ApiError::from(&*e))
}

/// Tells the search index about a change to `target`, in the transaction making the change,
/// when an external index is kept (OpenSearch). Every transaction that changes a listing, a
/// shop or the category tree calls this before it commits.
pub(crate) async fn announce(
    state: &AppState,
    tx: &mut TenantTx,
    target: SyncTarget,
) -> ApiResult<()> {
    if !state.search_sync {
        return Ok(());
    }
    krafto_search::sync::announce(tx, target).await?;
    Ok(())
}

/// [`announce`] for several listings at once.
pub(crate) async fn announce_listings(
    state: &AppState,
    tx: &mut TenantTx,
    listing_ids: &[Uuid],
) -> ApiResult<()> {
    if !state.search_sync {
        return Ok(());
    }
    krafto_search::sync::announce_listings(tx, listing_ids).await?;
    Ok(())
}

pub(crate) fn not_found_listing(id: Uuid) -> ApiError {
    ApiError::not_found(Code::ListingNotFound, format!("no listing {id} here"))
}

pub(crate) fn map_listing_lookup(id: Uuid) -> impl Fn(krafto_db::DbError) -> ApiError {
    move |e| {
        if e.is_not_found() {
            not_found_listing(id)
        } else {
            e.into()
        }
    }
}

/// Applies a state-machine move, answering a forbidden one with 409 `invalid_transition`.
pub(crate) fn moved<T>(r: Result<T, Invalid>) -> ApiResult<T> {
    r.map_err(|e| {
        ApiError::new(
            poem::http::StatusCode::CONFLICT,
            Code::InvalidTransition,
            e.0,
        )
    })
}

/// Records an audited catalog action in the caller's transaction.
pub(crate) async fn record(
    tx: &mut TenantTx,
    actor: &krafto_db::models::Actor,
    action: &str,
    target: String,
    details: serde_json::Value,
    rid: &krafto_web::RequestId,
) -> ApiResult<()> {
    krafto_db::models::AuditEntry::record(
        tx,
        &krafto_db::models::NewAuditEntry::new(actor, action, target, details, Some(rid.0.clone())),
    )
    .await?;
    Ok(())
}
