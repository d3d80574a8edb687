//! Selling: a seller's shop, verification, onboarding checklist and listings. The seller
//! API and the seller dashboard pages both call these functions (after checking who is
//! signed in), so every rule of selling lives here once. Nothing here reads a request.

use crate::catalog::{
    self, announce, check_category, completeness, import, listing_view, map_listing_lookup, moved,
    parse_listing, parse_shop, shop_view, variant_rows,
};
use crate::{AppState, CurrentTenant};
use chrono::Utc;
use krafto_api_types::Code;
use krafto_api_types::catalog::{
    ImportReport, ListingInput, ListingPage, ListingPatch, ListingView, Onboarding, OnboardingStep,
    ShopInput, ShopOpened, ShopView, VerificationInput, VerificationView,
};
use krafto_auth::UserClaims;
use krafto_core::catalog::{
    ListingEvent, ListingStatus, ShopEvent, ShopStatus, missing_for_publish,
};
use krafto_core::text::bounded_text;
use krafto_core::{FieldError, Problems, Slug};
use krafto_db::TenantTx;
use krafto_db::models::{
    Actor, Listing, ListingVariant, MarketplaceSettings, Shop, ShopVerification, User,
};
use krafto_search::sync::SyncTarget;
use krafto_web::{ApiError, ApiResult, DbResultExt, RequestId};
use poem::http::StatusCode;
use poem_openapi::types::MaybeUndefined;
use serde_json::json;
use uuid::Uuid;

fn actor(c: &UserClaims) -> Actor {
    Actor {
        kind: "user",
        id: Some(c.user_id),
        label: c.user_id.to_string(),
    }
}

/// The signed-in user's shop (404 `no_shop` when they have none).
pub(crate) async fn my_shop(tx: &mut TenantTx, c: &UserClaims) -> ApiResult<Shop> {
    no_shop(Shop::of_owner(tx, c.user_id).await?)
}

/// [`my_shop`], locked for the rest of the transaction.
pub(crate) async fn my_shop_locked(tx: &mut TenantTx, c: &UserClaims) -> ApiResult<Shop> {
    no_shop(Shop::of_owner_for_update(tx, c.user_id).await?)
}

fn no_shop(shop: Option<Shop>) -> ApiResult<Shop> {
    shop.ok_or_else(|| {
        ApiError::not_found(
            Code::NoShop,
            "you have no shop in this marketplace yet; open one with POST /api/v1/seller/shop",
        )
    })
}

fn verification_view(v: ShopVerification) -> VerificationView {
    VerificationView {
        id: v.id,
        shop_id: v.shop_id,
        status: v.status,
        legal_name: v.legal_name,
        business_type: v.business_type,
        submitted_at: v.submitted_at,
        decided_at: v.decided_at,
        decision_reason: v.decision_reason,
    }
}

/// What a shop still lacks before it can be submitted.
fn profile_gaps(s: &Shop) -> Vec<FieldError> {
    let mut gaps = Vec::new();
    if s.story.as_deref().is_none_or(str::is_empty) {
        gaps.push(FieldError::new(
            "story",
            "tell buyers who you are and how you make things",
        ));
    }
    if s.city.is_none() || s.country.is_none() {
        gaps.push(FieldError::new("location", "city and country are needed"));
    }
    if s.profile_image_url.is_none() {
        gaps.push(FieldError::new(
            "profile_image_url",
            "a profile image is needed",
        ));
    }
    gaps
}

async fn load_listing_view(tx: &mut TenantTx, l: Listing) -> ApiResult<ListingView> {
    let variants = ListingVariant::of_listing(tx, l.id).await?;
    Ok(listing_view(l, variants))
}

fn listing_status(l: &Listing) -> ApiResult<ListingStatus> {
    ListingStatus::parse(&l.status).map_err(|e| ApiError::internal(&e))
}

async fn audit(
    tx: &mut TenantTx,
    c: &UserClaims,
    action: &str,
    target: String,
    details: serde_json::Value,
    rid: &RequestId,
) -> ApiResult<()> {
    catalog::record(tx, &actor(c), action, target, details, rid).await
}

/// Opens the signed-in user's shop (one per user per marketplace), with a fresh token
/// carrying the seller role.
pub(crate) async fn open_shop(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    input: &ShopInput,
) -> ApiResult<ShopOpened> {
    let profile = parse_shop(input)?;
    let base = Slug::from_name(&profile.name).map_err(|e| ApiError::field(e.at("name")))?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    if Shop::of_owner(&mut tx, c.user_id).await?.is_some() {
        return Err(ApiError::conflict(
            Code::ShopExists,
            "name",
            "you already have a shop in this marketplace",
        ));
    }
    let mut shop = None;
    for n in 1..=20 {
        let slug = if n == 1 {
            base.to_string()
        } else {
            format!("{}-{n}", base.as_str().chars().take(58).collect::<String>())
        };
        if Shop::find_by_slug(&mut tx, &slug).await?.is_none() {
            shop = Some(
                Shop::create(&mut tx, c.user_id, &slug, &profile)
                    .await
                    .on_conflict(|| {
                        ApiError::conflict(
                            Code::ShopNameTaken,
                            "name",
                            "another shop took this name a moment ago; try again",
                        )
                    })?,
            );
            break;
        }
    }
    let shop = shop.ok_or_else(|| {
        ApiError::conflict(
            Code::ShopNameTaken,
            "name",
            "too many shops have a similar name; choose another",
        )
    })?;
    let user = User::become_seller(&mut tx, c.user_id).await?;
    audit(
        &mut tx,
        c,
        "shop.opened",
        format!("shop:{}", shop.id),
        json!({ "slug": shop.slug }),
        rid,
    )
    .await?;
    tx.commit().await?;
    state.tenant_changed(tenant.id).await;
    let (token, expires_at) = crate::otp::session_token(state, tenant.id, &user, Utc::now())?;
    Ok(ShopOpened {
        shop: shop_view(shop),
        token,
        expires_at,
    })
}

/// The signed-in seller's shop.
pub(crate) async fn shop(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<ShopView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    tx.commit().await?;
    Ok(shop_view(shop))
}

/// Replaces the shop's profile (the slug stays).
pub(crate) async fn update_shop(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    input: &ShopInput,
) -> ApiResult<ShopView> {
    let profile = parse_shop(input)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let shop = Shop::update_profile(&mut tx, shop.id, &profile).await?;
    announce(state, &mut tx, SyncTarget::Shop(shop.id)).await?;
    tx.commit().await?;
    Ok(shop_view(shop))
}

/// Asks for the shop to go live: straight away, or after the operator's review when the
/// marketplace requires it. The profile must be complete.
pub(crate) async fn submit_shop(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
) -> ApiResult<ShopView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop_locked(&mut tx, c).await?;
    let gaps = profile_gaps(&shop);
    if !gaps.is_empty() {
        return Err(ApiError::validation(gaps).with_code(Code::ProfileIncomplete));
    }
    let settings = MarketplaceSettings::get(&mut tx).await?;
    let from = ShopStatus::parse(&shop.status).map_err(|e| ApiError::internal(&e))?;
    let to = moved(from.transition(ShopEvent::Submit {
        review_required: settings.shop_review_required,
    }))?;
    let shop = Shop::set_status(&mut tx, shop.id, to.as_str(), None).await?;
    announce(state, &mut tx, SyncTarget::Shop(shop.id)).await?;
    audit(
        &mut tx,
        c,
        "shop.submitted",
        format!("shop:{}", shop.id),
        json!({ "status": to.as_str() }),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(shop_view(shop))
}

/// The seller's onboarding checklist, resumable at any time.
pub(crate) async fn onboarding(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<Onboarding> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let verification = ShopVerification::latest_of(&mut tx, shop.id).await?;
    let live = Listing::count_of_shop_in(&mut tx, shop.id, &ListingStatus::public_names()).await?;
    let pending = Listing::count_of_shop_in(&mut tx, shop.id, &["pending_review"]).await?;
    let payouts = krafto_db::models::SellerAccount::of_shop(&mut tx, shop.id).await?;
    tx.commit().await?;
    let gaps = profile_gaps(&shop);
    let profile_detail = if gaps.is_empty() {
        "complete".to_owned()
    } else {
        format!(
            "missing: {}",
            gaps.iter()
                .map(|g| g.field.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let (verification_done, verification_detail) =
        match verification.as_ref().map(|v| v.status.as_str()) {
            Some("approved") => (true, "approved".to_owned()),
            Some("submitted") => (
                true,
                "submitted, waiting for the marketplace's review".to_owned(),
            ),
            Some("rejected") => (
                false,
                format!(
                    "rejected: {}; submit again",
                    verification
                        .and_then(|v| v.decision_reason)
                        .unwrap_or_default()
                ),
            ),
            _ => (
                false,
                "submit your legal name, business type, address and documents".to_owned(),
            ),
        };
    let steps = vec![
        OnboardingStep {
            key: "profile".into(),
            done: gaps.is_empty(),
            detail: profile_detail,
        },
        OnboardingStep {
            key: "verification".into(),
            done: verification_done,
            detail: verification_detail,
        },
        OnboardingStep {
            key: "payouts".into(),
            done: payouts.as_ref().is_some_and(|a| a.ready()),
            detail: match payouts {
                Some(a) if a.ready() => "payments and payouts enabled".into(),
                Some(a) if a.requirements.is_empty() => "Stripe is checking your details".into(),
                Some(a) => format!("Stripe still needs: {}", a.requirements.join(", ")),
                None => "connect a bank account through Stripe to get paid".into(),
            },
        },
        OnboardingStep {
            key: "first_listing".into(),
            done: live > 0,
            detail: if live > 0 {
                format!("{live} listing(s) live")
            } else if pending > 0 {
                format!("{pending} listing(s) waiting for review")
            } else {
                "publish your first listing".into()
            },
        },
    ];
    let next_step = steps.iter().find(|s| !s.done).map(|s| s.key.clone());
    Ok(Onboarding {
        complete: next_step.is_none(),
        next_step,
        steps,
        shop_status: catalog::shop_status_name(&shop.status),
    })
}

/// Submits identity details for the marketplace to verify (the "verified" badge).
pub(crate) async fn submit_verification(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    input: &VerificationInput,
) -> ApiResult<VerificationView> {
    let mut p = Problems::new();
    let legal_name = p.check("legal_name", bounded_text(&input.legal_name, 200));
    let a = &input.address;
    let line1 = p.check("address.line1", bounded_text(&a.line1, 200));
    let postal = p.check("address.postal_code", bounded_text(&a.postal_code, 20));
    let city = p.check("address.city", bounded_text(&a.city, 100));
    let country = p.check(
        "address.country",
        krafto_core::catalog::country_code(&a.country),
    );
    if input.document_refs.is_empty() || input.document_refs.len() > 10 {
        p.push(FieldError::new(
            "document_refs",
            "give 1 to 10 document references",
        ));
    }
    let docs: Vec<String> = input
        .document_refs
        .iter()
        .filter_map(|d| p.check("document_refs", bounded_text(d, 200)))
        .collect();
    p.finish().map_err(ApiError::validation)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    match ShopVerification::latest_of(&mut tx, shop.id)
        .await?
        .map(|v| v.status)
    {
        Some(s) if s == "submitted" => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                Code::VerificationPending,
                "a verification is already waiting for review",
            ));
        }
        Some(s) if s == "approved" => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                Code::AlreadyVerified,
                "this shop is already verified",
            ));
        }
        _ => {}
    }
    let business_type = match input.business_type {
        krafto_api_types::catalog::BusinessType::Individual => "individual",
        krafto_api_types::catalog::BusinessType::SoleTrader => "sole_trader",
        krafto_api_types::catalog::BusinessType::Company => "company",
        krafto_api_types::catalog::BusinessType::Association => "association",
    }
    .to_owned();
    let v = ShopVerification::submit(
        &mut tx,
        &ShopVerification {
            tenant_id: tenant.id,
            id: Uuid::now_v7(),
            shop_id: shop.id,
            legal_name: legal_name.unwrap_or_default(),
            business_type,
            address: json!({ "line1": line1, "line2": a.line2, "postal_code": postal, "city": city, "country": country }),
            document_refs: docs,
            status: "submitted".into(),
            decision_reason: None,
            decided_by: None,
            submitted_at: Utc::now(),
            decided_at: None,
        },
    )
        .await?;
    audit(
        &mut tx,
        c,
        "verification.submitted",
        format!("shop:{}", shop.id),
        json!({}),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(verification_view(v))
}

/// The shop's latest verification (404 `no_verification` before any).
pub(crate) async fn verification(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<VerificationView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let v = ShopVerification::latest_of(&mut tx, shop.id)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(Code::NoVerification, "no verification submitted yet")
        })?;
    tx.commit().await?;
    Ok(verification_view(v))
}

/// Creates a draft listing.
pub(crate) async fn create_listing(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    input: &ListingInput,
) -> ApiResult<ListingView> {
    let draft = parse_listing(input).map_err(ApiError::validation)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    check_category(&mut tx, draft.fields.category_id)
        .await
        .map_err(ApiError::field)?;
    let listing = Listing::create(&mut tx, shop.id, &tenant.currency, &draft.fields).await?;
    ListingVariant::replace(
        &mut tx,
        listing.id,
        &variant_rows(tenant.id, listing.id, &draft.variants),
    )
    .await?;
    announce(state, &mut tx, SyncTarget::Listing(listing.id)).await?;
    let view = load_listing_view(&mut tx, listing).await?;
    tx.commit().await?;
    Ok(view)
}

/// The shop's listings, newest first.
pub(crate) async fn listings(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    status: Option<&str>,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> ApiResult<ListingPage> {
    let limit = limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::field(FieldError::new(
            "limit",
            "must be between 1 and 200",
        )));
    }
    if let Some(s) = &status {
        ListingStatus::parse(s).map_err(|e| ApiError::field(e.at("status")))?;
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let rows = Listing::of_shop(&mut tx, shop.id, status, cursor, limit).await?;
    let ids: Vec<Uuid> = rows.iter().map(|l| l.id).collect();
    let mut variants = ListingVariant::of_listings(&mut tx, &ids).await?;
    tx.commit().await?;
    let next_cursor = (i64::try_from(rows.len()).unwrap_or(0) == limit)
        .then(|| rows.last().map(|l| l.id.to_string()))
        .flatten();
    let items = rows
        .into_iter()
        .map(|l| {
            let mine = variants.extract_if(.., |v| v.listing_id == l.id).collect();
            listing_view(l, mine)
        })
        .collect();
    Ok(ListingPage { items, next_cursor })
}

/// One of the shop's listings.
pub(crate) async fn listing(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    id: Uuid,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    let view = load_listing_view(&mut tx, l).await?;
    tx.commit().await?;
    Ok(view)
}

/// Changes a listing. Live listings stay live, moving between active and out of stock
/// with their stock.
pub(crate) async fn update_listing(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    id: Uuid,
    input: &ListingPatch,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let current = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    if current.status == "archived" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::InvalidTransition,
            "restore the listing before editing it",
        ));
    }
    let existing_variants = ListingVariant::of_listing(&mut tx, current.id).await?;
    let merged = merge_patch(&current, &existing_variants, input);
    let draft = parse_listing(&merged).map_err(ApiError::validation)?;
    check_category(&mut tx, draft.fields.category_id)
        .await
        .map_err(ApiError::field)?;
    let mut listing = Listing::update_fields(&mut tx, current.id, &draft.fields).await?;
    if input.variants.is_some() {
        ListingVariant::replace(
            &mut tx,
            listing.id,
            &variant_rows(tenant.id, listing.id, &draft.variants),
        )
        .await?;
    }
    let status = listing_status(&listing)?;
    let next = moved(status.transition(ListingEvent::Stock {
        in_stock: listing.quantity > 0,
    }))?;
    if next != status {
        listing = Listing::set_status(&mut tx, listing.id, next.as_str(), None).await?;
    }
    announce(state, &mut tx, SyncTarget::Listing(listing.id)).await?;
    let view = load_listing_view(&mut tx, listing).await?;
    tx.commit().await?;
    Ok(view)
}

/// Deletes a listing that never sold: drafts, rejected and archived ones. Live listings
/// are archived instead.
pub(crate) async fn delete_listing(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    id: Uuid,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    if !matches!(l.status.as_str(), "draft" | "rejected" | "archived") {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::ListingLive,
            "archive a live or pending listing instead of deleting it",
        ));
    }
    Listing::delete(&mut tx, l.id).await?;
    announce(state, &mut tx, SyncTarget::Listing(l.id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes a draft (or a rejected listing, after changes): live at once, or into the
/// operator's review queue when the marketplace reviews listings. Refused with a 422
/// naming every field the marketplace requires and the listing lacks.
pub(crate) async fn publish(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    id: Uuid,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    if shop.status == "suspended" {
        return Err(
            ApiError::forbidden("your shop is suspended; contact the marketplace")
                .with_code(Code::ShopSuspended),
        );
    }
    let l = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    let settings = MarketplaceSettings::get(&mut tx).await?;
    let missing = missing_for_publish(
        &completeness(&l),
        usize::try_from(settings.min_photos).unwrap_or(0),
        &settings.required_listing_fields,
    );
    if !missing.is_empty() {
        return Err(ApiError::validation(missing).with_code(Code::ListingIncomplete));
    }
    let to = moved(listing_status(&l)?.transition(ListingEvent::Publish {
        review_required: settings.listing_review_required,
        in_stock: l.quantity > 0,
    }))?;
    let l = Listing::set_status(&mut tx, l.id, to.as_str(), None).await?;
    announce(state, &mut tx, SyncTarget::Listing(l.id)).await?;
    audit(
        &mut tx,
        c,
        "listing.published",
        format!("listing:{}", l.id),
        json!({ "status": to.as_str() }),
        rid,
    )
    .await?;
    let view = load_listing_view(&mut tx, l).await?;
    tx.commit().await?;
    Ok(view)
}

/// Imports listings from CSV; valid rows become drafts, the report covers every line.
pub(crate) async fn import(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    csv: &str,
) -> ApiResult<ImportReport> {
    let categories = catalog::categories(state, tenant).await?;
    let exponent =
        u32::from(krafto_core::Currency::parse(&tenant.currency).map_or(2, |c| c.exponent()));
    let rows = import::parse_file(csv, exponent, &import::category_index(&categories))?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let report = import::import(&mut tx, shop.id, &tenant.currency, rows).await?;
    let imported: Vec<Uuid> = report.rows.iter().filter_map(|r| r.listing_id).collect();
    catalog::announce_listings(state, &mut tx, &imported).await?;
    audit(
        &mut tx,
        c,
        "listings.imported",
        format!("shop:{}", shop.id),
        json!({ "imported": report.imported, "rejected": report.rejected }),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Archives or restores a listing (the catalog state machine decides).
pub(crate) async fn step(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    id: Uuid,
    event: ListingEvent,
) -> ApiResult<ListingView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let l = Listing::of_shop_for_update(&mut tx, shop.id, id)
        .await
        .map_err(map_listing_lookup(id))?;
    let to = moved(listing_status(&l)?.transition(event))?;
    let l = Listing::set_status(&mut tx, l.id, to.as_str(), None).await?;
    announce(state, &mut tx, SyncTarget::Listing(l.id)).await?;
    let view = load_listing_view(&mut tx, l).await?;
    tx.commit().await?;
    Ok(view)
}

/// The listing as it would be after the patch, as a full input to check again.
fn merge_patch(l: &Listing, variants: &[ListingVariant], p: &ListingPatch) -> ListingInput {
    use krafto_api_types::catalog::VariantInput;
    let pick = |m: &MaybeUndefined<i32>, old: Option<i32>| match m {
        MaybeUndefined::Value(v) => Some(*v),
        MaybeUndefined::Null => None,
        MaybeUndefined::Undefined => old,
    };
    let old_dims = catalog::dimensions(l.length_mm, l.width_mm, l.height_mm)
        .ok()
        .flatten();
    ListingInput {
        title: p.title.clone().unwrap_or_else(|| l.title.clone()),
        description: p
            .description
            .clone()
            .unwrap_or_else(|| l.description.clone()),
        price_minor: p.price_minor.unwrap_or(l.price_minor),
        quantity: p.quantity.unwrap_or(l.quantity),
        category_id: match &p.category_id {
            MaybeUndefined::Value(v) => Some(*v),
            MaybeUndefined::Null => None,
            MaybeUndefined::Undefined => l.category_id,
        },
        tags: p.tags.clone().unwrap_or_else(|| l.tags.clone()),
        materials: p.materials.clone().unwrap_or_else(|| l.materials.clone()),
        dimensions: match &p.dimensions {
            MaybeUndefined::Value(d) => Some(d.clone()),
            MaybeUndefined::Null => None,
            MaybeUndefined::Undefined => old_dims,
        },
        weight_g: pick(&p.weight_g, l.weight_g),
        processing_days: pick(&p.processing_days, l.processing_days),
        style: match &p.style {
            MaybeUndefined::Value(s) => Some(s.clone()),
            MaybeUndefined::Null => None,
            MaybeUndefined::Undefined => l.style.clone(),
        },
        photos: p
            .photos
            .clone()
            .unwrap_or_else(|| catalog::photos_of(&l.photos)),
        variants: p.variants.clone().unwrap_or_else(|| {
            variants
                .iter()
                .map(|v| VariantInput {
                    sku: v.sku.clone(),
                    options: serde_json::from_value(v.options.clone()).unwrap_or_default(),
                    price_minor: v.price_minor,
                    quantity: v.quantity,
                })
                .collect()
        }),
    }
}
