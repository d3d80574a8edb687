//! The storefront: server-rendered pages at each marketplace's host, branded with its
//! colours, logo, name and tagline (CSS variables over one stylesheet), progressively
//! enhanced with a vendored htmx. Pages read through the same domain code as the API
//! (search engine, catalog rules, commerce); nothing here decides a rule of its own.

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod buy;
pub(crate) mod report;
pub(crate) mod sell;

use crate::catalog;
use crate::{AppState, CurrentTenant};
use askama::Template;
use krafto_core::text::percent_encode;
use krafto_db::models::Shop;
use krafto_search::{SearchQuery, Sort};
use poem::http::StatusCode;
use poem::web::{Data, Html, Path};
use poem::{IntoResponse, Response, handler};

/// What every page shows around its content: the marketplace's brand.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub lang: String,
    pub name: String,
    pub logo_url: Option<String>,
    pub primary: String,
    pub accent: String,
    pub tagline: Option<String>,
    /// The search box's current text.
    pub query: String,
    /// The search box's placeholder, in the words of the marketplace's kind.
    pub search_hint: &'static str,
    pub test_mode: bool,
    /// A buyer is signed in (the header offers their orders and signing out).
    pub signed_in: bool,
    /// The signed-in user's role: sellers get a link to their dashboard, operators to the
    /// console.
    pub role: Option<krafto_core::Role>,
}

impl Chrome {
    pub(crate) fn of(req: &poem::Request, state: &AppState, t: &CurrentTenant) -> Self {
        Self::for_user(state, t, account::session_user(req).as_ref())
    }

    /// The chrome for a user whose session was already verified (no second check).
    pub(crate) fn for_user(
        state: &AppState,
        t: &CurrentTenant,
        user: Option<&krafto_auth::UserClaims>,
    ) -> Self {
        Self {
            signed_in: user.is_some(),
            role: user.map(|u| u.role),
            lang: t.locale.split('-').next().unwrap_or("en").to_owned(),
            name: t.display_name.clone(),
            logo_url: t.logo_url.clone(),
            primary: t.primary_color.clone(),
            accent: t.accent_color.clone(),
            tagline: t.tagline.clone(),
            query: String::new(),
            search_hint: match t.template.as_str() {
                "farm" => "Search fresh produce",
                "b2b" => "Search products and suppliers",
                _ => "Search handmade goods",
            },
            test_mode: state.test_mode(),
        }
    }
}

/// A labelled form input (`field.html`) with its value and its error, if any.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub name: String,
    pub label: String,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub required: bool,
    pub value: String,
    pub error: Option<String>,
}

impl Field {
    /// A text input named `name`, filled from `values` and `errors` (both keyed by name).
    pub(crate) fn text(
        name: &str,
        label: &str,
        values: &std::collections::HashMap<String, String>,
        errors: &std::collections::HashMap<String, String>,
    ) -> Self {
        Self {
            name: name.to_owned(),
            label: label.to_owned(),
            kind: "text",
            autocomplete: "off",
            required: false,
            value: values.get(name).cloned().unwrap_or_default(),
            error: errors.get(name).cloned(),
        }
    }

    pub(crate) fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    pub(crate) fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CategoryLink {
    pub slug: String,
    pub name: String,
}

/// A listing as a card on a page.
#[derive(Debug, Clone)]
pub(crate) struct Card {
    pub id: String,
    pub title: String,
    pub price: String,
    pub photo_url: Option<String>,
    pub photo_alt: String,
    pub shop_name: String,
    pub verified: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct ShopLink {
    pub slug: String,
    pub name: String,
    pub image_url: Option<String>,
    pub city: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    categories: Vec<CategoryLink>,
    listings: Vec<Card>,
    shops: Vec<ShopLink>,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    heading: String,
    text: String,
}

/// An error as a page of the marketplace: its status, a heading, what to do next.
pub(crate) fn message(chrome: Chrome, status: StatusCode, heading: &str, text: &str) -> Response {
    let mut r = render(&MessagePage {
        chrome,
        heading: heading.to_owned(),
        text: text.to_owned(),
    });
    r.set_status(status);
    r
}

/// Maps a domain error to a page: 404s keep their explanation, anything else is a retry.
fn api_failure(chrome: Chrome, e: &krafto_web::ApiError) -> Response {
    if e.status == StatusCode::NOT_FOUND {
        message(chrome, StatusCode::NOT_FOUND, "Not found", &e.detail)
    } else {
        tracing::error!(error = %e.detail, "a page failed to load");
        message(
            chrome,
            e.status,
            "Something went wrong",
            "This page is unavailable for a moment. Please try again.",
        )
    }
}

pub(crate) use krafto_web::pages::render;

fn failure(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "a page failed to load");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html("<!doctype html><p>This page is unavailable for a moment. Please try again.</p>"),
    )
        .into_response()
}

/// `GET /`: hero, categories, newest listings, featured shops, trust signals, selling.
#[handler]
pub(crate) async fn home(
    req: &poem::Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    let categories = match catalog::categories(&state, &tenant).await {
        Ok(c) => c,
        Err(e) => return failure(&e.detail),
    };
    let query = SearchQuery {
        sort: Sort::Newest,
        limit: 8,
        ..SearchQuery::default()
    };
    let page = match state
        .search
        .search(
            &tenant.scope(),
            &query,
            catalog::minor_per_major(&tenant.currency),
        )
        .await
    {
        Ok(p) => p,
        Err(e) => return failure(&e),
    };
    let shops = match featured_shops(&state, &tenant).await {
        Ok(s) => s,
        Err(e) => return failure(&e),
    };
    render(&HomePage {
        chrome: Chrome::of(req, &state, &tenant),
        categories: categories
            .iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| CategoryLink {
                slug: c.slug.clone(),
                name: c.name.clone(),
            })
            .collect(),
        listings: page.hits.into_iter().map(Card::of_hit).collect(),
        shops,
    })
}

async fn featured_shops(
    state: &AppState,
    tenant: &CurrentTenant,
) -> Result<Vec<ShopLink>, krafto_db::DbError> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shops = Shop::featured(&mut tx, 4).await?;
    tx.commit().await?;
    Ok(shops
        .into_iter()
        .map(|s| ShopLink {
            slug: s.slug,
            name: s.name,
            image_url: s.profile_image_url,
            city: s.city,
        })
        .collect())
}

impl Card {
    fn of_hit(h: krafto_search::Hit) -> Self {
        Card {
            id: h.listing_id.to_string(),
            price: crate::commerce::format_money(h.price_minor, &h.currency),
            photo_alt: h.photo_alt.unwrap_or_else(|| h.title.clone()),
            title: h.title,
            photo_url: h.photo_url,
            shop_name: h.shop_name,
            verified: h.verified_seller,
        }
    }

    fn of_card(c: krafto_api_types::catalog::ListingCard) -> Self {
        Card {
            id: c.id.to_string(),
            price: crate::commerce::format_money(c.price_minor, &c.currency),
            photo_alt: c
                .photo
                .as_ref()
                .map(|p| p.alt.clone())
                .unwrap_or_else(|| c.title.clone()),
            photo_url: c.photo.map(|p| p.url),
            title: c.title,
            shop_name: c.shop.name,
            verified: c.shop.verified,
        }
    }
}

#[derive(Debug, Clone)]
struct VariantChoice {
    id: String,
    label: String,
    price: String,
    quantity: i32,
}

#[derive(Debug, Clone)]
struct ShippingLine {
    name: String,
    price: String,
    days: String,
}

#[derive(Template)]
#[template(path = "listing.html")]
struct ListingPage {
    chrome: Chrome,
    id: String,
    title: String,
    description: String,
    price: String,
    photos: Vec<krafto_api_types::catalog::Photo>,
    variants: Vec<VariantChoice>,
    stock: i32,
    purchasable: bool,
    processing: Option<String>,
    shipping: Vec<ShippingLine>,
    materials: String,
    shop_slug: String,
    shop_name: String,
    shop_verified: bool,
    related: Vec<Card>,
}

fn days(min: i32, max: i32) -> String {
    if min == max {
        format!("{min} day{}", if min == 1 { "" } else { "s" })
    } else {
        format!("{min}–{max} days")
    }
}

/// `GET /listings/{id}`: gallery, price, variants, stock, delivery, the shop, related items.
#[handler]
pub(crate) async fn listing_page(
    req: &poem::Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(id): Path<String>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return message(
            chrome,
            StatusCode::NOT_FOUND,
            "Not found",
            "There is no such item here.",
        );
    };
    let detail = match catalog::browse::listing_detail(&state, &tenant, id).await {
        Ok(d) => d,
        Err(e) => return api_failure(chrome, &e),
    };
    let l = detail.listing;
    let shipping = match shipping_of(&state, &tenant, l.shop_id).await {
        Ok(s) => s,
        Err(e) => return failure(&e),
    };
    let related = match l.category_id {
        Some(category) => {
            let query = SearchQuery {
                category: Some(category),
                in_stock_only: true,
                limit: 5,
                ..SearchQuery::default()
            };
            state
                .search
                .search(
                    &tenant.scope(),
                    &query,
                    catalog::minor_per_major(&tenant.currency),
                )
                .await
                .map(|p| {
                    p.hits
                        .into_iter()
                        .filter(|h| h.listing_id != l.id)
                        .take(4)
                        .map(Card::of_hit)
                        .collect()
                })
                .unwrap_or_default()
        }
        None => Vec::new(),
    };
    render(&ListingPage {
        chrome,
        id: l.id.to_string(),
        price: crate::commerce::format_money(l.price_minor, &l.currency),
        variants: l
            .variants
            .iter()
            .map(|v| VariantChoice {
                id: v.id.to_string(),
                label: v
                    .options
                    .iter()
                    .map(|(k, val)| format!("{k}: {val}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                price: crate::commerce::format_money(v.price_minor, &l.currency),
                quantity: v.quantity,
            })
            .collect(),
        stock: l.quantity,
        purchasable: detail.purchasable,
        processing: l.processing_days.map(|d| days(d, d)),
        shipping,
        materials: l.materials.join(", "),
        shop_slug: detail.shop.slug,
        shop_name: detail.shop.name,
        shop_verified: detail.shop.verified,
        title: l.title,
        description: l.description,
        photos: l.photos,
        related,
    })
}

async fn shipping_of(
    state: &AppState,
    tenant: &CurrentTenant,
    shop: uuid::Uuid,
) -> Result<Vec<ShippingLine>, krafto_db::DbError> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let options = krafto_db::models::ShippingOption::of_shops(&mut tx, &[shop]).await?;
    tx.commit().await?;
    Ok(options
        .into_iter()
        .map(|o| ShippingLine {
            price: match (o.base_minor, o.per_item_minor) {
                (0, 0) => "free".to_owned(),
                (b, 0) => crate::commerce::format_money(b, &tenant.currency),
                (0, p) => format!(
                    "{} per item",
                    crate::commerce::format_money(p, &tenant.currency)
                ),
                (b, p) => format!(
                    "{} + {} per item",
                    crate::commerce::format_money(b, &tenant.currency),
                    crate::commerce::format_money(p, &tenant.currency)
                ),
            },
            days: days(o.days_min, o.days_max),
            name: o.name,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "shop.html")]
struct ShopPageView {
    chrome: Chrome,
    slug: String,
    name: String,
    image_url: Option<String>,
    verified: bool,
    location: String,
    story: Option<String>,
    processing: Option<String>,
    return_policy: Option<String>,
    listings: Vec<Card>,
}

/// `GET /shops/{slug}`: the shop's story, badges, policies and live listings.
#[handler]
pub(crate) async fn shop_page(
    req: &poem::Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(slug): Path<String>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    let shop = match catalog::browse::shop_page(&state, &tenant, &slug).await {
        Ok(s) => s,
        Err(e) => return api_failure(chrome, &e),
    };
    render(&ShopPageView {
        chrome,
        verified: shop.badges.iter().any(|b| b == "verified_seller"),
        location: [shop.location.city.clone(), shop.location.country.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        processing: match (shop.processing_days_min, shop.processing_days_max) {
            (Some(a), Some(b)) => Some(days(a, b)),
            (Some(a), None) | (None, Some(a)) => Some(days(a, a)),
            _ => None,
        },
        slug: shop.slug,
        name: shop.name,
        image_url: shop.profile_image_url,
        story: shop.story,
        return_policy: shop.return_policy,
        listings: shop.listings.into_iter().map(Card::of_card).collect(),
    })
}

/// `GET /assets/krafto.css`: the one stylesheet.
#[handler]
pub(crate) fn stylesheet() -> Response {
    asset(
        include_str!("../../assets/krafto.css"),
        "text/css; charset=utf-8",
    )
}

/// `GET /assets/htmx-2.0.11.min.js`: htmx, vendored from its npm package (licence in
/// `platform/assets/htmx-LICENSE.txt`).
#[handler]
pub(crate) fn htmx() -> Response {
    asset(
        include_str!("../../assets/htmx-2.0.11.min.js"),
        "text/javascript; charset=utf-8",
    )
}

fn asset(body: &'static str, content_type: &str) -> Response {
    Response::builder()
        .content_type(content_type)
        .header("cache-control", "public, max-age=86400")
        .body(body)
}

/// `GET /assets/demo/{name}.svg`: a generated placeholder picture for demo data (a colour
/// and the initials derived from the name), so the demo needs no image hosting.
#[handler]
pub(crate) fn demo_picture(Path(name): Path<String>) -> Response {
    let Some(stem) = name.strip_suffix(".svg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if stem.is_empty()
        || stem.len() > 80
        || !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let hash = stem
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let hue = hash % 360;
    let initials: String = stem
        .split('-')
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .take(2)
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_ascii_uppercase();
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" role="img"><rect width="400" height="400" fill="hsl({hue} 45% 62%)"/><circle cx="200" cy="200" r="120" fill="hsl({hue} 50% 80%)"/><text x="200" y="228" font-family="system-ui,sans-serif" font-size="96" font-weight="700" text-anchor="middle" fill="hsl({hue} 40% 25%)">{initials}</text></svg>"##
    );
    Response::builder()
        .content_type("image/svg+xml")
        .header("cache-control", "public, max-age=86400")
        .body(svg)
}

struct CategoryOption {
    slug: String,
    name: String,
    count: Option<i64>,
    selected: bool,
}

struct PriceBand {
    label: String,
    href: String,
    count: i64,
    selected: bool,
}

struct SuggestionLink {
    label: String,
    href: String,
    count: i64,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    heading: String,
    error: String,
    categories: Vec<CategoryOption>,
    bands: Vec<PriceBand>,
    sorts: Vec<(&'static str, &'static str, bool)>,
    in_stock: bool,
    verified: bool,
    total: i64,
    listings: Vec<Card>,
    suggestions: Vec<SuggestionLink>,
    next: Option<String>,
}

fn query_string(params: &std::collections::BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    format!("/search?{}", pairs.join("&"))
}

/// `GET /search` (and `/categories/{slug}`): results with filters, sorts, facet counts and,
/// when nothing matches, suggestions. Runs the same search function as the store API.
#[handler]
pub(crate) async fn search_page(
    req: &poem::Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    poem::web::Query(form): poem::web::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    search_with(req, &state, &tenant, form, None).await
}

/// `GET /categories/{slug}`: the search page for one category (and its sub-categories).
#[handler]
pub(crate) async fn category_page(
    req: &poem::Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(slug): Path<String>,
    poem::web::Query(mut form): poem::web::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    form.insert("category".to_owned(), slug.clone());
    search_with(req, &state, &tenant, form, Some(slug)).await
}

async fn search_with(
    req: &poem::Request,
    state: &AppState,
    tenant: &CurrentTenant,
    form: std::collections::BTreeMap<String, String>,
    category_heading: Option<String>,
) -> Response {
    let mut chrome = Chrome::of(req, state, tenant);
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let params = catalog::browse::SearchParams {
        q: get("q"),
        category: get("category"),
        min_price: get("min_price").and_then(|v| v.parse().ok()),
        max_price: get("max_price").and_then(|v| v.parse().ok()),
        in_stock: get("in_stock"),
        verified: get("verified"),
        sort: get("sort"),
        cursor: get("cursor"),
        limit: Some(24),
        ..catalog::browse::SearchParams::default()
    };
    chrome.query = params.q.clone().unwrap_or_default();
    let categories = match catalog::categories(state, tenant).await {
        Ok(c) => c,
        Err(e) => return failure(&e.detail),
    };
    let category_name = params
        .category
        .as_deref()
        .and_then(|slug| categories.iter().find(|c| c.slug == slug))
        .map(|c| c.name.clone());
    let heading = match (&params.q, &category_name, &category_heading) {
        (Some(q), _, _) => format!("Results for “{q}”"),
        (None, Some(name), _) => name.clone(),
        _ => "All items".to_owned(),
    };
    let (results, error) = match catalog::browse::search(state, tenant, &params).await {
        Ok(r) => (Some(r), String::new()),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => (None, e.detail),
        Err(e) => return api_failure(chrome, &e),
    };
    let keep: std::collections::BTreeMap<String, String> = form
        .iter()
        .filter(|(k, v)| k.as_str() != "cursor" && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let Some(results) = results else {
        let mut r = render(&SearchPage {
            chrome,
            heading,
            error,
            categories: Vec::new(),
            bands: Vec::new(),
            sorts: Vec::new(),
            in_stock: false,
            verified: false,
            total: 0,
            listings: Vec::new(),
            suggestions: Vec::new(),
            next: None,
        });
        r.set_status(StatusCode::UNPROCESSABLE_ENTITY);
        return r;
    };
    let sort = params
        .sort
        .clone()
        .unwrap_or_else(|| "relevance".to_owned());
    let counts: std::collections::HashMap<String, i64> = results
        .facets
        .categories
        .iter()
        .map(|f| (f.slug.clone(), f.count))
        .collect();
    let money = |m: i64| crate::commerce::format_money(m, &tenant.currency);
    render(&SearchPage {
        heading,
        error,
        categories: categories
            .iter()
            .map(|c| CategoryOption {
                count: counts.get(&c.slug).copied(),
                selected: params.category.as_deref() == Some(c.slug.as_str()),
                slug: c.slug.clone(),
                name: c.name.clone(),
            })
            .collect(),
        bands: results
            .facets
            .price_bands
            .iter()
            .map(|b| {
                let mut q = keep.clone();
                q.insert("min_price".to_owned(), b.min_minor.to_string());
                match b.max_minor {
                    Some(max) => q.insert("max_price".to_owned(), (max - 1).to_string()),
                    None => q.remove("max_price"),
                };
                PriceBand {
                    label: match b.max_minor {
                        Some(max) => format!("{} – {}", money(b.min_minor), money(max)),
                        None => format!("{} and up", money(b.min_minor)),
                    },
                    selected: params.min_price == Some(b.min_minor),
                    href: query_string(&q),
                    count: b.count,
                }
            })
            .collect(),
        sorts: [
            ("relevance", "Best match"),
            ("newest", "Newest"),
            ("price_asc", "Price: low to high"),
            ("price_desc", "Price: high to low"),
            ("top_rated", "Top rated"),
            ("trending", "Trending"),
        ]
        .into_iter()
        .map(|(v, l)| (v, l, v == sort))
        .collect(),
        in_stock: params.in_stock.is_some(),
        verified: params.verified.is_some(),
        total: results.total,
        suggestions: results
            .suggestions
            .into_iter()
            .map(|s| SuggestionLink {
                href: query_string(&s.params),
                label: s.label,
                count: s.count,
            })
            .collect(),
        next: results.next_cursor.map(|c| {
            let mut q = keep.clone();
            q.insert("cursor".to_owned(), c);
            query_string(&q)
        }),
        listings: results.items.into_iter().map(Card::of_card).collect(),
        chrome,
    })
}
