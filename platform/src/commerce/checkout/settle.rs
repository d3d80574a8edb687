//! Settling a checkout once the payment provider has spoken. The paid path makes one order
//! per shop, writes the balanced ledger journal, queues transfers and e-mails and empties the
//! bought cart lines; the failed (or expired) path gives the stock back and keeps the cart.
//! Each path is ONE transaction, de-duplicated by the provider's event id: the steps below
//! only write into the caller's transaction, in a fixed order, and never commit themselves.

use super::stock::{release, take_stock};
use super::{MAIL_KIND, REFUND_KIND, TRANSFER_KIND};
use crate::AppState;
use crate::commerce::orders::confirmation_mails;
use crate::commerce::{Plan, PlanShop};
use chrono::Utc;
use krafto_core::Bps;
use krafto_core::commerce::{
    CheckoutStatus, OrderStatus, PaymentStatus, PayoutTiming, Rates, SettlementStatus, ShopTotals,
    price_shop,
};
use krafto_db::models::{
    Cart, Checkout, LedgerEntry, MarketplaceSettings, Order, OrderEventRow, OrderLine,
    OutboxMessage, Refund, SellerAccount, Shop, Tenant, Transfer, WebhookEvent,
};
use krafto_db::{TenantScope, TenantTx};
use krafto_web::{ApiError, ApiResult};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// A provider event being applied (de-duplicated by id in the settling transaction).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventRef<'a> {
    pub id: &'a str,
    pub kind: &'a str,
}

/// The payment failed (or the hold expired): stock goes back, the cart stays, the buyer can
/// try again. A checkout already paid is left alone (a late or out-of-order failure).
pub(crate) async fn settle_failed(
    state: &AppState,
    scope: &TenantScope,
    checkout_id: Uuid,
    event: Option<EventRef<'_>>,
    event_at: i64,
    reason: &str,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(scope).await?;
    if !first_delivery(&mut tx, event).await? {
        return Ok(());
    }
    let c = Checkout::find_for_update(&mut tx, checkout_id).await?;
    match c.status {
        CheckoutStatus::Creating | CheckoutStatus::AwaitingPayment => {
            give_stock_back(state, &mut tx, &c).await?;
            mark_failed(&mut tx, &c, reason, event_at).await?;
        }
        CheckoutStatus::Paid | CheckoutStatus::Failed | CheckoutStatus::RefundDue => {}
    }
    Ok(tx.commit().await?)
}

/// The payment succeeded: one order per shop, the ledger, transfers and e-mails, all in one
/// transaction with the event's de-duplication. A payment arriving after its hold was
/// released takes the stock again, or is refunded when the stock is gone. `charge_id` is the
/// payment's charge (Stripe's `latest_charge`; made up from the payment in test mode): every
/// transfer of the checkout names it as its source.
pub(crate) async fn settle_paid(
    state: &AppState,
    scope: &TenantScope,
    checkout_id: Uuid,
    event: Option<EventRef<'_>>,
    event_at: i64,
    charge_id: Option<&str>,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(scope).await?;
    let tenant_id = tx.tenant_id().get();
    let tenant = Tenant::find(&mut tx, tenant_id).await?;
    if !first_delivery(&mut tx, event).await? {
        return Ok(());
    }
    let c = Checkout::find_for_update(&mut tx, checkout_id).await?;
    let charge = charge_id.map(str::to_owned).or_else(|| {
        c.payment_id
            .as_deref()
            .filter(|_| state.test_mode())
            .map(krafto_payments::TestGateway::charge_of)
    });
    if let Some(charge) = &charge {
        Checkout::set_charge(&mut tx, c.id, charge).await?;
    }
    let plan = Plan::parse(&c.plan)?;
    match c.status {
        CheckoutStatus::Paid | CheckoutStatus::RefundDue => return Ok(tx.commit().await?),
        // A failed checkout released its stock: take it again (all or nothing), or refund.
        CheckoutStatus::Failed => {
            if take_stock(state, &mut tx, &plan).await?.is_err() {
                refund_sold_out(&mut tx, &c, event_at).await?;
                return Ok(tx.commit().await?);
            }
        }
        CheckoutStatus::Creating | CheckoutStatus::AwaitingPayment => {}
    }
    let sales = price_sales(&c, &plan)?;
    // Everything that needs no order number first: the per-marketplace numbering lock is
    // then held only for the few bulk writes at the end.
    let payees = Payees::load(&mut tx, &plan).await?;
    let timing = MarketplaceSettings::get(&mut tx).await?.payout_timing;
    let mut orders = place_orders(state, &mut tx, &c, &sales).await?;
    post_sale_journal(&mut tx, &c, &sales).await?;
    queue_transfers(&mut tx, &tenant, timing, &c, &sales, &payees.accounts).await?;
    Checkout::set_status(&mut tx, c.id, CheckoutStatus::Paid, None, event_at).await?;
    empty_bought_lines(&mut tx, &c, &plan).await?;
    // Numbering serialises a marketplace's sales until commit: it comes last.
    number_orders(&mut tx, &tenant, &mut orders).await?;
    queue_confirmation_mails(state, &mut tx, &tenant, &c, &plan, &orders, &payees.owners).await?;
    Ok(tx.commit().await?)
}

/// Records the event; `false` when it was applied before.
async fn first_delivery(tx: &mut TenantTx, event: Option<EventRef<'_>>) -> ApiResult<bool> {
    match event {
        Some(e) => Ok(WebhookEvent::record(tx, e.id, e.kind).await?),
        None => Ok(true),
    }
}

// ---- The failed path ----

/// Gives back the units the checkout's plan held (the cart itself is kept).
async fn give_stock_back(state: &AppState, tx: &mut TenantTx, c: &Checkout) -> ApiResult<()> {
    release(state, tx, &Plan::parse(&c.plan)?).await
}

/// Marks the checkout failed with the provider's reason, so the buyer can try again.
async fn mark_failed(
    tx: &mut TenantTx,
    c: &Checkout,
    reason: &str,
    event_at: i64,
) -> ApiResult<()> {
    Ok(Checkout::set_status(tx, c.id, CheckoutStatus::Failed, Some(reason), event_at).await?)
}

// ---- The paid path ----

/// Paid after the stock hold ended and the items were sold meanwhile: the checkout becomes
/// `refund_due` and the whole payment is queued for refunding.
async fn refund_sold_out(tx: &mut TenantTx, c: &Checkout, event_at: i64) -> ApiResult<()> {
    let tenant_id = tx.tenant_id().get();
    Checkout::set_status(
        tx,
        c.id,
        CheckoutStatus::RefundDue,
        Some("paid after the stock hold ended and the items were sold; the payment is refunded"),
        event_at,
    )
    .await?;
    let refund = Refund::unallocated(
        tenant_id,
        c.id,
        c.total_minor,
        "items sold out before the payment arrived",
    );
    Refund::insert(tx, &refund).await?;
    OutboxMessage::enqueue(tx, REFUND_KIND, json!({ "refund_id": refund.id })).await?;
    Ok(())
}

/// One shop's part of the paid checkout: its frozen plan, its order's id and its totals.
struct Sale<'a> {
    shop: &'a PlanShop,
    order_id: Uuid,
    totals: ShopTotals,
}

/// Prices each shop's part at the rates snapshotted in the checkout and each line's
/// commission frozen in its plan (never today's rates or overrides).
fn price_sales<'a>(c: &Checkout, plan: &'a Plan) -> ApiResult<Vec<Sale<'a>>> {
    let rates = Rates {
        commission: Bps::new(i64::from(c.commission_bps)).map_err(|e| ApiError::internal(&e))?,
        platform_fee: Bps::new(i64::from(c.platform_fee_bps))
            .map_err(|e| ApiError::internal(&e))?,
        buyer_fee: Bps::new(i64::from(c.buyer_fee_bps)).map_err(|e| ApiError::internal(&e))?,
    };
    plan.shops
        .iter()
        .map(|shop| {
            Ok(Sale {
                totals: price_shop(
                    &shop.line_inputs(rates.commission)?,
                    shop.shipping_minor,
                    rates.into(),
                ),
                order_id: Uuid::now_v7(),
                shop,
            })
        })
        .collect()
}

/// Per shop, whom the sale pays (the seller's connected account) and tells (the owner's
/// e-mail), read before anything is written.
struct Payees {
    accounts: HashMap<Uuid, String>,
    owners: HashMap<Uuid, String>,
}

impl Payees {
    async fn load(tx: &mut TenantTx, plan: &Plan) -> ApiResult<Payees> {
        let shop_ids: Vec<Uuid> = plan.shops.iter().map(|s| s.shop_id).collect();
        let accounts: HashMap<Uuid, String> = SellerAccount::of_shops(tx, &shop_ids)
            .await?
            .into_iter()
            .map(|a| (a.shop_id, a.account_id))
            .collect();
        let owners: HashMap<Uuid, String> = Shop::owner_emails(tx, &shop_ids)
            .await?
            .into_iter()
            .collect();
        Ok(Payees { accounts, owners })
    }
}

/// Writes one `placed` order per shop with its lines (titles, prices and rates snapshotted)
/// and its first history event. The orders get provisional numbers (`number_orders` gives
/// the real ones last); they are returned for the later steps.
async fn place_orders(
    state: &AppState,
    tx: &mut TenantTx,
    c: &Checkout,
    sales: &[Sale<'_>],
) -> ApiResult<Vec<Order>> {
    let tenant_id = tx.tenant_id().get();
    let now = Utc::now();
    let (mut orders, mut lines, mut events) = (Vec::new(), Vec::new(), Vec::new());
    for Sale {
        shop,
        order_id,
        totals,
    } in sales
    {
        let order_id = *order_id;
        orders.push(Order {
            tenant_id,
            id: order_id,
            // Numbered last (below), so the numbering lock is held only briefly.
            number: format!("pending-{order_id}"),
            checkout_id: c.id,
            shop_id: shop.shop_id,
            buyer_id: c.buyer_id,
            email: c.email.clone(),
            phone: c.phone.clone(),
            address: c.address.clone(),
            status: OrderStatus::Placed,
            currency: c.currency.clone(),
            items_minor: totals.items_minor,
            shipping_minor: totals.shipping_minor,
            buyer_fee_minor: totals.buyer_fee_minor,
            total_minor: totals.total_minor,
            commission_minor: totals.commission_minor(),
            platform_fee_minor: totals.platform_fee_minor,
            seller_net_minor: totals.seller_net_minor,
            shipping_option: shop.option_name.clone(),
            tracking_number: None,
            access_token_hash: krafto_auth::secret_hash(
                &state.keys.order_access_token(tenant_id, order_id),
            ),
            created_at: now,
            updated_at: now,
            payment_status: PaymentStatus::Paid,
        });
        lines.extend(
            shop.lines
                .iter()
                .zip(&totals.lines)
                .enumerate()
                .map(|(pos, (l, p))| OrderLine {
                    tenant_id,
                    id: Uuid::now_v7(),
                    order_id,
                    listing_id: l.listing_id,
                    variant_id: l.variant_id,
                    title: l.title.clone(),
                    variant_label: l.variant_label.clone(),
                    unit_price_minor: l.unit_price_minor,
                    quantity: l.quantity,
                    amount_minor: p.amount_minor,
                    commission_bps: l.commission_bps(c.commission_bps),
                    platform_fee_bps: c.platform_fee_bps,
                    seller_net_minor: p.split.seller_net,
                    tenant_share_minor: p.split.tenant_share,
                    platform_fee_minor: p.split.platform_fee,
                    position: i32::try_from(pos).unwrap_or(i32::MAX),
                }),
        );
        events.push(OrderEventRow::moved(
            tenant_id,
            order_id,
            None,
            OrderStatus::Placed,
            "system",
            None,
            Some("payment received"),
        ));
    }
    Order::insert_all(tx, &orders).await?;
    OrderLine::insert_all(tx, &lines).await?;
    OrderEventRow::insert_all(tx, &events).await?;
    Ok(orders)
}

/// Writes the sale as one journal that sums to zero: the whole payment into clearing, owed
/// out to each seller (net and shipping), the marketplace (commission and buyer fee) and
/// the platform (its fee).
async fn post_sale_journal(tx: &mut TenantTx, c: &Checkout, sales: &[Sale<'_>]) -> ApiResult<()> {
    let tenant_id = tx.tenant_id().get();
    let journal = Uuid::now_v7();
    let entry = |order: Option<Uuid>, account: String, kind: &str, amount: i64| LedgerEntry {
        tenant_id,
        id: Uuid::now_v7(),
        journal_id: journal,
        checkout_id: c.id,
        order_id: order,
        account,
        kind: kind.to_owned(),
        amount_minor: amount,
        currency: c.currency.clone(),
    };
    let mut entries = Vec::new();
    for Sale {
        shop,
        order_id,
        totals,
    } in sales
    {
        let order_id = *order_id;
        let seller = format!("seller:{}", shop.shop_id);
        entries.extend([
            entry(
                Some(order_id),
                "clearing".to_owned(),
                "sale",
                totals.total_minor,
            ),
            entry(
                Some(order_id),
                seller.clone(),
                "sale",
                -totals.seller_net_minor,
            ),
            entry(Some(order_id), seller, "shipping", -totals.shipping_minor),
            entry(
                Some(order_id),
                "tenant".to_owned(),
                "commission",
                -totals.tenant_share_minor,
            ),
            entry(
                Some(order_id),
                "tenant".to_owned(),
                "buyer_fee",
                -totals.buyer_fee_minor,
            ),
            entry(
                Some(order_id),
                "platform".to_owned(),
                "platform_fee",
                -totals.platform_fee_minor,
            ),
        ]);
    }
    Ok(LedgerEntry::post(tx, &entries).await?)
}

/// Records the payouts the sale owes (each seller with a connected account, then the
/// marketplace's share) and queues them in the outbox for the worker to send. Unless the
/// marketplace pays at payment, sellers' transfers are recorded `held` (released when the
/// order ships or some days after its delivery: `commerce::payouts`), and so is the
/// marketplace's share while one of them is held.
async fn queue_transfers(
    tx: &mut TenantTx,
    tenant: &Tenant,
    timing: PayoutTiming,
    c: &Checkout,
    sales: &[Sale<'_>],
    accounts: &HashMap<Uuid, String>,
) -> ApiResult<()> {
    let tenant_id = tx.tenant_id().get();
    let seller_status = if timing.holds_at_payment() {
        SettlementStatus::Held
    } else {
        SettlementStatus::Pending
    };
    let mut transfers = Vec::new();
    let mut tenant_payout = 0i64;
    for Sale {
        shop,
        order_id,
        totals,
    } in sales
    {
        tenant_payout += totals.tenant_payout_minor();
        if let (Some(account), true) = (
            accounts.get(&shop.shop_id),
            totals.seller_payout_minor() > 0,
        ) {
            transfers.push(Transfer {
                tenant_id,
                id: Uuid::now_v7(),
                checkout_id: c.id,
                order_id: Some(*order_id),
                recipient: format!("seller:{}", shop.shop_id),
                destination: account.clone(),
                amount_minor: totals.seller_payout_minor(),
                currency: c.currency.clone(),
                idempotency_key: format!("transfer:{}:seller:{}", c.id, shop.shop_id),
                status: seller_status,
                gateway_id: None,
                release_at: None,
                sweep_id: None,
            });
        }
    }
    // The marketplace's share goes to its Connect account once it is ready; until then it
    // stays owed to it in the ledger, and is swept to it once it is
    // (`commerce::payouts::sweep_marketplace_share`). It waits for the sellers it came with.
    let share_status = if transfers.iter().any(|t| t.status == SettlementStatus::Held) {
        SettlementStatus::Held
    } else {
        SettlementStatus::Pending
    };
    if let (Some(account), true) = (marketplace_account(tenant), tenant_payout > 0) {
        transfers.push(Transfer {
            tenant_id,
            id: Uuid::now_v7(),
            checkout_id: c.id,
            order_id: None,
            recipient: "tenant".to_owned(),
            destination: account.clone(),
            amount_minor: tenant_payout,
            currency: c.currency.clone(),
            idempotency_key: format!("transfer:{}:tenant", c.id),
            status: share_status,
            gateway_id: None,
            release_at: None,
            sweep_id: None,
        });
    }
    Transfer::insert_all(tx, &transfers).await?;
    OutboxMessage::enqueue_many(
        tx,
        TRANSFER_KIND,
        transfers
            .iter()
            .filter(|t| t.status == SettlementStatus::Pending)
            .map(|t| json!({ "transfer_id": t.id }))
            .collect(),
    )
    .await?;
    Ok(())
}

/// The marketplace's Connect account when it can be paid (charges and payouts enabled).
pub(crate) fn marketplace_account(tenant: &Tenant) -> Option<&String> {
    tenant
        .stripe_account_id
        .as_ref()
        .filter(|_| tenant.stripe_charges_enabled && tenant.stripe_payouts_enabled)
}

/// Removes the bought items from the buyer's cart, in one statement (anything added to the
/// cart since stays).
async fn empty_bought_lines(tx: &mut TenantTx, c: &Checkout, plan: &Plan) -> ApiResult<()> {
    let bought: Vec<(Uuid, Option<Uuid>)> =
        plan.items().into_iter().map(|(l, v, _)| (l, v)).collect();
    Ok(Cart::remove_items(tx, c.cart_id, &bought).await?)
}

/// Gives the orders the marketplace's next numbers. This takes the per-marketplace counter
/// lock, held until commit, so it is the last write but the e-mails.
async fn number_orders(tx: &mut TenantTx, tenant: &Tenant, orders: &mut [Order]) -> ApiResult<()> {
    let n = i64::try_from(orders.len()).unwrap_or(i64::MAX);
    let last = Order::next_counts(tx, n).await?;
    for (i, o) in orders.iter_mut().enumerate() {
        let count = last - n + 1 + i64::try_from(i).unwrap_or(0);
        o.number = krafto_core::commerce::order_number(&tenant.slug, count);
    }
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let numbers: Vec<String> = orders.iter().map(|o| o.number.clone()).collect();
    Ok(Order::set_numbers(tx, &ids, &numbers).await?)
}

/// Queues the buyer's receipt and each seller's new-order e-mail (the orders numbered).
async fn queue_confirmation_mails(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    c: &Checkout,
    plan: &Plan,
    orders: &[Order],
    owners: &HashMap<Uuid, String>,
) -> ApiResult<()> {
    let mails = confirmation_mails(state, tenant, c, orders, plan, owners);
    OutboxMessage::enqueue_many(tx, MAIL_KIND, mails).await?;
    Ok(())
}
