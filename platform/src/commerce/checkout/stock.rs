//! Stock held by checkouts: taken all or nothing when a checkout is created (or paid after
//! its hold ended), given back when it fails. Listings move between active and out of stock
//! through the catalog rule; this module never decides a listing status itself.

use crate::AppState;
use crate::catalog::{announce_listings, moved};
use crate::commerce::Plan;
use krafto_core::catalog::ListingEvent;
use krafto_db::TenantTx;
use krafto_db::models::{Listing, Stock};
use krafto_web::ApiResult;
use uuid::Uuid;

/// Takes the plan's stock, all or nothing: on a shortage, whatever was taken is given back
/// and the short item's title returned.
pub(super) async fn take_stock(
    state: &AppState,
    tx: &mut TenantTx,
    plan: &Plan,
) -> ApiResult<Result<(), String>> {
    let mut taken = Vec::new();
    for (listing, variant, qty) in plan.items() {
        match Stock::reserve(tx, listing, variant, qty).await? {
            Some(left) => {
                if left == 0 {
                    stock_status(tx, listing, false).await?;
                }
                taken.push((listing, variant, qty));
            }
            None => {
                for (l, v, q) in taken {
                    give_back(tx, l, v, q).await?;
                }
                let title = plan
                    .shops
                    .iter()
                    .flat_map(|s| &s.lines)
                    .find(|l| l.listing_id == listing && l.variant_id == variant)
                    .map(|l| l.title.clone())
                    .unwrap_or_else(|| "an item".to_owned());
                return Ok(Err(title));
            }
        }
    }
    let ids: Vec<Uuid> = plan.items().into_iter().map(|(l, _, _)| l).collect();
    announce_listings(state, tx, &ids).await?;
    Ok(Ok(()))
}

/// Gives units back, putting a sold-out listing back on sale.
async fn give_back(
    tx: &mut TenantTx,
    listing: Uuid,
    variant: Option<Uuid>,
    qty: i32,
) -> ApiResult<()> {
    if let Some(now) = Stock::release(tx, listing, variant, qty).await?
        && now == qty
    {
        stock_status(tx, listing, true).await?;
    }
    Ok(())
}

/// Moves a listing between active and out of stock through the catalog rule.
async fn stock_status(tx: &mut TenantTx, listing_id: Uuid, in_stock: bool) -> ApiResult<()> {
    let l = Listing::find(tx, listing_id).await?;
    let from = l.status;
    let to = moved(from.transition(ListingEvent::Stock { in_stock }))?;
    if to != from {
        Listing::set_status(tx, listing_id, to, None).await?;
    }
    Ok(())
}

/// Gives a plan's stock back.
pub(super) async fn release(state: &AppState, tx: &mut TenantTx, plan: &Plan) -> ApiResult<()> {
    for (listing, variant, qty) in plan.items() {
        give_back(tx, listing, variant, qty).await?;
    }
    let ids: Vec<Uuid> = plan.items().into_iter().map(|(l, _, _)| l).collect();
    announce_listings(state, tx, &ids).await
}
