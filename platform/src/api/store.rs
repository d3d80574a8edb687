use super::{ApiTags, UserAuth};
use crate::catalog;
use crate::{AppState, CurrentTenant};
use krafto_api_types::ApiError;
use krafto_api_types::catalog::{
    CategoryFacet, Facets, ListingCard, ListingDetail, Location, Photo, PriceBandFacet,
    ReportInput, ReportReason, ReportTarget, ReportView, SearchResults, ShopCard, ShopPage,
    Suggestion,
};
use krafto_api_types::store::{CategoryNode, StoreTenant};
use krafto_api_types::{ApiResult, Prerendered};
use krafto_core::{FieldError, Problems};
use krafto_db::models::Category;
use krafto_db::models::{Listing, Report, Shop};
use krafto_search::{Cursor, Hit, Near, SearchQuery, Sort};
use krafto_web::views;
use poem::web::Data;
use poem_openapi::ApiResponse;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use std::collections::BTreeMap;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) struct StoreApi;

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl StoreApi {
    /// The marketplace's public face: name, branding, currency, fees shown to sellers,
    /// features and the category tree.
    #[oai(path = "/tenant", method = "get", operation_id = "store_tenant")]
    async fn tenant(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
    ) -> ApiResult<Prerendered<StoreTenant>> {
        // Served from the tenant cache; dropped whenever the tenant or its categories change.
        let face = state
            .tenants
            .derived(
                tenant.id,
                "store_face",
                Uuid::nil(),
                Box::pin(load_face(&state, &tenant)),
            )
            .await
            .map_err(|e| views::db_error_ref(&e))?;
        Ok((*face).clone())
    }
}

async fn load_face(
    state: &AppState,
    tenant: &CurrentTenant,
) -> Result<Prerendered<StoreTenant>, krafto_db::DbError> {
    let mut tx = state.db.tenant(tenant.id).await?;
    let categories = Category::all(&mut tx).await?;
    tx.commit().await?;
    Ok(Prerendered::render(&StoreTenant {
        id: tenant.id,
        slug: tenant.slug.clone(),
        name: tenant.name.clone(),
        branding: views::branding(tenant),
        currency: tenant.currency.clone(),
        locale: tenant.locale.clone(),
        fees: views::fees(tenant),
        features: views::feature_flags(tenant).as_map().clone(),
        categories: category_tree(categories),
    }))
}

/// Nests a flat list (ordered by position) into a forest; orphans are impossible because the
/// foreign key keeps parents alive.
pub(crate) fn category_tree(flat: Vec<Category>) -> Vec<CategoryNode> {
    let mut children: HashMap<Option<Uuid>, Vec<Category>> = HashMap::new();
    for c in flat {
        children.entry(c.parent_id).or_default().push(c);
    }
    fn build(
        parent: Option<Uuid>,
        children: &mut HashMap<Option<Uuid>, Vec<Category>>,
    ) -> Vec<CategoryNode> {
        children
            .remove(&parent)
            .unwrap_or_default()
            .into_iter()
            .map(|c| CategoryNode {
                children: build(Some(c.id), children),
                id: c.id,
                slug: c.slug,
                name: c.name,
                description: c.description,
                position: c.position,
            })
            .collect()
    }
    build(None, &mut children)
}

/// Search results as cards.
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
        }),
        shop: ShopCard {
            id: h.shop_id,
            slug: h.shop_slug,
            name: h.shop_name,
            verified: h.verified_seller,
        },
        badges,
        location: Location {
            city: h.city,
            region: h.region,
            country: h.country,
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
) -> ApiResult<Vec<Suggestion>> {
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
            format!("Search all of {}", p.name),
            SearchQuery {
                category: Some(p.id),
                cursor: None,
                ..q.clone()
            },
        ));
    }
    for (name, relaxed) in q.relaxations() {
        let label = match name {
            "text" => "Browse without the search words".to_owned(),
            other => format!("Remove the {} filter", other.replace('_', " ")),
        };
        tries.push(("remove_filter".into(), label, relaxed));
    }
    for (kind, label, query) in tries.into_iter().take(6) {
        let probe = SearchQuery {
            limit: 1,
            ..query.clone()
        };
        let page = state
            .search
            .search(tenant.id, &probe, scale)
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
        krafto_search::SearchError::Db(e) => views::db_error(e),
        krafto_search::SearchError::BadCursor => ApiError::field(FieldError::new(
            "cursor",
            "not a cursor from a previous page",
        )),
        krafto_search::SearchError::Backend(m) => ApiError::unavailable(
            "search_unavailable",
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

/// Buyer-facing catalog endpoints.
pub(crate) struct BrowseApi;

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl BrowseApi {
    /// Searches the marketplace's live listings, with facets and, when nothing matches,
    /// suggestions.
    #[oai(path = "/search", method = "get", operation_id = "store_search")]
    #[expect(
        clippy::too_many_arguments,
        reason = "one parameter per documented query filter"
    )]
    async fn search(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        /// Words to find in titles, descriptions, tags, materials and shop names (typos
        /// tolerated).
        q: Query<Option<String>>,
        /// Category slug; its sub-categories are included.
        category: Query<Option<String>>,
        /// Minimum price in minor units.
        min_price: Query<Option<i64>>,
        max_price: Query<Option<i64>>,
        min_rating: Query<Option<f64>>,
        country: Query<Option<String>>,
        region: Query<Option<String>>,
        city: Query<Option<String>>,
        lat: Query<Option<f64>>,
        lon: Query<Option<f64>>,
        radius_km: Query<Option<f64>>,
        /// Comma-separated; every tag must match.
        tags: Query<Option<String>>,
        style: Query<Option<String>>,
        in_stock: Query<Option<String>>,
        verified: Query<Option<String>>,
        /// relevance (default), newest, price_asc, price_desc, top_rated, trending.
        sort: Query<Option<String>>,
        cursor: Query<Option<String>>,
        /// 1–100, default 24.
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<SearchResults>> {
        let categories = catalog::categories(&state, &tenant).await?;
        let mut p = Problems::new();
        let text = match q.0.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(t) if t.chars().count() > 200 => {
                p.push(FieldError::new("q", "must be at most 200 characters"));
                None
            }
            other => other.map(str::to_owned),
        };
        let category_id = match category.0.as_deref().filter(|s| !s.is_empty()) {
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
        for (field, v) in [("min_price", min_price.0), ("max_price", max_price.0)] {
            if v.is_some_and(|v| v < 0) {
                p.push(FieldError::new(field, "must be 0 or more"));
            }
        }
        if let (Some(a), Some(b)) = (min_price.0, max_price.0)
            && a > b
        {
            p.push(FieldError::new("max_price", "must not be below min_price"));
        }
        if min_rating.0.is_some_and(|r| !(0.0..=5.0).contains(&r)) {
            p.push(FieldError::new("min_rating", "must be between 0 and 5"));
        }
        let near = match (lat.0, lon.0, radius_km.0) {
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
        let tag_list: Vec<String> = tags
            .0
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
        let sort = match sort.0.as_deref() {
            None | Some("") => Sort::Relevance,
            Some(s) => Sort::parse(s).unwrap_or_else(|| {
                p.push(FieldError::new(
                    "sort",
                    "one of relevance, newest, price_asc, price_desc, top_rated, trending",
                ));
                Sort::Relevance
            }),
        };
        let cursor = match cursor.0.as_deref() {
            None | Some("") => None,
            Some(c) => Cursor::decode(c).or_else(|| {
                p.push(FieldError::new(
                    "cursor",
                    "not a cursor from a previous page",
                ));
                None
            }),
        };
        let limit = limit.0.unwrap_or(24);
        if !(1..=100).contains(&limit) {
            p.push(FieldError::new("limit", "must be between 1 and 100"));
        }
        let in_stock = flag(in_stock.0.as_deref(), "in_stock")?;
        let verified = flag(verified.0.as_deref(), "verified")?;
        let country = match country.0.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(c) => p.check("country", krafto_core::catalog::country_code(c)),
        };
        p.finish().map_err(ApiError::validation)?;
        let query = SearchQuery {
            text,
            category: category_id,
            price_min: min_price.0,
            price_max: max_price.0,
            rating_min: min_rating.0,
            country,
            region: region.0.filter(|s| !s.trim().is_empty()),
            city: city.0.filter(|s| !s.trim().is_empty()),
            near,
            tags: tag_list,
            style: style.0.filter(|s| !s.trim().is_empty()),
            in_stock_only: in_stock,
            verified_only: verified,
            sort,
            cursor,
            limit,
        };
        let scale = catalog::minor_per_major(&tenant.currency);
        let page = state
            .search
            .search(tenant.id, &query, scale)
            .await
            .map_err(search_error)?;
        let suggestions = if page.total == 0 {
            suggestions(&state, &tenant, &query, &categories, scale).await?
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
        Ok(Json(SearchResults {
            items: page.hits.into_iter().map(card).collect(),
            total: page.total,
            facets,
            next_cursor: page.next_cursor.map(|c| c.encode()),
            suggestions,
            engine: state.search.name().to_owned(),
        }))
    }

    /// A live listing's page.
    #[oai(path = "/listings/:id", method = "get", operation_id = "store_listing")]
    async fn listing(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingDetail>> {
        Ok(Json(
            catalog::browse::listing_detail(&state, &tenant, id.0).await?,
        ))
    }

    /// A shop's public page: story, location, badges and live listings.
    #[oai(path = "/shops/:slug", method = "get", operation_id = "store_shop")]
    async fn shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        slug: Path<String>,
    ) -> ApiResult<Json<ShopPage>> {
        Ok(Json(
            catalog::browse::shop_page(&state, &tenant, &slug.0).await?,
        ))
    }

    /// Reports a listing or a shop to the marketplace's operators.
    #[oai(path = "/reports", method = "post", operation_id = "store_report")]
    async fn report(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        body: Json<ReportInput>,
    ) -> ApiResult<ReportFiled> {
        let details = match body
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
            match body.target_kind {
                ReportTarget::Listing => "listing",
                ReportTarget::Shop => "shop",
            },
            match body.reason {
                ReportReason::ProhibitedItem => "prohibited_item",
                ReportReason::Counterfeit => "counterfeit",
                ReportReason::Offensive => "offensive",
                ReportReason::Misleading => "misleading",
                ReportReason::IntellectualProperty => "intellectual_property",
                ReportReason::Other => "other",
            },
        );
        let mut tx = state.db.tenant(tenant.id).await.map_err(views::db_error)?;
        let exists = match body.target_kind {
            ReportTarget::Listing => Listing::find(&mut tx, body.target_id).await.map(|_| ()),
            ReportTarget::Shop => Shop::find(&mut tx, body.target_id).await.map(|_| ()),
        };
        match exists {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {
                return Err(ApiError::field(FieldError::new(
                    "target_id",
                    format!("no {kind} with this id here"),
                )));
            }
            Err(e) => return Err(views::db_error(e)),
        }
        let r = Report::file(
            &mut tx,
            &Report {
                tenant_id: tenant.id,
                id: Uuid::now_v7(),
                reporter_id: Some(auth.0.user_id),
                target_kind: kind.to_owned(),
                target_id: body.target_id,
                reason: reason.to_owned(),
                details,
                status: "open".to_owned(),
                resolution: None,
                resolved_by: None,
                created_at: chrono::Utc::now(),
                resolved_at: None,
            },
        )
        .await
        .map_err(views::db_error)?;
        tx.commit().await.map_err(views::db_error)?;
        Ok(ReportFiled::Created(Json(super::moderation::report_view(
            r,
        ))))
    }
}

#[derive(ApiResponse)]
pub(crate) enum ReportFiled {
    #[oai(status = 201)]
    Created(Json<ReportView>),
}
