//! Stock reservations and releases for checkouts (listing and variant quantities). Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::{listing_variants, listings};
use crate::{DbResult, TenantTx};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// Stock moves for checkouts: reserving is one conditional update per item, so concurrent
/// checkouts can never take more than there is.
#[derive(Debug)]
pub struct Stock;

impl Stock {
    /// Takes `quantity` units of a listing (and of its variant). Returns the listing's
    /// remaining quantity, or `None` when there are not enough (nothing is taken then).
    pub async fn reserve(
        tx: &mut TenantTx,
        listing_id: Uuid,
        variant_id: Option<Uuid>,
        quantity: i32,
    ) -> DbResult<Option<i32>> {
        let conn = crate::tx::conn(tx);
        if let Some(v) = variant_id {
            let taken = diesel::update(
                listing_variants::table
                    .filter(listing_variants::id.eq(v))
                    .filter(listing_variants::listing_id.eq(listing_id))
                    .filter(listing_variants::quantity.ge(quantity)),
            )
            .set(listing_variants::quantity.eq(listing_variants::quantity - quantity))
            .execute(conn)
            .await?;
            if taken == 0 {
                return Ok(None);
            }
        }
        Ok(diesel::update(
            listings::table
                .filter(listings::id.eq(listing_id))
                .filter(listings::quantity.ge(quantity)),
        )
        .set(listings::quantity.eq(listings::quantity - quantity))
        .returning(listings::quantity)
        .get_result(conn)
        .await
        .optional()?)
    }

    /// Gives back reserved units. Returns the listing's new quantity.
    pub async fn release(
        tx: &mut TenantTx,
        listing_id: Uuid,
        variant_id: Option<Uuid>,
        quantity: i32,
    ) -> DbResult<Option<i32>> {
        let conn = crate::tx::conn(tx);
        if let Some(v) = variant_id {
            diesel::update(listing_variants::table.filter(listing_variants::id.eq(v)))
                .set(listing_variants::quantity.eq(listing_variants::quantity + quantity))
                .execute(conn)
                .await?;
        }
        Ok(
            diesel::update(listings::table.filter(listings::id.eq(listing_id)))
                .set(listings::quantity.eq(listings::quantity + quantity))
                .returning(listings::quantity)
                .get_result(conn)
                .await
                .optional()?,
        )
    }
}
