//! Krafto staff refund an order of a marketplace (a buyer who reached Krafto's support, a
//! marketplace that cannot act): the control plane records the request in the marketplace's
//! outbox, audited, and the platform's worker makes the refund through the same use case as
//! operators (everything left of the order, shipping included), exactly once.

use crate::ControlState;
use crate::provision::{load_tenant, record};
use krafto_api_types::Code;
use krafto_core::FieldError;
use krafto_db::TenantScope;
use krafto_db::models::{Actor, NewAuditEntry, Order, OutboxMessage};
use krafto_web::{ApiError, ApiResult};
use serde_json::json;
use uuid::Uuid;

/// Queues a refund of everything left of order `number`, saying why (shown to the buyer).
pub(crate) async fn request(
    state: &ControlState,
    actor: &Actor,
    tenant_id: Uuid,
    number: &str,
    reason: &str,
    request_id: Option<String>,
) -> ApiResult<()> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::field(FieldError::new(
            "reason",
            "say why: the buyer is told",
        )));
    }
    if reason.chars().count() > 1000 {
        return Err(ApiError::field(FieldError::new(
            "reason",
            "at most 1000 characters",
        )));
    }
    let tenant = load_tenant(state, tenant_id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    let Some(order) = Order::by_number(&mut tx, number).await? else {
        return Err(ApiError::not_found(
            Code::OrderNotFound,
            format!("no order {number} in this marketplace"),
        ));
    };
    OutboxMessage::enqueue(
        &mut tx,
        krafto_core::refund::STAFF_REFUND_JOB,
        json!({ "number": order.number, "reason": reason, "staff_id": actor.id }),
    )
    .await?;
    record(
        &mut tx,
        NewAuditEntry::new(
            actor,
            "order.refund_requested",
            format!("order:{}", order.id),
            json!({ "number": order.number, "reason": reason }),
            request_id,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
