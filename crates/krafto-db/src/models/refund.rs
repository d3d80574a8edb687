//! Refunds asked of the gateway. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::refunds;
use crate::{DbResult, TenantTx};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krafto_core::commerce::SettlementStatus;
use uuid::Uuid;

/// A refund asked of the gateway.
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
}

impl Refund {
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
