//! The buyer's orders (`/store/orders`): their list, and one order for its buyer or the
//! holder of its link.

use crate::api::{ApiTags, UserAuth, optional_user};
use crate::commerce::orders;
use crate::ctx::Ctx;
use krafto_api_types::commerce::{OrderPage, OrderView};
use krafto_db::models::OrderScope;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;

pub(super) struct BuyerOrdersApi;

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl BuyerOrdersApi {
    /// The signed-in buyer's orders, newest first.
    #[oai(path = "/orders", method = "get", operation_id = "store_orders")]
    async fn orders(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        status: Query<Option<String>>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<OrderPage>> {
        let mut tx = ctx.tx().await?;
        let page = orders::page(
            &mut tx,
            OrderScope::Buyer(auth.0.user_id),
            status.0.as_deref(),
            cursor.0.as_deref(),
            limit.0,
        )
        .await?;
        tx.commit().await?;
        Ok(Json(page))
    }

    /// One order with its timeline: for its signed-in buyer, or anyone with the `token` from
    /// the confirmation e-mail (guest orders).
    #[oai(path = "/orders/:number", method = "get", operation_id = "store_order")]
    async fn order(
        &self,
        ctx: Ctx<'_>,
        number: Path<String>,
        token: Query<Option<String>>,
    ) -> ApiResult<Json<OrderView>> {
        let user = optional_user(ctx.req)?;
        let mut tx = ctx.tx().await?;
        let o = orders::for_buyer(
            ctx.state,
            &mut tx,
            &number.0,
            user.map(|u| u.user_id),
            token.0.as_deref(),
        )
        .await?;
        let v = orders::view(&mut tx, o, false).await?;
        tx.commit().await?;
        Ok(Json(v))
    }
}
