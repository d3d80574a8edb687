use crate::schema::{listing_photos, listings};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A photo uploaded for a listing (or fetched for it by a CSV import), re-encoded and stored
/// by krafto-media under `image_key`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = listing_photos, check_for_backend(diesel::pg::Pg))]
pub struct ListingPhoto {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub listing_id: Uuid,
    /// Shown in ascending order.
    pub position: i32,
    pub alt: String,
    pub image_key: String,
    /// Widths stored, ascending.
    pub widths: Vec<i32>,
    pub width: i32,
    pub height: i32,
    pub source_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A photo to add at the end of a listing's photos.
#[derive(Debug, Clone)]
pub struct NewListingPhoto {
    pub listing_id: Uuid,
    pub alt: String,
    pub image_key: String,
    pub widths: Vec<i32>,
    pub width: i32,
    pub height: i32,
    pub source_url: Option<String>,
}

impl ListingPhoto {
    /// A listing's photos in order.
    pub async fn of_listing(tx: &mut TenantTx, listing_id: Uuid) -> DbResult<Vec<ListingPhoto>> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(listing_photos::table
            .filter(listing_photos::tenant_id.eq(tenant_id))
            .filter(listing_photos::listing_id.eq(listing_id))
            .order((
                listing_photos::position.asc(),
                listing_photos::created_at.asc(),
            ))
            .select(ListingPhoto::as_select())
            .load(conn)
            .await?)
    }

    /// Adds a photo after the listing's last one.
    pub async fn add(tx: &mut TenantTx, new: &NewListingPhoto) -> DbResult<ListingPhoto> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let last: Option<i32> = listing_photos::table
            .filter(listing_photos::tenant_id.eq(tenant_id))
            .filter(listing_photos::listing_id.eq(new.listing_id))
            .select(diesel::dsl::max(listing_photos::position))
            .first(conn)
            .await?;
        Ok(diesel::insert_into(listing_photos::table)
            .values((
                listing_photos::tenant_id.eq(tenant_id),
                listing_photos::id.eq(Uuid::now_v7()),
                listing_photos::listing_id.eq(new.listing_id),
                listing_photos::position.eq(last.map_or(0, |p| p + 1)),
                listing_photos::alt.eq(&new.alt),
                listing_photos::image_key.eq(&new.image_key),
                listing_photos::widths.eq(&new.widths),
                listing_photos::width.eq(new.width),
                listing_photos::height.eq(new.height),
                listing_photos::source_url.eq(&new.source_url),
            ))
            .returning(ListingPhoto::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Changes a photo's text alternative; false when the listing has no such photo.
    pub async fn set_alt(
        tx: &mut TenantTx,
        listing_id: Uuid,
        id: Uuid,
        alt: &str,
    ) -> DbResult<bool> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let n = diesel::update(
            listing_photos::table
                .filter(listing_photos::tenant_id.eq(tenant_id))
                .filter(listing_photos::listing_id.eq(listing_id))
                .filter(listing_photos::id.eq(id)),
        )
        .set(listing_photos::alt.eq(alt))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Puts a photo at `position`.
    pub async fn set_position(
        tx: &mut TenantTx,
        listing_id: Uuid,
        id: Uuid,
        position: i32,
    ) -> DbResult<bool> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let n = diesel::update(
            listing_photos::table
                .filter(listing_photos::tenant_id.eq(tenant_id))
                .filter(listing_photos::listing_id.eq(listing_id))
                .filter(listing_photos::id.eq(id)),
        )
        .set(listing_photos::position.eq(position))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Removes a photo; false when the listing has no such photo.
    pub async fn delete(tx: &mut TenantTx, listing_id: Uuid, id: Uuid) -> DbResult<bool> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let n = diesel::delete(
            listing_photos::table
                .filter(listing_photos::tenant_id.eq(tenant_id))
                .filter(listing_photos::listing_id.eq(listing_id))
                .filter(listing_photos::id.eq(id)),
        )
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Writes the listing's shown photos (`listings.photos`), the list every page, card and
    /// search document reads.
    pub async fn write_shown(
        tx: &mut TenantTx,
        listing_id: Uuid,
        photos: &serde_json::Value,
    ) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        diesel::update(
            listings::table
                .filter(listings::tenant_id.eq(tenant_id))
                .filter(listings::id.eq(listing_id)),
        )
        .set((
            listings::photos.eq(photos),
            listings::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
        Ok(())
    }
}
