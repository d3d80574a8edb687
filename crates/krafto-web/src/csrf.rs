//! Protection of the server-rendered forms against cross-site requests ([`FormGuard`]).
//!
//! `SameSite` cookies are not enough here: every marketplace is a subdomain of one
//! registrable domain, so `evil.krafto.example` is the same *site* as `lyon.krafto.example`
//! and its forms arrive with the cookies. Every state-changing page request (any method but
//! `GET`, `HEAD`, `OPTIONS`, `TRACE`) must therefore pass two checks:
//! - where it comes from: `Sec-Fetch-Site`, when the browser sends it, is `same-origin` or
//!   `none`; `Origin` (or, without it, the origin of `Referer`) is this request's own
//!   scheme and host;
//! - a per-session token: an HMAC of the host and the session (the signed-in cookie, or for
//!   a visitor without one an anonymous random cookie this guard sets) under a key derived
//!   from the deployment's root key. It comes back in the form field `_csrf` (urlencoded or
//!   multipart bodies, read bounded) or in the `X-CSRF-Token` header (htmx).
//!
//! Pages need not know about it: on the way out, every `text/html` answer gets the hidden
//! field right after each `<form … method="post" …>` start tag (forms sent with `GET` are
//! left alone: the token must never reach a URL), and `hx-headers` with the token on
//! `<body>`, so htmx sends the header.
//!
//! A refused request changes nothing: it is answered with a branded 403 page in French and
//! never reaches a handler. Paths given to [`FormGuard::exempt`] (the JSON APIs with their
//! bearer tokens, webhooks) are neither checked nor rewritten.

pub use crate::notice::{Brand, Locale};
use crate::notice::{back_path, notice};
use hmac::{Hmac, Mac};
use poem::http::header::{CONTENT_LENGTH, SET_COOKIE};
use poem::http::{HeaderValue, Method, StatusCode};
use poem::web::Multipart;
use poem::{Body, Endpoint, FromRequest, IntoResponse, Middleware, Request, RequestBody, Response};
use sha2::Sha256;
use std::sync::Arc;
use url::Url;

/// The form field that carries the token.
pub const FIELD: &str = "_csrf";
/// The header that carries the token (htmx requests, scripts).
pub const HEADER: &str = "x-csrf-token";
/// The anonymous visitor's cookie, set when a page is served to a request without a session.
pub const ANONYMOUS_COOKIE: &str = "krafto_csrf";

type BrandOf = Arc<dyn Fn(&Request) -> Brand + Send + Sync>;

/// The middleware: checks state-changing page requests and puts the token in pages.
#[derive(Clone)]
pub struct FormGuard {
    key: [u8; 32],
    session_cookie: &'static str,
    same_site: &'static str,
    trust_forwarded_proto: bool,
    exempt: Vec<&'static str>,
    max_body: usize,
    brand: BrandOf,
}

impl std::fmt::Debug for FormGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormGuard")
            .field("session_cookie", &self.session_cookie)
            .field("exempt", &self.exempt)
            .finish_non_exhaustive()
    }
}

impl FormGuard {
    /// A guard keyed by `key` (derived from the root key, see
    /// `krafto_auth::TokenKeys::form_key`) for a site whose signed-in session lives in the
    /// cookie `session_cookie`.
    pub fn new(key: [u8; 32], session_cookie: &'static str) -> Self {
        Self {
            key,
            session_cookie,
            same_site: "Lax",
            trust_forwarded_proto: false,
            exempt: Vec::new(),
            max_body: 1024 * 1024,
            brand: Arc::new(|_| Brand::krafto(Locale::Fr)),
        }
    }

    /// The `SameSite` of the anonymous cookie: the session cookie's (`Lax` by default).
    #[must_use]
    pub fn same_site(mut self, same_site: &'static str) -> Self {
        self.same_site = same_site;
        self
    }

    /// Read the scheme from `X-Forwarded-Proto` (behind the trusted proxy only).
    #[must_use]
    pub fn trust_forwarded_proto(mut self, trust: bool) -> Self {
        self.trust_forwarded_proto = trust;
        self
    }

    /// Leaves `prefix` and everything under it alone (`/api/v1`).
    #[must_use]
    pub fn exempt(mut self, prefix: &'static str) -> Self {
        self.exempt.push(prefix);
        self
    }

    /// The largest body read to find the token.
    #[must_use]
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// How the refusal page is branded for a request.
    #[must_use]
    pub fn brand(mut self, brand: impl Fn(&Request) -> Brand + Send + Sync + 'static) -> Self {
        self.brand = Arc::new(brand);
        self
    }

    fn is_exempt(&self, path: &str) -> bool {
        self.exempt.iter().any(|p| crate::notice::is_under(path, p))
    }
}

impl<E: Endpoint> Middleware<E> for FormGuard {
    type Output = FormGuardEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        FormGuardEndpoint {
            inner: ep,
            guard: self.clone(),
        }
    }
}

#[derive(Debug)]
pub struct FormGuardEndpoint<E> {
    inner: E,
    guard: FormGuard,
}

/// The token of `session` on `host`: hex of HMAC-SHA256 under `key`.
pub fn form_token(key: &[u8; 32], host: &str, session: &str) -> String {
    hex::encode(mac(key, host, session).finalize().into_bytes())
}

fn mac(key: &[u8; 32], host: &str, session: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(b"krafto form token v1\0");
    mac.update(host.to_ascii_lowercase().as_bytes());
    mac.update(b"\0");
    mac.update(session.as_bytes());
    mac
}

/// Whether `token` is the token of `session` on `host` (compared in constant time).
fn token_matches(key: &[u8; 32], host: &str, session: &str, token: &str) -> bool {
    hex::decode(token.trim())
        .is_ok_and(|bytes| mac(key, host, session).verify_slice(&bytes).is_ok())
}

/// The host the client asked for: `Host` (HTTP/1.1) or the URI authority (HTTP/2).
fn request_host(req: &Request) -> String {
    req.header("host")
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_owned()))
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn changes_state(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Whether `candidate` is the origin of this request (`https` when `https`, on `host`).
/// A page served as `https` by a TLS-ending proxy we were not told about posts with an
/// `https` origin to what we see as `http`: the same host and port, accepted.
fn same_origin(candidate: &Url, host: &str, https: bool) -> bool {
    let scheme = if https { "https" } else { "http" };
    let Ok(own) = Url::parse(&format!("{scheme}://{host}")) else {
        return false;
    };
    if !matches!(candidate.scheme(), "http" | "https") {
        return false;
    }
    candidate.origin() == own.origin()
        || (!https
            && candidate.scheme() == "https"
            && candidate.host_str() == own.host_str()
            && candidate.port() == own.port())
}

/// Why a request is refused (logged, never shown).
type Refusal = &'static str;

/// Where the request says it comes from: `Sec-Fetch-Site`, then `Origin` or `Referer`.
fn check_source(req: &Request, host: &str, https: bool) -> Result<(), Refusal> {
    if let Some(site) = req.header("sec-fetch-site")
        && !matches!(site.trim(), "same-origin" | "none")
    {
        return Err("Sec-Fetch-Site is not same-origin");
    }
    if let Some(origin) = req.header("origin") {
        return match Url::parse(origin.trim()) {
            Ok(o) if same_origin(&o, host, https) => Ok(()),
            _ => Err("Origin is another origin"),
        };
    }
    if let Some(referer) = req.header("referer") {
        return match Url::parse(referer.trim()) {
            Ok(r) if same_origin(&r, host, https) => Ok(()),
            _ => Err("Referer is another origin"),
        };
    }
    Ok(())
}

/// The token a request carries: the header, else the form field of its body (which is read,
/// bounded, and put back for the handler).
async fn carried_token(req: &mut Request, max_body: usize) -> poem::Result<Option<String>> {
    if let Some(t) = req.header(HEADER) {
        return Ok(Some(t.to_owned()));
    }
    let content_type = req.content_type().unwrap_or_default().to_ascii_lowercase();
    let urlencoded = content_type.starts_with("application/x-www-form-urlencoded");
    let multipart = content_type.starts_with("multipart/form-data");
    if !urlencoded && !multipart {
        return Ok(None);
    }
    let bytes = req.take_body().into_bytes_limit(max_body).await?;
    req.set_body(Body::from(bytes.clone()));
    if urlencoded {
        return Ok(url::form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned()));
    }
    let Ok(mut parts) =
        Multipart::from_request(req, &mut RequestBody::new(Body::from(bytes))).await
    else {
        return Ok(None);
    };
    while let Ok(Some(field)) = parts.next_field().await {
        if field.name() == Some(FIELD) {
            return Ok(field.text().await.ok());
        }
    }
    Ok(None)
}

/// What the token of this request is bound to: its signed-in session cookie, else its
/// anonymous cookie.
fn session_of(req: &Request, session_cookie: &str) -> Option<String> {
    [session_cookie, ANONYMOUS_COOKIE]
        .into_iter()
        .filter_map(|name| crate::pages::cookie(req, name))
        .find(|v| !v.is_empty())
}

impl FormGuard {
    /// The branded 403 page, with a link back to the page the form was on when that page is
    /// of this site.
    fn refusal(&self, req: &Request, host: &str) -> Response {
        let brand = (self.brand)(req);
        let (heading, text) = (
            brand.lang.t("notice-refused-title"),
            brand.lang.t("notice-refused-text"),
        );
        let back = back_path(req.header("referer"), host);
        notice(&brand, StatusCode::FORBIDDEN, &heading, &text, &back)
    }

    /// Puts the token in an HTML answer, and the anonymous cookie it is bound to when the
    /// visitor has no session.
    async fn finish(
        &self,
        mut resp: Response,
        host: &str,
        session: Option<String>,
    ) -> poem::Result<Response> {
        let html = resp
            .content_type()
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("text/html"));
        if !html {
            return Ok(resp);
        }
        // A session opened (or ended) by this very answer is what the next post carries.
        let prefix = format!("{}=", self.session_cookie);
        let set = resp
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.strip_prefix(&prefix))
            .map(|rest| rest.split(';').next().unwrap_or_default().trim().to_owned())
            .next_back();
        let session = match set {
            Some(v) if !v.is_empty() => Some(v),
            Some(_) => None,
            None => session,
        };
        let session = match session {
            Some(s) => s,
            None => {
                let anonymous = format!(
                    "{}{}",
                    uuid::Uuid::new_v4().simple(),
                    uuid::Uuid::new_v4().simple()
                );
                let cookie = format!(
                    "{ANONYMOUS_COOKIE}={anonymous}; Path=/; HttpOnly; SameSite={}",
                    self.same_site
                );
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    resp.headers_mut().append(SET_COOKIE, v);
                }
                anonymous
            }
        };
        let token = form_token(&self.key, host, &session);
        let body = resp.take_body().into_bytes().await?;
        match std::str::from_utf8(&body) {
            Ok(text) => {
                resp.headers_mut().remove(CONTENT_LENGTH);
                resp.set_body(inject(text, &token));
            }
            Err(_) => resp.set_body(body),
        }
        Ok(resp)
    }
}

impl<E: Endpoint> Endpoint for FormGuardEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        let g = &self.guard;
        if g.is_exempt(req.uri().path()) {
            return self.inner.call(req).await.map(IntoResponse::into_response);
        }
        let host = request_host(&req);
        let https = crate::headers::is_https(&req, g.trust_forwarded_proto);
        let session = session_of(&req, g.session_cookie);
        if changes_state(req.method()) {
            let refused = match check_source(&req, &host, https) {
                Err(why) => Some(why),
                Ok(()) => match (&session, carried_token(&mut req, g.max_body).await?) {
                    (None, _) => Some("no session or anonymous cookie"),
                    (_, None) => Some("no form token"),
                    (Some(s), Some(t)) => {
                        (!token_matches(&g.key, &host, s, &t)).then_some("wrong form token")
                    }
                },
            };
            if let Some(why) = refused {
                tracing::info!(
                    reason = why,
                    "a state-changing page request from elsewhere was refused"
                );
                return Ok(g.refusal(&req, &host));
            }
        }
        let resp = match self.inner.call(req).await {
            Ok(r) => r.into_response(),
            // Pages answered through an error (a role extractor's 403 page) get the token too.
            Err(e) if e.is_from_response() => e.into_response(),
            Err(e) => return Err(e),
        };
        g.finish(resp, &host, session).await
    }
}

/// `html` with the hidden token field after each post form's start tag, and `hx-headers`
/// carrying it on the first `<body>` tag. Tags are found case-insensitively; quoted
/// attribute values may hold `>`.
pub fn inject(html: &str, token: &str) -> String {
    let hidden = format!(r#"<input type="hidden" name="{FIELD}" value="{token}">"#);
    let headers = format!(r#" hx-headers='{{"X-CSRF-Token":"{token}"}}'"#);
    // ASCII lowercasing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() + 512);
    let mut copied = 0;
    let mut at = 0;
    let mut body_done = false;
    while let Some(found) = lower[at..].find('<') {
        let start = at + found;
        at = start + 1;
        let is_tag = |name: &str| {
            lower[start + 1..].starts_with(name)
                && lower[start + 1 + name.len()..]
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
        };
        if is_tag("form") {
            let Some(end) = tag_end(&lower, start) else {
                break;
            };
            if method_is_post(&lower[start + 5..end]) {
                out.push_str(&html[copied..=end]);
                out.push_str(&hidden);
                copied = end + 1;
            }
            at = end + 1;
        } else if !body_done && is_tag("body") {
            let name_end = start + 5;
            out.push_str(&html[copied..name_end]);
            out.push_str(&headers);
            copied = name_end;
            body_done = true;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The index of the `>` closing the tag that starts at `start` (outside quoted values).
fn tag_end(html: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, b) in html.bytes().enumerate().skip(start) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Whether a (lowercased) start tag's attributes say `method="post"`.
fn method_is_post(attrs: &str) -> bool {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &attrs[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v_start = i + 1;
                i = v_start;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = &attrs[v_start..i];
                i += 1;
            } else {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = &attrs[v_start..i];
            }
        }
        if name == "method" {
            return value.trim() == "post";
        }
        if name.is_empty() && i < b.len() {
            i += 1;
        }
    }
    false
}

#[cfg(test)]
mod tests;
