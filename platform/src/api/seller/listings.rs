//! The shop's listings over HTTP: drafts, changes, publishing, archiving, deleting.

use crate::api::{ApiTags, UserAuth};
use crate::catalog::selling;
use crate::ctx::Ctx;
use krafto_api_types::catalog::{ListingInput, ListingPage, ListingPatch, ListingView};
use krafto_core::catalog::ListingEvent;
use krafto_web::ApiResult;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

pub(crate) struct ListingsApi;

#[derive(ApiResponse)]
pub(crate) enum ListingCreated {
    #[oai(status = 201)]
    Created(Json<ListingView>),
}

#[derive(ApiResponse)]
pub(crate) enum ListingDeleted {
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl ListingsApi {
    /// Creates a draft listing.
    #[oai(
        path = "/listings",
        method = "post",
        operation_id = "seller_create_listing"
    )]
    async fn create_listing(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: Json<ListingInput>,
    ) -> ApiResult<ListingCreated> {
        let view = selling::create_listing(ctx.state, ctx.tenant, &auth.0, &body).await?;
        Ok(ListingCreated::Created(Json(view)))
    }

    /// The shop's listings, newest first.
    #[oai(
        path = "/listings",
        method = "get",
        operation_id = "seller_list_listings"
    )]
    async fn list_listings(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        status: Query<Option<String>>,
        cursor: Query<Option<Uuid>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<ListingPage>> {
        Ok(Json(
            selling::listings(
                ctx.state,
                ctx.tenant,
                &auth.0,
                status.0.as_deref(),
                cursor.0,
                limit.0,
            )
            .await?,
        ))
    }

    #[oai(
        path = "/listings/:id",
        method = "get",
        operation_id = "seller_get_listing"
    )]
    async fn get_listing(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::listing(ctx.state, ctx.tenant, &auth.0, id.0).await?,
        ))
    }

    /// Changes a listing. Live listings stay live, moving between active and out of stock
    /// with their stock.
    #[oai(
        path = "/listings/:id",
        method = "patch",
        operation_id = "seller_update_listing"
    )]
    async fn update_listing(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<ListingPatch>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::update_listing(ctx.state, ctx.tenant, &auth.0, id.0, &body).await?,
        ))
    }

    /// Deletes a listing that never sold: drafts, rejected and archived ones. Live listings
    /// are archived instead.
    #[oai(
        path = "/listings/:id",
        method = "delete",
        operation_id = "seller_delete_listing"
    )]
    async fn delete_listing(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<ListingDeleted> {
        selling::delete_listing(ctx.state, ctx.tenant, &auth.0, id.0).await?;
        Ok(ListingDeleted::NoContent)
    }

    /// Publishes a draft (or a rejected listing, after changes): live at once, or into the
    /// operator's review queue when the marketplace reviews listings. Refused with a 422
    /// naming every field the marketplace requires and the listing lacks.
    #[oai(
        path = "/listings/:id/publish",
        method = "post",
        operation_id = "seller_publish_listing"
    )]
    async fn publish(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::publish(ctx.state, ctx.tenant, &auth.0, ctx.rid, id.0).await?,
        ))
    }

    /// Takes a listing off sale (it can be restored as a draft).
    #[oai(
        path = "/listings/:id/archive",
        method = "post",
        operation_id = "seller_archive_listing"
    )]
    async fn archive(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::step(ctx.state, ctx.tenant, &auth.0, id.0, ListingEvent::Archive).await?,
        ))
    }

    /// Brings an archived listing back as a draft.
    #[oai(
        path = "/listings/:id/restore",
        method = "post",
        operation_id = "seller_restore_listing"
    )]
    async fn restore(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::step(ctx.state, ctx.tenant, &auth.0, id.0, ListingEvent::Restore).await?,
        ))
    }
}
