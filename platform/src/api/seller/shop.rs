//! The seller's shop over HTTP: opening it, its profile, submitting it, the onboarding
//! checklist.

use crate::api::{ApiTags, UserAuth};
use crate::catalog::selling;
use crate::ctx::Ctx;
use krafto_api_types::catalog::{Onboarding, ShopInput, ShopOpened, ShopView};
use krafto_web::ApiResult;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

pub(crate) struct ShopApi;

#[derive(ApiResponse)]
pub(crate) enum ShopCreated {
    #[oai(status = 201)]
    Created(Json<ShopOpened>),
}

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl ShopApi {
    /// Opens the signed-in user's shop (one per user per marketplace). The answer carries a
    /// fresh token with the seller role.
    #[oai(path = "/shop", method = "post", operation_id = "seller_open_shop")]
    async fn open_shop(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: Json<ShopInput>,
    ) -> ApiResult<ShopCreated> {
        let opened = selling::open_shop(ctx.state, ctx.tenant, &auth.0, ctx.rid, &body).await?;
        Ok(ShopCreated::Created(Json(opened)))
    }

    #[oai(path = "/shop", method = "get", operation_id = "seller_get_shop")]
    async fn get_shop(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<Json<ShopView>> {
        Ok(Json(selling::shop(ctx.state, ctx.tenant, &auth.0).await?))
    }

    /// Replaces the shop's profile (the slug stays).
    #[oai(path = "/shop", method = "put", operation_id = "seller_update_shop")]
    async fn update_shop(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: Json<ShopInput>,
    ) -> ApiResult<Json<ShopView>> {
        Ok(Json(
            selling::update_shop(ctx.state, ctx.tenant, &auth.0, &body).await?,
        ))
    }

    /// Asks for the shop to go live: straight away, or after the operator's review when the
    /// marketplace requires it. The profile must be complete.
    #[oai(
        path = "/shop/submit",
        method = "post",
        operation_id = "seller_submit_shop"
    )]
    async fn submit_shop(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<Json<ShopView>> {
        Ok(Json(
            selling::submit_shop(ctx.state, ctx.tenant, &auth.0, ctx.rid).await?,
        ))
    }

    /// The seller's onboarding checklist, resumable at any time.
    #[oai(
        path = "/onboarding",
        method = "get",
        operation_id = "seller_onboarding"
    )]
    async fn onboarding(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<Json<Onboarding>> {
        Ok(Json(
            selling::onboarding(
                ctx.state,
                ctx.tenant,
                &auth.0,
                krafto_i18n::Locale::of_tag(&ctx.tenant.locale),
            )
            .await?,
        ))
    }
}
