//! `/admin/listings/{id}/…`: review decisions on listings, over [`crate::moderation::review`].

use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::moderation::review::{listing_move, reason};
use krafto_api_types::catalog::{ListingView, Reason};
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use uuid::Uuid;

pub(crate) struct ListingsApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl ListingsApi {
    #[oai(
        path = "/listings/:id/approve",
        method = "post",
        operation_id = "admin_approve_listing"
    )]
    async fn approve_listing(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        listing_move(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            None,
            "listing.approved",
        )
        .await
        .map(Json)
    }

    #[oai(
        path = "/listings/:id/reject",
        method = "post",
        operation_id = "admin_reject_listing"
    )]
    async fn reject_listing(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<Reason>,
    ) -> ApiResult<Json<ListingView>> {
        let r = reason(&body)?;
        listing_move(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            Some(r),
            "listing.rejected",
        )
        .await
        .map(Json)
    }
}
