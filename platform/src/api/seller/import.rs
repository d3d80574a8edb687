//! Importing listings from CSV over HTTP.

use crate::api::{ApiTags, UserAuth};
use crate::catalog::selling;
use crate::ctx::Ctx;
use krafto_api_types::CsvBody;
use krafto_api_types::catalog::ImportReport;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

pub(crate) struct ImportApi;

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl ImportApi {
    /// Imports listings from CSV (`text/csv`, header row first; columns: title, price,
    /// description, quantity, category (slug), tags and materials (`|`-separated),
    /// length_mm, width_mm, height_mm, weight_g, processing_days, style, photo_urls and
    /// photo_alts (`|`-separated)). Valid rows become drafts; the report covers every line.
    #[oai(
        path = "/listings/import",
        method = "post",
        operation_id = "seller_import_listings"
    )]
    async fn import(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: CsvBody,
    ) -> ApiResult<Json<ImportReport>> {
        Ok(Json(
            selling::import(ctx.state, ctx.tenant, &auth.0, ctx.rid, &body.0).await?,
        ))
    }
}
