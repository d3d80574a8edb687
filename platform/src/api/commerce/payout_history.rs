//! Payout history over HTTP: the seller's Stripe payouts with what each contains
//! (`/seller/payouts/history`, and as CSV), and a shop's history for operators
//! (`/admin/payouts`). `crate::commerce::payout_history` does the work.

use crate::api::{ApiTags, Operator, Seller};
use crate::commerce::payout_history;
use crate::ctx::Ctx;
use krafto_api_types::commerce::PayoutHistoryPage;
use krafto_web::ApiResult;
use poem_openapi::param::Query;
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

/// A CSV download.
#[derive(ApiResponse)]
pub(crate) enum CsvFile {
    /// One row per movement: date, payout, kind, order number, amount, currency (headers
    /// in the marketplace's language).
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(
        PlainText<String>,
        #[oai(header = "content-disposition")] String,
    ),
}

pub(super) struct SellerPayoutHistoryApi;

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl SellerPayoutHistoryApi {
    /// The shop's Stripe payouts to its bank, newest first, each with the sales, refunds,
    /// debts withheld and commissions it contains (the transfers since the previous paid
    /// payout: an approximation of Stripe's balance transactions).
    #[oai(
        path = "/payouts/history",
        method = "get",
        operation_id = "seller_payout_history"
    )]
    async fn history(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        /// Page number, from 1.
        page: Query<Option<i64>>,
        /// Payouts per page (1 to 100, default 20).
        per_page: Query<Option<i64>>,
    ) -> ApiResult<Json<PayoutHistoryPage>> {
        Ok(Json(
            payout_history::of_seller(ctx.state, ctx.tenant, &seller.0, page.0, per_page.0).await?,
        ))
    }

    /// The shop's recent payout history (up to 100 payouts) as CSV.
    #[oai(
        path = "/payouts/history.csv",
        method = "get",
        operation_id = "seller_payout_history_csv"
    )]
    async fn history_csv(&self, ctx: Ctx<'_>, seller: Seller) -> ApiResult<CsvFile> {
        let text = payout_history::csv_of_seller(ctx.state, ctx.tenant, &seller.0).await?;
        Ok(CsvFile::Ok(
            PlainText(text),
            "attachment; filename=\"payouts.csv\"".to_owned(),
        ))
    }
}

pub(super) struct AdminPayoutsApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl AdminPayoutsApi {
    /// The sellers' Stripe payouts, newest first, of one shop (`shop`) or of every shop,
    /// each with what it contains.
    #[oai(path = "/payouts", method = "get", operation_id = "admin_payouts")]
    async fn payouts(
        &self,
        ctx: Ctx<'_>,
        _op: Operator,
        /// The shop's id.
        shop: Query<Option<Uuid>>,
        /// Page number, from 1.
        page: Query<Option<i64>>,
        /// Payouts per page (1 to 100, default 20).
        per_page: Query<Option<i64>>,
    ) -> ApiResult<Json<PayoutHistoryPage>> {
        let mut tx = ctx.tx().await?;
        let h = payout_history::history(&mut tx, shop.0, page.0, per_page.0).await?;
        tx.commit().await?;
        Ok(Json(h))
    }
}
