//! Rate limits on a marketplace's API (`/api/v1/...`) and sign-in (the code requests and
//! checks of the API and of the storefront's sign-in forms), behind the tenant gate.
//!
//! Each limited request spends, in this order, and stops at the first refusal (so a client
//! refused for its own flood spends nothing of its marketplace's quota):
//! - sign-in only: the sign-in quota of its client address;
//! - the API quota of its client address;
//! - the API quota of its marketplace, shared by every client.
//!
//! The client and marketplace quotas are batched buckets: a busy client or marketplace is
//! decided in this process and synced with Redis every 50 ms, so the limit costs an API
//! request no Redis round trip; the sign-in quota asks Redis on every attempt.
//!
//! Answers carry the `RateLimit-Limit`/`-Remaining`/`-Reset` headers of the tightest quota
//! (see [`krafto_web::ratelimit`]); a refusal is the 429 problem with `Retry-After` on the
//! API and a page saying when to retry on the sign-in forms, and it is counted for the
//! marketplace's operators (`GET /api/v1/admin/rate-limits`, the console's home).

use crate::{AppState, CurrentTenant};
use krafto_web::ratelimit::{Bucket, Decision, Limiter, RateLimitConfig};
use poem::http::{Method, StatusCode};
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

/// What operators see counted, in this order.
pub(crate) const KINDS: [&str; 3] = ["client", "marketplace", "sign_in"];

/// The platform's rate limits; cheap to clone.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub limiter: Limiter,
    marketplace: Option<Bucket>,
    client: Option<Bucket>,
    sign_in: Option<Bucket>,
}

impl RateLimits {
    pub fn new(limiter: Limiter, config: &RateLimitConfig) -> Self {
        Self {
            marketplace: limiter.batched_bucket("marketplace", config.marketplace),
            client: limiter.batched_bucket("client", config.client),
            sign_in: limiter.bucket("sign_in", config.sign_in),
            limiter,
        }
    }

    /// Each limit kind with its quota as written (`100/s`), `None` when off.
    pub(crate) fn quotas(&self) -> [(&'static str, Option<String>); 3] {
        let q = |b: &Option<Bucket>| b.as_ref().map(|b| b.quota().to_string());
        [
            ("client", q(&self.client)),
            ("marketplace", q(&self.marketplace)),
            ("sign_in", q(&self.sign_in)),
        ]
    }
}

/// Which quotas a request spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    SignInPage,
    SignInApi,
    Api,
}

fn route(req: &Request) -> Option<Route> {
    let path = req.uri().path();
    if path.starts_with("/api/v1/auth/otp/") {
        return Some(Route::SignInApi);
    }
    if path.starts_with("/api/v1/") || path == "/api/v1" {
        return Some(Route::Api);
    }
    (req.method() == Method::POST && (path == "/sign-in" || path == "/sign-in/code"))
        .then_some(Route::SignInPage)
}

pub(crate) struct Limited;

impl<E: Endpoint> Middleware<E> for Limited {
    type Output = LimitedEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        LimitedEndpoint(ep)
    }
}

pub(crate) struct LimitedEndpoint<E>(E);

impl<E: Endpoint> Endpoint for LimitedEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let Some(route) = route(&req) else {
            return self.0.call(req).await.map(IntoResponse::into_response);
        };
        let (Some(state), Some(tenant)) = (
            req.data::<AppState>().cloned(),
            req.extensions().get::<CurrentTenant>().cloned(),
        ) else {
            return Err(
                krafto_web::ApiError::internal(&"rate limits ran outside the tenant gate").into(),
            );
        };
        let limits = &state.limits;
        let client = crate::api::client_ip(&req, state.trusted_proxy_hops)
            .unwrap_or_else(|| "unknown".to_owned());
        let tenant_key = tenant.id.to_string();
        let sign_in = matches!(route, Route::SignInApi | Route::SignInPage);
        let checks = [
            (
                sign_in.then_some(&limits.sign_in).and_then(Option::as_ref),
                client.as_str(),
                "sign_in",
            ),
            (limits.client.as_ref(), client.as_str(), "client"),
            (
                limits.marketplace.as_ref(),
                tenant_key.as_str(),
                "marketplace",
            ),
        ];
        let mut reported: Option<Decision> = None;
        for (bucket, key, kind) in checks {
            let Some(bucket) = bucket else { continue };
            let decision = bucket.check(key).await;
            reported = Some(match reported {
                Some(r) => r.tighter(decision),
                None => decision,
            });
            if !decision.allowed {
                limits.limiter.record_limited(tenant.id, &tenant.slug, kind);
                return Ok(refusal(&req, &state, &tenant, route, kind, decision));
            }
        }
        let mut resp = match self.0.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) if e.is_from_response() => e.into_response(),
            Err(e) => krafto_web::problem_response(&e),
        };
        if let Some(d) = reported {
            d.write_headers(resp.headers_mut());
        }
        Ok(resp)
    }
}

/// The answer to a refused request: the problem on the API, a page on the sign-in forms.
fn refusal(
    req: &Request,
    state: &AppState,
    tenant: &CurrentTenant,
    route: Route,
    kind: &str,
    decision: Decision,
) -> Response {
    let what = match kind {
        "sign_in" => "sign-in attempts from your network",
        "client" => "requests from your network",
        _ => "requests to this marketplace right now",
    };
    let mut resp = match route {
        Route::Api | Route::SignInApi => decision.refusal(what).into_response(),
        Route::SignInPage => {
            let secs = decision.retry_after_secs();
            let chrome = crate::web::Chrome::of(req, state, tenant);
            crate::web::message(
                chrome,
                StatusCode::TOO_MANY_REQUESTS,
                "Too many attempts",
                &format!(
                    "Too many sign-in attempts from your network. Try again in {secs} second{}.",
                    if secs == 1 { "" } else { "s" }
                ),
            )
        }
    };
    decision.write_headers(resp.headers_mut());
    resp
}

/// What operators see: the requests each limit refused on this marketplace over the last
/// 24 hours (across every instance when Redis is configured).
pub(crate) async fn report(
    state: &AppState,
    tenant: &CurrentTenant,
) -> krafto_api_types::store::RateLimitReport {
    let counts = state
        .limits
        .limiter
        .limited_last_day(tenant.id, &KINDS)
        .await;
    let limits: Vec<_> = state
        .limits
        .quotas()
        .into_iter()
        .map(|(kind, quota)| krafto_api_types::store::RateLimitCount {
            limit: kind.to_owned(),
            quota,
            refused: counts.get(kind).copied().unwrap_or(0),
        })
        .collect();
    krafto_api_types::store::RateLimitReport {
        window_hours: 24,
        refused_total: limits.iter().map(|l| l.refused).sum(),
        limits,
    }
}
