//! Buying and selling over HTTP: the cart, checkout and orders for buyers (guests too),
//! payouts, shipping options and order handling for sellers, orders and the ledger for
//! operators. Handlers resolve and authorise; `crate::commerce` does the work.

use super::{ApiTags, UserAuth, optional_user};
use crate::commerce::checkout::{self, Buyer};
use crate::commerce::orders::{self, OrderActorRef};
use crate::commerce::{self as shop_commerce, CartOwner, selling};
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::commerce::{
    AddCartLine, CartView, CheckoutRequest, CheckoutView, OnboardingLink, OrderAction, OrderPage,
    OrderView, PayoutStatus, SellerBalance, ShippingOptionInput, ShippingOptionView, TestPayment,
    UpdateCartLine,
};
use krafto_auth::UserClaims;
use krafto_core::Role;
use krafto_core::commerce::{OrderActor, OrderEvent};
use krafto_db::TenantTx;
use krafto_db::models::{Balance, Cart, Checkout, OrderScope, User};
use krafto_web::{ApiError, ApiResult};
use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

pub(crate) struct BuyApi;
pub(crate) struct SellingApi;
pub(crate) struct OrdersAdminApi;

#[derive(ApiResponse)]
pub(crate) enum CheckoutCreated {
    /// A new checkout: pay it with `payment.client_secret`.
    #[oai(status = 201)]
    Created(Json<CheckoutView>),
    /// The checkout made earlier with this Idempotency-Key.
    #[oai(status = 200)]
    Existing(Json<CheckoutView>),
}

/// Every account balance of the marketplace's ledger.
#[derive(Debug, Clone, Object)]
pub(crate) struct LedgerBalance {
    /// `clearing`, `tenant`, `platform` or `seller:<shop id>`.
    pub account: String,
    pub currency: String,
    /// Debits minus credits: negative means owed to the account holder.
    pub amount_minor: i64,
}

#[derive(Debug, Clone, Object)]
pub(crate) struct LedgerSummary {
    pub balances: Vec<LedgerBalance>,
    /// Gross merchandise value: everything buyers paid, refunds deducted.
    pub gmv_minor: i64,
    pub currency: String,
}

async fn buyer_email(tx: &mut TenantTx, c: &UserClaims) -> ApiResult<String> {
    Ok(User::find(tx, c.user_id).await?.email)
}

fn guest_token(h: &Header<Option<String>>) -> Option<&str> {
    h.0.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Loads, prices and renders the request's cart (within `tx`, which the caller commits).
async fn cart_view(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &CurrentTenant,
    cart: Option<&Cart>,
    new_token: Option<String>,
) -> ApiResult<CartView> {
    let mut view = shop_commerce::cart_view(tx, tenant, cart, state.test_mode()).await?;
    view.cart_token = new_token;
    Ok(view)
}

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl BuyApi {
    /// The cart, priced now: lines per shop (each re-checked for availability, stock, price
    /// and whether the seller can be paid — problem lines are flagged, never dropped),
    /// delivery options and costs, any buyer fee and the total. Guests send their
    /// `X-Cart-Token`; a signed-in buyer sending one gets that guest cart merged into theirs.
    #[oai(path = "/cart", method = "get", operation_id = "store_cart")]
    async fn cart(
        &self,
        req: &Request,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
    ) -> ApiResult<Json<CartView>> {
        let user = optional_user(req)?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let owner = CartOwner {
            user_id: user.map(|u| u.user_id),
            guest_token: guest_token(&cart_token),
        };
        let (cart, _) = shop_commerce::resolve_cart(&mut tx, owner, false).await?;
        let view = cart_view(&state, &mut tx, &tenant, cart.as_ref(), None).await?;
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
        req: &Request,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
        body: Json<AddCartLine>,
    ) -> ApiResult<Json<CartView>> {
        let user = optional_user(req)?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
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
        let view = cart_view(&state, &mut tx, &tenant, Some(&cart), token).await?;
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
        req: &Request,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
        id: Path<Uuid>,
        body: Json<UpdateCartLine>,
    ) -> ApiResult<Json<CartView>> {
        shop_commerce::check_quantity(body.quantity)?;
        self.change(req, &state, &tenant, &cart_token, id.0, Some(body.quantity))
            .await
    }

    /// Removes a line.
    #[oai(
        path = "/cart/lines/:id",
        method = "delete",
        operation_id = "store_cart_remove"
    )]
    async fn remove(
        &self,
        req: &Request,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
        id: Path<Uuid>,
    ) -> ApiResult<Json<CartView>> {
        self.change(req, &state, &tenant, &cart_token, id.0, None)
            .await
    }

    /// Starts paying for the whole cart: checks the buyer's details, re-prices the cart,
    /// holds the stock (no overselling, whatever the concurrency) and creates one payment
    /// for every shop in it. Requires an `Idempotency-Key`: the same request again returns
    /// the same checkout (200) and never a second payment.
    #[oai(path = "/checkout", method = "post", operation_id = "store_checkout")]
    async fn checkout(
        &self,
        req: &Request,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        #[oai(name = "X-Cart-Token")] cart_token: Header<Option<String>>,
        #[oai(name = "Idempotency-Key")] idempotency_key: Header<Option<String>>,
        body: Json<CheckoutRequest>,
    ) -> ApiResult<CheckoutCreated> {
        let user = optional_user(req)?;
        let account_email = match &user {
            Some(u) => {
                let mut tx = state.db.tenant(&tenant.scope()).await?;
                let e = buyer_email(&mut tx, u).await?;
                tx.commit().await?;
                Some(e)
            }
            None => None,
        };
        let (view, created) = checkout::create(
            &state,
            &tenant,
            Buyer {
                user_id: user.map(|u| u.user_id),
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
        req: &Request,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        id: Path<Uuid>,
        client_secret: Query<Option<String>>,
    ) -> ApiResult<Json<CheckoutView>> {
        let user = optional_user(req)?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let c =
            checkout::for_payer(&mut tx, id.0, user.as_ref(), client_secret.0.as_deref()).await?;
        let v = checkout::view(&state, &mut tx, &c).await?;
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        id: Path<Uuid>,
        body: Json<TestPayment>,
    ) -> ApiResult<Json<CheckoutView>> {
        if !state.test_mode() {
            return Err(ApiError::not_found(
                Code::NotTestMode,
                "payments are real here: pay with Stripe",
            ));
        }
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let c = checkout::for_payer(&mut tx, id.0, None, Some(&body.client_secret)).await?;
        tx.commit().await?;
        checkout::simulate(&state, &tenant.scope(), c.id, body.outcome).await?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let c = Checkout::find(&mut tx, c.id).await?;
        let v = checkout::view(&state, &mut tx, &c).await?;
        tx.commit().await?;
        Ok(Json(v))
    }

    /// The signed-in buyer's orders, newest first.
    #[oai(path = "/orders", method = "get", operation_id = "store_orders")]
    async fn orders(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        status: Query<Option<String>>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<OrderPage>> {
        let mut tx = state.db.tenant(&tenant.scope()).await?;
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
        req: &Request,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        number: Path<String>,
        token: Query<Option<String>>,
    ) -> ApiResult<Json<OrderView>> {
        let user = optional_user(req)?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let o = orders::for_buyer(
            &state,
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

impl BuyApi {
    async fn change(
        &self,
        req: &Request,
        state: &AppState,
        tenant: &CurrentTenant,
        cart_token: &Header<Option<String>>,
        line: Uuid,
        quantity: Option<i32>,
    ) -> ApiResult<Json<CartView>> {
        let user = optional_user(req)?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let owner = CartOwner {
            user_id: user.map(|u| u.user_id),
            guest_token: guest_token(cart_token),
        };
        let (cart, _) = shop_commerce::resolve_cart(&mut tx, owner, false).await?;
        let missing = || {
            ApiError::not_found(
                Code::CartLineNotFound,
                format!("no line {line} in your cart"),
            )
        };
        let cart = cart.ok_or_else(missing)?;
        let found = match quantity {
            Some(q) => Cart::set_quantity(&mut tx, cart.id, line, q).await,
            None => Cart::remove(&mut tx, cart.id, line).await,
        }?;
        if !found {
            return Err(missing());
        }
        Cart::touch(&mut tx, cart.id).await?;
        let view = cart_view(state, &mut tx, tenant, Some(&cart), None).await?;
        tx.commit().await?;
        Ok(Json(view))
    }
}

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl SellingApi {
    /// Creates the shop's Stripe Express account (once) and returns a fresh onboarding link.
    /// In test mode the link leads to a test page of ours that completes the account.
    #[oai(
        path = "/payouts/onboarding",
        method = "post",
        operation_id = "seller_payouts_onboarding"
    )]
    async fn payouts_onboarding(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        /// Where Stripe sends the seller back (default: the seller dashboard).
        return_url: Query<Option<String>>,
    ) -> ApiResult<Json<OnboardingLink>> {
        let c = auth.require(&[Role::Seller, Role::Operator])?;
        Ok(Json(
            selling::payouts_onboarding(&state, &tenant, c, return_url.0.as_deref()).await?,
        ))
    }

    /// Whether buyers can pay the shop: charges and payouts enabled, what Stripe still needs.
    #[oai(
        path = "/payouts/status",
        method = "get",
        operation_id = "seller_payouts_status"
    )]
    async fn payouts_status(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<PayoutStatus>> {
        let c = auth.require(&[Role::Seller, Role::Operator])?;
        Ok(Json(selling::payout_status(&state, &tenant, c).await?))
    }

    /// The shop's money from the ledger: earned, transferred, refunded, pending.
    #[oai(
        path = "/payouts/balance",
        method = "get",
        operation_id = "seller_payouts_balance"
    )]
    async fn payouts_balance(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<SellerBalance>> {
        let c = auth.require(&[Role::Seller, Role::Operator])?;
        Ok(Json(selling::payout_balance(&state, &tenant, c).await?))
    }

    /// The shop's delivery options.
    #[oai(
        path = "/shipping-options",
        method = "get",
        operation_id = "seller_shipping_options"
    )]
    async fn shipping_options(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<Vec<ShippingOptionView>>> {
        let c = auth.require(&[Role::Seller, Role::Operator])?;
        Ok(Json(selling::shipping_options(&state, &tenant, c).await?))
    }

    /// Replaces the shop's delivery options (1 to 10; cost = base + per item × units).
    #[oai(
        path = "/shipping-options",
        method = "put",
        operation_id = "seller_set_shipping_options"
    )]
    async fn set_shipping_options(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        body: Json<Vec<ShippingOptionInput>>,
    ) -> ApiResult<Json<Vec<ShippingOptionView>>> {
        let c = auth.require(&[Role::Seller, Role::Operator])?;
        Ok(Json(
            selling::set_shipping_options(&state, &tenant, c, &body).await?,
        ))
    }

    /// The shop's orders, newest first.
    #[oai(path = "/orders", method = "get", operation_id = "seller_orders")]
    async fn orders(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        status: Query<Option<String>>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<OrderPage>> {
        let c = auth.require(&[Role::Seller, Role::Operator])?;
        Ok(Json(
            selling::orders(
                &state,
                &tenant,
                c,
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        let c = auth.require(&[Role::Seller, Role::Operator])?;
        Ok(Json(selling::order(&state, &tenant, c, &number.0).await?))
    }

    /// Accepts an order (placed → confirmed).
    #[oai(
        path = "/orders/:number/accept",
        method = "post",
        operation_id = "seller_order_accept"
    )]
    async fn accept(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(&state, &tenant, &auth, &number.0, OrderEvent::Accept, None).await
    }

    /// Marks an order shipped, with its tracking number if any.
    #[oai(
        path = "/orders/:number/ship",
        method = "post",
        operation_id = "seller_order_ship"
    )]
    async fn ship(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
        body: Json<OrderAction>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(
            &state,
            &tenant,
            &auth,
            &number.0,
            OrderEvent::Ship,
            Some(&body),
        )
        .await
    }

    /// Marks a shipped order out for delivery.
    #[oai(
        path = "/orders/:number/out-for-delivery",
        method = "post",
        operation_id = "seller_order_out_for_delivery"
    )]
    async fn out_for_delivery(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(
            &state,
            &tenant,
            &auth,
            &number.0,
            OrderEvent::OutForDelivery,
            None,
        )
        .await
    }

    /// Marks an order delivered.
    #[oai(
        path = "/orders/:number/deliver",
        method = "post",
        operation_id = "seller_order_deliver"
    )]
    async fn deliver(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(&state, &tenant, &auth, &number.0, OrderEvent::Deliver, None).await
    }

    /// Cancels an order before shipping (a reason is required; the buyer is refunded).
    #[oai(
        path = "/orders/:number/cancel",
        method = "post",
        operation_id = "seller_order_cancel"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
        body: Json<OrderAction>,
    ) -> ApiResult<Json<OrderView>> {
        seller_move(
            &state,
            &tenant,
            &auth,
            &number.0,
            OrderEvent::Cancel,
            Some(&body),
        )
        .await
    }
}

async fn seller_move(
    state: &AppState,
    tenant: &CurrentTenant,
    auth: &UserAuth,
    number: &str,
    event: OrderEvent,
    action: Option<&OrderAction>,
) -> ApiResult<Json<OrderView>> {
    let c = auth.require(&[Role::Seller, Role::Operator])?;
    let none = OrderAction::default();
    Ok(Json(
        selling::order_move(state, tenant, c, number, event, action.unwrap_or(&none)).await?,
    ))
}

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl OrdersAdminApi {
    /// Every order of the marketplace, newest first.
    #[oai(path = "/orders", method = "get", operation_id = "admin_orders")]
    async fn orders(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        status: Query<Option<String>>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<OrderPage>> {
        auth.require(&[Role::Operator])?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let page = orders::page(
            &mut tx,
            OrderScope::Marketplace,
            status.0.as_deref(),
            cursor.0.as_deref(),
            limit.0,
        )
        .await?;
        tx.commit().await?;
        Ok(Json(page))
    }

    /// Any order of the marketplace, with its breakdown and timeline.
    #[oai(path = "/orders/:number", method = "get", operation_id = "admin_order")]
    async fn order(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        auth.require(&[Role::Operator])?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let o = krafto_db::models::Order::by_number(&mut tx, &number.0)
            .await?
            .ok_or_else(|| orders::not_found(&number.0))?;
        let v = orders::view(&mut tx, o, true).await?;
        tx.commit().await?;
        Ok(Json(v))
    }

    /// Cancels an order before shipping, refunding the buyer (reason required).
    #[oai(
        path = "/orders/:number/cancel",
        method = "post",
        operation_id = "admin_order_cancel"
    )]
    async fn cancel(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
        body: Json<OrderAction>,
    ) -> ApiResult<Json<OrderView>> {
        operator_move(
            &state,
            &tenant,
            &auth,
            &number.0,
            OrderEvent::Cancel,
            body.0,
        )
        .await
    }

    /// Refunds a shipped or delivered order in full (reason required).
    #[oai(
        path = "/orders/:number/refund",
        method = "post",
        operation_id = "admin_order_refund"
    )]
    async fn refund(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        number: Path<String>,
        body: Json<OrderAction>,
    ) -> ApiResult<Json<OrderView>> {
        operator_move(
            &state,
            &tenant,
            &auth,
            &number.0,
            OrderEvent::Refund,
            body.0,
        )
        .await
    }

    /// The ledger's account balances and the marketplace's GMV.
    #[oai(path = "/ledger", method = "get", operation_id = "admin_ledger")]
    async fn ledger(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<LedgerSummary>> {
        auth.require(&[Role::Operator])?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let (gmv_minor, balances): (i64, Vec<Balance>) = orders::ledger_totals(&mut tx).await?;
        tx.commit().await?;
        Ok(Json(LedgerSummary {
            currency: tenant.currency.clone(),
            gmv_minor,
            balances: balances
                .into_iter()
                .map(|b| LedgerBalance {
                    account: b.account,
                    currency: b.currency,
                    amount_minor: b.amount_minor,
                })
                .collect(),
        }))
    }
}

async fn operator_move(
    state: &AppState,
    tenant: &CurrentTenant,
    auth: &UserAuth,
    number: &str,
    event: OrderEvent,
    action: OrderAction,
) -> ApiResult<Json<OrderView>> {
    let c = auth.require(&[Role::Operator])?;
    let by = OrderActorRef {
        actor: OrderActor::Operator,
        user_id: Some(c.user_id),
        shop_id: None,
    };
    Ok(Json(
        orders::apply(
            state,
            tenant,
            number,
            event,
            by,
            action.reason.as_deref(),
            action.tracking_number.as_deref(),
        )
        .await?,
    ))
}
