//! The seller API: who is asking and in what shape; the rules are in
//! [`crate::catalog::selling`], shared with the seller dashboard pages.

use super::{ApiTags, UserAuth};
use crate::catalog::selling;
use crate::{AppState, CurrentTenant};
use krafto_api_types::CsvBody;
use krafto_api_types::catalog::{
    ImportReport, ListingInput, ListingPage, ListingPatch, ListingView, Onboarding, ShopInput,
    ShopOpened, ShopView, VerificationInput, VerificationView,
};
use krafto_core::catalog::ListingEvent;
use krafto_web::{ApiResult, RequestId};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

pub(crate) struct SellerApi;

#[derive(ApiResponse)]
pub(crate) enum ShopCreated {
    #[oai(status = 201)]
    Created(Json<ShopOpened>),
}

#[derive(ApiResponse)]
pub(crate) enum ListingCreated {
    #[oai(status = 201)]
    Created(Json<ListingView>),
}

#[derive(ApiResponse)]
pub(crate) enum VerificationSubmitted {
    #[oai(status = 201)]
    Created(Json<VerificationView>),
}

#[derive(ApiResponse)]
pub(crate) enum ListingDeleted {
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(prefix_path = "/seller", tag = "ApiTags::Seller")]
impl SellerApi {
    /// Opens the signed-in user's shop (one per user per marketplace). The answer carries a
    /// fresh token with the seller role.
    #[oai(path = "/shop", method = "post", operation_id = "seller_open_shop")]
    async fn open_shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        body: Json<ShopInput>,
    ) -> ApiResult<ShopCreated> {
        let opened = selling::open_shop(&state, &tenant, &auth.0, &rid, &body).await?;
        Ok(ShopCreated::Created(Json(opened)))
    }

    #[oai(path = "/shop", method = "get", operation_id = "seller_get_shop")]
    async fn get_shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<ShopView>> {
        Ok(Json(selling::shop(&state, &tenant, &auth.0).await?))
    }

    /// Replaces the shop's profile (the slug stays).
    #[oai(path = "/shop", method = "put", operation_id = "seller_update_shop")]
    async fn update_shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        body: Json<ShopInput>,
    ) -> ApiResult<Json<ShopView>> {
        Ok(Json(
            selling::update_shop(&state, &tenant, &auth.0, &body).await?,
        ))
    }

    /// Asks for the shop to go live: straight away, or after the operator's review when the
    /// marketplace requires it. The profile must be complete.
    #[oai(
        path = "/shop/submit",
        method = "post",
        operation_id = "seller_submit_shop"
    )]
    async fn submit_shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
    ) -> ApiResult<Json<ShopView>> {
        Ok(Json(
            selling::submit_shop(&state, &tenant, &auth.0, &rid).await?,
        ))
    }

    /// The seller's onboarding checklist, resumable at any time.
    #[oai(
        path = "/onboarding",
        method = "get",
        operation_id = "seller_onboarding"
    )]
    async fn onboarding(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<Onboarding>> {
        Ok(Json(selling::onboarding(&state, &tenant, &auth.0).await?))
    }

    /// Submits identity details for the marketplace to verify (the "verified" badge).
    #[oai(
        path = "/verification",
        method = "post",
        operation_id = "seller_submit_verification"
    )]
    async fn submit_verification(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        body: Json<VerificationInput>,
    ) -> ApiResult<VerificationSubmitted> {
        let v = selling::submit_verification(&state, &tenant, &auth.0, &rid, &body).await?;
        Ok(VerificationSubmitted::Created(Json(v)))
    }

    #[oai(
        path = "/verification",
        method = "get",
        operation_id = "seller_get_verification"
    )]
    async fn get_verification(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<VerificationView>> {
        Ok(Json(selling::verification(&state, &tenant, &auth.0).await?))
    }

    /// Creates a draft listing.
    #[oai(
        path = "/listings",
        method = "post",
        operation_id = "seller_create_listing"
    )]
    async fn create_listing(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        body: Json<ListingInput>,
    ) -> ApiResult<ListingCreated> {
        let view = selling::create_listing(&state, &tenant, &auth.0, &body).await?;
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        status: Query<Option<String>>,
        cursor: Query<Option<Uuid>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<ListingPage>> {
        Ok(Json(
            selling::listings(
                &state,
                &tenant,
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::listing(&state, &tenant, &auth.0, id.0).await?,
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<ListingPatch>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::update_listing(&state, &tenant, &auth.0, id.0, &body).await?,
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<ListingDeleted> {
        selling::delete_listing(&state, &tenant, &auth.0, id.0).await?;
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::publish(&state, &tenant, &auth.0, &rid, id.0).await?,
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::step(&state, &tenant, &auth.0, id.0, ListingEvent::Archive).await?,
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        Ok(Json(
            selling::step(&state, &tenant, &auth.0, id.0, ListingEvent::Restore).await?,
        ))
    }

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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        body: CsvBody,
    ) -> ApiResult<Json<ImportReport>> {
        Ok(Json(
            selling::import(&state, &tenant, &auth.0, &rid, &body.0).await?,
        ))
    }
}
