//! The tenant gate: resolves the `Host` of every API request and page to a marketplace,
//! refuses unknown hosts and suspended marketplaces, verifies the page session once, and
//! hands the tenant to the handlers. It is the one middleware [`crate::ctx::Ctx`] relies on:
//! it inserts the [`CurrentTenant`] (and the verified session) that `Ctx` reads, next to the
//! `RequestId` that krafto-web's `RequestContext` inserted before it.

use crate::AppState;
use krafto_api_types::Code;
use krafto_core::TenantStatus;
use krafto_tenancy::TenantRef;
use krafto_web::ApiError;
use poem::{Endpoint, Middleware, Request, Result};
use std::ops::Deref;

/// The marketplace this request is for.
#[derive(Debug, Clone)]
pub struct CurrentTenant(pub TenantRef);

impl CurrentTenant {
    /// The door to this marketplace's data: the host gate resolved the request to it.
    pub fn scope(&self) -> krafto_db::TenantScope {
        krafto_db::TenantScope::resolved(&self.0)
    }

    pub fn tenant_id(&self) -> krafto_db::TenantId {
        krafto_db::TenantId::from_uuid(self.0.id)
    }
}

impl Deref for CurrentTenant {
    type Target = krafto_db::models::Tenant;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

pub(crate) struct TenantGate;

impl<E: Endpoint> Middleware<E> for TenantGate {
    type Output = TenantGateEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        TenantGateEndpoint(ep)
    }
}

pub(crate) struct TenantGateEndpoint<E>(E);

/// The host the client asked for: `Host` (HTTP/1.1) or the URI authority (HTTP/2).
fn requested_host(req: &Request) -> Option<String> {
    req.header("host")
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_owned()))
}

impl<E: Endpoint> Endpoint for TenantGateEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let state = req
            .data::<AppState>()
            .cloned()
            .ok_or_else(|| ApiError::internal(&"application state missing"))?;
        let host = requested_host(&req).unwrap_or_default();
        let tenant = match state.tenants.resolve(&host).await {
            Ok(Some(t)) => t,
            Ok(None) => {
                return Err(ApiError::not_found(
                    Code::UnknownTenant,
                    format!("no marketplace answers at host `{host}`"),
                )
                .into());
            }
            Err(e) => return Err(ApiError::from(&*e).into()),
        };
        tracing::Span::current().record("tenant.id", tracing::field::display(tenant.id));
        match tenant.status {
            TenantStatus::Active => {}
            TenantStatus::Suspended => {
                return Err(ApiError::forbidden(format!(
                    "the marketplace `{}` is suspended and not serving requests",
                    tenant.slug
                ))
                .with_code(Code::TenantSuspended)
                .into());
            }
        }
        // A page's session cookie is verified here, once, for this marketplace.
        if let Some(session) = crate::web::account::verify_session(&req, &state, tenant.id) {
            req.extensions_mut().insert(session);
        }
        // What `Ctx` reads: the marketplace (the request id is already there).
        req.extensions_mut().insert(CurrentTenant(tenant));
        self.0.call(req).await
    }
}

/// Keeps the API's documentation off a marketplace's host unless the marketplace opened
/// its public API (a flag of the control plane): a buyer typing `/docs` on a white-label
/// storefront finds nothing of the machinery. Hosts of no marketplace (the deployment's
/// own) keep them.
pub(crate) struct DocsOffTenantHosts;

impl<E: Endpoint> Middleware<E> for DocsOffTenantHosts {
    type Output = DocsOffTenantHostsEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        DocsOffTenantHostsEndpoint(ep)
    }
}

pub(crate) struct DocsOffTenantHostsEndpoint<E>(E);

impl<E: Endpoint> Endpoint for DocsOffTenantHostsEndpoint<E> {
    type Output = poem::Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        let state = req
            .data::<AppState>()
            .cloned()
            .ok_or_else(|| ApiError::internal(&"application state missing"))?;
        let host = requested_host(&req).unwrap_or_default();
        if let Ok(Some(t)) = state.tenants.resolve(&host).await
            && !t.public_api
        {
            return Err(ApiError::not_found(Code::NotFound, "no such page").into());
        }
        self.0
            .call(req)
            .await
            .map(poem::IntoResponse::into_response)
    }
}
