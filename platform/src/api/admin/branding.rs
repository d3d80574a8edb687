//! `/admin/branding`: the marketplace's look on its storefront, over
//! [`crate::marketplace::branding`].

use crate::api::seller::photos::{ImageUpload, image_of};
use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::marketplace::branding;
use krafto_api_types::Branding;
use krafto_api_types::control::BrandingPatch;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

pub(crate) struct BrandingApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl BrandingApi {
    /// The marketplace's look on its storefront: name, colours, logo and tagline.
    #[oai(
        path = "/branding",
        method = "get",
        operation_id = "admin_get_branding"
    )]
    async fn get_branding(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<Branding>> {
        Ok(Json(krafto_web::views::branding(ctx.tenant)))
    }

    /// Restyles the marketplace: `#rrggbb` colours, an http(s) logo URL (`null` removes
    /// it), a name of 1–120 and a tagline of at most 200 characters (`null` removes it).
    /// The storefront shows the change at once.
    #[oai(
        path = "/branding",
        method = "patch",
        operation_id = "admin_update_branding"
    )]
    async fn update_branding(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        body: Json<BrandingPatch>,
    ) -> ApiResult<Json<Branding>> {
        branding::update_branding(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            &body,
        )
        .await
        .map(Json)
    }

    /// Uploads the marketplace's logo (`multipart/form-data`, the file as `image`): checked
    /// (413 too large, 415 not a picture, 422 unreadable or too many pixels), re-encoded
    /// without its metadata, stored in up to three widths, and shown in the storefront's
    /// header instead of `logo_url`. It replaces the previous logo; a refused file changes
    /// nothing.
    #[oai(
        path = "/branding/logo",
        method = "post",
        operation_id = "admin_upload_logo"
    )]
    async fn upload_logo(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        body: ImageUpload,
    ) -> ApiResult<Json<Branding>> {
        let bytes = image_of(body.image, ctx.state.media.limits.max_bytes).await?;
        branding::set_logo(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            "image",
            bytes,
        )
        .await
        .map(Json)
    }

    /// Removes the marketplace's uploaded logo (the logo URL, if any, shows again).
    #[oai(
        path = "/branding/logo",
        method = "delete",
        operation_id = "admin_delete_logo"
    )]
    async fn delete_logo(&self, ctx: Ctx<'_>, op: Operator) -> ApiResult<Json<Branding>> {
        branding::remove_logo(ctx.state, ctx.tenant, ctx.rid, &operator_actor(&op.0))
            .await
            .map(Json)
    }
}
