use crate::DbResult;
use crate::schema::outbox;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// A message announced by a committed change, for the worker to deliver.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = outbox, check_for_backend(diesel::pg::Pg))]
pub struct OutboxMessage {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    pub status: String,
    pub attempts: i32,
    pub run_after: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
}

impl OutboxMessage {
    /// Enqueues a message in the caller's transaction: it exists exactly when the change does.
    pub async fn enqueue(
        conn: &mut AsyncPgConnection,
        tenant_id: Uuid,
        kind: &str,
        payload: serde_json::Value,
    ) -> DbResult<Uuid> {
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

    pub async fn pending(conn: &mut AsyncPgConnection) -> DbResult<Vec<OutboxMessage>> {
        Ok(outbox::table
            .filter(outbox::status.eq("pending"))
            .order(outbox::id.asc())
            .select(OutboxMessage::as_select())
            .load(conn)
            .await?)
    }
}
