//! Refuses requests whose framing is ambiguous or whose text cannot be stored, before any
//! handler sees them:
//!
//! - the host: one `Host` header, agreeing with an absolute request URI when there is one,
//!   with a port from 1 to 65535 (400 otherwise), so that every layer resolves the same host;
//! - credentials: one `Authorization` header carrying one token (401 otherwise), so that no
//!   layer reads a different token than another;
//! - NUL characters, which Postgres cannot store in text: in the path, in a query parameter,
//!   in a JSON string or a form field (400 naming the field).
//!
//! It reads JSON, form and text bodies whole to look into them (they are bounded by
//! [`crate::limits::BodyLimit`], which must wrap this) and hands the same bytes on.

use crate::ApiError;
use krafto_api_types::{Code, FieldProblem};
use poem::http::{HeaderMap, Uri, header};
use poem::{Body, Endpoint, Middleware, Request, Result};
use serde_json::Value;

/// The middleware; see the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct InputGuard;

impl<E: Endpoint> Middleware<E> for InputGuard {
    type Output = InputGuardEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        InputGuardEndpoint(ep)
    }
}

#[derive(Debug)]
pub struct InputGuardEndpoint<E>(E);

fn bad_host(detail: &str) -> ApiError {
    ApiError::bad_request(Code::BadRequest, detail)
}

/// Whether `port` (the text after the host's last colon) is a port number.
fn valid_port(port: &str) -> bool {
    port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0)
}

/// Checks a `Host` value (`name`, `name:port`, `[v6]`, `[v6]:port`) has a real port.
fn check_host_value(host: &str) -> Result<(), ApiError> {
    let port = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((_, "")) => None,
            Some((_, tail)) => Some(tail.strip_prefix(':').ok_or_else(|| {
                bad_host("the Host header is not a host name with an optional port")
            })?),
            None => return Err(bad_host("the Host header has an unclosed `[`")),
        }
    } else {
        host.rsplit_once(':').map(|(_, p)| p)
    };
    match port {
        Some(p) if !valid_port(p) => Err(bad_host(
            "the port in the Host header must be a number from 1 to 65535",
        )),
        _ => Ok(()),
    }
}

/// One host for the request: a single `Host` header, agreeing with the request URI's
/// authority when both are given.
pub fn check_host(headers: &HeaderMap, uri: &Uri) -> Result<(), ApiError> {
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = hosts.next();
    if hosts.next().is_some() {
        return Err(bad_host("send one Host header"));
    }
    let host = host
        .map(|h| {
            h.to_str()
                .map_err(|_| bad_host("the Host header is not a host name"))
        })
        .transpose()?;
    let authority = uri.authority().map(|a| a.as_str());
    if let (Some(h), Some(a)) = (host, authority)
        && !h
            .trim()
            .trim_end_matches('.')
            .eq_ignore_ascii_case(a.trim_end_matches('.'))
    {
        return Err(bad_host(
            "the Host header and the host in the request target disagree",
        ));
    }
    match host.or(authority) {
        Some(h) => check_host_value(h.trim()),
        None => Ok(()),
    }
}

/// At most one `Authorization` header, carrying `<scheme> <token>` with one token.
pub fn check_credentials(headers: &HeaderMap) -> Result<(), ApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(());
    };
    let refused = || {
        ApiError::unauthenticated(
            "send one `Authorization: Bearer <token>` header carrying one token",
        )
    };
    if values.next().is_some() {
        return Err(refused());
    }
    let value = value.to_str().map_err(|_| refused())?;
    let (_scheme, token) = value.trim().split_once(' ').ok_or_else(refused)?;
    // RFC 9110 token68: one run of these characters, `=` padding at the end only.
    let token = token.trim_start();
    let body = token.trim_end_matches('=');
    let token68 = !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b));
    if token68 { Ok(()) } else { Err(refused()) }
}

fn nul_in(field: &str) -> ApiError {
    let mut e = ApiError::bad_request(
        Code::InvalidRequest,
        format!("`{field}` contains a NUL character, which no text may hold"),
    );
    e.errors.push(FieldProblem {
        field: field.to_owned(),
        message: "must not contain a NUL character".to_owned(),
    });
    e
}

/// The first form (or query) field holding a NUL, by name.
fn nul_in_form(encoded: &[u8]) -> Option<String> {
    // Every query and form passes here: decode only when a NUL can be in it at all
    // (written `%00`, or raw).
    if !encoded.contains(&0) && !encoded.windows(3).any(|w| w == b"%00") {
        return None;
    }
    url::form_urlencoded::parse(encoded)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', ""))
}

/// The dotted path (`branding.tagline`, `items[2].name`) of the first JSON string holding
/// a NUL.
fn nul_in_json(value: &Value, path: &str) -> Option<String> {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => Some(if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_in_json(v, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(at(&k.replace('\0', "")))
            } else {
                nul_in_json(v, &at(k))
            }
        }),
        _ => None,
    }
}

/// Where a NUL sits in a body of this media type, if anywhere.
fn nul_in_body(content_type: &str, bytes: &[u8]) -> Option<String> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/x-www-form-urlencoded" {
        return nul_in_form(bytes);
    }
    if essence == "application/json" || essence.ends_with("+json") {
        // Raw NUL bytes are not JSON (the parser refuses them); escaped ones are `\u0000`.
        if !bytes.windows(6).any(|w| w == b"\\u0000") {
            return None;
        }
        let value: Value = serde_json::from_slice(bytes).ok()?;
        return nul_in_json(&value, "");
    }
    bytes.contains(&0).then(|| "body".to_owned())
}

/// Whether a body of this media type is text to look into.
fn is_text(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || essence.ends_with("+json")
        || essence == "application/x-www-form-urlencoded"
        || essence.starts_with("text/")
}

impl<E: Endpoint> Endpoint for InputGuardEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        check_host(req.headers(), req.uri())?;
        check_credentials(req.headers())?;
        if req.uri().path().contains("%00") {
            return Err(nul_in("path").into());
        }
        if let Some(field) = req.uri().query().and_then(|q| nul_in_form(q.as_bytes())) {
            return Err(nul_in(&field).into());
        }
        let content_type = req.content_type().unwrap_or("").to_owned();
        if is_text(&content_type) {
            let body = req.take_body();
            if !body.is_empty() {
                // A failed read (a body past its limit) is answered by the limit's layer.
                let bytes = body.into_vec().await.map_err(|e| {
                    ApiError::bad_request(Code::BadRequest, format!("cannot read the body: {e}"))
                })?;
                if let Some(field) = nul_in_body(&content_type, &bytes) {
                    return Err(nul_in(&field).into());
                }
                req.set_body(Body::from_vec(bytes));
            }
        }
        self.0.call(req).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn one_host_with_a_real_port_passes_and_anything_ambiguous_is_a_400() {
        let path: Uri = "/x".parse().unwrap();
        let ok = |pairs: &[(&'static str, &str)], uri: &Uri| check_host(&headers(pairs), uri);
        for host in [
            "lyon.krafto.test",
            "lyon.krafto.test:8080",
            "Lyon.Krafto.Test.",
            "127.0.0.1:65535",
            "[::1]:8081",
            "[::1]",
        ] {
            assert!(ok(&[("host", host)], &path).is_ok(), "{host}");
        }
        assert!(ok(&[], &path).is_ok());
        for host in [
            "lyon.krafto.test:99999",
            "lyon.krafto.test:0",
            "lyon.krafto.test:",
            "lyon.krafto.test:80a",
            "[::1]:x",
            "[::1",
        ] {
            let e = ok(&[("host", host)], &path).unwrap_err();
            assert_eq!(e.status.as_u16(), 400, "{host}");
        }
        assert!(ok(&[("host", "a.test"), ("host", "a.test")], &path).is_err());
        let absolute: Uri = "http://lyon.krafto.test/x".parse().unwrap();
        assert!(ok(&[("host", "LYON.krafto.test")], &absolute).is_ok());
        assert!(ok(&[("host", "paris.krafto.test")], &absolute).is_err());
        assert!(ok(&[], &"http://lyon.krafto.test:99999/x".parse().unwrap()).is_err());
    }

    #[test]
    fn one_header_with_one_token_passes_and_a_doubled_token_is_a_401() {
        assert!(check_credentials(&headers(&[])).is_ok());
        assert!(check_credentials(&headers(&[("authorization", "Bearer abc-_.~+/x==")])).is_ok());
        for doubled in [
            vec![("authorization", "Bearer a, Bearer b")],
            vec![("authorization", "Bearer a b")],
            vec![("authorization", "Bearer a=b")],
            vec![("authorization", "Bearer")],
            vec![("authorization", "Bearer a"), ("authorization", "Bearer b")],
        ] {
            let e = check_credentials(&headers(&doubled)).unwrap_err();
            assert_eq!(e.status.as_u16(), 401, "{doubled:?}");
        }
    }

    #[test]
    fn a_nul_is_found_in_forms_and_json_with_the_field_that_holds_it() {
        assert_eq!(nul_in_form(b"q=a%00b&x=1").as_deref(), Some("q"));
        assert_eq!(nul_in_form(b"q=ab&x=1"), None);
        let json = br#"{"name":"ok","branding":{"tagline":"a\u0000b"}}"#;
        assert_eq!(
            nul_in_body("application/json", json).as_deref(),
            Some("branding.tagline")
        );
        let json = br#"{"items":[{"name":"ok"},{"name":"\u0000"}]}"#;
        assert_eq!(
            nul_in_body("application/json; charset=utf-8", json).as_deref(),
            Some("items[1].name")
        );
        // An escaped backslash before `u0000` is no NUL.
        assert_eq!(
            nul_in_body("application/json", br#"{"path":"C:\\u0000"}"#),
            None
        );
        assert_eq!(
            nul_in_body("application/x-www-form-urlencoded", b"name=a%00").as_deref(),
            Some("name")
        );
        assert_eq!(
            nul_in_body("application/x-www-form-urlencoded", b"na%00me=a").as_deref(),
            Some("name"),
            "a NUL in a name is found too"
        );
        assert_eq!(
            nul_in_body("application/x-www-form-urlencoded", b"name=a%20b&q=%300"),
            None,
            "`%20`, `%30` are no NUL"
        );
        assert_eq!(
            nul_in_body("text/csv", b"title\na\0b\n").as_deref(),
            Some("body")
        );
    }
}
