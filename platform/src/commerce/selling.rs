//! A seller's side of commerce: getting paid (Stripe onboarding, status, balance), delivery
//! options, handling orders and their refunds. The seller API and the seller dashboard both call these
//! after checking who is signed in; the rules live here once.

use super::orders::{self, OrderActorRef};
use super::payouts;
use super::refunds::{self, RefundBy};
use crate::catalog::selling::my_shop;
use crate::{AppState, CurrentTenant};
use krafto_api_types::commerce::{
    OnboardingLink, OrderAction, OrderPage, OrderView, PayoutStatus, PickupView, SellerBalance,
    ShippingOptionInput, ShippingOptionView,
};
use krafto_api_types::refunds::{DebtView, RefundRequestView};
use krafto_auth::UserClaims;
use krafto_core::FieldError;
use krafto_core::commerce::{OrderActor, OrderEvent};
use krafto_db::TenantTx;
use krafto_db::models::{Order, OrderScope, PickupPlace, SellerAccount, ShippingOption, User};
use krafto_web::{ApiError, ApiResult, DbResultExt};
use uuid::Uuid;

/// Creates the shop's Stripe Express account (once) and returns a fresh onboarding link.
pub(crate) async fn payouts_onboarding(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    return_url: Option<&str>,
) -> ApiResult<OnboardingLink> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let email = User::find(&mut tx, c.user_id).await?.email;
    tx.commit().await?;
    payouts::onboarding(state, tenant, &shop, &email, return_url).await
}

/// Whether buyers can pay the shop: charges and payouts enabled, what Stripe still needs.
pub(crate) async fn payout_status(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<PayoutStatus> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let account = SellerAccount::of_shop(&mut tx, shop.id).await?;
    tx.commit().await?;
    Ok(payouts::status_of(account, state.test_mode()))
}

/// The shop's money from the ledger: earned, transferred, refunded, pending.
pub(crate) async fn payout_balance(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<SellerBalance> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let b = payouts::balance(&mut tx, tenant, shop.id).await?;
    tx.commit().await?;
    Ok(b)
}

fn shipping_view(o: ShippingOption, places: &[PickupPlace]) -> ShippingOptionView {
    ShippingOptionView {
        pickup: places
            .iter()
            .find(|p| p.option_id == o.id)
            .map(|p| PickupView {
                address: p.address.clone(),
                hours: p.hours.clone(),
            }),
        id: o.id,
        name: o.name,
        base_minor: o.base_minor,
        per_item_minor: o.per_item_minor,
        days_min: o.days_min,
        days_max: o.days_max,
    }
}

/// The shop's delivery options.
pub(crate) async fn shipping_options(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<Vec<ShippingOptionView>> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let options = ShippingOption::of_shops(&mut tx, &[shop.id]).await?;
    let ids: Vec<Uuid> = options.iter().map(|o| o.id).collect();
    let places = PickupPlace::of_options(&mut tx, &ids).await?;
    tx.commit().await?;
    Ok(options
        .into_iter()
        .map(|o| shipping_view(o, &places))
        .collect())
}

/// Replaces the shop's delivery options (1 to 10; cost = base + per item × units). An
/// option with a pickup place is collected there, in its opening hours.
pub(crate) async fn set_shipping_options(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    input: &[ShippingOptionInput],
) -> ApiResult<Vec<ShippingOptionView>> {
    check_shipping_options(input)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let saved = save_shipping_options(&mut tx, shop.id, input).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Every problem of a set of delivery options, named by field.
pub(crate) fn check_shipping_options(input: &[ShippingOptionInput]) -> ApiResult<()> {
    let mut problems = Vec::new();
    if input.is_empty() || input.len() > 10 {
        problems.push(FieldError::new("options", "give 1 to 10 delivery options"));
    }
    for (i, o) in input.iter().enumerate() {
        let name = o.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            problems.push(FieldError::new(
                format!("options[{i}].name"),
                "1 to 80 characters",
            ));
        }
        for (field, v) in [
            ("base_minor", o.base_minor),
            ("per_item_minor", o.per_item_minor),
        ] {
            if !(0..=10_000_000).contains(&v) {
                problems.push(FieldError::new(
                    format!("options[{i}].{field}"),
                    "must be 0 to 10000000 minor units",
                ));
            }
        }
        if !(0..=365).contains(&o.days_min)
            || !(0..=365).contains(&o.days_max)
            || o.days_min > o.days_max
        {
            problems.push(FieldError::new(
                format!("options[{i}].days_min"),
                "days must be 0 to 365 with days_min ≤ days_max",
            ));
        }
        if let Some(p) = &o.pickup {
            for (field, v) in [("address", &p.address), ("hours", &p.hours)] {
                let v = v.trim();
                if v.is_empty() || v.chars().count() > 300 {
                    problems.push(FieldError::new(
                        format!("options[{i}].pickup.{field}"),
                        "1 to 300 characters: where and when buyers collect",
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(problems))
    }
}

/// Writes a shop's delivery options, checked by [`check_shipping_options`], in the
/// caller's transaction.
pub(crate) async fn save_shipping_options(
    tx: &mut TenantTx,
    shop_id: Uuid,
    input: &[ShippingOptionInput],
) -> ApiResult<Vec<ShippingOptionView>> {
    let tenant_id = tx.tenant_id().get();
    let rows: Vec<ShippingOption> = input
        .iter()
        .enumerate()
        .map(|(i, o)| ShippingOption {
            tenant_id,
            id: o.id.unwrap_or_else(Uuid::now_v7),
            shop_id,
            name: o.name.trim().to_owned(),
            base_minor: o.base_minor,
            per_item_minor: o.per_item_minor,
            days_min: o.days_min,
            days_max: o.days_max,
            position: i32::try_from(i).unwrap_or(0),
        })
        .collect();
    let saved = ShippingOption::replace(tx, shop_id, &rows)
        .await
        .on_conflict(|| {
            ApiError::field(FieldError::new(
                "options",
                "an option id is repeated or belongs to another shop",
            ))
        })?;
    let places: Vec<PickupPlace> = rows
        .iter()
        .zip(input)
        .filter_map(|(row, o)| {
            let p = o.pickup.as_ref()?;
            Some(PickupPlace {
                tenant_id,
                option_id: row.id,
                address: p.address.trim().to_owned(),
                hours: p.hours.trim().to_owned(),
            })
        })
        .collect();
    PickupPlace::insert_all(tx, &places).await?;
    Ok(saved
        .into_iter()
        .map(|o| shipping_view(o, &places))
        .collect())
}

/// The shop's orders, newest first.
pub(crate) async fn orders(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    status: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> ApiResult<OrderPage> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let page = orders::page(&mut tx, OrderScope::Shop(shop.id), status, cursor, limit).await?;
    tx.commit().await?;
    Ok(page)
}

/// One of the shop's orders, with the commission breakdown per line.
pub(crate) async fn order(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    number: &str,
) -> ApiResult<OrderView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let o = Order::by_number(&mut tx, number)
        .await?
        .filter(|o| o.shop_id == shop.id)
        .ok_or_else(|| orders::not_found(number))?;
    let v = orders::view(&mut tx, o, true).await?;
    tx.commit().await?;
    Ok(v)
}

/// Moves one of the shop's orders (accept, ship, out for delivery, deliver, cancel) as its
/// seller.
pub(crate) async fn order_move(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    number: &str,
    event: OrderEvent,
    action: &OrderAction,
) -> ApiResult<OrderView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    tx.commit().await?;
    let by = OrderActorRef {
        actor: OrderActor::Seller,
        user_id: Some(c.user_id),
        shop_id: Some(shop.id),
    };
    orders::apply(
        state,
        tenant,
        number,
        event,
        by,
        action.reason.as_deref(),
        action.tracking_number.as_deref(),
    )
    .await
}

/// The shop's latest orders in full (lines, fees), for the payouts page's per-order
/// commission breakdown; one transaction.
pub(crate) async fn recent_orders(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
    limit: i64,
) -> ApiResult<Vec<OrderView>> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let rows = Order::list(&mut tx, OrderScope::Shop(shop.id), None, None, limit).await?;
    let mut views = Vec::with_capacity(rows.len());
    for o in rows {
        views.push(orders::view(&mut tx, o, true).await?);
    }
    tx.commit().await?;
    Ok(views)
}

/// The seller as the one who refunds or decides a refund request: their own shop's orders
/// only (`commerce::refunds` refuses the others as missing).
pub(crate) async fn refund_by(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<RefundBy> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    tx.commit().await?;
    Ok(RefundBy {
        kind: OrderActor::Seller.as_str(),
        user_id: Some(c.user_id),
        shop_id: Some(shop.id),
    })
}

/// The open refund requests on the shop's orders, oldest first.
pub(crate) async fn refund_requests(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<Vec<RefundRequestView>> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let items = refunds::open_requests(&mut tx, Some(shop.id)).await?;
    tx.commit().await?;
    Ok(items)
}

/// What the shop owes back because refunds could not be taken from its account, and what
/// its transfers recovered since; newest first.
pub(crate) async fn debts(
    state: &AppState,
    tenant: &CurrentTenant,
    c: &UserClaims,
) -> ApiResult<Vec<DebtView>> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let shop = my_shop(&mut tx, c).await?;
    let items = refunds::debts(&mut tx, Some(&format!("seller:{}", shop.id))).await?;
    tx.commit().await?;
    Ok(items)
}
