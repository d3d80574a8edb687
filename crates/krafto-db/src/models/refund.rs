//! Refunds: requests per order line, refunds asked of the gateway with their allocation,
//! reversals of transfers, and the debts a reversal could not cover. Rules are decided in
//! `krafto_core::refund` and `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::{
    debt_recoveries, debts, refund_lines, refund_request_lines, refund_requests, refunds,
    transfer_reversals,
};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krafto_core::commerce::{RefundRequestStatus, SettlementStatus};
use uuid::Uuid;

/// A refund asked of the gateway. `allocated` refunds (per line) carry their allocation;
/// older ones (whole orders, sold-out checkouts) only an amount.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = refunds, check_for_backend(diesel::pg::Pg))]
pub struct Refund {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub checkout_id: Uuid,
    pub order_id: Option<Uuid>,
    pub amount_minor: i64,
    pub reason: String,
    pub status: SettlementStatus,
    pub gateway_id: Option<String>,
    pub currency: Option<String>,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub seller_minor: i64,
    pub tenant_minor: i64,
    pub platform_minor: i64,
    pub allocated: bool,
    pub actor_kind: Option<String>,
    pub actor_id: Option<Uuid>,
    pub request_id: Option<Uuid>,
}

/// A refund as listed: the row with when it was made and sent.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = refunds, check_for_backend(diesel::pg::Pg))]
pub struct RefundRecord {
    #[diesel(embed)]
    pub refund: Refund,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl Refund {
    /// A refund of a whole checkout's payment with no allocation (sold out before payment).
    pub fn unallocated(
        tenant_id: Uuid,
        checkout_id: Uuid,
        amount_minor: i64,
        reason: &str,
    ) -> Refund {
        Refund {
            tenant_id,
            id: Uuid::now_v7(),
            checkout_id,
            order_id: None,
            amount_minor,
            reason: reason.to_owned(),
            status: SettlementStatus::Pending,
            gateway_id: None,
            currency: None,
            items_minor: 0,
            shipping_minor: 0,
            buyer_fee_minor: 0,
            seller_minor: 0,
            tenant_minor: 0,
            platform_minor: 0,
            allocated: false,
            actor_kind: Some("system".to_owned()),
            actor_id: None,
            request_id: None,
        }
    }

    pub async fn insert(tx: &mut TenantTx, r: &Refund) -> DbResult<()> {
        tx.owns_all([r.tenant_id])?;
        let conn = crate::tx::conn(tx);
        diesel::insert_into(refunds::table)
            .values(r)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Refund> {
        let conn = crate::tx::conn(tx);
        Ok(refunds::table
            .filter(refunds::id.eq(id))
            .select(Refund::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    /// An order's refunds, oldest first (failed ones included).
    pub async fn of_order(tx: &mut TenantTx, order_id: Uuid) -> DbResult<Vec<RefundRecord>> {
        let conn = crate::tx::conn(tx);
        Ok(refunds::table
            .filter(refunds::order_id.eq(order_id))
            .order((refunds::created_at, refunds::id))
            .select(RefundRecord::as_select())
            .load(conn)
            .await?)
    }

    pub async fn settle(
        tx: &mut TenantTx,
        id: Uuid,
        status: SettlementStatus,
        gateway_id: Option<&str>,
        error: Option<&str>,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(refunds::table.filter(refunds::id.eq(id)))
            .set((
                refunds::status.eq(status),
                refunds::gateway_id.eq(gateway_id),
                refunds::last_error.eq(error),
                refunds::sent_at.eq(if status == SettlementStatus::Sent {
                    Some(Utc::now())
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// One line's part of an allocated refund.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = refund_lines, check_for_backend(diesel::pg::Pg))]
pub struct RefundLine {
    pub tenant_id: Uuid,
    pub refund_id: Uuid,
    pub order_line_id: Uuid,
    pub quantity: i32,
    pub amount_minor: i64,
    pub seller_net_minor: i64,
    pub tenant_share_minor: i64,
    pub platform_fee_minor: i64,
}

impl RefundLine {
    pub async fn insert_all(tx: &mut TenantTx, lines: &[RefundLine]) -> DbResult<()> {
        tx.owns_all(lines.iter().map(|l| l.tenant_id))?;
        if lines.is_empty() {
            return Ok(());
        }
        let conn = crate::tx::conn(tx);
        diesel::insert_into(refund_lines::table)
            .values(lines)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The lines of an order's refunds that still count (pending or sent: a refund the
    /// gateway refused gave nothing back), with their refund's id.
    pub async fn counting_of_order(tx: &mut TenantTx, order_id: Uuid) -> DbResult<Vec<RefundLine>> {
        let conn = crate::tx::conn(tx);
        Ok(refund_lines::table
            .inner_join(
                refunds::table.on(refunds::tenant_id
                    .eq(refund_lines::tenant_id)
                    .and(refunds::id.eq(refund_lines::refund_id))),
            )
            .filter(refunds::order_id.eq(order_id))
            .filter(refunds::status.ne(SettlementStatus::Failed))
            .select(RefundLine::as_select())
            .load(conn)
            .await?)
    }

    pub async fn of_refund(tx: &mut TenantTx, refund_id: Uuid) -> DbResult<Vec<RefundLine>> {
        let conn = crate::tx::conn(tx);
        Ok(refund_lines::table
            .filter(refund_lines::refund_id.eq(refund_id))
            .select(RefundLine::as_select())
            .load(conn)
            .await?)
    }
}

/// A request to refund units of an order.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = refund_requests, check_for_backend(diesel::pg::Pg))]
pub struct RefundRequest {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub order_id: Uuid,
    pub status: RefundRequestStatus,
    pub reason: String,
    pub requested_by: String,
    pub requested_by_id: Option<Uuid>,
    pub decided_by: Option<String>,
    pub decided_by_id: Option<Uuid>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub refund_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// One line of a refund request.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = refund_request_lines, check_for_backend(diesel::pg::Pg))]
pub struct RefundRequestLine {
    pub tenant_id: Uuid,
    pub request_id: Uuid,
    pub order_line_id: Uuid,
    pub quantity: i32,
    pub open: bool,
}

/// What a decision records.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub status: RefundRequestStatus,
    pub by: &'a str,
    pub by_id: Option<Uuid>,
    pub reason: Option<&'a str>,
    pub refund_id: Option<Uuid>,
}

impl RefundRequest {
    pub async fn insert(
        tx: &mut TenantTx,
        r: &RefundRequest,
        lines: &[RefundRequestLine],
    ) -> DbResult<()> {
        tx.owns_all(std::iter::once(r.tenant_id).chain(lines.iter().map(|l| l.tenant_id)))?;
        let conn = crate::tx::conn(tx);
        diesel::insert_into(refund_requests::table)
            .values(r)
            .execute(conn)
            .await?;
        diesel::insert_into(refund_request_lines::table)
            .values(lines)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Option<RefundRequest>> {
        let conn = crate::tx::conn(tx);
        Ok(refund_requests::table
            .filter(refund_requests::id.eq(id))
            .select(RefundRequest::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn of_orders(tx: &mut TenantTx, order_ids: &[Uuid]) -> DbResult<Vec<RefundRequest>> {
        let conn = crate::tx::conn(tx);
        Ok(refund_requests::table
            .filter(refund_requests::order_id.eq_any(order_ids))
            .order((refund_requests::created_at, refund_requests::id))
            .select(RefundRequest::as_select())
            .load(conn)
            .await?)
    }

    /// Open requests, oldest first; of one shop's orders when `shop` is given.
    pub async fn open(
        tx: &mut TenantTx,
        shop: Option<Uuid>,
        limit: i64,
    ) -> DbResult<Vec<RefundRequest>> {
        use crate::schema::orders;
        let conn = crate::tx::conn(tx);
        let mut q = refund_requests::table
            .inner_join(
                orders::table.on(orders::tenant_id
                    .eq(refund_requests::tenant_id)
                    .and(orders::id.eq(refund_requests::order_id))),
            )
            .filter(refund_requests::status.eq(RefundRequestStatus::Open))
            .into_boxed();
        if let Some(shop) = shop {
            q = q.filter(orders::shop_id.eq(shop));
        }
        Ok(q.order((refund_requests::created_at, refund_requests::id))
            .limit(limit)
            .select(RefundRequest::as_select())
            .load(conn)
            .await?)
    }

    pub async fn lines(
        tx: &mut TenantTx,
        request_ids: &[Uuid],
    ) -> DbResult<Vec<RefundRequestLine>> {
        let conn = crate::tx::conn(tx);
        Ok(refund_request_lines::table
            .filter(refund_request_lines::request_id.eq_any(request_ids))
            .select(RefundRequestLine::as_select())
            .load(conn)
            .await?)
    }

    /// Closes an open request (its lines are free for another request).
    pub async fn decide(tx: &mut TenantTx, id: Uuid, d: Decision<'_>) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(refund_requests::table.filter(refund_requests::id.eq(id)))
            .set((
                refund_requests::status.eq(d.status),
                refund_requests::decided_by.eq(d.by),
                refund_requests::decided_by_id.eq(d.by_id),
                refund_requests::decision_reason.eq(d.reason),
                refund_requests::decided_at.eq(Utc::now()),
                refund_requests::refund_id.eq(d.refund_id),
            ))
            .execute(conn)
            .await?;
        diesel::update(refund_request_lines::table.filter(refund_request_lines::request_id.eq(id)))
            .set(refund_request_lines::open.eq(false))
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// Part of a transfer taken back from the connected account it went to.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = transfer_reversals, check_for_backend(diesel::pg::Pg))]
pub struct TransferReversal {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub transfer_id: Uuid,
    pub refund_id: Option<Uuid>,
    pub recipient: String,
    pub amount_minor: i64,
    pub currency: String,
    pub idempotency_key: String,
    pub status: SettlementStatus,
    pub gateway_id: Option<String>,
    pub dispute_id: Option<Uuid>,
}

impl TransferReversal {
    pub async fn insert_all(tx: &mut TenantTx, rows: &[TransferReversal]) -> DbResult<()> {
        tx.owns_all(rows.iter().map(|r| r.tenant_id))?;
        if rows.is_empty() {
            return Ok(());
        }
        let conn = crate::tx::conn(tx);
        diesel::insert_into(transfer_reversals::table)
            .values(rows)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<TransferReversal> {
        let conn = crate::tx::conn(tx);
        Ok(transfer_reversals::table
            .filter(transfer_reversals::id.eq(id))
            .select(TransferReversal::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    /// Per transfer, what reversals already took or are taking back (failed ones excluded).
    pub async fn reversed_of(
        tx: &mut TenantTx,
        transfer_ids: &[Uuid],
    ) -> DbResult<Vec<(Uuid, i64)>> {
        let conn = crate::tx::conn(tx);
        let rows: Vec<(Uuid, i64)> = transfer_reversals::table
            .filter(transfer_reversals::transfer_id.eq_any(transfer_ids))
            .filter(transfer_reversals::status.ne(SettlementStatus::Failed))
            .select((
                transfer_reversals::transfer_id,
                transfer_reversals::amount_minor,
            ))
            .load(conn)
            .await?;
        Ok(rows)
    }

    pub async fn settle(
        tx: &mut TenantTx,
        id: Uuid,
        status: SettlementStatus,
        gateway_id: Option<&str>,
        error: Option<&str>,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(transfer_reversals::table.filter(transfer_reversals::id.eq(id)))
            .set((
                transfer_reversals::status.eq(status),
                transfer_reversals::gateway_id.eq(gateway_id),
                transfer_reversals::last_error.eq(error),
                transfer_reversals::sent_at.eq(if status == SettlementStatus::Sent {
                    Some(Utc::now())
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// What a seller (or the marketplace) owes back.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = debts, check_for_backend(diesel::pg::Pg))]
pub struct Debt {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub recipient: String,
    pub currency: String,
    pub amount_minor: i64,
    pub recovered_minor: i64,
    pub reason: String,
    pub refund_id: Option<Uuid>,
    pub reversal_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
    pub dispute_id: Option<Uuid>,
}

impl Debt {
    /// Records a debt; a second one for the same reversal is ignored (returns `false`).
    pub async fn insert(tx: &mut TenantTx, d: &Debt) -> DbResult<bool> {
        tx.owns_all([d.tenant_id])?;
        let conn = crate::tx::conn(tx);
        let n = diesel::insert_into(debts::table)
            .values(d)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(n == 1)
    }

    /// A recipient's open debts in one currency, oldest first, locked until commit.
    pub async fn open_for_update(
        tx: &mut TenantTx,
        recipient: &str,
        currency: &str,
    ) -> DbResult<Vec<Debt>> {
        let conn = crate::tx::conn(tx);
        Ok(debts::table
            .filter(debts::recipient.eq(recipient))
            .filter(debts::currency.eq(currency))
            .filter(debts::settled_at.is_null())
            .order((debts::created_at, debts::id))
            .select(Debt::as_select())
            .for_update()
            .load(conn)
            .await?)
    }

    /// Debts of one recipient (or every recipient), newest first.
    pub async fn list(
        tx: &mut TenantTx,
        recipient: Option<&str>,
        limit: i64,
    ) -> DbResult<Vec<Debt>> {
        let conn = crate::tx::conn(tx);
        let mut q = debts::table.into_boxed();
        if let Some(r) = recipient {
            q = q.filter(debts::recipient.eq(r.to_owned()));
        }
        Ok(q.order((debts::created_at.desc(), debts::id.desc()))
            .limit(limit)
            .select(Debt::as_select())
            .load(conn)
            .await?)
    }

    /// Takes `amount` of the debt back out of `transfer_id`.
    pub async fn recover(
        tx: &mut TenantTx,
        debt: &Debt,
        transfer_id: Uuid,
        amount: i64,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::insert_into(debt_recoveries::table)
            .values((
                debt_recoveries::tenant_id.eq(debt.tenant_id),
                debt_recoveries::id.eq(Uuid::now_v7()),
                debt_recoveries::debt_id.eq(debt.id),
                debt_recoveries::transfer_id.eq(transfer_id),
                debt_recoveries::amount_minor.eq(amount),
            ))
            .execute(conn)
            .await?;
        let recovered = debt.recovered_minor + amount;
        diesel::update(debts::table.filter(debts::id.eq(debt.id)))
            .set((
                debts::recovered_minor.eq(recovered),
                debts::settled_at.eq((recovered == debt.amount_minor).then(Utc::now)),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}
