//! The tenant-facing server: every request is routed by `Host` to one marketplace, then
//! served by the store, auth and operator APIs.
//!
//! Tenant data is only ever read inside a transaction scoped to the tenant the host
//! resolved to; nothing here may fall back to a default tenant.

mod accounts;
mod api;
mod catalog;
mod commerce;
pub mod config;
mod ctx;
pub mod demo;
mod gate;
mod marketplace;
mod moderation;
mod otp;
mod payments;
pub mod ratelimit;
mod sessions;
pub(crate) mod web;
mod websec;
pub mod worker;

pub use commerce::reconcile;
pub use config::Settings;
pub use gate::CurrentTenant;
pub use otp::OtpPolicy;

use krafto_auth::{TokenKeys, UserTokenVerifier};
use krafto_db::{Db, DbRole};
use krafto_mail::Mailer;
use krafto_tenancy::{CacheTtl, ChangePublisher, TenantChanged, TenantResolver};
use krafto_web::RequestContext;
use poem::{Endpoint, EndpointExt, Response, Route};
use poem_openapi::OpenApiService;
use secrecy::ExposeSecret;
use std::net::SocketAddr;

/// Everything a request handler may use; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub tenants: TenantResolver,
    pub keys: TokenKeys,
    /// Verifies bearer tokens, caching the verified ones.
    pub verifier: UserTokenVerifier,
    /// Announces tenant changes made here (categories) to every instance.
    pub changes: ChangePublisher,
    /// Listing search: OpenSearch when `OPENSEARCH_URL` is set, Postgres otherwise.
    pub search: std::sync::Arc<dyn krafto_search::SearchEngine>,
    /// Announce every catalog change to the search index through the outbox (set with
    /// OpenSearch; Postgres search reads the tables themselves).
    pub search_sync: bool,
    pub mailer: Mailer,
    pub otp: OtpPolicy,
    /// Proxies trusted to append the client's address to `X-Forwarded-For` (0: none, the
    /// peer is the client).
    pub trusted_proxy_hops: usize,
    /// Takes payments and pays sellers: Stripe, or the built-in test gateway.
    pub gateway: std::sync::Arc<dyn krafto_payments::PaymentGateway>,
    /// Webhook signing secrets.
    pub payments: krafto_payments::PaymentSettings,
    /// `https://{host}`-style template of storefront links (e-mails).
    pub storefront_url: String,
    /// How long a checkout holds stock while the buyer pays.
    pub checkout_hold: std::time::Duration,
    /// Marketplaces live at `{slug}.{base_domain}`.
    pub base_domain: String,
    /// The Redis subscription that keeps `tenants` fresh (kept alive with the state).
    pub tenant_changes: Option<fred::clients::SubscriberClient>,
    /// Rate limits of the API and sign-in (shared through Redis when configured).
    pub limits: ratelimit::RateLimits,
    /// Revoked tokens: checked by `verifier`, shared with every instance.
    pub revocations: krafto_auth::Revocations,
    /// Requests not answered within this are answered 503.
    pub request_timeout: std::time::Duration,
    /// Opens `/metrics` on the public listener.
    pub metrics_token: Option<secrecy::SecretString>,
    /// Uploaded pictures: their storage, limits and the fetcher of imported ones.
    pub media: krafto_media::Media,
}

impl AppState {
    /// Builds the state from settings: pools, caches, keys, mailer; subscribes to tenant
    /// changes when Redis is configured.
    pub async fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let db = settings.database.connect(DbRole::App)?;
        let tenants = TenantResolver::new(
            db.clone(),
            &settings.site.base_domain,
            CacheTtl::for_invalidation(settings.redis.is_some()),
        );
        let tenant_changes = match &settings.redis {
            Some(redis) => Some(
                krafto_tenancy::listen_for_changes(redis.url.expose_secret(), tenants.clone())
                    .await
                    .map_err(|e| {
                        anyhow::anyhow!("REDIS_URL: cannot subscribe to tenant changes: {e}")
                    })?,
            ),
            None => None,
        };
        let keys = TokenKeys::from_hex(&settings.auth.root_key)?;
        let changes =
            ChangePublisher::connect(settings.redis.as_ref().map(|r| r.url.expose_secret()))
                .await
                .map_err(|e| anyhow::anyhow!("REDIS_URL: cannot connect: {e}"))?;
        let opensearch_url = settings.search.opensearch_url.as_ref();
        let search: std::sync::Arc<dyn krafto_search::SearchEngine> = match opensearch_url {
            Some(url) => std::sync::Arc::new(
                krafto_search::OpenSearch::new(url.expose_secret(), &settings.search.index_prefix)
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            ),
            None => std::sync::Arc::new(krafto_search::PgSearch::new(db.clone())),
        };
        let limiter = krafto_web::ratelimit::Limiter::connect(
            settings.redis.as_ref().map(|r| r.url.expose_secret()),
            &settings.rate_limits.redis_prefix,
        )
        .await
        .map_err(|e| anyhow::anyhow!("REDIS_URL: cannot connect for rate limits: {e}"))?;
        let revocations = krafto_auth::Revocations::start(
            db.clone(),
            settings.redis.as_ref().map(|r| r.url.expose_secret()),
            &settings.rate_limits.redis_prefix,
        )
        .await
        .map_err(|e| anyhow::anyhow!("revoked tokens: {e}"))?;
        Ok(Self {
            limits: ratelimit::RateLimits::new(limiter, &settings.rate_limits),
            verifier: UserTokenVerifier::new(keys.clone(), revocations.list().clone()),
            revocations,
            search,
            search_sync: opensearch_url.is_some(),
            db,
            tenants,

            keys,
            changes,
            mailer: Mailer::from_settings(
                settings.mail.dir.clone(),
                settings.mail.smtp_url.as_ref().map(|u| u.expose_secret()),
                &settings.mail.from,
            )?,
            otp: OtpPolicy::default(),
            trusted_proxy_hops: settings.http.proxy.trusted_hops(),
            tenant_changes,
            gateway: settings
                .payments
                .gateway()
                .map_err(|e| anyhow::anyhow!("STRIPE_SECRET_KEY / STRIPE_API_BASE: {e}"))?,
            payments: settings.payments.clone(),
            storefront_url: settings.site.storefront_url.clone(),
            checkout_hold: settings.checkout.hold,
            base_domain: settings.site.base_domain.clone(),
            request_timeout: settings.limits.request_timeout,
            metrics_token: settings.metrics.token.clone(),
            media: krafto_media::Media::from_config(&settings.media)
                .map_err(|e| anyhow::anyhow!("KRAFTO_MEDIA_DIR / KRAFTO_S3_BUCKET: {e}"))?,
        })
    }
}

impl AppState {
    /// The storefront base URL of a host (`https://lyon.krafto.example`).
    pub fn storefront(&self, host: &str) -> String {
        self.storefront_url.replace("{host}", host)
    }

    /// The marketplace's own host (`{slug}.{base_domain}`).
    pub fn tenant_host(&self, tenant: &krafto_db::models::Tenant) -> String {
        format!("{}.{}", tenant.slug, self.base_domain)
    }

    /// Whether payments run through the built-in test gateway.
    pub fn test_mode(&self) -> bool {
        self.gateway.mode() == krafto_payments::GatewayMode::Test
    }

    /// Drops this instance's cached view of a tenant and tells the other instances to do
    /// the same. Call after committing a change to anything the cache holds.
    pub async fn tenant_changed(&self, tenant_id: uuid::Uuid) {
        let change = TenantChanged {
            tenant_id,
            hosts: Vec::new(),
        };
        self.tenants.invalidate(&change).await;
        self.changes.publish(&change).await;
    }
}

type Apis = (
    api::StoreApi,
    api::BrowseApi,
    api::AuthApi,
    api::SellerApi,
    api::AdminApi,
    api::ModerationApi,
    api::BuyApi,
    api::SellingApi,
    api::OrdersAdminApi,
    api::AccountApi,
);

/// The OpenAPI service of the platform API (mounted at `/api/v1`).
pub(crate) fn openapi_service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            api::StoreApi,
            api::BrowseApi,
            api::AuthApi,
            api::SellerApi,
            api::AdminApi,
            api::ModerationApi,
            api::BuyApi,
            api::SellingApi,
            api::OrdersAdminApi,
            api::AccountApi,
        ),
        "Krafto platform API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "Served on each marketplace's own host: the `Host` header selects the marketplace. \
         Errors are `application/problem+json` with a stable `code`. \
         Requests are rate-limited per client address and per marketplace (sign-in more \
         tightly); every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and \
         `RateLimit-Reset` (seconds), and a refusal is a 429 `rate_limited` problem with \
         `Retry-After` (seconds).",
    )
    .server("/api/v1")
}

/// The committed document `openapi/platform.json`.
pub fn openapi_json() -> String {
    krafto_web::openapi::document(&openapi_service().spec())
}

/// Largest request body read on any route but the CSV imports.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Largest body of a CSV import: the file's own limit, three times over for a pasted file
/// sent percent-encoded by the import page's form.
pub const MAX_IMPORT_BODY_BYTES: usize = 3 * catalog::import::MAX_BYTES;

/// Largest body of a picture upload (several pictures at once; each is also held to the
/// media limit, `KRAFTO_MEDIA_MAX_MB`).
pub const MAX_UPLOAD_BODY_BYTES: usize = 64 * 1024 * 1024;

/// What each route may read (counted as read, chunked bodies included).
fn body_limit() -> krafto_web::limits::BodyLimit {
    krafto_web::limits::BodyLimit::new(MAX_BODY_BYTES)
        .route("/api/v1/seller/listings/import", MAX_IMPORT_BODY_BYTES)
        .route("/sell/import", MAX_IMPORT_BODY_BYTES)
        .route("/api/v1/seller/listings/*/photos", MAX_UPLOAD_BODY_BYTES)
        .route("/sell/listings/*/photos", MAX_UPLOAD_BODY_BYTES)
        .route("/api/v1/seller/shop/logo", MAX_UPLOAD_BODY_BYTES)
        .route("/api/v1/seller/shop/banner", MAX_UPLOAD_BODY_BYTES)
        .route("/sell/shop/images", MAX_UPLOAD_BODY_BYTES)
        .route("/admin/branding/logo", MAX_UPLOAD_BODY_BYTES)
        .route("/api/v1/admin/branding/logo", MAX_UPLOAD_BODY_BYTES)
}

/// The whole HTTP application.
pub fn app(state: AppState) -> impl Endpoint<Output = Response> {
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
    let problem_pages = websec::problem_pages(&state);
    // Everything a marketplace serves, behind the one tenant gate: its pages, its API and the
    // test-mode onboarding page.
    let marketplace_routes = Route::new()
        .at("/", poem::get(web::home))
        .at("/language/:code", poem::get(web::choose_language))
        .at("/listings/:id", poem::get(web::listing_page))
        .at("/shops/:slug", poem::get(web::shop_page))
        .at("/legal/:page", poem::get(web::legal_page))
        .at("/search", poem::get(web::search_page))
        .at(
            "/sign-in",
            poem::get(web::account::sign_in_page).post(web::account::send_code),
        )
        .at("/sign-in/code", poem::post(web::account::check_code))
        .at("/sign-out", poem::post(web::account::sign_out))
        .at(
            "/my/orders",
            poem::get(
                web::account::my_orders.data(web::account::SignInAt("/sign-in?next=/my/orders")),
            ),
        )
        .at("/account", poem::get(web::me::show))
        .at("/account/profile", poem::post(web::me::save_profile))
        .at("/account/addresses", poem::post(web::me::add_address))
        .at(
            "/account/addresses/:id",
            poem::get(web::me::edit_address).post(web::me::update_address),
        )
        .at(
            "/account/addresses/:id/default",
            poem::post(web::me::make_default),
        )
        .at(
            "/account/addresses/:id/delete",
            poem::post(web::me::delete_address),
        )
        .at(
            "/account/delete",
            poem::get(web::me::delete_form).post(web::me::delete_submit),
        )
        .at(
            "/report",
            poem::get(web::report::report_form)
                .post(web::report::report_submit.data(web::account::SignInAt("/sign-in"))),
        )
        .at("/categories/:slug", poem::get(web::category_page))
        .at(
            format!("{}/:key/:file", krafto_media::PUBLIC_PREFIX),
            poem::get(web::media_file),
        )
        .at("/cart", poem::get(web::buy::cart_page))
        .at("/cart/add", poem::post(web::buy::cart_add))
        .at("/cart/remove", poem::post(web::buy::cart_remove))
        .at("/cart/update", poem::post(web::buy::cart_update))
        .at(
            "/checkout",
            poem::get(web::buy::checkout_form).post(web::buy::checkout_submit),
        )
        .at(
            "/checkout/:id/pay",
            poem::get(web::buy::pay_page).post(web::buy::pay_submit),
        )
        .at("/checkout/:id/done", poem::get(web::buy::done_page))
        .at("/orders/:number", poem::get(web::buy::order_page))
        .at(
            "/orders/:number/refund-requests",
            poem::post(web::buy::ask_refund),
        )
        .at(
            "/orders/:number/refund-requests/:id/withdraw",
            poem::post(web::buy::withdraw_refund),
        )
        .nest("/sell", web::sell::routes())
        // --- operator console (/admin): every page and form checks the operator role ---
        .at("/admin", poem::get(web::admin::show_dashboard))
        .at("/admin/review", poem::get(web::admin::show_review))
        .at(
            "/admin/shops/:id/approve",
            poem::post(web::admin::approve_shop),
        )
        .at(
            "/admin/shops/:id/reject",
            poem::post(web::admin::reject_shop),
        )
        .at(
            "/admin/listings/:id/approve",
            poem::post(web::admin::approve_listing),
        )
        .at(
            "/admin/listings/:id/reject",
            poem::post(web::admin::reject_listing),
        )
        .at(
            "/admin/verifications/:id/approve",
            poem::post(web::admin::approve_verification),
        )
        .at(
            "/admin/verifications/:id/reject",
            poem::post(web::admin::reject_verification),
        )
        .at("/admin/reports", poem::get(web::admin::show_reports))
        .at(
            "/admin/reports/:id/resolve",
            poem::post(web::admin::resolve_report),
        )
        .at(
            "/admin/categories",
            poem::get(web::admin::show_categories).post(web::admin::create_category),
        )
        .at(
            "/admin/categories/:id",
            poem::post(web::admin::update_category),
        )
        .at(
            "/admin/categories/:id/delete",
            poem::post(web::admin::delete_category),
        )
        .at(
            "/admin/commissions",
            poem::get(web::admin::show_commissions).post(web::admin::save_commission),
        )
        .at(
            "/admin/commissions/:id/remove",
            poem::post(web::admin::remove_commission),
        )
        .at(
            "/admin/settings",
            poem::get(web::admin::show_settings).post(web::admin::save_settings),
        )
        .at("/admin/branding", poem::post(web::admin::save_branding))
        .at("/admin/branding/logo", poem::post(web::admin::upload_logo))
        .at(
            "/admin/branding/logo/remove",
            poem::post(web::admin::remove_logo),
        )
        .at("/admin/orders", poem::get(web::admin::orders_list))
        .at("/admin/orders/:number", poem::get(web::admin::order))
        .at(
            "/admin/orders/:number/cancel",
            poem::post(web::admin::cancel_order),
        )
        .at(
            "/admin/orders/:number/refund",
            poem::post(web::admin::refund_order),
        )
        .at(
            "/admin/orders/:number/refunds",
            poem::post(web::admin::refund_lines),
        )
        .at(
            "/admin/orders/:number/refund-requests/:id/:decision",
            poem::post(web::admin::decide_request),
        )
        .at("/admin/refunds", poem::get(web::admin::show_refunds))
        .at("/admin/audit", poem::get(web::admin::show_audit))
        .at("/admin/disputes", poem::get(web::admin::show_disputes))
        .at(
            "/admin/disputes/:id",
            poem::post(web::admin::save_dispute_evidence),
        )
        .at(
            "/admin/reconciliation",
            poem::get(web::admin::show_reconciliation),
        )
        .at("/admin/legal", poem::get(web::admin::show_legal))
        .at("/admin/legal/:page", poem::post(web::admin::save_legal))
        // --- end of the operator console ---
        .nest("/api/v1", api.with(allow))
        .nest(
            "/test-mode",
            Route::new().at(
                "/onboarding/:account",
                poem::get(payments::test_onboarding_page).post(payments::test_onboarding_complete),
            ),
        );
    // What answers on any host: assets, Stripe's webhooks (mapped to a marketplace by the
    // event, never by host), the API documents.
    let routes = Route::new()
        .at("/assets/krafto.css", poem::get(web::stylesheet))
        .at("/assets/krafto.js", poem::get(web::script))
        .at("/assets/htmx-2.0.11.min.js", poem::get(web::htmx))
        .at("/webhooks/stripe", poem::post(payments::stripe_webhook))
        .at(
            "/webhooks/stripe/connect",
            poem::post(payments::stripe_connect_webhook),
        )
        .nest("/docs", docs.with(gate::DocsOffTenantHosts))
        .at("/openapi.json", spec.with(gate::DocsOffTenantHosts))
        .nest(
            "/",
            marketplace_routes
                .with(form_guard)
                .with(ratelimit::Limited)
                .with(gate::TenantGate),
        );
    krafto_web::with_ops_routes(routes, db, metrics_token)
        .data(state)
        .with(krafto_web::input::InputGuard)
        .with(body_limit())
        .with(deadline)
        .with(problem_pages)
        .with(RequestContext { server: "platform" })
        .with(headers)
}

/// Serves the app on `addr` until `shutdown` resolves (see [`krafto_web::serve`]).
pub async fn serve(
    state: AppState,
    addr: &str,
    bound: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    krafto_web::serve("platform", app(state), addr, bound, shutdown).await
}
