//! Where Prometheus reads `/metrics`: never on the public listeners as such. Either on an
//! internal listener of its own ([`serve_metrics`], `KRAFTO_METRICS_ADDR`, loopback or a
//! cluster-internal address), or on the public listeners to a scraper that sends the
//! bearer token `KRAFTO_METRICS_TOKEN`. Anyone else gets the 404 of a route that does not
//! exist.

use crate::metrics_endpoint;
use poem::{Endpoint, EndpointExt, Request, Response, Route};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

/// Whether `req` carries `Authorization: Bearer <token>`. Digests are compared, so the time
/// taken says nothing about the token.
fn carries(req: &Request, token: &SecretString) -> bool {
    let Some(sent) = req
        .header("authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    Sha256::digest(sent.trim().as_bytes()) == Sha256::digest(token.expose_secret().as_bytes())
}

/// `/metrics` on a public listener: for the holder of `token` only, a 404 to everyone else
/// (and to everyone when there is no token).
pub(crate) fn public_metrics(token: Option<SecretString>) -> PublicMetrics {
    PublicMetrics { token }
}

pub(crate) struct PublicMetrics {
    token: Option<SecretString>,
}

impl std::fmt::Debug for PublicMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicMetrics")
            .field("token", &self.token.is_some())
            .finish()
    }
}

impl Endpoint for PublicMetrics {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        if self.token.as_ref().is_some_and(|t| carries(&req, t)) {
            metrics_endpoint().call(req).await
        } else {
            // The same answer as a route that does not exist.
            Err(poem::error::NotFoundError.into())
        }
    }
}

/// Serves the internal metrics listener when `config` names one, until `shutdown`
/// resolves; returns at once otherwise.
pub async fn serve_configured_metrics(
    config: &crate::config::MetricsConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    match &config.addr {
        Some(addr) => serve_metrics(addr, None, shutdown).await,
        None => Ok(()),
    }
}

/// Serves `/metrics` alone on `addr` until `shutdown` resolves; sends the bound address
/// through `bound`.
pub async fn serve_metrics(
    addr: &str,
    bound: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = Route::new()
        .at("/metrics", metrics_endpoint())
        .map_to_response();
    crate::serve("metrics", app, addr, bound, shutdown).await
}
