//! The checkout form: contact, address and delivery per shop, then the checkout is made
//! (stock held, one payment) and the buyer goes on to pay.

use super::{cart_token, priced, see_other, user_of};
use crate::commerce::checkout::{self, Buyer};
use crate::ctx::Ctx;
use crate::web::{Chrome, Field, api_failure, attach, render};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::commerce::{CheckoutRequest, DeliveryChoice, ShippingAddress};
use krafto_core::Money;
use krafto_i18n::Locale;
use krafto_web::ApiError;
use poem::web::Form;
use poem::{Response, handler};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "checkout.html")]
struct CheckoutPage {
    chrome: Chrome,
    error: String,
    key: String,
    total_minor: i64,
    total: String,
    shop_count: usize,
    contact: Vec<Field>,
    address: Vec<Field>,
    /// Per shop, its delivery options as a group of radio buttons.
    delivery: Vec<Field>,
}

/// (form name, API field, label's message key, input type, autocomplete, required)
const CONTACT: &[(&str, &str, &str, &str, &str, bool)] = &[
    ("email", "email", "checkout-email", "email", "email", true),
    ("phone", "phone", "checkout-phone", "tel", "tel", true),
];
const ADDRESS: &[(&str, &str, &str, &str, &str, bool)] = &[
    (
        "name",
        "address.name",
        "checkout-name",
        "text",
        "name",
        true,
    ),
    (
        "line1",
        "address.line1",
        "checkout-line1",
        "text",
        "address-line1",
        true,
    ),
    (
        "line2",
        "address.line2",
        "checkout-line2",
        "text",
        "address-line2",
        false,
    ),
    (
        "postal_code",
        "address.postal_code",
        "checkout-postal-code",
        "text",
        "postal-code",
        true,
    ),
    (
        "city",
        "address.city",
        "checkout-city",
        "text",
        "address-level2",
        true,
    ),
    (
        "region",
        "address.region",
        "checkout-region",
        "text",
        "address-level1",
        false,
    ),
    (
        "country",
        "address.country",
        "checkout-country",
        "text",
        "country",
        true,
    ),
];

fn fields(
    spec: &[(
        &'static str,
        &str,
        &'static str,
        &'static str,
        &'static str,
        bool,
    )],
    values: &HashMap<String, String>,
    locale: Locale,
) -> Vec<Field> {
    spec.iter()
        .map(|(name, api, label, kind, autocomplete, required)| {
            let label = locale.t(label);
            let f = Field::new(name, &label, values.get(*name).cloned().unwrap_or_default())
                .api(api)
                .kind(kind)
                .autocomplete(autocomplete);
            if *required { f.required() } else { f }
        })
        .collect()
}

/// The checkout form with the posted `values`; a refusal's problems are marked on their
/// fields and summed up above the form.
fn checkout_page(
    chrome: Chrome,
    view: &krafto_api_types::commerce::CartView,
    values: &HashMap<String, String>,
    refusal: Option<&ApiError>,
) -> Response {
    let locale = chrome.locale;
    let money = |m: i64| locale.money(&Money::of(m, &view.currency));
    let mut contact = fields(CONTACT, values, locale);
    let mut address = fields(ADDRESS, values, locale);
    let mut delivery: Vec<Field> = view
        .shops
        .iter()
        .map(|s| {
            let name = format!("delivery_{}", s.shop_id);
            let chosen = values
                .get(&name)
                .and_then(|v| v.parse::<Uuid>().ok())
                .or(s.delivery_option_id)
                .map(|id| id.to_string())
                .unwrap_or_default();
            Field::new(&name, &s.shop_name, chosen)
                .api("delivery")
                .radio(
                    s.delivery_options
                        .iter()
                        .map(|o| {
                            let label = format!(
                                "{} — {}, {}",
                                o.name,
                                money(o.cost_minor),
                                crate::web::days(locale, o.days_min, o.days_max)
                            );
                            (o.id.to_string(), label)
                        })
                        .collect(),
                )
        })
        .collect();
    let error = refusal.map_or_else(String::new, |e| {
        let all = contact.iter_mut().chain(&mut address).chain(&mut delivery);
        attach(all, e)
    });
    render(&CheckoutPage {
        error,
        key: values
            .get("idempotency_key")
            .cloned()
            .unwrap_or_else(|| Uuid::new_v4().to_string()),
        total_minor: view.total_minor,
        total: money(view.total_minor),
        shop_count: view.shops.len(),
        contact,
        address,
        delivery,
        chrome,
    })
}

/// `GET /checkout`: the checkout form for the cart.
#[handler]
pub(crate) async fn checkout_form(ctx: Ctx<'_>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    match priced(&ctx, cart_token(ctx.req).as_deref()).await {
        Ok(v) if v.shops.is_empty() => see_other("/cart", None),
        Ok(v) => checkout_page(chrome, &v, &HashMap::new(), None),
        Err(e) => api_failure(chrome, &e),
    }
}

/// `POST /checkout`: creates the checkout (holding the stock and the payment), then goes to
/// the payment page; invalid fields come back inline.
#[handler]
pub(crate) async fn checkout_submit(ctx: Ctx<'_>, form: Form<HashMap<String, String>>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let token = cart_token(ctx.req);
    let values = form.0;
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let request = CheckoutRequest {
        email: get("email").map(Into::into),
        phone: get("phone").map(Into::into),
        address: Some(ShippingAddress {
            name: get("name").unwrap_or_default().into(),
            line1: get("line1").unwrap_or_default().into(),
            line2: get("line2").map(Into::into),
            postal_code: get("postal_code").unwrap_or_default().into(),
            city: get("city").unwrap_or_default().into(),
            region: get("region").map(Into::into),
            country: get("country").unwrap_or_default().into(),
        }),
        address_id: None,
        save_address: false,
        delivery: values
            .iter()
            .filter_map(|(k, v)| {
                Some(DeliveryChoice {
                    shop_id: k.strip_prefix("delivery_")?.parse().ok()?,
                    option_id: v.parse().ok()?,
                })
            })
            .collect(),
        expected_total_minor: get("expected_total_minor").and_then(|v| v.parse().ok()),
    };
    let key = get("idempotency_key").unwrap_or_default();
    let user = user_of(&ctx);
    let account_email = match checkout::account_email(ctx.state, ctx.tenant, user).await {
        Ok(e) => e,
        Err(e) => return api_failure(chrome, &e),
    };
    let created = checkout::create(
        ctx.state,
        ctx.tenant,
        Buyer {
            user_id: user,
            account_email,
            guest_token: token.as_deref(),
        },
        &key,
        &request,
    )
    .await;
    match created {
        Ok((view, _)) => {
            let secret = view
                .payment
                .and_then(|p| p.client_secret)
                .unwrap_or_default();
            see_other(&format!("/checkout/{}/pay?secret={secret}", view.id), None)
        }
        Err(e) if e.status.is_client_error() => {
            let cart = match priced(&ctx, token.as_deref()).await {
                Ok(v) => v,
                Err(e) => return api_failure(chrome, &e),
            };
            let mut values = values.clone();
            if e.code == Code::TotalChanged {
                // Show the new total with a new key: the buyer confirms again.
                values.remove("idempotency_key");
            }
            let mut r = checkout_page(chrome, &cart, &values, Some(&e));
            r.set_status(e.status);
            r
        }
        Err(e) => api_failure(chrome, &e),
    }
}
