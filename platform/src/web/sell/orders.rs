//! The shop's orders at `/sell/orders`: the list (with the buyers' open refund requests),
//! one order with its commission per line, its refunds and requests, and the moves a seller
//! makes (accept, ship, out for delivery, deliver, cancel). The refund forms' handlers are in
//! `refunds.rs`.

use super::refunds::{OpenRequestRow, open_request_rows};
use super::{FeeRow, FlashQuery, OrderRow, Tab, failed, fee_row, with_status};
use crate::commerce::orders::status_of;
use crate::commerce::selling as sales;
use crate::web::account::SellerPage;
use crate::web::buy::status_label;
use crate::web::refunds::{
    self, QuantityRow, Reader, RefundForm, RefundRow, RefusedDecision, RequestRow,
};
use crate::web::{Chrome, Field, Flash, attach, message, render};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::commerce::{OrderAction, OrderView};
use krafto_core::Money;
use krafto_core::commerce::{OrderActor, OrderEvent, OrderStatus};
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "sell/orders.html")]
struct OrdersPage {
    chrome: Chrome,
    tab: Tab,
    status: String,
    statuses: Vec<(&'static str, String)>,
    orders: Vec<ListRow>,
    next: Option<String>,
    /// The buyers' open refund requests, oldest first.
    requests: Vec<OpenRequestRow>,
}

/// An order of the list, flagged when its buyer asks for a refund.
struct ListRow {
    order: OrderRow,
    refund_asked: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OrdersQuery {
    status: Option<String>,
    cursor: Option<String>,
}

/// `GET /sell/orders`: the shop's orders, newest first, filtered by status.
#[handler]
pub(crate) async fn orders(page: SellerPage<'_>, Query(q): Query<OrdersQuery>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let status = q.status.clone().filter(|s| !s.is_empty());
    let loaded = async {
        let page = sales::orders(
            ctx.state,
            ctx.tenant,
            &user,
            status.as_deref(),
            q.cursor.as_deref(),
            Some(50),
        )
        .await?;
        let requests = sales::refund_requests(ctx.state, ctx.tenant, &user).await?;
        Ok::<_, ApiError>((page, requests))
    }
    .await;
    let (page, requests) = match loaded {
        Ok(p) => p,
        Err(e) => return failed(chrome, &e),
    };
    render(&OrdersPage {
        tab: Tab::Orders,
        statuses: [
            ("", "sell-filter-all"),
            (OrderStatus::Placed.as_str(), "sell-filter-to-accept"),
            (OrderStatus::Confirmed.as_str(), "sell-filter-to-ship"),
            (OrderStatus::Shipped.as_str(), "status-shipped"),
            (OrderStatus::Delivered.as_str(), "status-delivered"),
            (OrderStatus::Cancelled.as_str(), "status-cancelled"),
            (OrderStatus::Refunded.as_str(), "status-refunded"),
        ]
        .into_iter()
        .map(|(v, key)| (v, chrome.t(key)))
        .collect(),
        status: status.clone().unwrap_or_default(),
        orders: page
            .items
            .into_iter()
            .map(|o| ListRow {
                refund_asked: requests.iter().any(|r| r.order_number == o.number),
                order: OrderRow {
                    status: status_label(chrome.locale, &o.status),
                    total: chrome.locale.money(&Money::of(o.total_minor, &o.currency)),
                    date: chrome.locale.date(o.created_at.date_naive()),
                    email: o.email,
                    number: o.number,
                },
            })
            .collect(),
        requests: open_request_rows(chrome.locale, &requests),
        next: page.next_cursor.map(|c| {
            format!(
                "/sell/orders?cursor={}{}",
                krafto_core::text::percent_encode(&c),
                status.map(|s| format!("&status={s}")).unwrap_or_default()
            )
        }),
        chrome,
    })
}

struct LineRow {
    title: String,
    variant: Option<String>,
    quantity: i32,
    amount: String,
    commission: String,
    platform_fee: String,
    net: String,
}

struct EventRow {
    status: String,
    actor: String,
    reason: Option<String>,
    at: String,
}

#[derive(Template)]
#[template(path = "sell/order.html")]
struct SellerOrderPage {
    chrome: Chrome,
    tab: Tab,
    flash: Flash,
    number: String,
    status: String,
    /// The money in a sentence ("Remboursée en partie — 42,00 € remboursés").
    money_status: String,
    email: String,
    /// The buyer's phone, when checkout asked for it.
    phone: Option<String>,
    address: Vec<String>,
    /// Where and when the buyer collects, for an order collected at the shop.
    pickup: Option<(String, String)>,
    shipping_option: String,
    tracking: Option<String>,
    lines: Vec<LineRow>,
    fees: FeeRow,
    total: String,
    timeline: Vec<EventRow>,
    /// The moves this order may make now, as `(action path, label)`.
    can_accept: bool,
    can_ship: bool,
    can_out: bool,
    can_deliver: bool,
    can_cancel: bool,
    /// The tracking number given when shipping, the reason given when cancelling.
    tracking_field: Field,
    reason_field: Field,
    error: String,
    /// The buyer's requests (open ones with accept and decline) and the refunds made.
    requests: Vec<RequestRow>,
    /// A request waits for an answer.
    asked: bool,
    refunds: Vec<RefundRow>,
    /// The seller's own refund: a quantity per line not refunded yet, and the reason.
    refund_lines: Vec<QuantityRow>,
    refund_reason: Field,
    refund_error: String,
}

/// A form of the order page that was refused, with what was typed.
pub(super) enum Sent<'a> {
    /// A move (accept, ship, …): said above the moves, marked on its field.
    Move(&'a ApiError),
    /// The seller's refund.
    Refund(&'a ApiError, &'a RefundForm),
    /// A decision on a request.
    Decision(RefusedDecision<'a>),
}

/// What the order page confirms after its refund forms.
const FLASHES: &[(&str, &str)] = &[
    ("refunded", "refund-done-refunded"),
    ("accepted", "refund-done-accepted"),
    ("declined", "refund-done-declined"),
];

fn may(status: OrderStatus, e: OrderEvent) -> bool {
    e.allowed_for(OrderActor::Seller) && status.transition(e).is_ok()
}

/// The order's page; a refused form says why where it was sent, with what was typed.
pub(super) fn order_page(
    chrome: Chrome,
    o: OrderView,
    flash: Flash,
    sent: Option<Sent<'_>>,
) -> Response {
    let locale = chrome.locale;
    let mut tracking_field = Field::new("tracking_number", &locale.t("sell-tracking-field"), "");
    let mut reason_field = Field::new("reason", &locale.t("sell-cancel-reason"), "").required();
    let error = match &sent {
        Some(Sent::Move(e)) => attach([&mut tracking_field, &mut reason_field], e, chrome.locale),
        _ => String::new(),
    };
    let form = match &sent {
        Some(Sent::Refund(_, f)) => Some(*f),
        _ => None,
    };
    let values = form.map(|f| f.values.clone()).unwrap_or_default();
    let mut refund_lines = refunds::quantity_rows(locale, &o, refunds::refundable(&o), &values);
    let mut refund_reason = refunds::reason_field(
        &locale.t("refund-seller-reason"),
        "refund-reason",
        form.map_or("", |f| f.reason.as_str()),
    );
    let refund_error = match &sent {
        Some(Sent::Refund(e, _)) => attach(
            std::iter::once(&mut refund_reason)
                .chain(refund_lines.iter_mut().map(|q| &mut q.field)),
            e,
            locale,
        ),
        _ => String::new(),
    };
    let decision = match &sent {
        Some(Sent::Decision(d)) => Some(d),
        _ => None,
    };
    let requests = refunds::request_rows(locale, &o, decision);
    let refund_rows = refunds::refund_rows(locale, &o, Reader::Seller);
    let money_status = refunds::money_status(locale, &o);
    let money = |m: i64| locale.money(&Money::of(m, &o.currency));
    let st = status_of(o.status);
    let address = crate::accounts::addresses::address_lines(locale, &o.address);
    render(&SellerOrderPage {
        tab: Tab::Orders,
        fees: fee_row(&o, chrome.locale),
        number: o.number.clone(),
        status: status_label(chrome.locale, &o.status),
        email: o.email.clone(),
        phone: o.phone.clone(),
        address,
        pickup: o
            .pickup
            .as_ref()
            .map(|p| (p.address.clone(), p.hours.clone())),
        shipping_option: o.shipping_option.clone(),
        tracking: o.tracking_number.clone(),
        lines: o
            .lines
            .iter()
            .map(|l| LineRow {
                title: l.title.clone(),
                variant: l.variant_label.clone(),
                quantity: l.quantity,
                amount: money(l.amount_minor),
                commission: l.fees.as_ref().map_or_else(String::new, |f| {
                    format!(
                        "{} ({})",
                        money(f.marketplace_share_minor + f.platform_fee_minor),
                        locale.percent_bps(f.commission_bps.into())
                    )
                }),
                platform_fee: l
                    .fees
                    .as_ref()
                    .map_or_else(String::new, |f| money(f.platform_fee_minor)),
                net: l
                    .fees
                    .as_ref()
                    .map_or_else(String::new, |f| money(f.seller_net_minor)),
            })
            .collect(),
        total: money(o.total_minor),
        timeline: o
            .timeline
            .iter()
            .map(|e| {
                let w = refunds::event_words(
                    locale,
                    e,
                    &o.currency,
                    status_label(chrome.locale, &e.status),
                );
                EventRow {
                    status: w.what,
                    actor: locale.t(&format!("sell-actor-{}", e.actor)),
                    reason: w.reason,
                    at: locale.date_time(e.at),
                }
            })
            .collect(),
        can_accept: may(st, OrderEvent::Accept),
        can_ship: may(st, OrderEvent::Ship),
        can_out: may(st, OrderEvent::OutForDelivery),
        can_deliver: may(st, OrderEvent::Deliver),
        can_cancel: may(st, OrderEvent::Cancel),
        tracking_field,
        reason_field,
        error,
        flash,
        money_status,
        asked: requests.iter().any(|r| r.open),
        requests,
        refunds: refund_rows,
        refund_lines,
        refund_reason,
        refund_error,
        chrome,
    })
}

/// `GET /sell/orders/{number}`: the order, its commission per line and what may happen next.
#[handler]
pub(crate) async fn order(
    page: SellerPage<'_>,
    Path(number): Path<String>,
    Query(q): Query<FlashQuery>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let flash = Flash::from_done(q.done.as_deref(), FLASHES);
    match sales::order(ctx.state, ctx.tenant, &user, &number).await {
        Ok(o) => order_page(chrome, o, flash, None),
        Err(e) => failed(chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct MoveForm {
    reason: Option<String>,
    tracking_number: Option<String>,
}

/// `POST /sell/orders/{number}/{accept|ship|out-for-delivery|deliver|cancel}`.
#[handler]
pub(crate) async fn order_action(
    page: SellerPage<'_>,
    Path((number, action)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let event = match action.as_str() {
        "accept" => OrderEvent::Accept,
        "ship" => OrderEvent::Ship,
        "out-for-delivery" => OrderEvent::OutForDelivery,
        "deliver" => OrderEvent::Deliver,
        "cancel" => OrderEvent::Cancel,
        _ => {
            return message(
                chrome,
                StatusCode::NOT_FOUND,
                "Not found",
                "There is no such order action.",
            );
        }
    };
    let act = OrderAction {
        reason: form.reason.filter(|r| !r.trim().is_empty()).map(Into::into),
        tracking_number: form
            .tracking_number
            .filter(|t| !t.trim().is_empty())
            .map(Into::into),
    };
    match sales::order_move(ctx.state, ctx.tenant, &user, &number, event, &act).await {
        Ok(_) => Redirect::see_other(format!(
            "/sell/orders/{}",
            krafto_core::text::percent_encode(&number)
        ))
        .into_response(),
        Err(e) if e.status.is_client_error() && e.code != Code::NoShop => {
            match sales::order(ctx.state, ctx.tenant, &user, &number).await {
                Ok(o) => with_status(
                    order_page(chrome, o, Flash::default(), Some(Sent::Move(&e))),
                    e.status,
                ),
                Err(e) => failed(chrome, &e),
            }
        }
        Err(e) => failed(chrome, &e),
    }
}
