//! `/admin/audit`: the marketplace's audit log, over [`crate::marketplace::audit`].

use crate::api::{ApiTags, Operator};
use crate::ctx::Ctx;
use crate::marketplace::audit;
use krafto_api_types::control::AuditPage;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;
use uuid::Uuid;

pub(crate) struct AuditApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl AuditApi {
    /// The marketplace's audit log, newest first.
    #[oai(path = "/audit", method = "get", operation_id = "admin_audit")]
    async fn audit_log(
        &self,
        ctx: Ctx<'_>,
        _op: Operator,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<Uuid>>,
        /// 1–200, default 50.
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<AuditPage>> {
        audit::audit(ctx.state, ctx.tenant, cursor.0, limit.0)
            .await
            .map(Json)
    }
}
