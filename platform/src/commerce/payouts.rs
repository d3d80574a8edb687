//! Getting paid: sellers' Express accounts (onboarding, readiness) and the marketplace's
//! Connect account readiness, kept current by `account.updated` events and, in test mode,
//! by our own onboarding page; seller balances read from the ledger.

use super::checkout::EventRef;
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::commerce::{
    HeldPayout, OnboardingLink, PayoutStatus, PayoutWait, SellerBalance,
};
use krafto_core::commerce::{OrderStatus, PayoutTiming, SettlementStatus};
use krafto_db::models::{
    AccountReadiness, LedgerEntry, MarketplaceSettings, MarketplaceSweep, OutboxMessage,
    PaymentAccount, SellerAccount, Shop, Tenant, Transfer, WebhookEvent,
};
use krafto_db::{TenantScope, TenantTx};
use krafto_payments::{AccountHolder, GatewayError, LinkRequest, NewAccount};
use krafto_web::{ApiError, ApiResult};
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

pub(crate) fn gateway_error(e: GatewayError) -> ApiError {
    match e {
        GatewayError::Refused(m) => ApiError::new(
            poem::http::StatusCode::UNPROCESSABLE_ENTITY,
            Code::StripeRefused,
            format!("Stripe refused the request: {m}"),
        ),
        GatewayError::Unavailable(m) => ApiError::unavailable(
            Code::StripeUnavailable,
            format!("Stripe is unavailable ({m}); try again in a moment"),
        ),
    }
}

/// The seller's Express account, created on first call, and a fresh onboarding link.
pub(crate) async fn onboarding(
    state: &AppState,
    tenant: &CurrentTenant,
    shop: &Shop,
    owner_email: &str,
    return_url: Option<&str>,
) -> ApiResult<OnboardingLink> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let existing = SellerAccount::of_shop(&mut tx, shop.id).await?;
    tx.commit().await?;
    let account_id = match existing {
        Some(a) => a.account_id,
        None => {
            // Idempotent at the provider by this key, so a race or a retry finds one account.
            let created = state
                .gateway
                .create_account(&NewAccount {
                    holder: AccountHolder::Seller,
                    country: shop.country.clone(),
                    email: Some(owner_email.to_owned()),
                    metadata: BTreeMap::from([
                        ("tenant_id".to_owned(), tenant.id.to_string()),
                        ("shop_id".to_owned(), shop.id.to_string()),
                    ]),
                    idempotency_key: format!("seller-account:{}:{}", tenant.id, shop.id),
                })
                .await
                .map_err(gateway_error)?;
            let mut tx = state.db.tenant(&tenant.scope()).await?;
            Shop::find_for_update(&mut tx, shop.id).await?;
            if SellerAccount::of_shop(&mut tx, shop.id).await?.is_none() {
                SellerAccount::create(
                    &mut tx,
                    shop.id,
                    &created.id,
                    &AccountReadiness {
                        charges_enabled: created.charges_enabled,
                        payouts_enabled: created.payouts_enabled,
                        details_submitted: created.details_submitted,
                        requirements: created.requirements.clone(),
                    },
                )
                .await?;
                PaymentAccount::register(&mut tx, &created.id, "seller").await?;
            }
            tx.commit().await?;
            created.id
        }
    };
    let dashboard = format!(
        "{}/sell/payouts",
        state.storefront(&state.tenant_host(tenant))
    );
    let return_url = return_url.unwrap_or(&dashboard);
    if !(return_url.starts_with("https://") || return_url.starts_with("http://")) {
        return Err(ApiError::field(krafto_core::FieldError::new(
            "return_url",
            "must be an absolute http(s) URL",
        )));
    }
    let url = state
        .gateway
        .account_link(&LinkRequest {
            account_id: account_id.clone(),
            refresh_url: dashboard.clone(),
            return_url: return_url.to_owned(),
        })
        .await
        .map_err(gateway_error)?;
    Ok(OnboardingLink {
        account_id,
        url,
        test_mode: state.test_mode(),
    })
}

pub(crate) fn status_of(account: Option<SellerAccount>, test_mode: bool) -> PayoutStatus {
    match account {
        Some(a) => PayoutStatus {
            ready: a.ready(),
            account_id: Some(a.account_id),
            charges_enabled: a.charges_enabled,
            payouts_enabled: a.payouts_enabled,
            details_submitted: a.details_submitted,
            requirements: a.requirements,
            test_mode,
        },
        None => PayoutStatus {
            account_id: None,
            charges_enabled: false,
            payouts_enabled: false,
            details_submitted: false,
            requirements: vec!["onboarding".to_owned()],
            ready: false,
            test_mode,
        },
    }
}

/// Applies a connected account's reported state to whichever marketplace or seller owns
/// it, unless a newer report was applied already. Events are de-duplicated by id in the
/// same transaction. Returns the owning tenant, or `None` for an account we do not know.
pub(crate) async fn apply_account_state(
    state: &AppState,
    account_id: &str,
    readiness: &AccountReadiness,
    event: Option<EventRef<'_>>,
    state_at: i64,
) -> ApiResult<Option<Uuid>> {
    let mut tx = state.db.control().await?;
    let route = PaymentAccount::find(&mut tx, account_id).await?;
    let Some(route) = route else {
        tx.commit().await?;
        return Ok(None);
    };
    let tenant = Tenant::find(&mut tx, route.tenant_id).await?;
    tx.commit().await?;
    // The verified event resolved the marketplace (the account it names is routed to it;
    // test-mode onboarding checked the account against its host first).
    let scope = TenantScope::resolved(&tenant);
    let mut tx = state.db.tenant(&scope).await?;
    if let Some(e) = event
        && !WebhookEvent::record(&mut tx, e.id, e.kind).await?
    {
        return Ok(Some(route.tenant_id));
    }
    let tenant_changed = match route.holder.as_str() {
        "tenant" => {
            let applied = Tenant::apply_stripe_state(&mut tx, account_id, readiness, state_at)
                .await?
                .is_some();
            // Ready now: the share owed while it was not is swept (the job does nothing
            // when nothing is owed; queued with the state, so never lost).
            let tenant = Tenant::find(&mut tx, route.tenant_id).await?;
            if applied && super::checkout::marketplace_account(&tenant).is_some() {
                OutboxMessage::enqueue(&mut tx, MarketplaceSweep::JOB_KIND, json!({})).await?;
            }
            applied
        }
        _ => {
            SellerAccount::apply(&mut tx, account_id, readiness, state_at).await?;
            false
        }
    };
    tx.commit().await?;
    if tenant_changed {
        state.tenant_changed(route.tenant_id).await;
    }
    Ok(Some(route.tenant_id))
}

/// The seller's money, from the ledger: what they owe back (open debts) and what the
/// marketplace holds until it is due.
pub(crate) async fn balance(
    tx: &mut TenantTx,
    tenant: &Tenant,
    shop_id: Uuid,
) -> ApiResult<SellerBalance> {
    let account = format!("seller:{shop_id}");
    let rows = LedgerEntry::by_kind(tx, &account).await?;
    let timing = MarketplaceSettings::get(tx).await?.payout_timing;
    let held: Vec<HeldPayout> = Transfer::held_of_recipient(tx, &account)
        .await?
        .into_iter()
        .map(|h| {
            let shipped = h
                .order_status
                .as_deref()
                .and_then(|s| OrderStatus::parse(s).ok())
                .is_some_and(|s| matches!(s, OrderStatus::Shipped | OrderStatus::OutForDelivery));
            HeldPayout {
                amount_minor: h.amount_minor,
                currency: h.currency,
                order_number: h.order_number,
                waiting_for: match h.release_at {
                    Some(_) => PayoutWait::DueDate,
                    None if shipped || timing == PayoutTiming::AfterDelivery => {
                        PayoutWait::Delivery
                    }
                    None => PayoutWait::Shipping,
                },
                due_at: h.release_at,
            }
        })
        .collect();
    let sum = |kinds: &[&str]| {
        rows.iter()
            .filter(|r| kinds.contains(&r.account.as_str()))
            .map(|r| r.amount_minor)
            .sum::<i64>()
    };
    let owed = krafto_db::models::Debt::list(tx, Some(&account), 500)
        .await?
        .iter()
        .filter(|d| d.settled_at.is_none())
        .map(|d| d.amount_minor - d.recovered_minor)
        .sum();
    Ok(SellerBalance {
        currency: rows
            .first()
            .map(|r| r.currency.clone())
            .unwrap_or_else(|| tenant.currency.clone()),
        earned_minor: -sum(&["sale", "shipping"]),
        transferred_minor: sum(&["transfer"]),
        refunded_minor: sum(&["refund"]),
        reversed_minor: -sum(&["reversal"]),
        owed_minor: owed,
        pending_minor: -rows.iter().map(|r| r.amount_minor).sum::<i64>(),
        held_minor: held.iter().map(|h| h.amount_minor).sum(),
        held,
    })
}

/// Why an outbox job about money could not finish.
#[derive(Debug)]
pub(crate) enum MoneyJobError {
    /// Retry later (the provider or the database was unavailable).
    Retry(String),
    /// No retry can help (the provider refused); recorded on the row.
    Refused(String),
}

pub(crate) fn retry(e: impl std::fmt::Display) -> MoneyJobError {
    MoneyJobError::Retry(e.to_string())
}

/// Sends one pending transfer. The row stays locked while the provider is called, and the
/// call's idempotency key is the row's, so a crash anywhere in between only leads to the
/// same transfer being asked for again and recorded once.
///
/// What is sent is what the row says now: a refund or a dispute may have brought it down
/// since the sale. A row brought down to 0 has nothing to send: it is settled `sent` with
/// no gateway call and no gateway id (and no ledger entry: nothing moved). A held row is
/// not due (its release queues it again); a row paid by a marketplace sweep is sent by the
/// sweep. The transfer names the checkout's charge as its source, so it is funded by that
/// payment rather than by the platform's available balance.
pub(crate) async fn send_transfer(
    state: &AppState,
    scope: &TenantScope,
    transfer_id: Uuid,
) -> Result<(), MoneyJobError> {
    use krafto_db::models::{Checkout, Transfer};
    // The recipient's debts come out first, in a transaction of their own: the amount asked
    // of the gateway is then fixed, whatever the retries.
    let mut tx = state.db.tenant(scope).await.map_err(retry)?;
    let t = Transfer::find_for_update(&mut tx, transfer_id)
        .await
        .map_err(retry)?;
    if t.status != SettlementStatus::Pending {
        return Ok(());
    }
    super::refunds::net_debts(&mut tx, &t)
        .await
        .map_err(retry)?;
    tx.commit().await.map_err(retry)?;

    let mut tx = state.db.tenant(scope).await.map_err(retry)?;
    let tenant_id = tx.tenant_id().get();
    let t = Transfer::find_for_update(&mut tx, transfer_id)
        .await
        .map_err(retry)?;
    match t.status {
        SettlementStatus::Pending if t.sweep_id.is_none() => {}
        SettlementStatus::Pending
        | SettlementStatus::Held
        | SettlementStatus::Sent
        | SettlementStatus::Failed => return Ok(()),
    }
    // Refunds or debts took it all: nothing to send, nothing to post.
    if t.amount_minor == 0 {
        Transfer::settle(&mut tx, t.id, SettlementStatus::Sent, None, None)
            .await
            .map_err(retry)?;
        return tx.commit().await.map_err(retry);
    }
    let charge = Checkout::charge_id(&mut tx, t.checkout_id)
        .await
        .map_err(retry)?;
    let sent = state
        .gateway
        .create_transfer(&krafto_payments::NewTransfer {
            amount_minor: t.amount_minor,
            currency: t.currency.clone(),
            destination: t.destination.clone(),
            transfer_group: t.checkout_id.to_string(),
            source_transaction: charge,
            metadata: BTreeMap::from([
                ("tenant_id".to_owned(), tenant_id.to_string()),
                ("checkout_id".to_owned(), t.checkout_id.to_string()),
                ("recipient".to_owned(), t.recipient.clone()),
            ]),
            idempotency_key: t.idempotency_key.clone(),
        })
        .await;
    match sent {
        Ok(id) => {
            Transfer::settle(&mut tx, t.id, SettlementStatus::Sent, Some(&id), None)
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
                kind: "transfer".to_owned(),
                amount_minor: amount,
                currency: t.currency.clone(),
            };
            LedgerEntry::post(
                &mut tx,
                &[
                    entry(&t.recipient, t.amount_minor),
                    entry("clearing", -t.amount_minor),
                ],
            )
            .await
            .map_err(retry)?;
            tx.commit().await.map_err(retry)
        }
        Err(GatewayError::Refused(m)) => {
            Transfer::settle(&mut tx, t.id, SettlementStatus::Failed, None, Some(&m))
                .await
                .map_err(retry)?;
            tx.commit().await.map_err(retry)?;
            Err(MoneyJobError::Refused(m))
        }
        Err(GatewayError::Unavailable(m)) => Err(MoneyJobError::Retry(m)),
    }
}

/// Sends one pending refund (idempotent by the refund's id, like transfers).
pub(crate) async fn send_refund(
    state: &AppState,
    scope: &TenantScope,
    refund_id: Uuid,
) -> Result<(), MoneyJobError> {
    use krafto_db::models::{Checkout, Refund};
    let mut tx = state.db.tenant(scope).await.map_err(retry)?;
    let tenant_id = tx.tenant_id().get();
    let r = Refund::find_for_update(&mut tx, refund_id)
        .await
        .map_err(retry)?;
    match r.status {
        SettlementStatus::Pending => {}
        // A refund is never held (the database refuses it).
        SettlementStatus::Held | SettlementStatus::Sent | SettlementStatus::Failed => {
            return Ok(());
        }
    }
    let c = Checkout::find(&mut tx, r.checkout_id)
        .await
        .map_err(retry)?;
    let Some(payment_id) = c.payment_id else {
        return Err(MoneyJobError::Refused(
            "the checkout has no payment to refund".to_owned(),
        ));
    };
    let sent = state
        .gateway
        .create_refund(&krafto_payments::NewRefund {
            payment_id,
            amount_minor: r.amount_minor,
            metadata: BTreeMap::from([
                ("tenant_id".to_owned(), tenant_id.to_string()),
                ("checkout_id".to_owned(), r.checkout_id.to_string()),
            ]),
            idempotency_key: format!("refund:{}", r.id),
        })
        .await;
    match sent {
        Ok(id) => {
            Refund::settle(&mut tx, r.id, SettlementStatus::Sent, Some(&id), None)
                .await
                .map_err(retry)?;
            super::refunds::after_gateway_refund(&mut tx, &r)
                .await
                .map_err(retry)?;
            tx.commit().await.map_err(retry)
        }
        Err(GatewayError::Refused(m)) => {
            Refund::settle(&mut tx, r.id, SettlementStatus::Failed, None, Some(&m))
                .await
                .map_err(retry)?;
            tx.commit().await.map_err(retry)?;
            Err(MoneyJobError::Refused(m))
        }
        Err(GatewayError::Unavailable(m)) => Err(MoneyJobError::Retry(m)),
    }
}
