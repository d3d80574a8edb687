//! Storefront buying pages: cart, checkout (contact → address → delivery → review), payment
//! (test mode simulates the card), confirmation and the guest order page. Every step calls
//! the same commerce functions as the store API. A guest's cart token lives in an HttpOnly
//! cookie.

use super::{Chrome, Field, api_failure, message, render};
use crate::commerce::checkout::{self, Buyer};
use crate::commerce::{self, CartOwner, orders};
use crate::{AppState, CurrentTenant};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::commerce::{
    CheckoutRequest, CheckoutStatus, DeliveryChoice, ShippingAddress, TestOutcome,
};
use krafto_db::models::{Cart, Checkout};
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query, Redirect};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

const CART_COOKIE: &str = "krafto_cart";

fn cart_token(req: &Request) -> Option<String> {
    super::account::cookie(req, CART_COOKIE)
        .filter(|v| v.len() == 64 && v.chars().all(|c| c.is_ascii_hexdigit()))
}

fn see_other(to: &str, new_token: Option<String>) -> Response {
    let mut r = Redirect::see_other(to).into_response();
    if let Some(t) = new_token
        && let Ok(v) =
            format!("{CART_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000").parse()
    {
        r.headers_mut().append("set-cookie", v);
    }
    r
}

fn owner(user: Option<Uuid>, token: Option<&str>) -> CartOwner<'_> {
    CartOwner {
        user_id: user,
        guest_token: token,
    }
}

/// The signed-in user's id, if any (their cart absorbs the guest cart on first use).
fn user_of(req: &Request) -> Option<Uuid> {
    super::account::session_user(req).map(|c| c.user_id)
}

#[derive(Debug, Deserialize)]
pub(crate) struct AddForm {
    listing_id: String,
    #[serde(default)]
    variant_id: String,
    quantity: Option<i32>,
}

/// `POST /cart/add`: adds an item, then shows the cart.
#[handler]
pub(crate) async fn cart_add(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    form: Form<AddForm>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    let (Ok(listing), Ok(variant)) = (
        form.listing_id.parse::<Uuid>(),
        Some(form.variant_id.as_str())
            .filter(|v| !v.is_empty())
            .map(str::parse::<Uuid>)
            .transpose(),
    ) else {
        return message(
            chrome,
            StatusCode::BAD_REQUEST,
            "Not added",
            "That item could not be read; go back and try again.",
        );
    };
    let token = cart_token(req);
    let result = async {
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let (_, new_token) = commerce::add_to_cart(
            &mut tx,
            owner(user_of(req), token.as_deref()),
            listing,
            variant,
            form.quantity.unwrap_or(1),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, ApiError>(new_token)
    }
    .await;
    match result {
        Ok(new_token) => see_other("/cart", new_token),
        Err(e) if e.status.is_client_error() => {
            message(chrome, e.status, "Not added to your cart", &e.detail)
        }
        Err(e) => api_failure(chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct RemoveForm {
    line_id: String,
}

/// `POST /cart/remove`: removes a line, then shows the cart.
#[handler]
pub(crate) async fn cart_remove(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    form: Form<RemoveForm>,
) -> Response {
    let token = cart_token(req);
    if let Ok(line) = form.line_id.parse::<Uuid>() {
        let done = async {
            let mut tx = state.db.tenant(&tenant.scope()).await?;
            if let (Some(cart), _) =
                commerce::resolve_cart(&mut tx, owner(user_of(req), token.as_deref()), false)
                    .await?
            {
                Cart::remove(&mut tx, cart.id, line).await?;
            }
            Ok::<_, ApiError>(tx.commit().await?)
        }
        .await;
        if let Err(e) = done {
            return api_failure(Chrome::of(req, &state, &tenant), &e);
        }
    }
    see_other("/cart", None)
}

struct LineRow {
    id: String,
    listing_id: String,
    title: String,
    variant: Option<String>,
    photo_url: Option<String>,
    quantity: i32,
    amount: String,
    issue: Option<String>,
    was: Option<String>,
}

struct ShopRow {
    name: String,
    slug: String,
    lines: Vec<LineRow>,
    delivery: Option<String>,
    items: String,
    shipping: String,
    has_fee: bool,
    fee: String,
}

#[derive(Template)]
#[template(path = "cart.html")]
struct CartPage {
    chrome: Chrome,
    shops: Vec<ShopRow>,
    total: String,
    purchasable: bool,
}

/// The guest's cart priced now (the same pricing as `GET /api/v1/store/cart`).
async fn priced(
    state: &AppState,
    tenant: &CurrentTenant,
    user: Option<Uuid>,
    token: Option<&str>,
) -> Result<krafto_api_types::commerce::CartView, ApiError> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let (cart, _) = commerce::resolve_cart(&mut tx, owner(user, token), false).await?;
    let view = commerce::cart_view(&mut tx, tenant, cart.as_ref(), state.test_mode()).await?;
    tx.commit().await?;
    Ok(view)
}

/// `GET /cart`: lines per shop with their issues, delivery, totals.
#[handler]
pub(crate) async fn cart_page(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    let view = match priced(&state, &tenant, user_of(req), cart_token(req).as_deref()).await {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let money = |m: i64| commerce::format_money(m, &view.currency);
    render(&CartPage {
        total: money(view.total_minor),
        purchasable: view.purchasable,
        shops: view
            .shops
            .iter()
            .map(|s| ShopRow {
                name: s.shop_name.clone(),
                slug: s.shop_slug.clone(),
                delivery: s
                    .delivery_options
                    .iter()
                    .find(|o| Some(o.id) == s.delivery_option_id)
                    .map(|o| o.name.clone()),
                items: money(s.items_minor),
                shipping: money(s.shipping_minor),
                has_fee: s.buyer_fee_minor > 0,
                fee: money(s.buyer_fee_minor),
                lines: s
                    .lines
                    .iter()
                    .map(|l| LineRow {
                        id: l.id.to_string(),
                        listing_id: l.listing_id.to_string(),
                        title: l.title.clone(),
                        variant: l.variant_label.clone(),
                        photo_url: l.photo_url.clone(),
                        quantity: l.quantity,
                        amount: money(l.amount_minor),
                        issue: l
                            .issue
                            .map(|i| capitalized(&commerce::issue_text(i, l.available_quantity))),
                        was: l.price_changed_from_minor.map(money),
                    })
                    .collect(),
            })
            .collect(),
        chrome,
    })
}

struct DeliveryOption {
    id: String,
    label: String,
    selected: bool,
}

struct DeliveryShop {
    id: String,
    name: String,
    options: Vec<DeliveryOption>,
}

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
    shops: Vec<DeliveryShop>,
}

/// (form name, API field, label, input type, autocomplete, required)
const CONTACT: &[(&str, &str, &str, &str, &str, bool)] = &[
    (
        "email",
        "email",
        "E-mail (for your receipt)",
        "email",
        "email",
        true,
    ),
    (
        "phone",
        "phone",
        "Phone (for the delivery)",
        "tel",
        "tel",
        true,
    ),
];
const ADDRESS: &[(&str, &str, &str, &str, &str, bool)] = &[
    ("name", "address.name", "Full name", "text", "name", true),
    (
        "line1",
        "address.line1",
        "Address",
        "text",
        "address-line1",
        true,
    ),
    (
        "line2",
        "address.line2",
        "Address line 2 (optional)",
        "text",
        "address-line2",
        false,
    ),
    (
        "postal_code",
        "address.postal_code",
        "Postal code",
        "text",
        "postal-code",
        true,
    ),
    (
        "city",
        "address.city",
        "City",
        "text",
        "address-level2",
        true,
    ),
    (
        "region",
        "address.region",
        "Region (optional)",
        "text",
        "address-level1",
        false,
    ),
    (
        "country",
        "address.country",
        "Country code (e.g. FR)",
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
    errors: &HashMap<String, String>,
) -> Vec<Field> {
    spec.iter()
        .map(|(name, api, label, kind, autocomplete, required)| Field {
            name: (*name).to_owned(),
            label: (*label).to_owned(),
            kind,
            autocomplete,
            required: *required,
            value: values.get(*name).cloned().unwrap_or_default(),
            error: errors.get(*api).cloned(),
        })
        .collect()
}

fn checkout_page(
    chrome: Chrome,
    view: &krafto_api_types::commerce::CartView,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    error: String,
) -> Response {
    let money = |m: i64| commerce::format_money(m, &view.currency);
    render(&CheckoutPage {
        error,
        key: values
            .get("idempotency_key")
            .cloned()
            .unwrap_or_else(|| Uuid::new_v4().to_string()),
        total_minor: view.total_minor,
        total: money(view.total_minor),
        shop_count: view.shops.len(),
        contact: fields(CONTACT, values, errors),
        address: fields(ADDRESS, values, errors),
        shops: view
            .shops
            .iter()
            .map(|s| {
                let chosen = values
                    .get(&format!("delivery_{}", s.shop_id))
                    .and_then(|v| v.parse::<Uuid>().ok())
                    .or(s.delivery_option_id);
                DeliveryShop {
                    id: s.shop_id.to_string(),
                    name: s.shop_name.clone(),
                    options: s
                        .delivery_options
                        .iter()
                        .map(|o| DeliveryOption {
                            id: o.id.to_string(),
                            label: format!(
                                "{} — {}, {}–{} days",
                                o.name,
                                money(o.cost_minor),
                                o.days_min,
                                o.days_max
                            ),
                            selected: Some(o.id) == chosen,
                        })
                        .collect(),
                }
            })
            .collect(),
        chrome,
    })
}

/// `GET /checkout`: the checkout form for the cart.
#[handler]
pub(crate) async fn checkout_form(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    match priced(&state, &tenant, user_of(req), cart_token(req).as_deref()).await {
        Ok(v) if v.shops.is_empty() => see_other("/cart", None),
        Ok(v) => checkout_page(chrome, &v, &HashMap::new(), &HashMap::new(), String::new()),
        Err(e) => api_failure(chrome, &e),
    }
}

/// `POST /checkout`: creates the checkout (holding the stock and the payment), then goes to
/// the payment page; invalid fields come back inline.
#[handler]
pub(crate) async fn checkout_submit(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    form: Form<HashMap<String, String>>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    let token = cart_token(req);
    let values = form.0;
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let request = CheckoutRequest {
        email: get("email"),
        phone: get("phone"),
        address: ShippingAddress {
            name: get("name").unwrap_or_default(),
            line1: get("line1").unwrap_or_default(),
            line2: get("line2"),
            postal_code: get("postal_code").unwrap_or_default(),
            city: get("city").unwrap_or_default(),
            region: get("region"),
            country: get("country").unwrap_or_default(),
        },
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
    let user = user_of(req);
    let account_email = match user {
        Some(id) => {
            let found = async {
                let mut tx = state.db.tenant(&tenant.scope()).await?;
                let u = krafto_db::models::User::find(&mut tx, id).await?;
                tx.commit().await?;
                Ok::<_, krafto_db::DbError>(u.email)
            }
            .await;
            match found {
                Ok(e) => Some(e),
                Err(e) => return api_failure(chrome, &ApiError::from(e)),
            }
        }
        None => None,
    };
    let created = checkout::create(
        &state,
        &tenant,
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
            let cart = match priced(&state, &tenant, user_of(req), token.as_deref()).await {
                Ok(v) => v,
                Err(e) => return api_failure(chrome, &e),
            };
            let errors: HashMap<String, String> = e
                .errors
                .iter()
                .map(|f| (f.field.clone(), f.message.clone()))
                .collect();
            let summary = if errors.is_empty() {
                e.detail.clone()
            } else {
                "Please correct the fields marked below.".to_owned()
            };
            let mut values = values.clone();
            if e.code == Code::TotalChanged {
                // Show the new total with a new key: the buyer confirms again.
                values.remove("idempotency_key");
            }
            let mut r = checkout_page(chrome, &cart, &values, &errors, summary);
            r.set_status(e.status);
            r
        }
        Err(e) => api_failure(chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SecretQuery {
    secret: Option<String>,
}

async fn checkout_with_secret(
    state: &AppState,
    tenant: &CurrentTenant,
    id: &str,
    secret: Option<&str>,
) -> Result<Checkout, ApiError> {
    let Ok(id) = id.parse::<Uuid>() else {
        return Err(ApiError::not_found(
            Code::CheckoutNotFound,
            "There is no such checkout here.",
        ));
    };
    let mut tx = state.db.tenant(&tenant.scope()).await?;
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
    failure: Option<String>,
    test_mode: bool,
}

/// `GET /checkout/{id}/pay`: pay (test mode: simulate the card).
#[handler]
pub(crate) async fn pay_page(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(id): Path<String>,
    Query(q): Query<SecretQuery>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    match checkout_with_secret(&state, &tenant, &id, q.secret.as_deref()).await {
        Ok(c) => render(&PayPage {
            test_mode: chrome.test_mode,
            chrome,
            id: c.id.to_string(),
            secret: c.client_secret.clone().unwrap_or_default(),
            total: commerce::format_money(c.total_minor, &c.currency),
            status: c.status.clone(),
            failure: c.failure_reason.clone(),
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
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(id): Path<String>,
    form: Form<PayForm>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    if !state.test_mode() {
        return message(
            chrome,
            StatusCode::NOT_FOUND,
            "Not found",
            "Payments here are made with Stripe.",
        );
    }
    let c = match checkout_with_secret(&state, &tenant, &id, Some(&form.secret)).await {
        Ok(c) => c,
        Err(e) => return api_failure(chrome, &e),
    };
    let outcome = if form.outcome == "succeed" {
        TestOutcome::Succeed
    } else {
        TestOutcome::Decline
    };
    if let Err(e) = checkout::simulate(&state, &tenant.scope(), c.id, outcome).await {
        return api_failure(chrome, &e);
    }
    let secret = c.client_secret.unwrap_or_default();
    match outcome {
        TestOutcome::Succeed => {
            see_other(&format!("/checkout/{}/done?secret={secret}", c.id), None)
        }
        _ => see_other(&format!("/checkout/{}/pay?secret={secret}", c.id), None),
    }
}

struct OrderLink {
    number: String,
    token: String,
    shop: String,
    total: String,
}

#[derive(Template)]
#[template(path = "done.html")]
struct DonePage {
    chrome: Chrome,
    email: String,
    orders: Vec<OrderLink>,
}

/// `GET /checkout/{id}/done`: the confirmation, with each order's private link.
#[handler]
pub(crate) async fn done_page(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(id): Path<String>,
    Query(q): Query<SecretQuery>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    let c = match checkout_with_secret(&state, &tenant, &id, q.secret.as_deref()).await {
        Ok(c) => c,
        Err(e) => return api_failure(chrome, &e),
    };
    let view = async {
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let v = checkout::view(&state, &mut tx, &c).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(v)
    }
    .await;
    match view {
        Ok(v) if v.status == CheckoutStatus::Paid => render(&DonePage {
            email: c.email.clone(),
            orders: v
                .orders
                .into_iter()
                .map(|o| OrderLink {
                    total: commerce::format_money(o.total_minor, &v.currency),
                    number: o.number,
                    token: o.access_token,
                    shop: o.shop_name,
                })
                .collect(),
            chrome,
        }),
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

struct OrderLineRow {
    title: String,
    variant: Option<String>,
    quantity: i32,
    amount: String,
}

struct EventRow {
    at: String,
    when: String,
    what: String,
    reason: Option<String>,
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderPage {
    chrome: Chrome,
    number: String,
    status: String,
    tracking: Option<String>,
    shop_slug: String,
    shop_name: String,
    delivery: String,
    lines: Vec<OrderLineRow>,
    total: String,
    timeline: Vec<EventRow>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenQuery {
    token: Option<String>,
}

/// An API enum's wire name (`out_for_delivery`).
pub(crate) fn json_name(v: &impl poem_openapi::types::ToJSON) -> String {
    v.to_json()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// An API enum (an order's or a shop's status) as words for a person (`Out for delivery`).
pub(crate) fn status_label(s: &impl poem_openapi::types::ToJSON) -> String {
    status_text(&json_name(s))
}

/// The text with its first letter upper-cased.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn status_text(s: &str) -> String {
    capitalized(&s.replace('_', " "))
}

/// `GET /orders/{number}?token=`: an order and its timeline, for whoever holds its link.
#[handler]
pub(crate) async fn order_page(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(number): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let chrome = Chrome::of(req, &state, &tenant);
    let view = async {
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let o =
            orders::for_buyer(&state, &mut tx, &number, user_of(req), q.token.as_deref()).await?;
        let v = orders::view(&mut tx, o, false).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(v)
    }
    .await;
    let v = match view {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let money = |m: i64| commerce::format_money(m, &v.currency);
    render(&OrderPage {
        number: v.number.clone(),
        status: status_label(&v.status),
        tracking: v.tracking_number.clone(),
        shop_slug: v.shop.slug.clone(),
        shop_name: v.shop.name.clone(),
        delivery: v.shipping_option.clone(),
        lines: v
            .lines
            .iter()
            .map(|l| OrderLineRow {
                title: l.title.clone(),
                variant: l.variant_label.clone(),
                quantity: l.quantity,
                amount: money(l.amount_minor),
            })
            .collect(),
        total: money(v.total_minor),
        timeline: v
            .timeline
            .iter()
            .map(|e| EventRow {
                at: e.at.to_rfc3339(),
                when: e.at.format("%d %b %Y %H:%M").to_string(),
                what: status_label(&e.status),
                reason: e.reason.clone(),
            })
            .collect(),
        chrome,
    })
}
