//! The shop's payouts (`/seller/payouts`): Stripe onboarding, whether buyers can pay it, its
//! money from the ledger.

use crate::api::{ApiTags, Seller};
use crate::commerce::selling;
use crate::ctx::Ctx;
use krafto_api_types::commerce::{OnboardingLink, PayoutStatus, SellerBalance};
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::Query;
use poem_openapi::payload::Json;

pub(super) struct PayoutsApi;

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl PayoutsApi {
    /// Creates the shop's Stripe Express account (once) and returns a fresh onboarding link.
    /// In test mode the link leads to a test page of ours that completes the account.
    #[oai(
        path = "/payouts/onboarding",
        method = "post",
        operation_id = "seller_payouts_onboarding"
    )]
    async fn payouts_onboarding(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
        /// Where Stripe sends the seller back (default: the seller dashboard).
        return_url: Query<Option<String>>,
    ) -> ApiResult<Json<OnboardingLink>> {
        Ok(Json(
            selling::payouts_onboarding(ctx.state, ctx.tenant, &seller.0, return_url.0.as_deref())
                .await?,
        ))
    }

    /// Whether buyers can pay the shop: charges and payouts enabled, what Stripe still needs.
    #[oai(
        path = "/payouts/status",
        method = "get",
        operation_id = "seller_payouts_status"
    )]
    async fn payouts_status(&self, ctx: Ctx<'_>, seller: Seller) -> ApiResult<Json<PayoutStatus>> {
        Ok(Json(
            selling::payout_status(ctx.state, ctx.tenant, &seller.0).await?,
        ))
    }

    /// The shop's money from the ledger: earned, transferred, refunded, pending.
    #[oai(
        path = "/payouts/balance",
        method = "get",
        operation_id = "seller_payouts_balance"
    )]
    async fn payouts_balance(
        &self,
        ctx: Ctx<'_>,
        seller: Seller,
    ) -> ApiResult<Json<SellerBalance>> {
        Ok(Json(
            selling::payout_balance(ctx.state, ctx.tenant, &seller.0).await?,
        ))
    }
}
