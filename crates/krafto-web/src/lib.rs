//! HTTP plumbing shared by both servers: the settings they share ([`config`]), telemetry
//! set-up, the request middleware (request id, span, metrics, problem rendering), the
//! Prometheus endpoint and serving.
//!
//! Nothing here knows about tenants or any domain rule; and it must never log request or
//! response bodies, tokens or codes.

mod allow;
pub mod config;
pub mod csrf;
pub mod deadline;
mod error;
pub mod forwarded;
pub mod headers;
pub mod input;
pub mod limits;
pub mod notice;
pub mod openapi;
pub mod pages;
pub mod ratelimit;
pub mod redirect;
mod scrape;
pub mod views;

pub use allow::{AllowMethods, AllowTable};
pub use error::{ApiError, ApiResult, DbResultExt, OptionExt, problem_response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use poem::http::{HeaderValue, StatusCode};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
pub use scrape::{serve_configured_metrics, serve_metrics};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;
use tracing::Instrument;

/// The id of the current request (from `X-Request-Id` when sane, otherwise new).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Log output shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

impl LogFormat {
    /// `KRAFTO_LOG_FORMAT=json|pretty`; JSON unless stdout is a terminal.
    pub fn from_env(env: &krafto_core::env::Env) -> Result<Self, krafto_core::env::EnvError> {
        match env.optional("KRAFTO_LOG_FORMAT")?.as_deref() {
            Some("json") => Ok(LogFormat::Json),
            Some("pretty") => Ok(LogFormat::Pretty),
            Some(other) => Err(krafto_core::env::EnvError::invalid(
                "KRAFTO_LOG_FORMAT",
                other,
                "json or pretty",
            )),
            None if std::io::IsTerminal::is_terminal(&std::io::stdout()) => Ok(LogFormat::Pretty),
            None => Ok(LogFormat::Json),
        }
    }
}

/// Installs the global subscriber (`RUST_LOG` filters, default `info`). Safe to call twice.
pub fn init_telemetry(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}

/// The process-wide Prometheus recorder (installed on first use).
pub fn metrics_handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&[
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ])
            .map(PrometheusBuilder::build_recorder)
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// `GET /metrics` in Prometheus text format.
pub fn metrics_endpoint() -> impl Endpoint<Output = Response> {
    poem::endpoint::make_sync(|_| {
        Response::builder()
            .content_type("text/plain; version=0.0.4")
            .body(metrics_handle().render())
    })
}

/// Wraps every request: assigns its id, opens its span (`request.id`, `tenant.id` and
/// `user.id` are recorded into it by later layers), renders errors as problems, and records
/// `http_requests_total` and `http_request_duration_seconds`.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext {
    pub server: &'static str,
}

impl<E: Endpoint> Middleware<E> for RequestContext {
    type Output = RequestContextEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        metrics_handle();
        RequestContextEndpoint {
            inner: ep,
            server: self.server,
        }
    }
}

#[derive(Debug)]
pub struct RequestContextEndpoint<E> {
    inner: E,
    server: &'static str,
}

fn sane_request_id(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl<E: Endpoint> Endpoint for RequestContextEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Response> {
        let started = Instant::now();
        let id = req
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| sane_request_id(v))
            .map(str::to_owned)
            .unwrap_or_else(|| uuid::Uuid::now_v7().simple().to_string());
        req.extensions_mut().insert(RequestId(id.clone()));
        let method = req.method().to_string();
        let span = tracing::info_span!(
            "request",
            request.id = %id,
            http.method = %method,
            http.path = %req.uri().path(),
            tenant.id = tracing::field::Empty,
            user.id = tracing::field::Empty,
        );
        let server = self.server;
        async move {
            let mut resp = match self.inner.call(req).await {
                Ok(r) => r.into_response(),
                // A page's answer carried as an error (a role extractor's sign-in redirect
                // or branded 403) is sent as it is; everything else becomes a problem.
                Err(e) if e.is_from_response() => e.into_response(),
                Err(e) => problem_response(&e),
            };
            if let Ok(v) = HeaderValue::from_str(&id) {
                resp.headers_mut().insert("x-request-id", v);
            }
            let status = resp.status();
            let elapsed = started.elapsed();
            let status_label = status.as_u16().to_string();
            metrics::counter!("http_requests_total", "server" => server, "method" => method.clone(), "status" => status_label).increment(1);
            metrics::histogram!("http_request_duration_seconds", "server" => server, "method" => method).record(elapsed.as_secs_f64());
            let duration_ms = elapsed.as_secs_f64() * 1000.0;
            if status.is_server_error() {
                tracing::error!(http.status = status.as_u16(), duration_ms, "request failed");
            } else if status == StatusCode::NOT_FOUND || status.is_client_error() {
                tracing::info!(http.status = status.as_u16(), duration_ms, "request refused");
            } else {
                tracing::info!(http.status = status.as_u16(), duration_ms, "request served");
            }
            Ok(resp)
        }
        .instrument(span)
        .await
    }
}

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Adds the operational endpoints every server has: `/healthz` (alive), `/readyz` (the
/// database answers) and `/metrics` (Prometheus), the latter only to the holder of
/// `metrics_token` (see [`serve_metrics`] for the internal listener).
pub fn with_ops_routes(
    route: poem::Route,
    db: krafto_db::Db,
    metrics_token: Option<secrecy::SecretString>,
) -> poem::Route {
    route
        .at(
            "/healthz",
            poem::endpoint::make_sync(|_| poem::web::Json(serde_json::json!({ "status": "ok" }))),
        )
        .at(
            "/readyz",
            poem::endpoint::make(move |_| {
                let db = db.clone();
                async move {
                    // A load balancer asks often and acts on the answer: a frozen database
                    // must turn this into a 503 quickly, not hang the probe.
                    let ping = tokio::time::timeout(READY_TIMEOUT, db.ping())
                        .await
                        .unwrap_or_else(|_| {
                            Err(krafto_db::DbError::Unavailable(
                                "no answer within the readiness timeout".to_owned(),
                            ))
                        });
                    match ping {
                        Ok(()) => poem::web::Json(serde_json::json!({ "status": "ready", "database": "ok" })).into_response(),
                        Err(e) => {
                            tracing::warn!(error = %e, "readiness check failed");
                            (
                                StatusCode::SERVICE_UNAVAILABLE,
                                poem::web::Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
                            )
                                .into_response()
                        }
                    }
                }
            }),
        )
        .at("/metrics", scrape::public_metrics(metrics_token))
}

/// Serves `app` on `addr` until `shutdown` resolves (then drains for up to 10 s). Sends the
/// bound address through `bound` as soon as the socket listens.
pub async fn serve<E>(
    name: &'static str,
    app: E,
    addr: &str,
    bound: Option<tokio::sync::oneshot::Sender<SocketAddr>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()>
where
    E: Endpoint + 'static,
{
    let (acceptor, local) = bind(addr).await?;
    tracing::info!(addr = %local, server = name, "listening");
    if let Some(tx) = bound {
        let _ = tx.send(local);
    }
    poem::Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(app, shutdown, Some(std::time::Duration::from_secs(10)))
        .await?;
    Ok(())
}

/// Binds `addr` (port 0 picks a free one) and returns the acceptor and the bound address.
pub async fn bind(addr: &str) -> anyhow::Result<(impl Acceptor + use<>, SocketAddr)> {
    let acceptor = TcpListener::bind(addr.to_owned())
        .into_acceptor()
        .await
        .map_err(|e| {
            anyhow::anyhow!("cannot listen on {addr}: {e} (is the port taken? set another address)")
        })?;
    let local = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .ok_or_else(|| anyhow::anyhow!("{addr} has no socket address"))?;
    Ok((acceptor, local))
}

/// Resolves when the process receives Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
