//! Disputes and chargebacks (seed 002, seed 000 P-REF-02, A-DISP-01). Stripe's
//! `charge.dispute.*` events keep one record per dispute, in any order and any number of
//! deliveries: the status follows the newest event; the money moves once each, whichever event
//! first shows it —
//! - funds withdrawn: the amount and Stripe's fee leave clearing and are charged to the sellers
//!   of the disputed orders in proportion to what each order cost, and taken back from their
//!   transfers as refunds are (a reversal the account cannot cover becomes a debt);
//! - funds reinstated (won): the amount (and the fee, when Stripe returns it) come back and
//!   are paid again to the same sellers, by a transfer that first nets what they still owe.
//!
//! Refunds on the checkout are frozen while a dispute is open. Operators prepare evidence and
//! submit it to Stripe from their dispute queue.

use super::checkout::{EventRef, TRANSFER_KIND};
use super::orders::mail;
use super::refunds::{TakenFor, take_back};
use crate::AppState;
use chrono::{DateTime, Utc};
use krafto_api_types::Code;
use krafto_api_types::refunds::{DisputeEvidenceInput, DisputeView};
use krafto_core::commerce::SettlementStatus;
use krafto_core::money::allocate;
use krafto_core::{FieldError, Money};
use krafto_db::models::{
    Checkout, Dispute, DisputeShare, DisputeState, LedgerEntry, Order, OutboxMessage, PaymentRoute,
    SellerAccount, Shop, Tenant, Transfer, User, WebhookEvent,
};
use krafto_db::{TenantScope, TenantTx};
use krafto_i18n::Locale;
use krafto_payments::webhook::DisputeFacts;
use krafto_web::{ApiError, ApiResult};
use serde_json::json;
use uuid::Uuid;

/// Applies one verified `charge.dispute.*` event. `Ok(false)`: not a payment of ours
/// (ignored).
pub(crate) async fn apply_event(
    state: &AppState,
    facts: &DisputeFacts,
    event: EventRef<'_>,
    event_at: i64,
) -> ApiResult<bool> {
    let mut tx = state.db.control().await?;
    let route = PaymentRoute::find(&mut tx, &facts.payment_intent).await?;
    let Some(route) = route else {
        tx.commit().await?;
        return Ok(false);
    };
    let tenant = Tenant::find(&mut tx, route.tenant_id).await?;
    tx.commit().await?;
    // The verified event named a payment routed to this marketplace.
    let scope = TenantScope::resolved(&tenant);
    let mut tx = state.db.tenant(&scope).await?;
    if !WebhookEvent::record(&mut tx, event.id, event.kind).await? {
        return Ok(true);
    }
    let Some(checkout) = Checkout::by_payment_id(&mut tx, &facts.payment_intent).await? else {
        tx.commit().await?;
        return Ok(false);
    };
    let now = Utc::now();
    let due = facts.due_by.and_then(|s| DateTime::from_timestamp(s, 0));
    let fresh = Dispute {
        tenant_id: tenant.id,
        id: Uuid::now_v7(),
        gateway_id: facts.id.clone(),
        checkout_id: checkout.id,
        payment_id: facts.payment_intent.clone(),
        charge_id: facts.charge.clone(),
        amount_minor: facts.amount_minor,
        currency: facts.currency.clone(),
        reason: facts.reason.clone(),
        status: facts.status.clone(),
        evidence_due_by: due,
        state_at: event_at,
        withdrawn_minor: 0,
        fee_minor: 0,
        withdrawn_at: None,
        reinstated_minor: 0,
        fee_returned_minor: 0,
        reinstated_at: None,
        evidence: json!({}),
        evidence_submitted_at: None,
        created_at: now,
        updated_at: now,
    };
    let stored = Dispute::insert_or_get(&mut tx, &fresh).await?;
    let created = stored.id == fresh.id;
    let was_closed = is_closed(&stored.status);
    let mut status = stored.status.clone();
    if !created && event_at >= stored.state_at {
        Dispute::set_state(
            &mut tx,
            stored.id,
            &DisputeState {
                amount_minor: facts.amount_minor,
                reason: &facts.reason,
                status: &facts.status,
                evidence_due_by: due,
                charge_id: facts.charge.as_deref(),
                state_at: event_at,
                updated_at: now,
            },
        )
        .await?;
        status.clone_from(&facts.status);
    }
    let mut withdrawn = stored.withdrawn_at.is_some();
    if let Some((amount, fee)) = facts.withdrawn
        && !withdrawn
    {
        withdraw(&mut tx, &stored, &checkout, amount, fee).await?;
        withdrawn = true;
    }
    if let Some((amount, fee)) = facts.reinstated
        && withdrawn
        && stored.reinstated_at.is_none()
    {
        reinstate(&mut tx, &stored, amount, fee).await?;
    }
    if created && !is_closed(&status) {
        notify(state, &mut tx, &tenant, &stored, &checkout, "opened").await?;
    } else if (created || !was_closed) && is_closed(&status) {
        let what = if status == "won" { "won" } else { "lost" };
        notify(state, &mut tx, &tenant, &stored, &checkout, what).await?;
    }
    tx.commit().await?;
    Ok(true)
}

fn is_closed(status: &str) -> bool {
    matches!(status, "won" | "lost" | "warning_closed")
}

/// The money left: charged to the sellers of the checkout's orders in proportion to what
/// each order cost, and taken back from their transfers.
async fn withdraw(
    tx: &mut TenantTx,
    d: &Dispute,
    checkout: &Checkout,
    amount: i64,
    fee: i64,
) -> ApiResult<()> {
    let tenant_id = tx.tenant_id().get();
    let orders = Order::of_checkout(tx, checkout.id).await?;
    let weights: Vec<i64> = orders.iter().map(|o| o.total_minor).collect();
    let amounts = allocate(amount, &weights);
    let fees = allocate(fee, &weights);
    let shares: Vec<DisputeShare> = orders
        .iter()
        .zip(amounts.iter().zip(&fees))
        .map(|(o, (&a, &f))| DisputeShare {
            tenant_id,
            dispute_id: d.id,
            order_id: o.id,
            recipient: format!("seller:{}", o.shop_id),
            amount_minor: a,
            fee_minor: f,
        })
        .collect();
    DisputeShare::insert_all(tx, &shares).await?;
    let journal = Uuid::now_v7();
    let entry = |order: Option<Uuid>, account: &str, kind: &str, amount: i64| LedgerEntry {
        tenant_id,
        id: Uuid::now_v7(),
        journal_id: journal,
        checkout_id: checkout.id,
        order_id: order,
        account: account.to_owned(),
        kind: kind.to_owned(),
        amount_minor: amount,
        currency: d.currency.clone(),
    };
    let mut entries = Vec::new();
    for s in &shares {
        entries.push(entry(
            Some(s.order_id),
            "clearing",
            "dispute",
            -s.amount_minor,
        ));
        entries.push(entry(
            Some(s.order_id),
            "clearing",
            "dispute_fee",
            -s.fee_minor,
        ));
        entries.push(entry(
            Some(s.order_id),
            &s.recipient,
            "dispute",
            s.amount_minor,
        ));
        entries.push(entry(
            Some(s.order_id),
            &s.recipient,
            "dispute_fee",
            s.fee_minor,
        ));
    }
    LedgerEntry::post(tx, &entries).await?;
    let parts: Vec<(String, Option<Uuid>, i64)> = shares
        .iter()
        .map(|s| {
            (
                s.recipient.clone(),
                Some(s.order_id),
                s.amount_minor + s.fee_minor,
            )
        })
        .collect();
    take_back(tx, checkout.id, &parts, TakenFor::Dispute(d.id)).await?;
    Dispute::mark_withdrawn(tx, d.id, amount, fee).await?;
    Ok(())
}

/// The dispute is won: the money comes back and is owed to the same sellers again, paid by
/// a transfer each (which first nets what they still owe, e.g. a reversal that failed).
async fn reinstate(
    tx: &mut TenantTx,
    d: &Dispute,
    amount: i64,
    fee_returned: i64,
) -> ApiResult<()> {
    let tenant_id = tx.tenant_id().get();
    let shares = DisputeShare::of_dispute(tx, d.id).await?;
    let amounts = allocate(
        amount,
        &shares.iter().map(|s| s.amount_minor).collect::<Vec<_>>(),
    );
    let fees = allocate(
        fee_returned,
        &shares.iter().map(|s| s.fee_minor).collect::<Vec<_>>(),
    );
    let journal = Uuid::now_v7();
    let entry = |order: Uuid, account: &str, kind: &str, amount: i64| LedgerEntry {
        tenant_id,
        id: Uuid::now_v7(),
        journal_id: journal,
        checkout_id: d.checkout_id,
        order_id: Some(order),
        account: account.to_owned(),
        kind: kind.to_owned(),
        amount_minor: amount,
        currency: d.currency.clone(),
    };
    let mut entries = Vec::new();
    let mut transfers = Vec::new();
    let shop_ids: Vec<Uuid> = shares
        .iter()
        .filter_map(|s| s.recipient.strip_prefix("seller:")?.parse().ok())
        .collect();
    let accounts = SellerAccount::of_shops(tx, &shop_ids).await?;
    for (s, (&a, &f)) in shares.iter().zip(amounts.iter().zip(&fees)) {
        entries.push(entry(s.order_id, "clearing", "dispute", a));
        entries.push(entry(s.order_id, "clearing", "dispute_fee", f));
        entries.push(entry(s.order_id, &s.recipient, "dispute", -a));
        entries.push(entry(s.order_id, &s.recipient, "dispute_fee", -f));
        let account = accounts
            .iter()
            .find(|acc| format!("seller:{}", acc.shop_id) == s.recipient);
        if let (Some(account), true) = (account, a + f > 0) {
            transfers.push(Transfer {
                tenant_id,
                id: Uuid::now_v7(),
                checkout_id: d.checkout_id,
                order_id: Some(s.order_id),
                recipient: s.recipient.clone(),
                destination: account.account_id.clone(),
                amount_minor: a + f,
                currency: d.currency.clone(),
                idempotency_key: format!("transfer:dispute:{}:{}", d.id, s.order_id),
                status: SettlementStatus::Pending,
                gateway_id: None,
                release_at: None,
                sweep_id: None,
            });
        }
    }
    LedgerEntry::post(tx, &entries).await?;
    Transfer::insert_all(tx, &transfers).await?;
    OutboxMessage::enqueue_many(
        tx,
        TRANSFER_KIND,
        transfers
            .iter()
            .map(|t| json!({ "transfer_id": t.id }))
            .collect(),
    )
    .await?;
    Dispute::mark_reinstated(tx, d.id, amount, fee_returned).await?;
    Ok(())
}

/// Tells the operators and the sellers concerned (opened, won or lost).
async fn notify(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    d: &Dispute,
    checkout: &Checkout,
    what: &str,
) -> ApiResult<()> {
    let locale = Locale::of_tag(&tenant.locale);
    let base = state.storefront(&state.tenant_host(tenant));
    let orders = Order::of_checkout(tx, checkout.id).await?;
    let numbers = orders
        .iter()
        .map(|o| o.number.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let amount = locale.money(&Money::of(d.amount_minor, &d.currency));
    let args = |extra: Option<String>| {
        let mut v: Vec<(&str, krafto_i18n::Arg)> = vec![
            ("name", tenant.display_name.as_str().into()),
            ("orders", numbers.as_str().into()),
            ("amount", amount.as_str().into()),
        ];
        if let Some(url) = extra {
            v.push(("url", url.into()));
        }
        v
    };
    let subject = locale.t_args(&format!("mail-dispute-{what}-subject"), &args(None));
    let mut to: Vec<String> = User::operators(tx)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    if let Some(support) = &tenant.support_email {
        to.push(support.clone());
    }
    to.sort();
    to.dedup();
    let operator_body = locale.t_args(
        &format!("mail-dispute-{what}-operator"),
        &args(Some(format!("{base}/admin/disputes"))),
    );
    for address in &to {
        mail(
            tx,
            tenant,
            address,
            subject.clone(),
            format!("{operator_body}\n"),
        )
        .await?;
    }
    let shop_ids: Vec<Uuid> = orders.iter().map(|o| o.shop_id).collect();
    let seller_body = locale.t_args(&format!("mail-dispute-{what}-seller"), &args(None));
    for (_, owner) in Shop::owner_emails(tx, &shop_ids).await? {
        mail(
            tx,
            tenant,
            &owner,
            subject.clone(),
            format!("{seller_body}\n"),
        )
        .await?;
    }
    Ok(())
}

/// The dispute a marketplace's operator asks about (404 when it is not one of theirs).
pub(crate) async fn find(tx: &mut TenantTx, id: Uuid) -> ApiResult<Dispute> {
    Dispute::find(tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found(Code::NotFound, "no such dispute here"))
}

fn evidence_input(v: &serde_json::Value) -> DisputeEvidenceInput {
    let text = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .map(|s| s.to_owned().into())
    };
    DisputeEvidenceInput {
        text: text("text"),
        product_description: text("product_description"),
        shipping_carrier: text("shipping_carrier"),
        shipping_tracking_number: text("shipping_tracking_number"),
        shipping_date: text("shipping_date"),
        submit: false,
    }
}

async fn view(tx: &mut TenantTx, d: Dispute) -> ApiResult<DisputeView> {
    let orders = Order::of_checkout(tx, d.checkout_id)
        .await?
        .into_iter()
        .map(|o| o.number)
        .collect();
    Ok(DisputeView {
        id: d.id,
        evidence: evidence_input(&d.evidence),
        status: d.status,
        reason: d.reason,
        amount_minor: d.amount_minor,
        currency: d.currency,
        evidence_due_by: d.evidence_due_by,
        orders,
        withdrawn_minor: d.withdrawn_minor,
        fee_minor: d.fee_minor,
        reinstated_minor: d.reinstated_minor,
        evidence_submitted_at: d.evidence_submitted_at,
        created_at: d.created_at,
    })
}

/// The marketplace's disputes: those awaiting an answer first, by deadline.
pub(crate) async fn list(tx: &mut TenantTx) -> ApiResult<Vec<DisputeView>> {
    let mut out = Vec::new();
    for d in Dispute::list(tx, 200).await? {
        out.push(view(tx, d).await?);
    }
    Ok(out)
}

pub(crate) async fn one(tx: &mut TenantTx, id: Uuid) -> ApiResult<DisputeView> {
    let d = find(tx, id).await?;
    view(tx, d).await
}

/// Saves the operator's evidence and sends it to Stripe (staged, or submitted to the bank).
/// Refused once the dispute is decided or the evidence was submitted.
pub(crate) async fn submit_evidence(
    state: &AppState,
    scope: &TenantScope,
    id: Uuid,
    input: &DisputeEvidenceInput,
    actor: &krafto_db::models::Actor,
    rid: &krafto_web::RequestId,
) -> ApiResult<DisputeView> {
    let clean = |v: &Option<krafto_api_types::Text>,
                 field: &str,
                 max: usize|
     -> ApiResult<Option<String>> {
        let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty());
        match v {
            Some(s) if s.chars().count() > max => Err(ApiError::field(FieldError::new(
                field,
                format!("at most {max} characters"),
            ))),
            s => Ok(s.map(str::to_owned)),
        }
    };
    let text = clean(&input.text, "text", 20000)?;
    let product = clean(&input.product_description, "product_description", 20000)?;
    let carrier = clean(&input.shipping_carrier, "shipping_carrier", 200)?;
    let tracking = clean(
        &input.shipping_tracking_number,
        "shipping_tracking_number",
        200,
    )?;
    let date = clean(&input.shipping_date, "shipping_date", 10)?;
    if let Some(d) = &date
        && chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
    {
        return Err(ApiError::field(FieldError::new(
            "shipping_date",
            "must be a date (year-month-day)",
        )));
    }
    if input.submit && text.is_none() && tracking.is_none() {
        return Err(ApiError::field(FieldError::new(
            "text",
            "say why the payment is legitimate, or give the tracking number, before submitting",
        )));
    }
    let mut tx = state.db.tenant(scope).await?;
    let d = find(&mut tx, id).await?;
    let decided = is_closed(&d.status) || d.evidence_submitted_at.is_some();
    tx.commit().await?;
    if decided {
        return Err(ApiError::new(
            poem::http::StatusCode::CONFLICT,
            Code::InvalidTransition,
            "this dispute's evidence was submitted already or the dispute is decided",
        ));
    }
    let evidence = json!({
        "text": text,
        "product_description": product,
        "shipping_carrier": carrier,
        "shipping_tracking_number": tracking,
        "shipping_date": date,
    });
    // The bank's copy first: our record says submitted only once Stripe has it.
    state
        .gateway
        .update_dispute(&krafto_payments::DisputeEvidence {
            dispute_id: d.gateway_id.clone(),
            text: text.clone(),
            product_description: product.clone(),
            shipping_carrier: carrier.clone(),
            shipping_tracking_number: tracking.clone(),
            shipping_date: date.clone(),
            customer_name: None,
            customer_email: None,
            submit: input.submit,
        })
        .await
        .map_err(super::payouts::gateway_error)?;
    let mut tx = state.db.tenant(scope).await?;
    Dispute::set_evidence(&mut tx, d.id, &evidence, input.submit).await?;
    let orders = view(&mut tx, d.clone()).await?.orders;
    crate::catalog::record(
        &mut tx,
        actor,
        if input.submit {
            "dispute.evidence_submitted"
        } else {
            "dispute.evidence_saved"
        },
        format!("dispute:{}", d.id),
        json!({ "orders": orders }),
        rid,
    )
    .await?;
    let out = one(&mut tx, d.id).await?;
    tx.commit().await?;
    Ok(out)
}
