//! `/admin/review-queue`: everything waiting for an operator, over
//! [`crate::moderation::review`].

use crate::api::{ApiTags, Operator};
use crate::ctx::Ctx;
use crate::moderation::review;
use krafto_api_types::catalog::ReviewQueue;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

pub(crate) struct QueueApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl QueueApi {
    /// Everything waiting for a decision: shops and listings to review, verifications, open
    /// reports; oldest first.
    #[oai(
        path = "/review-queue",
        method = "get",
        operation_id = "admin_review_queue"
    )]
    async fn review_queue(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<ReviewQueue>> {
        Ok(Json(review::review_items(
            review::pending(ctx.state, ctx.tenant).await?,
        )))
    }
}
