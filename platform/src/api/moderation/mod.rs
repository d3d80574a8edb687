//! The operator API's moderation under `/admin`, one file per resource: the review queue,
//! decisions on shops, listings and seller verifications, and reports. The use cases live
//! in [`crate::moderation`]; these handlers only translate HTTP.

mod listings;
mod queue;
mod reports;
mod shops;
mod verifications;

use super::admin::{BrandingApi, SettingsApi};
use listings::ListingsApi;
use poem::endpoint::BoxEndpoint;
use poem::http::Method;
use poem_openapi::OpenApi;
use poem_openapi::registry::{MetaApi, Registry};
use queue::QueueApi;
use reports::ReportsApi;
use shops::ShopsApi;
use std::collections::HashMap;
use verifications::VerificationsApi;

/// The operator API's moderation, then the marketplace's settings and branding (served
/// here to keep the documents' order: they come after the reports).
pub(crate) struct ModerationApi;

type Parts = (
    QueueApi,
    ShopsApi,
    ListingsApi,
    VerificationsApi,
    ReportsApi,
    SettingsApi,
    BrandingApi,
);

impl OpenApi for ModerationApi {
    fn meta() -> Vec<MetaApi> {
        Parts::meta()
    }

    fn register(registry: &mut Registry) {
        Parts::register(registry);
    }

    fn add_routes(self, route_table: &mut HashMap<String, HashMap<Method, BoxEndpoint<'static>>>) {
        (
            QueueApi,
            ShopsApi,
            ListingsApi,
            VerificationsApi,
            ReportsApi,
            SettingsApi,
            BrandingApi,
        )
            .add_routes(route_table);
    }
}
