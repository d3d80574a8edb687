//! Buying and selling over HTTP: the cart, checkout and orders for buyers (guests too),
//! payouts, shipping options and order handling for sellers, orders and the ledger for
//! operators. Handlers resolve and authorise; `crate::commerce` does the work.
//!
//! One struct per resource; [`BuyApi`] and [`SellingApi`] are each made of several, in
//! order, and documented and routed as one.

mod admin_orders;
mod cart;
mod checkout;
mod delivery;
mod disputes;
mod orders;
mod payout_history;
mod payouts;
mod refunds;
mod seller_orders;

use poem::endpoint::BoxEndpoint;
use poem::http::Method;
use poem_openapi::OpenApi;
use poem_openapi::param::Header;
use poem_openapi::registry::{MetaApi, Registry};
use std::collections::HashMap;

/// The buyer's API under `/store`: the cart, checkout, their orders.
pub(crate) struct BuyApi;

/// The seller's API under `/seller`: payouts, delivery options, the shop's orders.
pub(crate) struct SellingApi;

/// The operators' orders and money under `/admin`: orders, refunds, the ledger.
pub(crate) struct OrdersAdminApi;

/// Implements `OpenApi` for `$api` as its `$part`s in this order: the document lists their
/// operations as if they were written in one `impl` block.
macro_rules! made_of {
    ($api:ident = $($part:ident),+) => {
        impl OpenApi for $api {
            fn meta() -> Vec<MetaApi> {
                <($($part,)+)>::meta()
            }

            fn register(registry: &mut Registry) {
                <($($part,)+)>::register(registry);
            }

            fn add_routes(
                self,
                route_table: &mut HashMap<String, HashMap<Method, BoxEndpoint<'static>>>,
            ) {
                ($($part,)+).add_routes(route_table);
            }
        }
    };
}

use admin_orders::AdminOrdersApi;
use cart::CartApi;
use checkout::CheckoutApi;
use delivery::ShippingOptionsApi;
use disputes::AdminDisputesApi;
use orders::BuyerOrdersApi;
use payout_history::{AdminPayoutsApi, SellerPayoutHistoryApi};
use payouts::PayoutsApi;
use refunds::{AdminRefundsApi, BuyerRefundsApi, SellerRefundsApi};
use seller_orders::SellerOrdersApi;

made_of!(
    BuyApi = CartApi,
    CheckoutApi,
    BuyerOrdersApi,
    BuyerRefundsApi
);
made_of!(
    SellingApi = PayoutsApi,
    SellerPayoutHistoryApi,
    ShippingOptionsApi,
    SellerOrdersApi,
    SellerRefundsApi
);
made_of!(
    OrdersAdminApi = AdminOrdersApi,
    AdminRefundsApi,
    AdminDisputesApi,
    AdminPayoutsApi
);

/// The guest cart token a request sends (`X-Cart-Token`), if any.
fn guest_token(h: &Header<Option<String>>) -> Option<&str> {
    h.0.as_deref().map(str::trim).filter(|t| !t.is_empty())
}
