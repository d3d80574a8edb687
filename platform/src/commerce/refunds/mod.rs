//! Refunds after the sale (seed 002 refunds, seed 000 P-REF, A-ORD): buyers ask per order
//! line, sellers and operators accept or decline, sellers and operators refund at once; every
//! refund is divided by `krafto_core::refund::allocate_refund` from the amounts frozen on the
//! order's lines, and is then carried out by the worker, exactly once:
//!
//! 1. `payment.refund`: the gateway refund (key `refund:{id}`); in the same transaction that
//!    records it, the balanced reversal journal, the reduction of transfers not yet sent, and
//!    one reversal row per transfer already sent (seller's and marketplace's, in proportion);
//! 2. `payment.reverse`: each reversal at the gateway (key `reversal:{id}`); one the connected
//!    account cannot cover becomes a debt, netted from that recipient's next transfers
//!    ([`net_debts`], called before a transfer is sent).
//!
//! A crash anywhere only makes the worker ask again with the same keys.

use super::checkout::{REFUND_KIND, REVERSE_KIND};
use super::orders::{OrderActorRef, mail, not_found};
use super::payouts::MoneyJobError;
use crate::{AppState, CurrentTenant};
use chrono::Utc;
use krafto_api_types::Code;
use krafto_api_types::refunds::{
    DebtView, RefundLineView, RefundRequestLineView, RefundRequestStatusName, RefundRequestView,
    RefundView, SettlementName,
};
use krafto_core::commerce::{
    CheckoutStatus, OrderActor, OrderStatus, PaymentStatus, RefundRequestStatus, SettlementStatus,
};
use krafto_core::refund::{
    LinePaid, LineRefunded, OrderPaid, OrderRefunded, RefundAllocation, RefundAsk, allocate_refund,
};
use krafto_core::{FieldError, Money};
use krafto_db::models::{
    Checkout, Debt, Decision, Dispute, LedgerEntry, Order, OrderEventRow, OrderLine, OutboxMessage,
    Refund, RefundLine, RefundRecord, RefundRequest, RefundRequestLine, Shop, Tenant, Transfer,
    TransferReversal,
};
use krafto_db::{TenantScope, TenantTx};
use krafto_i18n::Locale;
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

mod mails;
mod money;
mod views;

use mails::{declined_mail, refund_mails, request_mail};
pub(crate) use money::{TakenFor, after_gateway_refund, net_debts, send_reversal, take_back};
pub(crate) use views::{debts, of_order, open_requests};
use views::{refund_view, request_view};

/// Units of one order line, by the line's id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineUnits {
    pub line_id: Uuid,
    pub quantity: i64,
}

fn conflict(detail: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::CONFLICT, Code::InvalidTransition, detail)
}

/// A reason given by a person: trimmed, 1 to 1000 characters when required.
fn reason_of(reason: Option<&str>, required: bool) -> ApiResult<Option<String>> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match reason {
        None if required => Err(ApiError::field(FieldError::new(
            "reason",
            "say why: the buyer is told",
        ))),
        Some(r) if r.chars().count() > 1000 => Err(ApiError::field(FieldError::new(
            "reason",
            "at most 1000 characters",
        ))),
        r => Ok(r.map(str::to_owned)),
    }
}

/// An order with what it paid and what was given back, for allocating a refund.
struct Refundable {
    order: Order,
    lines: Vec<OrderLine>,
    paid: OrderPaid,
    refunded: OrderRefunded,
}

impl Refundable {
    /// Locks the order (refunds of one order are decided one at a time) and reads its lines
    /// and the refunds that still count.
    async fn load(tx: &mut TenantTx, number: &str, shop: Option<Uuid>) -> ApiResult<Refundable> {
        let order = Order::by_number_for_update(tx, number)
            .await?
            .filter(|o| shop.is_none_or(|s| s == o.shop_id))
            .ok_or_else(|| not_found(number))?;
        Self::of(tx, order).await
    }

    async fn of(tx: &mut TenantTx, order: Order) -> ApiResult<Refundable> {
        let lines = OrderLine::of_orders(tx, &[order.id]).await?;
        let index: HashMap<Uuid, usize> =
            lines.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
        let mut refunded = OrderRefunded {
            lines: vec![LineRefunded::default(); lines.len()],
            ..OrderRefunded::default()
        };
        for r in RefundLine::counting_of_order(tx, order.id).await? {
            if let Some(&i) = index.get(&r.order_line_id) {
                let l = &mut refunded.lines[i];
                l.quantity += i64::from(r.quantity);
                l.amount_minor += r.amount_minor;
                l.seller_net_minor += r.seller_net_minor;
                l.tenant_share_minor += r.tenant_share_minor;
                l.platform_fee_minor += r.platform_fee_minor;
            }
        }
        for r in Refund::of_order(tx, order.id).await? {
            if r.refund.allocated && r.refund.status != SettlementStatus::Failed {
                refunded.shipping_minor += r.refund.shipping_minor;
                refunded.buyer_fee_minor += r.refund.buyer_fee_minor;
            }
        }
        let paid = OrderPaid {
            lines: lines
                .iter()
                .map(|l| LinePaid {
                    quantity: i64::from(l.quantity),
                    amount_minor: l.amount_minor,
                    seller_net_minor: l.seller_net_minor,
                    tenant_share_minor: l.tenant_share_minor,
                    platform_fee_minor: l.platform_fee_minor,
                })
                .collect(),
            shipping_minor: order.shipping_minor,
            buyer_fee_minor: order.buyer_fee_minor,
        };
        Ok(Refundable {
            order,
            lines,
            paid,
            refunded,
        })
    }

    /// The ask, by line positions; every id must be one of the order's lines.
    fn ask(&self, units: &[LineUnits], with_shipping: bool) -> ApiResult<RefundAsk> {
        let mut lines = Vec::new();
        for u in units {
            let Some(i) = self.lines.iter().position(|l| l.id == u.line_id) else {
                return Err(ApiError::field(FieldError::new(
                    "lines",
                    "names a line that is not in this order",
                )));
            };
            lines.push((i, u.quantity));
        }
        Ok(RefundAsk {
            lines,
            with_shipping,
        })
    }

    /// Everything left of the order, shipping included.
    fn rest(&self) -> RefundAsk {
        RefundAsk {
            lines: self
                .paid
                .lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i, l.quantity - self.refunded.lines[i].quantity))
                .filter(|(_, q)| *q > 0)
                .collect(),
            with_shipping: true,
        }
    }

    /// Refusals that do not depend on the ask: an unpaid or wholly refunded order.
    async fn check_refundable(&self, tx: &mut TenantTx) -> ApiResult<()> {
        if self.order.payment_status == PaymentStatus::Refunded {
            return Err(conflict(format!(
                "order {} is refunded in full already",
                self.order.number
            )));
        }
        let checkout = Checkout::find(tx, self.order.checkout_id).await?;
        if checkout.status != CheckoutStatus::Paid {
            return Err(conflict(format!("order {} is not paid", self.order.number)));
        }
        not_disputed(tx, checkout.id).await
    }

    fn allocate(&self, ask: &RefundAsk, tenant: &Tenant) -> ApiResult<RefundAllocation> {
        allocate_refund(&self.paid, &self.refunded, ask, tenant.refund_platform_fee)
            .map_err(|e| ApiError::field(e.at("lines")))
    }
}

/// Refunds wait while the buyer's bank disputes the payment, and stop once the bank gave the
/// money back (a lost dispute).
async fn not_disputed(tx: &mut TenantTx, checkout_id: Uuid) -> ApiResult<()> {
    if Dispute::blocking_refunds(tx, checkout_id).await? > 0 {
        return Err(conflict(
            "the buyer's bank disputes this payment: no refund while the dispute is open or once it is lost",
        ));
    }
    Ok(())
}

/// Who acts on a refund.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RefundBy {
    pub kind: &'static str,
    pub user_id: Option<Uuid>,
    /// Sellers act on their own shop's orders only.
    pub shop_id: Option<Uuid>,
}

impl RefundBy {
    pub(crate) fn of(by: OrderActorRef) -> RefundBy {
        RefundBy {
            kind: by.actor.as_str(),
            user_id: by.user_id,
            shop_id: by.shop_id,
        }
    }

    pub(crate) fn operator(user_id: Uuid) -> RefundBy {
        RefundBy {
            kind: OrderActor::Operator.as_str(),
            user_id: Some(user_id),
            shop_id: None,
        }
    }

    pub(crate) fn staff(staff_id: Option<Uuid>) -> RefundBy {
        RefundBy {
            kind: "staff",
            user_id: staff_id,
            shop_id: None,
        }
    }
}

/// A buyer asks for units of their order back. One open request per line; the seller is told.
pub(crate) async fn request(
    state: &AppState,
    tenant: &CurrentTenant,
    order: Order,
    buyer_id: Option<Uuid>,
    units: &[LineUnits],
    reason: Option<&str>,
) -> ApiResult<RefundRequestView> {
    let reason = reason_of(reason, true)?.unwrap_or_default();
    if units.is_empty() {
        return Err(ApiError::field(FieldError::new(
            "lines",
            "name at least one line to refund",
        )));
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let r = Refundable::load(&mut tx, &order.number, None).await?;
    r.check_refundable(&mut tx).await?;
    // The ask must fit what is left, as a refund would.
    let ask = r.ask(units, false)?;
    r.allocate(&ask, tenant)?;
    let open_ids: Vec<Uuid> = RefundRequest::of_orders(&mut tx, &[r.order.id])
        .await?
        .iter()
        .filter(|q| q.status == RefundRequestStatus::Open)
        .map(|q| q.id)
        .collect();
    let open = RefundRequest::lines(&mut tx, &open_ids).await?;
    if units
        .iter()
        .any(|u| open.iter().any(|o| o.order_line_id == u.line_id))
    {
        return Err(ApiError::conflict(
            Code::Conflict,
            "lines",
            "a refund request is already open for this line",
        ));
    }
    let now = Utc::now();
    let req = RefundRequest {
        tenant_id: tenant.id,
        id: Uuid::now_v7(),
        order_id: r.order.id,
        status: RefundRequestStatus::Open,
        reason: reason.clone(),
        requested_by: OrderActor::Buyer.as_str().to_owned(),
        requested_by_id: buyer_id,
        decided_by: None,
        decided_by_id: None,
        decision_reason: None,
        decided_at: None,
        refund_id: None,
        created_at: now,
    };
    let mut merged: BTreeMap<Uuid, i64> = BTreeMap::new();
    for u in units {
        *merged.entry(u.line_id).or_default() += u.quantity;
    }
    let req_lines: Vec<RefundRequestLine> = merged
        .iter()
        .map(|(&line, &q)| RefundRequestLine {
            tenant_id: tenant.id,
            request_id: req.id,
            order_line_id: line,
            quantity: i32::try_from(q).unwrap_or(i32::MAX),
            open: true,
        })
        .collect();
    RefundRequest::insert(&mut tx, &req, &req_lines).await?;
    OrderEventRow::insert(
        &mut tx,
        &OrderEventRow {
            kind: "refund_requested".to_owned(),
            ..OrderEventRow::moved(
                tenant.id,
                r.order.id,
                Some(r.order.status),
                r.order.status,
                OrderActor::Buyer.as_str(),
                buyer_id,
                Some(&reason),
            )
        },
    )
    .await?;
    request_mail(state, &mut tx, tenant, &r.order).await?;
    let view = request_view(&req, &req_lines, &r.lines, &r.order.number);
    tx.commit().await?;
    Ok(view)
}

/// The buyer withdraws their open request.
pub(crate) async fn withdraw(
    state: &AppState,
    tenant: &CurrentTenant,
    order: &Order,
    request_id: Uuid,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let req = RefundRequest::find_for_update(&mut tx, request_id)
        .await?
        .filter(|q| q.order_id == order.id)
        .ok_or_else(request_not_found)?;
    if req.status != RefundRequestStatus::Open {
        return Err(conflict("this refund request was decided already"));
    }
    RefundRequest::decide(
        &mut tx,
        req.id,
        Decision {
            status: RefundRequestStatus::Withdrawn,
            by: OrderActor::Buyer.as_str(),
            by_id: order.buyer_id,
            reason: None,
            refund_id: None,
        },
    )
    .await?;
    Ok(tx.commit().await?)
}

fn request_not_found() -> ApiError {
    ApiError::not_found(Code::NotFound, "no such refund request on this order")
}

/// The seller (their own shop's orders) or an operator accepts or declines a request.
/// Accepting makes the refund of exactly the units asked.
pub(crate) async fn decide(
    state: &AppState,
    tenant: &CurrentTenant,
    request_id: Uuid,
    by: RefundBy,
    accept: bool,
    reason: Option<&str>,
) -> ApiResult<RefundRequestView> {
    let reason = reason_of(reason, !accept)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let found = RefundRequest::find_for_update(&mut tx, request_id)
        .await?
        .ok_or_else(request_not_found)?;
    let order = Order::find(&mut tx, found.order_id).await?;
    if by.shop_id.is_some_and(|s| s != order.shop_id) {
        return Err(request_not_found());
    }
    if found.status != RefundRequestStatus::Open {
        return Err(conflict("this refund request was decided already"));
    }
    let req_lines = RefundRequest::lines(&mut tx, &[found.id]).await?;
    let r = Refundable::load(&mut tx, &order.number, None).await?;
    let refund_id = if accept {
        r.check_refundable(&mut tx).await?;
        let units: Vec<LineUnits> = req_lines
            .iter()
            .map(|l| LineUnits {
                line_id: l.order_line_id,
                quantity: i64::from(l.quantity),
            })
            .collect();
        let ask = r.ask(&units, false)?;
        let reason = reason.clone().unwrap_or_else(|| found.reason.clone());
        let act = Act {
            by,
            reason: &reason,
            request_id: Some(found.id),
        };
        let refund = make(state, &mut tx, tenant, &r, &ask, act).await?;
        Some(refund.id)
    } else {
        OrderEventRow::insert(
            &mut tx,
            &OrderEventRow {
                kind: "refund_declined".to_owned(),
                ..OrderEventRow::moved(
                    tenant.id,
                    order.id,
                    Some(order.status),
                    order.status,
                    by.kind,
                    by.user_id,
                    reason.as_deref(),
                )
            },
        )
        .await?;
        declined_mail(
            state,
            &mut tx,
            tenant,
            &order,
            reason.as_deref().unwrap_or(""),
        )
        .await?;
        None
    };
    let status = if accept {
        RefundRequestStatus::Accepted
    } else {
        RefundRequestStatus::Declined
    };
    RefundRequest::decide(
        &mut tx,
        found.id,
        Decision {
            status,
            by: by.kind,
            by_id: by.user_id,
            reason: reason.as_deref(),
            refund_id,
        },
    )
    .await?;
    let decided = RefundRequest::find_for_update(&mut tx, found.id)
        .await?
        .ok_or_else(request_not_found)?;
    let view = request_view(&decided, &req_lines, &r.lines, &order.number);
    tx.commit().await?;
    Ok(view)
}

/// What a seller, an operator or staff ask to refund at once: the units named (none:
/// everything left, shipping included), shipping too (operators), and why.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RefundNow<'a> {
    pub units: &'a [LineUnits],
    pub with_shipping: bool,
    pub reason: Option<&'a str>,
}

/// A seller (their own orders), an operator or Krafto staff refunds at once.
pub(crate) async fn refund_now(
    state: &AppState,
    scope: &TenantScope,
    tenant: &Tenant,
    number: &str,
    by: RefundBy,
    now: RefundNow<'_>,
) -> ApiResult<RefundView> {
    let RefundNow {
        units,
        with_shipping,
        reason,
    } = now;
    let reason = reason_of(reason, true)?.unwrap_or_default();
    let mut tx = state.db.tenant(scope).await?;
    let r = Refundable::load(&mut tx, number, by.shop_id).await?;
    r.check_refundable(&mut tx).await?;
    let ask = if units.is_empty() {
        r.rest()
    } else {
        r.ask(
            units,
            with_shipping && by.kind != OrderActor::Seller.as_str(),
        )?
    };
    let act = Act {
        by,
        reason: &reason,
        request_id: None,
    };
    let refund = make(state, &mut tx, tenant, &r, &ask, act).await?;
    let lines = RefundLine::of_refund(&mut tx, refund.id).await?;
    let view = refund_view(&refund, &lines, None, None, true, by.kind != "seller");
    tx.commit().await?;
    Ok(view)
}

/// Refunds whatever is left of an order that was just cancelled or refunded by a move of the
/// state machine (the move itself was recorded by the caller). Nothing left: nothing done.
pub(crate) async fn refund_rest_after_move(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    order: Order,
    by: RefundBy,
    reason: &str,
) -> ApiResult<()> {
    let r = Refundable::of(tx, order).await?;
    if r.order.payment_status == PaymentStatus::Refunded {
        return Ok(());
    }
    not_disputed(tx, r.order.checkout_id).await?;
    let ask = r.rest();
    match allocate_refund(&r.paid, &r.refunded, &ask, tenant.refund_platform_fee) {
        Ok(_) => {
            let act = Act {
                by,
                reason,
                request_id: None,
            };
            make(state, tx, tenant, &r, &ask, act).await?;
            Ok(())
        }
        // Nothing left to give back.
        Err(_) => Ok(()),
    }
}

/// Who makes a refund, why, and on which request.
#[derive(Debug, Clone, Copy)]
struct Act<'a> {
    by: RefundBy,
    reason: &'a str,
    request_id: Option<Uuid>,
}

/// Records one refund: its allocation, the order's money status (and, when it takes
/// everything, the order's move to cancelled or refunded), the history, the e-mails, and the
/// job that asks the gateway.
async fn make(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    r: &Refundable,
    ask: &RefundAsk,
    act: Act<'_>,
) -> ApiResult<Refund> {
    let Act {
        by,
        reason,
        request_id,
    } = act;
    let a = r.allocate(ask, tenant)?;
    let o = &r.order;
    let refund = Refund {
        tenant_id: tenant.id,
        id: Uuid::now_v7(),
        checkout_id: o.checkout_id,
        order_id: Some(o.id),
        amount_minor: a.total_minor,
        reason: reason.to_owned(),
        status: SettlementStatus::Pending,
        gateway_id: None,
        currency: Some(o.currency.clone()),
        items_minor: a.items_minor,
        shipping_minor: a.shipping_minor,
        buyer_fee_minor: a.buyer_fee_minor,
        seller_minor: a.seller_minor,
        tenant_minor: a.tenant_minor,
        platform_minor: a.platform_minor,
        allocated: true,
        actor_kind: Some(by.kind.to_owned()),
        actor_id: by.user_id,
        request_id,
    };
    Refund::insert(tx, &refund).await?;
    let lines: Vec<RefundLine> = a
        .lines
        .iter()
        .map(|l| RefundLine {
            tenant_id: tenant.id,
            refund_id: refund.id,
            order_line_id: r.lines[l.line].id,
            quantity: i32::try_from(l.quantity).unwrap_or(i32::MAX),
            amount_minor: l.amount_minor,
            seller_net_minor: l.seller_net_minor,
            tenant_share_minor: l.tenant_share_minor,
            platform_fee_minor: l.platform_fee_minor,
        })
        .collect();
    RefundLine::insert_all(tx, &lines).await?;
    let money_status = if a.completes_order {
        PaymentStatus::Refunded
    } else {
        PaymentStatus::PartiallyRefunded
    };
    Order::set_payment_status(tx, o.id, money_status).await?;
    let mut events = vec![OrderEventRow {
        kind: "refund".to_owned(),
        amount_minor: Some(a.total_minor),
        ..OrderEventRow::moved(
            tenant.id,
            o.id,
            Some(o.status),
            o.status,
            by.kind,
            by.user_id,
            Some(reason),
        )
    }];
    // Everything given back ends the order, unless a move did already.
    let end = o.status.fully_refunded();
    if a.completes_order && o.status != end && !matches!(o.status, OrderStatus::Refunded) {
        Order::set_status(tx, o.id, end, None).await?;
        events.push(OrderEventRow::moved(
            tenant.id,
            o.id,
            Some(o.status),
            end,
            by.kind,
            by.user_id,
            Some(reason),
        ));
    }
    OrderEventRow::insert_all(tx, &events).await?;
    OutboxMessage::enqueue(tx, REFUND_KIND, json!({ "refund_id": refund.id })).await?;
    refund_mails(state, tx, tenant, o, &a, reason).await?;
    Ok(refund)
}

/// The control plane's job: Krafto staff refund what is left of an order (see
/// `krafto_core::refund::STAFF_REFUND_JOB`). A refusal (nothing left, a dispute) is final.
pub(crate) async fn staff_refund(
    state: &AppState,
    scope: &TenantScope,
    payload: &serde_json::Value,
) -> ApiResult<()> {
    let text = |k: &str| payload.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    let staff_id = payload
        .get("staff_id")
        .and_then(|v| v.as_str())
        .and_then(|v| v.parse().ok());
    let mut tx = state.db.tenant(scope).await?;
    let tenant_id = tx.tenant_id().get();
    let tenant = Tenant::find(&mut tx, tenant_id).await?;
    tx.commit().await?;
    refund_now(
        state,
        scope,
        &tenant,
        text("number"),
        RefundBy::staff(staff_id),
        RefundNow {
            units: &[],
            with_shipping: false,
            reason: Some(text("reason")),
        },
    )
    .await
    .map(|_| ())
}
