//! The seller's shop: opening it, its profile, and submitting it to go live.

use super::{audit, my_shop, my_shop_locked};
use crate::catalog::{announce, moved, parse_shop, shop_view};
use crate::{AppState, CurrentTenant};
use chrono::Utc;
use krafto_api_types::Code;
use krafto_api_types::catalog::{ShopInput, ShopOpened, ShopView};
use krafto_auth::UserClaims;
use krafto_core::catalog::ShopEvent;
use krafto_core::{FieldError, Slug};
use krafto_db::models::{MarketplaceSettings, Shop, User};
use krafto_search::sync::SyncTarget;
use krafto_web::{ApiError, ApiResult, DbResultExt, RequestId};
use serde_json::json;

/// What a shop still lacks before it can be submitted.
pub(super) fn profile_gaps(s: &Shop) -> Vec<FieldError> {
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
    let (token, expires_at) = crate::otp::session_token(state, tenant, &user, Utc::now()).await?;
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
    let from = shop.status;
    let to = moved(from.transition(ShopEvent::Submit {
        review_required: settings.shop_review_required,
    }))?;
    let shop = Shop::set_status(&mut tx, shop.id, to, None).await?;
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
