//! A shop's public page: its story, badges, policies and live listings.

use super::{Card, days};
use crate::catalog;
use crate::ctx::Ctx;
use crate::web::{Chrome, api_failure, render};
use askama::Template;
use poem::web::Path;
use poem::{Response, handler};

#[derive(Template)]
#[template(path = "shop.html")]
struct ShopPageView {
    chrome: Chrome,
    slug: String,
    name: String,
    image_url: Option<String>,
    /// The uploaded logo and banner (the logo wins over `image_url`).
    logo: Option<krafto_api_types::ImageView>,
    banner: Option<krafto_api_types::ImageView>,
    verified: bool,
    location: String,
    story: Option<String>,
    processing: Option<String>,
    return_policy: Option<String>,
    listings: Vec<Card>,
}

/// `GET /shops/{slug}`: the shop's story, badges, policies and live listings.
#[handler]
pub(crate) async fn shop_page(ctx: Ctx<'_>, Path(slug): Path<String>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let locale = chrome.locale;
    let shop = match catalog::browse::shop_page(ctx.state, ctx.tenant, &slug).await {
        Ok(s) => s,
        Err(e) => return api_failure(chrome, &e),
    };
    render(&ShopPageView {
        chrome,
        verified: shop.badges.iter().any(|b| b == "verified_seller"),
        // The country by its name in the page's language, never its code.
        location: [
            shop.location.city.clone().map(String::from),
            shop.location
                .country
                .as_deref()
                .map(|c| crate::accounts::addresses::country_name(locale, c)),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", "),
        processing: match (shop.processing_days_min, shop.processing_days_max) {
            (Some(a), Some(b)) => Some(days(locale, a, b)),
            (Some(a), None) | (None, Some(a)) => Some(days(locale, a, a)),
            _ => None,
        },
        slug: shop.slug,
        name: shop.name,
        image_url: shop.profile_image_url,
        logo: shop.logo,
        banner: shop.banner,
        story: shop.story,
        return_policy: shop.return_policy,
        listings: shop
            .listings
            .into_iter()
            .map(|c| Card::of_card(c, locale))
            .collect(),
    })
}
