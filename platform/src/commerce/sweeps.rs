//! The marketplace's share, swept. While a marketplace's Connect account is missing or not
//! ready, its share of each sale stays owed to it in the ledger (account `tenant`) and no
//! transfer is recorded. Once the account is ready (an `account.updated` event, test-mode
//! onboarding, the control plane attaching a ready account, or the worker's periodic pass),
//! [`sweep_marketplace_share`] records one sweep per currency: what the ledger owes the
//! marketplace minus its transfers not yet sent, as one line (a transfer row) per checkout,
//! and [`send_sweep`] pays it in ONE gateway transfer whose idempotency key is the sweep's.
//!
//! A second delivery of the event, a retry or a concurrent sweep never pays twice: sweeps of
//! one marketplace are serialised, and a line counts as recorded (so is not owed any more)
//! from the moment it is written. The ledger records each line as any transfer.

use super::payouts::{MoneyJobError, retry};
use crate::AppState;
use crate::commerce::checkout::marketplace_account;
use krafto_core::commerce::SettlementStatus;
use krafto_db::TenantScope;
use krafto_db::models::{
    LedgerEntry, MarketplaceSweep, OutboxMessage, OwedShare, Tenant, Transfer,
};
use krafto_payments::GatewayError;
use krafto_web::ApiResult;
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Records a sweep per currency of what the marketplace is owed, if its account is ready,
/// and queues them. Returns the sweeps made (none when the account is not ready, nothing is
/// owed, or a sweep of that currency is still in flight: its successor takes the rest).
pub(crate) async fn sweep_marketplace_share(
    state: &AppState,
    scope: &TenantScope,
) -> ApiResult<Vec<Uuid>> {
    let mut tx = state.db.tenant(scope).await?;
    let tenant_id = tx.tenant_id().get();
    let tenant = Tenant::find(&mut tx, tenant_id).await?;
    let Some(account) = marketplace_account(&tenant).cloned() else {
        tx.commit().await?;
        return Ok(Vec::new());
    };
    MarketplaceSweep::lock(&mut tx).await?;
    let mut owed: BTreeMap<String, Vec<OwedShare>> = BTreeMap::new();
    for share in Transfer::owed_to_marketplace(&mut tx).await? {
        owed.entry(share.currency.clone()).or_default().push(share);
    }
    let mut made = Vec::new();
    for (currency, shares) in owed {
        if MarketplaceSweep::pending_in(&mut tx, &currency)
            .await?
            .is_some()
        {
            continue;
        }
        let id = Uuid::now_v7();
        MarketplaceSweep::insert(
            &mut tx,
            &MarketplaceSweep {
                tenant_id,
                id,
                currency: currency.clone(),
                destination: account.clone(),
                amount_minor: shares.iter().map(|s| s.amount_minor).sum(),
                idempotency_key: format!("sweep:{tenant_id}:{currency}:{id}"),
                status: SettlementStatus::Pending,
                gateway_id: None,
            },
        )
        .await?;
        let lines: Vec<Transfer> = shares
            .iter()
            .map(|s| Transfer {
                tenant_id,
                id: Uuid::now_v7(),
                checkout_id: s.checkout_id,
                order_id: None,
                recipient: "tenant".to_owned(),
                destination: account.clone(),
                amount_minor: s.amount_minor,
                currency: currency.clone(),
                idempotency_key: format!("sweep:{id}:{}", s.checkout_id),
                status: SettlementStatus::Pending,
                gateway_id: None,
                release_at: None,
                sweep_id: Some(id),
            })
            .collect();
        Transfer::insert_all(&mut tx, &lines).await?;
        OutboxMessage::enqueue(
            &mut tx,
            MarketplaceSweep::JOB_KIND,
            json!({ "sweep_id": id }),
        )
        .await?;
        made.push(id);
    }
    tx.commit().await?;
    Ok(made)
}

/// Sends one sweep: the sum of its lines as they stand now (refunds may have brought some
/// down), in one transfer keyed by the sweep, then records each line as a sent transfer in
/// one ledger journal. Like `payouts::send_transfer`, the rows stay locked during the call.
pub(crate) async fn send_sweep(
    state: &AppState,
    scope: &TenantScope,
    sweep_id: Uuid,
) -> Result<(), MoneyJobError> {
    let mut tx = state.db.tenant(scope).await.map_err(retry)?;
    let tenant_id = tx.tenant_id().get();
    let sweep = MarketplaceSweep::find_for_update(&mut tx, sweep_id)
        .await
        .map_err(retry)?;
    if sweep.status != SettlementStatus::Pending {
        return Ok(());
    }
    let lines: Vec<Transfer> = Transfer::of_sweep(&mut tx, sweep.id)
        .await
        .map_err(retry)?
        .into_iter()
        .filter(|l| l.status == SettlementStatus::Pending)
        .collect();
    let amount: i64 = lines.iter().map(|l| l.amount_minor).sum();
    if amount <= 0 {
        // Refunds took it all back: nothing to send.
        MarketplaceSweep::settle(&mut tx, sweep.id, SettlementStatus::Sent, 0, None, None)
            .await
            .map_err(retry)?;
        Transfer::settle_sweep(&mut tx, sweep.id, SettlementStatus::Sent, None, None)
            .await
            .map_err(retry)?;
        return tx.commit().await.map_err(retry);
    }
    let sent = state
        .gateway
        .create_transfer(&krafto_payments::NewTransfer {
            amount_minor: amount,
            currency: sweep.currency.clone(),
            destination: sweep.destination.clone(),
            transfer_group: format!("sweep:{}", sweep.id),
            // Several payments' money: drawn on the platform's balance, where the sales put it.
            source_transaction: None,
            metadata: std::collections::BTreeMap::from([
                ("tenant_id".to_owned(), tenant_id.to_string()),
                ("sweep_id".to_owned(), sweep.id.to_string()),
                ("recipient".to_owned(), "tenant".to_owned()),
            ]),
            idempotency_key: sweep.idempotency_key.clone(),
        })
        .await;
    match sent {
        Ok(gateway_id) => {
            MarketplaceSweep::settle(
                &mut tx,
                sweep.id,
                SettlementStatus::Sent,
                amount,
                Some(&gateway_id),
                None,
            )
            .await
            .map_err(retry)?;
            Transfer::settle_sweep(
                &mut tx,
                sweep.id,
                SettlementStatus::Sent,
                Some(&gateway_id),
                None,
            )
            .await
            .map_err(retry)?;
            let journal = Uuid::now_v7();
            let entry = |l: &Transfer, account: &str, amount: i64| LedgerEntry {
                tenant_id,
                id: Uuid::now_v7(),
                journal_id: journal,
                checkout_id: l.checkout_id,
                order_id: l.order_id,
                account: account.to_owned(),
                kind: "transfer".to_owned(),
                amount_minor: amount,
                currency: l.currency.clone(),
            };
            let entries: Vec<LedgerEntry> = lines
                .iter()
                .flat_map(|l| {
                    [
                        entry(l, &l.recipient, l.amount_minor),
                        entry(l, "clearing", -l.amount_minor),
                    ]
                })
                .collect();
            LedgerEntry::post(&mut tx, &entries).await.map_err(retry)?;
            tx.commit().await.map_err(retry)
        }
        Err(GatewayError::Refused(m)) => {
            // The lines are owed again: the next sweep takes them.
            MarketplaceSweep::settle(
                &mut tx,
                sweep.id,
                SettlementStatus::Failed,
                amount,
                None,
                Some(&m),
            )
            .await
            .map_err(retry)?;
            Transfer::settle_sweep(&mut tx, sweep.id, SettlementStatus::Failed, None, Some(&m))
                .await
                .map_err(retry)?;
            tx.commit().await.map_err(retry)?;
            Err(MoneyJobError::Refused(m))
        }
        Err(GatewayError::Unavailable(m)) => Err(MoneyJobError::Retry(m)),
    }
}
