//! Tokens handed out and tokens revoked, by the revocation id of their biscuit (hex).
//!
//! `revoked_tokens` is a control-plane table with no tenant data: every instance keeps its
//! unexpired rows in memory. `user_sessions` (a tenant table) and `staff_sessions` (control
//! plane) remember which tokens a person holds, so that removing them or changing their
//! password can revoke every one.

use crate::schema::{revoked_tokens, staff_sessions, user_sessions};
use crate::{AnyTx, ControlTx, DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A revoked token: its revocation id and when it would have expired anyway.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = revoked_tokens, check_for_backend(diesel::pg::Pg))]
pub struct RevokedToken {
    pub revocation_id: String,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: DateTime<Utc>,
}

impl RevokedToken {
    /// Revokes these tokens (`(revocation id, expiry)`); revoking one twice is harmless.
    /// Forgets revocations whose tokens have expired.
    pub async fn insert_many<T: AnyTx>(
        tx: &mut T,
        tokens: &[(String, DateTime<Utc>)],
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::delete(revoked_tokens::table.filter(revoked_tokens::expires_at.lt(Utc::now())))
            .execute(conn)
            .await?;
        if tokens.is_empty() {
            return Ok(());
        }
        let rows: Vec<_> = tokens
            .iter()
            .map(|(id, expires)| {
                (
                    revoked_tokens::revocation_id.eq(id.clone()),
                    revoked_tokens::expires_at.eq(*expires),
                )
            })
            .collect();
        diesel::insert_into(revoked_tokens::table)
            .values(rows)
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Unexpired revocations made since `since` (all of them with `None`).
    pub async fn unexpired_since<T: AnyTx>(
        tx: &mut T,
        since: Option<DateTime<Utc>>,
    ) -> DbResult<Vec<RevokedToken>> {
        let conn = crate::tx::conn(tx);
        let mut q = revoked_tokens::table
            .filter(revoked_tokens::expires_at.gt(Utc::now()))
            .select(RevokedToken::as_select())
            .into_boxed();
        if let Some(since) = since {
            q = q.filter(revoked_tokens::revoked_at.ge(since));
        }
        Ok(q.load(conn).await?)
    }
}

/// A token handed to a marketplace user.
#[derive(Debug)]
pub struct UserSession;

impl UserSession {
    /// Remembers a token handed to `user_id` (this transaction's marketplace); forgets the
    /// user's expired ones.
    pub async fn record(
        tx: &mut TenantTx,
        revocation_id: &str,
        user_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        diesel::delete(
            user_sessions::table
                .filter(user_sessions::user_id.eq(user_id))
                .filter(user_sessions::expires_at.lt(Utc::now())),
        )
        .execute(conn)
        .await?;
        diesel::insert_into(user_sessions::table)
            .values((
                user_sessions::tenant_id.eq(tenant_id),
                user_sessions::revocation_id.eq(revocation_id),
                user_sessions::user_id.eq(user_id),
                user_sessions::expires_at.eq(expires_at),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Forgets every token of `user_id`; returns them (`(revocation id, expiry)`) to revoke.
    pub async fn end_all(
        tx: &mut TenantTx,
        user_id: Uuid,
    ) -> DbResult<Vec<(String, DateTime<Utc>)>> {
        let conn = crate::tx::conn(tx);
        Ok(
            diesel::delete(user_sessions::table.filter(user_sessions::user_id.eq(user_id)))
                .returning((user_sessions::revocation_id, user_sessions::expires_at))
                .get_results(conn)
                .await?,
        )
    }
}

/// A token handed to a Krafto staff member.
#[derive(Debug)]
pub struct StaffSession;

impl StaffSession {
    /// Remembers a token handed to `staff_id`; forgets the expired ones.
    pub async fn record(
        tx: &mut ControlTx,
        revocation_id: &str,
        staff_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::delete(staff_sessions::table.filter(staff_sessions::expires_at.lt(Utc::now())))
            .execute(conn)
            .await?;
        diesel::insert_into(staff_sessions::table)
            .values((
                staff_sessions::revocation_id.eq(revocation_id),
                staff_sessions::staff_id.eq(staff_id),
                staff_sessions::expires_at.eq(expires_at),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Forgets every token of `staff_id`; returns them (`(revocation id, expiry)`) to revoke.
    pub async fn end_all(
        tx: &mut ControlTx,
        staff_id: Uuid,
    ) -> DbResult<Vec<(String, DateTime<Utc>)>> {
        let conn = crate::tx::conn(tx);
        Ok(
            diesel::delete(staff_sessions::table.filter(staff_sessions::staff_id.eq(staff_id)))
                .returning((staff_sessions::revocation_id, staff_sessions::expires_at))
                .get_results(conn)
                .await?,
        )
    }
}
