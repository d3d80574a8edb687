//! Reports filed against listings and shops: the open ones, and closing them.

use super::QUEUE_LIMIT;
use crate::catalog::record;
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::catalog::{ReportDecision, ReportOutcome, ReportView};
use krafto_core::catalog::ReportStatus;
use krafto_core::text::bounded_text;
use krafto_db::models::{Actor, Report};
use krafto_web::{ApiError, ApiResult, RequestId};
use serde_json::json;
use uuid::Uuid;

pub(crate) fn report_view(r: Report) -> ReportView {
    ReportView {
        id: r.id,
        target_kind: r.target_kind,
        target_id: r.target_id,
        reason: r.reason,
        details: r.details,
        status: r.status.to_string(),
        resolution: r.resolution,
        created_at: r.created_at,
        resolved_at: r.resolved_at,
    }
}

/// Open reports, oldest first.
pub(crate) async fn open_reports(
    state: &AppState,
    tenant: &CurrentTenant,
) -> ApiResult<Vec<ReportView>> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let rows = Report::open(&mut tx, QUEUE_LIMIT).await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(report_view).collect())
}

/// Closes an open report: resolved (action taken) or dismissed, with a note.
pub(crate) async fn resolve_report(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    id: Uuid,
    body: &ReportDecision,
) -> ApiResult<ReportView> {
    let resolution =
        bounded_text(&body.resolution, 1000).map_err(|e| ApiError::field(e.at("resolution")))?;
    let status = match body.outcome {
        ReportOutcome::Resolved => ReportStatus::Resolved,
        ReportOutcome::Dismissed => ReportStatus::Dismissed,
    };
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let r = Report::close(
        &mut tx,
        id,
        status,
        &resolution,
        actor.id.unwrap_or_default(),
    )
    .await?
    .ok_or_else(|| ApiError::not_found(Code::ReportNotFound, "no open report with this id"))?;
    record(
        &mut tx,
        actor,
        &format!("report.{status}"),
        format!("report:{}", r.id),
        json!({ "resolution": resolution }),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(report_view(r))
}
