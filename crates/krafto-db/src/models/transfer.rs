//! Transfers to connected accounts, and the sweeps that pay a marketplace the share it was
//! owed while its Connect account was not ready. Rules are decided in
//! `krafto_core::commerce` and the platform's payouts module; these functions only read and
//! write rows, always inside the caller's tenant-scoped transaction.

use crate::schema::{marketplace_sweeps, transfers};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use krafto_core::commerce::SettlementStatus;
use uuid::Uuid;

/// A transfer to a connected account. `amount_minor` is what is sent when it is sent: a
/// refund or a dispute may bring a held or pending transfer down (to 0: nothing is sent).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = transfers, check_for_backend(diesel::pg::Pg))]
pub struct Transfer {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub checkout_id: Uuid,
    pub order_id: Option<Uuid>,
    pub recipient: String,
    pub destination: String,
    pub amount_minor: i64,
    pub currency: String,
    pub idempotency_key: String,
    pub status: SettlementStatus,
    pub gateway_id: Option<String>,
    /// A held transfer falls due then (set when its order is delivered, with a delay).
    pub release_at: Option<DateTime<Utc>>,
    /// The marketplace sweep that pays this checkout's share (never sent on its own).
    pub sweep_id: Option<Uuid>,
}

/// A seller's held transfer, with its order, for the seller's balance.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct HeldTransfer {
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub release_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub order_number: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub order_status: Option<String>,
}

/// What the ledger still owes the marketplace for one checkout, beyond the transfers
/// recorded for it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct OwedShare {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub checkout_id: Uuid,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
}

impl Transfer {
    pub async fn insert_all(tx: &mut TenantTx, t: &[Transfer]) -> DbResult<()> {
        tx.owns_all(t.iter().map(|t| t.tenant_id))?;
        let conn = crate::tx::conn(tx);
        if t.is_empty() {
            return Ok(());
        }
        diesel::insert_into(transfers::table)
            .values(t)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Transfer> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::id.eq(id))
            .select(Transfer::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    pub async fn of_checkout(tx: &mut TenantTx, checkout_id: Uuid) -> DbResult<Vec<Transfer>> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::checkout_id.eq(checkout_id))
            .order(transfers::id)
            .select(Transfer::as_select())
            .load(conn)
            .await?)
    }

    /// An order's held transfers, locked.
    pub async fn held_of_order(tx: &mut TenantTx, order_id: Uuid) -> DbResult<Vec<Transfer>> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::order_id.eq(order_id))
            .filter(transfers::status.eq(SettlementStatus::Held))
            .order(transfers::id)
            .select(Transfer::as_select())
            .for_update()
            .load(conn)
            .await?)
    }

    /// The marketplace's held share of a checkout (not part of a sweep), locked.
    pub async fn held_share_of_checkout(
        tx: &mut TenantTx,
        checkout_id: Uuid,
    ) -> DbResult<Vec<Transfer>> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::checkout_id.eq(checkout_id))
            .filter(transfers::recipient.eq("tenant"))
            .filter(transfers::status.eq(SettlementStatus::Held))
            .filter(transfers::sweep_id.is_null())
            .select(Transfer::as_select())
            .for_update()
            .load(conn)
            .await?)
    }

    /// Whether a seller of the checkout still waits for a held transfer with money in it.
    pub async fn sellers_held_in_checkout(tx: &mut TenantTx, checkout_id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::select(diesel::dsl::exists(
            transfers::table
                .filter(transfers::checkout_id.eq(checkout_id))
                .filter(transfers::recipient.ne("tenant"))
                .filter(transfers::status.eq(SettlementStatus::Held))
                .filter(transfers::amount_minor.gt(0)),
        ))
        .get_result(conn)
        .await?)
    }

    /// Held transfers due at `now`, locked; rows another transaction holds are skipped.
    pub async fn due(tx: &mut TenantTx, now: DateTime<Utc>, limit: i64) -> DbResult<Vec<Transfer>> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::status.eq(SettlementStatus::Held))
            .filter(transfers::release_at.le(now))
            .order(transfers::release_at)
            .limit(limit)
            .select(Transfer::as_select())
            .for_update()
            .skip_locked()
            .load(conn)
            .await?)
    }

    /// Makes a held transfer pending (due). `false` when it was not held (released already):
    /// whoever gets `true` queues the send, so it is queued once.
    pub async fn release(tx: &mut TenantTx, id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::update(
            transfers::table
                .filter(transfers::id.eq(id))
                .filter(transfers::status.eq(SettlementStatus::Held)),
        )
        .set(transfers::status.eq(SettlementStatus::Pending))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Sets when a held transfer falls due.
    pub async fn schedule(tx: &mut TenantTx, id: Uuid, at: DateTime<Utc>) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(
            transfers::table
                .filter(transfers::id.eq(id))
                .filter(transfers::status.eq(SettlementStatus::Held)),
        )
        .set(transfers::release_at.eq(at))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// A shop's held transfers with their orders, soonest due first.
    pub async fn held_of_recipient(
        tx: &mut TenantTx,
        recipient: &str,
    ) -> DbResult<Vec<HeldTransfer>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::sql_query(
            "SELECT t.amount_minor, t.currency, t.release_at, o.number AS order_number,
                    o.status AS order_status
               FROM transfers t
               LEFT JOIN orders o ON o.tenant_id = t.tenant_id AND o.id = t.order_id
              WHERE t.recipient = $1 AND t.status = 'held' AND t.amount_minor > 0
              ORDER BY t.release_at NULLS LAST, t.id",
        )
        .bind::<Text, _>(recipient)
        .load(conn)
        .await?)
    }

    /// Per checkout, what the ledger owes the marketplace (account `tenant`) minus its
    /// transfers still to be sent (held or pending; sent ones are in the ledger already),
    /// where something is owed and no seller of the checkout is still held (the
    /// marketplace's share follows its sellers' timing).
    pub async fn owed_to_marketplace(tx: &mut TenantTx) -> DbResult<Vec<OwedShare>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::sql_query(
            "WITH owed AS (
                 SELECT checkout_id, currency, -sum(amount_minor) AS amount
                   FROM ledger_entries WHERE account = 'tenant'
                  GROUP BY checkout_id, currency
             ), recorded AS (
                 SELECT checkout_id, sum(amount_minor) AS amount
                   FROM transfers WHERE recipient = 'tenant' AND status IN ('held', 'pending')
                  GROUP BY checkout_id
             )
             SELECT o.checkout_id, o.currency,
                    (o.amount - coalesce(r.amount, 0))::bigint AS amount_minor
               FROM owed o LEFT JOIN recorded r USING (checkout_id)
              WHERE o.amount - coalesce(r.amount, 0) > 0
                AND NOT EXISTS (
                    SELECT 1 FROM transfers h
                     WHERE h.checkout_id = o.checkout_id AND h.recipient <> 'tenant'
                       AND h.status = 'held' AND h.amount_minor > 0)
              ORDER BY o.currency, o.checkout_id",
        )
        .load(conn)
        .await?)
    }

    /// The per-checkout transfers a sweep pays, locked.
    pub async fn of_sweep(tx: &mut TenantTx, sweep_id: Uuid) -> DbResult<Vec<Transfer>> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::sweep_id.eq(sweep_id))
            .order(transfers::id)
            .select(Transfer::as_select())
            .for_update()
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
        diesel::update(transfers::table.filter(transfers::id.eq(id)))
            .set((
                transfers::status.eq(status),
                transfers::gateway_id.eq(gateway_id),
                transfers::last_error.eq(error),
                transfers::sent_at.eq(if status == SettlementStatus::Sent {
                    Some(Utc::now())
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Changes what a transfer not yet sent will send (a refund reduced it).
    pub async fn set_amount(tx: &mut TenantTx, id: Uuid, amount: i64) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(transfers::table.filter(transfers::id.eq(id)))
            .set(transfers::amount_minor.eq(amount))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Records that the recipient's debts were netted from this transfer (once), leaving it
    /// `amount` to send.
    pub async fn mark_netted(tx: &mut TenantTx, id: Uuid, amount: i64) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(transfers::table.filter(transfers::id.eq(id)))
            .set((
                transfers::amount_minor.eq(amount),
                transfers::netted_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Settles every transfer of a sweep as the sweep itself.
    pub async fn settle_sweep(
        tx: &mut TenantTx,
        sweep_id: Uuid,
        status: SettlementStatus,
        gateway_id: Option<&str>,
        error: Option<&str>,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(transfers::table.filter(transfers::sweep_id.eq(sweep_id)))
            .set((
                transfers::status.eq(status),
                transfers::gateway_id.eq(gateway_id),
                transfers::last_error.eq(error),
                transfers::sent_at.eq(if status == SettlementStatus::Sent {
                    Some(Utc::now())
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Whether the recipient's debts were netted from this transfer already.
    pub async fn netted(tx: &mut TenantTx, id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let at: Option<chrono::DateTime<Utc>> = transfers::table
            .filter(transfers::id.eq(id))
            .select(transfers::netted_at)
            .first(conn)
            .await?;
        Ok(at.is_some())
    }

    /// The transfers of a checkout, locked until commit (a refund reduces or reverses them).
    pub async fn of_checkout_for_update(
        tx: &mut TenantTx,
        checkout_id: Uuid,
    ) -> DbResult<Vec<Transfer>> {
        let conn = crate::tx::conn(tx);
        Ok(transfers::table
            .filter(transfers::checkout_id.eq(checkout_id))
            .order(transfers::id)
            .select(Transfer::as_select())
            .for_update()
            .load(conn)
            .await?)
    }
}

/// One transfer paying the marketplace, in one currency, the share it was owed on several
/// checkouts while its Connect account was not ready (its lines are transfers whose
/// `sweep_id` is this sweep).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = marketplace_sweeps, check_for_backend(diesel::pg::Pg))]
pub struct MarketplaceSweep {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub currency: String,
    pub destination: String,
    /// The sum of its lines (as recorded; as sent once sent).
    pub amount_minor: i64,
    /// `sweep:{tenant}:{currency}:{id}`.
    pub idempotency_key: String,
    pub status: SettlementStatus,
    pub gateway_id: Option<String>,
}

impl MarketplaceSweep {
    /// The outbox job that sends a sweep (`{"sweep_id": …}`) or, without an id, looks for
    /// a share to sweep.
    pub const JOB_KIND: &'static str = "payment.sweep";

    /// Serialises the marketplace's sweeps until the transaction ends.
    pub async fn lock(tx: &mut TenantTx) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<Text, _>(format!("krafto.sweep:{tenant_id}"))
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn insert(tx: &mut TenantTx, s: &MarketplaceSweep) -> DbResult<()> {
        tx.owns_all([s.tenant_id])?;
        let conn = crate::tx::conn(tx);
        diesel::insert_into(marketplace_sweeps::table)
            .values(s)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// The sweep in flight in `currency`, if any.
    pub async fn pending_in(tx: &mut TenantTx, currency: &str) -> DbResult<Option<Uuid>> {
        let conn = crate::tx::conn(tx);
        Ok(marketplace_sweeps::table
            .filter(marketplace_sweeps::currency.eq(currency))
            .filter(marketplace_sweeps::status.eq(SettlementStatus::Pending))
            .select(marketplace_sweeps::id)
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<MarketplaceSweep> {
        let conn = crate::tx::conn(tx);
        Ok(marketplace_sweeps::table
            .filter(marketplace_sweeps::id.eq(id))
            .select(MarketplaceSweep::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    /// Records the sweep's outcome and the amount it paid.
    pub async fn settle(
        tx: &mut TenantTx,
        id: Uuid,
        status: SettlementStatus,
        amount_minor: i64,
        gateway_id: Option<&str>,
        error: Option<&str>,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(marketplace_sweeps::table.filter(marketplace_sweeps::id.eq(id)))
            .set((
                marketplace_sweeps::status.eq(status),
                marketplace_sweeps::amount_minor.eq(amount_minor),
                marketplace_sweeps::gateway_id.eq(gateway_id),
                marketplace_sweeps::last_error.eq(error),
                marketplace_sweeps::sent_at.eq(if status == SettlementStatus::Sent {
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
