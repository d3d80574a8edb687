//! When sellers are paid: held transfers falling due. A marketplace pays its sellers at
//! payment, when the order ships, or some days after its delivery (a hold for disputes);
//! until then a seller's transfer is recorded `held`. The order's `ship` and `deliver` moves
//! release it or schedule its release (an outbox job at the due time), and
//! [`release_due_transfers`] releases whatever is due, so a lost job never strands money.
//! The marketplace's own share of a checkout is released with the last of its sellers.
//!
//! Releasing only flips a row from `held` to `pending` under its lock and queues its send
//! in the same transaction: however often a release runs, the transfer is queued once. The
//! amount sent is read when it is sent (`payouts::send_transfer`), never here.

use super::checkout::TRANSFER_KIND;
use crate::AppState;
use chrono::{DateTime, Duration, Utc};
use krafto_core::commerce::{OrderEvent, PayoutRelease, SettlementStatus};
use krafto_db::models::{MarketplaceSettings, MarketplaceSweep, Order, OutboxMessage, Transfer};
use krafto_db::{TenantScope, TenantTx};
use krafto_web::ApiResult;
use serde_json::json;
use std::collections::BTreeSet;
use uuid::Uuid;

/// The outbox job that releases one held transfer once due (`{"transfer_id": …}`).
pub(crate) const RELEASE_KIND: &str = "payment.release";

/// How many due transfers one pass releases per marketplace (the next pass takes the rest).
const DUE_BATCH: i64 = 500;

/// What an order's move means for its seller's held transfer, in the move's transaction:
/// shipping or delivery releases it now, or delivery schedules its release some days later,
/// as the marketplace's payout timing says.
pub(crate) async fn on_order_moved(
    tx: &mut TenantTx,
    order: &Order,
    event: OrderEvent,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if !matches!(event, OrderEvent::Ship | OrderEvent::Deliver) {
        return Ok(());
    }
    let held = Transfer::held_of_order(tx, order.id).await?;
    if held.is_empty() {
        return Ok(());
    }
    let settings = MarketplaceSettings::get(tx).await?;
    match settings
        .payout_timing
        .on_order_event(event, settings.payout_delay_days)
    {
        PayoutRelease::Keep => {}
        PayoutRelease::Now => {
            for t in &held {
                release(tx, t.id).await?;
            }
            release_share(tx, order.checkout_id).await?;
        }
        PayoutRelease::InDays(days) => {
            let at = now + Duration::days(i64::from(days));
            for t in held.iter().filter(|t| t.release_at.is_none()) {
                Transfer::schedule(tx, t.id, at).await?;
                OutboxMessage::enqueue_at(tx, RELEASE_KIND, json!({ "transfer_id": t.id }), at)
                    .await?;
            }
        }
    }
    Ok(())
}

/// The release job: releases the transfer if it is still held and due at `now` (a job run
/// early is queued again for its due time; a transfer released meanwhile is left alone).
pub(crate) async fn release_transfer(
    state: &AppState,
    scope: &TenantScope,
    transfer_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(scope).await?;
    let t = Transfer::find_for_update(&mut tx, transfer_id).await?;
    match (t.status, t.release_at) {
        (SettlementStatus::Held, Some(at)) if at <= now => {
            release(&mut tx, t.id).await?;
            release_share(&mut tx, t.checkout_id).await?;
        }
        (SettlementStatus::Held, Some(at)) => {
            OutboxMessage::enqueue_at(&mut tx, RELEASE_KIND, json!({ "transfer_id": t.id }), at)
                .await?;
        }
        _ => {}
    }
    Ok(tx.commit().await?)
}

/// Releases the marketplace's held transfers that are due at `now` (and the marketplace's
/// share of the checkouts they complete). Returns how many it released. Safe to run at
/// any time, as often as wanted, alongside the release jobs.
pub(crate) async fn release_due_transfers(
    state: &AppState,
    scope: &TenantScope,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    let mut tx = state.db.tenant(scope).await?;
    let due = Transfer::due(&mut tx, now, DUE_BATCH).await?;
    let mut released = 0;
    let mut checkouts = BTreeSet::new();
    for t in &due {
        if release(&mut tx, t.id).await? {
            released += 1;
        }
        checkouts.insert(t.checkout_id);
    }
    for checkout_id in checkouts {
        release_share(&mut tx, checkout_id).await?;
    }
    tx.commit().await?;
    Ok(released)
}

/// Held → pending, and its send queued, once. `false` when it was not held.
pub(crate) async fn release(tx: &mut TenantTx, transfer_id: Uuid) -> ApiResult<bool> {
    let released = Transfer::release(tx, transfer_id).await?;
    if released {
        OutboxMessage::enqueue(tx, TRANSFER_KIND, json!({ "transfer_id": transfer_id })).await?;
    }
    Ok(released)
}

/// Once no seller of the checkout waits any more, the marketplace's share of it is due too.
/// When none was recorded at sale (its account was not ready then), a sweep looks for it.
pub(crate) async fn release_share(tx: &mut TenantTx, checkout_id: Uuid) -> ApiResult<()> {
    if Transfer::sellers_held_in_checkout(tx, checkout_id).await? {
        return Ok(());
    }
    let shares = Transfer::held_share_of_checkout(tx, checkout_id).await?;
    if shares.is_empty()
        && Transfer::of_checkout(tx, checkout_id)
            .await?
            .iter()
            .all(|t| t.recipient != "tenant")
    {
        OutboxMessage::enqueue(tx, MarketplaceSweep::JOB_KIND, json!({})).await?;
    }
    for t in shares {
        release(tx, t.id).await?;
    }
    Ok(())
}
