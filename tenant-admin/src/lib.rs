//! The control plane for Krafto staff: provisions marketplaces, their domains, branding,
//! fees, flags and operators; runs migrations.
//!
//! It reaches a tenant's rows only inside a transaction scoped to that tenant, like the
//! platform does; control-plane tables (tenants, domains, staff) are its own.

mod api;
pub mod config;
pub mod demo;
mod provision;

pub use config::Settings;

use krafto_auth::TokenKeys;
use krafto_db::{Db, DbRole};
use krafto_tenancy::ChangePublisher;
use krafto_web::RequestContext;
use poem::web::Json;
use poem::{Endpoint, EndpointExt, IntoResponse, Response, Route, get};
use poem_openapi::OpenApiService;
use std::net::SocketAddr;

/// Everything a control-plane handler may use.
#[derive(Clone, Debug)]
pub struct ControlState {
    pub db: Db,
    pub keys: TokenKeys,
    pub changes: ChangePublisher,
    pub base_domain: String,
    pub storefront_url: String,
}

impl ControlState {
    pub async fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        Ok(Self {
            db: Db::connect(
                &settings.database_url,
                DbRole::Control,
                settings.db_pool_size,
            )?,
            keys: TokenKeys::from_hex(&settings.root_key)?,
            changes: ChangePublisher::connect(settings.redis_url.as_deref())
                .await
                .map_err(|e| anyhow::anyhow!("REDIS_URL: cannot connect: {e}"))?,
            base_domain: settings.base_domain.to_ascii_lowercase(),
            storefront_url: settings.storefront_url.clone(),
        })
    }

    pub(crate) fn tenants_base_domain(&self) -> &str {
        &self.base_domain
    }

    /// The storefront URL of a host.
    pub fn storefront(&self, host: &str) -> String {
        self.storefront_url.replace("{host}", host)
    }
}

pub(crate) fn openapi_service() -> OpenApiService<api::ControlApi, ()> {
    OpenApiService::new(api::ControlApi, "Krafto control plane API", env!("CARGO_PKG_VERSION"))
        .description("For Krafto staff: provision and tune marketplaces. Errors are `application/problem+json` with a stable `code`.")
        .server("/control/v1")
}

/// The committed document `openapi/tenant-admin.json`.
pub fn openapi_json() -> String {
    openapi_service().spec()
}

pub fn app(state: ControlState) -> impl Endpoint<Output = Response> {
    let api = openapi_service();
    let docs = api.swagger_ui();
    let spec = api.spec_endpoint();
    Route::new()
        .nest("/control/v1", api)
        .nest("/docs", docs)
        .at("/openapi.json", spec)
        .at("/healthz", get(healthz))
        .at("/readyz", get(readyz))
        .at("/metrics", krafto_web::metrics_endpoint())
        .data(state)
        .with(RequestContext {
            server: "tenant-admin",
        })
}

#[poem::handler]
fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

#[poem::handler]
async fn readyz(state: poem::web::Data<&ControlState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        Err(_) => (
            poem::http::StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "unavailable" })),
        )
            .into_response(),
    }
}

pub async fn serve(
    state: ControlState,
    addr: &str,
    bound: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (acceptor, local) = krafto_web::bind(addr).await?;
    tracing::info!(addr = %local, "tenant-admin listening");
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
