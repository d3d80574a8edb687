//! Paying a checkout (test mode simulates the card) and its confirmation, with each order's
//! private link.

use super::see_other;
use crate::commerce::checkout;
use crate::ctx::Ctx;
use crate::web::{Chrome, api_failure, message, render};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::commerce::{CheckoutStatus, TestOutcome};
use krafto_core::Money;
use krafto_db::models::Checkout;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Path, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
pub(crate) struct SecretQuery {
    secret: Option<String>,
}

/// The checkout id of a page's path.
fn checkout_id(id: &str) -> Result<Uuid, ApiError> {
    id.parse::<Uuid>()
        .map_err(|_| ApiError::not_found(Code::CheckoutNotFound, "There is no such checkout here."))
}

async fn checkout_with_secret(
    ctx: &Ctx<'_>,
    id: &str,
    secret: Option<&str>,
) -> Result<Checkout, ApiError> {
    let id = checkout_id(id)?;
    let mut tx = ctx.tx().await?;
    let c = checkout::for_payer(&mut tx, id, None, secret).await?;
    tx.commit().await?;
    Ok(c)
}

#[derive(Template)]
#[template(path = "pay.html")]
struct PayPage {
    chrome: Chrome,
    id: String,
    secret: String,
    total: String,
    status: String,
    /// Why the last payment failed, and that the cart is kept.
    failure: Option<String>,
    test_mode: bool,
}

/// `GET /checkout/{id}/pay`: pay (test mode: simulate the card).
#[handler]
pub(crate) async fn pay_page(
    ctx: Ctx<'_>,
    Path(id): Path<String>,
    Query(q): Query<SecretQuery>,
) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    match checkout_with_secret(&ctx, &id, q.secret.as_deref()).await {
        Ok(c) => render(&PayPage {
            test_mode: chrome.test_mode,
            id: c.id.to_string(),
            secret: c.client_secret.clone().unwrap_or_default(),
            total: chrome.locale.money(&Money::of(c.total_minor, &c.currency)),
            status: c.status.to_string(),
            failure: c.failure_reason.as_ref().map(|_| chrome.t("pay-failed")),
            chrome,
        }),
        Err(e) => api_failure(chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct PayForm {
    secret: String,
    outcome: String,
}

/// `POST /checkout/{id}/pay` (test mode): the simulated card's outcome.
#[handler]
pub(crate) async fn pay_submit(
    ctx: Ctx<'_>,
    Path(id): Path<String>,
    form: Form<PayForm>,
) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    if !ctx.state.test_mode() {
        return message(
            chrome,
            StatusCode::NOT_FOUND,
            "Not found",
            "Payments here are made with Stripe.",
        );
    }
    let outcome = if form.outcome == "succeed" {
        TestOutcome::Succeed
    } else {
        TestOutcome::Decline
    };
    let paid = match checkout_id(&id) {
        Ok(id) => checkout::test_pay(ctx.state, &ctx.scope(), id, &form.secret, outcome).await,
        Err(e) => Err(e),
    };
    let c = match paid {
        Ok(c) => c,
        Err(e) => return api_failure(chrome, &e),
    };
    let secret = c.client_secret.unwrap_or_default();
    match outcome {
        TestOutcome::Succeed => {
            see_other(&format!("/checkout/{}/done?secret={secret}", c.id), None)
        }
        _ => see_other(&format!("/checkout/{}/pay?secret={secret}", c.id), None),
    }
}

/// One order of the checkout: its link, what it holds and how it comes.
struct OrderLink {
    number: String,
    token: String,
    shop: String,
    total: String,
    /// `2 × Bowl` and its amount.
    lines: Vec<(String, String)>,
    /// The delivery and its cost, or where and when to collect.
    delivery: String,
    pickup: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "done.html")]
struct DonePage {
    chrome: Chrome,
    email: String,
    orders: Vec<OrderLink>,
    /// Where the delivered orders go (empty when everything is collected).
    address: Vec<String>,
}

/// `GET /checkout/{id}/done`: the confirmation, with each order's private link.
#[handler]
pub(crate) async fn done_page(
    ctx: Ctx<'_>,
    Path(id): Path<String>,
    Query(q): Query<SecretQuery>,
) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let c = match checkout_with_secret(&ctx, &id, q.secret.as_deref()).await {
        Ok(c) => c,
        Err(e) => return api_failure(chrome, &e),
    };
    let view = async {
        let mut tx = ctx.tx().await?;
        let v = checkout::view(ctx.state, &mut tx, &c).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(v)
    }
    .await;
    let plan = match crate::commerce::Plan::parse(&c.plan) {
        Ok(p) => p,
        Err(e) => return api_failure(chrome, &e),
    };
    match view {
        Ok(v) if v.status == CheckoutStatus::Paid => {
            let locale = chrome.locale;
            let money = |m: i64| locale.money(&Money::of(m, &v.currency));
            let orders = v
                .orders
                .into_iter()
                .map(|o| {
                    let part = plan.shops.iter().find(|s| s.shop_name == o.shop_name);
                    OrderLink {
                        total: money(o.total_minor),
                        lines: part.map_or_else(Vec::new, |s| {
                            s.lines
                                .iter()
                                .map(|l| {
                                    let title = match &l.variant_label {
                                        Some(v) => format!("{} · {v}", l.title),
                                        None => l.title.clone(),
                                    };
                                    (
                                        format!("{} × {title}", l.quantity),
                                        money(l.unit_price_minor * i64::from(l.quantity)),
                                    )
                                })
                                .collect()
                        }),
                        delivery: part.map_or_else(String::new, |s| {
                            format!("{} — {}", s.option_name, money(s.shipping_minor))
                        }),
                        pickup: part
                            .and_then(|s| s.pickup.as_ref())
                            .map(|p| (p.address.clone(), p.hours.clone())),
                        number: o.number,
                        token: o.access_token,
                        shop: o.shop_name,
                    }
                })
                .collect();
            // What was bought left the cart: the header counts it again on the next cart
            // page.
            let mut chrome = chrome;
            chrome.cart_count = 0;
            let mut r = render(&DonePage {
                email: c.email.clone(),
                address: crate::accounts::addresses::address_lines(locale, &c.address),
                orders,
                chrome,
            });
            super::set_cart_count(&mut r, 0);
            r
        }
        Ok(v) => see_other(
            &format!(
                "/checkout/{}/pay?secret={}",
                v.id,
                c.client_secret.unwrap_or_default()
            ),
            None,
        ),
        Err(e) => api_failure(chrome, &e),
    }
}
