use crate::schema::one_time_codes;
use crate::{DbResult, TenantTx};
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

    /// Codes requested for `email` since `since` (rate limiting).
    pub async fn count_for_email_since(
        tx: &mut TenantTx,
        email: &str,
        since: DateTime<Utc>,
    ) -> DbResult<i64> {
        let conn = crate::tx::conn(tx);
        Ok(one_time_codes::table
            .filter(one_time_codes::email.eq(email))
            .filter(one_time_codes::created_at.gt(since))
            .count()
            .get_result(conn)
            .await?)
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

    /// The newest unconsumed code for `email`, locked for the rest of the transaction so
    /// concurrent guesses are counted one by one.
    pub async fn latest_open_for_update(
        tx: &mut TenantTx,
        email: &str,
    ) -> DbResult<Option<OneTimeCode>> {
        let conn = crate::tx::conn(tx);
        Ok(one_time_codes::table
            .filter(one_time_codes::email.eq(email))
            .filter(one_time_codes::consumed_at.is_null())
            .order(one_time_codes::created_at.desc())
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
