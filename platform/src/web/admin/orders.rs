//! The marketplace's orders at `/admin/orders`: the list by status, one order with its
//! lines, commission, refunds, refund requests and timeline, and the forms that cancel or
//! refund it (`commerce::orders`). The forms that refund lines and decide requests post to
//! `refunds.rs`, which shows this page again when they are refused.

use super::{DoneQuery, ReasonForm, actor_kind, date, refused};
use crate::commerce::orders;
use crate::ctx::Ctx;
use crate::web::account::OperatorPage;
use crate::web::buy::status_label;
use crate::web::refunds::{
    self, QuantityRow, Reader, RefundForm, RefundRow, RefusedDecision, RequestRow,
};
use crate::web::{Chrome, Field, Flash, api_failure, attach, render};
use askama::Template;
use krafto_core::Money;
use krafto_core::commerce::{OrderEvent, OrderStatus};
use krafto_db::models::OrderScope;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

struct OrderRow {
    number: String,
    status: String,
    total: String,
    email: String,
    date: String,
}

#[derive(Template)]
#[template(path = "admin/orders.html")]
struct OrdersPage {
    chrome: Chrome,
    error: String,
    status: String,
    /// The filter by status.
    filter: Field,
    orders: Vec<OrderRow>,
    next: Option<String>,
}

/// The statuses the list filters by, with the key of their name.
const STATUSES: &[(&str, &str)] = &[
    (OrderStatus::Placed.as_str(), "status-placed"),
    (OrderStatus::Confirmed.as_str(), "status-confirmed"),
    (OrderStatus::Shipped.as_str(), "status-shipped"),
    (
        OrderStatus::OutForDelivery.as_str(),
        "status-out-for-delivery",
    ),
    (OrderStatus::Delivered.as_str(), "status-delivered"),
    (OrderStatus::Cancelled.as_str(), "status-cancelled"),
    (OrderStatus::Refunded.as_str(), "status-refunded"),
];

#[derive(Debug, Deserialize)]
pub(crate) struct OrdersQuery {
    status: Option<String>,
    cursor: Option<String>,
}

/// `GET /admin/orders?status=&cursor=`: every order of the marketplace, newest first.
#[handler]
pub(crate) async fn orders_list(page: OperatorPage<'_>, Query(q): Query<OrdersQuery>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let status = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let cursor = q.cursor.as_deref().filter(|c| !c.is_empty());
    let page = async {
        let mut tx = ctx.tx().await?;
        let p = orders::page(&mut tx, OrderScope::Marketplace, status, cursor, Some(25)).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(p)
    }
    .await;
    let (items, next, error) = match page {
        Ok(p) => (p.items, p.next_cursor, None),
        Err(e) if e.status.is_client_error() => (Vec::new(), None, Some(e)),
        Err(e) => return api_failure(chrome, &e),
    };
    let status = status.unwrap_or("").to_owned();
    let mut filter = Field::new("status", &chrome.t("console-orders-status"), status.clone())
        .select(
            std::iter::once((String::new(), chrome.t("console-orders-any-status")))
                .chain(
                    STATUSES
                        .iter()
                        .map(|(v, key)| ((*v).to_owned(), chrome.t(key))),
                )
                .collect(),
        );
    let error_text = error
        .as_ref()
        .map_or_else(String::new, |e| attach([&mut filter], e, chrome.locale));
    let r = render(&OrdersPage {
        chrome: chrome.clone(),
        error: error_text,
        filter,
        next: next.map(|c| {
            format!(
                "/admin/orders?status={}&cursor={}",
                krafto_core::text::percent_encode(&status),
                krafto_core::text::percent_encode(&c)
            )
        }),
        status,
        orders: items
            .into_iter()
            .map(|o| OrderRow {
                status: status_label(chrome.locale, &o.status),
                total: chrome.locale.money(&Money::of(o.total_minor, &o.currency)),
                date: date(chrome.locale, o.created_at),
                email: o.email,
                number: o.number,
            })
            .collect(),
    });
    match error {
        Some(e) => refused(r, chrome, &e),
        None => r,
    }
}

struct LineRow {
    title: String,
    quantity: i32,
    amount: String,
    commission: String,
}

#[derive(Template)]
#[template(path = "admin/order.html")]
struct OrderPage {
    chrome: Chrome,
    error: String,
    flash: Flash,
    /// Only the moves the order's state allows are offered.
    can_cancel: bool,
    can_refund: bool,
    /// The reasons given when cancelling and when refunding.
    cancel_reason: Field,
    refund_reason: Field,
    number: String,
    status: String,
    shop: String,
    email: String,
    date: String,
    lines: Vec<LineRow>,
    items: String,
    shipping: String,
    buyer_fee: String,
    total: String,
    commission: String,
    platform_fee: String,
    seller_payout: String,
    /// The order's moves, each as one sentence (when, to what status, by whom, why).
    timeline: Vec<String>,
    /// The money in a sentence ("Remboursée en partie — 42,00 € remboursés").
    money_status: String,
    /// The buyer's requests (open ones with accept and decline) and the refunds made, with
    /// where their money came from.
    requests: Vec<RequestRow>,
    refunds: Vec<RefundRow>,
    /// The refund of lines: a quantity per line not refunded yet, the delivery too, a reason.
    refund_lines: Vec<QuantityRow>,
    refund_shipping: bool,
    /// The delivery still paid (empty when none is left to give back).
    shipping_left: String,
    lines_reason: Field,
    lines_error: String,
}

/// A form of the order page that was refused, with what was typed.
pub(super) enum Sent<'a> {
    /// Cancelling or refunding the whole order.
    Move(&'a ApiError, OrderEvent),
    /// Refunding lines.
    Refund(&'a ApiError, &'a RefundForm),
    /// Deciding a request.
    Decision(RefusedDecision<'a>),
}

/// The order; a refused form says why where it was sent, with what was typed.
pub(super) async fn order_page(
    ctx: &Ctx<'_>,
    chrome: Chrome,
    number: &str,
    flash: Flash,
    sent: Option<Sent<'_>>,
) -> Response {
    let found = async {
        let mut tx = ctx.tx().await?;
        let v = orders::operator_view(&mut tx, number).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(v)
    }
    .await;
    let v = match found {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let money = |m: i64| chrome.locale.money(&Money::of(m, &v.currency));
    let fees = v.fees.as_ref();
    let reason = |id: &str, label: &str| {
        Field::new("reason", label, "")
            .id(id)
            .required()
            .attr("maxlength", "1000")
    };
    let mut cancel_reason = reason("cancel-reason", &chrome.t("console-order-cancel-reason"));
    let mut refund_reason = reason("refund-reason", &chrome.t("console-order-refund-reason"));
    let error_text = match &sent {
        Some(Sent::Move(e, event)) => {
            let field = if *event == OrderEvent::Cancel {
                &mut cancel_reason
            } else {
                &mut refund_reason
            };
            attach([field], e, chrome.locale)
        }
        _ => String::new(),
    };
    let locale = chrome.locale;
    let form = match &sent {
        Some(Sent::Refund(_, f)) => Some(*f),
        _ => None,
    };
    let values = form.map(|f| f.values.clone()).unwrap_or_default();
    let mut refund_lines = refunds::quantity_rows(locale, &v, refunds::refundable(&v), &values);
    let mut lines_reason = refunds::reason_field(
        &locale.t("refund-operator-reason"),
        "lines-reason",
        form.map_or("", |f| f.reason.as_str()),
    );
    let lines_error = match &sent {
        Some(Sent::Refund(e, _)) => attach(
            std::iter::once(&mut lines_reason).chain(refund_lines.iter_mut().map(|q| &mut q.field)),
            e,
            locale,
        ),
        _ => String::new(),
    };
    let decision = match &sent {
        Some(Sent::Decision(d)) => Some(d),
        _ => None,
    };
    let shipping_left = refunds::shipping_left(&v);
    let allows = |e: OrderEvent| {
        poem_openapi::types::ToJSON::to_json(&v.status)
            .and_then(|j| j.as_str().and_then(|s| OrderStatus::parse(s).ok()))
            .is_some_and(|s| s.transition(e).is_ok())
    };
    let page = render(&OrderPage {
        chrome: chrome.clone(),
        error: error_text,
        flash,
        can_cancel: allows(OrderEvent::Cancel),
        can_refund: allows(OrderEvent::Refund),
        cancel_reason,
        refund_reason,
        number: v.number.clone(),
        status: status_label(chrome.locale, &v.status),
        shop: v.shop.name.clone(),
        email: v.email.clone(),
        date: date(chrome.locale, v.created_at),
        lines: v
            .lines
            .iter()
            .map(|l| LineRow {
                title: match &l.variant_label {
                    Some(label) => format!("{} ({label})", l.title),
                    None => l.title.clone(),
                },
                quantity: l.quantity,
                amount: money(l.amount_minor),
                commission: l
                    .fees
                    .as_ref()
                    .map(|f| {
                        chrome.locale.t_args(
                            "console-order-commission-rate",
                            &[
                                (
                                    "amount",
                                    money(f.marketplace_share_minor + f.platform_fee_minor).into(),
                                ),
                                ("bps", f.commission_bps.into()),
                            ],
                        )
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        items: money(v.items_minor),
        shipping: money(v.shipping_minor),
        buyer_fee: money(v.buyer_fee_minor),
        total: money(v.total_minor),
        commission: money(fees.map_or(0, |f| f.commission_minor)),
        platform_fee: money(fees.map_or(0, |f| f.platform_fee_minor)),
        seller_payout: money(fees.map_or(0, |f| f.seller_payout_minor)),
        timeline: v
            .timeline
            .iter()
            .map(|e| {
                let w = refunds::event_words(
                    locale,
                    e,
                    &v.currency,
                    status_label(chrome.locale, &e.status),
                );
                let mut args = vec![
                    ("at", date(chrome.locale, e.at).into()),
                    ("status", w.what.into()),
                    ("actor", actor_kind(chrome.locale, &e.actor).into()),
                ];
                let key = match w.reason {
                    Some(r) => {
                        args.push(("reason", r.into()));
                        "console-order-event-reason"
                    }
                    None => "console-order-event",
                };
                chrome.locale.t_args(key, &args)
            })
            .collect(),
        money_status: refunds::money_status(locale, &v),
        requests: refunds::request_rows(locale, &v, decision),
        refunds: refunds::refund_rows(locale, &v, Reader::Operator),
        refund_shipping: form.is_some_and(|f| f.ticked("with_shipping")),
        shipping_left: if shipping_left > 0 && !refund_lines.is_empty() {
            money(shipping_left)
        } else {
            String::new()
        },
        refund_lines,
        lines_reason,
        lines_error,
    });
    match sent {
        Some(Sent::Move(e, _) | Sent::Refund(e, _)) => refused(page, chrome, e),
        Some(Sent::Decision(d)) => refused(page, chrome, d.error),
        None => page,
    }
}

/// `GET /admin/orders/{number}`: lines, commission and timeline, with cancel and refund.
#[handler]
pub(crate) async fn order(
    page: OperatorPage<'_>,
    Path(number): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let flash = Flash::from_done(
        q.done.as_deref(),
        &[
            ("cancelled", "console-done-order-cancelled"),
            ("refunded", "console-done-order-refunded"),
            ("lines-refunded", "refund-done-refunded"),
            ("accepted", "refund-done-accepted"),
            ("declined", "refund-done-declined"),
        ],
    );
    order_page(&ctx, chrome, &number, flash, None).await
}

async fn order_move(
    page: OperatorPage<'_>,
    number: &str,
    event: OrderEvent,
    reason: &str,
) -> Response {
    let here = format!(
        "/admin/orders/{}",
        krafto_core::text::percent_encode(number)
    );
    let operator = page.actor().id;
    let OperatorPage { ctx, chrome, .. } = page;
    let moved = orders::apply_as_operator(
        ctx.state,
        ctx.tenant,
        operator,
        number,
        event,
        Some(reason),
        None,
    )
    .await;
    match moved {
        Ok(_) => Redirect::see_other(format!(
            "{here}?done={}",
            if event == OrderEvent::Cancel {
                "cancelled"
            } else {
                "refunded"
            }
        ))
        .into_response(),
        Err(e) if e.status == StatusCode::NOT_FOUND => api_failure(chrome, &e),
        Err(e) => {
            order_page(
                &ctx,
                chrome,
                number,
                Flash::default(),
                Some(Sent::Move(&e, event)),
            )
            .await
        }
    }
}

/// `POST /admin/orders/{number}/cancel` (`reason` required)
#[handler]
pub(crate) async fn cancel_order(
    page: OperatorPage<'_>,
    Path(number): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    order_move(page, &number, OrderEvent::Cancel, &form.reason).await
}

/// `POST /admin/orders/{number}/refund` (`reason` required)
#[handler]
pub(crate) async fn refund_order(
    page: OperatorPage<'_>,
    Path(number): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    order_move(page, &number, OrderEvent::Refund, &form.reason).await
}
