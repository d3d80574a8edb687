use super::{ApiTags, UserAuth};
use crate::catalog::{announce, listing_view, map_listing_lookup, moved, record, shop_view};
use crate::{AppState, CurrentTenant};
use krafto_api_types::catalog::{
    ListingView, MarketplaceSettingsPatch, MarketplaceSettingsView, Reason, ReportDecision,
    ReportOutcome, ReportView, ReviewItem, ReviewKind, ReviewQueue, ShopView, VerificationView,
};
use krafto_api_types::control::BrandingPatch;
use krafto_api_types::{Branding, Code};
use krafto_core::catalog::{ListingEvent, ListingStatus, REQUIRABLE_FIELDS, ShopEvent, ShopStatus};
use krafto_core::text::bounded_text;
use krafto_core::{FieldError, Problems, Role};
use krafto_db::TenantTx;
use krafto_db::models::{
    Actor, Listing, ListingVariant, MarketplaceSettings, Report, Shop, ShopVerification, Tenant,
    TenantChanges,
};
use krafto_search::sync::SyncTarget;
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::http::StatusCode;
use poem::web::Data;
use poem_openapi::OpenApi;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use serde_json::json;
use uuid::Uuid;

pub(crate) struct ModerationApi;

fn operator(auth: &UserAuth) -> ApiResult<Actor> {
    Ok(super::operator_actor(auth.require(&[Role::Operator])?))
}

/// A decision's reason (required, at most 1000 characters).
pub(crate) fn reason(r: &Reason) -> ApiResult<String> {
    bounded_text(&r.reason, 1000).map_err(|e| ApiError::field(e.at("reason")))
}

async fn locked_shop(tx: &mut TenantTx, id: Uuid) -> ApiResult<Shop> {
    Shop::find_for_update(tx, id).await.map_err(|e| {
        if e.is_not_found() {
            ApiError::not_found(Code::ShopNotFound, format!("no shop {id} here"))
        } else {
            e.into()
        }
    })
}

pub(crate) fn report_view(r: Report) -> ReportView {
    ReportView {
        id: r.id,
        target_kind: r.target_kind,
        target_id: r.target_id,
        reason: r.reason,
        details: r.details,
        status: r.status,
        resolution: r.resolution,
        created_at: r.created_at,
        resolved_at: r.resolved_at,
    }
}

fn settings_view(s: MarketplaceSettings) -> MarketplaceSettingsView {
    MarketplaceSettingsView {
        shop_review_required: s.shop_review_required,
        listing_review_required: s.listing_review_required,
        min_photos: s.min_photos,
        required_listing_fields: s.required_listing_fields,
    }
}

const QUEUE_LIMIT: i64 = 200;

/// Everything waiting for an operator's decision, oldest first in each kind.
pub(crate) struct Pending {
    pub shops: Vec<Shop>,
    pub listings: Vec<Listing>,
    pub verifications: Vec<ShopVerification>,
    pub reports: Vec<Report>,
}

pub(crate) async fn pending(state: &AppState, tenant: &CurrentTenant) -> ApiResult<Pending> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shops = Shop::pending_review(&mut tx, QUEUE_LIMIT).await?;
    let listings = Listing::pending_review(&mut tx, QUEUE_LIMIT).await?;
    let verifications = ShopVerification::pending(&mut tx, QUEUE_LIMIT).await?;
    let reports = Report::open(&mut tx, QUEUE_LIMIT).await?;
    tx.commit().await?;
    Ok(Pending {
        shops,
        listings,
        verifications,
        reports,
    })
}

fn review_items(p: Pending) -> ReviewQueue {
    let Pending {
        shops,
        listings,
        verifications,
        reports,
    } = p;
    let mut items: Vec<ReviewItem> = Vec::new();
    items.extend(shops.into_iter().map(|s| ReviewItem {
        kind: ReviewKind::Shop,
        id: s.id,
        title: s.name,
        shop_id: Some(s.id),
        detail: s.city,
        waiting_since: s.updated_at,
    }));
    items.extend(listings.into_iter().map(|l| ReviewItem {
        kind: ReviewKind::Listing,
        id: l.id,
        title: l.title,
        shop_id: Some(l.shop_id),
        detail: Some(format!("{} {}", l.price_minor, l.currency)),
        waiting_since: l.updated_at,
    }));
    items.extend(verifications.into_iter().map(|v| ReviewItem {
        kind: ReviewKind::Verification,
        id: v.id,
        title: v.legal_name,
        shop_id: Some(v.shop_id),
        detail: Some(v.business_type),
        waiting_since: v.submitted_at,
    }));
    items.extend(reports.into_iter().map(|r| ReviewItem {
        kind: ReviewKind::Report,
        id: r.id,
        title: r.reason,
        shop_id: None,
        detail: Some(format!("{} {}", r.target_kind, r.target_id)),
        waiting_since: r.created_at,
    }));
    items.sort_by_key(|i| i.waiting_since);
    ReviewQueue { items }
}

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl ModerationApi {
    /// Everything waiting for a decision: shops and listings to review, verifications, open
    /// reports; oldest first.
    #[oai(
        path = "/review-queue",
        method = "get",
        operation_id = "admin_review_queue"
    )]
    async fn review_queue(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<ReviewQueue>> {
        operator(&auth)?;
        Ok(Json(review_items(pending(&state, &tenant).await?)))
    }

    #[oai(
        path = "/shops/:id/approve",
        method = "post",
        operation_id = "admin_approve_shop"
    )]
    async fn approve_shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ShopView>> {
        shop_move(
            &state,
            &tenant,
            &rid,
            &operator(&auth)?,
            id.0,
            ShopEvent::Approve,
            None,
            "shop.approved",
        )
        .await
        .map(Json)
    }

    /// Sends a shop back to its seller with a reason.
    #[oai(
        path = "/shops/:id/reject",
        method = "post",
        operation_id = "admin_reject_shop"
    )]
    async fn reject_shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<Reason>,
    ) -> ApiResult<Json<ShopView>> {
        let r = reason(&body)?;
        shop_move(
            &state,
            &tenant,
            &rid,
            &operator(&auth)?,
            id.0,
            ShopEvent::Reject,
            Some(r),
            "shop.rejected",
        )
        .await
        .map(Json)
    }

    /// Takes a shop and all its listings off the marketplace at once.
    #[oai(
        path = "/shops/:id/suspend",
        method = "post",
        operation_id = "admin_suspend_shop"
    )]
    async fn suspend_shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<Reason>,
    ) -> ApiResult<Json<ShopView>> {
        let r = reason(&body)?;
        shop_move(
            &state,
            &tenant,
            &rid,
            &operator(&auth)?,
            id.0,
            ShopEvent::Suspend,
            Some(r),
            "shop.suspended",
        )
        .await
        .map(Json)
    }

    #[oai(
        path = "/shops/:id/reinstate",
        method = "post",
        operation_id = "admin_reinstate_shop"
    )]
    async fn reinstate_shop(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ShopView>> {
        shop_move(
            &state,
            &tenant,
            &rid,
            &operator(&auth)?,
            id.0,
            ShopEvent::Reinstate,
            None,
            "shop.reinstated",
        )
        .await
        .map(Json)
    }

    #[oai(
        path = "/listings/:id/approve",
        method = "post",
        operation_id = "admin_approve_listing"
    )]
    async fn approve_listing(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<ListingView>> {
        listing_move(
            &state,
            &tenant,
            &rid,
            &operator(&auth)?,
            id.0,
            None,
            "listing.approved",
        )
        .await
        .map(Json)
    }

    #[oai(
        path = "/listings/:id/reject",
        method = "post",
        operation_id = "admin_reject_listing"
    )]
    async fn reject_listing(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<Reason>,
    ) -> ApiResult<Json<ListingView>> {
        let r = reason(&body)?;
        listing_move(
            &state,
            &tenant,
            &rid,
            &operator(&auth)?,
            id.0,
            Some(r),
            "listing.rejected",
        )
        .await
        .map(Json)
    }

    /// Approves a seller's identity: the shop gets the "verified" badge.
    #[oai(
        path = "/verifications/:id/approve",
        method = "post",
        operation_id = "admin_approve_verification"
    )]
    async fn approve_verification(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<VerificationView>> {
        decide_verification(&state, &tenant, &rid, &operator(&auth)?, id.0, None)
            .await
            .map(Json)
    }

    #[oai(
        path = "/verifications/:id/reject",
        method = "post",
        operation_id = "admin_reject_verification"
    )]
    async fn reject_verification(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<Reason>,
    ) -> ApiResult<Json<VerificationView>> {
        let r = reason(&body)?;
        decide_verification(&state, &tenant, &rid, &operator(&auth)?, id.0, Some(r))
            .await
            .map(Json)
    }

    /// Open reports, oldest first.
    #[oai(path = "/reports", method = "get", operation_id = "admin_list_reports")]
    async fn reports(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<Vec<ReportView>>> {
        operator(&auth)?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let rows = Report::open(&mut tx, QUEUE_LIMIT).await?;
        tx.commit().await?;
        Ok(Json(rows.into_iter().map(report_view).collect()))
    }

    /// Closes a report: resolved (action taken) or dismissed.
    #[oai(
        path = "/reports/:id/resolve",
        method = "post",
        operation_id = "admin_resolve_report"
    )]
    async fn resolve_report(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<ReportDecision>,
    ) -> ApiResult<Json<ReportView>> {
        resolve_report(&state, &tenant, &rid, &operator(&auth)?, id.0, &body)
            .await
            .map(Json)
    }

    #[oai(
        path = "/settings",
        method = "get",
        operation_id = "admin_get_settings"
    )]
    async fn get_settings(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<MarketplaceSettingsView>> {
        operator(&auth)?;
        settings(&state, &tenant).await.map(Json)
    }

    /// Changes the catalog rules: reviews, minimum photos, mandatory listing fields.
    #[oai(
        path = "/settings",
        method = "patch",
        operation_id = "admin_update_settings"
    )]
    async fn update_settings(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        body: Json<MarketplaceSettingsPatch>,
    ) -> ApiResult<Json<MarketplaceSettingsView>> {
        update_settings(&state, &tenant, &rid, &operator(&auth)?, &body)
            .await
            .map(Json)
    }

    /// The marketplace's look on its storefront: name, colours, logo and tagline.
    #[oai(
        path = "/branding",
        method = "get",
        operation_id = "admin_get_branding"
    )]
    async fn get_branding(
        &self,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<Branding>> {
        operator(&auth)?;
        Ok(Json(krafto_web::views::branding(&tenant)))
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
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        rid: Data<&RequestId>,
        auth: UserAuth,
        body: Json<BrandingPatch>,
    ) -> ApiResult<Json<Branding>> {
        update_branding(&state, &tenant, &rid, &operator(&auth)?, &body)
            .await
            .map(Json)
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "one shared body for four endpoints and the console"
)]
/// Moves a shop through its state machine (approve, reject, suspend, reinstate),
/// re-indexes it and records who did it and why.
pub(crate) async fn shop_move(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    id: Uuid,
    event: ShopEvent,
    why: Option<String>,
    action: &str,
) -> ApiResult<ShopView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = locked_shop(&mut tx, id).await?;
    let from = ShopStatus::parse(&shop.status).map_err(|e| ApiError::internal(&e))?;
    let to = moved(from.transition(event))?;
    let shop = Shop::set_status(&mut tx, id, to.as_str(), why.as_deref()).await?;
    announce(state, &mut tx, SyncTarget::Shop(id)).await?;
    record(
        &mut tx,
        actor,
        action,
        format!("shop:{id}"),
        json!({ "from": from.as_str(), "to": to.as_str(), "reason": why }),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(shop_view(shop))
}

/// Approves a listing awaiting review, or (with a reason) rejects it.
pub(crate) async fn listing_move(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    id: Uuid,
    why: Option<String>,
    action: &str,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let l = Listing::find_for_update(&mut tx, id)
        .await
        .map_err(map_listing_lookup(id))?;
    let from = ListingStatus::parse(&l.status).map_err(|e| ApiError::internal(&e))?;
    let event = if why.is_some() {
        ListingEvent::Reject
    } else {
        ListingEvent::Approve {
            in_stock: l.quantity > 0,
        }
    };
    let to = moved(from.transition(event))?;
    let l = Listing::set_status(&mut tx, id, to.as_str(), why.as_deref()).await?;
    announce(state, &mut tx, SyncTarget::Listing(id)).await?;
    record(
        &mut tx,
        actor,
        action,
        format!("listing:{id}"),
        json!({ "from": from.as_str(), "to": to.as_str(), "reason": why }),
        rid,
    )
    .await?;
    let variants = ListingVariant::of_listing(&mut tx, id).await?;
    tx.commit().await?;
    Ok(listing_view(l, variants))
}

/// Approves a seller's identity (the shop gets the badge) or, with a reason, rejects it.
pub(crate) async fn decide_verification(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    id: Uuid,
    why: Option<String>,
) -> ApiResult<VerificationView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let v = ShopVerification::find_for_update(&mut tx, id)
        .await
        .map_err(|e| {
            if e.is_not_found() {
                ApiError::not_found(
                    Code::VerificationNotFound,
                    format!("no verification {id} here"),
                )
            } else {
                e.into()
            }
        })?;
    if v.status != "submitted" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::InvalidTransition,
            format!("this verification was already {}", v.status),
        ));
    }
    let status = if why.is_some() {
        "rejected"
    } else {
        "approved"
    };
    let v = ShopVerification::decide(
        &mut tx,
        id,
        status,
        why.as_deref(),
        actor.id.unwrap_or_default(),
    )
    .await?;
    Shop::set_verified(&mut tx, v.shop_id, status == "approved").await?;
    announce(state, &mut tx, SyncTarget::Shop(v.shop_id)).await?;
    record(
        &mut tx,
        actor,
        &format!("verification.{status}"),
        format!("shop:{}", v.shop_id),
        json!({ "reason": why }),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(VerificationView {
        id: v.id,
        shop_id: v.shop_id,
        status: v.status,
        legal_name: v.legal_name,
        business_type: v.business_type,
        submitted_at: v.submitted_at,
        decided_at: v.decided_at,
        decision_reason: v.decision_reason,
    })
}

/// Closes an open report: resolved (action taken) or dismissed, with a note.
pub(crate) async fn resolve_report(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    id: Uuid,
    body: &ReportDecision,
) -> ApiResult<ReportView> {
    let resolution =
        bounded_text(&body.resolution, 1000).map_err(|e| ApiError::field(e.at("resolution")))?;
    let status = match body.outcome {
        ReportOutcome::Resolved => "resolved",
        ReportOutcome::Dismissed => "dismissed",
    };
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let r = Report::close(
        &mut tx,
        id,
        status,
        &resolution,
        actor.id.unwrap_or_default(),
    )
    .await?
    .ok_or_else(|| ApiError::not_found(Code::ReportNotFound, "no open report with this id"))?;
    record(
        &mut tx,
        actor,
        &format!("report.{status}"),
        format!("report:{}", r.id),
        json!({ "resolution": resolution }),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(report_view(r))
}

/// The marketplace's catalog rules.
pub(crate) async fn settings(
    state: &AppState,
    tenant: &CurrentTenant,
) -> ApiResult<MarketplaceSettingsView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let s = MarketplaceSettings::get(&mut tx).await?;
    tx.commit().await?;
    Ok(settings_view(s))
}

/// Changes the catalog rules (reviews, minimum photos, mandatory listing fields); every
/// invalid field is named and nothing is written.
pub(crate) async fn update_settings(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    body: &MarketplaceSettingsPatch,
) -> ApiResult<MarketplaceSettingsView> {
    let mut problems = Vec::new();
    if body.min_photos.is_some_and(|n| !(0..=20).contains(&n)) {
        problems.push(FieldError::new("min_photos", "must be between 0 and 20"));
    }
    if let Some(fields) = &body.required_listing_fields {
        for f in fields {
            if !REQUIRABLE_FIELDS.contains(&f.as_str()) {
                problems.push(FieldError::new(
                    "required_listing_fields",
                    format!(
                        "unknown field `{f}` (one of {})",
                        REQUIRABLE_FIELDS.join(", ")
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let mut s = MarketplaceSettings::get(&mut tx).await?;
    let before = settings_view(s.clone());
    if let Some(v) = body.shop_review_required {
        s.shop_review_required = v;
    }
    if let Some(v) = body.listing_review_required {
        s.listing_review_required = v;
    }
    if let Some(v) = body.min_photos {
        s.min_photos = v;
    }
    if let Some(v) = &body.required_listing_fields {
        let mut fields = v.clone();
        fields.sort();
        fields.dedup();
        s.required_listing_fields = fields;
    }
    s.updated_at = chrono::Utc::now();
    let s = MarketplaceSettings::save(&mut tx, &s).await?;
    let after = settings_view(s.clone());
    record(
            &mut tx,
            actor,
            "settings.updated",
            "settings".to_owned(),
            json!({ "from": [before.shop_review_required, before.listing_review_required, before.min_photos, before.required_listing_fields], "to": [after.shop_review_required, after.listing_review_required, after.min_photos, after.required_listing_fields] }),
            rid,
        )
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Restyles the marketplace (the same branding rules as the control plane), records the
/// change, and drops every instance's cached view of the tenant so the storefront shows it
/// on the next request.
pub(crate) async fn update_branding(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    patch: &BrandingPatch,
) -> ApiResult<Branding> {
    let mut p = Problems::new();
    let mut changes = TenantChanges::default();
    krafto_web::views::branding_changes(patch, "", &mut p, &mut changes);
    p.finish().map_err(ApiError::validation)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    // `tenants` has no row-level security: the update names this marketplace's row only.
    let before = Tenant::find_for_update(&mut tx, tenant.id).await?;
    let after = Tenant::update(&mut tx, tenant.id, changes).await?;
    let (from, to) = (
        krafto_web::views::branding(&before),
        krafto_web::views::branding(&after),
    );
    record(
        &mut tx,
        actor,
        "branding.updated",
        "branding".to_owned(),
        json!({ "from": from, "to": to }),
        rid,
    )
    .await?;
    tx.commit().await?;
    state.tenant_changed(tenant.id).await;
    Ok(to)
}
