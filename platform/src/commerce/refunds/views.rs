//! Refunds, requests and debts as the API and the pages show them.

use super::*;

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

pub(super) fn request_view(
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

pub(super) fn refund_view(
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
