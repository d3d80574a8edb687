//! Transfers to connected accounts. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::transfers;
use crate::{DbResult, TenantTx};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krafto_core::commerce::SettlementStatus;
use uuid::Uuid;

/// A transfer to a connected account.
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
