//! The transactional outbox: a message is written in the same transaction as the change it
//! announces, so it exists exactly when the change does; the worker (`krafto-jobs`) claims,
//! delivers and settles it.
//!
//! Enqueueing runs as the platform role inside a tenant-scoped transaction. Claiming and
//! settling run as `krafto_worker`, the one role whose policy shows every tenant's messages
//! (and which can touch no other table). A claim is a lease: `locked_until` hides the message
//! from other claimers, and `attempts` (bumped by every claim) is the fencing token that
//! settling must present, so a worker whose lease ran out cannot settle a message somebody
//! else has since claimed.

use crate::schema::outbox;
use crate::{DbResult, TenantTx, WorkerTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Float8, Int4, Int8, Text, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use krafto_core::OutboxStatus;
use std::time::Duration;
use uuid::Uuid;

/// Longest `last_error` kept; handler errors can be long (HTTP bodies).
const MAX_ERROR_CHARS: usize = 2000;

/// A message announced by a committed change, for the worker to deliver.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = outbox, check_for_backend(diesel::pg::Pg))]
pub struct OutboxMessage {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: OutboxStatus,
    /// Claims so far, the current one included.
    pub attempts: i32,
    pub run_after: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
}

fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn clip(error: &str) -> String {
    error.chars().take(MAX_ERROR_CHARS).collect()
}

impl OutboxMessage {
    /// Enqueues a message in the caller's transaction: it exists exactly when the change does.
    pub async fn enqueue(
        tx: &mut TenantTx,
        kind: &str,
        payload: serde_json::Value,
    ) -> DbResult<Uuid> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let id = Uuid::now_v7();
        diesel::insert_into(outbox::table)
            .values((
                outbox::tenant_id.eq(tenant_id),
                outbox::id.eq(id),
                outbox::kind.eq(kind),
                outbox::payload.eq(payload),
            ))
            .execute(conn)
            .await?;
        Ok(id)
    }

    /// Enqueues a message not to be delivered before `run_after` (timeouts, delayed checks).
    pub async fn enqueue_at(
        tx: &mut TenantTx,
        kind: &str,
        payload: serde_json::Value,
        run_after: DateTime<Utc>,
    ) -> DbResult<Uuid> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let id = Uuid::now_v7();
        diesel::insert_into(outbox::table)
            .values((
                outbox::tenant_id.eq(tenant_id),
                outbox::id.eq(id),
                outbox::kind.eq(kind),
                outbox::payload.eq(payload),
                outbox::run_after.eq(run_after),
            ))
            .execute(conn)
            .await?;
        Ok(id)
    }

    /// Enqueues several messages of one kind in one statement (bulk changes such as an
    /// import).
    pub async fn enqueue_many(
        tx: &mut TenantTx,
        kind: &str,
        payloads: Vec<serde_json::Value>,
    ) -> DbResult<usize> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        if payloads.is_empty() {
            return Ok(0);
        }
        let rows: Vec<_> = payloads
            .into_iter()
            .map(|payload| {
                (
                    outbox::tenant_id.eq(tenant_id),
                    outbox::id.eq(Uuid::now_v7()),
                    outbox::kind.eq(kind),
                    outbox::payload.eq(payload),
                )
            })
            .collect();
        Ok(diesel::insert_into(outbox::table)
            .values(rows)
            .execute(conn)
            .await?)
    }

    pub async fn pending(tx: &mut WorkerTx) -> DbResult<Vec<OutboxMessage>> {
        let conn = crate::tx::conn(tx);
        Ok(outbox::table
            .filter(outbox::status.eq(OutboxStatus::Pending))
            .order(outbox::id.asc())
            .select(OutboxMessage::as_select())
            .load(conn)
            .await?)
    }

    /// Claims up to `limit` due messages of `kinds`, of every tenant, for `lease` (worker
    /// role only; any other role sees no rows here). Rows another claimer holds are skipped,
    /// not waited for, and each claim bumps `attempts`. Commit the claim before handling the
    /// messages, so the lease is visible to other workers.
    pub async fn claim(
        tx: &mut WorkerTx,
        kinds: &[String],
        limit: i64,
        lease: Duration,
    ) -> DbResult<Vec<OutboxMessage>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::sql_query(
            "UPDATE outbox SET locked_until = now() + make_interval(secs => $2), attempts = attempts + 1 \
             WHERE (tenant_id, id) IN ( \
                 SELECT tenant_id, id FROM outbox \
                 WHERE status = 'pending' AND run_after <= now() \
                   AND (locked_until IS NULL OR locked_until < now()) AND kind = ANY($3) \
                 ORDER BY run_after LIMIT $1 \
                 FOR UPDATE SKIP LOCKED) \
             RETURNING tenant_id, id, kind, payload, status, attempts, run_after, locked_until, \
                       last_error, created_at, processed_at",
        )
        .bind::<Int8, _>(limit)
        .bind::<Float8, _>(seconds(lease))
        .bind::<Array<Text>, _>(kinds)
        .load(conn)
        .await?)
    }

    /// Deletes up to `limit` delivered messages processed more than `older_than_secs` ago
    /// (worker role); returns how many went. Pending and dead messages are never pruned.
    pub async fn prune_done(
        tx: &mut WorkerTx,
        older_than_secs: i64,
        limit: i64,
    ) -> DbResult<usize> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::sql_query(
            "DELETE FROM outbox WHERE (tenant_id, id) IN (SELECT tenant_id, id FROM outbox \
             WHERE status = 'done' AND processed_at < now() - $1 * interval '1 second' LIMIT $2)",
        )
        .bind::<diesel::sql_types::Int8, _>(older_than_secs)
        .bind::<diesel::sql_types::Int8, _>(limit)
        .execute(conn)
        .await?)
    }

    /// Marks a claimed message delivered. `false` when the claim was lost (the lease ran out
    /// and another worker claimed the message since).
    pub async fn complete(
        tx: &mut WorkerTx,
        tenant_id: Uuid,
        id: Uuid,
        attempt: i32,
    ) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::sql_query(
            "UPDATE outbox SET status = 'done', processed_at = now(), locked_until = NULL \
             WHERE tenant_id = $1 AND id = $2 AND attempts = $3 AND status = 'pending'",
        )
        .bind::<SqlUuid, _>(tenant_id)
        .bind::<SqlUuid, _>(id)
        .bind::<Int4, _>(attempt)
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Releases a claimed message to be tried again after `delay`, keeping the error.
    /// `false` when the claim was lost.
    pub async fn retry_later(
        tx: &mut WorkerTx,
        tenant_id: Uuid,
        id: Uuid,
        attempt: i32,
        error: &str,
        delay: Duration,
    ) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::sql_query(
            "UPDATE outbox SET run_after = now() + make_interval(secs => $5), locked_until = NULL, \
             last_error = $4 \
             WHERE tenant_id = $1 AND id = $2 AND attempts = $3 AND status = 'pending'",
        )
        .bind::<SqlUuid, _>(tenant_id)
        .bind::<SqlUuid, _>(id)
        .bind::<Int4, _>(attempt)
        .bind::<Text, _>(clip(error))
        .bind::<Float8, _>(seconds(delay))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }

    /// Parks a claimed message as `dead` (the dead letter): never claimed again, kept with
    /// its last error for an operator. `false` when the claim was lost.
    pub async fn bury(
        tx: &mut WorkerTx,
        tenant_id: Uuid,
        id: Uuid,
        attempt: i32,
        error: &str,
    ) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::sql_query(
            "UPDATE outbox SET status = 'dead', locked_until = NULL, last_error = $4 \
             WHERE tenant_id = $1 AND id = $2 AND attempts = $3 AND status = 'pending'",
        )
        .bind::<SqlUuid, _>(tenant_id)
        .bind::<SqlUuid, _>(id)
        .bind::<Int4, _>(attempt)
        .bind::<Text, _>(clip(error))
        .execute(conn)
        .await?;
        Ok(n == 1)
    }
}
