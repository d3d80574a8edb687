use crate::schema::{listing_variants, listings, marketplace_settings, reports};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krafto_core::catalog::{ListingStatus, ReportStatus, ReviewTime, ReviewTimeUnit};
use krafto_core::commerce::PayoutTiming;
use uuid::Uuid;

/// A product a shop offers.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = listings, check_for_backend(diesel::pg::Pg))]
pub struct Listing {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub shop_id: Uuid,
    pub title: String,
    pub description: String,
    pub price_minor: i64,
    pub currency: String,
    pub quantity: i32,
    pub category_id: Option<Uuid>,
    pub tags: Vec<String>,
    pub materials: Vec<String>,
    pub length_mm: Option<i32>,
    pub width_mm: Option<i32>,
    pub height_mm: Option<i32>,
    pub weight_g: Option<i32>,
    pub processing_days: Option<i32>,
    pub style: Option<String>,
    pub photos: serde_json::Value,
    pub status: ListingStatus,
    pub status_reason: Option<String>,
    pub trending_score: f64,
    pub rating_count: i32,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Everything a seller edits on a listing (create and update write all of it).
#[derive(Debug, Clone, Default, PartialEq, Insertable, AsChangeset)]
#[diesel(table_name = listings, treat_none_as_null = true)]
pub struct ListingFields {
    pub title: String,
    pub description: String,
    pub price_minor: i64,
    pub quantity: i32,
    pub category_id: Option<Uuid>,
    pub tags: Vec<String>,
    pub materials: Vec<String>,
    pub length_mm: Option<i32>,
    pub width_mm: Option<i32>,
    pub height_mm: Option<i32>,
    pub weight_g: Option<i32>,
    pub processing_days: Option<i32>,
    pub style: Option<String>,
    pub photos: serde_json::Value,
}

impl Listing {
    pub async fn create(
        tx: &mut TenantTx,
        shop_id: Uuid,
        currency: &str,
        fields: &ListingFields,
    ) -> DbResult<Listing> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(listings::table)
            .values((
                listings::tenant_id.eq(tenant_id),
                listings::id.eq(Uuid::now_v7()),
                listings::shop_id.eq(shop_id),
                listings::currency.eq(currency),
                fields,
            ))
            .returning(Listing::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn find(tx: &mut TenantTx, id: Uuid) -> DbResult<Listing> {
        let conn = crate::tx::conn(tx);
        Ok(listings::table
            .filter(listings::id.eq(id))
            .select(Listing::as_select())
            .first(conn)
            .await?)
    }

    /// A listing of this shop, locked for the rest of the transaction.
    pub async fn of_shop_for_update(
        tx: &mut TenantTx,
        shop_id: Uuid,
        id: Uuid,
    ) -> DbResult<Listing> {
        let conn = crate::tx::conn(tx);
        Ok(listings::table
            .filter(listings::id.eq(id))
            .filter(listings::shop_id.eq(shop_id))
            .select(Listing::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Listing> {
        let conn = crate::tx::conn(tx);
        Ok(listings::table
            .filter(listings::id.eq(id))
            .select(Listing::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    /// A shop's listings, newest first, optionally of one status; keyset on id.
    pub async fn of_shop(
        tx: &mut TenantTx,
        shop_id: Uuid,
        status: Option<ListingStatus>,
        before: Option<Uuid>,
        limit: i64,
    ) -> DbResult<Vec<Listing>> {
        let conn = crate::tx::conn(tx);
        let mut q = listings::table
            .filter(listings::shop_id.eq(shop_id))
            .select(Listing::as_select())
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(listings::status.eq(s));
        }
        if let Some(b) = before {
            q = q.filter(listings::id.lt(b));
        }
        Ok(q.order(listings::id.desc()).limit(limit).load(conn).await?)
    }

    /// Listings in one of `statuses`, newest first.
    pub async fn of_shop_in(
        tx: &mut TenantTx,
        shop_id: Uuid,
        statuses: &[ListingStatus],
        limit: i64,
    ) -> DbResult<Vec<Listing>> {
        let conn = crate::tx::conn(tx);
        Ok(listings::table
            .filter(listings::shop_id.eq(shop_id))
            .filter(listings::status.eq_any(statuses))
            .order(listings::id.desc())
            .limit(limit)
            .select(Listing::as_select())
            .load(conn)
            .await?)
    }

    pub async fn count_of_shop_in(
        tx: &mut TenantTx,
        shop_id: Uuid,
        statuses: &[ListingStatus],
    ) -> DbResult<i64> {
        let conn = crate::tx::conn(tx);
        Ok(listings::table
            .filter(listings::shop_id.eq(shop_id))
            .filter(listings::status.eq_any(statuses))
            .count()
            .get_result(conn)
            .await?)
    }

    pub async fn update_fields(
        tx: &mut TenantTx,
        id: Uuid,
        fields: &ListingFields,
    ) -> DbResult<Listing> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(listings::table.filter(listings::id.eq(id)))
            .set((fields, listings::updated_at.eq(Utc::now())))
            .returning(Listing::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn set_status(
        tx: &mut TenantTx,
        id: Uuid,
        status: ListingStatus,
        reason: Option<&str>,
    ) -> DbResult<Listing> {
        let conn = crate::tx::conn(tx);
        let published = status.is_public();
        let q = diesel::update(listings::table.filter(listings::id.eq(id)));
        let row = if published {
            q.set((
                listings::status.eq(status),
                listings::status_reason.eq(reason),
                listings::updated_at.eq(Utc::now()),
                listings::published_at.eq(diesel::dsl::sql::<
                    diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
                >("coalesce(published_at, now())")),
            ))
            .returning(Listing::as_returning())
            .get_result(conn)
            .await?
        } else {
            q.set((
                listings::status.eq(status),
                listings::status_reason.eq(reason),
                listings::updated_at.eq(Utc::now()),
            ))
            .returning(Listing::as_returning())
            .get_result(conn)
            .await?
        };
        Ok(row)
    }

    pub async fn delete(tx: &mut TenantTx, id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::delete(listings::table.filter(listings::id.eq(id)))
            .execute(conn)
            .await?
            == 1)
    }

    /// Listings awaiting review, oldest first.
    pub async fn pending_review(tx: &mut TenantTx, limit: i64) -> DbResult<Vec<Listing>> {
        let conn = crate::tx::conn(tx);
        Ok(listings::table
            .filter(listings::status.eq(ListingStatus::PendingReview))
            .order(listings::updated_at.asc())
            .limit(limit)
            .select(Listing::as_select())
            .load(conn)
            .await?)
    }

    /// Whether any listing uses this category.
    pub async fn category_in_use(tx: &mut TenantTx, category_id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n: i64 = listings::table
            .filter(listings::category_id.eq(category_id))
            .count()
            .get_result(conn)
            .await?;
        Ok(n > 0)
    }
}

/// A purchasable variation of a listing (size, colour) with its own stock and price.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = listing_variants, check_for_backend(diesel::pg::Pg))]
pub struct ListingVariant {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub listing_id: Uuid,
    pub sku: Option<String>,
    pub options: serde_json::Value,
    pub price_minor: Option<i64>,
    pub quantity: i32,
    pub position: i32,
}

impl ListingVariant {
    pub async fn of_listing(tx: &mut TenantTx, listing_id: Uuid) -> DbResult<Vec<ListingVariant>> {
        let conn = crate::tx::conn(tx);
        Ok(listing_variants::table
            .filter(listing_variants::listing_id.eq(listing_id))
            .order(listing_variants::position.asc())
            .select(ListingVariant::as_select())
            .load(conn)
            .await?)
    }

    pub async fn of_listings(tx: &mut TenantTx, ids: &[Uuid]) -> DbResult<Vec<ListingVariant>> {
        let conn = crate::tx::conn(tx);
        Ok(listing_variants::table
            .filter(listing_variants::listing_id.eq_any(ids))
            .order((
                listing_variants::listing_id,
                listing_variants::position.asc(),
            ))
            .select(ListingVariant::as_select())
            .load(conn)
            .await?)
    }

    /// Replaces every variant of a listing.
    pub async fn replace(
        tx: &mut TenantTx,
        listing_id: Uuid,
        variants: &[ListingVariant],
    ) -> DbResult<()> {
        tx.owns_all(variants.iter().map(|v| v.tenant_id))?;
        let conn = crate::tx::conn(tx);
        diesel::delete(listing_variants::table.filter(listing_variants::listing_id.eq(listing_id)))
            .execute(conn)
            .await?;
        if !variants.is_empty() {
            diesel::insert_into(listing_variants::table)
                .values(variants)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

/// A buyer's report about a listing or shop.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports, check_for_backend(diesel::pg::Pg))]
pub struct Report {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub reporter_id: Option<Uuid>,
    pub target_kind: String,
    pub target_id: Uuid,
    pub reason: String,
    pub details: Option<String>,
    pub status: ReportStatus,
    pub resolution: Option<String>,
    pub resolved_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl Report {
    pub async fn file(tx: &mut TenantTx, r: &Report) -> DbResult<Report> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(reports::table)
            .values(r)
            .returning(Report::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn open(tx: &mut TenantTx, limit: i64) -> DbResult<Vec<Report>> {
        let conn = crate::tx::conn(tx);
        Ok(reports::table
            .filter(reports::status.eq(ReportStatus::Open))
            .order(reports::created_at.asc())
            .limit(limit)
            .select(Report::as_select())
            .load(conn)
            .await?)
    }

    pub async fn close(
        tx: &mut TenantTx,
        id: Uuid,
        status: ReportStatus,
        resolution: &str,
        by: Uuid,
    ) -> DbResult<Option<Report>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(
            reports::table
                .filter(reports::id.eq(id))
                .filter(reports::status.eq(ReportStatus::Open)),
        )
        .set((
            reports::status.eq(status),
            reports::resolution.eq(resolution),
            reports::resolved_by.eq(by),
            reports::resolved_at.eq(Utc::now()),
        ))
        .returning(Report::as_returning())
        .get_result(conn)
        .await
        .optional()?)
    }
}

/// The operator's catalog rules.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = marketplace_settings, check_for_backend(diesel::pg::Pg))]
pub struct MarketplaceSettings {
    pub tenant_id: Uuid,
    pub shop_review_required: bool,
    pub listing_review_required: bool,
    pub min_photos: i32,
    pub required_listing_fields: Vec<String>,
    pub updated_at: DateTime<Utc>,
    /// How long a review usually takes: `review_time_amount` hours or days
    /// (`review_time_unit`, `hours` or `days`), as sellers are told.
    pub review_time_amount: i32,
    pub review_time_unit: ReviewTimeUnit,
    /// When sellers are paid: at payment, at shipping or some days after delivery.
    pub payout_timing: PayoutTiming,
    /// With `after_delivery`: how many days after delivery (0 to 60).
    pub payout_delay_days: i32,
}

impl MarketplaceSettings {
    pub fn defaults(tenant_id: Uuid) -> Self {
        Self {
            tenant_id,
            shop_review_required: true,
            listing_review_required: false,
            min_photos: 1,
            required_listing_fields: Vec::new(),
            updated_at: Utc::now(),
            review_time_amount: ReviewTime::DEFAULT.amount(),
            review_time_unit: ReviewTime::DEFAULT.unit(),
            payout_timing: PayoutTiming::AtPayment,
            payout_delay_days: 7,
        }
    }

    /// How long a review usually takes (the default should a stored value be out of range).
    pub fn review_time(&self) -> ReviewTime {
        ReviewTime::new(self.review_time_amount, self.review_time_unit)
            .unwrap_or(ReviewTime::DEFAULT)
    }

    /// The stored settings, or the defaults when the operator never changed them.
    pub async fn get(tx: &mut TenantTx) -> DbResult<MarketplaceSettings> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(marketplace_settings::table
            .select(MarketplaceSettings::as_select())
            .first(conn)
            .await
            .optional()?
            .unwrap_or_else(|| Self::defaults(tenant_id)))
    }

    pub async fn save(tx: &mut TenantTx, s: &MarketplaceSettings) -> DbResult<MarketplaceSettings> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(marketplace_settings::table)
            .values(s)
            .on_conflict(marketplace_settings::tenant_id)
            .do_update()
            .set(s)
            .returning(MarketplaceSettings::as_returning())
            .get_result(conn)
            .await?)
    }
}
