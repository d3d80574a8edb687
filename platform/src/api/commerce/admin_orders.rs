//! Orders and money for the marketplace's operators (`/admin/orders`, `/admin/ledger`):
//! every order, cancellations and refunds, the ledger's balances.

use crate::api::{ApiTags, Operator};
use crate::commerce::orders;
use crate::ctx::Ctx;
use krafto_api_types::commerce::{OrderAction, OrderPage, OrderView};
use krafto_core::commerce::OrderEvent;
use krafto_db::models::{Balance, OrderScope};
use krafto_web::ApiResult;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};

pub(super) struct AdminOrdersApi;

/// Every account balance of the marketplace's ledger.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub(crate) struct LedgerBalance {
    /// `clearing`, `tenant`, `platform` or `seller:<shop id>`.
    pub account: String,
    pub currency: String,
    /// Debits minus credits: negative means owed to the account holder.
    pub amount_minor: i64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub(crate) struct LedgerSummary {
    pub balances: Vec<LedgerBalance>,
    /// Gross merchandise value: everything buyers paid, refunds deducted.
    pub gmv_minor: i64,
    pub currency: String,
}

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl AdminOrdersApi {
    /// Every order of the marketplace, newest first.
    #[oai(path = "/orders", method = "get", operation_id = "admin_orders")]
    async fn orders(
        &self,
        ctx: Ctx<'_>,
        _op: Operator,
        status: Query<Option<String>>,
        cursor: Query<Option<String>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<OrderPage>> {
        let mut tx = ctx.tx().await?;
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
        ctx: Ctx<'_>,
        _op: Operator,
        number: Path<String>,
    ) -> ApiResult<Json<OrderView>> {
        let mut tx = ctx.tx().await?;
        let v = orders::operator_view(&mut tx, &number.0).await?;
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
        ctx: Ctx<'_>,
        op: Operator,
        number: Path<String>,
        body: Json<OrderAction>,
    ) -> ApiResult<Json<OrderView>> {
        operator_move(&ctx, &op, &number.0, OrderEvent::Cancel, &body).await
    }

    /// Refunds a shipped or delivered order in full (reason required).
    #[oai(
        path = "/orders/:number/refund",
        method = "post",
        operation_id = "admin_order_refund"
    )]
    async fn refund(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        number: Path<String>,
        body: Json<OrderAction>,
    ) -> ApiResult<Json<OrderView>> {
        operator_move(&ctx, &op, &number.0, OrderEvent::Refund, &body).await
    }

    /// The ledger's account balances and the marketplace's GMV.
    #[oai(path = "/ledger", method = "get", operation_id = "admin_ledger")]
    async fn ledger(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<LedgerSummary>> {
        let mut tx = ctx.tx().await?;
        let (gmv_minor, balances): (i64, Vec<Balance>) = orders::ledger_totals(&mut tx).await?;
        tx.commit().await?;
        Ok(Json(LedgerSummary {
            currency: ctx.tenant.currency.clone(),
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
    ctx: &Ctx<'_>,
    op: &Operator,
    number: &str,
    event: OrderEvent,
    action: &OrderAction,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        orders::apply_as_operator(
            ctx.state,
            ctx.tenant,
            Some(op.0.user_id),
            number,
            event,
            action.reason.as_deref(),
            action.tracking_number.as_deref(),
        )
        .await?,
    ))
}
