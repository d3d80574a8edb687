//! Checkout: reserving stock and creating the one payment for a multi-shop cart; then
//! settling it — orders, ledger, transfers and e-mails when it is paid; stock back when it
//! fails. Settlement is idempotent and order-independent: the webhook, the test gateway's
//! confirm call and the worker all end here, any number of times, in any order.
//!
//! This file creates checkouts and shows them to their payer; `settle` applies the payment
//! provider's verdict and `stock` takes and gives back the units a checkout holds.

mod settle;
mod stock;

pub(crate) use settle::{EventRef, marketplace_account, settle_failed, settle_paid};

use super::{Plan, PricedCart, price_cart, rates_of};
use crate::accounts::addresses;
use crate::{AppState, CurrentTenant};
use chrono::{Duration as ChronoDuration, Utc};
use krafto_api_types::Code;
use krafto_api_types::commerce::{
    CheckoutRequest, CheckoutStatus, CheckoutView, OrderRef, PaymentView,
};
use krafto_core::commerce::CheckoutStatus as Stored;
use krafto_core::{Email, FieldError};
use krafto_db::models::{
    AddressFields, BuyerAddress, Cart, Checkout, NewCheckout, Order, OutboxMessage, PaymentRoute,
};
use krafto_db::{TenantScope, TenantTx};
use krafto_payments::{GatewayError, NewPayment};
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use stock::take_stock;
use uuid::Uuid;

/// Outbox kinds this module writes.
pub(crate) const TRANSFER_KIND: &str = "payment.transfer";
pub(crate) const REFUND_KIND: &str = "payment.refund";
pub(crate) const REVERSE_KIND: &str = "payment.reverse";
pub(crate) const EXPIRE_KIND: &str = "checkout.expire";
pub(crate) const TEST_OUTCOME_KIND: &str = "payment.test_outcome";
pub(crate) const MAIL_KIND: &str = "mail.send";

fn status_name(s: Stored) -> CheckoutStatus {
    match s {
        Stored::Creating => CheckoutStatus::Creating,
        Stored::AwaitingPayment => CheckoutStatus::AwaitingPayment,
        Stored::Paid => CheckoutStatus::Paid,
        Stored::Failed => CheckoutStatus::Failed,
        Stored::RefundDue => CheckoutStatus::RefundDue,
    }
}

/// The checkout as the buyer sees it, with its orders once paid.
pub(crate) async fn view(
    state: &AppState,
    tx: &mut TenantTx,
    c: &Checkout,
) -> ApiResult<CheckoutView> {
    let orders = Order::of_checkout(tx, c.id).await?;
    let mut refs = Vec::new();
    if !orders.is_empty() {
        let plan = Plan::parse(&c.plan)?;
        for o in orders {
            let shop_name = plan
                .shops
                .iter()
                .find(|s| s.shop_id == o.shop_id)
                .map(|s| s.shop_name.clone())
                .unwrap_or_default();
            refs.push(OrderRef {
                access_token: state.keys.order_access_token(o.tenant_id, o.id),
                number: o.number,
                shop_name,
                total_minor: o.total_minor,
            });
        }
    }
    Ok(CheckoutView {
        id: c.id,
        status: status_name(c.status),
        currency: c.currency.clone(),
        items_minor: c.items_minor,
        shipping_minor: c.shipping_minor,
        buyer_fee_minor: c.buyer_fee_minor,
        total_minor: c.total_minor,
        gateway: c.gateway.clone(),
        test_mode: c.gateway == "test",
        payment: c.payment_id.clone().map(|id| PaymentView {
            id,
            client_secret: c.client_secret.clone(),
        }),
        expires_at: c.expires_at,
        failure_reason: c.failure_reason.clone(),
        orders: refs,
    })
}

/// Checks the buyer's e-mail and phone; their problems are added to `problems`.
fn contact(
    input: &CheckoutRequest,
    account_email: Option<&str>,
    problems: &mut Vec<FieldError>,
) -> (String, Option<String>) {
    let email = match (input.email.as_deref(), account_email) {
        (Some(e), _) => match Email::parse(e) {
            Ok(e) => e.as_str().to_owned(),
            Err(err) => {
                problems.push(err.at("email"));
                String::new()
            }
        },
        (None, Some(a)) => a.to_owned(),
        (None, None) => {
            problems.push(FieldError::new(
                "email",
                "guests must give an e-mail address for the receipt",
            ));
            String::new()
        }
    };
    let phone = match crate::accounts::phone(input.phone.as_deref(), "phone") {
        Ok(None) if account_email.is_none() => {
            problems.push(FieldError::new(
                "phone",
                "guests must give a phone number for the delivery",
            ));
            None
        }
        Ok(p) => p,
        Err(e) => {
            problems.push(e);
            None
        }
    };
    (email, phone)
}

/// Where to deliver: the saved address named by `address_id` (the signed-in buyer's), or
/// the address given; its problems are added to `problems`. `None` without problems when
/// nothing is given.
async fn delivery_address(
    tx: &mut TenantTx,
    input: &CheckoutRequest,
    user_id: Option<Uuid>,
    problems: &mut Vec<FieldError>,
) -> ApiResult<Option<AddressFields>> {
    if let Some(id) = input.address_id {
        let saved = match user_id {
            Some(u) => BuyerAddress::find(tx, u, id).await?,
            None => None,
        };
        let Some(saved) = saved else {
            problems.push(FieldError::new(
                "address_id",
                "is not one of your saved addresses",
            ));
            return Ok(None);
        };
        return Ok(addresses::check((&saved).into(), "address.", problems));
    }
    match &input.address {
        Some(a) => Ok(addresses::check(a.into(), "address.", problems)),
        None => Ok(None),
    }
}

fn address_json(a: &AddressFields) -> serde_json::Value {
    json!({
        "name": a.name, "line1": a.line1, "line2": a.line2,
        "postal_code": a.postal_code, "city": a.city, "region": a.region,
        "country": a.country,
    })
}

fn request_hash(cart_id: Uuid, input: &CheckoutRequest) -> String {
    let mut delivery: Vec<(Uuid, Uuid)> = input
        .delivery
        .iter()
        .map(|d| (d.shop_id, d.option_id))
        .collect();
    delivery.sort();
    let address = input.address.as_ref().map(|a| {
        [
            Some(&a.name),
            Some(&a.line1),
            a.line2.as_ref(),
            Some(&a.postal_code),
            Some(&a.city),
            a.region.as_ref(),
            Some(&a.country),
        ]
    });
    let canonical = json!({
        "cart": cart_id, "email": input.email, "phone": input.phone,
        "address": address, "address_id": input.address_id, "save": input.save_address,
        "delivery": delivery, "expected": input.expected_total_minor,
    });
    krafto_auth::secret_hash(&canonical.to_string())
}

/// Who is checking out.
#[derive(Debug, Clone)]
pub(crate) struct Buyer<'a> {
    pub user_id: Option<Uuid>,
    pub account_email: Option<String>,
    pub guest_token: Option<&'a str>,
}

/// The signed-in buyer's account e-mail (`None` for guests), for [`Buyer::account_email`].
pub(crate) async fn account_email(
    state: &AppState,
    tenant: &CurrentTenant,
    user_id: Option<Uuid>,
) -> ApiResult<Option<String>> {
    let Some(id) = user_id else {
        return Ok(None);
    };
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let email = krafto_db::models::User::find(&mut tx, id).await?.email;
    tx.commit().await?;
    Ok(Some(email))
}

/// `POST /store/checkout`: see the API docs. Returns the view and whether it was created by
/// this call (201) rather than found by its idempotency key (200).
pub(crate) async fn create(
    state: &AppState,
    tenant: &CurrentTenant,
    buyer: Buyer<'_>,
    idempotency_key: &str,
    input: &CheckoutRequest,
) -> ApiResult<(CheckoutView, bool)> {
    if idempotency_key.is_empty() || idempotency_key.len() > 255 {
        return Err(ApiError::bad_request(
            Code::IdempotencyKeyRequired,
            "send an Idempotency-Key header (1 to 255 characters, e.g. a UUID made when the buyer pressed Pay) so a retried request cannot pay twice",
        ));
    }
    let mut problems = Vec::new();
    let (email, phone) = contact(input, buyer.account_email.as_deref(), &mut problems);
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    Checkout::lock_key(&mut tx, idempotency_key).await?;
    let (cart, _) = super::resolve_cart(
        &mut tx,
        super::CartOwner {
            user_id: buyer.user_id,
            guest_token: buyer.guest_token,
        },
        false,
    )
    .await?;
    if let Some(existing) = Checkout::by_key(&mut tx, idempotency_key).await? {
        return replay(state, tenant, tx, existing, cart.map(|c| c.id), input).await;
    }
    let choices: HashMap<Uuid, Uuid> = input
        .delivery
        .iter()
        .map(|d| (d.shop_id, d.option_id))
        .collect();
    let lines = match &cart {
        Some(c) => Cart::lines(&mut tx, c.id).await?,
        None => Vec::new(),
    };
    let priced = price_cart(&mut tx, tenant, &lines, &choices, state.test_mode()).await?;
    // A shipping address is needed unless everything chosen is collected.
    let ships = priced.plan.as_ref().is_none_or(Plan::ships);
    let mut address_problems = Vec::new();
    let address = delivery_address(&mut tx, input, buyer.user_id, &mut address_problems).await?;
    if ships {
        // (An address typed for orders that are all collected is not looked at.)
        problems.append(&mut address_problems);
        if input.address_id.is_none() && input.address.is_none() {
            problems.push(FieldError::new(
                "address",
                "give the delivery address (only orders you collect need none)",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }
    let Some(cart) = cart else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::CartEmpty,
            "the cart is empty: add items before checking out",
        ));
    };
    if lines.is_empty() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::CartEmpty,
            "the cart is empty: add items before checking out",
        ));
    }
    let PricedCart { view: priced, plan } = priced;
    for d in &input.delivery {
        let valid = priced.shops.iter().any(|s| {
            s.shop_id == d.shop_id && s.delivery_options.iter().any(|o| o.id == d.option_id)
        });
        if !valid {
            // No ids in the words: the checkout page shows them to the buyer.
            return Err(ApiError::field(FieldError::new(
                "delivery",
                "a chosen delivery option is not one of its shop's options in this cart; \
                 choose again",
            )));
        }
    }
    let Some(plan) = plan else {
        let blocked: Vec<String> = priced
            .shops
            .iter()
            .flat_map(|s| {
                let mut v: Vec<String> = s
                    .lines
                    .iter()
                    .filter(|l| !l.purchasable)
                    .filter_map(|l| {
                        let issue = super::issue_text(l.issue?, l.available_quantity);
                        Some(format!("{} ({issue})", l.title))
                    })
                    .collect();
                if s.delivery_options.is_empty() {
                    v.push(format!("{} has no delivery option yet", s.shop_name));
                }
                v
            })
            .collect();
        let only_stock = priced.shops.iter().all(|s| !s.delivery_options.is_empty())
            && priced.shops.iter().flat_map(|s| &s.lines).all(|l| {
                matches!(
                    l.issue,
                    None | Some(krafto_api_types::commerce::LineIssue::OutOfStock)
                        | Some(krafto_api_types::commerce::LineIssue::InsufficientStock)
                )
            });
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            if only_stock {
                Code::OutOfStock
            } else {
                Code::CartNotPurchasable
            },
            format!(
                "some of the cart cannot be bought: {}; remove or change those lines (GET /api/v1/store/cart shows each issue)",
                blocked.join("; ")
            ),
        ));
    };
    if let Some(expected) = input.expected_total_minor
        && expected != priced.total_minor
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::TotalChanged,
            format!(
                "the total is now {} (you saw {expected}): prices or delivery changed; review the cart and confirm again",
                priced.total_minor
            ),
        ));
    }
    if priced.items_minor < tenant.minimum_order_minor {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Code::BelowMinimumOrder,
            format!(
                "this marketplace accepts orders from {} (minor units); the cart has {}",
                tenant.minimum_order_minor, priced.items_minor
            ),
        ));
    }
    let rates = rates_of(tenant)?;
    let address = match (&address, ships) {
        (Some(a), true) => {
            if let (Some(user), true, None) = (buyer.user_id, input.save_address, input.address_id)
                && BuyerAddress::count(&mut tx, user).await? < addresses::MAX_ADDRESSES
            {
                addresses::save_in(&mut tx, user, a, false).await?;
            }
            address_json(a)
        }
        // Everything is collected: no address is kept.
        _ => json!({}),
    };
    let new = NewCheckout {
        tenant_id: tenant.id,
        id: Uuid::now_v7(),
        cart_id: cart.id,
        buyer_id: buyer.user_id,
        email,
        phone,
        address,
        currency: tenant.currency.clone(),
        items_minor: priced.items_minor,
        shipping_minor: priced.shipping_minor,
        buyer_fee_minor: priced.buyer_fee_minor,
        total_minor: priced.total_minor,
        commission_bps: i32::from(rates.commission.get()),
        platform_fee_bps: i32::from(rates.platform_fee.get()),
        buyer_fee_bps: i32::from(rates.buyer_fee.get()),
        plan: serde_json::to_value(&plan).map_err(|e| ApiError::internal(&e))?,
        gateway: state.gateway.mode().as_str().to_owned(),
        idempotency_key: idempotency_key.to_owned(),
        request_hash: request_hash(cart.id, input),
        expires_at: Utc::now()
            + ChronoDuration::from_std(state.checkout_hold).unwrap_or(ChronoDuration::minutes(30)),
    };
    // The key lock taken above means no other request can hold this key now.
    let checkout = Checkout::insert(&mut tx, &new)
        .await?
        .ok_or_else(|| ApiError::internal(&"idempotency key taken while its lock was held"))?;
    OutboxMessage::enqueue_at(
        &mut tx,
        EXPIRE_KIND,
        json!({ "checkout_id": checkout.id }),
        checkout.expires_at,
    )
    .await?;
    // Stock last: its row locks are held only until the commit right after.
    if let Err(title) = take_stock(state, &mut tx, &plan).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::OutOfStock,
            format!(
                "not enough stock left of “{title}”: someone bought it first; update the quantity and try again"
            ),
        ));
    }
    tx.commit().await?;
    let view = open_payment(state, tenant, checkout).await?;
    Ok((view, true))
}

/// The same idempotency key again: the same answer, or a refusal if the request differs.
async fn replay(
    state: &AppState,
    tenant: &CurrentTenant,
    mut tx: TenantTx,
    existing: Checkout,
    cart_id: Option<Uuid>,
    input: &CheckoutRequest,
) -> ApiResult<(CheckoutView, bool)> {
    if Some(existing.cart_id) != cart_id
        || existing.request_hash != request_hash(existing.cart_id, input)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Code::IdempotencyKeyReused,
            "this Idempotency-Key was used for a different checkout request; use a new key for a new request",
        ));
    }
    if existing.status == Stored::Creating {
        // The earlier attempt stopped before the payment existed: finish it.
        tx.commit().await?;
        return Ok((open_payment(state, tenant, existing).await?, false));
    }
    let v = view(state, &mut tx, &existing).await?;
    tx.commit().await?;
    Ok((v, false))
}

/// Creates the payment for a checkout (idempotent by the checkout id) and opens the checkout
/// for payment. A refusal fails the checkout (stock released); an outage leaves it for the
/// buyer to retry with the same Idempotency-Key.
async fn open_payment(
    state: &AppState,
    tenant: &CurrentTenant,
    checkout: Checkout,
) -> ApiResult<CheckoutView> {
    let payment = state
        .gateway
        .create_payment(&NewPayment {
            amount_minor: checkout.total_minor,
            currency: checkout.currency.clone(),
            transfer_group: checkout.id.to_string(),
            receipt_email: Some(checkout.email.clone()),
            description: format!("{} order", tenant.display_name),
            metadata: BTreeMap::from([
                ("tenant_id".to_owned(), tenant.id.to_string()),
                ("checkout_id".to_owned(), checkout.id.to_string()),
            ]),
            idempotency_key: format!("checkout:{}", checkout.id),
        })
        .await;
    match payment {
        Ok(p) => {
            let mut tx = state.db.tenant(&tenant.scope()).await?;
            let current = Checkout::find_for_update(&mut tx, checkout.id).await?;
            let c = if current.status == Stored::Creating {
                // The payment's later events (disputes) name only the payment: route them.
                PaymentRoute::register(&mut tx, &p.id).await?;
                Checkout::set_payment(&mut tx, checkout.id, &p.id, p.client_secret.as_deref())
                    .await?
            } else {
                current
            };
            let v = view(state, &mut tx, &c).await?;
            tx.commit().await?;
            Ok(v)
        }
        Err(GatewayError::Refused(reason)) => {
            settle_failed(state, &tenant.scope(), checkout.id, None, 0, &reason).await?;
            Err(ApiError::new(
                StatusCode::PAYMENT_REQUIRED,
                Code::PaymentRefused,
                format!("the payment provider refused the payment: {reason}"),
            ))
        }
        Err(GatewayError::Unavailable(reason)) => Err(ApiError::unavailable(
            Code::PaymentUnavailable,
            format!(
                "the payment provider is unavailable ({reason}); retry with the same Idempotency-Key — nothing was charged twice"
            ),
        )),
    }
}

/// Test mode: what a card would do to a checkout, through the same settlement as a Stripe
/// webhook (`fail_later` fails it through the outbox three seconds later).
pub(crate) async fn simulate(
    state: &AppState,
    scope: &TenantScope,
    checkout_id: Uuid,
    outcome: krafto_api_types::commerce::TestOutcome,
) -> ApiResult<()> {
    use krafto_api_types::commerce::TestOutcome;
    let now = Utc::now().timestamp();
    match outcome {
        TestOutcome::Succeed => settle_paid(state, scope, checkout_id, None, now, None).await,
        TestOutcome::Decline => {
            settle_failed(
                state,
                scope,
                checkout_id,
                None,
                now,
                "Your card was declined (test mode).",
            )
            .await
        }
        TestOutcome::FailLater => {
            let mut tx = state.db.tenant(scope).await?;
            OutboxMessage::enqueue_at(
                &mut tx,
                TEST_OUTCOME_KIND,
                json!({ "checkout_id": checkout_id, "outcome": "failed" }),
                Utc::now() + ChronoDuration::seconds(3),
            )
            .await?;
            Ok(tx.commit().await?)
        }
    }
}

/// Test mode only: pays (or fails) a checkout as a card would, for whoever holds its client
/// secret, through the same settlement as a Stripe webhook ([`simulate`]). 404
/// `not_test_mode` when real payments are on. Returns the checkout as it was before.
pub(crate) async fn test_pay(
    state: &AppState,
    scope: &TenantScope,
    id: Uuid,
    client_secret: &str,
    outcome: krafto_api_types::commerce::TestOutcome,
) -> ApiResult<Checkout> {
    if !state.test_mode() {
        return Err(ApiError::not_found(
            Code::NotTestMode,
            "payments are real here: pay with Stripe",
        ));
    }
    let mut tx = state.db.tenant(scope).await?;
    let c = for_payer(&mut tx, id, None, Some(client_secret)).await?;
    tx.commit().await?;
    simulate(state, scope, c.id, outcome).await?;
    Ok(c)
}

/// The checkout, if the caller may see and pay it: its signed-in buyer, or whoever holds its
/// client secret (a guest's browser). Otherwise 404, as if it did not exist.
pub(crate) async fn for_payer(
    tx: &mut TenantTx,
    id: Uuid,
    user: Option<&krafto_auth::UserClaims>,
    client_secret: Option<&str>,
) -> ApiResult<Checkout> {
    let missing = || ApiError::not_found(Code::CheckoutNotFound, format!("no checkout {id} here"));
    let c = Checkout::find(tx, id).await.map_err(|e| {
        if e.is_not_found() {
            missing()
        } else {
            e.into()
        }
    })?;
    let by_user = user.is_some_and(|u| c.buyer_id == Some(u.user_id));
    let by_secret = client_secret.is_some_and(|s| c.client_secret.as_deref() == Some(s));
    if by_user || by_secret {
        Ok(c)
    } else {
        Err(missing())
    }
}
