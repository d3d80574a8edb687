//! The home page: hero, categories, newest listings, featured shops.

use super::{Card, failure};
use crate::ctx::Ctx;
use crate::web::{Chrome, render};
use crate::{AppState, CurrentTenant, catalog};
use askama::Template;
use krafto_db::models::Shop;
use krafto_search::{SearchQuery, Sort};
use poem::{Response, handler};

#[derive(Debug, Clone)]
struct CategoryLink {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone)]
struct ShopLink {
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

/// `GET /`: hero, categories, newest listings, featured shops, trust signals, selling.
#[handler]
pub(crate) async fn home(ctx: Ctx<'_>) -> Response {
    let categories = match catalog::categories(ctx.state, ctx.tenant).await {
        Ok(c) => c,
        Err(e) => return failure(&e.detail),
    };
    let query = SearchQuery {
        sort: Sort::Newest,
        limit: 8,
        ..SearchQuery::default()
    };
    let page = match ctx
        .state
        .search
        .search(
            &ctx.scope(),
            &query,
            krafto_core::money::minor_per_major(&ctx.tenant.currency),
        )
        .await
    {
        Ok(p) => p,
        Err(e) => return failure(&e),
    };
    let shops = match featured_shops(ctx.state, ctx.tenant).await {
        Ok(s) => s,
        Err(e) => return failure(&e),
    };
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let locale = chrome.locale;
    render(&HomePage {
        chrome,
        categories: categories
            .iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| CategoryLink {
                slug: c.slug.clone(),
                name: c.name_in(locale.code()).to_owned(),
            })
            .collect(),
        listings: page
            .hits
            .into_iter()
            .map(|h| Card::of_hit(h, locale))
            .collect(),
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
