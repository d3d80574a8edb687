//! Checkout (`/store/checkout`): create one payment for the whole cart, follow it, and pay
//! it in test mode.

use super::guest_token;
use crate::api::{ApiTags, optional_user};
use crate::commerce::checkout::{self, Buyer};
use crate::ctx::Ctx;
use krafto_api_types::commerce::{CheckoutRequest, CheckoutView, TestPayment};
use krafto_db::models::Checkout;
use krafto_web::ApiResult;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

pub(super) struct CheckoutApi;

#[derive(ApiResponse)]
pub(crate) enum CheckoutCreated {
    /// A new checkout: pay it with `payment.client_secret`.
    #[oai(status = 201)]
    Created(Json<CheckoutView>),
    /// The checkout made earlier with this Idempotency-Key.
    #[oai(status = 200)]
    Existing(Json<CheckoutView>),
}

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl CheckoutApi {
    /// Starts paying for the whole cart: checks the buyer's details, re-prices the cart,
    /// holds the stock (no overselling, whatever the concurrency) and creates one payment
    /// for every shop in it. Requires an `Idempotency-Key`: the same request again returns
    /// the same checkout (200) and never a second payment.
    #[oai(path = "/checkout", method = "post", operation_id = "store_checkout")]
    async fn checkout(
        &self,
        ctx: Ctx<'_>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
        #[oai(name = "Idempotency-Key")] idempotency_key: Header<Option<String>>,
        body: Json<CheckoutRequest>,
    ) -> ApiResult<CheckoutCreated> {
        let user_id = optional_user(ctx.req)?.map(|u| u.user_id);
        let account_email = checkout::account_email(ctx.state, ctx.tenant, user_id).await?;
        let (view, created) = checkout::create(
            ctx.state,
            ctx.tenant,
            Buyer {
                user_id,
                account_email,
                guest_token: guest_token(&cart_token),
            },
            idempotency_key.0.as_deref().map(str::trim).unwrap_or(""),
            &body,
        )
        .await?;
        Ok(if created {
            CheckoutCreated::Created(Json(view))
        } else {
            CheckoutCreated::Existing(Json(view))
        })
    }

    /// A checkout's state (poll after paying): its orders once paid. Open to its buyer, or
    /// to whoever holds its `client_secret`.
    #[oai(
        path = "/checkout/:id",
        method = "get",
        operation_id = "store_checkout_get"
    )]
    async fn checkout_get(
        &self,
        ctx: Ctx<'_>,
        id: Path<Uuid>,
        client_secret: Query<Option<String>>,
    ) -> ApiResult<Json<CheckoutView>> {
        let user = optional_user(ctx.req)?;
        let mut tx = ctx.tx().await?;
        let c =
            checkout::for_payer(&mut tx, id.0, user.as_ref(), client_secret.0.as_deref()).await?;
        let v = checkout::view(ctx.state, &mut tx, &c).await?;
        tx.commit().await?;
        Ok(Json(v))
    }

    /// Test mode only: pays (or fails) a checkout as a card would, through the same path as
    /// a Stripe webhook. `fail_later` leaves it awaiting payment and fails it a few seconds
    /// later. 404 `not_test_mode` when real payments are on.
    #[oai(
        path = "/checkout/:id/test-payment",
        method = "post",
        operation_id = "store_checkout_test_payment"
    )]
    async fn test_payment(
        &self,
        ctx: Ctx<'_>,
        id: Path<Uuid>,
        body: Json<TestPayment>,
    ) -> ApiResult<Json<CheckoutView>> {
        let c = checkout::test_pay(
            ctx.state,
            &ctx.scope(),
            id.0,
            &body.client_secret,
            body.outcome,
        )
        .await?;
        let mut tx = ctx.tx().await?;
        let c = Checkout::find(&mut tx, c.id).await?;
        let v = checkout::view(ctx.state, &mut tx, &c).await?;
        tx.commit().await?;
        Ok(Json(v))
    }
}
