//! `/admin/rate-limits`: the requests this marketplace refused for going over a rate limit,
//! over [`crate::ratelimit::report`].

use crate::api::{ApiTags, Operator};
use crate::ctx::Ctx;
use krafto_api_types::store::RateLimitReport;
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::payload::Json;

pub(crate) struct RateLimitsApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl RateLimitsApi {
    /// Requests refused by each rate limit over the last 24 hours, with the limits in force.
    #[oai(
        path = "/rate-limits",
        method = "get",
        operation_id = "admin_rate_limits"
    )]
    async fn rate_limits(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<RateLimitReport>> {
        Ok(Json(crate::ratelimit::report(ctx.state, ctx.tenant).await))
    }
}
