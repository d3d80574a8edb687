//! Refunds over HTTP: buyers ask for units of their order back (guests with their order's
//! link), sellers and operators accept or decline requests and refund at once, and both see
//! the debts left by transfers that could not be reversed. `crate::commerce::refunds` does the
//! work.

use crate::api::{ApiTags, Operator, Seller, optional_user};
use crate::commerce::refunds::{self, LineUnits, RefundBy, RefundNow};
use crate::commerce::{orders, selling};
use crate::ctx::Ctx;
use krafto_api_types::refunds::{
    DebtList, NewRefund, NewRefundRequest, RefundDecision, RefundLineAsk, RefundRequestList,
    RefundRequestView, RefundView,
};
use krafto_web::ApiResult;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

fn units(lines: &[RefundLineAsk]) -> Vec<LineUnits> {
    lines
        .iter()
        .map(|l| LineUnits {
            line_id: l.line_id,
            quantity: l.quantity,
        })
        .collect()
}

#[derive(ApiResponse)]
pub(super) enum Withdrawn {
    /// The request is withdrawn.
    #[oai(status = 204)]
    Done,
}

pub(super) struct BuyerRefundsApi;

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl BuyerRefundsApi {
    /// Asks for units of an order back, with a reason: the seller accepts or declines, the
    /// operator may decide. One open request per line. Guests pass their order's `token`.
    #[oai(
        path = "/orders/:number/refund-requests",
        method = "post",
        operation_id = "store_order_refund_request"
    )]
    async fn request(
        &self,
        ctx: Ctx<'_>,
        number: Path<String>,
        token: Query<Option<String>>,
        body: Json<NewRefundRequest>,
    ) -> ApiResult<Json<RefundRequestView>> {
        let user = optional_user(ctx.req)?.map(|u| u.user_id);
        let mut tx = ctx.tx().await?;
        let order =
            orders::for_buyer(ctx.state, &mut tx, &number.0, user, token.0.as_deref()).await?;
        tx.commit().await?;
        Ok(Json(
            refunds::request(
                ctx.state,
                ctx.tenant,
                order,
                user,
                &units(&body.lines),
                Some(&body.reason),
            )
            .await?,
        ))
    }

    /// Withdraws the buyer's open request.
    #[oai(
        path = "/orders/:number/refund-requests/:id/withdraw",
        method = "post",
        operation_id = "store_order_refund_withdraw"
    )]
    async fn withdraw(
        &self,
        ctx: Ctx<'_>,
        number: Path<String>,
        id: Path<Uuid>,
        token: Query<Option<String>>,
    ) -> ApiResult<Withdrawn> {
        let user = optional_user(ctx.req)?.map(|u| u.user_id);
        let mut tx = ctx.tx().await?;
        let order =
            orders::for_buyer(ctx.state, &mut tx, &number.0, user, token.0.as_deref()).await?;
        tx.commit().await?;
        refunds::withdraw(ctx.state, ctx.tenant, &order, id.0).await?;
        Ok(Withdrawn::Done)
    }
}

async fn seller_by(ctx: &Ctx<'_>, seller: &Seller) -> ApiResult<RefundBy> {
    selling::refund_by(ctx.state, ctx.tenant, &seller.0).await
}

pub(super) struct SellerRefundsApi;

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl SellerRefundsApi {
    /// The open refund requests on the shop's orders, oldest first.
    #[oai(
        path = "/refund-requests",
        method = "get",
        operation_id = "seller_refund_requests"
    )]
    async fn requests(&self, ctx: Ctx<'_>, seller: Seller) -> ApiResult<Json<RefundRequestList>> {
        let by = seller_by(&ctx, &seller).await?;
        let mut tx = ctx.tx().await?;
        let items = refunds::open_requests(&mut tx, by.shop_id).await?;
        tx.commit().await?;
        Ok(Json(RefundRequestList { items }))
    }

    /// Accepts a request: the units asked are refunded.
    #[oai(
        path = "/refund-requests/:id/accept",
        method = "post",
        operation_id = "seller_refund_accept"
    )]
    async fn accept(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        id: Path<Uuid>,
        body: Json<RefundDecision>,
    ) -> ApiResult<Json<RefundRequestView>> {
        let by = seller_by(&ctx, &seller).await?;
        Ok(Json(
            refunds::decide(
                ctx.state,
                ctx.tenant,
                id.0,
                by,
                true,
                body.reason.as_deref(),
            )
            .await?,
        ))
    }

    /// Declines a request, saying why (the buyer is told).
    #[oai(
        path = "/refund-requests/:id/decline",
        method = "post",
        operation_id = "seller_refund_decline"
    )]
    async fn decline(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        id: Path<Uuid>,
        body: Json<RefundDecision>,
    ) -> ApiResult<Json<RefundRequestView>> {
        let by = seller_by(&ctx, &seller).await?;
        Ok(Json(
            refunds::decide(
                ctx.state,
                ctx.tenant,
                id.0,
                by,
                false,
                body.reason.as_deref(),
            )
            .await?,
        ))
    }

    /// Refunds units of one of the shop's orders at once (none named: all that is left,
    /// shipping included), saying why.
    #[oai(
        path = "/orders/:number/refunds",
        method = "post",
        operation_id = "seller_order_refund"
    )]
    async fn refund(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        number: Path<String>,
        body: Json<NewRefund>,
    ) -> ApiResult<Json<RefundView>> {
        let by = seller_by(&ctx, &seller).await?;
        Ok(Json(
            refunds::refund_now(
                ctx.state,
                &ctx.tenant.scope(),
                ctx.tenant,
                &number.0,
                by,
                RefundNow {
                    units: &units(&body.lines),
                    with_shipping: false,
                    reason: body.reason.as_deref(),
                },
            )
            .await?,
        ))
    }

    /// What the shop owes back because a refund could not be taken from its account, and
    /// what was recovered from its transfers since.
    #[oai(path = "/payouts/debts", method = "get", operation_id = "seller_debts")]
    async fn debts(&self, ctx: Ctx<'_>, seller: Seller) -> ApiResult<Json<DebtList>> {
        let by = seller_by(&ctx, &seller).await?;
        let account = format!("seller:{}", by.shop_id.unwrap_or_default());
        let mut tx = ctx.tx().await?;
        let items = refunds::debts(&mut tx, Some(&account)).await?;
        tx.commit().await?;
        Ok(Json(DebtList { items }))
    }
}

pub(super) struct AdminRefundsApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl AdminRefundsApi {
    /// Every open refund request of the marketplace, oldest first.
    #[oai(
        path = "/refund-requests",
        method = "get",
        operation_id = "admin_refund_requests"
    )]
    async fn requests(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<RefundRequestList>> {
        let mut tx = ctx.tx().await?;
        let items = refunds::open_requests(&mut tx, None).await?;
        tx.commit().await?;
        Ok(Json(RefundRequestList { items }))
    }

    /// Accepts any request: the units asked are refunded.
    #[oai(
        path = "/refund-requests/:id/accept",
        method = "post",
        operation_id = "admin_refund_accept"
    )]
    async fn accept(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<RefundDecision>,
    ) -> ApiResult<Json<RefundRequestView>> {
        Ok(Json(
            refunds::decide(
                ctx.state,
                ctx.tenant,
                id.0,
                RefundBy::operator(op.0.user_id),
                true,
                body.reason.as_deref(),
            )
            .await?,
        ))
    }

    /// Declines any request, saying why (the buyer is told).
    #[oai(
        path = "/refund-requests/:id/decline",
        method = "post",
        operation_id = "admin_refund_decline"
    )]
    async fn decline(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<RefundDecision>,
    ) -> ApiResult<Json<RefundRequestView>> {
        Ok(Json(
            refunds::decide(
                ctx.state,
                ctx.tenant,
                id.0,
                RefundBy::operator(op.0.user_id),
                false,
                body.reason.as_deref(),
            )
            .await?,
        ))
    }

    /// Refunds units of any order at once (none named: all that is left, shipping
    /// included; `with_shipping` gives shipping back with a partial refund), saying why.
    #[oai(
        path = "/orders/:number/refunds",
        method = "post",
        operation_id = "admin_order_refunds"
    )]
    async fn refund(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        number: Path<String>,
        body: Json<NewRefund>,
    ) -> ApiResult<Json<RefundView>> {
        Ok(Json(
            refunds::refund_now(
                ctx.state,
                &ctx.tenant.scope(),
                ctx.tenant,
                &number.0,
                RefundBy::operator(op.0.user_id),
                RefundNow {
                    units: &units(&body.lines),
                    with_shipping: body.with_shipping,
                    reason: body.reason.as_deref(),
                },
            )
            .await?,
        ))
    }

    /// What sellers (and the marketplace) owe back because refunds could not be taken from
    /// their accounts, newest first.
    #[oai(path = "/debts", method = "get", operation_id = "admin_debts")]
    async fn debts(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<DebtList>> {
        let mut tx = ctx.tx().await?;
        let items = refunds::debts(&mut tx, None).await?;
        tx.commit().await?;
        Ok(Json(DebtList { items }))
    }
}
