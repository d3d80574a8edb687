//! `/admin/settings`: the marketplace's catalog rules and payout timing, over
//! [`crate::marketplace::settings`].

use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::marketplace::settings;
use krafto_api_types::catalog::{MarketplaceSettingsPatch, MarketplaceSettingsView};
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

pub(crate) struct SettingsApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl SettingsApi {
    #[oai(
        path = "/settings",
        method = "get",
        operation_id = "admin_get_settings"
    )]
    async fn get_settings(
        &self,
        ctx: Ctx<'_>,
        _op: Operator,
    ) -> ApiResult<Json<MarketplaceSettingsView>> {
        settings::settings(ctx.state, ctx.tenant).await.map(Json)
    }

    /// Changes the marketplace's rules: reviews, minimum photos, mandatory listing fields,
    /// and when sellers are paid (at payment, at shipping, or some days after delivery).
    #[oai(
        path = "/settings",
        method = "patch",
        operation_id = "admin_update_settings"
    )]
    async fn update_settings(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        body: Json<MarketplaceSettingsPatch>,
    ) -> ApiResult<Json<MarketplaceSettingsView>> {
        settings::update_settings(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            &body,
        )
        .await
        .map(Json)
    }
}
