use crate::schema::{tenant_domains, tenants};
use crate::{AnyTx, DbResult};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krafto_core::TenantStatus;
use uuid::Uuid;

/// A marketplace, as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = tenants, check_for_backend(diesel::pg::Pg))]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: TenantStatus,
    pub suspended_reason: Option<String>,
    pub template: String,
    pub currency: String,
    pub locale: String,
    pub display_name: String,
    pub logo_url: Option<String>,
    pub primary_color: String,
    pub accent_color: String,
    pub tagline: Option<String>,
    pub seller_commission_bps: i32,
    pub platform_fee_bps: i32,
    pub minimum_order_minor: i64,
    pub features: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Charged to buyers on top of item prices, kept by the marketplace.
    pub buyer_fee_bps: i32,
    /// The marketplace's Stripe Connect account (its commission is paid there).
    pub stripe_account_id: Option<String>,
    pub stripe_charges_enabled: bool,
    pub stripe_payouts_enabled: bool,
    pub stripe_requirements: Vec<String>,
    pub stripe_state_at: i64,
    /// The uploaded logo (krafto-media's `StoredImage` as JSON); wins over `logo_url`.
    pub logo_image: Option<serde_json::Value>,
    /// Buyers and sellers see "Powered by Krafto" (the marketplace's plan says so).
    pub powered_by: bool,
    /// The public API's documentation is served on the marketplace's host.
    pub public_api: bool,
    /// Where replies to the marketplace's e-mails go.
    pub support_email: Option<String>,
    /// Krafto gives its own fee back when an order is refunded (otherwise the marketplace
    /// returns it out of its share). Set by Krafto staff.
    pub refund_platform_fee: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = tenants)]
pub struct NewTenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub template: String,
    pub currency: String,
    pub locale: String,
    pub display_name: String,
    pub logo_url: Option<String>,
    pub primary_color: String,
    pub accent_color: String,
    pub tagline: Option<String>,
    pub seller_commission_bps: i32,
    pub platform_fee_bps: i32,
    pub minimum_order_minor: i64,
    pub features: serde_json::Value,
    pub refund_platform_fee: bool,
}

/// A partial update; `None` leaves a column alone, `Some(None)` clears a nullable one.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tenants)]
pub struct TenantChanges {
    pub name: Option<String>,
    pub status: Option<TenantStatus>,
    pub suspended_reason: Option<Option<String>>,
    pub display_name: Option<String>,
    pub logo_url: Option<Option<String>>,
    pub logo_image: Option<Option<serde_json::Value>>,
    pub primary_color: Option<String>,
    pub accent_color: Option<String>,
    pub tagline: Option<Option<String>>,
    pub seller_commission_bps: Option<i32>,
    pub platform_fee_bps: Option<i32>,
    pub minimum_order_minor: Option<i64>,
    pub buyer_fee_bps: Option<i32>,
    pub features: Option<serde_json::Value>,
    pub powered_by: Option<bool>,
    pub public_api: Option<bool>,
    pub support_email: Option<Option<String>>,
    pub refund_platform_fee: Option<bool>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Listing filter for the control plane.
#[derive(Debug, Default)]
pub struct TenantFilter<'a> {
    pub status: Option<TenantStatus>,
    /// Substring of slug, name or custom domain, case-insensitive.
    pub query: Option<&'a str>,
    /// Keyset cursor: only tenants with a greater id (ids are time-ordered UUIDv7).
    pub after: Option<Uuid>,
    pub limit: i64,
}

impl Tenant {
    pub async fn find(tx: &mut impl AnyTx, id: Uuid) -> DbResult<Tenant> {
        let conn = crate::tx::conn(tx);
        Ok(tenants::table
            .find(id)
            .select(Tenant::as_select())
            .first(conn)
            .await?)
    }

    /// Locks the row for the rest of the transaction (serialises concurrent edits).
    pub async fn find_for_update(tx: &mut impl AnyTx, id: Uuid) -> DbResult<Tenant> {
        let conn = crate::tx::conn(tx);
        Ok(tenants::table
            .find(id)
            .select(Tenant::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    pub async fn find_by_slug(tx: &mut impl AnyTx, slug: &str) -> DbResult<Option<Tenant>> {
        let conn = crate::tx::conn(tx);
        Ok(tenants::table
            .filter(tenants::slug.eq(slug))
            .select(Tenant::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The tenant a verified custom domain points at.
    pub async fn find_by_domain(tx: &mut impl AnyTx, host: &str) -> DbResult<Option<Tenant>> {
        let conn = crate::tx::conn(tx);
        Ok(tenants::table
            .inner_join(tenant_domains::table)
            .filter(tenant_domains::host.eq(host))
            .filter(tenant_domains::verified.eq(true))
            .select(Tenant::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn insert(tx: &mut impl AnyTx, new: &NewTenant) -> DbResult<Tenant> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(tenants::table)
            .values(new)
            .returning(Tenant::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn update(
        tx: &mut impl AnyTx,
        id: Uuid,
        mut changes: TenantChanges,
    ) -> DbResult<Tenant> {
        let conn = crate::tx::conn(tx);
        changes.updated_at = Some(Utc::now());
        Ok(diesel::update(tenants::table.find(id))
            .set(&changes)
            .returning(Tenant::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn list(tx: &mut impl AnyTx, filter: &TenantFilter<'_>) -> DbResult<Vec<Tenant>> {
        let conn = crate::tx::conn(tx);
        let mut query = tenants::table.select(Tenant::as_select()).into_boxed();
        if let Some(status) = filter.status {
            query = query.filter(tenants::status.eq(status));
        }
        if let Some(q) = filter.query {
            let pattern = format!(
                "%{}%",
                q.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let by_domain = tenant_domains::table
                .filter(tenant_domains::host.ilike(pattern.clone()))
                .select(tenant_domains::tenant_id);
            query = query.filter(
                tenants::slug
                    .ilike(pattern.clone())
                    .or(tenants::name.ilike(pattern))
                    .or(tenants::id.eq_any(by_domain)),
            );
        }
        if let Some(after) = filter.after {
            query = query.filter(tenants::id.gt(after));
        }
        Ok(query
            .order(tenants::id.asc())
            .limit(filter.limit)
            .load(conn)
            .await?)
    }

    /// Records the marketplace's Connect account (control plane).
    pub async fn set_stripe_account(
        tx: &mut impl AnyTx,
        id: Uuid,
        account_id: &str,
    ) -> DbResult<Tenant> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(tenants::table.find(id))
            .set((
                tenants::stripe_account_id.eq(account_id),
                tenants::updated_at.eq(diesel::dsl::now),
            ))
            .returning(Tenant::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Applies a reported Connect account state unless a newer one was applied. Returns the
    /// tenant when it was applied.
    pub async fn apply_stripe_state(
        tx: &mut impl AnyTx,
        account_id: &str,
        readiness: &crate::models::AccountReadiness,
        state_at: i64,
    ) -> DbResult<Option<Uuid>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(
            tenants::table
                .filter(tenants::stripe_account_id.eq(account_id))
                .filter(tenants::stripe_state_at.le(state_at)),
        )
        .set((
            tenants::stripe_charges_enabled.eq(readiness.charges_enabled),
            tenants::stripe_payouts_enabled.eq(readiness.payouts_enabled),
            tenants::stripe_requirements.eq(&readiness.requirements),
            tenants::stripe_state_at.eq(state_at),
        ))
        .returning(tenants::id)
        .get_result(conn)
        .await
        .optional()?)
    }
}
