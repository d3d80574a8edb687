//! The seller's shop over HTTP: opening it, its profile, its uploaded logo and banner,
//! submitting it, the onboarding checklist.

use crate::api::seller::photos::{ImageUpload, image_of};
use crate::api::{ApiTags, UserAuth};
use crate::catalog::selling;
use crate::ctx::Ctx;
use krafto_api_types::catalog::{Onboarding, ShopInput, ShopOpened, ShopView};
use krafto_db::models::ShopImage;
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

    /// Uploads the shop's logo (`multipart/form-data`, the file as `image`): checked (413 too
    /// large, 415 not a picture, 422 unreadable or too many pixels), re-encoded without its
    /// metadata, stored in up to three widths, and shown instead of `profile_image_url`. It
    /// replaces the previous logo; a refused file changes nothing.
    #[oai(
        path = "/shop/logo",
        method = "post",
        operation_id = "seller_upload_shop_logo"
    )]
    async fn upload_logo(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: ImageUpload,
    ) -> ApiResult<Json<ShopView>> {
        upload(&ctx, &auth, body, ShopImage::Logo).await
    }

    /// Removes the shop's uploaded logo.
    #[oai(
        path = "/shop/logo",
        method = "delete",
        operation_id = "seller_delete_shop_logo"
    )]
    async fn delete_logo(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<Json<ShopView>> {
        Ok(Json(
            selling::remove_shop_image(ctx.state, ctx.tenant, &auth.0, ctx.rid, ShopImage::Logo)
                .await?,
        ))
    }

    /// Uploads the shop's banner (`multipart/form-data`, the file as `image`), checked and
    /// stored like the logo, and shown instead of `banner_url`.
    #[oai(
        path = "/shop/banner",
        method = "post",
        operation_id = "seller_upload_shop_banner"
    )]
    async fn upload_banner(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: ImageUpload,
    ) -> ApiResult<Json<ShopView>> {
        upload(&ctx, &auth, body, ShopImage::Banner).await
    }

    /// Removes the shop's uploaded banner.
    #[oai(
        path = "/shop/banner",
        method = "delete",
        operation_id = "seller_delete_shop_banner"
    )]
    async fn delete_banner(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<Json<ShopView>> {
        Ok(Json(
            selling::remove_shop_image(ctx.state, ctx.tenant, &auth.0, ctx.rid, ShopImage::Banner)
                .await?,
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

/// Sets the shop's logo or banner from the uploaded `image` part.
async fn upload(
    ctx: &Ctx<'_>,
    auth: &UserAuth,
    body: ImageUpload,
    which: ShopImage,
) -> ApiResult<Json<ShopView>> {
    let bytes = image_of(body.image, ctx.state.media.limits.max_bytes).await?;
    selling::set_shop_image(
        ctx.state, ctx.tenant, &auth.0, ctx.rid, which, "image", bytes,
    )
    .await
    .map(Json)
}
