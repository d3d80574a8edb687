//! Shops' delivery options. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::shipping_options;
use crate::{DbResult, TenantTx};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A shop's delivery option.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = shipping_options, check_for_backend(diesel::pg::Pg))]
pub struct ShippingOption {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub shop_id: Uuid,
    pub name: String,
    pub base_minor: i64,
    pub per_item_minor: i64,
    pub days_min: i32,
    pub days_max: i32,
    pub position: i32,
}

impl ShippingOption {
    pub async fn of_shops(tx: &mut TenantTx, shop_ids: &[Uuid]) -> DbResult<Vec<ShippingOption>> {
        let conn = crate::tx::conn(tx);
        Ok(shipping_options::table
            .filter(shipping_options::shop_id.eq_any(shop_ids))
            .order((shipping_options::shop_id, shipping_options::position))
            .select(ShippingOption::as_select())
            .load(conn)
            .await?)
    }

    /// Replaces a shop's options with `options` (ids kept where given so carts' choices hold).
    pub async fn replace(
        tx: &mut TenantTx,
        shop_id: Uuid,
        options: &[ShippingOption],
    ) -> DbResult<Vec<ShippingOption>> {
        tx.owns_all(options.iter().map(|o| o.tenant_id))?;
        let conn = crate::tx::conn(tx);
        diesel::delete(shipping_options::table.filter(shipping_options::shop_id.eq(shop_id)))
            .execute(conn)
            .await?;
        if options.is_empty() {
            return Ok(Vec::new());
        }
        Ok(diesel::insert_into(shipping_options::table)
            .values(options)
            .returning(ShippingOption::as_returning())
            .get_results(conn)
            .await?)
    }
}
