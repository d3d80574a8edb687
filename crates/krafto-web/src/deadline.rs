//! The request deadline: a request that has not been answered when its time is up is
//! answered 503 (`service_unavailable`), and the work behind it is dropped, so that a frozen
//! dependency (a database that accepts connections but never answers) never holds a client
//! forever. The database's own timeouts ([`krafto_db::DbTimeouts`]) are shorter and answer
//! first when they can; this is the bound for everything else.

use crate::ApiError;
use krafto_api_types::Code;
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use std::time::Duration;

/// Answers 503 when the inner endpoint has not answered within the duration.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Duration);

impl<E: Endpoint> Middleware<E> for Deadline {
    type Output = DeadlineEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        DeadlineEndpoint {
            inner: ep,
            limit: self.0,
        }
    }
}

#[derive(Debug)]
pub struct DeadlineEndpoint<E> {
    inner: E,
    limit: Duration,
}

impl<E: Endpoint> Endpoint for DeadlineEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        match tokio::time::timeout(self.limit, self.inner.call(req)).await {
            Ok(answer) => answer.map(IntoResponse::into_response),
            Err(_) => {
                tracing::warn!(
                    deadline_ms = u64::try_from(self.limit.as_millis()).unwrap_or(u64::MAX),
                    "request deadline passed"
                );
                Err(ApiError::unavailable(
                    Code::ServiceUnavailable,
                    "the server could not answer in time; retry in a moment",
                )
                .into())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::EndpointExt;
    use poem::http::StatusCode;

    #[tokio::test]
    async fn a_request_past_its_deadline_is_answered_503() {
        let slow = poem::endpoint::make(|_| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "late"
        })
        .with(Deadline(Duration::from_millis(50)));
        let started = std::time::Instant::now();
        let r = slow.get_response(Request::default()).await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(started.elapsed() < Duration::from_secs(5));
        let fast =
            poem::endpoint::make(|_| async { "on time" }).with(Deadline(Duration::from_secs(5)));
        let r = fast.get_response(Request::default()).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
}
