//! The gateway webhook de-duplication log. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::webhook_events;
use crate::{DbResult, TenantTx};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// The webhook de-duplication log.
#[derive(Debug)]
pub struct WebhookEvent;

impl WebhookEvent {
    /// Records an event id; `false` when it was recorded before (its effects exist already).
    /// Call in the transaction that applies the effects.
    pub async fn record(tx: &mut TenantTx, event_id: &str, kind: &str) -> DbResult<bool> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(webhook_events::table)
            .values((
                webhook_events::tenant_id.eq(tenant_id),
                webhook_events::event_id.eq(event_id),
                webhook_events::kind.eq(kind),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?
            == 1)
    }
}
