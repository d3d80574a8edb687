//! The checkout form: what is bought (items, delivery per shop), contact, delivery per shop
//! and the delivery address (a saved one for signed-in buyers, none when every order is
//! collected); then the checkout is made (stock held, one payment) and the buyer goes on
//! to pay.

use super::{cart_token, owner, see_other, set_cart_count, units, user_of};
use crate::accounts::{self, addresses};
use crate::commerce;
use crate::commerce::checkout::{self, Buyer};
use crate::ctx::Ctx;
use crate::web::{Chrome, Field, api_failure, render};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::account::{AccountProfile, AddressView};
use krafto_api_types::commerce::{
    CartView, CheckoutRequest, DeliveryChoice, DeliveryOptionView, ShippingAddress,
};
use krafto_core::Money;
use krafto_db::models::Cart;
use krafto_i18n::Locale;
use krafto_web::ApiError;
use poem::web::Form;
use poem::{Response, handler};
use std::collections::HashMap;
use uuid::Uuid;

/// One shop's part of the order, as the summary shows it.
pub(crate) struct SummaryShop {
    pub name: String,
    /// `2 × Bowl · blue` and its amount.
    pub lines: Vec<(String, String)>,
    /// The delivery chosen and its cost, or where and when to collect.
    pub delivery: String,
    pub pickup: Option<(String, String)>,
    pub total: String,
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
    summary: Vec<SummaryShop>,
    contact: Vec<Field>,
    /// Per shop, its delivery options as a group of radio buttons.
    delivery: Vec<Field>,
    /// Whether any address is asked for (not when every shop only offers pickup).
    show_address: bool,
    /// Said above the address when some shops can be collected from.
    address_note: Option<String>,
    /// The signed-in buyer's saved addresses, and "another address".
    saved: Option<Field>,
    address: Vec<Field>,
    /// Signed-in buyers may keep the new address.
    can_save: bool,
    save_checked: bool,
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
    required: bool,
) -> Vec<Field> {
    spec.iter()
        .map(|(name, api, label, kind, autocomplete, needed)| {
            let label = locale.t(label);
            let f = Field::new(name, &label, values.get(*name).cloned().unwrap_or_default())
                .api(api)
                .kind(kind)
                .autocomplete(autocomplete);
            if *needed && required { f.required() } else { f }
        })
        .collect()
}

/// The country `<select>` (names in the page's language, codes as values).
pub(crate) fn country_field(name: &str, api: &str, value: &str, locale: Locale) -> Field {
    let mut options = vec![(String::new(), locale.t("country-choose"))];
    options.extend(addresses::country_options(locale));
    Field::new(name, &locale.t("checkout-country-name"), value)
        .api(api)
        .autocomplete("country")
        .select(options)
}

/// A saved address on one line (`Ada Lovelace, 3 rue Mercière, 69002 Lyon, France`).
pub(crate) fn one_line(locale: Locale, a: &AddressView) -> String {
    let json = serde_json::json!({
        "name": a.name, "line1": a.line1, "line2": a.line2, "postal_code": a.postal_code,
        "city": a.city, "region": a.region, "country": a.country,
    });
    addresses::address_lines(locale, &json).join(", ")
}

/// How a delivery option reads: its name, cost and delay, or where and when to collect.
fn option_label(locale: Locale, o: &DeliveryOptionView, currency: &str) -> String {
    let cost = locale.money(&Money::of(o.cost_minor, currency));
    match &o.pickup {
        Some(p) => locale.t_args(
            "checkout-pickup-option",
            &[
                ("name", o.name.as_str().into()),
                ("cost", cost.into()),
                ("address", p.address.as_str().into()),
                ("hours", p.hours.as_str().into()),
            ],
        ),
        None => format!(
            "{} — {cost}, {}",
            o.name,
            crate::web::days(locale, o.days_min, o.days_max)
        ),
    }
}

/// The summary of what is bought, shop by shop, with the delivery priced in.
pub(crate) fn summary(locale: Locale, view: &CartView) -> Vec<SummaryShop> {
    let money = |m: i64| locale.money(&Money::of(m, &view.currency));
    view.shops
        .iter()
        .map(|s| {
            let chosen = s
                .delivery_options
                .iter()
                .find(|o| Some(o.id) == s.delivery_option_id);
            SummaryShop {
                name: s.shop_name.clone(),
                lines: s
                    .lines
                    .iter()
                    .map(|l| {
                        let title = match &l.variant_label {
                            Some(v) => format!("{} · {v}", l.title),
                            None => l.title.clone(),
                        };
                        (format!("{} × {title}", l.quantity), money(l.amount_minor))
                    })
                    .collect(),
                delivery: chosen.map_or_else(String::new, |o| {
                    format!("{} — {}", o.name, money(s.shipping_minor))
                }),
                pickup: chosen
                    .and_then(|o| o.pickup.as_ref())
                    .map(|p| (p.address.clone(), p.hours.clone())),
                total: money(s.total_minor),
            }
        })
        .collect()
}

/// What the checkout page needs, read in one transaction: the cart priced with the
/// delivery `choices`, and a signed-in buyer's profile and saved addresses.
async fn load(
    ctx: &Ctx<'_>,
    choices: &HashMap<Uuid, Uuid>,
) -> Result<(CartView, Option<(AccountProfile, Vec<AddressView>)>), ApiError> {
    let token = cart_token(ctx.req);
    let mut tx = ctx.tx().await?;
    let (cart, _) =
        commerce::resolve_cart(&mut tx, owner(user_of(ctx), token.as_deref()), false).await?;
    let lines = match &cart {
        Some(c) => Cart::lines(&mut tx, c.id).await?,
        None => Vec::new(),
    };
    let view = commerce::price_cart(&mut tx, ctx.tenant, &lines, choices, ctx.state.test_mode())
        .await?
        .view;
    let account = match ctx.session() {
        Some(user) => Some((
            accounts::profile_in(&mut tx, &user).await?,
            addresses::list_in(&mut tx, &user).await?,
        )),
        None => None,
    };
    tx.commit().await?;
    Ok((view, account))
}

/// The delivery choices a posted form makes (`delivery_{shop id}` = option id).
fn choices_of(values: &HashMap<String, String>) -> HashMap<Uuid, Uuid> {
    values
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("delivery_")?.parse().ok()?, v.parse().ok()?)))
        .collect()
}

/// The checkout form with the posted `values`; a refusal's problems are marked on their
/// fields and summed up above the form.
fn checkout_page(
    mut chrome: Chrome,
    view: &CartView,
    account: Option<&(AccountProfile, Vec<AddressView>)>,
    values: &HashMap<String, String>,
    refusal: Option<&ApiError>,
) -> Response {
    let locale = chrome.locale;
    let count = units(view);
    chrome.cart_count = count;
    let money = |m: i64| locale.money(&Money::of(m, &view.currency));
    let mut contact = fields(CONTACT, values, locale, true);
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
                        .map(|o| (o.id.to_string(), option_label(locale, o, &view.currency)))
                        .collect(),
                )
        })
        .collect();
    let collects_all = view.shops.iter().all(|s| {
        !s.delivery_options.is_empty() && s.delivery_options.iter().all(|o| o.pickup.is_some())
    });
    let collects_some = view
        .shops
        .iter()
        .any(|s| s.delivery_options.iter().any(|o| o.pickup.is_some()));
    let saved_addresses = account.map(|(_, a)| a.as_slice()).unwrap_or_default();
    let new_address = values.get("address_choice").is_none_or(|v| v == "new");
    let mut saved = (!saved_addresses.is_empty()).then(|| {
        let mut options: Vec<(String, String)> = saved_addresses
            .iter()
            .map(|a| (a.id.to_string(), one_line(locale, a)))
            .collect();
        options.push(("new".to_owned(), locale.t("checkout-new-address")));
        Field::new(
            "address_choice",
            &locale.t("checkout-saved-addresses"),
            values.get("address_choice").cloned().unwrap_or_default(),
        )
        .api("address_id")
        .radio(options)
    });
    let mut address = fields(ADDRESS, values, locale, saved.is_none() && !collects_some);
    address.push(country_field(
        "country",
        "address.country",
        values.get("country").map_or("", String::as_str),
        locale,
    ));
    let error = refusal.map_or_else(String::new, |e| {
        let all = contact
            .iter_mut()
            .chain(&mut delivery)
            .chain(saved.iter_mut())
            .chain(&mut address);
        let otherwise = match e.code {
            Code::TotalChanged => locale.t("checkout-refused-total"),
            Code::OutOfStock | Code::CartNotPurchasable => locale.t("cart-blocked"),
            Code::BelowMinimumOrder => locale.t("checkout-refused-minimum"),
            _ => locale.t("checkout-refused"),
        };
        crate::web::me::attach_localized(locale, all, e, &otherwise)
    });
    let mut r = render(&CheckoutPage {
        error,
        key: values
            .get("idempotency_key")
            .cloned()
            .unwrap_or_else(|| Uuid::new_v4().to_string()),
        total_minor: view.total_minor,
        total: money(view.total_minor),
        shop_count: view.shops.len(),
        summary: summary(locale, view),
        contact,
        delivery,
        show_address: !collects_all,
        address_note: collects_some.then(|| locale.t("checkout-address-pickup-note")),
        saved,
        address,
        can_save: account.is_some(),
        save_checked: values.get("save_address").is_some_and(|v| !v.is_empty()) && new_address,
        chrome,
    });
    set_cart_count(&mut r, count);
    r
}

/// What the form starts with for a signed-in buyer: their e-mail, phone and name, their
/// default address; for everyone, the marketplace's country.
fn prefilled(
    ctx: &Ctx<'_>,
    account: Option<&(AccountProfile, Vec<AddressView>)>,
) -> HashMap<String, String> {
    let mut values = HashMap::new();
    let country = ctx
        .tenant
        .locale
        .split(['-', '_'])
        .nth(1)
        .and_then(|c| krafto_core::country::delivery_country(c).ok());
    if let Some(c) = country {
        values.insert("country".to_owned(), c.to_owned());
    }
    if let Some((profile, saved)) = account {
        values.insert("email".to_owned(), profile.email.clone());
        if let Some(p) = &profile.phone {
            values.insert("phone".to_owned(), p.clone());
        }
        if let Some(n) = &profile.display_name {
            values.insert("name".to_owned(), n.clone());
        }
        let choice = saved
            .iter()
            .find(|a| a.is_default)
            .map_or_else(|| "new".to_owned(), |a| a.id.to_string());
        values.insert("address_choice".to_owned(), choice);
    }
    values
}

/// `GET /checkout`: the checkout form for the cart.
#[handler]
pub(crate) async fn checkout_form(ctx: Ctx<'_>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    match load(&ctx, &HashMap::new()).await {
        Ok((v, _)) if v.shops.is_empty() => see_other("/cart", None),
        Ok((v, account)) => {
            let values = prefilled(&ctx, account.as_ref());
            checkout_page(chrome, &v, account.as_ref(), &values, None)
        }
        Err(e) => api_failure(chrome, &e),
    }
}

/// The checkout request a posted form makes.
fn request_of(values: &HashMap<String, String>) -> CheckoutRequest {
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let address_id = get("address_choice").and_then(|v| v.parse::<Uuid>().ok());
    let typed = ["name", "line1", "line2", "postal_code", "city", "region"]
        .iter()
        .any(|k| get(k).is_some());
    let address = (address_id.is_none() && typed).then(|| ShippingAddress {
        name: get("name").unwrap_or_default().into(),
        line1: get("line1").unwrap_or_default().into(),
        line2: get("line2").map(Into::into),
        postal_code: get("postal_code").unwrap_or_default().into(),
        city: get("city").unwrap_or_default().into(),
        region: get("region").map(Into::into),
        country: get("country").unwrap_or_default().into(),
    });
    CheckoutRequest {
        email: get("email").map(Into::into),
        phone: get("phone").map(Into::into),
        address,
        address_id,
        save_address: get("save_address").is_some(),
        delivery: choices_of(values)
            .into_iter()
            .map(|(shop_id, option_id)| DeliveryChoice { shop_id, option_id })
            .collect(),
        expected_total_minor: get("expected_total_minor").and_then(|v| v.parse().ok()),
    }
}

/// `POST /checkout`: creates the checkout (holding the stock and the payment), then goes to
/// the payment page; invalid fields come back inline.
#[handler]
pub(crate) async fn checkout_submit(ctx: Ctx<'_>, form: Form<HashMap<String, String>>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let token = cart_token(ctx.req);
    let values = form.0;
    let request = request_of(&values);
    let key = values
        .get("idempotency_key")
        .map(|k| k.trim().to_owned())
        .unwrap_or_default();
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
            let (cart, account) = match load(&ctx, &choices_of(&values)).await {
                Ok(v) => v,
                Err(e) => return api_failure(chrome, &e),
            };
            let mut values = values.clone();
            if e.code == Code::TotalChanged {
                // Show the new total with a new key: the buyer confirms again.
                values.remove("idempotency_key");
            }
            let mut r = checkout_page(chrome, &cart, account.as_ref(), &values, Some(&e));
            r.set_status(e.status);
            r
        }
        Err(e) => api_failure(chrome, &e),
    }
}
