//! A marketplace's commission overrides: a rate agreed with one shop, or set for one
//! category. Which one a sold line pays is decided by `krafto_core::commission`; this only
//! stores them, inside the caller's tenant transaction.

use crate::schema::commission_overrides;
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::{excluded, on_constraint};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// What an override applies to: a shop or a category, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommissionTarget {
    Shop(Uuid),
    Category(Uuid),
}

/// One override.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = commission_overrides, check_for_backend(diesel::pg::Pg))]
pub struct CommissionOverride {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub shop_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    pub commission_bps: i32,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<Uuid>,
}

impl CommissionOverride {
    /// The shop or category it applies to (the table allows exactly one).
    pub fn target(&self) -> Option<CommissionTarget> {
        match (self.shop_id, self.category_id) {
            (Some(s), None) => Some(CommissionTarget::Shop(s)),
            (None, Some(c)) => Some(CommissionTarget::Category(c)),
            _ => None,
        }
    }

    /// Every override of the marketplace, oldest first.
    pub async fn all(tx: &mut TenantTx) -> DbResult<Vec<CommissionOverride>> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(commission_overrides::table
            .filter(commission_overrides::tenant_id.eq(tenant_id))
            .select(CommissionOverride::as_select())
            .order((
                commission_overrides::created_at.asc(),
                commission_overrides::id.asc(),
            ))
            .load(conn)
            .await?)
    }

    /// The override of `target`, locked until the transaction ends (so its change is
    /// recorded against the value it replaced).
    pub async fn of_target_for_update(
        tx: &mut TenantTx,
        target: CommissionTarget,
    ) -> DbResult<Option<CommissionOverride>> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let scoped = commission_overrides::table
            .filter(commission_overrides::tenant_id.eq(tenant_id))
            .select(CommissionOverride::as_select());
        let found = match target {
            CommissionTarget::Shop(s) => {
                scoped
                    .filter(commission_overrides::shop_id.eq(s))
                    .for_update()
                    .first(conn)
                    .await
            }
            CommissionTarget::Category(c) => {
                scoped
                    .filter(commission_overrides::category_id.eq(c))
                    .for_update()
                    .first(conn)
                    .await
            }
        };
        Ok(found.optional()?)
    }

    /// Sets the rate and note of `target` (made if it has none), by `by`.
    pub async fn put(
        tx: &mut TenantTx,
        target: CommissionTarget,
        commission_bps: i32,
        note: Option<&str>,
        by: Option<Uuid>,
    ) -> DbResult<CommissionOverride> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let (shop_id, category_id, constraint) = match target {
            CommissionTarget::Shop(s) => (Some(s), None, "commission_overrides_one_per_shop"),
            CommissionTarget::Category(c) => {
                (None, Some(c), "commission_overrides_one_per_category")
            }
        };
        let now = Utc::now();
        Ok(diesel::insert_into(commission_overrides::table)
            .values((
                commission_overrides::tenant_id.eq(tenant_id),
                commission_overrides::id.eq(Uuid::now_v7()),
                commission_overrides::shop_id.eq(shop_id),
                commission_overrides::category_id.eq(category_id),
                commission_overrides::commission_bps.eq(commission_bps),
                commission_overrides::note.eq(note),
                commission_overrides::created_at.eq(now),
                commission_overrides::created_by.eq(by),
                commission_overrides::updated_at.eq(now),
                commission_overrides::updated_by.eq(by),
            ))
            .on_conflict(on_constraint(constraint))
            .do_update()
            .set((
                commission_overrides::commission_bps
                    .eq(excluded(commission_overrides::commission_bps)),
                commission_overrides::note.eq(excluded(commission_overrides::note)),
                commission_overrides::updated_at.eq(excluded(commission_overrides::updated_at)),
                commission_overrides::updated_by.eq(excluded(commission_overrides::updated_by)),
            ))
            .returning(CommissionOverride::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Removes override `id`; the removed one, or `None` when there is none.
    pub async fn remove(tx: &mut TenantTx, id: Uuid) -> DbResult<Option<CommissionOverride>> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        Ok(diesel::delete(
            commission_overrides::table
                .filter(commission_overrides::tenant_id.eq(tenant_id))
                .filter(commission_overrides::id.eq(id)),
        )
        .returning(CommissionOverride::as_returning())
        .get_result(conn)
        .await
        .optional()?)
    }
}
