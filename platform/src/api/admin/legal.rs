//! `/admin/legal`: the marketplace's legal pages, over [`crate::marketplace::legal`].

use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::marketplace::legal;
use krafto_api_types::legal::{LegalPageUpdate, LegalPageView, LegalPages};
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;

pub(crate) struct LegalApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl LegalApi {
    /// The four legal pages (terms of sale, legal notice, privacy, contact), written or not.
    #[oai(path = "/legal", method = "get", operation_id = "admin_legal_pages")]
    async fn legal_pages(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<LegalPages>> {
        legal::pages(ctx.state, ctx.tenant).await.map(Json)
    }

    /// Writes a legal page (`terms`, `legal-notice`, `privacy` or `contact`); an empty text
    /// takes it down. At most 50,000 characters.
    #[oai(
        path = "/legal/:page",
        method = "put",
        operation_id = "admin_put_legal_page"
    )]
    async fn put_legal_page(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        page: Path<String>,
        body: Json<LegalPageUpdate>,
    ) -> ApiResult<Json<LegalPageView>> {
        let kind = legal::kind(&page)?;
        legal::save(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            kind,
            &body.body,
        )
        .await
        .map(Json)
    }
}
