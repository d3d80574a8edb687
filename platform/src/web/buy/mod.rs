//! Storefront buying pages: cart, checkout (contact → address → delivery → review), payment
//! (test mode simulates the card), confirmation and the guest order page. Every step calls
//! the same commerce functions as the store API. A guest's cart token lives in an HttpOnly
//! cookie.

mod cart;
mod checkout;
mod orders;
mod pay;

pub(crate) use cart::{cart_add, cart_page, cart_remove};
pub(crate) use checkout::{checkout_form, checkout_submit};
pub(crate) use orders::{order_page, status_label};
pub(crate) use pay::{done_page, pay_page, pay_submit};

use crate::commerce::{self, CartOwner};
use crate::ctx::Ctx;
use krafto_web::ApiError;
use poem::web::Redirect;
use poem::{IntoResponse, Request, Response};
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
