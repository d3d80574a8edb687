//! The seller's shop: opening it, its profile, its uploaded logo and banner, and submitting
//! it to go live.

use super::{audit, my_shop, my_shop_locked};
use crate::catalog::{announce, moved, parse_shop, shop_view};
use crate::{AppState, CurrentTenant};
use chrono::Utc;
use krafto_api_types::Code;
use krafto_api_types::catalog::{ShopInput, ShopOpened, ShopView};
use krafto_auth::UserClaims;
use krafto_core::catalog::ShopEvent;
use krafto_core::{FieldError, Slug};
use krafto_db::models::{MarketplaceSettings, Shop, ShopImage, User};
use krafto_media::MediaError;
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
    if s.profile_image_url.is_none() && s.logo_image.is_none() {
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

/// The audit action and the API's word for a shop's picture.
fn image_names(which: ShopImage) -> (&'static str, &'static str) {
    match which {
        ShopImage::Logo => ("shop.logo_updated", "logo"),
        ShopImage::Banner => ("shop.banner_updated", "banner"),
    }
}

/// Sets the shop's logo or banner from an uploaded file: checked and re-encoded like listing
/// photos (413 too large, 415 not a picture, 422 unreadable or too many pixels, naming
/// `field`), stored, then shown instead of the picture given by URL. A refused file changes
/// nothing.
pub(crate) async fn set_shop_image(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    which: ShopImage,
    field: &str,
    bytes: bytes::Bytes,
) -> ApiResult<ShopView> {
    // The seller must have a shop before any work on the picture.
    {
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        my_shop(&mut tx, c).await?;
        tx.commit().await?;
    }
    let processed = state
        .media
        .process(bytes)
        .await
        .map_err(|e| crate::catalog::photos::refused(field, &MediaError::Image(e)))?;
    let stored = state
        .media
        .put(tenant.id, &processed)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let value = serde_json::to_value(&stored).map_err(|e| ApiError::internal(&e))?;
    write_shop_image(state, tenant, c, rid, which, Some(value)).await
}

/// Removes the shop's uploaded logo or banner (the picture given by URL, if any, shows again).
pub(crate) async fn remove_shop_image(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    which: ShopImage,
) -> ApiResult<ShopView> {
    write_shop_image(state, tenant, c, rid, which, None).await
}

async fn write_shop_image(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    rid: &RequestId,
    which: ShopImage,
    value: Option<serde_json::Value>,
) -> ApiResult<ShopView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop_locked(&mut tx, c).await?;
    let before = match which {
        ShopImage::Logo => shop.logo_image.clone(),
        ShopImage::Banner => shop.banner_image.clone(),
    };
    let src = |v: Option<&serde_json::Value>| {
        krafto_web::views::stored_image(v).map(|i| i.src_at_least(640))
    };
    let (action, word) = image_names(which);
    let (from, to) = (src(before.as_ref()), src(value.as_ref()));
    let shop = Shop::set_image(&mut tx, shop.id, which, value).await?;
    if from != to {
        audit(
            &mut tx,
            c,
            action,
            format!("shop:{}", shop.id),
            json!({ "image": word, "from": from, "to": to }),
            rid,
        )
        .await?;
    }
    announce(state, &mut tx, SyncTarget::Shop(shop.id)).await?;
    tx.commit().await?;
    Ok(shop_view(shop))
}
