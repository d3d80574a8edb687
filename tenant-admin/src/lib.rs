//! The control plane for Krafto staff: provisions marketplaces, their domains, branding,
//! fees, flags, operators and Stripe Connect accounts; runs migrations.
//!
//! It reaches a tenant's rows only inside a transaction scoped to that tenant, like the
//! platform does; control-plane tables (tenants, domains, staff) are its own.
//!
//! Domain modules hold the use cases (`staff`, `marketplaces`, `provision`, `operators`,
//! `stripe`, `demo`); `api` (the JSON API) and `console` (the staff web console) only
//! translate HTTP to their calls, taking the request context (`ctx::Ctx`) and the staff
//! role extractors (`api::Staff`, `console::StaffPage`).

mod api;
pub mod config;
mod console;
mod ctx;
pub mod demo;
mod marketplaces;
mod operators;
mod provision;
mod refunds;
mod staff;
mod stripe;
mod websec;

pub use config::Settings;
pub use staff::{LoginLimits, remove as remove_staff};

use krafto_auth::TokenKeys;
use krafto_db::{Db, DbRole};
use krafto_payments::{GatewayMode, PaymentGateway};
use krafto_tenancy::ChangePublisher;
use krafto_web::RequestContext;
use poem::{Endpoint, EndpointExt, Response, Route};
use poem_openapi::OpenApiService;
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::sync::Arc;

/// Everything a control-plane handler may use.
#[derive(Clone, Debug)]
pub struct ControlState {
    pub db: Db,
    pub keys: TokenKeys,
    pub changes: ChangePublisher,
    pub base_domain: String,
    pub storefront_url: String,
    /// Creates marketplaces' Connect accounts: Stripe, or the built-in test gateway.
    pub gateway: Arc<dyn PaymentGateway>,
    /// Limits on staff password attempts, per client and per address.
    pub login_limits: staff::LoginLimits,
    /// Revoked tokens (staff tokens are checked against them; removing an operator revokes
    /// theirs on every platform instance).
    pub revocations: krafto_auth::Revocations,
    /// Requests not answered within this are answered 503.
    pub request_timeout: std::time::Duration,
    /// Opens `/metrics` on the public listener.
    pub metrics_token: Option<secrecy::SecretString>,
    /// Proxies whose `X-Forwarded-For` entries are trusted (0: none; then neither is the
    /// scheme in `X-Forwarded-Proto`).
    pub trusted_proxy_hops: usize,
}

impl ControlState {
    pub async fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let redis_url = settings.redis.as_ref().map(|r| r.url.expose_secret());
        let limiter =
            krafto_web::ratelimit::Limiter::connect(redis_url, &settings.rate_limits.redis_prefix)
                .await
                .map_err(|e| anyhow::anyhow!("REDIS_URL: cannot connect for rate limits: {e}"))?;
        let db = settings.database.connect(DbRole::Control)?;
        let revocations = krafto_auth::Revocations::start(
            db.clone(),
            redis_url,
            &settings.rate_limits.redis_prefix,
        )
        .await
        .map_err(|e| anyhow::anyhow!("revoked tokens: {e}"))?;
        Ok(Self {
            trusted_proxy_hops: settings.proxy.trusted_hops(),
            login_limits: staff::LoginLimits::new(&limiter, &settings.rate_limits),
            revocations,
            db,
            keys: TokenKeys::from_hex(&settings.auth.root_key)?,
            changes: ChangePublisher::connect(
                settings.redis.as_ref().map(|r| r.url.expose_secret()),
            )
            .await
            .map_err(|e| anyhow::anyhow!("REDIS_URL: cannot connect: {e}"))?,
            base_domain: settings.site.base_domain.clone(),
            storefront_url: settings.site.storefront_url.clone(),
            gateway: settings
                .payments
                .gateway()
                .map_err(|e| anyhow::anyhow!("STRIPE_SECRET_KEY / STRIPE_API_BASE: {e}"))?,
            request_timeout: settings.limits.request_timeout,
            metrics_token: settings.metrics.token.clone(),
        })
    }

    pub(crate) fn tenants_base_domain(&self) -> &str {
        &self.base_domain
    }

    /// The host a marketplace always answers on: `{slug}.{base domain}`.
    pub fn slug_host(&self, slug: &str) -> String {
        format!("{slug}.{}", self.base_domain)
    }

    /// The storefront URL of a host.
    pub fn storefront(&self, host: &str) -> String {
        self.storefront_url.replace("{host}", host)
    }

    /// Whether payments run through the built-in test gateway.
    pub fn test_mode(&self) -> bool {
        self.gateway.mode() == GatewayMode::Test
    }
}

pub(crate) fn openapi_service() -> OpenApiService<api::ControlApi, ()> {
    OpenApiService::new(api::ControlApi, "Krafto control plane API", env!("CARGO_PKG_VERSION"))
        .description("For Krafto staff: provision and tune marketplaces. Errors are `application/problem+json` with a stable `code`.")
        .server("/control/v1")
}

/// The committed document `openapi/tenant-admin.json`.
pub fn openapi_json() -> String {
    krafto_web::openapi::document(&openapi_service().spec())
}

/// Largest request body read on any route (counted as read, chunked bodies included).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn app(state: ControlState) -> impl Endpoint<Output = Response> {
    let api = openapi_service();
    let docs = api.swagger_ui();
    let doc = openapi_json();
    let allow = krafto_web::AllowMethods::new(krafto_web::AllowTable::from_openapi(&doc));
    let spec = krafto_web::openapi::document_endpoint(doc);
    let db = state.db.clone();
    let metrics_token = state.metrics_token.clone();
    let deadline = krafto_web::deadline::Deadline(state.request_timeout);
    let form_guard = websec::form_guard(&state);
    let headers = websec::security_headers(&state);
    let routes = Route::new()
        .nest("/control/v1", api.with(allow))
        .nest("/docs", docs)
        .at("/openapi.json", spec);
    krafto_web::with_ops_routes(console::routes(routes), db, metrics_token)
        .with(form_guard)
        .data(state)
        .with(krafto_web::input::InputGuard)
        .with(krafto_web::limits::BodyLimit::new(MAX_BODY_BYTES))
        .with(deadline)
        .with(websec::problem_pages())
        .with(RequestContext {
            server: "tenant-admin",
        })
        .with(headers)
}

/// Serves the app on `addr` until `shutdown` resolves (see [`krafto_web::serve`]).
pub async fn serve(
    state: ControlState,
    addr: &str,
    bound: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    krafto_web::serve("tenant-admin", app(state), addr, bound, shutdown).await
}
