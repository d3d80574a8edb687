//! `/admin/shops/{id}/…`: review decisions on shops, over [`crate::moderation::review`].

use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::moderation::review::{reason, shop_move};
use krafto_api_types::catalog::{Reason, ShopView};
use krafto_core::catalog::ShopEvent;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use uuid::Uuid;

pub(crate) struct ShopsApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl ShopsApi {
    #[oai(
        path = "/shops/:id/approve",
        method = "post",
        operation_id = "admin_approve_shop"
    )]
    async fn approve_shop(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ShopView>> {
        shop_move(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            ShopEvent::Approve,
            None,
            "shop.approved",
        )
        .await
        .map(Json)
    }

    /// Sends a shop back to its seller with a reason.
    #[oai(
        path = "/shops/:id/reject",
        method = "post",
        operation_id = "admin_reject_shop"
    )]
    async fn reject_shop(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<Reason>,
    ) -> ApiResult<Json<ShopView>> {
        let r = reason(&body)?;
        shop_move(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            ShopEvent::Reject,
            Some(r),
            "shop.rejected",
        )
        .await
        .map(Json)
    }

    /// Takes a shop and all its listings off the marketplace at once.
    #[oai(
        path = "/shops/:id/suspend",
        method = "post",
        operation_id = "admin_suspend_shop"
    )]
    async fn suspend_shop(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<Reason>,
    ) -> ApiResult<Json<ShopView>> {
        let r = reason(&body)?;
        shop_move(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            ShopEvent::Suspend,
            Some(r),
            "shop.suspended",
        )
        .await
        .map(Json)
    }

    #[oai(
        path = "/shops/:id/reinstate",
        method = "post",
        operation_id = "admin_reinstate_shop"
    )]
    async fn reinstate_shop(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ShopView>> {
        shop_move(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            ShopEvent::Reinstate,
            None,
            "shop.reinstated",
        )
        .await
        .map(Json)
    }
}
