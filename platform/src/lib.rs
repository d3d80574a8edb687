//! The tenant-facing server: every request is routed by `Host` to one marketplace, then
//! served by the store, auth and operator APIs.
//!
//! Tenant data is only ever read inside a transaction scoped to the tenant the host
//! resolved to; nothing here may fall back to a default tenant.

mod api;
pub mod config;
mod gate;
mod otp;

pub use config::Settings;
pub use gate::CurrentTenant;
pub use otp::OtpPolicy;

use krafto_auth::TokenKeys;
use krafto_db::{Db, DbRole};
use krafto_mail::Mailer;
use krafto_tenancy::{CacheTtl, TenantResolver};
use krafto_web::RequestContext;
use poem::http::StatusCode;
use poem::web::Json;
use poem::{Endpoint, EndpointExt, IntoResponse, Response, Route, get};
use poem_openapi::OpenApiService;
use std::net::SocketAddr;

/// Everything a request handler may use; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub tenants: TenantResolver,
    pub keys: TokenKeys,
    pub mailer: Mailer,
    pub otp: OtpPolicy,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted ingress).
    pub trust_forwarded_for: bool,
}

impl AppState {
    /// Builds the state from settings: pools, caches, keys, mailer; subscribes to tenant
    /// changes when Redis is configured.
    pub async fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let db = Db::connect(&settings.database_url, DbRole::App, settings.db_pool_size)?;
        let tenants = TenantResolver::new(
            db.clone(),
            &settings.base_domain,
            CacheTtl::for_invalidation(settings.redis_url.is_some()),
        );
        if let Some(url) = &settings.redis_url {
            let subscriber = krafto_tenancy::listen_for_changes(url, tenants.clone())
                .await
                .map_err(|e| {
                    anyhow::anyhow!("REDIS_URL: cannot subscribe to tenant changes: {e}")
                })?;
            // The subscriber lives as long as the process.
            std::mem::forget(subscriber);
        }
        Ok(Self {
            db,
            tenants,
            keys: TokenKeys::from_hex(&settings.root_key)?,
            mailer: Mailer::from_settings(
                settings.mail_dir.clone(),
                settings.smtp_url.as_deref(),
                &settings.mail_from,
            )?,
            otp: OtpPolicy::default(),
            trust_forwarded_for: settings.trust_forwarded_for,
        })
    }
}

type Apis = (api::StoreApi, api::AuthApi, api::AdminApi);

/// The OpenAPI service of the platform API (mounted at `/api/v1`).
pub(crate) fn openapi_service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (api::StoreApi, api::AuthApi, api::AdminApi),
        "Krafto platform API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "Served on each marketplace's own host: the `Host` header selects the marketplace. \
         Errors are `application/problem+json` with a stable `code`.",
    )
    .server("/api/v1")
}

/// The committed document `openapi/platform.json`.
pub fn openapi_json() -> String {
    openapi_service().spec()
}

/// The whole HTTP application.
pub fn app(state: AppState) -> impl Endpoint<Output = Response> {
    let api = openapi_service();
    let docs = api.swagger_ui();
    let spec = api.spec_endpoint();
    Route::new()
        .nest("/api/v1", api.with(gate::TenantGate))
        .nest("/docs", docs)
        .at("/openapi.json", spec)
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .at("/metrics", krafto_web::metrics_endpoint())
        .data(state)
        .with(RequestContext { server: "platform" })
}

#[poem::handler]
fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

#[poem::handler]
async fn readyz(state: poem::web::Data<&AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ready", "database": "ok" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
            )
                .into_response()
        }
    }
}

/// Serves `state` on `addr` until `shutdown` resolves; returns the bound address through
/// `bound` as soon as the socket listens.
pub async fn serve(
    state: AppState,
    addr: &str,
    bound: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (acceptor, local) = krafto_web::bind(addr).await?;
    tracing::info!(addr = %local, "platform listening");
    if let Some(tx) = bound {
        let _ = tx.send(local);
    }
    poem::Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(
            app(state),
            shutdown,
            Some(std::time::Duration::from_secs(10)),
        )
        .await?;
    Ok(())
}
