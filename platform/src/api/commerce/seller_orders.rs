//! The shop's orders (`/seller/orders`): the list, one order with its commission breakdown,
//! and the seller's moves (accept, ship, out for delivery, deliver, cancel).

use crate::api::{ApiTags, Seller};
use crate::commerce::selling;
use crate::ctx::Ctx;
use krafto_api_types::commerce::{OrderAction, OrderPage, OrderView};
use krafto_core::commerce::OrderEvent;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;

pub(super) struct SellerOrdersApi;

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl SellerOrdersApi {
    /// The shop's orders, newest first.
    #[oai(path = "/orders", method = "get", operation_id = "seller_orders")]
    async fn orders(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        status: Query<Option<String>>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<OrderPage>> {
        Ok(Json(
            selling::orders(
                ctx.state,
                ctx.tenant,
                &seller.0,
                status.0.as_deref(),
                cursor.0.as_deref(),
                limit.0,
            )
            .await?,
        ))
    }

    /// One of the shop's orders, with the commission breakdown per line.
    #[oai(
        path = "/orders/:number",
        method = "get",
        operation_id = "seller_order"
    )]
    async fn order(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        Ok(Json(
            selling::order(ctx.state, ctx.tenant, &seller.0, &number.0).await?,
        ))
    }

    /// Accepts an order (placed → confirmed).
    #[oai(
        path = "/orders/:number/accept",
        method = "post",
        operation_id = "seller_order_accept"
    )]
    async fn accept(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(&ctx, &seller, &number.0, OrderEvent::Accept, None).await
    }

    /// Marks an order shipped, with its tracking number if any.
    #[oai(
        path = "/orders/:number/ship",
        method = "post",
        operation_id = "seller_order_ship"
    )]
    async fn ship(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        number: Path<String>,
        body: Json<OrderAction>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(&ctx, &seller, &number.0, OrderEvent::Ship, Some(&body)).await
    }

    /// Marks a shipped order out for delivery.
    #[oai(
        path = "/orders/:number/out-for-delivery",
        method = "post",
        operation_id = "seller_order_out_for_delivery"
    )]
    async fn out_for_delivery(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(&ctx, &seller, &number.0, OrderEvent::OutForDelivery, None).await
    }

    /// Marks an order delivered.
    #[oai(
        path = "/orders/:number/deliver",
        method = "post",
        operation_id = "seller_order_deliver"
    )]
    async fn deliver(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(&ctx, &seller, &number.0, OrderEvent::Deliver, None).await
    }

    /// Cancels an order before shipping (a reason is required; the buyer is refunded).
    #[oai(
        path = "/orders/:number/cancel",
        method = "post",
        operation_id = "seller_order_cancel"
    )]
    async fn cancel(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        number: Path<String>,
        body: Json<OrderAction>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(&ctx, &seller, &number.0, OrderEvent::Cancel, Some(&body)).await
    }
}

/// One seller move on one of the shop's orders (no body: no reason, no tracking number).
async fn seller_move(
    ctx: &Ctx<'_>,
    seller: &Seller,
    number: &str,
    event: OrderEvent,
    action: Option<&OrderAction>,
) -> ApiResult<Json<OrderView>> {
    let none = OrderAction::default();
    Ok(Json(
        selling::order_move(
            ctx.state,
            ctx.tenant,
            &seller.0,
            number,
            event,
            action.unwrap_or(&none),
        )
        .await?,
    ))
}
