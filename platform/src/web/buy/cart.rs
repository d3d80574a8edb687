//! The cart page: add an item, remove a line, see the cart priced now.

use super::{cart_token, owner, priced, see_other, user_of};
use crate::commerce;
use crate::ctx::Ctx;
use crate::web::{Chrome, api_failure, message, render, summary};
use askama::Template;
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

/// `GET /cart`: lines per shop with their issues, delivery, totals.
#[handler]
pub(crate) async fn cart_page(ctx: Ctx<'_>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let view = match priced(&ctx, cart_token(ctx.req).as_deref()).await {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let locale = chrome.locale;
    let money = |m: i64| locale.money(&Money::of(m, &view.currency));
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
                            .map(|i| issue_label(locale, i, l.available_quantity)),
                        was: l.price_changed_from_minor.map(money),
                    })
                    .collect(),
            })
            .collect(),
        chrome,
    })
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
