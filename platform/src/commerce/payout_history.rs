//! Sellers' payout history (issue 13): the Stripe payouts of each seller's connected account,
//! kept current by `payout.*` events on the Connect endpoint, and what each one contains.
//!
//! Events name the connected account (`account`): it is routed to its marketplace by the
//! control-plane table `payment_accounts` (seller accounts only) and to its shop by
//! `seller_accounts`. Each event is de-duplicated by id in the transaction that applies it;
//! the row keeps the newest event's state (`state_at`), so older deliveries never overwrite
//! newer ones. A payout that fails e-mails the seller once, with the reason in words.
//!
//! What a payout contains is an honest approximation: Stripe pays out the connected account's
//! balance, which our transfers (and reversals) fed, so a payout is given the transfers sent
//! to the seller since their previous paid payout up to the payout's creation, with each
//! transfer's order (sale and commission), the refunds taken back and the debts recovered
//! from it. The exact answer is Stripe's balance transactions of the connected account
//! (`GET /v1/balance_transactions?payout=po_…` on the account): reading them is the next step.
//! This module never calls Stripe.

use super::checkout::EventRef;
use super::orders::mail;
use crate::AppState;
use chrono::{DateTime, Utc};
use krafto_api_types::Code;
use krafto_api_types::commerce::{
    PayoutHistoryPage, PayoutMovement, PayoutMovementKind, PayoutState, PayoutView,
};
use krafto_core::Money;
use krafto_db::models::{
    PaymentAccount, PayoutMovementRow, SellerPayout, Shop, Tenant, WebhookEvent,
};
use krafto_db::{TenantScope, TenantTx};
use krafto_i18n::Locale;
use krafto_payments::webhook::PayoutFacts;
use krafto_web::{ApiError, ApiResult};
use std::collections::HashMap;
use uuid::Uuid;

/// Payouts per page, by default and at most.
pub(crate) const PER_PAGE: i64 = 20;
const MAX_PER_PAGE: i64 = 100;

/// The Stripe failure codes explained in words; any other is "the bank or Stripe could not".
const FAILURE_CODES: &[&str] = &[
    "account_closed",
    "no_account",
    "invalid_account_number",
    "account_frozen",
    "insufficient_funds",
    "declined",
];

/// How far along a status is, to order two events of the same second (a paid payout can
/// still fail later; a failed or cancelled one never moves again).
fn rank(status: &str) -> u8 {
    match status {
        "pending" => 0,
        "in_transit" => 1,
        "paid" => 2,
        "canceled" => 3,
        "failed" => 4,
        _ => 0,
    }
}

/// Applies one verified `payout.*` event of a connected account. Unknown accounts, and the
/// marketplace's own account, are acknowledged and ignored.
pub(crate) async fn apply_event(
    state: &AppState,
    account: Option<&str>,
    facts: &PayoutFacts,
    event: EventRef<'_>,
    created: i64,
) -> ApiResult<&'static str> {
    let Some(status) = PayoutState::parse(&facts.status) else {
        return Err(ApiError::bad_request(
            Code::BadEvent,
            format!("unknown payout status {}", facts.status),
        ));
    };
    let Some(account) = account else {
        return Ok("ignored");
    };
    let mut tx = state.db.control().await?;
    let route = PaymentAccount::find(&mut tx, account).await?;
    let tenant = match route.filter(|r| r.holder == "seller") {
        Some(r) => Some(Tenant::find(&mut tx, r.tenant_id).await?),
        None => None,
    };
    tx.commit().await?;
    let Some(tenant) = tenant else {
        return Ok("ignored");
    };
    // The verified event resolved the marketplace: the account it names is routed to it.
    let scope = TenantScope::resolved(&tenant);
    let mut tx = state.db.tenant(&scope).await?;
    let Some(shop_id) = SellerPayout::shop_of_account(&mut tx, account).await? else {
        return Ok("ignored");
    };
    if !WebhookEvent::record(&mut tx, event.id, event.kind).await? {
        return Ok("duplicate_or_stale");
    }
    let at = |secs: i64| DateTime::<Utc>::from_timestamp(secs, 0);
    let row = SellerPayout {
        tenant_id: tenant.id,
        id: Uuid::now_v7(),
        gateway_id: facts.id.clone(),
        shop_id,
        amount_minor: facts.amount_minor.max(0),
        currency: facts.currency.clone(),
        status: status.as_str().to_owned(),
        payout_created_at: at(facts.created).unwrap_or_default(),
        arrival_date: facts.arrival_date.and_then(at),
        failure_code: facts.failure_code.clone(),
        failure_message: facts.failure_message.clone(),
        state_at: created,
    };
    let mut before = SellerPayout::find_for_update(&mut tx, &facts.id).await?;
    if before.is_none() && !SellerPayout::insert(&mut tx, &row).await? {
        // Another delivery inserted it meanwhile: compare with what it wrote.
        before = SellerPayout::find_for_update(&mut tx, &facts.id).await?;
    }
    let newly_failed = match &before {
        None => status == PayoutState::Failed,
        Some(b) if b.shop_id != shop_id => {
            // The payout belongs to another shop's account: never rewrite it.
            return Ok("ignored");
        }
        Some(b) => {
            if (created, rank(&row.status)) < (b.state_at, rank(&b.status)) {
                tx.commit().await?;
                return Ok("duplicate_or_stale");
            }
            SellerPayout::update_state(&mut tx, &row).await?;
            status == PayoutState::Failed && b.status != "failed"
        }
    };
    if newly_failed {
        failed_mail(state, &mut tx, &tenant, &row).await?;
    }
    tx.commit().await?;
    Ok("applied")
}

/// The failure in words, in the marketplace's language.
pub(crate) fn failure_words(locale: Locale, code: Option<&str>) -> String {
    let code = code
        .filter(|c| FAILURE_CODES.contains(c))
        .unwrap_or("other");
    locale.t(&format!("payouts-failure-{code}"))
}

/// Tells the seller their payout failed, why, and where to fix it.
async fn failed_mail(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    p: &SellerPayout,
) -> ApiResult<()> {
    let locale = Locale::of_tag(&tenant.locale);
    let amount = locale.money(&Money::of(p.amount_minor, &p.currency));
    let url = format!(
        "{}/sell/payouts/history",
        state.storefront(&state.tenant_host(tenant))
    );
    let reason = failure_words(locale, p.failure_code.as_deref());
    let subject = locale.t_args(
        "mail-payout-failed-subject",
        &[
            ("name", tenant.display_name.as_str().into()),
            ("amount", amount.as_str().into()),
        ],
    );
    let body = locale.t_args(
        "mail-payout-failed-body",
        &[
            ("amount", amount.as_str().into()),
            ("reason", reason.into()),
            ("url", url.into()),
        ],
    );
    for (_, owner) in Shop::owner_emails(tx, &[p.shop_id]).await? {
        mail(tx, tenant, &owner, subject.clone(), format!("{body}\n")).await?;
    }
    Ok(())
}

/// A page of payouts (newest first) of one shop, or of every shop of the marketplace, each
/// with what it contains. `page` counts from 1.
pub(crate) async fn history(
    tx: &mut TenantTx,
    shop_id: Option<Uuid>,
    page: Option<i64>,
    per_page: Option<i64>,
) -> ApiResult<PayoutHistoryPage> {
    let page = page.unwrap_or(1);
    let per_page = per_page.unwrap_or(PER_PAGE);
    if page < 1 {
        return Err(ApiError::field(krafto_core::FieldError::new(
            "page",
            "must be 1 or more",
        )));
    }
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(ApiError::field(krafto_core::FieldError::new(
            "per_page",
            "must be between 1 and 100",
        )));
    }
    let mut payouts = SellerPayout::list(
        tx,
        shop_id,
        per_page + 1,
        (page - 1).saturating_mul(per_page),
    )
    .await?;
    let more = payouts.len() as i64 > per_page;
    payouts.truncate(per_page as usize);
    let mut items = Vec::with_capacity(payouts.len());
    for p in payouts {
        let after = SellerPayout::previous_paid(tx, p.shop_id, p.payout_created_at).await?;
        let rows = SellerPayout::movements(tx, p.shop_id, after, p.payout_created_at).await?;
        items.push(view(p, &rows));
    }
    Ok(PayoutHistoryPage {
        items,
        next_page: more.then_some(page + 1),
    })
}

fn view(p: SellerPayout, rows: &[PayoutMovementRow]) -> PayoutView {
    PayoutView {
        status: PayoutState::parse(&p.status).unwrap_or(PayoutState::Pending),
        id: p.gateway_id,
        shop_id: p.shop_id,
        amount_minor: p.amount_minor,
        currency: p.currency,
        created_at: p.payout_created_at,
        arrival_date: p.arrival_date,
        failure_code: p.failure_code,
        failure_message: p.failure_message,
        movements: movements(rows),
    }
}

/// The movements of a payout, in the seller's terms: for each transfer its order's sale
/// (items and shipping) and commission (with Krafto's fee), and what refunds took before it
/// was sent; debts recovered from it; reversals taken after. Losses are negative.
pub(crate) fn movements(rows: &[PayoutMovementRow]) -> Vec<PayoutMovement> {
    let mut recovered: HashMap<Uuid, i64> = HashMap::new();
    for r in rows.iter().filter(|r| r.kind == "recovery") {
        *recovered.entry(r.transfer_id).or_default() += r.amount_minor;
    }
    let mut out = Vec::new();
    let mut push = |r: &PayoutMovementRow, kind: PayoutMovementKind, amount_minor: i64| {
        out.push(PayoutMovement {
            at: r.at,
            kind,
            order_number: r.order_number.clone(),
            amount_minor,
            currency: r.currency.clone(),
        });
    };
    for r in rows {
        match r.kind.as_str() {
            "transfer" => match (r.items_minor, r.shipping_minor, r.seller_net_minor) {
                (Some(items), Some(shipping), Some(net)) => {
                    push(r, PayoutMovementKind::Sale, items + shipping);
                    if items > net {
                        push(r, PayoutMovementKind::Commission, net - items);
                    }
                    // Refunds made before the transfer was sent brought it down.
                    let before_sending = net + shipping
                        - recovered.get(&r.transfer_id).copied().unwrap_or(0)
                        - r.amount_minor;
                    if before_sending > 0 {
                        push(r, PayoutMovementKind::Refund, -before_sending);
                    }
                }
                // A transfer without an order (a dispute won back): paid as it is.
                _ => push(r, PayoutMovementKind::Sale, r.amount_minor),
            },
            "recovery" => push(r, PayoutMovementKind::Debt, -r.amount_minor),
            _ => push(r, PayoutMovementKind::Refund, -r.amount_minor),
        }
    }
    out
}

/// The words of a movement kind, in the marketplace's language.
pub(crate) fn kind_words(locale: Locale, kind: PayoutMovementKind) -> String {
    locale.t(match kind {
        PayoutMovementKind::Sale => "payouts-kind-sale",
        PayoutMovementKind::Refund => "payouts-kind-refund",
        PayoutMovementKind::Debt => "payouts-kind-debt",
        PayoutMovementKind::Commission => "payouts-kind-commission",
    })
}

/// The payouts as CSV, one row per movement: date, payout, kind, order number, amount (in
/// major units, a dot before the decimals), currency; headers in `locale`.
pub(crate) fn csv(locale: Locale, payouts: &[PayoutView]) -> ApiResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "payouts-csv-date",
        "payouts-csv-payout",
        "payouts-csv-kind",
        "payouts-csv-order",
        "payouts-csv-amount",
        "payouts-csv-currency",
    ]
    .map(|k| locale.t(k));
    let broken = |e: csv::Error| ApiError::internal(&format!("writing CSV: {e}"));
    w.write_record(&header).map_err(broken)?;
    for p in payouts {
        for m in &p.movements {
            w.write_record([
                m.at.date_naive().to_string(),
                p.id.clone(),
                kind_words(locale, m.kind),
                m.order_number.clone().unwrap_or_default(),
                Money::of(m.amount_minor, &m.currency).decimal(),
                m.currency.clone(),
            ])
            .map_err(broken)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ApiError::internal(&format!("writing CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ApiError::internal(&format!("writing CSV: {e}")))
}

/// Every payout of the marketplace's shops for the CSV export, at most this many.
pub(crate) const CSV_MAX_PAYOUTS: i64 = MAX_PER_PAGE;

/// The shop's whole recent history (up to [`CSV_MAX_PAYOUTS`] payouts) as CSV.
pub(crate) async fn history_csv(
    tx: &mut TenantTx,
    locale: Locale,
    shop_id: Uuid,
) -> ApiResult<String> {
    let page = history(tx, Some(shop_id), Some(1), Some(CSV_MAX_PAYOUTS)).await?;
    csv(locale, &page.items)
}

/// The seller's own shop's payout history.
pub(crate) async fn of_seller(
    state: &AppState,
    tenant: &crate::CurrentTenant,
    c: &krafto_auth::UserClaims,
    page: Option<i64>,
    per_page: Option<i64>,
) -> ApiResult<PayoutHistoryPage> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = crate::catalog::selling::my_shop(&mut tx, c).await?;
    let h = history(&mut tx, Some(shop.id), page, per_page).await?;
    tx.commit().await?;
    Ok(h)
}

/// The seller's own shop's payout history as CSV, headers in the marketplace's language.
pub(crate) async fn csv_of_seller(
    state: &AppState,
    tenant: &crate::CurrentTenant,
    c: &krafto_auth::UserClaims,
) -> ApiResult<String> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = crate::catalog::selling::my_shop(&mut tx, c).await?;
    let locale = Locale::of_tag(&tenant.locale);
    let text = history_csv(&mut tx, locale, shop.id).await?;
    tx.commit().await?;
    Ok(text)
}
