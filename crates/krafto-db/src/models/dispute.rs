//! Disputes (chargebacks) and the routing of a payment's events to its marketplace. Rules are
//! decided in the platform's `commerce::disputes`; these functions only read and write rows,
//! inside the caller's transaction.

use crate::schema::{dispute_shares, disputes, payment_routes};
use crate::{AnyTx, DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// Routes a payment's events (a payment intent id) to its marketplace (control-plane table).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = payment_routes, check_for_backend(diesel::pg::Pg))]
pub struct PaymentRoute {
    pub payment_id: String,
    pub tenant_id: Uuid,
}

impl PaymentRoute {
    /// Routes `payment_id`'s events to the marketplace of the transaction.
    pub async fn register(tx: &mut TenantTx, payment_id: &str) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        diesel::insert_into(payment_routes::table)
            .values((
                payment_routes::payment_id.eq(payment_id),
                payment_routes::tenant_id.eq(tenant_id),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find(tx: &mut impl AnyTx, payment_id: &str) -> DbResult<Option<PaymentRoute>> {
        let conn = crate::tx::conn(tx);
        Ok(payment_routes::table
            .find(payment_id)
            .select(PaymentRoute::as_select())
            .first(conn)
            .await
            .optional()?)
    }
}

/// A dispute of one checkout's payment.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = disputes, check_for_backend(diesel::pg::Pg))]
pub struct Dispute {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub gateway_id: String,
    pub checkout_id: Uuid,
    pub payment_id: String,
    pub charge_id: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
    pub reason: String,
    pub status: String,
    pub evidence_due_by: Option<DateTime<Utc>>,
    pub state_at: i64,
    pub withdrawn_minor: i64,
    pub fee_minor: i64,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub reinstated_minor: i64,
    pub fee_returned_minor: i64,
    pub reinstated_at: Option<DateTime<Utc>>,
    pub evidence: serde_json::Value,
    pub evidence_submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What an event says of a dispute (applied when newer than what is stored).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = disputes)]
pub struct DisputeState<'a> {
    pub amount_minor: i64,
    pub reason: &'a str,
    pub status: &'a str,
    pub evidence_due_by: Option<DateTime<Utc>>,
    pub charge_id: Option<&'a str>,
    pub state_at: i64,
    pub updated_at: DateTime<Utc>,
}

/// One seller's part of a dispute's money.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = dispute_shares, check_for_backend(diesel::pg::Pg))]
pub struct DisputeShare {
    pub tenant_id: Uuid,
    pub dispute_id: Uuid,
    pub order_id: Uuid,
    pub recipient: String,
    pub amount_minor: i64,
    pub fee_minor: i64,
}

impl Dispute {
    /// The dispute with Stripe's id, locked until commit.
    pub async fn by_gateway_id_for_update(
        tx: &mut TenantTx,
        gateway_id: &str,
    ) -> DbResult<Option<Dispute>> {
        let conn = crate::tx::conn(tx);
        Ok(disputes::table
            .filter(disputes::gateway_id.eq(gateway_id))
            .select(Dispute::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn find(tx: &mut TenantTx, id: Uuid) -> DbResult<Option<Dispute>> {
        let conn = crate::tx::conn(tx);
        Ok(disputes::table
            .filter(disputes::id.eq(id))
            .select(Dispute::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Inserts it unless a dispute with its gateway id exists; returns the stored one, locked.
    pub async fn insert_or_get(tx: &mut TenantTx, d: &Dispute) -> DbResult<Dispute> {
        tx.owns_all([d.tenant_id])?;
        let conn = crate::tx::conn(tx);
        diesel::insert_into(disputes::table)
            .values(d)
            .on_conflict((disputes::tenant_id, disputes::gateway_id))
            .do_nothing()
            .execute(conn)
            .await?;
        Self::by_gateway_id_for_update(tx, &d.gateway_id)
            .await?
            .ok_or(diesel::result::Error::NotFound.into())
    }

    pub async fn set_state(tx: &mut TenantTx, id: Uuid, s: &DisputeState<'_>) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(disputes::table.filter(disputes::id.eq(id)))
            .set(s)
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn mark_withdrawn(
        tx: &mut TenantTx,
        id: Uuid,
        amount: i64,
        fee: i64,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(disputes::table.filter(disputes::id.eq(id)))
            .set((
                disputes::withdrawn_minor.eq(amount),
                disputes::fee_minor.eq(fee),
                disputes::withdrawn_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn mark_reinstated(
        tx: &mut TenantTx,
        id: Uuid,
        amount: i64,
        fee_returned: i64,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(disputes::table.filter(disputes::id.eq(id)))
            .set((
                disputes::reinstated_minor.eq(amount),
                disputes::fee_returned_minor.eq(fee_returned),
                disputes::reinstated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn set_evidence(
        tx: &mut TenantTx,
        id: Uuid,
        evidence: &serde_json::Value,
        submitted: bool,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        let q = diesel::update(disputes::table.filter(disputes::id.eq(id)));
        if submitted {
            q.set((
                disputes::evidence.eq(evidence),
                disputes::evidence_submitted_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        } else {
            q.set(disputes::evidence.eq(evidence)).execute(conn).await?;
        }
        Ok(())
    }

    /// Disputes that stop refunds on a checkout: open ones (the bank decides), and lost ones
    /// (the bank already gave the buyer their money back).
    pub async fn blocking_refunds(tx: &mut TenantTx, checkout_id: Uuid) -> DbResult<i64> {
        let conn = crate::tx::conn(tx);
        Ok(disputes::table
            .filter(disputes::checkout_id.eq(checkout_id))
            .filter(disputes::status.ne_all(["won", "warning_closed"]))
            .count()
            .get_result(conn)
            .await?)
    }

    /// The marketplace's disputes, those needing an answer first (soonest deadline), then
    /// the rest newest first.
    pub async fn list(tx: &mut TenantTx, limit: i64) -> DbResult<Vec<Dispute>> {
        let conn = crate::tx::conn(tx);
        Ok(disputes::table
            .order((
                disputes::evidence_due_by.asc().nulls_last(),
                disputes::created_at.desc(),
            ))
            .limit(limit)
            .select(Dispute::as_select())
            .load(conn)
            .await?)
    }
}

impl DisputeShare {
    pub async fn insert_all(tx: &mut TenantTx, shares: &[DisputeShare]) -> DbResult<()> {
        tx.owns_all(shares.iter().map(|s| s.tenant_id))?;
        if shares.is_empty() {
            return Ok(());
        }
        let conn = crate::tx::conn(tx);
        diesel::insert_into(dispute_shares::table)
            .values(shares)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn of_dispute(tx: &mut TenantTx, dispute_id: Uuid) -> DbResult<Vec<DisputeShare>> {
        let conn = crate::tx::conn(tx);
        Ok(dispute_shares::table
            .filter(dispute_shares::dispute_id.eq(dispute_id))
            .order(dispute_shares::order_id)
            .select(DisputeShare::as_select())
            .load(conn)
            .await?)
    }
}
