//! Reviews: what waits for an operator, and the decisions on shops, listings and seller
//! verifications (state-machine moves, re-indexing, the audit record).

use super::QUEUE_LIMIT;
use crate::catalog::{announce, listing_view, map_listing_lookup, moved, record, shop_view};
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::catalog::{
    ListingView, Reason, ReviewItem, ReviewKind, ReviewQueue, ShopView, VerificationView,
};
use krafto_core::catalog::{ListingEvent, ShopEvent, ShopStatus, VerificationStatus};
use krafto_core::text::bounded_text;
use krafto_db::TenantTx;
use krafto_db::models::{Actor, Listing, ListingVariant, Report, Shop, ShopVerification};
use krafto_search::sync::SyncTarget;
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::http::StatusCode;
use serde_json::json;
use uuid::Uuid;

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

/// What a decision tells the seller.
enum Decision<'a> {
    ShopOpened,
    ShopRefused(&'a str),
    ShopSuspended(&'a str),
    ListingLive(&'a str),
    ListingRefused(&'a str, &'a str),
    Verified,
    VerificationRefused(&'a str),
}

/// E-mails the owner of `shop` about a decision on their shop, a listing or their
/// verification, in the marketplace's language, in the decision's transaction.
async fn tell_seller(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &CurrentTenant,
    shop: &Shop,
    decision: Decision<'_>,
) -> ApiResult<()> {
    let owner = krafto_db::models::User::find(tx, shop.owner_id).await?;
    let locale = krafto_i18n::Locale::of_tag(&tenant.locale);
    let base = state.storefront(&state.tenant_host(tenant));
    let (name, market) = (shop.name.as_str(), tenant.display_name.as_str());
    let args = |extra: &[(&'static str, &str)]| {
        let mut a: Vec<(&'static str, krafto_i18n::Arg)> = vec![
            ("shop", name.into()),
            ("marketplace", market.into()),
            ("url", format!("{base}/sell").into()),
            ("shop_url", format!("{base}/shops/{}", shop.slug).into()),
        ];
        a.extend(extra.iter().map(|(k, v)| (*k, (*v).into())));
        a
    };
    let (key, a) = match decision {
        Decision::ShopOpened => ("mail-shop-opened", args(&[])),
        Decision::ShopRefused(r) => ("mail-shop-refused", args(&[("reason", r)])),
        Decision::ShopSuspended(r) => ("mail-shop-suspended", args(&[("reason", r)])),
        Decision::ListingLive(t) => ("mail-listing-live", args(&[("title", t)])),
        Decision::ListingRefused(t, r) => {
            ("mail-listing-refused", args(&[("title", t), ("reason", r)]))
        }
        Decision::Verified => ("mail-verified", args(&[])),
        Decision::VerificationRefused(r) => ("mail-verification-refused", args(&[("reason", r)])),
    };
    crate::commerce::orders::mail(
        tx,
        tenant,
        &owner.email,
        locale.t_args(&format!("{key}-subject"), &a),
        locale.t_args(&format!("{key}-body"), &a),
    )
    .await
}

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

/// Everything pending as one queue, oldest first.
pub(crate) fn review_items(p: Pending) -> ReviewQueue {
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
    let from = shop.status;
    let to = moved(from.transition(event))?;
    let shop = Shop::set_status(&mut tx, id, to, why.as_deref()).await?;
    announce(state, &mut tx, SyncTarget::Shop(id)).await?;
    let why_text = why.as_deref().unwrap_or_default();
    let decision = match (from, to) {
        (_, ShopStatus::Active) => Some(Decision::ShopOpened),
        (ShopStatus::PendingReview, ShopStatus::Draft) => Some(Decision::ShopRefused(why_text)),
        (_, ShopStatus::Suspended) => Some(Decision::ShopSuspended(why_text)),
        _ => None,
    };
    if let Some(d) = decision {
        tell_seller(state, &mut tx, tenant, &shop, d).await?;
    }
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
    let from = l.status;
    let event = if why.is_some() {
        ListingEvent::Reject
    } else {
        ListingEvent::Approve {
            in_stock: l.quantity > 0,
        }
    };
    let to = moved(from.transition(event))?;
    let l = Listing::set_status(&mut tx, id, to, why.as_deref()).await?;
    announce(state, &mut tx, SyncTarget::Listing(id)).await?;
    let shop = Shop::find(&mut tx, l.shop_id).await?;
    let decision = match &why {
        Some(r) => Decision::ListingRefused(&l.title, r),
        None => Decision::ListingLive(&l.title),
    };
    tell_seller(state, &mut tx, tenant, &shop, decision).await?;
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
    match v.status {
        VerificationStatus::Submitted => {}
        VerificationStatus::Approved | VerificationStatus::Rejected => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                Code::InvalidTransition,
                format!("this verification was already {}", v.status),
            ));
        }
    }
    let status = if why.is_some() {
        VerificationStatus::Rejected
    } else {
        VerificationStatus::Approved
    };
    let v = ShopVerification::decide(
        &mut tx,
        id,
        status,
        why.as_deref(),
        actor.id.unwrap_or_default(),
    )
    .await?;
    Shop::set_verified(&mut tx, v.shop_id, status == VerificationStatus::Approved).await?;
    let shop = Shop::find(&mut tx, v.shop_id).await?;
    announce(state, &mut tx, SyncTarget::Shop(v.shop_id)).await?;
    let decision = match &why {
        Some(r) => Decision::VerificationRefused(r),
        None => Decision::Verified,
    };
    tell_seller(state, &mut tx, tenant, &shop, decision).await?;
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
        status: v.status.to_string(),
        legal_name: v.legal_name,
        business_type: v.business_type,
        submitted_at: v.submitted_at,
        decided_at: v.decided_at,
        decision_reason: v.decision_reason,
    })
}
