//! The storefront: server-rendered pages at each marketplace's host, branded with its
//! colours, logo, name and tagline (CSS variables over one stylesheet), progressively
//! enhanced with a vendored htmx. Pages read through the same domain code as the API
//! (search engine, catalog rules, commerce); nothing here decides a rule of its own.

use crate::catalog;
use crate::{AppState, CurrentTenant};
use askama::Template;
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
    pub test_mode: bool,
}

impl Chrome {
    pub(crate) fn of(state: &AppState, t: &CurrentTenant) -> Self {
        Self {
            lang: t.locale.split('-').next().unwrap_or("en").to_owned(),
            name: t.display_name.clone(),
            logo_url: t.logo_url.clone(),
            primary: t.primary_color.clone(),
            accent: t.accent_color.clone(),
            tagline: t.tagline.clone(),
            query: String::new(),
            test_mode: state.test_mode(),
        }
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

fn render(page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be shown",
            )
                .into_response()
        }
    }
}

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
pub(crate) async fn home(state: Data<&AppState>, tenant: Data<&CurrentTenant>) -> Response {
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
            tenant.id,
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
        chrome: Chrome::of(&state, &tenant),
        categories: categories
            .iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| CategoryLink {
                slug: c.slug.clone(),
                name: c.name.clone(),
            })
            .collect(),
        listings: page
            .hits
            .into_iter()
            .map(|h| Card {
                id: h.listing_id.to_string(),
                price: crate::commerce::format_money(h.price_minor, &h.currency),
                photo_alt: h.photo_alt.unwrap_or_else(|| h.title.clone()),
                title: h.title,
                photo_url: h.photo_url,
                shop_name: h.shop_name,
                verified: h.verified_seller,
            })
            .collect(),
        shops,
    })
}

async fn featured_shops(
    state: &AppState,
    tenant: &CurrentTenant,
) -> Result<Vec<ShopLink>, krafto_db::DbError> {
    let mut tx = state.db.tenant(tenant.id).await?;
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
