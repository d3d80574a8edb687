//! Reconciliation: what our records say moved through the payment provider, the ledger's
//! checks against those records, and the runs and differences found. What counts as a
//! difference is decided in the platform's `commerce::reconcile`; these functions only read
//! and write rows, inside the caller's tenant-scoped transaction.

use crate::schema::{reconciliation_differences, reconciliation_runs};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// One reconciliation of a marketplace's day.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reconciliation_runs, check_for_backend(diesel::pg::Pg))]
pub struct ReconciliationRun {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub day: NaiveDate,
    /// `clean`, `differences` or `failed`.
    pub status: String,
    pub gateway_checked: bool,
    pub differences: i32,
    pub our_movements: i32,
    pub gateway_movements: i32,
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
}

/// One difference a run found.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reconciliation_differences, check_for_backend(diesel::pg::Pg))]
pub struct ReconciliationDifference {
    pub tenant_id: Uuid,
    pub run_id: Uuid,
    pub position: i32,
    /// A code the pages put in words.
    pub what: String,
    pub our_ref: Option<String>,
    pub gateway_id: Option<String>,
    pub our_amount_minor: Option<i64>,
    pub their_amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// The same in English, for the command line and logs.
    pub detail: String,
}

impl ReconciliationRun {
    /// Stores a finished run and its differences.
    pub async fn record(
        tx: &mut TenantTx,
        run: &ReconciliationRun,
        differences: &[ReconciliationDifference],
    ) -> DbResult<()> {
        tx.owns_all(std::iter::once(run.tenant_id).chain(differences.iter().map(|d| d.tenant_id)))?;
        let conn = crate::tx::conn(tx);
        diesel::insert_into(reconciliation_runs::table)
            .values(run)
            .execute(conn)
            .await?;
        if !differences.is_empty() {
            diesel::insert_into(reconciliation_differences::table)
                .values(differences)
                .execute(conn)
                .await?;
        }
        Ok(())
    }

    /// The latest runs, newest first.
    pub async fn latest(tx: &mut TenantTx, limit: i64) -> DbResult<Vec<ReconciliationRun>> {
        let conn = crate::tx::conn(tx);
        Ok(reconciliation_runs::table
            .order((
                reconciliation_runs::finished_at.desc(),
                reconciliation_runs::id.desc(),
            ))
            .limit(limit)
            .select(ReconciliationRun::as_select())
            .load(conn)
            .await?)
    }

    /// Whether `day` was reconciled already.
    pub async fn of_day(tx: &mut TenantTx, day: NaiveDate) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::select(diesel::dsl::exists(
            reconciliation_runs::table.filter(reconciliation_runs::day.eq(day)),
        ))
        .get_result(conn)
        .await?)
    }

    /// A run's differences, in the order found.
    pub async fn differences(
        tx: &mut TenantTx,
        run_id: Uuid,
    ) -> DbResult<Vec<ReconciliationDifference>> {
        let conn = crate::tx::conn(tx);
        Ok(reconciliation_differences::table
            .filter(reconciliation_differences::run_id.eq(run_id))
            .order(reconciliation_differences::position.asc())
            .select(ReconciliationDifference::as_select())
            .load(conn)
            .await?)
    }
}

/// A movement our records say the provider made.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct RecordedMovement {
    /// `payment`, `transfer`, `reversal`, `refund` or `dispute` (as the gateway's kinds).
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub gateway_id: String,
    #[diesel(sql_type = BigInt)]
    pub amount_minor: i64,
    #[diesel(sql_type = Text)]
    pub currency: String,
    /// When we recorded it as done.
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    /// What a person knows it by: the order numbers, or the marketplace's share.
    #[diesel(sql_type = Text)]
    pub reference: String,
}

/// A ledger check that failed: what, about which reference, the ledger's amount and the
/// records' amount.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct LedgerMismatch {
    /// `journal_unbalanced`, `clearing_sale`, `clearing_transfer`, `clearing_reversal`,
    /// `clearing_refund`, `clearing_dispute`, `seller_transfer`, `seller_reversal`.
    #[diesel(sql_type = Text)]
    pub what: String,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = Text)]
    pub currency: String,
    #[diesel(sql_type = BigInt)]
    pub ledger_minor: i64,
    #[diesel(sql_type = BigInt)]
    pub records_minor: i64,
}

/// The order numbers of a checkout, comma-separated.
const CHECKOUT_REF: &str = "coalesce((SELECT string_agg(o.number, ', ' ORDER BY o.number) \
     FROM orders o WHERE o.checkout_id = c.id), '')";

/// Our movements done in `[from, to)`, and any with one of `gateway_ids` whenever done.
pub async fn recorded_movements(
    tx: &mut TenantTx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    gateway_ids: &[String],
) -> DbResult<Vec<RecordedMovement>> {
    let conn = crate::tx::conn(tx);
    let sql = format!(
        "WITH m AS (
            SELECT 'payment' AS kind, c.payment_id AS gateway_id, c.total_minor AS amount_minor,
                   c.currency, c.paid_at AS at, {CHECKOUT_REF} AS reference
              FROM checkouts c WHERE c.paid_at IS NOT NULL AND c.payment_id IS NOT NULL
            UNION ALL
            SELECT 'transfer', t.gateway_id, t.amount_minor, t.currency, t.sent_at,
                   coalesce(o.number, '')
              FROM transfers t LEFT JOIN orders o ON o.id = t.order_id
             WHERE t.status = 'sent' AND t.gateway_id IS NOT NULL AND t.sweep_id IS NULL
               AND t.sent_at IS NOT NULL
            UNION ALL
            SELECT 'transfer', s.gateway_id, s.amount_minor, s.currency, s.sent_at, 'tenant'
              FROM marketplace_sweeps s
             WHERE s.status = 'sent' AND s.gateway_id IS NOT NULL AND s.sent_at IS NOT NULL
            UNION ALL
            SELECT 'reversal', r.gateway_id, r.amount_minor, r.currency, r.sent_at,
                   coalesce(o.number, '')
              FROM transfer_reversals r JOIN transfers t ON t.id = r.transfer_id
              LEFT JOIN orders o ON o.id = t.order_id
             WHERE r.status = 'sent' AND r.gateway_id IS NOT NULL AND r.sent_at IS NOT NULL
            UNION ALL
            SELECT 'refund', f.gateway_id, f.amount_minor, coalesce(f.currency, c.currency),
                   f.sent_at, coalesce(o.number, {CHECKOUT_REF})
              FROM refunds f JOIN checkouts c ON c.id = f.checkout_id
              LEFT JOIN orders o ON o.id = f.order_id
             WHERE f.status = 'sent' AND f.gateway_id IS NOT NULL AND f.sent_at IS NOT NULL
            UNION ALL
            SELECT 'dispute', d.gateway_id, d.amount_minor, d.currency, d.created_at,
                   {CHECKOUT_REF}
              FROM disputes d JOIN checkouts c ON c.id = d.checkout_id
        )
        SELECT kind, gateway_id, amount_minor, currency, at, reference FROM m
         WHERE (at >= $1 AND at < $2) OR gateway_id = ANY ($3)
         ORDER BY at, kind, gateway_id"
    );
    Ok(diesel::sql_query(sql)
        .bind::<Timestamptz, _>(from)
        .bind::<Timestamptz, _>(to)
        .bind::<Array<Text>, _>(gateway_ids.to_vec())
        .load(conn)
        .await?)
}

/// The ledger against itself and our records, as of now: journals that do not sum to zero;
/// per checkout, clearing's sale, transfer, reversal, refund and dispute entries against the
/// payment, transfers, reversals, refunds and disputes recorded; per seller account, its
/// transfer and reversal entries against the transfers and reversals recorded to it.
pub async fn ledger_mismatches(tx: &mut TenantTx) -> DbResult<Vec<LedgerMismatch>> {
    let conn = crate::tx::conn(tx);
    let sql = format!(
        "WITH per_checkout AS (
            SELECT c.id, c.currency, {CHECKOUT_REF} AS reference,
                   CASE WHEN c.paid_at IS NULL THEN 0 ELSE c.total_minor END AS paid,
                   coalesce((SELECT sum(t.amount_minor) FROM transfers t
                              WHERE t.checkout_id = c.id AND t.status = 'sent'), 0) AS transferred,
                   coalesce((SELECT sum(r.amount_minor) FROM transfer_reversals r
                               JOIN transfers t ON t.id = r.transfer_id
                              WHERE t.checkout_id = c.id AND r.status = 'sent'), 0) AS reversed,
                   coalesce((SELECT sum(f.amount_minor) FROM refunds f
                              WHERE f.checkout_id = c.id AND f.status = 'sent' AND f.allocated), 0)
                       AS refunded,
                   coalesce((SELECT sum(d.withdrawn_minor + d.fee_minor - d.reinstated_minor
                                        - d.fee_returned_minor)
                               FROM disputes d WHERE d.checkout_id = c.id), 0) AS disputed
              FROM checkouts c
        ), clearing AS (
            SELECT e.checkout_id, e.kind, sum(e.amount_minor) AS amount
              FROM ledger_entries e WHERE e.account = 'clearing'
             GROUP BY e.checkout_id, e.kind
        ), ledger AS (
            SELECT p.*,
                   coalesce((SELECT sum(amount) FROM clearing WHERE checkout_id = p.id AND kind = 'sale'), 0) AS l_sale,
                   coalesce((SELECT sum(amount) FROM clearing WHERE checkout_id = p.id AND kind = 'transfer'), 0) AS l_transfer,
                   coalesce((SELECT sum(amount) FROM clearing WHERE checkout_id = p.id AND kind = 'reversal'), 0) AS l_reversal,
                   coalesce((SELECT sum(amount) FROM clearing WHERE checkout_id = p.id AND kind = 'refund'), 0) AS l_refund,
                   coalesce((SELECT sum(amount) FROM clearing WHERE checkout_id = p.id AND kind IN ('dispute', 'dispute_fee')), 0) AS l_dispute
              FROM per_checkout p
        ), sellers AS (
            SELECT a.account, a.currency,
                   coalesce(sum(a.amount_minor) FILTER (WHERE a.kind = 'transfer'), 0) AS l_transfer,
                   coalesce(sum(a.amount_minor) FILTER (WHERE a.kind = 'reversal'), 0) AS l_reversal
              FROM ledger_entries a WHERE a.account LIKE 'seller:%'
             GROUP BY a.account, a.currency
        ), seller_records AS (
            SELECT s.*,
                   coalesce((SELECT sum(t.amount_minor) FROM transfers t
                              WHERE t.recipient = s.account AND t.currency = s.currency
                                AND t.status = 'sent'), 0) AS transferred,
                   coalesce((SELECT sum(r.amount_minor) FROM transfer_reversals r
                              WHERE r.recipient = s.account AND r.currency = s.currency
                                AND r.status = 'sent'), 0) AS reversed
              FROM sellers s
        )
        SELECT 'journal_unbalanced'::text AS what, journal_id::text AS reference, currency,
               sum(amount_minor)::bigint AS ledger_minor, 0::bigint AS records_minor
          FROM ledger_entries GROUP BY journal_id, currency HAVING sum(amount_minor) <> 0
        UNION ALL
        SELECT 'clearing_sale', reference, currency, l_sale::bigint, paid::bigint
          FROM ledger WHERE l_sale <> paid
        UNION ALL
        SELECT 'clearing_transfer', reference, currency, (-l_transfer)::bigint, transferred::bigint
          FROM ledger WHERE -l_transfer <> transferred
        UNION ALL
        SELECT 'clearing_reversal', reference, currency, l_reversal::bigint, reversed::bigint
          FROM ledger WHERE l_reversal <> reversed
        UNION ALL
        SELECT 'clearing_refund', reference, currency, (-l_refund)::bigint, refunded::bigint
          FROM ledger WHERE -l_refund <> refunded
        UNION ALL
        SELECT 'clearing_dispute', reference, currency, (-l_dispute)::bigint, disputed::bigint
          FROM ledger WHERE -l_dispute <> disputed
        UNION ALL
        SELECT 'seller_transfer', account, currency, l_transfer::bigint, transferred::bigint
          FROM seller_records WHERE l_transfer <> transferred
        UNION ALL
        SELECT 'seller_reversal', account, currency, (-l_reversal)::bigint, reversed::bigint
          FROM seller_records WHERE -l_reversal <> reversed
        ORDER BY 1, 2"
    );
    Ok(diesel::sql_query(sql).load(conn).await?)
}
