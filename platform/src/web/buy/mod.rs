//! Storefront buying pages: cart, checkout (contact → address → delivery → review), payment
//! (test mode simulates the card), confirmation and the guest order page. Every step calls
//! the same commerce functions as the store API. A guest's cart token lives in an HttpOnly
//! cookie.

mod cart;
mod checkout;
mod orders;
mod pay;

pub(crate) use cart::{cart_add, cart_page, cart_remove, cart_update};
pub(crate) use checkout::{checkout_form, checkout_submit, country_field};
pub(crate) use orders::{ask_refund, order_page, status_label, withdraw_refund};
pub(crate) use pay::{done_page, pay_page, pay_submit};

use crate::commerce::{self, CartOwner};
use crate::ctx::Ctx;
use krafto_web::ApiError;
use poem::web::Redirect;
use poem::{IntoResponse, Request, Response};
use uuid::Uuid;

const CART_COOKIE: &str = "krafto_cart";

/// How many units the visitor's cart holds, as the cart pages last counted them: the
/// header shows it on every page without reading the cart. Refreshed by every page that
/// prices the cart (cart, checkout, confirmation) and by every change made on the cart page.
const COUNT_COOKIE: &str = "krafto_cart_n";

/// The cart count the request carries (0 without one, or with anything but a small number).
pub(crate) fn cart_count(req: &Request) -> u32 {
    super::account::cookie(req, COUNT_COOKIE)
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(0, |n| n.min(9999))
}

/// Remembers the cart's count in the visitor's browser (see [`COUNT_COOKIE`]).
pub(crate) fn set_cart_count(r: &mut Response, n: u32) {
    let cookie = if n == 0 {
        format!("{COUNT_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    } else {
        format!("{COUNT_COOKIE}={n}; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000")
    };
    if let Ok(v) = cookie.parse() {
        r.headers_mut().append("set-cookie", v);
    }
}

/// The units of a priced cart (the header's count).
fn units(view: &krafto_api_types::commerce::CartView) -> u32 {
    let n: i64 = view
        .shops
        .iter()
        .flat_map(|s| &s.lines)
        .map(|l| i64::from(l.quantity))
        .sum();
    u32::try_from(n).unwrap_or(u32::MAX)
}

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
fn user_of(ctx: &Ctx<'_>) -> Option<Uuid> {
    ctx.session().map(|c| c.user_id)
}

/// The guest's cart priced now (the same pricing as `GET /api/v1/store/cart`).
async fn priced(
    ctx: &Ctx<'_>,
    token: Option<&str>,
) -> Result<krafto_api_types::commerce::CartView, ApiError> {
    let mut tx = ctx.tx().await?;
    let (cart, _) = commerce::resolve_cart(&mut tx, owner(user_of(ctx), token), false).await?;
    let view =
        commerce::cart_view(&mut tx, ctx.tenant, cart.as_ref(), ctx.state.test_mode()).await?;
    tx.commit().await?;
    Ok(view)
}
