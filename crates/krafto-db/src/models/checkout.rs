//! Checkouts as stored: creation under an idempotency key, payment and status. Rules are decided in `krafto_core::commerce`; these functions only read and write rows,
//! always inside the caller's tenant-scoped transaction.

use crate::schema::checkouts;
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use krafto_core::commerce::CheckoutStatus;
use uuid::Uuid;

/// A checkout, as stored.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = checkouts, check_for_backend(diesel::pg::Pg))]
pub struct Checkout {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub cart_id: Uuid,
    pub buyer_id: Option<Uuid>,
    pub email: String,
    pub phone: Option<String>,
    pub address: serde_json::Value,
    pub currency: String,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub total_minor: i64,
    pub commission_bps: i32,
    pub platform_fee_bps: i32,
    pub buyer_fee_bps: i32,
    pub plan: serde_json::Value,
    pub status: CheckoutStatus,
    pub gateway: String,
    pub payment_id: Option<String>,
    pub client_secret: Option<String>,
    pub idempotency_key: String,
    pub request_hash: String,
    pub failure_reason: Option<String>,
    pub expires_at: DateTime<Utc>,
    pub payment_state_at: i64,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

/// A checkout to create.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = checkouts)]
pub struct NewCheckout {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub cart_id: Uuid,
    pub buyer_id: Option<Uuid>,
    pub email: String,
    pub phone: Option<String>,
    pub address: serde_json::Value,
    pub currency: String,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub total_minor: i64,
    pub commission_bps: i32,
    pub platform_fee_bps: i32,
    pub buyer_fee_bps: i32,
    pub plan: serde_json::Value,
    pub gateway: String,
    pub idempotency_key: String,
    pub request_hash: String,
    pub expires_at: DateTime<Utc>,
}

impl Checkout {
    /// Inserts, or returns `None` when the idempotency key is taken (the caller then reads
    /// the existing checkout).
    pub async fn insert(tx: &mut TenantTx, new: &NewCheckout) -> DbResult<Option<Checkout>> {
        tx.owns_all([new.tenant_id])?;
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(checkouts::table)
            .values(new)
            .on_conflict((checkouts::tenant_id, checkouts::idempotency_key))
            .do_nothing()
            .returning(Checkout::as_returning())
            .get_result(conn)
            .await
            .optional()?)
    }

    /// Serialises requests carrying the same idempotency key in one marketplace until the
    /// caller's transaction ends, so the second one finds the first's checkout.
    pub async fn lock_key(tx: &mut TenantTx, key: &str) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(format!("checkout:{tenant_id}:{key}"))
            .execute(conn)
            .await?;
        Ok(())
    }

    pub async fn find(tx: &mut TenantTx, id: Uuid) -> DbResult<Checkout> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::id.eq(id))
            .select(Checkout::as_select())
            .first(conn)
            .await?)
    }

    /// The checkout a gateway payment belongs to.
    pub async fn by_payment_id(tx: &mut TenantTx, payment_id: &str) -> DbResult<Option<Checkout>> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::payment_id.eq(payment_id))
            .select(Checkout::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn find_for_update(tx: &mut TenantTx, id: Uuid) -> DbResult<Checkout> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::id.eq(id))
            .select(Checkout::as_select())
            .for_update()
            .first(conn)
            .await?)
    }

    pub async fn by_key(tx: &mut TenantTx, key: &str) -> DbResult<Option<Checkout>> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::idempotency_key.eq(key))
            .select(Checkout::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Records the created payment and opens the checkout for payment.
    pub async fn set_payment(
        tx: &mut TenantTx,
        id: Uuid,
        payment_id: &str,
        client_secret: Option<&str>,
    ) -> DbResult<Checkout> {
        let conn = crate::tx::conn(tx);
        Ok(
            diesel::update(checkouts::table.filter(checkouts::id.eq(id)))
                .set((
                    checkouts::payment_id.eq(payment_id),
                    checkouts::client_secret.eq(client_secret),
                    checkouts::status.eq(CheckoutStatus::AwaitingPayment),
                    checkouts::updated_at.eq(diesel::dsl::now),
                ))
                .returning(Checkout::as_returning())
                .get_result(conn)
                .await?,
        )
    }

    /// Records the charge behind the checkout's payment (transfers name it as their source).
    /// A charge already recorded is kept: a payment has one charge that succeeded.
    pub async fn set_charge(tx: &mut TenantTx, id: Uuid, charge_id: &str) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(
            checkouts::table
                .filter(checkouts::id.eq(id))
                .filter(checkouts::charge_id.is_null()),
        )
        .set(checkouts::charge_id.eq(charge_id))
        .execute(conn)
        .await?;
        Ok(())
    }

    /// The charge behind the checkout's payment, once it succeeded.
    /// Records Stripe's fee on the checkout's charge, once: `false` when it was recorded
    /// before.
    pub async fn set_stripe_fee(tx: &mut TenantTx, id: Uuid, fee: i64) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::update(
            checkouts::table
                .filter(checkouts::id.eq(id))
                .filter(checkouts::stripe_fee_minor.is_null()),
        )
        .set(checkouts::stripe_fee_minor.eq(fee))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Stripe's fee on the checkout's charge, once known.
    pub async fn stripe_fee(tx: &mut TenantTx, id: Uuid) -> DbResult<Option<i64>> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::id.eq(id))
            .select(checkouts::stripe_fee_minor)
            .first(conn)
            .await?)
    }

    pub async fn charge_id(tx: &mut TenantTx, id: Uuid) -> DbResult<Option<String>> {
        let conn = crate::tx::conn(tx);
        Ok(checkouts::table
            .filter(checkouts::id.eq(id))
            .select(checkouts::charge_id)
            .first(conn)
            .await?)
    }

    pub async fn set_status(
        tx: &mut TenantTx,
        id: Uuid,
        status: CheckoutStatus,
        failure_reason: Option<&str>,
        payment_state_at: i64,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(checkouts::table.filter(checkouts::id.eq(id)))
            .set((
                checkouts::status.eq(status),
                checkouts::failure_reason.eq(failure_reason),
                checkouts::payment_state_at.eq(payment_state_at),
                checkouts::updated_at.eq(diesel::dsl::now),
                checkouts::paid_at.eq(if status == CheckoutStatus::Paid {
                    Some(Utc::now())
                } else {
                    None
                }),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}
