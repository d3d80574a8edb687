//! The operator API's marketplace tools under `/admin`, one file per resource: categories,
//! commission overrides, catalog rules (settings), branding and the audit log. The use cases live in
//! [`crate::marketplace`]; these handlers only translate HTTP.

mod audit;
mod branding;
mod categories;
mod commissions;
mod legal;
mod rate_limits;
mod settings;

pub(super) use branding::BrandingApi;
pub(super) use settings::SettingsApi;

use audit::AuditApi;
use categories::CategoriesApi;
use commissions::CommissionsApi;
use legal::LegalApi;
use poem::endpoint::BoxEndpoint;
use poem::http::Method;
use poem_openapi::OpenApi;
use poem_openapi::registry::{MetaApi, Registry};
use rate_limits::RateLimitsApi;
use std::collections::HashMap;

/// The operator API's categories, commissions, audit log, rate-limit counts and legal pages,
/// in the documents' order. (Settings and branding are served through
/// [`super::ModerationApi`], whose operations the documents list them after.)
pub(crate) struct AdminApi;

type Parts = (
    CategoriesApi,
    CommissionsApi,
    AuditApi,
    RateLimitsApi,
    LegalApi,
);

impl OpenApi for AdminApi {
    fn meta() -> Vec<MetaApi> {
        Parts::meta()
    }

    fn register(registry: &mut Registry) {
        Parts::register(registry);
    }

    fn add_routes(self, route_table: &mut HashMap<String, HashMap<Method, BoxEndpoint<'static>>>) {
        (
            CategoriesApi,
            CommissionsApi,
            AuditApi,
            RateLimitsApi,
            LegalApi,
        )
            .add_routes(route_table);
    }
}
