//! Security headers on every answer of a server ([`SecurityHeaders`]): a
//! Content-Security-Policy without inline script, no framing, no MIME sniffing, a referrer
//! policy, and over https HSTS and `Secure` on every cookie set.
//!
//! Whether a request came over https is [`is_https`]: the listener's scheme, or behind the
//! trusted proxy (and only then) `X-Forwarded-Proto`.

use poem::http::HeaderValue;
use poem::http::header::{
    CONTENT_SECURITY_POLICY, HeaderName, REFERRER_POLICY, SET_COOKIE, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use poem::http::uri::Scheme;
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

/// The policy of every page. Styles may be inline (each page sets its marketplace's colours
/// in a `<style>`); scripts come from the site only. Images may come from any https host
/// (marketplace logos and listing photos are links), and from http ones on a page served
/// over http (development, tests). Forms post to the site, and to `form_action`'s sources
/// (browsers hold a form's redirects to the same list).
fn policy(https: bool, inline_scripts: bool, form_action: &[String]) -> String {
    let script = if inline_scripts {
        "'self' 'unsafe-inline'"
    } else {
        "'self'"
    };
    let img = if https {
        "'self' https: data:"
    } else {
        "'self' https: http: data:"
    };
    let mut forms = "'self'".to_owned();
    for source in form_action {
        forms.push(' ');
        forms.push_str(source);
    }
    format!(
        "default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; \
         img-src {img}; frame-ancestors 'none'; base-uri 'self'; form-action {forms}; \
         object-src 'none'"
    )
}

/// HSTS for a year; not `includeSubDomains`, since a marketplace's custom domain may have
/// other hosts that are not ours.
const HSTS: &str = "max-age=31536000";

/// Whether `req` reached us over https: the listener's scheme, or with
/// `trust_forwarded_proto` (the server is behind the trusted proxy) the first entry of
/// `X-Forwarded-Proto`.
pub fn is_https(req: &Request, trust_forwarded_proto: bool) -> bool {
    if *req.scheme() == Scheme::HTTPS {
        return true;
    }
    trust_forwarded_proto
        && req
            .header("x-forwarded-proto")
            .and_then(|v| v.split(',').next())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

/// The middleware. Wrap it around everything a server answers (outside the layer that turns
/// errors into problems, so problems get the headers too).
#[derive(Debug, Clone, Default)]
pub struct SecurityHeaders {
    trust_forwarded_proto: bool,
    inline_scripts_under: Vec<&'static str>,
    form_action: Vec<String>,
}

impl SecurityHeaders {
    /// Headers for a server that trusts `X-Forwarded-Proto` when `trust_forwarded_proto`.
    pub fn new(trust_forwarded_proto: bool) -> Self {
        Self {
            trust_forwarded_proto,
            inline_scripts_under: Vec::new(),
            form_action: Vec::new(),
        }
    }

    /// Forms may also post to, or be redirected after posting to, `source` (a CSP source
    /// expression: `https://connect.stripe.com`, `https://*.krafto.example`).
    #[must_use]
    pub fn form_action(mut self, source: impl Into<String>) -> Self {
        self.form_action.push(source.into());
        self
    }

    /// Pages under `prefix` (the generated API docs, whose viewer is one inline script) may
    /// run inline scripts.
    #[must_use]
    pub fn inline_scripts_under(mut self, prefix: &'static str) -> Self {
        self.inline_scripts_under.push(prefix);
        self
    }
}

impl<E: Endpoint> Middleware<E> for SecurityHeaders {
    type Output = SecurityHeadersEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        SecurityHeadersEndpoint {
            inner: ep,
            config: self.clone(),
        }
    }
}

#[derive(Debug)]
pub struct SecurityHeadersEndpoint<E> {
    inner: E,
    config: SecurityHeaders,
}

impl<E: Endpoint> Endpoint for SecurityHeadersEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let https = is_https(&req, self.config.trust_forwarded_proto);
        let path = req.uri().path();
        let inline_scripts = self.config.inline_scripts_under.iter().any(|p| {
            path.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        let mut resp = match self.inner.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) => e.into_response(),
        };
        let policy = policy(https, inline_scripts, &self.config.form_action);
        apply(&mut resp, https, &policy);
        Ok(resp)
    }
}

fn apply(resp: &mut Response, https: bool, policy: &str) {
    let headers = resp.headers_mut();
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.entry(name).or_insert(v);
        }
    };
    set(CONTENT_SECURITY_POLICY, policy);
    set(X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(X_FRAME_OPTIONS, "DENY");
    if https {
        set(STRICT_TRANSPORT_SECURITY, HSTS);
        let cookies: Vec<HeaderValue> = headers.get_all(SET_COOKIE).iter().cloned().collect();
        if !cookies.is_empty() {
            headers.remove(SET_COOKIE);
            for c in cookies {
                headers.append(SET_COOKIE, secure(c));
            }
        }
    }
}

/// The cookie with the `Secure` attribute (unchanged when it has it).
fn secure(cookie: HeaderValue) -> HeaderValue {
    let Ok(text) = cookie.to_str() else {
        return cookie;
    };
    let has = text
        .split(';')
        .skip(1)
        .any(|a| a.trim().eq_ignore_ascii_case("secure"));
    if has {
        return cookie;
    }
    HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::{EndpointExt, handler};

    #[handler]
    fn page() -> Response {
        Response::builder()
            .content_type("text/html; charset=utf-8")
            .header(
                "set-cookie",
                "krafto_session=abc; Path=/; HttpOnly; SameSite=Lax",
            )
            .header(
                "set-cookie",
                "krafto_cart=x; Path=/; HttpOnly; Secure; SameSite=Lax",
            )
            .body("<p>hi</p>")
    }

    async fn answer(trust: bool, headers: &[(&str, &str)], path: &str) -> Response {
        let app = poem::Route::new()
            .at("/", page)
            .at("/docs", page)
            .with(SecurityHeaders::new(trust).inline_scripts_under("/docs"));
        let mut req = Request::builder().uri(path.parse().unwrap());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        app.call(req.finish()).await.unwrap()
    }

    fn header(r: &Response, name: &str) -> Option<String> {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[tokio::test]
    async fn a_page_over_http_gets_the_policy_and_no_hsts() {
        let r = answer(true, &[], "/").await;
        let csp = header(&r, "content-security-policy").unwrap();
        assert_eq!(
            csp,
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' https: http: data:; frame-ancestors 'none'; base-uri 'self'; \
             form-action 'self'; object-src 'none'"
        );
        assert_eq!(header(&r, "x-content-type-options").unwrap(), "nosniff");
        assert_eq!(
            header(&r, "referrer-policy").unwrap(),
            "strict-origin-when-cross-origin"
        );
        assert_eq!(header(&r, "x-frame-options").unwrap(), "DENY");
        assert_eq!(header(&r, "strict-transport-security"), None);
        let cookies: Vec<_> = r.headers().get_all("set-cookie").iter().collect();
        assert_eq!(
            cookies[0].to_str().unwrap(),
            "krafto_session=abc; Path=/; HttpOnly; SameSite=Lax"
        );
    }

    #[tokio::test]
    async fn behind_the_trusted_proxy_https_brings_hsts_and_secure_cookies() {
        let r = answer(true, &[("x-forwarded-proto", "https")], "/").await;
        assert_eq!(
            header(&r, "strict-transport-security").unwrap(),
            "max-age=31536000"
        );
        let csp = header(&r, "content-security-policy").unwrap();
        assert!(csp.contains("img-src 'self' https: data:;"), "{csp}");
        let cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            cookies,
            [
                "krafto_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure",
                "krafto_cart=x; Path=/; HttpOnly; Secure; SameSite=Lax",
            ]
        );
    }

    #[tokio::test]
    async fn a_forwarded_scheme_is_ignored_unless_the_proxy_is_trusted() {
        let r = answer(false, &[("x-forwarded-proto", "https")], "/").await;
        assert_eq!(header(&r, "strict-transport-security"), None);
        assert!(
            !r.headers()
                .get("set-cookie")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("Secure")
        );
        let r = answer(true, &[("x-forwarded-proto", "http, https")], "/").await;
        assert_eq!(header(&r, "strict-transport-security"), None);
    }

    #[test]
    fn forms_may_go_to_the_sources_given() {
        let csp = policy(
            true,
            false,
            &[
                "https://connect.stripe.com".to_owned(),
                "https://*.krafto.example".to_owned(),
            ],
        );
        assert!(
            csp.contains(
                "; form-action 'self' https://connect.stripe.com https://*.krafto.example; "
            ),
            "{csp}"
        );
    }

    #[tokio::test]
    async fn only_the_api_docs_may_run_inline_scripts() {
        let r = answer(false, &[], "/docs").await;
        let csp = header(&r, "content-security-policy").unwrap();
        assert!(csp.contains("script-src 'self' 'unsafe-inline';"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let r = answer(false, &[], "/docsx").await;
        assert_eq!(r.status(), poem::http::StatusCode::NOT_FOUND);
        let csp = header(&r, "content-security-policy").unwrap();
        assert!(csp.contains("script-src 'self';"), "{csp}");
    }
}
