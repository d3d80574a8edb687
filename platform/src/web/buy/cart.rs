//! The cart page: add an item, change a line's quantity, remove a line, see the cart
//! priced now.

use super::{cart_token, owner, priced, see_other, set_cart_count, units, user_of};
use crate::commerce;
use crate::ctx::Ctx;
use crate::web::{Chrome, api_failure, message, render, summary};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::commerce::LineIssue;
use krafto_core::Money;
use krafto_db::models::Cart;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::Form;
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Deserialize)]
pub(crate) struct AddForm {
    listing_id: String,
    #[serde(default)]
    variant_id: String,
    quantity: Option<i32>,
}

/// `POST /cart/add`: adds an item, then shows the cart.
#[handler]
pub(crate) async fn cart_add(ctx: Ctx<'_>, form: Form<AddForm>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let (Ok(listing), Ok(variant)) = (
        form.listing_id.parse::<Uuid>(),
        Some(form.variant_id.as_str())
            .filter(|v| !v.is_empty())
            .map(str::parse::<Uuid>)
            .transpose(),
    ) else {
        let (heading, text) = (chrome.t("cart-not-added"), chrome.t("cart-unreadable-item"));
        return message(chrome, StatusCode::BAD_REQUEST, &heading, &text);
    };
    let token = cart_token(ctx.req);
    let result = async {
        let mut tx = ctx.tx().await?;
        let (_, new_token) = commerce::add_to_cart(
            &mut tx,
            owner(user_of(&ctx), token.as_deref()),
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
            let heading = chrome.t("cart-not-added");
            {
                let said = summary(&e, chrome.locale);
                message(chrome, e.status, &heading, &said)
            }
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
pub(crate) async fn cart_remove(ctx: Ctx<'_>, form: Form<RemoveForm>) -> Response {
    let token = cart_token(ctx.req);
    if let Ok(line) = form.line_id.parse::<Uuid>() {
        let done = async {
            let mut tx = ctx.tx().await?;
            if let (Some(cart), _) =
                commerce::resolve_cart(&mut tx, owner(user_of(&ctx), token.as_deref()), false)
                    .await?
            {
                Cart::remove(&mut tx, cart.id, line).await?;
            }
            Ok::<_, ApiError>(tx.commit().await?)
        }
        .await;
        if let Err(e) = done {
            return api_failure(Chrome::of(ctx.req, ctx.state, ctx.tenant), &e);
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
    /// The most the quantity field offers: the stock left (at least the quantity held).
    max: i32,
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
    /// Why the last change was refused.
    error: String,
}

/// `GET /cart`: lines per shop with their issues, delivery, totals.
#[handler]
pub(crate) async fn cart_page(ctx: Ctx<'_>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    match priced(&ctx, cart_token(ctx.req).as_deref()).await {
        Ok(v) => cart_response(chrome, &v, String::new()),
        Err(e) => api_failure(chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct UpdateForm {
    line_id: String,
    #[serde(default)]
    quantity: String,
}

/// `POST /cart/update`: sets a line's quantity, then shows the cart. A quantity past the
/// stock (409) or outside 1–1000 (422) is refused and said on the cart page.
#[handler]
pub(crate) async fn cart_update(ctx: Ctx<'_>, form: Form<UpdateForm>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let token = cart_token(ctx.req);
    let Ok(line) = form.line_id.parse::<Uuid>() else {
        return see_other("/cart", None);
    };
    let quantity = form.quantity.trim().parse::<i32>();
    let changed = async {
        let q = quantity.map_err(|_| {
            ApiError::field(krafto_core::FieldError::new(
                "quantity",
                "must be a whole number",
            ))
        })?;
        commerce::check_quantity(q)?;
        let mut tx = ctx.tx().await?;
        commerce::change_cart_line(
            &mut tx,
            owner(user_of(&ctx), token.as_deref()),
            line,
            Some(q),
        )
        .await?;
        Ok::<_, ApiError>(tx.commit().await?)
    }
    .await;
    let e = match changed {
        Ok(()) => return see_other("/cart", None),
        Err(e) if e.code == Code::CartLineNotFound => return see_other("/cart", None),
        Err(e) if e.status.is_client_error() => e,
        Err(e) => return api_failure(chrome, &e),
    };
    let view = match priced(&ctx, token.as_deref()).await {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let line = view
        .shops
        .iter()
        .flat_map(|s| &s.lines)
        .find(|l| l.id == line);
    let error = match (e.code, line) {
        (Code::InsufficientStock, Some(l)) => chrome.t2(
            "cart-quantity-over-stock",
            "n",
            l.available_quantity,
            "title",
            l.title.as_str(),
        ),
        _ => chrome.t("cart-quantity-invalid"),
    };
    let mut r = cart_response(chrome, &view, error);
    r.set_status(e.status);
    r
}

/// The cart page for a priced cart (remembering its count for the header).
fn cart_response(
    mut chrome: Chrome,
    view: &krafto_api_types::commerce::CartView,
    error: String,
) -> Response {
    let count = units(view);
    chrome.cart_count = count;
    let locale = chrome.locale;
    let money = |m: i64| locale.money(&Money::of(m, &view.currency));
    let mut r = render(&CartPage {
        error,
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
                        max: l.available_quantity.max(l.quantity).clamp(1, 1000),
                        amount: money(l.amount_minor),
                        issue: l
                            .issue
                            .map(|i| issue_label(locale, i, l.available_quantity)),
                        was: l.price_changed_from_minor.map(money),
                    })
                    .collect(),
            })
            .collect(),
        chrome,
    });
    set_cart_count(&mut r, count);
    r
}

/// Why a cart line cannot be bought as it is, in words for the buyer.
fn issue_label(locale: krafto_i18n::Locale, issue: LineIssue, available: i32) -> String {
    match issue {
        LineIssue::Unavailable => locale.t("cart-issue-unavailable"),
        LineIssue::SellerNotPayable => locale.t("cart-issue-not-payable"),
        LineIssue::OutOfStock => locale.t("cart-issue-sold-out"),
        LineIssue::InsufficientStock => {
            locale.t_args("cart-issue-only-left", &[("n", available.into())])
        }
    }
}
