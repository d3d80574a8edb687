//! Request bodies bounded by the bytes actually read, whether or not they declare a length
//! (a chunked upload declares none).
//!
//! [`BodyLimit`] wraps every request body in a counting stream: the read that passes the
//! limit fails, the handler stops, and the answer is a 413 problem whatever the handler
//! made of the failed read. A declared `Content-Length` over the limit is refused before
//! anything is read. Routes that legitimately take more (CSV imports) are named with
//! [`BodyLimit::route`]; nothing else can raise the limit.

use crate::ApiError;
use futures_util::StreamExt;
use krafto_api_types::Code;
use poem::http::StatusCode;
use poem::{Body, Endpoint, IntoResponse, Middleware, Request, Response, Result};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The body limit of a server: one for every route, larger ones for the routes named.
#[derive(Debug, Clone)]
pub struct BodyLimit {
    default: usize,
    routes: Vec<(&'static str, usize)>,
}

impl BodyLimit {
    /// Bodies of at most `default` bytes on every route.
    pub fn new(default: usize) -> Self {
        Self {
            default,
            routes: Vec::new(),
        }
    }

    /// Bodies of at most `max` bytes on the route at exactly `path`, where a `*` segment
    /// stands for any one segment (`/sell/listings/*/photos`).
    #[must_use]
    pub fn route(mut self, path: &'static str, max: usize) -> Self {
        self.routes.push((path, max));
        self
    }

    /// The limit of a request for `path`.
    pub fn limit_for(&self, path: &str) -> usize {
        self.routes
            .iter()
            .find(|(p, _)| matches_route(p, path))
            .map_or(self.default, |(_, max)| *max)
    }
}

impl<E: Endpoint> Middleware<E> for BodyLimit {
    type Output = BodyLimitEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        BodyLimitEndpoint {
            inner: ep,
            limits: Arc::new(self.clone()),
        }
    }
}

#[derive(Debug)]
pub struct BodyLimitEndpoint<E> {
    inner: E,
    limits: Arc<BodyLimit>,
}

/// Whether `path` is the route `pattern` (`*` matches one whole, non-empty segment).
fn matches_route(pattern: &str, path: &str) -> bool {
    if !pattern.contains('*') {
        return pattern == path;
    }
    let (mut p, mut s) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), s.next()) {
            (None, None) => return true,
            (Some("*"), Some(seg)) if !seg.is_empty() => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// `1 MiB`, `512 KiB`, `300 bytes`.
fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / 1024 / 1024)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        Code::PayloadTooLarge,
        format!(
            "request bodies are limited to {} here; split the upload",
            size(limit)
        ),
    )
}

/// `body` as a stream that fails, then ends, once more than `limit` bytes were read
/// (raising `exceeded`): nothing more is taken from the connection after that.
fn counted(body: Body, limit: usize, exceeded: Arc<AtomicBool>) -> Body {
    let chunks = Box::pin(body.into_bytes_stream());
    let stream = futures_util::stream::unfold((chunks, 0_usize, false), move |state| {
        let exceeded = exceeded.clone();
        async move {
            let (mut chunks, read, done) = state;
            if done {
                return None;
            }
            match chunks.next().await? {
                Ok(bytes) => {
                    let read = read.saturating_add(bytes.len());
                    if read > limit {
                        exceeded.store(true, Ordering::SeqCst);
                        let e = std::io::Error::other("the request body is over the limit");
                        Some((Err(e), (chunks, read, true)))
                    } else {
                        Some((Ok(bytes), (chunks, read, false)))
                    }
                }
                Err(e) => Some((Err(e), (chunks, read, true))),
            }
        }
    });
    Body::from_bytes_stream(stream)
}

impl<E: Endpoint> Endpoint for BodyLimitEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Response> {
        let limit = self.limits.limit_for(req.uri().path());
        let declared = req
            .header("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(too_large(limit).into());
        }
        let exceeded = Arc::new(AtomicBool::new(false));
        let body = req.take_body();
        if body.is_empty() {
            req.set_body(body);
        } else {
            req.set_body(counted(body, limit, exceeded.clone()));
        }
        let answer = self.inner.call(req).await;
        if exceeded.load(Ordering::SeqCst) {
            return Err(too_large(limit).into());
        }
        answer.map(IntoResponse::into_response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::EndpointExt;
    use poem::http::Method;

    #[test]
    fn a_star_segment_stands_for_any_one_segment() {
        let l = BodyLimit::new(10).route("/sell/listings/*/photos", 99);
        assert_eq!(l.limit_for("/sell/listings/0193/photos"), 99);
        assert_eq!(l.limit_for("/sell/listings//photos"), 10);
        assert_eq!(l.limit_for("/sell/listings/a/b/photos"), 10);
        assert_eq!(l.limit_for("/sell/listings/a/photos/x"), 10);
        assert_eq!(l.limit_for("/sell/listings/a"), 10);
    }

    fn app() -> impl Endpoint {
        poem::endpoint::make(|mut req: Request| async move {
            match req.take_body().into_vec().await {
                Ok(v) => v.len().to_string().into_response(),
                Err(_) => StatusCode::BAD_REQUEST.into_response(),
            }
        })
        .with(BodyLimit::new(10).route("/import", 20))
    }

    fn chunked(parts: &'static [&'static [u8]]) -> Body {
        Body::from_bytes_stream(futures_util::stream::iter(
            parts.iter().map(|p| Ok::<_, std::io::Error>(p.to_vec())),
        ))
    }

    async fn post(path: &str, length: Option<usize>, body: Body) -> (StatusCode, String) {
        let mut req = Request::builder().method(Method::POST).uri_str(path);
        if let Some(n) = length {
            req = req.header("content-length", n.to_string());
        }
        let r = app().get_response(req.body(body)).await;
        let status = r.status();
        (
            status,
            r.into_body().into_string().await.unwrap_or_default(),
        )
    }

    #[tokio::test]
    async fn bodies_without_a_length_are_counted_as_they_are_read() {
        let (status, text) = post("/", None, chunked(&[b"12345", b"67890"])).await;
        assert_eq!((status, text.as_str()), (StatusCode::OK, "10"));
        let (status, text) = post("/", None, chunked(&[b"12345", b"67890", b"1"])).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{text}");
        assert!(text.contains("limited to 10 bytes here"), "{text}");
        let (status, text) = post("/import", None, chunked(&[b"12345", b"67890", b"1"])).await;
        assert_eq!((status, text.as_str()), (StatusCode::OK, "11"));
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_before_reading() {
        let (status, _) = post("/", Some(11), Body::from_string("12345678901".to_owned())).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        let (status, _) = post(
            "/import",
            Some(11),
            Body::from_string("12345678901".to_owned()),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }

    #[test]
    fn sizes_read_like_a_person_would_write_them() {
        assert_eq!(size(4 * 1024 * 1024), "4 MiB");
        assert_eq!(size(512 * 1024), "512 KiB");
        assert_eq!(size(300), "300 bytes");
    }
}
