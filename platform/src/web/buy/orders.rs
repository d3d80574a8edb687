//! The order page for whoever holds its link (guests too): the order, its money and
//! timeline, the refunds made and the refund requests with their answers, and the forms that
//! ask for a refund or withdraw a request (`commerce::refunds`). Also the words for order
//! statuses that other pages share.

use super::user_of;
use crate::commerce::{self, orders};
use crate::ctx::Ctx;
use crate::web::refunds::{self, QuantityRow, Reader, RefundForm, RefundRow, RequestRow};
use crate::web::{Chrome, Field, Flash, api_failure, attach, render, summary};
use askama::Template;
use krafto_api_types::commerce::OrderView;
use krafto_core::Money;
use krafto_db::models::Order;
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

struct OrderLineRow {
    title: String,
    variant: Option<String>,
    quantity: i32,
    amount: String,
    /// "1 remboursé", when some units were given back.
    refunded: Option<String>,
}

struct EventRow {
    at: String,
    when: String,
    what: String,
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderPage {
    chrome: Chrome,
    flash: Flash,
    number: String,
    status: String,
    /// The money in a sentence ("Remboursée en partie — 42,00 € remboursés").
    money_status: String,
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
    refunds: Vec<RefundRow>,
    requests: Vec<RequestRow>,
    /// The `?token=` this page was opened with, for its forms (empty for the buyer's account).
    token_query: String,
    /// The request form: a quantity per line that may still be asked for, and the reason.
    ask_lines: Vec<QuantityRow>,
    ask_reason: Field,
    ask_error: String,
    /// Why withdrawing a request was refused (empty when it was not).
    withdraw_error: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenQuery {
    token: Option<String>,
    /// What the form just posted did (`requested`, `withdrawn`): see [`Flash`].
    done: Option<String>,
}

/// What this page confirms after its forms.
const FLASHES: &[(&str, &str)] = &[
    ("requested", "refund-done-requested"),
    ("withdrawn", "refund-done-withdrawn"),
];

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

/// What the buyer just sent and was refused, to show on the page again.
enum Refused<'a> {
    Ask(&'a ApiError, &'a RefundForm),
    Withdraw(&'a ApiError),
}

/// The order for whoever holds its link (the buyer signed in, or its `token`).
async fn buyers_order(ctx: &Ctx<'_>, number: &str, token: Option<&str>) -> ApiResult<Order> {
    let mut tx = ctx.tx().await?;
    let o = orders::for_buyer(ctx.state, &mut tx, number, user_of(ctx), token).await?;
    tx.commit().await?;
    Ok(o)
}

async fn buyers_view(ctx: &Ctx<'_>, o: Order) -> ApiResult<OrderView> {
    let mut tx = ctx.tx().await?;
    let v = orders::view(&mut tx, o, false).await?;
    tx.commit().await?;
    Ok(v)
}

/// `?token=…` for the page's links and forms, or nothing.
fn token_query(token: Option<&str>) -> String {
    token.map_or_else(String::new, |t| {
        format!("?token={}", krafto_core::text::percent_encode(t))
    })
}

fn show_order(
    chrome: Chrome,
    v: &OrderView,
    token: Option<&str>,
    flash: Flash,
    refused: Option<Refused<'_>>,
) -> Response {
    let locale = chrome.locale;
    let money = |m: i64| locale.money(&Money::of(m, &v.currency));
    let (form, ask_refusal, withdraw_refusal) = match &refused {
        Some(Refused::Ask(e, f)) => (Some(*f), Some(*e), None),
        Some(Refused::Withdraw(e)) => (None, None, Some(*e)),
        None => (None, None, None),
    };
    let values = form.map(|f| f.values.clone()).unwrap_or_default();
    let mut ask_lines = refunds::quantity_rows(locale, v, refunds::askable(v), &values);
    let mut ask_reason = refunds::reason_field(
        &locale.t("refund-ask-reason"),
        "refund-reason",
        form.map_or("", |f| f.reason.as_str()),
    );
    let ask_error = ask_refusal.map_or_else(String::new, |e| {
        attach(
            std::iter::once(&mut ask_reason).chain(ask_lines.iter_mut().map(|q| &mut q.field)),
            e,
            locale,
        )
    });
    let withdraw_error = withdraw_refusal.map_or_else(String::new, |e| summary(e, locale));
    let page = render(&OrderPage {
        flash,
        number: v.number.clone(),
        status: status_label(locale, &v.status),
        money_status: refunds::money_status(locale, v),
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
                refunded: (l.refunded_quantity > 0).then(|| {
                    locale.t_args("refund-line-refunded", &[("n", l.refunded_quantity.into())])
                }),
            })
            .collect(),
        total: money(v.total_minor),
        timeline: v
            .timeline
            .iter()
            .map(|e| EventRow {
                at: e.at.to_rfc3339(),
                when: locale.date_time(e.at),
                what: refunds::event_sentence(
                    locale,
                    e,
                    &v.currency,
                    status_label(locale, &e.status),
                ),
            })
            .collect(),
        refunds: refunds::refund_rows(locale, v, Reader::Buyer),
        requests: refunds::request_rows(locale, v, None),
        token_query: token_query(token),
        ask_lines,
        ask_reason,
        ask_error,
        withdraw_error,
        chrome,
    });
    match refused {
        Some(Refused::Ask(e, _) | Refused::Withdraw(e)) => with_status(page, e.status),
        None => page,
    }
}

fn with_status(mut r: Response, status: StatusCode) -> Response {
    r.set_status(status);
    r
}

/// `GET /orders/{number}?token=`: an order, its money, refunds and requests, and its
/// timeline, for whoever holds its link; the form that asks for a refund.
#[handler]
pub(crate) async fn order_page(
    ctx: Ctx<'_>,
    Path(number): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let view = async { fresh_view(&ctx, &number, q.token.as_deref()).await }.await;
    match view {
        Ok(v) => show_order(
            chrome,
            &v,
            q.token.as_deref(),
            Flash::from_done(q.done.as_deref(), FLASHES),
            None,
        ),
        Err(e) => api_failure(chrome, &e),
    }
}

/// Where the order page is, with its link's token and what was just done.
fn back_to(number: &str, token: Option<&str>, done: &str) -> Response {
    let query = token_query(token);
    let sep = if query.is_empty() { '?' } else { '&' };
    Redirect::see_other(format!(
        "/orders/{}{query}{sep}done={done}#refunds",
        krafto_core::text::percent_encode(number)
    ))
    .into_response()
}

/// `POST /orders/{number}/refund-requests?token=`: asks for units of the order back, with a
/// reason (`qty-…` per line, `reason`); the seller is told. A refusal shows the form again,
/// with what was typed and what is wrong.
#[handler]
pub(crate) async fn ask_refund(
    ctx: Ctx<'_>,
    Path(number): Path<String>,
    Query(q): Query<TokenQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let token = q.token.as_deref();
    let order = match buyers_order(&ctx, &number, token).await {
        Ok(o) => o,
        Err(e) => return api_failure(chrome, &e),
    };
    let v = match buyers_view(&ctx, order.clone()).await {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let form = RefundForm::read(pairs, &v);
    let asked = match form.check(&v, "say what is wrong: the seller reads it") {
        Ok(()) => {
            commerce::refunds::request(
                ctx.state,
                ctx.tenant,
                order,
                user_of(&ctx),
                &form.units,
                Some(&form.reason),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match asked {
        Ok(_) => back_to(&number, token, "requested"),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            // Shown as it is now: the refusal may come from a change made meanwhile.
            match fresh_view(&ctx, &number, token).await {
                Ok(v) => show_order(
                    chrome,
                    &v,
                    token,
                    Flash::default(),
                    Some(Refused::Ask(&e, &form)),
                ),
                Err(e) => api_failure(chrome, &e),
            }
        }
        Err(e) => api_failure(chrome, &e),
    }
}

async fn fresh_view(ctx: &Ctx<'_>, number: &str, token: Option<&str>) -> ApiResult<OrderView> {
    let o = buyers_order(ctx, number, token).await?;
    buyers_view(ctx, o).await
}

/// `POST /orders/{number}/refund-requests/{id}/withdraw?token=`: the buyer takes back an
/// open request.
#[handler]
pub(crate) async fn withdraw_refund(
    ctx: Ctx<'_>,
    Path((number, id)): Path<(String, String)>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let token = q.token.as_deref();
    let order = match buyers_order(&ctx, &number, token).await {
        Ok(o) => o,
        Err(e) => return api_failure(chrome, &e),
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return crate::web::not_found(chrome);
    };
    match commerce::refunds::withdraw(ctx.state, ctx.tenant, &order, id).await {
        Ok(()) => back_to(&number, token, "withdrawn"),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            match fresh_view(&ctx, &number, token).await {
                Ok(v) => show_order(
                    chrome,
                    &v,
                    token,
                    Flash::default(),
                    Some(Refused::Withdraw(&e)),
                ),
                Err(e) => api_failure(chrome, &e),
            }
        }
        Err(e) => api_failure(chrome, &e),
    }
}
