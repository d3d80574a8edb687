//! Selling: a seller's shop, verification, onboarding checklist and listings. The seller
//! API and the seller dashboard pages both call these functions (after checking who is
//! signed in), so every rule of selling lives here once. Nothing here reads a request.
//!
//! One file per resource; every use case is re-exported here, so callers keep writing
//! `catalog::selling::<fn>`.

mod listings;
mod onboarding;
mod shop;
mod verification;

pub(crate) use listings::{
    create_listing, delete_listing, import, listing, listings, publish, step, update_listing,
};
pub(crate) use onboarding::onboarding;
pub(crate) use shop::{
    open_shop, remove_shop_image, set_shop_image, shop, submit_shop, update_shop,
};
pub(crate) use verification::{submit_verification, verification};

use crate::catalog;
use krafto_api_types::Code;
use krafto_auth::UserClaims;
use krafto_db::TenantTx;
use krafto_db::models::{Actor, Shop};
use krafto_web::{ApiError, ApiResult, RequestId};

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
