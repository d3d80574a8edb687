//! Sellers' payout (Express) accounts and their reported readiness. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::seller_accounts;
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A connected account's readiness as last reported.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountReadiness {
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    pub requirements: Vec<String>,
}

/// A seller's Express account.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = seller_accounts, check_for_backend(diesel::pg::Pg))]
pub struct SellerAccount {
    pub tenant_id: Uuid,
    pub shop_id: Uuid,
    pub account_id: String,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    pub requirements: Vec<String>,
    pub state_at: i64,
    pub updated_at: DateTime<Utc>,
}

impl SellerAccount {
    /// Whether buyers may pay this seller.
    pub fn ready(&self) -> bool {
        self.charges_enabled && self.payouts_enabled
    }

    pub async fn of_shop(tx: &mut TenantTx, shop_id: Uuid) -> DbResult<Option<SellerAccount>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_accounts::table
            .filter(seller_accounts::shop_id.eq(shop_id))
            .select(SellerAccount::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn of_shops(tx: &mut TenantTx, shop_ids: &[Uuid]) -> DbResult<Vec<SellerAccount>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_accounts::table
            .filter(seller_accounts::shop_id.eq_any(shop_ids))
            .select(SellerAccount::as_select())
            .load(conn)
            .await?)
    }

    /// The shops among `shop_ids` whose sellers can be paid.
    pub async fn ready_shops(tx: &mut TenantTx, shop_ids: &[Uuid]) -> DbResult<Vec<Uuid>> {
        let conn = crate::tx::conn(tx);
        Ok(seller_accounts::table
            .filter(seller_accounts::shop_id.eq_any(shop_ids))
            .filter(seller_accounts::charges_enabled)
            .filter(seller_accounts::payouts_enabled)
            .select(seller_accounts::shop_id)
            .load(conn)
            .await?)
    }

    pub async fn create(
        tx: &mut TenantTx,
        shop_id: Uuid,
        account_id: &str,
        readiness: &AccountReadiness,
    ) -> DbResult<SellerAccount> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(seller_accounts::table)
            .values((
                seller_accounts::tenant_id.eq(tenant_id),
                seller_accounts::shop_id.eq(shop_id),
                seller_accounts::account_id.eq(account_id),
                seller_accounts::charges_enabled.eq(readiness.charges_enabled),
                seller_accounts::payouts_enabled.eq(readiness.payouts_enabled),
                seller_accounts::details_submitted.eq(readiness.details_submitted),
                seller_accounts::requirements.eq(&readiness.requirements),
            ))
            .returning(SellerAccount::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Applies a reported state unless a newer one (by provider timestamp) was applied
    /// already. Returns whether it was applied.
    pub async fn apply(
        tx: &mut TenantTx,
        account_id: &str,
        readiness: &AccountReadiness,
        state_at: i64,
    ) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::update(
            seller_accounts::table
                .filter(seller_accounts::account_id.eq(account_id))
                .filter(seller_accounts::state_at.le(state_at)),
        )
        .set((
            seller_accounts::charges_enabled.eq(readiness.charges_enabled),
            seller_accounts::payouts_enabled.eq(readiness.payouts_enabled),
            seller_accounts::details_submitted.eq(readiness.details_submitted),
            seller_accounts::requirements.eq(&readiness.requirements),
            seller_accounts::state_at.eq(state_at),
            seller_accounts::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }
}
