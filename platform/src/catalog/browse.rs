//! What buyers see of the catalogue, shared by the store API and the storefront pages: a
//! listing's page and a shop's page, shown only when the catalog rules say buyers may see
//! them.

use crate::catalog;
use crate::{AppState, CurrentTenant};
use krafto_api_types::catalog::{ListingDetail, ShopPage};
use krafto_api_types::{ApiError, ApiResult};
use krafto_core::catalog::{ListingStatus, ShopStatus, visible_to_buyers};
use krafto_db::models::{Listing, ListingVariant, Shop};
use krafto_web::views;
use uuid::Uuid;

/// A live listing with its shop card and whether it can be bought now.
pub(crate) async fn listing_detail(
    state: &AppState,
    tenant: &CurrentTenant,
    id: Uuid,
) -> ApiResult<ListingDetail> {
    let mut tx = state.db.tenant(tenant.id).await.map_err(views::db_error)?;
    let l = Listing::find(&mut tx, id)
        .await
        .map_err(catalog::map_listing_lookup(id))?;
    let shop = Shop::find(&mut tx, l.shop_id)
        .await
        .map_err(views::db_error)?;
    let visible = ListingStatus::parse(&l.status)
        .is_ok_and(|ls| ShopStatus::parse(&shop.status).is_ok_and(|ss| visible_to_buyers(ls, ss)));
    if !visible {
        return Err(catalog::not_found_listing(id));
    }
    let variants = ListingVariant::of_listing(&mut tx, l.id)
        .await
        .map_err(views::db_error)?;
    // Buyable only when in stock and the seller can take payments (cart and checkout
    // refuse it otherwise too).
    let seller_ready = krafto_db::models::SellerAccount::of_shop(&mut tx, shop.id)
        .await
        .map_err(views::db_error)?
        .is_some_and(|a| a.ready());
    tx.commit().await.map_err(views::db_error)?;
    let purchasable = l.status == "active" && l.quantity > 0 && seller_ready;
    Ok(ListingDetail {
        shop: catalog::shop_card(&shop),
        listing: catalog::listing_view(l, variants),
        purchasable,
    })
}

/// A live shop with its story, badges and live listings.
pub(crate) async fn shop_page(
    state: &AppState,
    tenant: &CurrentTenant,
    slug: &str,
) -> ApiResult<ShopPage> {
    let mut tx = state.db.tenant(tenant.id).await.map_err(views::db_error)?;
    let shop = Shop::find_by_slug(&mut tx, slug)
        .await
        .map_err(views::db_error)?
        .filter(|s| ShopStatus::parse(&s.status).is_ok_and(ShopStatus::is_public))
        .ok_or_else(|| ApiError::not_found("shop_not_found", format!("no shop `{}` here", slug)))?;
    let listings = Listing::of_shop_in(&mut tx, shop.id, &ListingStatus::public_names(), 48)
        .await
        .map_err(views::db_error)?;
    tx.commit().await.map_err(views::db_error)?;
    let cards = listings
        .iter()
        .map(|l| catalog::card_of_listing(l, &shop))
        .collect();
    let mut badges = Vec::new();
    if shop.verified {
        badges.push("verified_seller".to_owned());
    }
    Ok(ShopPage {
        location: catalog::shop_location(&shop),
        social_links: catalog::social_links(&shop.social_links),
        id: shop.id,
        slug: shop.slug,
        name: shop.name,
        story: shop.story,
        profile_image_url: shop.profile_image_url,
        banner_url: shop.banner_url,
        return_policy: shop.return_policy,
        processing_days_min: shop.processing_days_min,
        processing_days_max: shop.processing_days_max,
        languages: shop.languages,
        badges,
        rating: None,
        rating_count: shop.rating_count,
        listings: cards,
        member_since: shop.created_at,
    })
}
