//! Where and when a pickup delivery option is collected. A delivery option with a pickup
//! place is a pickup option; the place goes when its option goes.

use crate::schema::pickup_places;
use crate::{DbResult, TenantTx};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// The place and opening hours of a pickup option.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = pickup_places, check_for_backend(diesel::pg::Pg))]
pub struct PickupPlace {
    pub tenant_id: Uuid,
    pub option_id: Uuid,
    pub address: String,
    pub hours: String,
}

impl PickupPlace {
    /// The pickup places of these options (options without one deliver).
    pub async fn of_options(tx: &mut TenantTx, option_ids: &[Uuid]) -> DbResult<Vec<PickupPlace>> {
        let conn = crate::tx::conn(tx);
        Ok(pickup_places::table
            .filter(pickup_places::option_id.eq_any(option_ids))
            .select(PickupPlace::as_select())
            .load(conn)
            .await?)
    }

    /// Records the places of options just saved (their earlier places went with them).
    pub async fn insert_all(tx: &mut TenantTx, places: &[PickupPlace]) -> DbResult<()> {
        if places.is_empty() {
            return Ok(());
        }
        tx.owns_all(places.iter().map(|p| p.tenant_id))?;
        let conn = crate::tx::conn(tx);
        diesel::insert_into(pickup_places::table)
            .values(places)
            .execute(conn)
            .await?;
        Ok(())
    }
}
