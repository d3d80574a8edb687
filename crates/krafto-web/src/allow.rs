//! `Allow` on every 405 of an API (RFC 9110 §15.5.6).
//!
//! poem's method router answers an undeclared method with a bare 405. The methods each
//! path takes are written down once, in the API's OpenAPI document; [`AllowMethods`] reads
//! them from there and adds them to the 405.

use std::sync::Arc;

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{HeaderValue, StatusCode, header},
};

use crate::problem_response;

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    Param,
}

/// Path templates of one API (relative to where it is nested) and the methods each takes.
#[derive(Debug, Clone, Default)]
pub struct AllowTable {
    entries: Vec<(Vec<Segment>, HeaderValue)>,
}

impl AllowTable {
    /// Reads the `paths` of an OpenAPI document (`OpenApiService::spec()`); a document
    /// without paths gives an empty table (405s then go without `Allow`).
    pub fn from_openapi(spec: &str) -> Self {
        let doc: serde_json::Value = serde_json::from_str(spec).unwrap_or_default();
        let Some(paths) = doc.get("paths").and_then(|p| p.as_object()) else {
            tracing::warn!(
                "the OpenAPI document has no paths: 405s will not name the allowed methods"
            );
            return Self::default();
        };
        let mut entries = Vec::with_capacity(paths.len());
        for (template, ops) in paths {
            let mut methods: Vec<String> = ops
                .as_object()
                .into_iter()
                .flat_map(|o| o.keys())
                .filter(|m| {
                    matches!(
                        m.as_str(),
                        "get" | "put" | "post" | "delete" | "patch" | "options" | "trace"
                    )
                })
                .map(|m| m.to_ascii_uppercase())
                .collect();
            if methods.iter().any(|m| m == "GET") {
                // poem answers HEAD wherever GET is routed.
                methods.push("HEAD".to_owned());
            }
            methods.sort();
            if let Ok(value) = HeaderValue::from_str(&methods.join(", ")) {
                entries.push((segments(template), value));
            }
        }
        Self { entries }
    }

    /// The `Allow` value for a request path: the template matching it with the most literal
    /// segments (`/listings/import` before `/listings/{id}`).
    pub fn allow_for(&self, path: &str) -> Option<&HeaderValue> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        self.entries
            .iter()
            .filter(|(segs, _)| {
                segs.len() == parts.len()
                    && segs.iter().zip(&parts).all(|(s, p)| match s {
                        Segment::Literal(l) => l == p,
                        Segment::Param => !p.is_empty(),
                    })
            })
            .max_by_key(|(segs, _)| {
                segs.iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count()
            })
            .map(|(_, v)| v)
    }
}

fn segments(template: &str) -> Vec<Segment> {
    template
        .trim_end_matches('/')
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Param
            } else {
                Segment::Literal(s.to_owned())
            }
        })
        .collect()
}

/// Middleware: a 405 from the wrapped API carries `Allow` (and the problem body).
#[derive(Debug, Clone)]
pub struct AllowMethods(Arc<AllowTable>);

impl AllowMethods {
    pub fn new(table: AllowTable) -> Self {
        Self(Arc::new(table))
    }
}

impl<E: Endpoint> Middleware<E> for AllowMethods {
    type Output = AllowMethodsEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        AllowMethodsEndpoint {
            inner: ep,
            table: self.0.clone(),
        }
    }
}

#[derive(Debug)]
pub struct AllowMethodsEndpoint<E> {
    inner: E,
    table: Arc<AllowTable>,
}

impl<E: Endpoint> Endpoint for AllowMethodsEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let path = req.uri().path().to_owned();
        let mut resp = match self.inner.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) if e.status() == StatusCode::METHOD_NOT_ALLOWED => problem_response(&e),
            Err(e) => return Err(e),
        };
        if resp.status() == StatusCode::METHOD_NOT_ALLOWED
            && !resp.headers().contains_key(header::ALLOW)
            && let Some(allow) = self.table.allow_for(&path)
        {
            resp.headers_mut().insert(header::ALLOW, allow.clone());
        }
        Ok(resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"{"paths": {
        "/seller/listings": {"get": {}, "post": {}},
        "/seller/listings/{id}": {"get": {}, "patch": {}, "delete": {}, "parameters": []},
        "/seller/listings/import": {"post": {}}
    }}"#;

    #[test]
    fn names_the_methods_of_the_matching_template() {
        let t = AllowTable::from_openapi(SPEC);
        assert_eq!(t.allow_for("/seller/listings").unwrap(), "GET, HEAD, POST");
        assert_eq!(
            t.allow_for("/seller/listings/4b1c").unwrap(),
            "DELETE, GET, HEAD, PATCH"
        );
        assert_eq!(t.allow_for("/seller/listings/import").unwrap(), "POST");
        assert!(t.allow_for("/seller/shops").is_none());
        assert!(t.allow_for("/seller/listings/a/b").is_none());
    }
}
