use crate::schema::audit_log;
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
pub struct AuditEntry {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub target: String,
    pub details: serde_json::Value,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What to record; written in the same transaction as the change itself.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditEntry {
    pub id: Uuid,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub target: String,
    pub details: serde_json::Value,
    pub request_id: Option<String>,
}

/// Who performed an audited action.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `staff`, `operator`, `user` or `system`.
    pub kind: &'static str,
    pub id: Option<Uuid>,
    /// A human label (the e-mail), kept even if the account later disappears.
    pub label: String,
}

impl NewAuditEntry {
    pub fn new(
        actor: &Actor,
        action: &str,
        target: impl Into<String>,
        details: serde_json::Value,
        request_id: Option<String>,
    ) -> Self {
        Self {
            id: Uuid::now_v7(),
            actor_kind: actor.kind.to_owned(),
            actor_id: actor.id,
            actor_label: actor.label.clone(),
            action: action.to_owned(),
            target: target.into(),
            details,
            request_id,
        }
    }
}

impl AuditEntry {
    /// Records `entry` for the marketplace of the transaction.
    pub async fn record(tx: &mut TenantTx, entry: &NewAuditEntry) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        diesel::insert_into(audit_log::table)
            .values((audit_log::tenant_id.eq(tenant_id), entry))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Newest first; `before` is the id of the last entry of the previous page (ids are
    /// time-ordered UUIDv7).
    pub async fn page(
        tx: &mut TenantTx,
        before: Option<Uuid>,
        limit: i64,
    ) -> DbResult<Vec<AuditEntry>> {
        let conn = crate::tx::conn(tx);
        let mut q = audit_log::table
            .select(AuditEntry::as_select())
            .into_boxed();
        if let Some(b) = before {
            q = q.filter(audit_log::id.lt(b));
        }
        Ok(q.order(audit_log::id.desc())
            .limit(limit)
            .load(conn)
            .await?)
    }
}
