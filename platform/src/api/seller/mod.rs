//! The seller API: who is asking and in what shape; the rules are in
//! [`crate::catalog::selling`], shared with the seller dashboard pages.
//!
//! One `#[OpenApi]` object per resource (shop, verification, listings, CSV import);
//! [`SellerApi`] serves them together, in this order, which is the documents' order.
//!
//! Every operation takes any signed-in user (`UserAuth`): someone without a shop gets the
//! 404 `no_shop` problem that tells them how to open one.

mod import;
mod listings;
pub(crate) mod photos;
mod shop;
mod verification;

use poem::endpoint::BoxEndpoint;
use poem::http::Method;
use poem_openapi::OpenApi;
use poem_openapi::registry::{MetaApi, Registry};
use std::collections::HashMap;

/// The seller API's resources, in the documents' order.
type Parts = (
    shop::ShopApi,
    verification::VerificationApi,
    listings::ListingsApi,
    photos::PhotosApi,
    import::ImportApi,
);

/// The seller API as one object for the service (what [`Parts`] documents and routes).
pub(crate) struct SellerApi;

impl OpenApi for SellerApi {
    fn meta() -> Vec<MetaApi> {
        Parts::meta()
    }

    fn register(registry: &mut Registry) {
        Parts::register(registry);
    }

    fn add_routes(self, route_table: &mut HashMap<String, HashMap<Method, BoxEndpoint<'static>>>) {
        (
            shop::ShopApi,
            verification::VerificationApi,
            listings::ListingsApi,
            photos::PhotosApi,
            import::ImportApi,
        )
            .add_routes(route_table);
    }
}
