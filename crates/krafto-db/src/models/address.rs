//! Buyers' saved delivery addresses (their address book). Only ever read and written for
//! one user, inside the caller's tenant-scoped transaction; at most one is the default.

use crate::schema::buyer_addresses;
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A saved delivery address of a buyer.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = buyer_addresses, check_for_backend(diesel::pg::Pg))]
pub struct BuyerAddress {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2, uppercase.
    pub country: String,
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields of an address a buyer gives (already checked).
#[derive(Debug, Clone, PartialEq, AsChangeset)]
#[diesel(table_name = buyer_addresses, treat_none_as_null = true)]
pub struct AddressFields {
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
}

impl BuyerAddress {
    /// The user's addresses, the default first, then oldest first.
    pub async fn of_user(tx: &mut TenantTx, user_id: Uuid) -> DbResult<Vec<BuyerAddress>> {
        let conn = crate::tx::conn(tx);
        Ok(buyer_addresses::table
            .filter(buyer_addresses::user_id.eq(user_id))
            .order((
                buyer_addresses::is_default.desc(),
                buyer_addresses::created_at,
                buyer_addresses::id,
            ))
            .select(BuyerAddress::as_select())
            .load(conn)
            .await?)
    }

    /// One of the user's addresses (`None` when it is not theirs or does not exist).
    pub async fn find(
        tx: &mut TenantTx,
        user_id: Uuid,
        id: Uuid,
    ) -> DbResult<Option<BuyerAddress>> {
        let conn = crate::tx::conn(tx);
        Ok(buyer_addresses::table
            .filter(buyer_addresses::user_id.eq(user_id))
            .filter(buyer_addresses::id.eq(id))
            .select(BuyerAddress::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// How many addresses the user has.
    pub async fn count(tx: &mut TenantTx, user_id: Uuid) -> DbResult<i64> {
        let conn = crate::tx::conn(tx);
        Ok(buyer_addresses::table
            .filter(buyer_addresses::user_id.eq(user_id))
            .count()
            .get_result(conn)
            .await?)
    }

    /// Saves a new address for the user; `is_default` takes the default from any other.
    pub async fn create(
        tx: &mut TenantTx,
        user_id: Uuid,
        fields: &AddressFields,
        is_default: bool,
    ) -> DbResult<BuyerAddress> {
        if is_default {
            Self::clear_default(tx, user_id).await?;
        }
        let tenant_id = tx.tenant_id().get();
        let now = Utc::now();
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(buyer_addresses::table)
            .values(&BuyerAddress {
                tenant_id,
                id: Uuid::now_v7(),
                user_id,
                name: fields.name.clone(),
                line1: fields.line1.clone(),
                line2: fields.line2.clone(),
                postal_code: fields.postal_code.clone(),
                city: fields.city.clone(),
                region: fields.region.clone(),
                country: fields.country.clone(),
                is_default,
                created_at: now,
                updated_at: now,
            })
            .returning(BuyerAddress::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Changes one of the user's addresses (`None` when it is not theirs); `is_default:
    /// Some(true)` makes it the default.
    pub async fn update(
        tx: &mut TenantTx,
        user_id: Uuid,
        id: Uuid,
        fields: &AddressFields,
        is_default: Option<bool>,
    ) -> DbResult<Option<BuyerAddress>> {
        if Self::find(tx, user_id, id).await?.is_none() {
            return Ok(None);
        }
        if is_default == Some(true) {
            Self::clear_default(tx, user_id).await?;
        }
        let conn = crate::tx::conn(tx);
        let target = buyer_addresses::table
            .filter(buyer_addresses::user_id.eq(user_id))
            .filter(buyer_addresses::id.eq(id));
        let updated = match is_default {
            Some(d) => {
                diesel::update(target)
                    .set((
                        fields,
                        buyer_addresses::is_default.eq(d),
                        buyer_addresses::updated_at.eq(diesel::dsl::now),
                    ))
                    .returning(BuyerAddress::as_returning())
                    .get_result(conn)
                    .await?
            }
            None => {
                diesel::update(target)
                    .set((fields, buyer_addresses::updated_at.eq(diesel::dsl::now)))
                    .returning(BuyerAddress::as_returning())
                    .get_result(conn)
                    .await?
            }
        };
        Ok(Some(updated))
    }

    /// Deletes one of the user's addresses; `false` when it is not theirs.
    pub async fn delete(tx: &mut TenantTx, user_id: Uuid, id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::delete(
            buyer_addresses::table
                .filter(buyer_addresses::user_id.eq(user_id))
                .filter(buyer_addresses::id.eq(id)),
        )
        .execute(conn)
        .await?
            == 1)
    }

    /// Deletes every address of the user; returns how many.
    pub async fn delete_all(tx: &mut TenantTx, user_id: Uuid) -> DbResult<usize> {
        let conn = crate::tx::conn(tx);
        Ok(
            diesel::delete(buyer_addresses::table.filter(buyer_addresses::user_id.eq(user_id)))
                .execute(conn)
                .await?,
        )
    }

    async fn clear_default(tx: &mut TenantTx, user_id: Uuid) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(
            buyer_addresses::table
                .filter(buyer_addresses::user_id.eq(user_id))
                .filter(buyer_addresses::is_default),
        )
        .set(buyer_addresses::is_default.eq(false))
        .execute(conn)
        .await?;
        Ok(())
    }
}
