//! The worker's part of a refund: the reversal journal once the gateway refunded, money
//! taken back from transfers (reduced, reversed, or owed as a debt), reversals sent, and
//! debts netted before a transfer goes out.

use super::*;

fn retry(e: impl std::fmt::Display) -> MoneyJobError {
    MoneyJobError::Retry(e.to_string())
}

/// After the gateway refunded an allocated refund, in the transaction that records it: the
/// reversal journal, transfers not yet sent reduced, and reversals of those already sent.
pub(crate) async fn after_gateway_refund(tx: &mut TenantTx, refund: &Refund) -> ApiResult<()> {
    let Some(order_id) = refund.order_id.filter(|_| refund.allocated) else {
        return Ok(());
    };
    let tenant_id = tx.tenant_id().get();
    let order = Order::find(tx, order_id).await?;
    let lines = RefundLine::of_refund(tx, refund.id).await?;
    let nets: i64 = lines.iter().map(|l| l.seller_net_minor).sum();
    let shares: i64 = lines.iter().map(|l| l.tenant_share_minor).sum();
    let fees: i64 = lines.iter().map(|l| l.platform_fee_minor).sum();
    let seller = format!("seller:{}", order.shop_id);
    let journal = Uuid::now_v7();
    let entry = |account: &str, amount: i64| LedgerEntry {
        tenant_id,
        id: Uuid::now_v7(),
        journal_id: journal,
        checkout_id: refund.checkout_id,
        order_id: Some(order_id),
        account: account.to_owned(),
        kind: "refund".to_owned(),
        amount_minor: amount,
        currency: order.currency.clone(),
    };
    LedgerEntry::post(
        tx,
        &[
            entry("clearing", -refund.amount_minor),
            entry(&seller, nets + refund.shipping_minor),
            entry("tenant", shares + refund.buyer_fee_minor),
            entry(
                if refund.platform_minor > 0 {
                    "platform"
                } else {
                    "tenant"
                },
                fees,
            ),
        ],
    )
    .await?;
    // Take the money back where it went: the seller's transfer of this order, the
    // marketplace's transfer of this checkout.
    take_back(
        tx,
        refund.checkout_id,
        &[
            (seller, Some(order_id), refund.seller_minor),
            ("tenant".to_owned(), None, refund.tenant_minor),
        ],
        TakenFor::Refund(refund.id),
    )
    .await
}

/// Why money is taken back from connected accounts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TakenFor {
    Refund(Uuid),
    Dispute(Uuid),
    /// Stripe's fee on the checkout's charge, borne by the marketplace: never reversed (too
    /// small to be worth a call each), owed instead when its transfer went out already.
    StripeFee,
}

/// Takes `amount` back from each recipient's transfers of a checkout (the seller's of the
/// given order, or the marketplace's): a transfer not yet sent is reduced, one already sent
/// gets a reversal (queued for the worker, keyed by what it is for and the transfer). What no
/// transfer covers stays owed in the ledger.
pub(crate) async fn take_back(
    tx: &mut TenantTx,
    checkout_id: Uuid,
    parts: &[(String, Option<Uuid>, i64)],
    why: TakenFor,
) -> ApiResult<()> {
    let tenant_id = tx.tenant_id().get();
    let transfers = Transfer::of_checkout_for_update(tx, checkout_id).await?;
    let ids: Vec<Uuid> = transfers.iter().map(|t| t.id).collect();
    let mut reversed: HashMap<Uuid, i64> = HashMap::new();
    for (id, amount) in TransferReversal::reversed_of(tx, &ids).await? {
        *reversed.entry(id).or_default() += amount;
    }
    let (refund_id, dispute_id, key) = match why {
        TakenFor::Refund(id) => (Some(id), None, format!("reversal:{id}")),
        TakenFor::Dispute(id) => (None, Some(id), format!("reversal:dispute:{id}")),
        TakenFor::StripeFee => (None, None, String::new()),
    };
    let reverse = !matches!(why, TakenFor::StripeFee);
    let mut reversals = Vec::new();
    let mut debts = Vec::new();
    let mut emptied_held = false;
    for (recipient, order, part) in parts {
        let mut left = *part;
        let mut paid = false;
        for t in transfers
            .iter()
            .filter(|t| &t.recipient == recipient && (order.is_none() || t.order_id == *order))
        {
            paid |= t.status != SettlementStatus::Failed;
            if left <= 0 {
                break;
            }
            match t.status {
                // Not sent yet (due now, or held until shipping or after delivery): it sends
                // less.
                SettlementStatus::Pending | SettlementStatus::Held => {
                    let take = left.min(t.amount_minor);
                    Transfer::set_amount(tx, t.id, t.amount_minor - take).await?;
                    left -= take;
                    // Nothing left to hold: settle it now, so the marketplace's share of
                    // the checkout is not held behind it.
                    if t.status == SettlementStatus::Held && t.amount_minor == take {
                        crate::commerce::releases::release(tx, t.id).await?;
                        emptied_held = true;
                    }
                }
                SettlementStatus::Sent => {
                    let room = t.amount_minor - reversed.get(&t.id).copied().unwrap_or(0);
                    let take = left.min(room);
                    if reverse && take > 0 && t.gateway_id.is_some() {
                        reversals.push(TransferReversal {
                            tenant_id,
                            id: Uuid::now_v7(),
                            transfer_id: t.id,
                            refund_id,
                            recipient: recipient.clone(),
                            amount_minor: take,
                            currency: t.currency.clone(),
                            idempotency_key: format!("{key}:{}", t.id),
                            status: SettlementStatus::Pending,
                            gateway_id: None,
                            dispute_id,
                        });
                        *reversed.entry(t.id).or_default() += take;
                        left -= take;
                    }
                }
                SettlementStatus::Failed => {}
            }
        }
        // More than the transfers can give back (a dispute's fee, or debts netted from them
        // before): the recipient owes the rest, netted from their next transfers. A recipient
        // never paid for this order is simply owed less in the ledger.
        if left > 0 && paid {
            debts.push(Debt {
                tenant_id,
                id: Uuid::now_v7(),
                recipient: recipient.clone(),
                currency: transfers
                    .first()
                    .map(|t| t.currency.clone())
                    .unwrap_or_default(),
                amount_minor: left,
                recovered_minor: 0,
                reason: match why {
                    TakenFor::Refund(_) => "refund",
                    TakenFor::Dispute(_) => "dispute",
                    TakenFor::StripeFee => "fee",
                }
                .to_owned(),
                refund_id,
                reversal_id: None,
                order_id: *order,
                created_at: Utc::now(),
                settled_at: None,
                dispute_id,
            });
        }
    }
    for d in &debts {
        Debt::insert(tx, d).await?;
    }
    if emptied_held {
        crate::commerce::releases::release_share(tx, checkout_id).await?;
    }
    TransferReversal::insert_all(tx, &reversals).await?;
    OutboxMessage::enqueue_many(
        tx,
        REVERSE_KIND,
        reversals
            .iter()
            .map(|r| json!({ "reversal_id": r.id }))
            .collect(),
    )
    .await?;
    Ok(())
}

/// Sends one pending reversal (idempotent by its key). A refusal (the connected account
/// cannot cover it) records the amount as the recipient's debt.
pub(crate) async fn send_reversal(
    state: &AppState,
    scope: &TenantScope,
    reversal_id: Uuid,
) -> Result<(), MoneyJobError> {
    let mut tx = state.db.tenant(scope).await.map_err(retry)?;
    let tenant_id = tx.tenant_id().get();
    let r = TransferReversal::find_for_update(&mut tx, reversal_id)
        .await
        .map_err(retry)?;
    if r.status != SettlementStatus::Pending {
        return Ok(());
    }
    let t = Transfer::find_for_update(&mut tx, r.transfer_id)
        .await
        .map_err(retry)?;
    let Some(transfer_gateway_id) = t.gateway_id.clone() else {
        return Err(MoneyJobError::Refused(
            "the transfer to reverse was never sent".to_owned(),
        ));
    };
    let sent = state
        .gateway
        .reverse_transfer(&krafto_payments::NewReversal {
            transfer_id: transfer_gateway_id,
            amount_minor: r.amount_minor,
            metadata: BTreeMap::from([
                ("tenant_id".to_owned(), tenant_id.to_string()),
                ("checkout_id".to_owned(), t.checkout_id.to_string()),
                (
                    "refund_id".to_owned(),
                    r.refund_id.map(|id| id.to_string()).unwrap_or_default(),
                ),
            ]),
            idempotency_key: r.idempotency_key.clone(),
        })
        .await;
    match sent {
        Ok(id) => {
            TransferReversal::settle(&mut tx, r.id, SettlementStatus::Sent, Some(&id), None)
                .await
                .map_err(retry)?;
            let journal = Uuid::now_v7();
            let entry = |account: &str, amount: i64| LedgerEntry {
                tenant_id,
                id: Uuid::now_v7(),
                journal_id: journal,
                checkout_id: t.checkout_id,
                order_id: t.order_id,
                account: account.to_owned(),
                kind: "reversal".to_owned(),
                amount_minor: amount,
                currency: r.currency.clone(),
            };
            LedgerEntry::post(
                &mut tx,
                &[
                    entry(&r.recipient, -r.amount_minor),
                    entry("clearing", r.amount_minor),
                ],
            )
            .await
            .map_err(retry)?;
            tx.commit().await.map_err(retry)
        }
        Err(krafto_payments::GatewayError::Refused(m)) => {
            TransferReversal::settle(&mut tx, r.id, SettlementStatus::Failed, None, Some(&m))
                .await
                .map_err(retry)?;
            Debt::insert(
                &mut tx,
                &Debt {
                    tenant_id,
                    id: Uuid::now_v7(),
                    recipient: r.recipient.clone(),
                    currency: r.currency.clone(),
                    amount_minor: r.amount_minor,
                    recovered_minor: 0,
                    reason: if r.dispute_id.is_some() {
                        "dispute"
                    } else {
                        "refund"
                    }
                    .to_owned(),
                    refund_id: r.refund_id,
                    reversal_id: Some(r.id),
                    order_id: t.order_id,
                    created_at: Utc::now(),
                    settled_at: None,
                    dispute_id: r.dispute_id,
                },
            )
            .await
            .map_err(retry)?;
            tx.commit().await.map_err(retry)
        }
        Err(krafto_payments::GatewayError::Unavailable(m)) => Err(MoneyJobError::Retry(m)),
    }
}

/// Before a transfer is sent: the recipient's open debts in its currency are taken out of it,
/// oldest first, once (marked on the row, committed before the gateway is asked, so a retry
/// sends the same amount with the same key).
pub(crate) async fn net_debts(tx: &mut TenantTx, t: &Transfer) -> ApiResult<i64> {
    if Transfer::netted(tx, t.id).await? {
        return Ok(t.amount_minor);
    }
    let mut amount = t.amount_minor;
    for debt in Debt::open_for_update(tx, &t.recipient, &t.currency).await? {
        if amount == 0 {
            break;
        }
        let take = amount.min(debt.amount_minor - debt.recovered_minor);
        if take > 0 {
            Debt::recover(tx, &debt, t.id, take).await?;
            amount -= take;
        }
    }
    Transfer::mark_netted(tx, t.id, amount).await?;
    Ok(amount)
}
