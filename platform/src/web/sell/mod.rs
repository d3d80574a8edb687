//! The seller dashboard at `/sell`: opening a shop, the onboarding wizard (profile →
//! verification → payouts → first listing, its progress read from what is saved), listings
//! (create, edit, publish, archive, CSV import with its per-row report), orders (accept,
//! ship, cancel, refund, answer refund requests), payouts with the commission taken on each order, delivery options and shop
//! settings. Every action goes through `catalog::selling` / `commerce::selling`, the same
//! functions as the seller API; this module only turns forms into their inputs and answers
//! into pages. It never decides a selling rule.
//!
//! One file per resource of the seller: the overview and wizard, the shop's profile,
//! verification, listings, CSV import, orders, refunds, payouts and delivery options. This file holds
//! what they share: the tabs, the form helpers and the rows two pages show.

mod delivery;
mod import;
mod listing_fields;
mod listings;
mod orders;
mod overview;
mod payout_history;
mod payouts;
mod refunds;
mod shop;
mod verification;

use super::buy::status_label;
use super::{Chrome, api_failure, message, summary};
use crate::web::Flash;
use krafto_api_types::Code;
use krafto_api_types::commerce::OrderView;
use krafto_core::Money;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::Redirect;
use poem::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;

/// A submitted form as name → value (the last value wins; every input has its own name).
#[derive(Debug, Default)]
pub(crate) struct FormData(HashMap<String, String>);

impl FormData {
    fn get(&self, k: &str) -> &str {
        self.0.get(k).map_or("", |v| v.trim())
    }

    fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k).to_owned()).filter(|v| !v.is_empty())
    }

    fn values(&self) -> HashMap<String, String> {
        self.0.clone()
    }
}

impl From<Vec<(String, String)>> for FormData {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }
}

/// The form's conversion problems so far, keyed by input name.
type Errors = HashMap<String, String>;

fn int(f: &FormData, name: &str, errors: &mut Errors) -> Option<i32> {
    let raw = f.get(name);
    if raw.is_empty() {
        return None;
    }
    match raw.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.insert(name.to_owned(), "must be a whole number".into());
            None
        }
    }
}

fn amount(f: &FormData, name: &str, currency: &str, errors: &mut Errors) -> Option<i64> {
    let raw = f.get(name);
    if raw.is_empty() {
        return None;
    }
    match Money::parse(raw, currency) {
        Ok(v) => Some(v.minor()),
        Err(e) => {
            errors.insert(name.to_owned(), e.0);
            None
        }
    }
}

fn list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A domain error as a dashboard answer: no shop yet → the page that opens one.
fn failed(chrome: Chrome, e: &ApiError) -> Response {
    if e.code == Code::NoShop {
        return Redirect::see_other("/sell").into_response();
    }
    if e.status.is_client_error() {
        let heading = chrome.t("sell-not-done");
        let said = summary(e, chrome.locale);
        return message(chrome, e.status, &heading, &said);
    }
    api_failure(chrome, e)
}

fn with_status(mut r: Response, status: StatusCode) -> Response {
    r.set_status(status);
    r
}

/// The dashboard's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Overview,
    Listings,
    Orders,
    Payouts,
    Shop,
}

impl Tab {
    fn name(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Listings => "listings",
            Tab::Orders => "orders",
            Tab::Payouts => "payouts",
            Tab::Shop => "shop",
        }
    }
}

struct OrderRow {
    number: String,
    status: String,
    total: String,
    date: String,
    email: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct FlashQuery {
    done: Option<String>,
}

/// The dashboard's confirmations after a change (`?done=`), as message keys (the pages
/// print them in their language).
const FLASHES: &[(&str, &str)] = &[
    ("opened", "sell-flash-opened"),
    ("submitted", "sell-flash-submitted"),
    ("saved", "sell-flash-saved"),
    ("verification", "sell-flash-verification"),
    ("payouts", "sell-flash-payouts"),
];

fn flash(done: Option<&str>) -> Flash {
    Flash::from_done(done, FLASHES)
}

struct FeeRow {
    number: String,
    status: String,
    items: String,
    shipping: String,
    commission: String,
    platform_fee: String,
    payout: String,
}

fn fee_row(o: &OrderView, locale: krafto_i18n::Locale) -> FeeRow {
    let money = |m: i64| locale.money(&Money::of(m, &o.currency));
    let fees = o.fees.as_ref();
    FeeRow {
        number: o.number.clone(),
        status: status_label(locale, &o.status),
        items: money(o.items_minor),
        shipping: money(o.shipping_minor),
        commission: money(fees.map_or(0, |f| f.commission_minor)),
        platform_fee: money(fees.map_or(0, |f| f.platform_fee_minor)),
        payout: money(fees.map_or(0, |f| f.seller_payout_minor)),
    }
}

/// The dashboard's routes, nested at `/sell` behind the tenant gate.
pub(crate) fn routes() -> poem::Route {
    use poem::{get, post};
    poem::Route::new()
        .at("/", get(overview::overview))
        .at("/open", post(overview::open_shop))
        .at("/submit", post(overview::submit_shop))
        .at("/shop", get(shop::shop_settings).post(shop::save_shop))
        .at("/shop/images", post(shop::upload_image))
        .at("/shop/images/remove", post(shop::remove_image))
        .at(
            "/verification",
            get(verification::verification).post(verification::submit_verification),
        )
        .at("/payouts", get(payouts::payouts))
        .at("/payouts/onboarding", post(payouts::payouts_onboarding))
        .at("/payouts/history", get(payout_history::payout_history))
        .at(
            "/payouts/history.csv",
            get(payout_history::payout_history_csv),
        )
        .at(
            "/shipping",
            get(delivery::shipping).post(delivery::save_shipping),
        )
        .at(
            "/listings",
            get(listings::listings).post(listings::save_listing),
        )
        .at("/listings/new", get(listings::new_listing))
        .at(
            "/listings/:id",
            get(listings::edit_listing).post(listings::save_listing),
        )
        .at("/listings/:id/:action", post(listings::listing_action))
        .at("/listings/:id/photos", post(listings::upload_photos))
        .at(
            "/listings/:id/photos/:photo/:action",
            post(listings::photo_action),
        )
        .at("/import", get(import::import_page).post(import::import_csv))
        .at("/orders", get(orders::orders))
        .at("/orders/:number", get(orders::order))
        .at("/orders/:number/:action", post(orders::order_action))
        .at("/orders/:number/refunds", post(refunds::refund_units))
        .at(
            "/orders/:number/refund-requests/:id/:decision",
            post(refunds::decide_request),
        )
}
