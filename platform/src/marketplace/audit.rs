//! The marketplace's audit log: who changed what, newest first.

use crate::{AppState, CurrentTenant};
use krafto_api_types::control::AuditPage;
use krafto_core::FieldError;
use krafto_db::models::AuditEntry;
use krafto_web::{ApiError, ApiResult};
use uuid::Uuid;

/// The marketplace's audit log, newest first (`limit` 1–200, default 50).
pub(crate) async fn audit(
    state: &AppState,
    tenant: &CurrentTenant,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> ApiResult<AuditPage> {
    let limit = limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::field(FieldError::new(
            "limit",
            "must be between 1 and 200",
        )));
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let rows = AuditEntry::page(&mut tx, cursor, limit).await?;
    tx.commit().await?;
    Ok(krafto_web::views::audit_page(rows, limit))
}
