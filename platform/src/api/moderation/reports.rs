//! `/admin/reports`: reports filed by people, over [`crate::moderation::reports`].

use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::moderation::reports;
use krafto_api_types::catalog::{ReportDecision, ReportView};
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use uuid::Uuid;

pub(crate) struct ReportsApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl ReportsApi {
    /// Open reports, oldest first.
    #[oai(path = "/reports", method = "get", operation_id = "admin_list_reports")]
    async fn reports(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<Vec<ReportView>>> {
        reports::open_reports(ctx.state, ctx.tenant).await.map(Json)
    }

    /// Closes a report: resolved (action taken) or dismissed.
    #[oai(
        path = "/reports/:id/resolve",
        method = "post",
        operation_id = "admin_resolve_report"
    )]
    async fn resolve_report(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<ReportDecision>,
    ) -> ApiResult<Json<ReportView>> {
        reports::resolve_report(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            &body,
        )
        .await
        .map(Json)
    }
}
