//! The buyer's cart (`/store/cart`): read it priced now, add, change and remove lines.

use super::guest_token;
use crate::api::{ApiTags, optional_user};
use crate::commerce::{self as shop_commerce, CartOwner};
use crate::ctx::Ctx;
use krafto_api_types::commerce::{AddCartLine, CartView, UpdateCartLine};
use krafto_db::TenantTx;
use krafto_db::models::Cart;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use uuid::Uuid;

pub(super) struct CartApi;

/// Loads, prices and renders the request's cart (within `tx`, which the caller commits).
async fn cart_view(
    ctx: &Ctx<'_>,
    tx: &mut TenantTx,
    cart: Option<&Cart>,
    new_token: Option<String>,
) -> ApiResult<CartView> {
    let mut view = shop_commerce::cart_view(tx, ctx.tenant, cart, ctx.state.test_mode()).await?;
    view.cart_token = new_token;
    Ok(view)
}

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl CartApi {
    /// The cart, priced now: lines per shop (each re-checked for availability, stock, price
    /// and whether the seller can be paid — problem lines are flagged, never dropped),
    /// delivery options and costs, any buyer fee and the total. Guests send their
    /// `X-Cart-Token`; a signed-in buyer sending one gets that guest cart merged into theirs.
    #[oai(path = "/cart", method = "get", operation_id = "store_cart")]
    async fn cart(
        &self,
        ctx: Ctx<'_>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
    ) -> ApiResult<Json<CartView>> {
        let user = optional_user(ctx.req)?;
        let mut tx = ctx.tx().await?;
        let owner = CartOwner {
            user_id: user.map(|u| u.user_id),
            guest_token: guest_token(&cart_token),
        };
        let (cart, _) = shop_commerce::resolve_cart(&mut tx, owner, false).await?;
        let view = cart_view(&ctx, &mut tx, cart.as_ref(), None).await?;
        tx.commit().await?;
        Ok(Json(view))
    }

    /// Adds an item (quantities of the same item add up). A guest without a cart gets one:
    /// the response's `cart_token` must be sent back as `X-Cart-Token`. Refused when the
    /// item is not on sale (404), its seller cannot take payments yet (409
    /// `seller_not_payable`) or there is not enough stock (409 `insufficient_stock`).
    #[oai(path = "/cart/lines", method = "post", operation_id = "store_cart_add")]
    async fn add(
        &self,
        ctx: Ctx<'_>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
        body: Json<AddCartLine>,
    ) -> ApiResult<Json<CartView>> {
        let user = optional_user(ctx.req)?;
        let mut tx = ctx.tx().await?;
        let owner = CartOwner {
            user_id: user.map(|u| u.user_id),
            guest_token: guest_token(&cart_token),
        };
        let (cart, token) = shop_commerce::add_to_cart(
            &mut tx,
            owner,
            body.listing_id,
            body.variant_id,
            body.quantity,
        )
        .await?;
        Cart::touch(&mut tx, cart.id).await?;
        let view = cart_view(&ctx, &mut tx, Some(&cart), token).await?;
        tx.commit().await?;
        Ok(Json(view))
    }

    /// Sets a line's quantity (1–1000).
    #[oai(
        path = "/cart/lines/:id",
        method = "patch",
        operation_id = "store_cart_update"
    )]
    async fn update(
        &self,
        ctx: Ctx<'_>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
        id: Path<Uuid>,
        body: Json<UpdateCartLine>,
    ) -> ApiResult<Json<CartView>> {
        shop_commerce::check_quantity(body.quantity)?;
        change(&ctx, &cart_token, id.0, Some(body.quantity)).await
    }

    /// Removes a line.
    #[oai(
        path = "/cart/lines/:id",
        method = "delete",
        operation_id = "store_cart_remove"
    )]
    async fn remove(
        &self,
        ctx: Ctx<'_>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
        id: Path<Uuid>,
    ) -> ApiResult<Json<CartView>> {
        change(&ctx, &cart_token, id.0, None).await
    }
}

/// Sets (`Some`) or removes (`None`) a line of the request's cart, and shows the cart.
async fn change(
    ctx: &Ctx<'_>,
    cart_token: &Header<Option<String>>,
    line: Uuid,
    quantity: Option<i32>,
) -> ApiResult<Json<CartView>> {
    let user = optional_user(ctx.req)?;
    let mut tx = ctx.tx().await?;
    let owner = CartOwner {
        user_id: user.map(|u| u.user_id),
        guest_token: guest_token(cart_token),
    };
    let cart = shop_commerce::change_cart_line(&mut tx, owner, line, quantity).await?;
    let view = cart_view(ctx, &mut tx, Some(&cart), None).await?;
    tx.commit().await?;
    Ok(Json(view))
}
