//! What buyers see of the catalogue, shared by the store API and the storefront pages: a
//! listing's page and a shop's page, shown only when the catalog rules say buyers may see
//! them.

use crate::catalog;
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::catalog::{
    CategoryFacet, Facets, ListingCard, ListingDetail, Location, Photo, PriceBandFacet,
    SearchResults, ShopCard, ShopPage, Suggestion,
};
use krafto_core::catalog::{ListingStatus, ReportStatus, visible_to_buyers};
use krafto_core::{FieldError, Problems};
use krafto_db::models::Category;
use krafto_db::models::{Listing, ListingVariant, Shop};
use krafto_search::{Cursor, Hit, Near, SearchQuery, Sort};
use krafto_web::{ApiError, ApiResult};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A live listing with its shop card and whether it can be bought now.
pub(crate) async fn listing_detail(
    state: &AppState,
    tenant: &CurrentTenant,
    id: Uuid,
) -> ApiResult<ListingDetail> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let l = Listing::find(&mut tx, id)
        .await
        .map_err(catalog::map_listing_lookup(id))?;
    let shop = Shop::find(&mut tx, l.shop_id).await?;
    let visible = visible_to_buyers(l.status, shop.status);
    if !visible {
        return Err(catalog::not_found_listing(id));
    }
    let variants = ListingVariant::of_listing(&mut tx, l.id).await?;
    // Buyable only when in stock and the seller can take payments (cart and checkout
    // refuse it otherwise too).
    let seller_ready = krafto_db::models::SellerAccount::of_shop(&mut tx, shop.id)
        .await?
        .is_some_and(|a| a.ready());
    tx.commit().await?;
    let purchasable = l.status == ListingStatus::Active && l.quantity > 0 && seller_ready;
    Ok(ListingDetail {
        shop: catalog::shop_card(&shop),
        listing: catalog::listing_view(l, variants),
        purchasable,
    })
}

/// A live shop with its story, badges and live listings.
pub(crate) async fn shop_page(
    state: &AppState,
    tenant: &CurrentTenant,
    slug: &str,
) -> ApiResult<ShopPage> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = Shop::find_by_slug(&mut tx, slug)
        .await?
        .filter(|s| s.status.is_public())
        .ok_or_else(|| {
            ApiError::not_found(Code::ShopNotFound, format!("no shop `{}` here", slug))
        })?;
    let listings = Listing::of_shop_in(&mut tx, shop.id, &ListingStatus::public(), 48).await?;
    tx.commit().await?;
    let cards = listings
        .iter()
        .map(|l| catalog::card_of_listing(l, &shop))
        .collect();
    let mut badges = Vec::new();
    if shop.verified {
        badges.push("verified_seller".to_owned());
    }
    Ok(ShopPage {
        location: catalog::shop_location(&shop),
        social_links: catalog::social_links(&shop.social_links),
        id: shop.id,
        slug: shop.slug,
        name: shop.name,
        story: shop.story,
        logo: catalog::shop_image(shop.logo_image.as_ref()),
        banner: catalog::shop_image(shop.banner_image.as_ref()),
        profile_image_url: shop.profile_image_url,
        banner_url: shop.banner_url,
        return_policy: shop.return_policy,
        processing_days_min: shop.processing_days_min,
        processing_days_max: shop.processing_days_max,
        languages: shop.languages,
        badges,
        rating: None,
        rating_count: shop.rating_count,
        listings: cards,
        member_since: shop.created_at,
    })
}

/// A search as buyers ask for it (the store API's query parameters, the search page's form).
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchParams {
    pub q: Option<String>,
    pub category: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub min_rating: Option<f64>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub radius_km: Option<f64>,
    pub tags: Option<String>,
    pub style: Option<String>,
    pub in_stock: Option<String>,
    pub verified: Option<String>,
    pub sort: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Searches the marketplace's live listings: checks every parameter (422 naming each bad
/// one), runs the search engine, names the facets and, when nothing matches, suggests
/// broader searches.
pub(crate) async fn search(
    state: &AppState,
    tenant: &CurrentTenant,
    params: &SearchParams,
    locale: krafto_i18n::Locale,
) -> ApiResult<SearchResults> {
    let categories = catalog::categories(state, tenant).await?;
    let mut p = Problems::new();
    let text = match params.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) if t.chars().count() > 200 => {
            p.push(FieldError::new("q", "must be at most 200 characters"));
            None
        }
        other => other.map(str::to_owned),
    };
    let category_id = match params.category.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(slug) => match categories.iter().find(|c| c.slug == slug) {
            Some(c) => Some(c.id),
            None => {
                p.push(FieldError::new(
                    "category",
                    format!("no category `{slug}` in this marketplace"),
                ));
                None
            }
        },
    };
    for (field, v) in [
        ("min_price", params.min_price),
        ("max_price", params.max_price),
    ] {
        if v.is_some_and(|v| v < 0) {
            p.push(FieldError::new(field, "must be 0 or more"));
        }
    }
    if let (Some(a), Some(b)) = (params.min_price, params.max_price)
        && a > b
    {
        p.push(FieldError::new("max_price", "must not be below min_price"));
    }
    if params.min_rating.is_some_and(|r| !(0.0..=5.0).contains(&r)) {
        p.push(FieldError::new("min_rating", "must be between 0 and 5"));
    }
    let near = match (params.lat, params.lon, params.radius_km) {
        (None, None, None) => None,
        (Some(la), Some(lo), Some(r))
            if (-90.0..=90.0).contains(&la)
                && (-180.0..=180.0).contains(&lo)
                && r > 0.0
                && r <= 20_000.0 =>
        {
            Some(Near {
                latitude: la,
                longitude: lo,
                radius_km: r,
            })
        }
        _ => {
            p.push(FieldError::new(
                "radius_km",
                "give lat (-90..90), lon (-180..180) and radius_km (0..20000) together",
            ));
            None
        }
    };
    let tag_list: Vec<String> = params
        .tags
        .as_deref()
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default();
    if tag_list.len() > 10 {
        p.push(FieldError::new("tags", "at most 10 tags"));
    }
    let sort = match params.sort.as_deref() {
        None | Some("") => Sort::Relevance,
        Some(s) => Sort::parse(s).unwrap_or_else(|| {
            p.push(FieldError::new(
                "sort",
                "one of relevance, newest, price_asc, price_desc, top_rated, trending",
            ));
            Sort::Relevance
        }),
    };
    let cursor = match params.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => Cursor::decode(c).or_else(|| {
            p.push(FieldError::new(
                "cursor",
                "not a cursor from a previous page",
            ));
            None
        }),
    };
    let limit = params.limit.unwrap_or(24);
    if !(1..=100).contains(&limit) {
        p.push(FieldError::new("limit", "must be between 1 and 100"));
    }
    let in_stock = flag(params.in_stock.as_deref(), "in_stock")?;
    let verified = flag(params.verified.as_deref(), "verified")?;
    let country = match params.country.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => p.check("country", krafto_core::catalog::country_code(c)),
    };
    p.finish().map_err(ApiError::validation)?;
    let query = SearchQuery {
        text,
        category: category_id,
        price_min: params.min_price,
        price_max: params.max_price,
        rating_min: params.min_rating,
        country,
        region: params.region.clone().filter(|s| !s.trim().is_empty()),
        city: params.city.clone().filter(|s| !s.trim().is_empty()),
        near,
        tags: tag_list,
        style: params.style.clone().filter(|s| !s.trim().is_empty()),
        in_stock_only: in_stock,
        verified_only: verified,
        sort,
        cursor,
        limit,
    };
    let scale = krafto_core::money::minor_per_major(&tenant.currency);
    let page = state
        .search
        .search(&tenant.scope(), &query, scale)
        .await
        .map_err(search_error)?;
    let suggestions = if page.total == 0 {
        suggestions(state, tenant, &query, &categories, scale, locale).await?
    } else {
        Vec::new()
    };
    let facets = Facets {
        categories: page
            .facets
            .categories
            .iter()
            .filter_map(|f| {
                let c = categories.iter().find(|c| c.id == f.category_id)?;
                Some(CategoryFacet {
                    id: c.id,
                    slug: c.slug.clone(),
                    name: c.name.clone(),
                    count: f.count,
                })
            })
            .collect(),
        price_bands: page
            .facets
            .price_bands
            .iter()
            .map(|b| PriceBandFacet {
                min_minor: b.min_minor,
                max_minor: b.max_minor,
                count: b.count,
            })
            .collect(),
    };
    Ok(SearchResults {
        items: page.hits.into_iter().map(card).collect(),
        total: page.total,
        facets,
        next_cursor: page.next_cursor.map(|c| c.encode()),
        suggestions,
        engine: state.search.name().to_owned(),
    })
}

fn card(h: Hit) -> ListingCard {
    let mut badges = Vec::new();
    if h.verified_seller {
        badges.push("verified_seller".to_owned());
    }
    if !h.in_stock {
        badges.push("sold_out".to_owned());
    }
    ListingCard {
        id: h.listing_id,
        title: h.title,
        price_minor: h.price_minor,
        currency: h.currency,
        photo: h.photo_url.map(|url| Photo {
            url,
            alt: h.photo_alt.unwrap_or_default(),
            srcset: h.photo_srcset,
        }),
        shop: ShopCard {
            id: h.shop_id,
            slug: h.shop_slug,
            name: h.shop_name,
            verified: h.verified_seller,
            // Search documents do not carry the shop's pictures.
            logo: None,
        },
        badges,
        location: Location {
            city: h.city.map(Into::into),
            region: h.region.map(Into::into),
            country: h.country.map(Into::into),
            latitude: None,
            longitude: None,
        },
        rating: h.rating,
        rating_count: h.rating_count,
        in_stock: h.in_stock,
    }
}

/// The query parameters of a search, to rebuild links (suggestions).
fn params_of(q: &SearchQuery, categories: &[Category]) -> BTreeMap<String, String> {
    let mut p = BTreeMap::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            p.insert(k.to_owned(), v);
        }
    };
    put("q", q.text.clone());
    put(
        "category",
        q.category
            .and_then(|id| categories.iter().find(|c| c.id == id))
            .map(|c| c.slug.clone()),
    );
    put("min_price", q.price_min.map(|v| v.to_string()));
    put("max_price", q.price_max.map(|v| v.to_string()));
    put("min_rating", q.rating_min.map(|v| v.to_string()));
    put("country", q.country.clone());
    put("region", q.region.clone());
    put("city", q.city.clone());
    put("lat", q.near.map(|n| n.latitude.to_string()));
    put("lon", q.near.map(|n| n.longitude.to_string()));
    put("radius_km", q.near.map(|n| n.radius_km.to_string()));
    put("tags", (!q.tags.is_empty()).then(|| q.tags.join(",")));
    put("style", q.style.clone());
    put("in_stock", q.in_stock_only.then(|| "true".to_owned()));
    put("verified", q.verified_only.then(|| "true".to_owned()));
    put(
        "sort",
        (q.sort != Sort::Relevance).then(|| q.sort.as_str().to_owned()),
    );
    p
}

/// Ways out of an empty result: the parent category, then each filter dropped in turn;
/// only those that find something are offered.
async fn suggestions(
    state: &AppState,
    tenant: &CurrentTenant,
    q: &SearchQuery,
    categories: &[Category],
    scale: i64,
    locale: krafto_i18n::Locale,
) -> ApiResult<Vec<Suggestion>> {
    let scope = tenant.scope();
    let mut out = Vec::new();
    let mut tries: Vec<(String, String, SearchQuery)> = Vec::new();
    if let Some(parent) = q
        .category
        .and_then(|id| categories.iter().find(|c| c.id == id))
        .and_then(|c| c.parent_id)
        && let Some(p) = categories.iter().find(|c| c.id == parent)
    {
        tries.push((
            "broader_category".into(),
            locale.t_args("suggest-broader", &[("category", p.name.as_str().into())]),
            SearchQuery {
                category: Some(p.id),
                cursor: None,
                ..q.clone()
            },
        ));
    }
    for (name, relaxed) in q.relaxations() {
        let label = locale.t(&format!("suggest-without-{}", name.replace('_', "-")));
        tries.push(("remove_filter".into(), label, relaxed));
    }
    for (kind, label, query) in tries.into_iter().take(6) {
        let probe = SearchQuery {
            limit: 1,
            ..query.clone()
        };
        let page = state
            .search
            .search(&scope, &probe, scale)
            .await
            .map_err(search_error)?;
        if page.total > 0 {
            out.push(Suggestion {
                kind,
                label,
                count: page.total,
                params: params_of(&query, categories),
            });
        }
    }
    Ok(out)
}

fn search_error(e: krafto_search::SearchError) -> ApiError {
    match e {
        krafto_search::SearchError::Db(e) => e.into(),
        krafto_search::SearchError::BadCursor => ApiError::field(FieldError::new(
            "cursor",
            "not a cursor from a previous page",
        )),
        krafto_search::SearchError::Backend(m) => ApiError::unavailable(
            Code::SearchUnavailable,
            format!("search is unavailable right now; retry shortly ({m})"),
        ),
    }
}

fn flag(v: Option<&str>, field: &str) -> ApiResult<bool> {
    match v {
        None | Some("false" | "0" | "") => Ok(false),
        Some("true" | "1") => Ok(true),
        Some(_) => Err(ApiError::field(FieldError::new(
            field,
            "must be true or false",
        ))),
    }
}

/// Files a buyer's report about a listing or a shop of this marketplace for its operators.
pub(crate) async fn file_report(
    state: &AppState,
    tenant: &CurrentTenant,
    reporter: Uuid,
    input: &krafto_api_types::catalog::ReportInput,
) -> ApiResult<krafto_db::models::Report> {
    use krafto_api_types::catalog::{ReportReason, ReportTarget};
    use krafto_db::models::Report;
    let details = match input
        .details
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(d) => Some(
            krafto_core::text::bounded_text(d, 2000)
                .map_err(|e| ApiError::field(e.at("details")))?,
        ),
        None => None,
    };
    let (kind, reason) = (
        match input.target_kind {
            ReportTarget::Listing => "listing",
            ReportTarget::Shop => "shop",
        },
        match input.reason {
            ReportReason::ProhibitedItem => "prohibited_item",
            ReportReason::Counterfeit => "counterfeit",
            ReportReason::Offensive => "offensive",
            ReportReason::Misleading => "misleading",
            ReportReason::IntellectualProperty => "intellectual_property",
            ReportReason::Other => "other",
        },
    );
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let exists = match input.target_kind {
        ReportTarget::Listing => Listing::find(&mut tx, input.target_id).await.map(|_| ()),
        ReportTarget::Shop => Shop::find(&mut tx, input.target_id).await.map(|_| ()),
    };
    match exists {
        Ok(()) => {}
        Err(e) if e.is_not_found() => {
            return Err(ApiError::field(FieldError::new(
                "target_id",
                format!("no {kind} with this id here"),
            )));
        }
        Err(e) => return Err(e.into()),
    }
    let r = Report::file(
        &mut tx,
        &Report {
            tenant_id: tenant.id,
            id: Uuid::now_v7(),
            reporter_id: Some(reporter),
            target_kind: kind.to_owned(),
            target_id: input.target_id,
            reason: reason.to_owned(),
            details,
            status: ReportStatus::Open,
            resolution: None,
            resolved_by: None,
            created_at: chrono::Utc::now(),
            resolved_at: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}
