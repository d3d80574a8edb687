//! The storefront's public pages (home, listings, shops, search and categories) and the
//! static assets they load; what the pages share: listing cards and the failure page.

mod assets;
pub(super) mod home; // its handler shares its name: re-exported as `web::home`
pub(crate) mod legal;
mod listing;
mod media;
mod search;
mod shop;

pub(crate) use assets::{htmx, script, stylesheet};
pub(crate) use legal::legal_page;
pub(crate) use listing::listing_page;
pub(crate) use media::media_file;
pub(crate) use search::{category_page, search_page};
pub(crate) use shop::shop_page;

use krafto_core::Money;
use krafto_i18n::Locale;
use poem::http::StatusCode;
use poem::web::Html;
use poem::{IntoResponse, Response};

/// A listing as a card on a page.
#[derive(Debug, Clone)]
struct Card {
    pub id: String,
    pub title: String,
    pub price: String,
    pub photo_url: Option<String>,
    pub photo_alt: String,
    /// Every width of an uploaded photo (`srcset`).
    pub photo_srcset: Option<String>,
    pub shop_name: String,
    pub verified: bool,
}

/// A page that could not load at all (its data is unreachable): a plain 503.
fn failure(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "a page failed to load");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html("<!doctype html><p>This page is unavailable for a moment. Please try again.</p>"),
    )
        .into_response()
}

impl Card {
    fn of_hit(h: krafto_search::Hit, locale: Locale) -> Self {
        Card {
            id: h.listing_id.to_string(),
            price: locale.money(&Money::of(h.price_minor, &h.currency)),
            photo_alt: h.photo_alt.unwrap_or_else(|| h.title.clone()),
            title: h.title,
            photo_url: h.photo_url,
            photo_srcset: h.photo_srcset,
            shop_name: h.shop_name,
            verified: h.verified_seller,
        }
    }

    fn of_card(c: krafto_api_types::catalog::ListingCard, locale: Locale) -> Self {
        Card {
            id: c.id.to_string(),
            price: locale.money(&Money::of(c.price_minor, &c.currency)),
            photo_alt: c
                .photo
                .as_ref()
                .map(|p| p.alt.clone())
                .unwrap_or_else(|| c.title.clone()),
            photo_srcset: c.photo.as_ref().and_then(|p| p.srcset.clone()),
            photo_url: c.photo.map(|p| p.url),
            title: c.title,
            shop_name: c.shop.name,
            verified: c.shop.verified,
        }
    }
}

/// A number of days, as a person says it (`1 jour`, `3 days`, `2–5 days`).
pub(crate) fn days(locale: Locale, min: i32, max: i32) -> String {
    if min == max {
        locale.t_args("days", &[("n", min.into())])
    } else {
        locale.t_args("days-range", &[("min", min.into()), ("max", max.into())])
    }
}
