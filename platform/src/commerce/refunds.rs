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

// ---- The worker's part ----

fn retry(e: impl std::fmt::Display) -> MoneyJobError {
    MoneyJobError::Retry(e.to_string())
}

/// After the gateway refunded an allocated refund, in the transaction that records it: the
/// reversal journal, transfers not yet sent reduced, and reversals of those already sent.
pub(crate) async fn after_gateway_refund(tx: &mut TenantTx, refund: &Refund) -> ApiResult<()> {
    let Some(order_id) = refund.order_id.filter(|_| refund.allocated) else {
        return Ok(());
    };
    let tenant_id = tx.tenant_id().get();
    let order = Order::find(tx, order_id).await?;
    let lines = RefundLine::of_refund(tx, refund.id).await?;
    let nets: i64 = lines.iter().map(|l| l.seller_net_minor).sum();
    let shares: i64 = lines.iter().map(|l| l.tenant_share_minor).sum();
    let fees: i64 = lines.iter().map(|l| l.platform_fee_minor).sum();
    let seller = format!("seller:{}", order.shop_id);
    let journal = Uuid::now_v7();
    let entry = |account: &str, amount: i64| LedgerEntry {
        tenant_id,
        id: Uuid::now_v7(),
        journal_id: journal,
        checkout_id: refund.checkout_id,
        order_id: Some(order_id),
        account: account.to_owned(),
        kind: "refund".to_owned(),
        amount_minor: amount,
        currency: order.currency.clone(),
    };
    LedgerEntry::post(
        tx,
        &[
            entry("clearing", -refund.amount_minor),
            entry(&seller, nets + refund.shipping_minor),
            entry("tenant", shares + refund.buyer_fee_minor),
            entry(
                if refund.platform_minor > 0 {
                    "platform"
                } else {
                    "tenant"
                },
                fees,
            ),
        ],
    )
    .await?;
    // Take the money back where it went: the seller's transfer of this order, the
    // marketplace's transfer of this checkout.
    take_back(
        tx,
        refund.checkout_id,
        &[
            (seller, Some(order_id), refund.seller_minor),
            ("tenant".to_owned(), None, refund.tenant_minor),
        ],
        TakenFor::Refund(refund.id),
    )
    .await
}

/// Why money is taken back from connected accounts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TakenFor {
    Refund(Uuid),
    Dispute(Uuid),
    /// Stripe's fee on the checkout's charge, borne by the marketplace: never reversed (too
    /// small to be worth a call each), owed instead when its transfer went out already.
    StripeFee,
}

/// Takes `amount` back from each recipient's transfers of a checkout (the seller's of the
/// given order, or the marketplace's): a transfer not yet sent is reduced, one already sent
/// gets a reversal (queued for the worker, keyed by what it is for and the transfer). What no
/// transfer covers stays owed in the ledger.
pub(crate) async fn take_back(
    tx: &mut TenantTx,
    checkout_id: Uuid,
    parts: &[(String, Option<Uuid>, i64)],
    why: TakenFor,
) -> ApiResult<()> {
    let tenant_id = tx.tenant_id().get();
    let transfers = Transfer::of_checkout_for_update(tx, checkout_id).await?;
    let ids: Vec<Uuid> = transfers.iter().map(|t| t.id).collect();
    let mut reversed: HashMap<Uuid, i64> = HashMap::new();
    for (id, amount) in TransferReversal::reversed_of(tx, &ids).await? {
        *reversed.entry(id).or_default() += amount;
    }
    let (refund_id, dispute_id, key) = match why {
        TakenFor::Refund(id) => (Some(id), None, format!("reversal:{id}")),
        TakenFor::Dispute(id) => (None, Some(id), format!("reversal:dispute:{id}")),
        TakenFor::StripeFee => (None, None, String::new()),
    };
    let reverse = !matches!(why, TakenFor::StripeFee);
    let mut reversals = Vec::new();
    let mut debts = Vec::new();
    let mut emptied_held = false;
    for (recipient, order, part) in parts {
        let mut left = *part;
        let mut paid = false;
        for t in transfers
            .iter()
            .filter(|t| &t.recipient == recipient && (order.is_none() || t.order_id == *order))
        {
            paid |= t.status != SettlementStatus::Failed;
            if left <= 0 {
                break;
            }
            match t.status {
                // Not sent yet (due now, or held until shipping or after delivery): it sends
                // less.
                SettlementStatus::Pending | SettlementStatus::Held => {
                    let take = left.min(t.amount_minor);
                    Transfer::set_amount(tx, t.id, t.amount_minor - take).await?;
                    left -= take;
                    // Nothing left to hold: settle it now, so the marketplace's share of
                    // the checkout is not held behind it.
                    if t.status == SettlementStatus::Held && t.amount_minor == take {
                        super::releases::release(tx, t.id).await?;
                        emptied_held = true;
                    }
                }
                SettlementStatus::Sent => {
                    let room = t.amount_minor - reversed.get(&t.id).copied().unwrap_or(0);
                    let take = left.min(room);
                    if reverse && take > 0 && t.gateway_id.is_some() {
                        reversals.push(TransferReversal {
                            tenant_id,
                            id: Uuid::now_v7(),
                            transfer_id: t.id,
                            refund_id,
                            recipient: recipient.clone(),
                            amount_minor: take,
                            currency: t.currency.clone(),
                            idempotency_key: format!("{key}:{}", t.id),
                            status: SettlementStatus::Pending,
                            gateway_id: None,
                            dispute_id,
                        });
                        *reversed.entry(t.id).or_default() += take;
                        left -= take;
                    }
                }
                SettlementStatus::Failed => {}
            }
        }
        // More than the transfers can give back (a dispute's fee, or debts netted from them
        // before): the recipient owes the rest, netted from their next transfers. A recipient
        // never paid for this order is simply owed less in the ledger.
        if left > 0 && paid {
            debts.push(Debt {
                tenant_id,
                id: Uuid::now_v7(),
                recipient: recipient.clone(),
                currency: transfers
                    .first()
                    .map(|t| t.currency.clone())
                    .unwrap_or_default(),
                amount_minor: left,
                recovered_minor: 0,
                reason: match why {
                    TakenFor::Refund(_) => "refund",
                    TakenFor::Dispute(_) => "dispute",
                    TakenFor::StripeFee => "fee",
                }
                .to_owned(),
                refund_id,
                reversal_id: None,
                order_id: *order,
                created_at: Utc::now(),
                settled_at: None,
                dispute_id,
            });
        }
    }
    for d in &debts {
        Debt::insert(tx, d).await?;
    }
    if emptied_held {
        super::releases::release_share(tx, checkout_id).await?;
    }
    TransferReversal::insert_all(tx, &reversals).await?;
    OutboxMessage::enqueue_many(
        tx,
        REVERSE_KIND,
        reversals
            .iter()
            .map(|r| json!({ "reversal_id": r.id }))
            .collect(),
    )
    .await?;
    Ok(())
}

/// Sends one pending reversal (idempotent by its key). A refusal (the connected account
/// cannot cover it) records the amount as the recipient's debt.
pub(crate) async fn send_reversal(
    state: &AppState,
    scope: &TenantScope,
    reversal_id: Uuid,
) -> Result<(), MoneyJobError> {
    let mut tx = state.db.tenant(scope).await.map_err(retry)?;
    let tenant_id = tx.tenant_id().get();
    let r = TransferReversal::find_for_update(&mut tx, reversal_id)
        .await
        .map_err(retry)?;
    if r.status != SettlementStatus::Pending {
        return Ok(());
    }
    let t = Transfer::find_for_update(&mut tx, r.transfer_id)
        .await
        .map_err(retry)?;
    let Some(transfer_gateway_id) = t.gateway_id.clone() else {
        return Err(MoneyJobError::Refused(
            "the transfer to reverse was never sent".to_owned(),
        ));
    };
    let sent = state
        .gateway
        .reverse_transfer(&krafto_payments::NewReversal {
            transfer_id: transfer_gateway_id,
            amount_minor: r.amount_minor,
            metadata: BTreeMap::from([
                ("tenant_id".to_owned(), tenant_id.to_string()),
                ("checkout_id".to_owned(), t.checkout_id.to_string()),
                (
                    "refund_id".to_owned(),
                    r.refund_id.map(|id| id.to_string()).unwrap_or_default(),
                ),
            ]),
            idempotency_key: r.idempotency_key.clone(),
        })
        .await;
    match sent {
        Ok(id) => {
            TransferReversal::settle(&mut tx, r.id, SettlementStatus::Sent, Some(&id), None)
                .await
                .map_err(retry)?;
            let journal = Uuid::now_v7();
            let entry = |account: &str, amount: i64| LedgerEntry {
                tenant_id,
                id: Uuid::now_v7(),
                journal_id: journal,
                checkout_id: t.checkout_id,
                order_id: t.order_id,
                account: account.to_owned(),
                kind: "reversal".to_owned(),
                amount_minor: amount,
                currency: r.currency.clone(),
            };
            LedgerEntry::post(
                &mut tx,
                &[
                    entry(&r.recipient, -r.amount_minor),
                    entry("clearing", r.amount_minor),
                ],
            )
            .await
            .map_err(retry)?;
            tx.commit().await.map_err(retry)
        }
        Err(krafto_payments::GatewayError::Refused(m)) => {
            TransferReversal::settle(&mut tx, r.id, SettlementStatus::Failed, None, Some(&m))
                .await
                .map_err(retry)?;
            Debt::insert(
                &mut tx,
                &Debt {
                    tenant_id,
                    id: Uuid::now_v7(),
                    recipient: r.recipient.clone(),
                    currency: r.currency.clone(),
                    amount_minor: r.amount_minor,
                    recovered_minor: 0,
                    reason: if r.dispute_id.is_some() {
                        "dispute"
                    } else {
                        "refund"
                    }
                    .to_owned(),
                    refund_id: r.refund_id,
                    reversal_id: Some(r.id),
                    order_id: t.order_id,
                    created_at: Utc::now(),
                    settled_at: None,
                    dispute_id: r.dispute_id,
                },
            )
            .await
            .map_err(retry)?;
            tx.commit().await.map_err(retry)
        }
        Err(krafto_payments::GatewayError::Unavailable(m)) => Err(MoneyJobError::Retry(m)),
    }
}

/// Before a transfer is sent: the recipient's open debts in its currency are taken out of it,
/// oldest first, once (marked on the row, committed before the gateway is asked, so a retry
/// sends the same amount with the same key).
pub(crate) async fn net_debts(tx: &mut TenantTx, t: &Transfer) -> ApiResult<i64> {
    if Transfer::netted(tx, t.id).await? {
        return Ok(t.amount_minor);
    }
    let mut amount = t.amount_minor;
    for debt in Debt::open_for_update(tx, &t.recipient, &t.currency).await? {
        if amount == 0 {
            break;
        }
        let take = amount.min(debt.amount_minor - debt.recovered_minor);
        if take > 0 {
            Debt::recover(tx, &debt, t.id, take).await?;
            amount -= take;
        }
    }
    Transfer::mark_netted(tx, t.id, amount).await?;
    Ok(amount)
}

// ---- Views ----

fn settlement_name(s: SettlementStatus) -> SettlementName {
    match s {
        SettlementStatus::Pending | SettlementStatus::Held => SettlementName::Pending,
        SettlementStatus::Sent => SettlementName::Sent,
        SettlementStatus::Failed => SettlementName::Failed,
    }
}

fn request_status_name(s: RefundRequestStatus) -> RefundRequestStatusName {
    match s {
        RefundRequestStatus::Open => RefundRequestStatusName::Open,
        RefundRequestStatus::Accepted => RefundRequestStatusName::Accepted,
        RefundRequestStatus::Declined => RefundRequestStatusName::Declined,
        RefundRequestStatus::Withdrawn => RefundRequestStatusName::Withdrawn,
    }
}

fn request_view(
    r: &RefundRequest,
    lines: &[RefundRequestLine],
    order_lines: &[OrderLine],
    number: &str,
) -> RefundRequestView {
    RefundRequestView {
        id: r.id,
        order_number: number.to_owned(),
        status: request_status_name(r.status),
        reason: r.reason.clone(),
        requested_by: r.requested_by.clone(),
        lines: lines
            .iter()
            .filter(|l| l.request_id == r.id)
            .map(|l| RefundRequestLineView {
                line_id: l.order_line_id,
                title: order_lines
                    .iter()
                    .find(|o| o.id == l.order_line_id)
                    .map(|o| match &o.variant_label {
                        Some(v) => format!("{} · {v}", o.title),
                        None => o.title.clone(),
                    })
                    .unwrap_or_default(),
                quantity: l.quantity,
            })
            .collect(),
        decided_by: r.decided_by.clone(),
        decision_reason: r.decision_reason.clone(),
        decided_at: r.decided_at,
        created_at: r.created_at,
    }
}

fn refund_view(
    r: &Refund,
    lines: &[RefundLine],
    created: Option<chrono::DateTime<Utc>>,
    sent: Option<chrono::DateTime<Utc>>,
    seller_part: bool,
    marketplace_part: bool,
) -> RefundView {
    RefundView {
        id: r.id,
        status: settlement_name(r.status),
        amount_minor: r.amount_minor,
        currency: r.currency.clone().unwrap_or_default(),
        items_minor: r.items_minor,
        shipping_minor: r.shipping_minor,
        buyer_fee_minor: r.buyer_fee_minor,
        lines: lines
            .iter()
            .filter(|l| l.refund_id == r.id)
            .map(|l| RefundLineView {
                line_id: l.order_line_id,
                quantity: l.quantity,
                amount_minor: l.amount_minor,
            })
            .collect(),
        reason: r.reason.clone(),
        by: r.actor_kind.clone(),
        seller_minor: seller_part.then_some(r.seller_minor),
        marketplace_minor: marketplace_part.then_some(r.tenant_minor),
        platform_minor: marketplace_part.then_some(r.platform_minor),
        created_at: created.unwrap_or_else(Utc::now),
        sent_at: sent,
    }
}

/// An order's refunds and requests, for its view. `fees` shows from whom (sellers and
/// operators); `operator` adds the marketplace's and Krafto's parts.
pub(crate) struct OrderRefunds {
    pub refunds: Vec<RefundView>,
    pub requests: Vec<RefundRequestView>,
    pub refunded_minor: i64,
    /// Units refunded (or being refunded) per order line id.
    pub refunded_units: HashMap<Uuid, i32>,
}

pub(crate) async fn of_order(
    tx: &mut TenantTx,
    order: &Order,
    lines: &[OrderLine],
    fees: bool,
    operator: bool,
) -> ApiResult<OrderRefunds> {
    let records: Vec<RefundRecord> = Refund::of_order(tx, order.id).await?;
    let refund_lines = RefundLine::counting_of_order(tx, order.id).await?;
    let mut refunded_units: HashMap<Uuid, i32> = HashMap::new();
    for l in &refund_lines {
        *refunded_units.entry(l.order_line_id).or_default() += l.quantity;
    }
    let requests = RefundRequest::of_orders(tx, &[order.id]).await?;
    let req_lines =
        RefundRequest::lines(tx, &requests.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
    Ok(OrderRefunds {
        refunded_minor: records
            .iter()
            .filter(|r| r.refund.status != SettlementStatus::Failed)
            .map(|r| r.refund.amount_minor)
            .sum(),
        refunds: records
            .iter()
            .map(|r| {
                refund_view(
                    &r.refund,
                    &refund_lines,
                    Some(r.created_at),
                    r.sent_at,
                    fees,
                    operator,
                )
            })
            .collect(),
        requests: requests
            .iter()
            .map(|r| request_view(r, &req_lines, lines, &order.number))
            .collect(),
        refunded_units,
    })
}

/// Open refund requests (a shop's, or the whole marketplace's), oldest first.
pub(crate) async fn open_requests(
    tx: &mut TenantTx,
    shop: Option<Uuid>,
) -> ApiResult<Vec<RefundRequestView>> {
    let requests = RefundRequest::open(tx, shop, 200).await?;
    let order_ids: Vec<Uuid> = requests.iter().map(|r| r.order_id).collect();
    let lines = OrderLine::of_orders(tx, &order_ids).await?;
    let req_lines =
        RefundRequest::lines(tx, &requests.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
    let mut out = Vec::new();
    for r in &requests {
        let order = Order::find(tx, r.order_id).await?;
        out.push(request_view(r, &req_lines, &lines, &order.number));
    }
    Ok(out)
}

/// Debts of one recipient (`seller:<shop>`) or of everyone, newest first.
pub(crate) async fn debts(tx: &mut TenantTx, recipient: Option<&str>) -> ApiResult<Vec<DebtView>> {
    let rows = Debt::list(tx, recipient, 500).await?;
    let mut out = Vec::new();
    for d in rows {
        let order_number = match d.order_id {
            Some(id) => Some(Order::find(tx, id).await?.number),
            None => None,
        };
        out.push(DebtView {
            id: d.id,
            recipient: d.recipient,
            currency: d.currency,
            amount_minor: d.amount_minor,
            recovered_minor: d.recovered_minor,
            reason: d.reason,
            order_number,
            created_at: d.created_at,
            settled_at: d.settled_at,
        });
    }
    Ok(out)
}

// ---- E-mails ----

async fn owner_email(tx: &mut TenantTx, shop_id: Uuid) -> ApiResult<Option<String>> {
    Ok(Shop::owner_emails(tx, &[shop_id])
        .await?
        .into_iter()
        .next()
        .map(|(_, e)| e))
}

async fn refund_mails(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    o: &Order,
    a: &RefundAllocation,
    reason: &str,
) -> ApiResult<()> {
    let locale = Locale::of_tag(&tenant.locale);
    let base = state.storefront(&state.tenant_host(tenant));
    let money = |m: i64| locale.money(&Money::of(m, &o.currency));
    let url = format!(
        "{base}/orders/{}?token={}",
        o.number,
        state.keys.order_access_token(o.tenant_id, o.id)
    );
    let args = |extra: Vec<(&'static str, krafto_i18n::Arg)>| {
        let mut v: Vec<(&str, krafto_i18n::Arg)> = vec![
            ("number", o.number.as_str().into()),
            ("amount", money(a.total_minor).into()),
            ("reason", reason.into()),
            ("name", tenant.display_name.as_str().into()),
        ];
        v.extend(extra);
        v
    };
    mail(
        tx,
        tenant,
        &o.email,
        locale.t_args("mail-refund-subject", &args(vec![])),
        format!(
            "{}\n{}\n",
            locale.t_args("mail-refund-buyer", &args(vec![])),
            locale.t_args("mail-follow", &[("url", url.into())]),
        ),
    )
    .await?;
    if let Some(owner) = owner_email(tx, o.shop_id).await? {
        mail(
            tx,
            tenant,
            &owner,
            locale.t_args("mail-refund-subject", &args(vec![])),
            format!(
                "{}\n",
                locale.t_args(
                    "mail-refund-seller",
                    &args(vec![("part", money(a.seller_minor).into())])
                ),
            ),
        )
        .await?;
    }
    Ok(())
}

async fn request_mail(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    o: &Order,
) -> ApiResult<()> {
    let Some(owner) = owner_email(tx, o.shop_id).await? else {
        return Ok(());
    };
    let locale = Locale::of_tag(&tenant.locale);
    let base = state.storefront(&state.tenant_host(tenant));
    mail(
        tx,
        tenant,
        &owner,
        locale.t_args(
            "mail-refund-requested-subject",
            &[
                ("number", o.number.as_str().into()),
                ("name", tenant.display_name.as_str().into()),
            ],
        ),
        format!(
            "{}\n",
            locale.t_args(
                "mail-refund-requested-body",
                &[
                    ("number", o.number.as_str().into()),
                    ("url", format!("{base}/sell/orders/{}", o.number).into()),
                ],
            )
        ),
    )
    .await
}

async fn declined_mail(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    o: &Order,
    reason: &str,
) -> ApiResult<()> {
    let locale = Locale::of_tag(&tenant.locale);
    let base = state.storefront(&state.tenant_host(tenant));
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
            "mail-refund-declined-subject",
            &[
                ("number", o.number.as_str().into()),
                ("name", tenant.display_name.as_str().into()),
            ],
        ),
        format!(
            "{}\n{}\n",
            locale.t_args(
                "mail-refund-declined-body",
                &[
                    ("number", o.number.as_str().into()),
                    ("reason", reason.into())
                ],
            ),
            locale.t_args("mail-follow", &[("url", url.into())]),
        ),
    )
    .await
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
