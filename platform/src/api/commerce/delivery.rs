//! The shop's delivery options (`/seller/shipping-options`).

use crate::api::{ApiTags, Seller};
use crate::commerce::selling;
use crate::ctx::Ctx;
use krafto_api_types::commerce::{ShippingOptionInput, ShippingOptionView};
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

pub(super) struct ShippingOptionsApi;

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl ShippingOptionsApi {
    /// The shop's delivery options.
    #[oai(
        path = "/shipping-options",
        method = "get",
        operation_id = "seller_shipping_options"
    )]
    async fn shipping_options(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
    ) -> ApiResult<Json<Vec<ShippingOptionView>>> {
        Ok(Json(
            selling::shipping_options(ctx.state, ctx.tenant, &seller.0).await?,
        ))
    }

    /// Replaces the shop's delivery options (1 to 10; cost = base + per item × units).
    #[oai(
        path = "/shipping-options",
        method = "put",
        operation_id = "seller_set_shipping_options"
    )]
    async fn set_shipping_options(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        body: Json<Vec<ShippingOptionInput>>,
    ) -> ApiResult<Json<Vec<ShippingOptionView>>> {
        Ok(Json(
            selling::set_shipping_options(ctx.state, ctx.tenant, &seller.0, &body).await?,
        ))
    }
}
