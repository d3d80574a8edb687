//! `/admin/commissions`: the marketplace's commission overrides per shop and per category,
//! over [`crate::marketplace::commissions`].

use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::marketplace::commissions;
use krafto_api_types::commerce::{CommissionOverrideView, CommissionsView, SetCommission};
use krafto_web::ApiResult;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

pub(crate) struct CommissionsApi;

#[derive(ApiResponse)]
pub(crate) enum CommissionSet {
    /// The shop or category had no rate of its own: it has now.
    #[oai(status = 201)]
    Created(Json<CommissionOverrideView>),
    /// Its rate (and note) replaced.
    #[oai(status = 200)]
    Replaced(Json<CommissionOverrideView>),
}

#[derive(ApiResponse)]
pub(crate) enum CommissionRemoved {
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl CommissionsApi {
    /// The marketplace's commission rate, Krafto's fee and every override. A sold line pays
    /// its shop's rate if the shop has one, else its category's (or the nearest ancestor
    /// category's with one), else the marketplace's; the rate is frozen on the order line.
    #[oai(
        path = "/commissions",
        method = "get",
        operation_id = "admin_list_commissions"
    )]
    async fn list_commissions(
        &self,
        ctx: Ctx<'_>,
        _op: Operator,
    ) -> ApiResult<Json<CommissionsView>> {
        commissions::list(ctx.state, ctx.tenant).await.map(Json)
    }

    /// Sets the commission rate of one shop (`shop_id`) or one category (`category_id`):
    /// made if it has none, replaced if it has one. Sales already made keep their rates.
    #[oai(
        path = "/commissions",
        method = "put",
        operation_id = "admin_set_commission"
    )]
    async fn set_commission(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        body: Json<SetCommission>,
    ) -> ApiResult<CommissionSet> {
        let (view, created) = commissions::set(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            &body,
        )
        .await?;
        Ok(if created {
            CommissionSet::Created(Json(view))
        } else {
            CommissionSet::Replaced(Json(view))
        })
    }

    /// Removes an override: its lines pay the next rate of the rule from now on.
    #[oai(
        path = "/commissions/:id",
        method = "delete",
        operation_id = "admin_remove_commission"
    )]
    async fn remove_commission(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
    ) -> ApiResult<CommissionRemoved> {
        commissions::remove(ctx.state, ctx.tenant, ctx.rid, &operator_actor(&op.0), id.0).await?;
        Ok(CommissionRemoved::NoContent)
    }
}
