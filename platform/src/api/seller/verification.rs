//! The shop's identity verification over HTTP (the "verified" badge).

use crate::api::{ApiTags, UserAuth};
use crate::catalog::selling;
use crate::ctx::Ctx;
use krafto_api_types::catalog::{VerificationInput, VerificationView};
use krafto_web::ApiResult;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

pub(crate) struct VerificationApi;

#[derive(ApiResponse)]
pub(crate) enum VerificationSubmitted {
    #[oai(status = 201)]
    Created(Json<VerificationView>),
}

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl VerificationApi {
    /// Submits identity details for the marketplace to verify (the "verified" badge).
    #[oai(
        path = "/verification",
        method = "post",
        operation_id = "seller_submit_verification"
    )]
    async fn submit_verification(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: Json<VerificationInput>,
    ) -> ApiResult<VerificationSubmitted> {
        let v =
            selling::submit_verification(ctx.state, ctx.tenant, &auth.0, ctx.rid, &body).await?;
        Ok(VerificationSubmitted::Created(Json(v)))
    }

    #[oai(
        path = "/verification",
        method = "get",
        operation_id = "seller_get_verification"
    )]
    async fn get_verification(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
    ) -> ApiResult<Json<VerificationView>> {
        Ok(Json(
            selling::verification(ctx.state, ctx.tenant, &auth.0).await?,
        ))
    }
}
