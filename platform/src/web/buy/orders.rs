//! The order page for whoever holds its link (guests too), and the words for order statuses
//! that other pages share.

use super::user_of;
use crate::commerce::orders;
use crate::ctx::Ctx;
use crate::web::{Chrome, api_failure, render};
use askama::Template;
use krafto_core::Money;
use krafto_web::ApiError;
use poem::web::{Path, Query};
use poem::{Response, handler};
use serde::Deserialize;

struct OrderLineRow {
    title: String,
    variant: Option<String>,
    quantity: i32,
    amount: String,
}

struct EventRow {
    at: String,
    when: String,
    what: String,
    reason: Option<String>,
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderPage {
    chrome: Chrome,
    number: String,
    status: String,
    tracking: Option<String>,
    shop_slug: String,
    shop_name: String,
    delivery: String,
    /// Where and when to collect it, for an order collected at the seller's.
    pickup: Option<(String, String)>,
    /// Where it is delivered (empty when collected).
    address: Vec<String>,
    lines: Vec<OrderLineRow>,
    total: String,
    timeline: Vec<EventRow>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenQuery {
    token: Option<String>,
}

/// An API enum's wire name (`out_for_delivery`).
pub(crate) fn json_name(v: &impl poem_openapi::types::ToJSON) -> String {
    v.to_json()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// An API enum (an order's or a shop's status) as words for a person, in `locale`
/// (`En cours de livraison`, `Out for delivery`).
pub(crate) fn status_label(
    locale: krafto_i18n::Locale,
    s: &impl poem_openapi::types::ToJSON,
) -> String {
    locale.t(&format!("status-{}", json_name(s).replace('_', "-")))
}

/// `GET /orders/{number}?token=`: an order and its timeline, for whoever holds its link.
#[handler]
pub(crate) async fn order_page(
    ctx: Ctx<'_>,
    Path(number): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let view = async {
        let mut tx = ctx.tx().await?;
        let o = orders::for_buyer(
            ctx.state,
            &mut tx,
            &number,
            user_of(&ctx),
            q.token.as_deref(),
        )
        .await?;
        let v = orders::view(&mut tx, o, false).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(v)
    }
    .await;
    let v = match view {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let locale = chrome.locale;
    let money = |m: i64| locale.money(&Money::of(m, &v.currency));
    render(&OrderPage {
        number: v.number.clone(),
        status: status_label(chrome.locale, &v.status),
        tracking: v.tracking_number.clone(),
        shop_slug: v.shop.slug.clone(),
        shop_name: v.shop.name.clone(),
        delivery: v.shipping_option.clone(),
        pickup: v
            .pickup
            .as_ref()
            .map(|p| (p.address.clone(), p.hours.clone())),
        address: crate::accounts::addresses::address_lines(locale, &v.address),
        lines: v
            .lines
            .iter()
            .map(|l| OrderLineRow {
                title: l.title.clone(),
                variant: l.variant_label.clone(),
                quantity: l.quantity,
                amount: money(l.amount_minor),
            })
            .collect(),
        total: money(v.total_minor),
        timeline: v
            .timeline
            .iter()
            .map(|e| EventRow {
                at: e.at.to_rfc3339(),
                when: locale.date_time(e.at),
                what: status_label(chrome.locale, &e.status),
                reason: e.reason.clone(),
            })
            .collect(),
        chrome,
    })
}
