//! Orders after payment: views for buyers, sellers and operators, moves through the order
//! state machine with their history, refunds, and the e-mails that tell people.

use super::checkout::MAIL_KIND;
use crate::catalog::moved;
use crate::{AppState, CurrentTenant};
use chrono::{DateTime, Utc};
use krafto_api_types::Code;
use krafto_api_types::commerce::{
    LineFees, OrderEventView, OrderFees, OrderLineView, OrderPage, OrderShop, OrderStatusName,
    OrderSummary, OrderView,
};
use krafto_api_types::refunds::PaymentStatusName;
use krafto_core::FieldError;
use krafto_core::Money;
use krafto_core::commerce::{OrderActor, OrderEvent, OrderStatus, PaymentStatus};
use krafto_db::TenantTx;
use krafto_db::models::{
    Balance, Checkout, LedgerEntry, Order, OrderEventRow, OrderLine, OrderScope, OutboxMessage,
    Shop, Tenant,
};
use krafto_i18n::Locale;
use krafto_web::{ApiError, ApiResult};
use serde_json::json;
use uuid::Uuid;

fn status_name(s: OrderStatus) -> OrderStatusName {
    match s {
        OrderStatus::Placed => OrderStatusName::Placed,
        OrderStatus::Confirmed => OrderStatusName::Confirmed,
        OrderStatus::Shipped => OrderStatusName::Shipped,
        OrderStatus::OutForDelivery => OrderStatusName::OutForDelivery,
        OrderStatus::Delivered => OrderStatusName::Delivered,
        OrderStatus::Cancelled => OrderStatusName::Cancelled,
        OrderStatus::Refunded => OrderStatusName::Refunded,
    }
}

fn payment_status_name(s: PaymentStatus) -> PaymentStatusName {
    match s {
        PaymentStatus::Paid => PaymentStatusName::Paid,
        PaymentStatus::PartiallyRefunded => PaymentStatusName::PartiallyRefunded,
        PaymentStatus::Refunded => PaymentStatusName::Refunded,
    }
}

/// The order status an API name means.
pub(crate) fn status_of(s: OrderStatusName) -> OrderStatus {
    match s {
        OrderStatusName::Placed => OrderStatus::Placed,
        OrderStatusName::Confirmed => OrderStatus::Confirmed,
        OrderStatusName::Shipped => OrderStatus::Shipped,
        OrderStatusName::OutForDelivery => OrderStatus::OutForDelivery,
        OrderStatusName::Delivered => OrderStatus::Delivered,
        OrderStatusName::Cancelled => OrderStatus::Cancelled,
        OrderStatusName::Refunded => OrderStatus::Refunded,
    }
}

/// The order in full; `with_fees` adds the commission breakdown (sellers, operators).
pub(crate) async fn view(tx: &mut TenantTx, o: Order, with_fees: bool) -> ApiResult<OrderView> {
    let shop = Shop::find(tx, o.shop_id).await?;
    // Where and when to collect, as the checkout's plan froze it.
    let checkout = Checkout::find(tx, o.checkout_id).await?;
    let pickup = super::Plan::parse(&checkout.plan)?
        .shop(o.shop_id)
        .and_then(|s| s.pickup.clone());
    let lines = OrderLine::of_orders(tx, &[o.id]).await?;
    let refunds = super::refunds::of_order(tx, &o, &lines, with_fees, with_fees).await?;
    let events = OrderEventRow::of_order(tx, o.id).await?;
    let mut timeline = Vec::new();
    for e in events {
        timeline.push(OrderEventView {
            status: status_name(e.to_status),
            from_status: e.from_status.map(status_name),
            actor: e.actor_kind,
            reason: e.reason,
            at: e.created_at,
            kind: e.kind,
            amount_minor: e.amount_minor,
        });
    }
    Ok(OrderView {
        status: status_name(o.status),
        shop: OrderShop {
            id: shop.id,
            name: shop.name,
            slug: shop.slug,
        },
        currency: o.currency,
        items_minor: o.items_minor,
        shipping_minor: o.shipping_minor,
        buyer_fee_minor: o.buyer_fee_minor,
        total_minor: o.total_minor,
        shipping_option: o.shipping_option,
        pickup,
        tracking_number: o.tracking_number,
        email: o.email,
        phone: o.phone,
        address: o.address,
        lines: lines
            .into_iter()
            .map(|l| OrderLineView {
                id: l.id,
                refunded_quantity: refunds.refunded_units.get(&l.id).copied().unwrap_or(0),
                listing_id: l.listing_id,
                variant_id: l.variant_id,
                title: l.title,
                variant_label: l.variant_label,
                unit_price_minor: l.unit_price_minor,
                quantity: l.quantity,
                amount_minor: l.amount_minor,
                fees: with_fees.then_some(LineFees {
                    commission_bps: l.commission_bps,
                    platform_fee_bps: l.platform_fee_bps,
                    seller_net_minor: l.seller_net_minor,
                    marketplace_share_minor: l.tenant_share_minor,
                    platform_fee_minor: l.platform_fee_minor,
                }),
            })
            .collect(),
        timeline,
        payment_status: payment_status_name(o.payment_status),
        refunded_minor: refunds.refunded_minor,
        refunds: refunds.refunds,
        refund_requests: refunds.requests,
        fees: with_fees.then_some(OrderFees {
            commission_minor: o.commission_minor,
            platform_fee_minor: o.platform_fee_minor,
            seller_net_minor: o.seller_net_minor,
            seller_payout_minor: o.seller_net_minor + o.shipping_minor,
        }),
        number: o.number,
        created_at: o.created_at,
    })
}

/// A page of orders, newest first; the cursor is opaque.
pub(crate) async fn page(
    tx: &mut TenantTx,
    scope: OrderScope,
    status: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> ApiResult<OrderPage> {
    let status = status
        .map(OrderStatus::parse)
        .transpose()
        .map_err(|e| ApiError::field(e.at("status")))?;
    let before = match cursor {
        Some(c) => Some(parse_cursor(c).ok_or_else(|| {
            ApiError::field(FieldError::new(
                "cursor",
                "is not a cursor from a previous page",
            ))
        })?),
        None => None,
    };
    let limit = limit.unwrap_or(25).clamp(1, 100);
    let mut orders = Order::list(tx, scope, status, before, limit + 1).await?;
    let take = usize::try_from(limit).unwrap_or(25);
    let more = orders.len() > take;
    orders.truncate(take);
    let next_cursor = more
        .then(|| {
            orders
                .last()
                .map(|o| format!("{}_{}", o.created_at.timestamp_micros(), o.id))
        })
        .flatten();
    let mut items = Vec::new();
    for o in orders {
        items.push(OrderSummary {
            status: status_name(o.status),
            number: o.number,
            shop_id: o.shop_id,
            currency: o.currency,
            total_minor: o.total_minor,
            email: o.email,
            created_at: o.created_at,
        });
    }
    Ok(OrderPage { items, next_cursor })
}

/// The marketplace's ledger: every account balance, and the gross merchandise value
/// (everything buyers paid, refunds deducted).
pub(crate) async fn ledger_totals(tx: &mut TenantTx) -> ApiResult<(i64, Vec<Balance>)> {
    let balances = LedgerEntry::balances(tx, None).await?;
    let gmv = LedgerEntry::by_kind(tx, "clearing")
        .await?
        .iter()
        .filter(|b| b.account == "sale" || b.account == "refund")
        .map(|b| b.amount_minor)
        .sum();
    Ok((gmv, balances))
}

fn parse_cursor(c: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let (micros, id) = c.split_once('_')?;
    Some((
        DateTime::from_timestamp_micros(micros.parse().ok()?)?,
        id.parse().ok()?,
    ))
}

/// Who is acting on an order, and within which scope they may.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OrderActorRef {
    pub actor: OrderActor,
    pub user_id: Option<Uuid>,
    /// Sellers act on their own shop's orders only.
    pub shop_id: Option<Uuid>,
}

/// Moves an order by one event: the state machine decides; the history records who, when
/// and why; cancellations and refunds give the buyer their money back through the outbox.
pub(crate) async fn apply(
    state: &AppState,
    tenant: &CurrentTenant,
    number: &str,
    event: OrderEvent,
    by: OrderActorRef,
    reason: Option<&str>,
    tracking_number: Option<&str>,
) -> ApiResult<OrderView> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if event.needs_reason() && reason.is_none() {
        return Err(ApiError::field(FieldError::new(
            "reason",
            "say why: the buyer is told",
        )));
    }
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(ApiError::field(FieldError::new(
            "reason",
            "at most 1000 characters",
        )));
    }
    let tracking = tracking_number.map(str::trim).filter(|t| !t.is_empty());
    if tracking.is_some_and(|t| t.chars().count() > 100) {
        return Err(ApiError::field(FieldError::new(
            "tracking_number",
            "at most 100 characters",
        )));
    }
    if !event.allowed_for(by.actor) {
        return Err(ApiError::forbidden(format!(
            "a {} cannot {} an order",
            by.actor.as_str(),
            event.as_str().replace('_', " ")
        )));
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let order = Order::by_number_for_update(&mut tx, number)
        .await?
        .filter(|o| by.shop_id.is_none_or(|s| s == o.shop_id))
        .ok_or_else(|| not_found(number))?;
    let from = order.status;
    let to = moved(from.transition(event))?;
    let order = Order::set_status(&mut tx, order.id, to, tracking).await?;
    OrderEventRow::insert(
        &mut tx,
        &OrderEventRow::moved(
            tenant.id,
            order.id,
            Some(from),
            to,
            by.actor.as_str(),
            by.user_id,
            reason,
        ),
    )
    .await?;
    if event.refunds() {
        super::refunds::refund_rest_after_move(
            state,
            &mut tx,
            tenant,
            order.clone(),
            super::refunds::RefundBy::of(by),
            reason.unwrap_or("refund"),
        )
        .await?;
    }
    crate::commerce::releases::on_order_moved(&mut tx, &order, event, Utc::now()).await?;
    // Re-read: a refund changed the order's money status.
    let order = if event.refunds() {
        Order::find(&mut tx, order.id).await?
    } else {
        order
    };
    status_mail(state, &mut tx, tenant, &order, to, reason).await?;
    let v = view(&mut tx, order, true).await?;
    tx.commit().await?;
    Ok(v)
}

/// Any order of the marketplace in full, fees included (operators).
pub(crate) async fn operator_view(tx: &mut TenantTx, number: &str) -> ApiResult<OrderView> {
    let o = Order::by_number(tx, number)
        .await?
        .ok_or_else(|| not_found(number))?;
    view(tx, o, true).await
}

/// Moves any order of the marketplace by one event as an operator (see [`apply`]).
pub(crate) async fn apply_as_operator(
    state: &AppState,
    tenant: &CurrentTenant,
    operator_id: Option<Uuid>,
    number: &str,
    event: OrderEvent,
    reason: Option<&str>,
    tracking_number: Option<&str>,
) -> ApiResult<OrderView> {
    let by = OrderActorRef {
        actor: OrderActor::Operator,
        user_id: operator_id,
        shop_id: None,
    };
    apply(state, tenant, number, event, by, reason, tracking_number).await
}

pub(crate) fn not_found(number: &str) -> ApiError {
    ApiError::not_found(Code::OrderNotFound, format!("no order {number} here"))
}

/// Queues an e-mail of the marketplace in the transaction that causes it.
pub(crate) async fn mail(
    tx: &mut TenantTx,
    tenant: &Tenant,
    to: &str,
    subject: String,
    body: String,
) -> ApiResult<()> {
    OutboxMessage::enqueue(tx, MAIL_KIND, mail_payload(tenant, to, subject, body)).await?;
    Ok(())
}

/// The buyer's confirmation (every order with its items, its delivery or where and when to
/// collect it, and its private link; the delivery address) and each seller's notice, as
/// `mail.send` payloads. `plan` is the checkout's; `owners` maps shop id → owner e-mail.
pub(crate) fn confirmation_mails(
    state: &AppState,
    tenant: &Tenant,
    checkout: &Checkout,
    orders: &[Order],
    plan: &super::Plan,
    owners: &std::collections::HashMap<Uuid, String>,
) -> Vec<serde_json::Value> {
    let base = state.storefront(&state.tenant_host(tenant));
    let locale = Locale::of_tag(&tenant.locale);
    let name = tenant.display_name.as_str();
    let money = |m: i64, currency: &str| locale.money(&Money::of(m, currency));
    let mut body = format!(
        "{}\n\n{}\n\n",
        locale.t_args("mail-confirm-intro", &[("name", name.into())]),
        locale.t_args(
            "mail-confirm-total",
            &[(
                "total",
                money(checkout.total_minor, &checkout.currency).into()
            )]
        ),
    );
    for o in orders {
        let Some(part) = plan.shop(o.shop_id) else {
            continue;
        };
        let shop_name = &part.shop_name;
        let url = format!(
            "{base}/orders/{}?token={}",
            o.number,
            state.keys.order_access_token(o.tenant_id, o.id)
        );
        let mut items = String::new();
        for l in &part.lines {
            let title = match &l.variant_label {
                Some(v) => format!("{} · {v}", l.title),
                None => l.title.clone(),
            };
            items.push_str(&format!("  {} × {title}\n", l.quantity));
        }
        let delivery = match &part.pickup {
            Some(p) => locale.t_args(
                "mail-confirm-pickup",
                &[
                    ("address", p.address.as_str().into()),
                    ("hours", p.hours.as_str().into()),
                ],
            ),
            None => locale.t_args(
                "mail-confirm-delivery",
                &[("option", part.option_name.as_str().into())],
            ),
        };
        body.push_str(&format!(
            "{}\n{}\n{items}{delivery}\n\n",
            locale.t_args(
                "mail-confirm-order",
                &[
                    ("number", o.number.as_str().into()),
                    ("shop", shop_name.as_str().into()),
                    ("total", money(o.total_minor, &o.currency).into()),
                ],
            ),
            locale.t_args("mail-follow", &[("url", url.into())]),
        ));
    }
    let address = crate::accounts::addresses::address_lines(locale, &checkout.address);
    if !address.is_empty() {
        body.push_str(&format!(
            "{}\n  {}\n",
            locale.t("mail-confirm-address"),
            address.join("\n  ")
        ));
    }
    let mut mails = vec![mail_payload(
        tenant,
        &checkout.email,
        locale.t_args("mail-confirm-subject", &[("name", name.into())]),
        body,
    )];
    for o in orders {
        let Some(owner) = owners.get(&o.shop_id) else {
            continue;
        };
        mails.push(mail_payload(
            tenant,
            owner,
            locale.t_args(
                "mail-seller-subject",
                &[("number", o.number.as_str().into()), ("name", name.into())],
            ),
            format!(
                "{}\n{}\n",
                locale.t_args(
                    "mail-seller-body",
                    &[
                        ("number", o.number.as_str().into()),
                        ("total", money(o.total_minor, &o.currency).into()),
                        (
                            "net",
                            money(o.seller_net_minor + o.shipping_minor, &o.currency).into(),
                        ),
                    ],
                ),
                locale.t_args(
                    "mail-seller-accept",
                    &[("url", format!("{base}/sell/orders/{}", o.number).into())],
                ),
            ),
        ));
    }
    mails
}

/// A `mail.send` payload: sent in the marketplace's name, replies to its support address.
fn mail_payload(tenant: &Tenant, to: &str, subject: String, body: String) -> serde_json::Value {
    json!({
        "to": to,
        "subject": subject,
        "body": body,
        "from_name": tenant.display_name,
        "reply_to": tenant.support_email,
    })
}

async fn status_mail(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    o: &Order,
    to: OrderStatus,
    reason: Option<&str>,
) -> ApiResult<()> {
    let base = state.storefront(&state.tenant_host(tenant));
    let locale = Locale::of_tag(&tenant.locale);
    let reason = || [("reason", reason.unwrap_or("").into())];
    let what = match to {
        OrderStatus::Confirmed => locale.t("mail-status-confirmed"),
        OrderStatus::Shipped => match &o.tracking_number {
            Some(t) => locale.t_args("mail-status-shipped-tracking", &[("tracking", t.into())]),
            None => locale.t("mail-status-shipped"),
        },
        OrderStatus::OutForDelivery => locale.t("mail-status-out-for-delivery"),
        OrderStatus::Delivered => locale.t("mail-status-delivered"),
        OrderStatus::Cancelled => locale.t_args("mail-status-cancelled", &reason()),
        OrderStatus::Refunded => locale.t_args("mail-status-refunded", &reason()),
        OrderStatus::Placed => return Ok(()),
    };
    let number = || ("number", o.number.as_str().into());
    let url = format!(
        "{base}/orders/{}?token={}",
        o.number,
        state.keys.order_access_token(o.tenant_id, o.id)
    );
    mail(
        tx,
        tenant,
        &o.email,
        locale.t_args(
            "mail-status-subject",
            &[
                ("name", tenant.display_name.as_str().into()),
                number(),
                (
                    "status",
                    locale
                        .t(&format!("status-{}", to.as_str().replace('_', "-")))
                        .into(),
                ),
            ],
        ),
        format!(
            "{}\n{}\n",
            locale.t_args("mail-status-body", &[number(), ("what", what.into())]),
            locale.t_args("mail-follow", &[("url", url.into())]),
        ),
    )
    .await
}

/// The order behind a number, if the caller may see it: its buyer, or anyone holding its
/// access token. Anyone else gets the 404 of a missing order.
pub(crate) async fn for_buyer(
    state: &AppState,
    tx: &mut TenantTx,
    number: &str,
    user_id: Option<Uuid>,
    token: Option<&str>,
) -> ApiResult<Order> {
    let o = Order::by_number(tx, number)
        .await?
        .ok_or_else(|| not_found(number))?;
    let tenant_id = tx.tenant_id().get();
    let by_token = token.is_some_and(|t| state.keys.order_token_matches(tenant_id, o.id, t));
    let by_account = user_id.is_some() && o.buyer_id == user_id;
    // A wrong token is answered exactly like a missing order: numbers are sequential, and
    // telling the two apart would list every order of the marketplace.
    if by_token || by_account {
        Ok(o)
    } else {
        Err(not_found(number))
    }
}
