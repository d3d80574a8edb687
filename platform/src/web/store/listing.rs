//! A listing's page: gallery, price, variants, stock, delivery, the shop, related items.

use super::{Card, days, failure};
use crate::ctx::Ctx;
use crate::web::{Chrome, api_failure, not_found, render};
use crate::{AppState, CurrentTenant, catalog};
use askama::Template;
use krafto_core::Money;
use krafto_i18n::Locale;
use krafto_search::SearchQuery;
use poem::web::Path;
use poem::{Response, handler};

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
    /// The shop's uploaded logo, next to its name.
    shop_logo: Option<krafto_api_types::ImageView>,
    related: Vec<Card>,
}

/// `GET /listings/{id}`: gallery, price, variants, stock, delivery, the shop, related items.
#[handler]
pub(crate) async fn listing_page(ctx: Ctx<'_>, Path(id): Path<String>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let Ok(id) = id.parse::<uuid::Uuid>() else {
        return not_found(chrome);
    };
    let detail = match catalog::browse::listing_detail(ctx.state, ctx.tenant, id).await {
        Ok(d) => d,
        Err(e) => return api_failure(chrome, &e),
    };
    let l = detail.listing;
    let locale = chrome.locale;
    let shipping = match shipping_of(ctx.state, ctx.tenant, l.shop_id, locale).await {
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
            ctx.state
                .search
                .search(
                    &ctx.scope(),
                    &query,
                    krafto_core::money::minor_per_major(&ctx.tenant.currency),
                )
                .await
                .map(|p| {
                    p.hits
                        .into_iter()
                        .filter(|h| h.listing_id != l.id)
                        .take(4)
                        .map(|h| Card::of_hit(h, locale))
                        .collect()
                })
                .unwrap_or_default()
        }
        None => Vec::new(),
    };
    render(&ListingPage {
        chrome,
        id: l.id.to_string(),
        price: locale.money(&Money::of(l.price_minor, &l.currency)),
        variants: l
            .variants
            .iter()
            .map(|v| VariantChoice {
                id: v.id.to_string(),
                label: v
                    .options
                    .iter()
                    .map(|(k, val)| {
                        locale.t_args(
                            "listing-variant-option",
                            &[("name", k.as_str().into()), ("value", val.as_str().into())],
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                price: locale.money(&Money::of(v.price_minor, &l.currency)),
                quantity: v.quantity,
            })
            .collect(),
        stock: l.quantity,
        purchasable: detail.purchasable,
        processing: l.processing_days.map(|d| days(locale, d, d)),
        shipping,
        materials: l.materials.join(", "),
        shop_slug: detail.shop.slug,
        shop_name: detail.shop.name,
        shop_verified: detail.shop.verified,
        shop_logo: detail.shop.logo,
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
    locale: Locale,
) -> Result<Vec<ShippingLine>, krafto_db::DbError> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let options = krafto_db::models::ShippingOption::of_shops(&mut tx, &[shop]).await?;
    tx.commit().await?;
    Ok(options
        .into_iter()
        .map(|o| ShippingLine {
            price: {
                let money = |m| locale.money(&Money::of(m, &tenant.currency));
                match (o.base_minor, o.per_item_minor) {
                    (0, 0) => locale.t("shipping-free"),
                    (b, 0) => money(b),
                    (0, p) => locale.t_args("shipping-per-item", &[("price", money(p).into())]),
                    (b, p) => locale.t_args(
                        "shipping-base-per-item",
                        &[("base", money(b).into()), ("price", money(p).into())],
                    ),
                }
            },
            days: days(locale, o.days_min, o.days_max),
            name: o.name,
        })
        .collect())
}
