//! `/admin/verifications/{id}/…`: decisions on sellers' identities, over
//! [`crate::moderation::review`].

use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::moderation::review::{decide_verification, reason};
use krafto_api_types::catalog::{Reason, VerificationView};
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use uuid::Uuid;

pub(crate) struct VerificationsApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl VerificationsApi {
    /// Approves a seller's identity: the shop gets the "verified" badge.
    #[oai(
        path = "/verifications/:id/approve",
        method = "post",
        operation_id = "admin_approve_verification"
    )]
    async fn approve_verification(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
    ) -> ApiResult<Json<VerificationView>> {
        decide_verification(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            None,
        )
        .await
        .map(Json)
    }

    #[oai(
        path = "/verifications/:id/reject",
        method = "post",
        operation_id = "admin_reject_verification"
    )]
    async fn reject_verification(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<Reason>,
    ) -> ApiResult<Json<VerificationView>> {
        let r = reason(&body)?;
        decide_verification(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            Some(r),
        )
        .await
        .map(Json)
    }
}
