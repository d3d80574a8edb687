use crate::schema::{one_time_codes, otp_address_requests};
use crate::{AnyTx, DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A sign-in code sent by e-mail; only its keyed hash is stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = one_time_codes, check_for_backend(diesel::pg::Pg))]
pub struct OneTimeCode {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub email: String,
    pub code_hash: String,
    pub requested_ip: Option<String>,
    pub attempts: i32,
    pub expires_at: DateTime<Utc>,
    pub consumed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl OneTimeCode {
    pub async fn insert(tx: &mut TenantTx, code: &OneTimeCode) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::insert_into(one_time_codes::table)
            .values(code)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Codes requested from `ip` since `since` (rate limiting).
    pub async fn count_for_ip_since(
        tx: &mut TenantTx,
        ip: &str,
        since: DateTime<Utc>,
    ) -> DbResult<i64> {
        let conn = crate::tx::conn(tx);
        Ok(one_time_codes::table
            .filter(one_time_codes::requested_ip.eq(ip))
            .filter(one_time_codes::created_at.gt(since))
            .count()
            .get_result(conn)
            .await?)
    }

    /// The unconsumed code `id` of `email`, locked for the rest of the transaction so
    /// concurrent guesses are counted one by one.
    pub async fn open_for_update(
        tx: &mut TenantTx,
        id: Uuid,
        email: &str,
    ) -> DbResult<Option<OneTimeCode>> {
        let conn = crate::tx::conn(tx);
        Ok(one_time_codes::table
            .filter(one_time_codes::id.eq(id))
            .filter(one_time_codes::email.eq(email))
            .filter(one_time_codes::consumed_at.is_null())
            .select(OneTimeCode::as_select())
            .for_update()
            .first(conn)
            .await
            .optional()?)
    }

    pub async fn record_failed_attempt(tx: &mut TenantTx, id: Uuid) -> DbResult<i32> {
        let conn = crate::tx::conn(tx);
        Ok(
            diesel::update(one_time_codes::table.filter(one_time_codes::id.eq(id)))
                .set(one_time_codes::attempts.eq(one_time_codes::attempts + 1))
                .returning(one_time_codes::attempts)
                .get_result(conn)
                .await?,
        )
    }

    /// Marks this code and every older open code of the same e-mail as used.
    pub async fn consume(tx: &mut TenantTx, email: &str) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(
            one_time_codes::table
                .filter(one_time_codes::email.eq(email))
                .filter(one_time_codes::consumed_at.is_null()),
        )
        .set(one_time_codes::consumed_at.eq(Utc::now()))
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// One sign-in code requested for an address, in any marketplace: only the address's keyed
/// hash is kept (a control-plane table, no tenant).
#[derive(Debug)]
pub struct OtpAddressRequest;

impl OtpAddressRequest {
    /// Serialises requests for one address across every marketplace until the transaction
    /// ends, then counts its requests since `since`.
    pub async fn lock_and_count_since<T: AnyTx>(
        tx: &mut T,
        address_hash: &str,
        since: DateTime<Utc>,
    ) -> DbResult<i64> {
        let conn = crate::tx::conn(tx);
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(format!("otp-address:{address_hash}"))
            .execute(conn)
            .await?;
        Ok(otp_address_requests::table
            .filter(otp_address_requests::address_hash.eq(address_hash))
            .filter(otp_address_requests::created_at.gt(since))
            .count()
            .get_result(conn)
            .await?)
    }

    /// Records a request, and forgets every request older than `forget_before`.
    pub async fn record<T: AnyTx>(
        tx: &mut T,
        address_hash: &str,
        now: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::delete(
            otp_address_requests::table.filter(otp_address_requests::created_at.lt(forget_before)),
        )
        .execute(conn)
        .await?;
        diesel::insert_into(otp_address_requests::table)
            .values((
                otp_address_requests::id.eq(Uuid::now_v7()),
                otp_address_requests::address_hash.eq(address_hash),
                otp_address_requests::created_at.eq(now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}
