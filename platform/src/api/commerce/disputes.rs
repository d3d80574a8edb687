//! The operators' dispute queue (`/admin/disputes`): every dispute of the marketplace, those
//! awaiting an answer first, and the evidence sent to the bank through Stripe.

use crate::api::{ApiTags, Operator, operator_actor};
use crate::commerce::disputes;
use crate::ctx::Ctx;
use krafto_api_types::refunds::{DisputeEvidenceInput, DisputeList, DisputeView};
use krafto_web::ApiResult;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use uuid::Uuid;

pub(super) struct AdminDisputesApi;

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl AdminDisputesApi {
    /// The marketplace's disputes: those awaiting an answer first, soonest deadline first.
    #[oai(path = "/disputes", method = "get", operation_id = "admin_disputes")]
    async fn list(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<DisputeList>> {
        let mut tx = ctx.tx().await?;
        let items = disputes::list(&mut tx).await?;
        tx.commit().await?;
        Ok(Json(DisputeList { items }))
    }

    /// One dispute.
    #[oai(path = "/disputes/:id", method = "get", operation_id = "admin_dispute")]
    async fn one(
        &self,
        ctx: Ctx<'_>,
        _op: Operator,
        id: Path<Uuid>,
    ) -> ApiResult<Json<DisputeView>> {
        let mut tx = ctx.tx().await?;
        let v = disputes::one(&mut tx, id.0).await?;
        tx.commit().await?;
        Ok(Json(v))
    }

    /// Saves the evidence and sends it to Stripe: staged, or submitted to the bank with
    /// `submit: true` (final).
    #[oai(
        path = "/disputes/:id/evidence",
        method = "put",
        operation_id = "admin_dispute_evidence"
    )]
    async fn evidence(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<DisputeEvidenceInput>,
    ) -> ApiResult<Json<DisputeView>> {
        Ok(Json(
            disputes::submit_evidence(
                ctx.state,
                &ctx.tenant.scope(),
                id.0,
                &body,
                &operator_actor(&op.0),
                ctx.rid,
            )
            .await?,
        ))
    }
}
