//! Stripe's processing fee of each charge, in the ledger (seed 000 P-PRICE-02): when Stripe
//! reports a charge (`charge.succeeded`, or `charge.updated` once its balance transaction
//! exists), the worker reads the fee from the charge's balance transaction and posts it once:
//! the fee leaves clearing and is borne by the marketplace — taken from its transfer of that
//! checkout while it is not sent, otherwise owed and netted from its next transfer.

use super::checkout::EventRef;
use super::payouts::MoneyJobError;
use super::refunds::{TakenFor, take_back};
use crate::AppState;
use krafto_db::TenantScope;
use krafto_db::models::{Checkout, LedgerEntry, OutboxMessage, PaymentRoute, Tenant, WebhookEvent};
use krafto_payments::GatewayError;
use krafto_web::ApiResult;
use serde_json::json;
use uuid::Uuid;

/// The outbox job that reads and posts a charge's fee (`{"checkout_id", "balance_transaction"}`).
pub(crate) const FEE_KIND: &str = "payment.fee";

/// A charge event: queues the fee's job when the charge has a balance transaction and the
/// checkout's fee is not known yet. `Ok(false)`: not a payment of ours.
pub(crate) async fn on_charge(
    state: &AppState,
    payment_intent: &str,
    balance_transaction: Option<&str>,
    event: EventRef<'_>,
) -> ApiResult<bool> {
    let mut tx = state.db.control().await?;
    let Some(route) = PaymentRoute::find(&mut tx, payment_intent).await? else {
        tx.commit().await?;
        return Ok(false);
    };
    let tenant = Tenant::find(&mut tx, route.tenant_id).await?;
    tx.commit().await?;
    // The verified event named a payment routed to this marketplace.
    let mut tx = state.db.tenant(&TenantScope::resolved(&tenant)).await?;
    if !WebhookEvent::record(&mut tx, event.id, event.kind).await? {
        return Ok(true);
    }
    let Some(checkout) = Checkout::by_payment_id(&mut tx, payment_intent).await? else {
        tx.commit().await?;
        return Ok(false);
    };
    if let Some(txn) = balance_transaction
        && Checkout::stripe_fee(&mut tx, checkout.id).await?.is_none()
    {
        OutboxMessage::enqueue(
            &mut tx,
            FEE_KIND,
            json!({ "checkout_id": checkout.id, "balance_transaction": txn }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

fn retry(e: impl std::fmt::Display) -> MoneyJobError {
    MoneyJobError::Retry(e.to_string())
}

/// The job: reads the fee from Stripe, then records and posts it once.
pub(crate) async fn record_fee(
    state: &AppState,
    scope: &TenantScope,
    checkout_id: Uuid,
    balance_transaction: &str,
) -> Result<(), MoneyJobError> {
    let mut tx = state.db.tenant(scope).await.map_err(retry)?;
    let known = Checkout::stripe_fee(&mut tx, checkout_id)
        .await
        .map_err(retry)?
        .is_some();
    tx.commit().await.map_err(retry)?;
    if known {
        return Ok(());
    }
    let fee = match state.gateway.balance_fee(balance_transaction).await {
        Ok(fee) => fee.max(0),
        Err(GatewayError::Refused(m)) => return Err(MoneyJobError::Refused(m)),
        Err(GatewayError::Unavailable(m)) => return Err(MoneyJobError::Retry(m)),
    };
    let mut tx = state.db.tenant(scope).await.map_err(retry)?;
    let tenant_id = tx.tenant_id().get();
    let checkout = Checkout::find_for_update(&mut tx, checkout_id)
        .await
        .map_err(retry)?;
    if !Checkout::set_stripe_fee(&mut tx, checkout_id, fee)
        .await
        .map_err(retry)?
    {
        return Ok(());
    }
    if fee > 0 {
        let journal = Uuid::now_v7();
        let entry = |account: &str, amount: i64| LedgerEntry {
            tenant_id,
            id: Uuid::now_v7(),
            journal_id: journal,
            checkout_id,
            order_id: None,
            account: account.to_owned(),
            kind: "stripe_fee".to_owned(),
            amount_minor: amount,
            currency: checkout.currency.clone(),
        };
        LedgerEntry::post(&mut tx, &[entry("clearing", -fee), entry("tenant", fee)])
            .await
            .map_err(retry)?;
        take_back(
            &mut tx,
            checkout_id,
            &[("tenant".to_owned(), None, fee)],
            TakenFor::StripeFee,
        )
        .await
        .map_err(retry)?;
    }
    tx.commit().await.map_err(retry)
}
