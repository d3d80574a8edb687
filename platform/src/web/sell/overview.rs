//! The dashboard's front page at `/sell`: the onboarding wizard and recent orders for
//! sellers, the way to open a shop for everyone else, and submitting the shop to go live.

use super::{Errors, FlashQuery, FormData, OrderRow, Tab, failed, flash, with_status};
use crate::catalog::selling;
use crate::commerce::selling as sales;
use crate::ctx::Ctx;
use crate::web::Flash;
use crate::web::account::{SellerPage, SignedInPage, set_session};
use crate::web::buy::status_label;
use crate::web::{Chrome, Field, api_failure, attach, message, render, summary};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::catalog::{Location, Onboarding, ShopInput, ShopStatusName, ShopView};
use krafto_core::Money;
use krafto_web::ApiError;
use poem::web::{Form, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use std::collections::BTreeMap;

struct Step {
    key: &'static str,
    title: String,
    href: &'static str,
    done: bool,
    detail: String,
    current: bool,
}

fn steps(o: &Onboarding, locale: krafto_i18n::Locale) -> Vec<Step> {
    let known: [(&str, &str, &str); 6] = [
        ("profile", "sell-step-profile", "/sell/shop"),
        (
            "verification",
            "sell-step-verification",
            "/sell/verification",
        ),
        ("payouts", "sell-step-payouts", "/sell/payouts"),
        ("delivery", "sell-step-delivery", "/sell/shipping"),
        (
            "first_listing",
            "sell-step-first-listing",
            "/sell/listings/new",
        ),
        ("go_live", "sell-step-go-live", "/sell#submit-shop"),
    ];
    o.steps
        .iter()
        .filter_map(|s| {
            let (key, title, href) = known.iter().find(|k| k.0 == s.key)?;
            Some(Step {
                key,
                title: locale.t(title),
                href,
                done: s.done,
                detail: s.detail.clone(),
                current: o.next_step.as_deref() == Some(*key),
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "sell/overview.html")]
struct OverviewPage {
    chrome: Chrome,
    tab: Tab,
    shop: ShopView,
    shop_status: String,
    steps: Vec<Step>,
    done_count: usize,
    complete: bool,
    can_submit: bool,
    orders: Vec<OrderRow>,
    flash: Flash,
}

#[derive(Template)]
#[template(path = "sell/open.html")]
struct OpenShopPage {
    chrome: Chrome,
    tab: Tab,
    signed_in: bool,
    fields: Vec<Field>,
    error: String,
}

/// `GET /sell`: the wizard and a summary for sellers; the way to open a shop for others.
#[handler]
pub(crate) async fn overview(ctx: Ctx<'_>, Query(q): Query<FlashQuery>) -> Response {
    let user = ctx.session();
    let chrome = Chrome::for_user(ctx.req, ctx.state, ctx.tenant, user.as_ref());
    let Some(user) = user else {
        return open_page(chrome, false, &FormData::default(), None);
    };
    let shop = match selling::shop(ctx.state, ctx.tenant, &user).await {
        Ok(s) => s,
        Err(e) if e.code == Code::NoShop => {
            return open_page(chrome, true, &FormData::default(), None);
        }
        Err(e) => return failed(chrome, &e),
    };
    let onboarding = match selling::onboarding(ctx.state, ctx.tenant, &user, chrome.locale).await {
        Ok(o) => o,
        Err(e) => return failed(chrome, &e),
    };
    let recent = match sales::orders(ctx.state, ctx.tenant, &user, None, None, Some(5)).await {
        Ok(p) => p.items,
        Err(e) => return failed(chrome, &e),
    };
    let steps = steps(&onboarding, chrome.locale);
    let profile_done = steps.iter().any(|s| s.key == "profile" && s.done);
    render(&OverviewPage {
        tab: Tab::Overview,
        done_count: steps.iter().filter(|s| s.done).count(),
        complete: onboarding.complete,
        can_submit: profile_done && shop.status == ShopStatusName::Draft,
        steps,
        orders: recent
            .into_iter()
            .map(|o| OrderRow {
                status: status_label(chrome.locale, &o.status),
                total: chrome.locale.money(&Money::of(o.total_minor, &o.currency)),
                date: chrome.locale.date(o.created_at.date_naive()),
                email: o.email,
                number: o.number,
            })
            .collect(),
        shop_status: status_label(chrome.locale, &shop.status),
        shop,
        flash: flash(q.done.as_deref()),
        chrome,
    })
}

/// The form opening a shop, with what was entered and, refused, the refusal on its fields.
fn open_page(
    chrome: Chrome,
    signed_in: bool,
    f: &FormData,
    refusal: Option<&ApiError>,
) -> Response {
    let (values, none) = (f.values(), Errors::new());
    let text = |n: &str, key: &str| Field::filled(n, &chrome.t(key), &values, &none);
    let mut fields = vec![
        text("name", "sell-shop-name").required(),
        text("city", "checkout-city").api("location.city"),
        crate::web::buy::country_field(
            "country",
            "location.country",
            values.get("country").map_or("", String::as_str),
            chrome.locale,
        ),
    ];
    let error = refusal.map_or_else(String::new, |e| attach(&mut fields, e, chrome.locale));
    render(&OpenShopPage {
        chrome,
        tab: Tab::Overview,
        signed_in,
        fields,
        error,
    })
}

/// `POST /sell/open`: opens the signed-in user's shop; their session now carries the seller
/// role.
#[handler]
pub(crate) async fn open_shop(
    page: SignedInPage<'_>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let f = FormData::from(pairs);
    let input = ShopInput {
        name: f.get("name").to_owned().into(),
        story: None,
        location: (f.opt("city").is_some() || f.opt("country").is_some()).then(|| Location {
            city: f.opt("city").map(Into::into),
            region: None,
            country: f.opt("country").map(Into::into),
            latitude: None,
            longitude: None,
        }),
        profile_image_url: None,
        banner_url: None,
        social_links: BTreeMap::new(),
        return_policy: None,
        processing_days_min: None,
        processing_days_max: None,
        languages: Vec::new(),
    };
    match selling::open_shop(ctx.state, ctx.tenant, &user, ctx.rid, &input).await {
        Ok(opened) => {
            let mut r = Redirect::see_other("/sell?done=opened").into_response();
            set_session(&mut r, &opened.token, opened.expires_at);
            r
        }
        Err(e) if e.status.is_client_error() => {
            with_status(open_page(chrome, true, &f, Some(&e)), e.status)
        }
        Err(e) => api_failure(chrome, &e),
    }
}

/// `POST /sell/submit`: asks for the shop to go live (or into review).
#[handler]
pub(crate) async fn submit_shop(page: SellerPage<'_>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    match selling::submit_shop(ctx.state, ctx.tenant, &user, ctx.rid).await {
        Ok(_) => Redirect::see_other("/sell?done=submitted").into_response(),
        Err(e) if e.code == Code::ProfileIncomplete => {
            let (heading, text) = (
                chrome.t("sell-profile-incomplete"),
                summary(&e, chrome.locale),
            );
            with_status(message(chrome, e.status, &heading, &text), e.status)
        }
        Err(e) => failed(chrome, &e),
    }
}
